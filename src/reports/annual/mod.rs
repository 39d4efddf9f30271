//! The annual report to the voivode (art. 5 of the act on social employment; due by 31 March,
//! issue 13): for a chosen year, "as at" a chosen day, the figures computed from the data
//! (`figures`, read by `db` the way the effectiveness report reads "as at"), the texts the data
//! cannot give (the financial plan, the forecast, remarks) filled in by hand, saved together as
//! a dated version; a version shows, prints (A4) and downloads (CSV, XLSX) exactly the figures
//! it saved, and two versions of a year compare figure by figure and text by text (`version`).
//!
//! Invariants: the same year and "as at" day give the same figures later, whatever arrives
//! meanwhile; counts of fewer than 5 participants show as "<5" everywhere (`tables`); every
//! read of figures (the preview, a version, its print, its download) is audited in the
//! transaction that reads them, and saving a version is audited with it.

mod db;
mod figures;
mod inbox;
mod tables;
mod version;

pub use inbox::inbox_items;

/// Whether the centre has a version of `year` (the demo adds its own only once).
pub use db::has_version;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use sqlx::PgConnection;
use time::{Date, Month};
use uuid::Uuid;

use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target, report_categories};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render_with_status};
use crate::web::route::Route;
use db::YearAsAt;
use figures::Figures;

const PATH: &str = "/reports/annual";
const TITLE: &str = "Sprawozdanie roczne";

/// The longest hand-filled text (characters; the table checks the same).
const TEXT_MAX: usize = 4000;

/// The report's routes.
pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get(PATH, Gate::ParticipantWork, page),
        Route::post(PATH, Gate::ParticipantWork, save),
    ];
    routes.extend(version::routes());
    routes
}

/// `?year=2025&as_at=2026-01-31` (empty: the last year, as at yesterday).
#[derive(Debug, Default, Clone, Deserialize)]
struct ReportQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    as_at: String,
}

/// The version's form as posted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionInput {
    #[serde(default)]
    year: String,
    #[serde(default)]
    as_at: String,
    #[serde(default)]
    financial_plan: String,
    #[serde(default)]
    forecast: String,
    #[serde(default)]
    remarks: String,
}

/// The year and "as at" day of `year` and `as_at` as typed (empty: the last year as at
/// yesterday), or the messages. The year must have ended; "as at" is a day that has ended (as
/// in the effectiveness report: today's data still changes) and not before the year's last day.
fn read_year(year: &str, as_at: &str, today: Date, errors: &mut FieldErrors) -> Option<YearAsAt> {
    let last_year = today.year() - 1;
    let year = if year.trim().is_empty() {
        Ok(last_year)
    } else {
        year.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=9999).contains(y))
            .ok_or_else(|| "Wpisz rok czterema cyframi, np. 2025.".to_owned())
            .and_then(|y| {
                if y > last_year {
                    Err(format!(
                        "Sprawozdanie składa się za rok, który już się skończył – najpóźniej za {last_year}."
                    ))
                } else {
                    Ok(y)
                }
            })
    };
    let year = errors.take("year", year);
    let yesterday = today.previous_day().unwrap_or(today);
    let as_at = if as_at.trim().is_empty() {
        Ok(yesterday)
    } else {
        dates::parse(as_at)
    };
    let as_at = errors.take("as_at", as_at)?;
    let year = year?;
    let from = Date::from_calendar_date(year, Month::January, 1).ok()?;
    let to = Date::from_calendar_date(year, Month::December, 31).ok()?;
    if as_at >= today {
        errors.add(
            "as_at",
            "Stan na dzień musi być dniem, który już minął (najpóźniej wczoraj) – dane z dzisiaj \
             mogą się jeszcze zmienić, więc sprawozdania nie dałoby się potem odtworzyć.",
        );
        return None;
    }
    if as_at < to {
        errors.add(
            "as_at",
            format!(
                "Stan na dzień nie może być wcześniejszy niż koniec roku sprawozdawczego ({}).",
                dates::format(to)
            ),
        );
        return None;
    }
    Some(YearAsAt {
        year,
        from,
        to,
        as_at,
    })
}

