//! A saved version of the annual report: its page, its A4 print, its CSV and XLSX, and the
//! comparison with another version of the same year. Each shows the figures the version saved
//! (never recomputed) and is audited in the transaction that reads them; a version of another
//! centre answers 404 like a missing one.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, Version};
use super::figures::Figures;
use super::tables::{self, Change};
use super::{PATH, year_text};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target, report_categories};
use crate::auth::session::CurrentUser;
use crate::documents::diff::{self, Mark, Piece};
use crate::error::{AppError, Result};
use crate::reports::tables::{SUPPRESSION_NOTE, Table, tables_sheet};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::export::{self, CSV, Format, Kind, XLSX, text};
use crate::web::page::{Layout, render};
use crate::web::path::IdPath;
use crate::web::route::Route;

/// The version routes.
pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::get("/reports/annual/{id}", Gate::ParticipantWork, show),
        Route::get("/reports/annual/{id}/print", Gate::ParticipantWork, print),
        Route::get(
            "/reports/annual/{id}/csv",
            Gate::ParticipantWork,
            |state: State<AppState>, user: CurrentUser, id: IdPath| download(state, user, id, CSV),
        )
        .export(),
        Route::get(
            "/reports/annual/{id}/xlsx",
            Gate::ParticipantWork,
            |state: State<AppState>, user: CurrentUser, id: IdPath| download(state, user, id, XLSX),
        )
        .export(),
        Route::get("/reports/annual/{id}/diff", Gate::ParticipantWork, compare),
    ]
}

/// The hand-filled texts with their headings.
const TEXTS: [&str; 3] = [
    "Plan finansowy (w tym świadczenia integracyjne i premie)",
    "Prognoza na następny rok",
    "Uwagi",
];

/// A version ready to show.
struct Shown {
    id: Uuid,
    title: String,
    prepared: String,
    tables: Vec<Table>,
    /// (heading, text) of the hand-filled fields.
    texts: Vec<(&'static str, String)>,
    note: &'static str,
}

impl Shown {
    fn new(v: &Version, user: &CurrentUser) -> Result<Self> {
        let f: Figures = serde_json::from_value(v.figures.clone()).map_err(anyhow::Error::from)?;
        Ok(Self {
            id: v.annual_report_id,
            title: format!("za {} – wersja {}", year_text(v.year, v.as_at), v.version),
            prepared: format!("{}, {}", v.prepared_by, dates::format_moment(v.prepared_at)),
            tables: tables::tables(&f, &report_categories(user.role)),
            texts: TEXTS
                .into_iter()
                .zip([&v.financial_plan, &v.forecast, &v.remarks])
                .map(|(h, t)| (h, t.clone()))
                .collect(),
            note: SUPPRESSION_NOTE,
        })
    }
}

/// Authorizes `action`, loads the version (404 outside the centre) and audits `code` with the
/// read, in one transaction; returns the version and the centre's heading.
async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
    code: &str,
    detail: &str,
) -> Result<(Version, (String, String))> {
    user.authorize(state, action, Target::Centre).await?;
    let mut tx = state.db.begin().await?;
    let version = db::version(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let event = AuditEvent::new(code, Outcome::Success)
        .by(user.audit_actor())
        .on("annual_report", id)
        .detail(format!(
            "annual {} version {}{detail}",
            version.year, version.version
        ));
    if action == Action::ExportAnnualReport {
        audit::record(&mut *tx, &user.meta, event).await?;
    } else {
        audit::record_read(&mut *tx, &user.meta, event).await?;
    }
    let heading = crate::participants::centre_header(&mut *tx, user.centre_id).await?;
    tx.commit().await?;
    Ok((version, heading))
}

/// Another version of the same year, as offered for comparison.
struct Other {
    id: Uuid,
    label: String,
}

#[derive(Template)]
#[template(path = "reports/annual_version.html")]
struct VersionPage {
    layout: Layout,
    v: Shown,
    others: Vec<Other>,
}

/// `GET /reports/annual/{id}`.
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (version, _) = open(
        &state,
        &user,
        id,
        Action::ViewAnnualReport,
        "annual_report.view",
        "",
    )
    .await?;
    let others = db::versions(&state.db, user.centre_id)
        .await?
        .into_iter()
        .filter(|o| o.year == version.year && o.annual_report_id != id)
        .map(|o| Other {
            id: o.annual_report_id,
            label: format!("wersja {} (stan na {})", o.version, dates::format(o.as_at)),
        })
        .collect();
    let v = Shown::new(&version, &user)?;
    let title = format!("Sprawozdanie roczne {}", v.title);
    render(&VersionPage {
        layout: Layout::for_user(&state, &user, &title, PATH),
        v,
        others,
    })
}

