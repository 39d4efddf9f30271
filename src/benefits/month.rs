//! The manager's month: every participant's benefit and bonus (frozen once the month is
//! closed, computed live before), the warnings, the corrections, and the actions of the close.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use time::Date;
use uuid::Uuid;

use super::compute::{self, Computed};
use super::db::{self, Frozen, MonthState};
use crate::attendance::parse_month;
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::calendar;
use crate::domain::money::format_pln;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::validate::hours;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};

pub use crate::domain::calendar::month_code;

/// The month of a path, or 404.
pub fn path_month(text: &str) -> Result<Date> {
    parse_month(text).ok_or(AppError::NotFound)
}

/// One participant's line of the month.
pub struct Line {
    pub participant_id: Uuid,
    pub name: String,
    pub period: String,
    pub present: i64,
    pub hours: String,
    pub sick: i64,
    pub justified: i64,
    pub unjustified: i64,
    pub days_off: i64,
    pub benefit: String,
    pub bonus: String,
    pub warnings: Vec<String>,
}

fn count(e: &serde_json::Value, key: &str) -> i64 {
    e.get(key).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

fn text(e: &serde_json::Value, key: &str) -> String {
    e.get(key)
        .and_then(serde_json::Value::as_str)
        .and_then(|d| dates::parse(d).ok())
        .map(dates::format)
        .unwrap_or_default()
}

/// A live line.
fn live(c: &Computed, month: Date) -> Line {
    let e = db::explanation(c, month);
    line(
        c.person.participant_id,
        c.person.name(),
        &e,
        c.statement.benefit_grosze,
        c.statement.bonus_grosze,
    )
}

fn line(id: Uuid, name: String, e: &serde_json::Value, benefit: i64, bonus: i64) -> Line {
    Line {
        participant_id: id,
        name,
        period: format!("{} – {}", text(e, "from"), text(e, "to")),
        present: count(e, "present"),
        hours: hours::format(count(e, "minutes")),
        sick: count(e, "sick"),
        justified: count(e, "justified"),
        unjustified: count(e, "unjustified"),
        days_off: count(e, "days_off"),
        benefit: format_pln(benefit),
        bonus: format_pln(bonus),
        warnings: e
            .get("warnings")
            .and_then(serde_json::Value::as_array)
            .map(|w| {
                w.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A frozen line, named from the live computation's people (or the participant table).
fn frozen_line(f: &Frozen, name: String) -> Line {
    line(
        f.participant_id,
        name,
        &f.explanation,
        i64::from(f.benefit_grosze),
        i64::from(f.bonus_grosze),
    )
}

pub struct CorrectionLine {
    pub month: String,
    pub participant_id: Uuid,
    pub name: String,
    pub benefit: String,
    pub bonus: String,
    pub reason: String,
    pub at: String,
    pub list: String,
}

#[derive(Template)]
#[template(path = "benefits/month.html")]
pub struct MonthPage {
    pub layout: Layout,
    pub month: String,
    pub title: String,
    pub previous: String,
    pub next: String,
    pub state: String,
    pub closed: bool,
    /// The month has ended and may be closed.
    pub may_close: bool,
    pub lines: Vec<Line>,
    pub total_benefit: String,
    pub total_bonus: String,
    pub with_warnings: usize,
    /// Closed: how many people a recomputation now gives other amounts.
    pub changed: usize,
    pub corrections: Vec<CorrectionLine>,
    pub pending: i64,
    /// The 1 June whose revalued unemployment benefit is not entered yet, in words.
    pub revaluation: Option<String>,
    pub reason: String,
    pub errors: FieldErrors,
}

/// The state of the month in words.
pub fn describe(state: Option<&MonthState>, month: Date, today: Date) -> String {
    match state {
        Some(s) if s.closed => format!(
            "Miesiąc zamknięty {} przez: {} (wersja rozliczenia {}).",
            dates::format_moment(s.closed_at),
            s.closed_by,
            s.revision
        ),
        Some(s) => format!(
            "Miesiąc otwarty ponownie {} przez: {}. Powód: {}",
            s.reopened_at.map(dates::format_moment).unwrap_or_default(),
            s.reopened_by.clone().unwrap_or_default(),
            s.reopen_reason.clone().unwrap_or_default()
        ),
        None if calendar::month_end(month) < today => {
            "Miesiąc się skończył i czeka na zamknięcie.".to_owned()
        }
        None => "Miesiąc trwa – kwoty są wstępne i zmienią się z kolejnymi wpisami obecności."
            .to_owned(),
    }
}

/// Builds the month's page (`errors` and `reason` from a refused form).
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    month: Date,
    reason: String,
    errors: FieldErrors,
) -> Result<MonthPage> {
    let today = state.today();
    let mut conn = state.db.acquire().await?;
    let month_state = db::month_state(&mut *conn, user.centre_id, month).await?;
    let computed = compute::month(&mut conn, user.centre_id, month, today, None).await?;
    let closed = month_state.as_ref().is_some_and(|s| s.closed);
    let (lines, changed, totals) = match month_state.as_ref().filter(|s| s.closed) {
        Some(s) => {
            let frozen = db::frozen(&mut *conn, user.centre_id, month, s.revision, None).await?;
            let changed = db::differences(&frozen, &computed).len();
            let totals = frozen.iter().fold((0, 0), |(b, p), f| {
                (
                    b + i64::from(f.benefit_grosze),
                    p + i64::from(f.bonus_grosze),
                )
            });
            // Names from the participant table: someone whose dates were corrected out of the
            // month since the close is still named on its frozen list.
            let ids: Vec<Uuid> = frozen.iter().map(|f| f.participant_id).collect();
            let names = sqlx::query!(
                r#"select participant_id, surname || ' ' || first_names as "name!" from participant
                   where centre_id = $1 and participant_id = any($2)"#,
                user.centre_id,
                &ids
            )
            .fetch_all(&mut *conn)
            .await?;
            let name = |id: Uuid| {
                names
                    .iter()
                    .find(|n| n.participant_id == id)
                    .map(|n| n.name.clone())
                    .unwrap_or_default()
            };
            let mut lines: Vec<Line> = frozen
                .iter()
                .map(|f| frozen_line(f, name(f.participant_id)))
                .collect();
            lines.sort_by(|a, b| a.name.cmp(&b.name));
            (lines, changed, totals)
        }
        None => {
            let totals = computed.iter().fold((0, 0), |(b, p), c| {
                (b + c.statement.benefit_grosze, p + c.statement.bonus_grosze)
            });
            (computed.iter().map(|c| live(c, month)).collect(), 0, totals)
        }
    };
    let revaluation = super::rules::BenefitRules::load(&mut conn, user.centre_id)
        .await?
        .missing_revaluation(month)
        .map(calendar::day_in_words);
    let corrections = db::corrections(&mut *conn, user.centre_id, month).await?;
    let pending = db::pending_corrections(&mut *conn, user.centre_id).await?;
    drop(conn);
    let previous = month
        .previous_day()
        .map_or(month, |d| d.replace_day(1).unwrap_or(d));
    let next = calendar::month_end(month).next_day().unwrap_or(month);
    Ok(MonthPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Świadczenia: {}", calendar::month_title(month)),
            "/benefits",
        ),
        month: month_code(month),
        title: calendar::month_title(month),
        previous: month_code(previous),
        next: month_code(next),
        state: describe(month_state.as_ref(), month, today),
        closed,
        may_close: !closed && calendar::month_end(month) < today,
        with_warnings: lines.iter().filter(|l| !l.warnings.is_empty()).count(),
        lines,
        total_benefit: format_pln(totals.0),
        total_bonus: format_pln(totals.1),
        changed,
        corrections: corrections
            .into_iter()
            .map(|c| CorrectionLine {
                month: calendar::month_title(c.month),
                participant_id: c.participant_id,
                name: c.name,
                benefit: format_pln(i64::from(c.benefit_diff_grosze)),
                bonus: format_pln(i64::from(c.bonus_diff_grosze)),
                reason: c.reason,
                at: dates::format_moment(c.created_at),
                list: c.pup_month.map_or_else(
                    || "czeka na najbliższą listę".to_owned(),
                    |m| format!("lista za {}", calendar::month_title(m)),
                ),
            })
            .collect(),
        pending,
        revaluation,
        reason,
        errors,
    })
}

/// `GET /benefits/{month}`.
pub(super) async fn month_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
) -> Result<Response> {
    let month = path_month(&month)?;
    user.authorize(&state, Action::ManageBenefits, Target::Centre)
        .await?;
    // Every participant's amounts and absences: a read of their data, audited.
    let event = crate::audit::AuditEvent::new("benefit.month", crate::audit::Outcome::Success)
        .by(user.audit_actor())
        .detail(month_code(month));
    crate::audit::record_read(&state.db, &user.meta, event).await?;
    let page = page(&state, &user, month, String::new(), FieldErrors::new()).await?;
    render_with_status(axum::http::StatusCode::OK, &page)
}

/// A month of the index.
pub struct MonthRow {
    pub month: String,
    pub title: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "benefits/index.html")]