/// The hand-filled texts, checked: (financial plan, forecast, remarks).
fn read_texts(input: &VersionInput, errors: &mut FieldErrors) -> Option<[String; 3]> {
    let plan = errors.take(
        "financial_plan",
        validate::optional_text(&input.financial_plan, TEXT_MAX),
    );
    let forecast = errors.take(
        "forecast",
        validate::optional_text(&input.forecast, TEXT_MAX),
    );
    let remarks = errors.take("remarks", validate::optional_text(&input.remarks, TEXT_MAX));
    Some([
        plan?.unwrap_or_default(),
        forecast?.unwrap_or_default(),
        remarks?.unwrap_or_default(),
    ])
}

/// The figures of the year as at its day, read in `db` (a repeatable-read transaction).
async fn compute(db: &mut PgConnection, centre_id: Uuid, y: YearAsAt) -> Result<Figures> {
    let start = dates::polish_midnight(y.from);
    let end = dates::polish_midnight(y.to.next_day().unwrap_or(y.to));
    let changes = db::role_changes(db, centre_id, y.as_at).await?;
    let toggles = db::toggles(db, centre_id, y.as_at).await?;
    let (staff, staff_total) = figures::staff(start, end, &changes, &toggles);
    let in_year = db::in_year(db, centre_id, y).await?;
    let categories: Vec<_> = in_year.iter().map(|p| p.categories.clone()).collect();
    let (by_category, participants) = figures::categories(&categories);
    let period = crate::reports::figures::Period {
        from: y.from,
        to: y.to,
        as_at: y.as_at,
    };
    let moved = crate::reports::db::moved(db, centre_id, period).await?;
    let movement = figures::movement(y.from, y.to, &moved);
    let working = db::working_at_contact(db, centre_id, y).await?;
    let ids: Vec<Uuid> = in_year.iter().map(|p| p.participant_id).collect();
    let present = db::presence(db, centre_id, &ids, y).await?;
    let plans = db::plans(db, centre_id, y).await?;
    let (services, service_people, service_minutes) = figures::services(&present, &plans);
    let [benefit, bonus, benefit_corrections, bonus_corrections] =
        db::paid(db, centre_id, y).await?;
    Ok(Figures {
        staff,
        staff_total,
        by_category,
        participants,
        admitted: movement.admitted,
        by_outcome: movement.by_outcome,
        graduated: movement.graduated,
        by_reason: movement.by_reason,
        terminated: movement.terminated,
        independent_at_follow_up: figures::independent_at_follow_up(
            &movement.independent_at_graduation,
            &working,
        ),
        independent_at_graduation: movement.independent_at_graduation.len() as i64,
        services,
        service_people,
        service_minutes,
        benefit,
        bonus,
        benefit_corrections,
        bonus_corrections,
    })
}

/// Computes the figures of `y` and saves them with `texts` (financial plan, forecast, remarks)
/// as the year's next version: the open transaction that wrote it, for the caller's audit row
/// and commit, with the version's id and number.
async fn prepare(
    pool: &sqlx::PgPool,
    centre_id: Uuid,
    prepared_by: Uuid,
    y: YearAsAt,
    texts: [&str; 3],
) -> Result<(sqlx::Transaction<'static, sqlx::Postgres>, Uuid, i32)> {
    // The figures from one snapshot (they must agree with each other), read in a transaction
    // of their own; the version is written in the next, READ COMMITTED as every write to a
    // table the work generation watches must be (migration 0041).
    let mut snapshot = pool.begin().await?;
    sqlx::query!("set transaction isolation level repeatable read, read only")
        .execute(&mut *snapshot)
        .await?;
    let f = compute(&mut snapshot, centre_id, y).await?;
    snapshot.commit().await?;
    let figures = serde_json::to_value(&f).map_err(anyhow::Error::from)?;
    let mut db = pool.begin().await?;
    let [financial_plan, forecast, remarks] = texts;
    let (id, number) = db::save(
        &mut db,
        centre_id,
        prepared_by,
        db::NewVersion {
            year: y.year,
            as_at: y.as_at,
            figures,
            financial_plan,
            forecast,
            remarks,
        },
    )
    .await?;
    Ok((db, id, number))
}

