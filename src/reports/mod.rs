//! The centre's reports (issue 12): the effectiveness report — for a period, the people
//! admitted, graduated and terminated (by reason and by eligibility category), the graduates'
//! situation 3 to 36 months after graduation and the usefulness of their skills, from the
//! lifecycle and the follow-up contacts — on a page with tables and SVG charts, as CSV and
//! XLSX, and as an A4 print.
//!
//! Invariants: the figures are read "as at" the end of a chosen day (`db`), so the same period
//! and date give the same numbers later; counts of fewer than 5 people, and shares of them,
//! show as "<5" everywhere (`tables`); every view, print and export is audited in the
//! transaction that reads the figures (if the audit row cannot be written, nothing is shown).

mod annual;
mod chart;
mod db;
mod figures;
mod tables;

pub use annual::{demo_version, has_version, inbox_items};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::{Date, Month};

use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target, report_categories};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::export::{self, CSV, Format, XLSX};
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::route::Route;
use chart::{Chart, Scale, Value, bar_chart};
use figures::{Figures, Period, Situation, Skills};
use tables::{OVERLAP_NOTE, SUPPRESSION_NOTE, Table, period_text, point_label};

const PATH: &str = "/reports/effectiveness";

/// The reports' routes: the effectiveness report's, then the annual report's.
pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get(PATH, Gate::ParticipantWork, page),
        Route::get("/reports/effectiveness/print", Gate::ParticipantWork, print),
        Route::get(
            "/reports/effectiveness.csv",
            Gate::ParticipantWork,
            |state: State<AppState>, user: CurrentUser, query: Query<ReportQuery>| {
                download(state, user, query, CSV)
            },
        )
        .export(),
        Route::get(
            "/reports/effectiveness.xlsx",
            Gate::ParticipantWork,
            |state: State<AppState>, user: CurrentUser, query: Query<ReportQuery>| {
                download(state, user, query, XLSX)
            },
        )
        .export(),
    ];
    routes.extend(annual::routes());
    routes
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD&as_at=YYYY-MM-DD` (all empty: the defaults).
#[derive(Debug, Default, Deserialize)]
struct ReportQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    as_at: String,
}

/// The form as typed (kept when it has errors).
#[derive(Debug, Clone)]
struct Form {
    from: String,
    to: String,
    as_at: String,
    errors: FieldErrors,
}

/// The form of `query`, and its period when it is valid. Nothing given: the last full calendar
/// year, as at yesterday. "As at" must be a day that has ended: today's data still changes, so
/// a report as at today would not be reproducible (10:00 and 16:00 would differ).
fn read_form(query: ReportQuery, today: Date) -> (Form, Option<Period>) {
    let yesterday = today.previous_day().unwrap_or(today);
    let mut form = if query.from.is_empty() && query.to.is_empty() && query.as_at.is_empty() {
        let year = today.year() - 1;
        let first = Date::from_calendar_date(year, Month::January, 1).unwrap_or(today);
        let last = Date::from_calendar_date(year, Month::December, 31).unwrap_or(today);
        Form {
            from: dates::iso(first),
            to: dates::iso(last),
            as_at: dates::iso(yesterday),
            errors: FieldErrors::new(),
        }
    } else {
        Form {
            from: query.from,
            to: query.to,
            as_at: query.as_at,
            errors: FieldErrors::new(),
        }
    };
    let errors = &mut form.errors;
    let from = errors.take("from", dates::parse(&form.from));
    let to = errors.take("to", dates::parse(&form.to));
    let as_at = errors.take("as_at", dates::parse(&form.as_at));
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add("to", "Koniec okresu nie może być przed jego początkiem.");
    }
    if let Some(as_at) = as_at {
        if as_at >= today {
            errors.add(
                "as_at",
                "Stan na dzień musi być dniem, który już minął (najpóźniej wczoraj) – dane z dzisiaj \
                 mogą się jeszcze zmienić, więc sprawozdania nie dałoby się potem odtworzyć.",
            );
        } else if to.is_some_and(|to| as_at < to) {
            errors.add(
                "as_at",
                "Stan na dzień nie może być wcześniejszy niż koniec okresu.",
            );
        }
    }
    let period = match (from, to, as_at) {
        (Some(from), Some(to), Some(as_at)) if form.errors.is_empty() => {
            Some(Period { from, to, as_at })
        }
        _ => None,
    };
    (form, period)
}

/// A table and the chart drawn from it.
#[derive(Debug, Clone)]
struct Section {
    table: Table,
    chart: Option<Chart>,
}

/// The report of one period.
#[derive(Debug, Clone)]
struct Report {
    /// "01.01.2025–31.12.2025, stan na 01.12.2026".
    period: String,
    /// "01.01.2025–31.12.2025".
    span: String,
    /// "01.12.2026".
    as_at: String,
    /// The query string of the period (the links to the print and the downloads).
    query: String,
    empty: bool,
    sections: Vec<Section>,
    window_days: i64,
    note: &'static str,
    overlap_note: &'static str,
}

impl Report {
    fn new(period: Period, figures: &Figures) -> Self {
        let tables = tables::tables(figures);
        let charts = charts(figures);
        let sections = tables
            .into_iter()
            .enumerate()
            .map(|(i, table)| Section {
                table,
                chart: charts
                    .iter()
                    .find(|(at, _)| *at == i)
                    .map(|(_, c)| c.clone()),
            })
            .collect();
        Self {
            period: period_text(period),
            span: format!(
                "{}–{}",
                dates::format(period.from),
                dates::format(period.to)
            ),
            as_at: dates::format(period.as_at),
            query: format!(
                "from={}&to={}&as_at={}",
                dates::iso(period.from),
                dates::iso(period.to),
                dates::iso(period.as_at)
            ),
            empty: figures.is_empty(),
            sections,
            window_days: figures::WINDOW_DAYS,
            note: SUPPRESSION_NOTE,
            overlap_note: OVERLAP_NOTE,
        }
    }
}

/// The charts and the index of the table each is drawn from.
fn charts(f: &Figures) -> Vec<(usize, Chart)> {
    let one = |n: Option<i64>| vec![Value { n, of: 0 }];
    // Counts without a total beside them: only the "<5" rule.
    let alone = |n: i64| one(Some(n));
    let movement = bar_chart(
        "chart-movement",
        "Przyjęci, absolwenci i osoby, które przerwały udział",
        Scale::Count,
        &[],
        vec![
            ("Przyjęci do CIS".into(), alone(f.admitted)),
            ("Absolwenci".into(), alone(f.graduated)),
            ("Przerwali udział".into(), alone(f.terminated)),
        ],
    );
    let labels: Vec<&'static str> = Situation::ALL.iter().map(|s| s.label()).collect();
    let situation = bar_chart(
        "chart-situation",
        "Sytuacja absolwentów po ukończeniu udziału (odsetek absolwentów)",
        Scale::Percent,
        &labels,
        f.points
            .iter()
            .map(|p| {
                let values = tables::situation_counts(p)
                    .into_iter()
                    .map(|n| Value { n, of: p.counted })
                    .collect();
                (point_label(p.months), values)
            })
            .collect(),
    );
    let skills = bar_chart(
        "chart-skills",
        "Przydatność umiejętności zdobytych w CIS (liczba absolwentów)",
        Scale::Count,
        &[],
        Skills::ALL
            .iter()
            .zip(tables::skills_counts(f))
            .map(|(s, n)| (s.label().to_owned(), one(n)))
            .collect(),
    );
    vec![(0, movement), (4, situation), (5, skills)]
}

/// What the figures are read for: the audit's event (and the policy's action).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    View,
    Print,
    Export(Format),
}

/// The figures of a valid form, as read.
struct Read {
    form: Form,
    period: Period,
    figures: Figures,
    centre_name: String,
    centre_address: String,
}

/// Authorize → check the form (with errors: the page with them, 422, nothing read) → read the
/// figures in one transaction after their audit row.
async fn open(
    state: &AppState,
    user: &CurrentUser,
    query: ReportQuery,
    purpose: Purpose,
) -> Result<std::result::Result<Read, Response>> {
    let action = match purpose {
        Purpose::View | Purpose::Print => Action::ViewEffectivenessReport,
        Purpose::Export(_) => Action::ExportEffectivenessReport,
    };
    user.authorize(state, action, Target::Centre).await?;
    let (form, period) = read_form(query, state.today());
    let Some(period) = period else {
        let page = ReportPage {
            layout: Layout::for_user(state, user, TITLE, PATH),
            form,
            report: None,
        };
        return Ok(Err(render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page,
        )?));
    };
    let span = format!(
        "effectiveness {}..{} as_at {}",
        dates::iso(period.from),
        dates::iso(period.to),
        dates::iso(period.as_at)
    );
    let mut tx = state.db.begin().await?;
    // One snapshot for the people and their contacts.
    sqlx::query!("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await?;
    let (code, detail) = match purpose {
        Purpose::View => ("report.view", span),
        Purpose::Print => ("report.print", span),
        Purpose::Export(format) => ("report.export", format!("{} {span}", format.extension)),
    };
    let event = AuditEvent::new(code, Outcome::Success)
        .by(user.audit_actor())
        .on("centre", user.centre_id)
        .detail(detail);
    match purpose {
        Purpose::Export(_) => audit::record(&mut *tx, &user.meta, event).await?,
        Purpose::View | Purpose::Print => audit::record_read(&mut *tx, &user.meta, event).await?,
    }
    let people = db::moved(&mut tx, user.centre_id, period).await?;
    let graduates: Vec<uuid::Uuid> = people
        .iter()
        .filter(|p| p.graduated_on.is_some())
        .map(|p| p.participant_id)
        .collect();
    let contacts = db::contacts(&mut tx, user.centre_id, &graduates, period.as_at).await?;
    let (centre_name, centre_address) =
        crate::participants::centre_header(&mut *tx, user.centre_id).await?;
    tx.commit().await?;
    let visible = report_categories(user.role);
    Ok(Ok(Read {
        form,
        period,
        figures: figures::compute(period, &people, &contacts, &visible),
        centre_name,
        centre_address,
    }))
}

const TITLE: &str = "Sprawozdanie z efektywności";

#[derive(Template)]
#[template(path = "reports/effectiveness.html")]
struct ReportPage {
    layout: Layout,
    form: Form,
    report: Option<Report>,
}

/// `GET /reports/effectiveness`.
async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response> {
    let read = match open(&state, &user, query, Purpose::View).await? {
        Ok(read) => read,
        Err(refused) => return Ok(refused),
    };
    render(&ReportPage {
        layout: Layout::for_user(&state, &user, TITLE, PATH),
        form: read.form,
        report: Some(Report::new(read.period, &read.figures)),
    })
}

#[derive(Template)]
#[template(path = "reports/effectiveness_print.html")]
struct PrintPage {
    report: Report,
    centre_name: String,
    centre_address: String,
    printed_at: String,
    printed_by: String,
}

/// `GET /reports/effectiveness/print`: the A4 print, audited like every print.
async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response> {
    let read = match open(&state, &user, query, Purpose::Print).await? {
        Ok(read) => read,
        Err(refused) => return Ok(refused),
    };
    render(&PrintPage {
        report: Report::new(read.period, &read.figures),
        centre_name: read.centre_name,
        centre_address: read.centre_address,
        printed_at: dates::format_moment(state.clock.now()),
        printed_by: format!("{} ({})", user.full_name, user.role.label()),
    })
}

/// `GET /reports/effectiveness.csv` and `.xlsx`: audited like every export.
async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
    format: Format,
) -> Result<Response> {
    let read = match open(&state, &user, query, Purpose::Export(format)).await? {
        Ok(read) => read,
        Err(refused) => return Ok(refused),
    };
    let centre = if read.centre_address.is_empty() {
        read.centre_name
    } else {
        format!("{}, {}", read.centre_name, read.centre_address)
    };
    let period = read.period;
    let sheet = tables::sheet(&tables::tables(&read.figures), period, &centre);
    let stem = format!(
        "efektywnosc-{}-{}-stan-{}",
        dates::iso(period.from),
        dates::iso(period.to),
        dates::iso(period.as_at)
    );
    export::download(&sheet, format, &stem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn query(from: &str, to: &str, as_at: &str) -> ReportQuery {
        ReportQuery {
            from: from.into(),
            to: to.into(),
            as_at: as_at.into(),
        }
    }

    #[test]
    fn nothing_given_is_the_last_full_year_as_at_yesterday() {
        let (form, period) = read_form(ReportQuery::default(), date!(2026 - 12 - 01));
        assert_eq!(
            period,
            Some(Period {
                from: date!(2025 - 01 - 01),
                to: date!(2025 - 12 - 31),
                as_at: date!(2026 - 11 - 30),
            })
        );
        assert!(form.errors.is_empty());
        // On New Year's Day yesterday is the end of the year reported.
        let (_, period) = read_form(ReportQuery::default(), date!(2027 - 01 - 01));
        assert_eq!(period.map(|p| p.as_at), Some(date!(2026 - 12 - 31)));
    }

    #[test]
    fn as_at_today_or_later_is_refused_and_yesterday_accepted() {
        let today = date!(2026 - 12 - 01);
        for as_at in ["2026-12-01", "2026-12-02"] {
            let (form, period) = read_form(query("2025-01-01", "2025-12-31", as_at), today);
            assert!(period.is_none(), "{as_at}");
            assert!(
                form.errors
                    .field("as_at")
                    .is_some_and(|m| m.starts_with("Stan na dzień musi być dniem, który już minął")),
                "{as_at}"
            );
            assert_eq!(form.as_at, as_at);
        }
        let (_, period) = read_form(query("2025-01-01", "2025-12-31", "2026-11-30"), today);
        assert!(period.is_some());
    }

    #[test]
    fn a_period_backwards_in_the_future_or_malformed_is_refused_and_kept() {
        let today = date!(2026 - 12 - 01);
        let (form, period) = read_form(query("2025-12-31", "2025-01-01", "2026-01-01"), today);
        assert!(period.is_none());
        assert!(form.errors.field("to").is_some());
        assert_eq!(form.from, "2025-12-31");
        let (form, _) = read_form(query("2025-01-01", "2025-12-31", "2026-12-02"), today);
        assert!(form.errors.field("as_at").is_some());
        let (form, _) = read_form(query("2025-01-01", "2025-12-31", "2025-06-30"), today);
        assert!(form.errors.field("as_at").is_some());
        let (form, _) = read_form(query("2025-13-01", "x", ""), today);
        assert_eq!(form.errors.len(), 3);
    }
}