#[derive(Template)]
#[template(path = "reports/annual_print.html")]
struct PrintPage {
    v: Shown,
    centre_name: String,
    centre_address: String,
    printed_at: String,
    printed_by: String,
}

/// `GET /reports/annual/{id}/print`: A4 with the centre's heading, audited like every print.
async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (version, (centre_name, centre_address)) = open(
        &state,
        &user,
        id,
        Action::ViewAnnualReport,
        "annual_report.print",
        "",
    )
    .await?;
    render(&PrintPage {
        v: Shown::new(&version, &user)?,
        centre_name,
        centre_address,
        printed_at: dates::format_moment(state.clock.now()),
        printed_by: format!("{} ({})", user.full_name, user.role.label()),
    })
}

/// `GET /reports/annual/{id}/csv` and `/xlsx`: audited like every export.
async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    format: Format,
) -> Result<Response> {
    let (version, (name, address)) = open(
        &state,
        &user,
        id,
        Action::ExportAnnualReport,
        "annual_report.export",
        &format!(" {}", format.extension),
    )
    .await?;
    let v = Shown::new(&version, &user)?;
    let centre = if address.is_empty() {
        name
    } else {
        format!("{name}, {address}")
    };
    let mut sheet = tables_sheet(
        "Sprawozdanie roczne",
        &format!("Sprawozdanie roczne CIS {}", v.title),
        &centre,
        &[
            format!("Przygotował(a): {}", v.prepared),
            SUPPRESSION_NOTE.to_owned(),
        ],
        &v.tables,
    );
    for (heading, body) in &v.texts {
        sheet.push(Kind::Blank, Vec::new());
        sheet.push(Kind::Section, vec![text(*heading)]);
        sheet.push(Kind::Data, vec![text(body.clone())]);
    }
    let stem = format!(
        "sprawozdanie-roczne-{}-wersja-{}-stan-{}",
        version.year,
        version.version,
        dates::iso(version.as_at)
    );
    export::download(&sheet, format, &stem)
}

/// `?with=<id>`: the version compared with.
#[derive(Debug, Default, Deserialize)]
struct DiffQuery {
    #[serde(default)]
    with: String,
}

/// A hand-filled text compared.
struct TextDiff {
    heading: &'static str,
    pieces: Vec<Piece>,
    changed: bool,
}

#[derive(Template)]
#[template(path = "reports/annual_diff.html")]
struct DiffPage {
    layout: Layout,
    old: Shown,
    new: Shown,
    changes: Vec<Change>,
    changed: usize,
    texts: Vec<TextDiff>,
}

/// `GET /reports/annual/{id}/diff?with=<id>`: what changed from the version `with` to `id`,
/// figure by figure (as shown) and text by text. Both are read (and audited); a version of
/// another year or centre answers 404.
async fn compare(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(query): Query<DiffQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::ViewAnnualReport, Target::Centre)
        .await?;
    let with = Uuid::parse_str(query.with.trim()).map_err(|_| AppError::NotFound)?;
    let (new, _) = open(
        &state,
        &user,
        id,
        Action::ViewAnnualReport,
        "annual_report.view",
        " diff",
    )
    .await?;
    let (old, _) = open(
        &state,
        &user,
        with,
        Action::ViewAnnualReport,
        "annual_report.view",
        " diff",
    )
    .await?;
    if old.year != new.year {
        return Err(AppError::NotFound);
    }
    let (old, new) = (Shown::new(&old, &user)?, Shown::new(&new, &user)?);
    let changes = tables::compare(&old.tables, &new.tables);
    let texts: Vec<TextDiff> = old
        .texts
        .iter()
        .zip(&new.texts)
        .map(|((heading, a), (_, b))| {
            let pieces = diff::words(a, b);
            TextDiff {
                heading,
                changed: pieces.iter().any(|p| p.mark != Mark::Same),
                pieces,
            }
        })
        .collect();
    let changed =
        changes.iter().filter(|c| c.changed).count() + texts.iter().filter(|t| t.changed).count();
    let title = format!("Porównanie wersji sprawozdania rocznego {}", new.title);
    render(&DiffPage {
        layout: Layout::for_user(&state, &user, &title, PATH),
        old,
        new,
        changes,
        changed,
        texts,
    })
}