/// The demo's versions (`demo`): saves a version of `year` as at `as_at` for `centre_id`,
/// computed by the same code as the manager's, in a transaction of its own. `None` when the
/// year and day are not a valid pair on `today`.
pub async fn demo_version(
    pool: &sqlx::PgPool,
    centre_id: Uuid,
    prepared_by: Uuid,
    (year, as_at, today): (i32, Date, Date),
    texts: [&str; 3],
) -> Result<Option<i32>> {
    let mut errors = FieldErrors::new();
    let Some(y) = read_year(&year.to_string(), &dates::iso(as_at), today, &mut errors) else {
        return Ok(None);
    };
    let (tx, _, number) = prepare(pool, centre_id, prepared_by, y, texts).await?;
    tx.commit().await?;
    Ok(Some(number))
}

/// Begins a transaction that reads one snapshot (the figures must agree with each other). It
/// may write the audit log, not a table the work generation watches (migration 0041).
async fn snapshot(pool: &sqlx::PgPool) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = pool.begin().await?;
    sqlx::query!("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// "2025, stan na 31.01.2026".
fn year_text(year: i32, as_at: Date) -> String {
    format!("{year}, stan na {}", dates::format(as_at))
}

/// A version as the list shows it.
struct ListedView {
    href: String,
    title: String,
    prepared: String,
}

/// The figures shown before saving.
struct Preview {
    title: String,
    tables: Vec<crate::reports::tables::Table>,
}

#[derive(Template)]
#[template(path = "reports/annual.html")]
struct AnnualPage {
    layout: Layout,
    year: String,
    as_at: String,
    financial_plan: String,
    forecast: String,
    remarks: String,
    errors: FieldErrors,
    preview: Option<Preview>,
    versions: Vec<ListedView>,
    note: &'static str,
}

/// The page: the year's form, the figures of a valid one (audited), the texts' form and the
/// saved versions.
async fn show(
    state: &AppState,
    user: &CurrentUser,
    input: VersionInput,
    mut errors: FieldErrors,
) -> Result<Response> {
    // A save refused has checked the year already (the same messages): keep its own.
    let mut year_errors = FieldErrors::new();
    let y = read_year(&input.year, &input.as_at, state.today(), &mut year_errors);
    if errors.is_empty() {
        errors = year_errors;
    }
    let mut tx = snapshot(&state.db).await?;
    let preview = match y {
        Some(y) => {
            let event = AuditEvent::new("annual_report.view", Outcome::Success)
                .by(user.audit_actor())
                .on("centre", user.centre_id)
                .detail(format!("annual {} as_at {}", y.year, dates::iso(y.as_at)));
            audit::record_read(&mut *tx, &user.meta, event).await?;
            let f = compute(&mut tx, user.centre_id, y).await?;
            Some(Preview {
                title: year_text(y.year, y.as_at),
                tables: tables::tables(&f, &report_categories(user.role)),
            })
        }
        None => None,
    };
    let versions = db::versions(&mut *tx, user.centre_id).await?;
    tx.commit().await?;
    let year = match y {
        Some(y) => y.year.to_string(),
        None => input.year,
    };
    let as_at = match y {
        Some(y) => dates::iso(y.as_at),
        None => input.as_at,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AnnualPage {
        layout: Layout::for_user(state, user, TITLE, PATH),
        year,
        as_at,
        financial_plan: input.financial_plan,
        forecast: input.forecast,
        remarks: input.remarks,
        errors,
        preview,
        versions: versions
            .into_iter()
            .map(|v| ListedView {
                href: format!("{PATH}/{}", v.annual_report_id),
                title: format!("Za {} – wersja {}", year_text(v.year, v.as_at), v.version),
                prepared: format!("{}, {}", v.prepared_by, dates::format_moment(v.prepared_at)),
            })
            .collect(),
        note: crate::reports::tables::SUPPRESSION_NOTE,
    };
    render_with_status(status, &page)
}

/// `GET /reports/annual`.
async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::ViewAnnualReport, Target::Centre)
        .await?;
    let input = VersionInput {
        year: query.year,
        as_at: query.as_at,
        ..VersionInput::default()
    };
    show(&state, &user, input, FieldErrors::new()).await
}