struct IndexPage {
    layout: Layout,
    months: Vec<MonthRow>,
    pending: i64,
}

/// `GET /benefits`: the last twelve months and their state.
pub(super) async fn index(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ManageBenefits, Target::Centre)
        .await?;
    let today = state.today();
    let mut month = today.replace_day(1).unwrap_or(today);
    let rows = sqlx::query!(
        "select month, closed, revision from benefit_month where centre_id = $1 and month > $2",
        user.centre_id,
        dates::add_months(month, -12)
    )
    .fetch_all(&state.db)
    .await?;
    let recorded = sqlx::query_scalar!(
        "select month from attendance_month where centre_id = $1 and month > $2",
        user.centre_id,
        dates::add_months(month, -12)
    )
    .fetch_all(&state.db)
    .await?;
    let mut months = Vec::new();
    for _ in 0..12 {
        let row = rows.iter().find(|r| r.month == month);
        let state = match row {
            Some(r) if r.closed => format!("zamknięty (wersja {})", r.revision),
            Some(_) => "otwarty ponownie".to_owned(),
            None if !recorded.contains(&month) => "bez wpisów obecności".to_owned(),
            None if calendar::month_end(month) < today => "do zamknięcia".to_owned(),
            None => "trwa".to_owned(),
        };
        months.push(MonthRow {
            month: month_code(month),
            title: calendar::month_title(month),
            state,
        });
        month = dates::add_months(month, -1);
    }
    let pending = db::pending_corrections(&state.db, user.centre_id).await?;
    render(&IndexPage {
        layout: Layout::for_user(&state, &user, "Świadczenia integracyjne", "/benefits"),
        months,
        pending,
    })
}