/// `POST /reports/annual`: saves a version (the figures computed now, the texts as typed).
async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(input): SecureForm<VersionInput>,
) -> Result<Response> {
    user.authorize(&state, Action::PrepareAnnualReport, Target::Centre)
        .await?;
    let mut errors = FieldErrors::new();
    let y = read_year(&input.year, &input.as_at, state.today(), &mut errors);
    let texts = read_texts(&input, &mut errors);
    let (Some(y), Some([financial_plan, forecast, remarks]), true) = (y, texts, errors.is_empty())
    else {
        return show(&state, &user, input, errors).await;
    };
    let (tx, id, number) = prepare(
        &state.db,
        user.centre_id,
        user.user_id,
        y,
        [&financial_plan, &forecast, &remarks],
    )
    .await?;
    let event = AuditEvent::new("annual_report.save", Outcome::Success)
        .on("annual_report", id)
        .detail(format!(
            "annual {} version {number} as_at {}",
            y.year,
            dates::iso(y.as_at)
        ));
    let message = format!(
        "Zapisano wersję {number} sprawozdania za {}.",
        year_text(y.year, y.as_at)
    );
    finish(tx, &user, event, &message, &format!("{PATH}/{id}")).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn check(year: &str, as_at: &str) -> (Option<YearAsAt>, FieldErrors) {
        let mut errors = FieldErrors::new();
        let y = read_year(year, as_at, date!(2026 - 03 - 10), &mut errors);
        (y, errors)
    }

    #[test]
    fn the_year_must_have_ended_and_as_at_must_be_a_past_day_after_it() {
        let (y, errors) = check("", "");
        assert!(errors.is_empty());
        assert_eq!(
            y.map(|y| (y.year, y.as_at)),
            Some((2025, date!(2026 - 03 - 09)))
        );
        let (y, _) = check("2025", "2025-12-31");
        assert_eq!(y.map(|y| y.to), Some(date!(2025 - 12 - 31)));
        let (y, errors) = check("2026", "2026-03-01");
        assert!(y.is_none());
        assert_eq!(
            errors.field("year"),
            Some("Sprawozdanie składa się za rok, który już się skończył – najpóźniej za 2025.")
        );
        let (_, errors) = check("2025", "2025-12-30");
        assert_eq!(
            errors.field("as_at"),
            Some(
                "Stan na dzień nie może być wcześniejszy niż koniec roku sprawozdawczego (31.12.2025)."
            )
        );
        let (_, errors) = check("2025", "2026-03-10");
        assert!(
            errors
                .field("as_at")
                .is_some_and(|m| m.starts_with("Stan na dzień musi być dniem, który już minął"))
        );
        let (_, errors) = check("20x5", "31.02.2026");
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn texts_over_4000_characters_are_refused() {
        let mut errors = FieldErrors::new();
        let input = VersionInput {
            remarks: "a".repeat(4001),
            ..VersionInput::default()
        };
        assert!(read_texts(&input, &mut errors).is_none());
        assert_eq!(
            errors.field("remarks"),
            Some("Najwyżej 4000 znaków (wpisano 4001).")
        );
    }
}
