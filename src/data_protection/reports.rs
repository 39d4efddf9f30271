//! "Raporty ochrony danych": for a chosen period, on one page, the files opened outside the
//! caseload, the staff members' days with an unusual number of files opened, the refused
//! actions, and the exports and prints. Each row links to the audit search narrowed to it.
//! Reading the page is audited (`audit.report`) in the transaction that reads it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;

use super::db::{self, Actions, Filter, REPORT_LIMIT};
use super::{Line, Period, search_link};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render_with_status};

pub(super) const PATH: &str = "/data-protection";

/// More distinct files than this opened by one person in one day is "unusual", unless the
/// page is asked for another threshold: a social worker's caseload is a few dozen people and
/// the manager rarely opens more than a handful of files a day.
pub(super) const DEFAULT_THRESHOLD: i64 = 25;

/// `?from=&to=&threshold=` (all empty: the last 30 days, the default threshold).
#[derive(Debug, Default, Deserialize)]
pub(super) struct ReportsQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    threshold: String,
}

/// A row of a section: the event as shown and the search narrowed to it.
struct Row {
    line: Line,
    href: String,
}

/// An unusual day.
struct Day {
    actor: String,
    role: &'static str,
    day: String,
    files: i64,
    href: String,
}

struct Sections {
    outside: Vec<Row>,
    busy: Vec<Day>,
    refused: Vec<Row>,
    exports: Vec<Row>,
}

#[derive(Template)]
#[template(path = "data_protection/reports.html")]
struct ReportsPage {
    layout: Layout,
    errors: FieldErrors,
    from: String,
    to: String,
    threshold: String,
    limit: i64,
    sections: Option<Sections>,
}

impl ReportsPage {
    /// Whether a section was cut at the limit.
    fn full(&self, rows: usize) -> bool {
        rows as i64 >= self.limit
    }
}

/// The day (Polish time) of an event.
fn day_of(at: time::OffsetDateTime) -> Date {
    dates::polish_time(at).date()
}

/// Rows of a section, each linking to the search of that day's events like it.
fn rows(events: Vec<db::Event>, outcome: &str) -> Vec<Row> {
    events
        .into_iter()
        .take(REPORT_LIMIT as usize)
        .map(|e| {
            let day = day_of(e.occurred_at);
            let href = search_link(e.participant_id, e.actor_id, &e.action, outcome, day, day);
            Row {
                line: Line::from(e),
                href,
            }
        })
        .collect()
}

/// `GET /audit/reports`.
pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportsQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::ViewAuditReports, Target::Centre)
        .await?;
    let mut errors = FieldErrors::new();
    let period = Period::new(&query.from, &query.to, state.today());
    let days = period.parse(&mut errors);
    let threshold_text = match query.threshold.trim() {
        "" => DEFAULT_THRESHOLD.to_string(),
        raw => raw.to_owned(),
    };
    let threshold = errors.take(
        "threshold",
        threshold_text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| "Podaj liczbę teczek od 1 do 500.".to_owned()),
    );
    let mut page = ReportsPage {
        layout: Layout::for_user(&state, &user, "Raporty ochrony danych", PATH),
        errors: FieldErrors::new(),
        from: period.from.clone(),
        to: period.to.clone(),
        threshold: threshold_text,
        limit: REPORT_LIMIT,
        sections: None,
    };
    let (Some((first, last)), Some(threshold), true) = (days, threshold, errors.is_empty()) else {
        page.errors = errors;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let base = Filter {
        centre_id: user.centre_id,
        participant: None,
        actor: None,
        actions: Actions::Any,
        outcome: None,
        from: dates::polish_midnight(first),
        until: dates::polish_midnight(last + time::Duration::days(1)),
    };
    let views = Filter {
        actions: Actions::One("participant.view"),
        outcome: Some("success"),
        ..base
    };
    let mut tx = state.db.begin().await?;
    let event = AuditEvent::new(Action::ViewAuditReports.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("centre", user.centre_id)
        .detail(format!(
            "{}..{} threshold={threshold}",
            period.from, period.to
        ));
    audit::record_read(&mut *tx, &user.meta, event).await?;
    let outside = db::outside_caseload(&mut tx, &views).await?;
    let busy = db::busy_days(&mut tx, &views, threshold).await?;
    let refused = db::events(
        &mut *tx,
        &Filter {
            outcome: Some("denied"),
            ..base
        },
        None,
        REPORT_LIMIT,
        None,
    )
    .await?;
    let exports = db::events(
        &mut *tx,
        &Filter {
            actions: Actions::ExportsAndPrints,
            outcome: Some("success"),
            ..base
        },
        None,
        REPORT_LIMIT,
        None,
    )
    .await?;
    tx.commit().await?;
    page.sections = Some(Sections {
        outside: outside
            .into_iter()
            .take(REPORT_LIMIT as usize)
            .map(|v| Row {
                href: search_link(
                    Some(v.participant_id),
                    v.actor_id,
                    "participant.view",
                    "",
                    v.day,
                    v.day,
                ),
                line: Line {
                    audit_event_id: 0,
                    when: dates::format_moment(v.occurred_at),
                    actor_id: v.actor_id,
                    actor: v.actor.unwrap_or_else(|| "–".to_owned()),
                    role: v.actor_role.map_or("", |r| r.label()),
                    action: String::new(),
                    outcome: String::new(),
                    object: String::new(),
                    participant_id: Some(v.participant_id),
                    participant: v.participant.unwrap_or_default(),
                    scope: String::new(),
                },
            })
            .collect(),
        busy: busy
            .into_iter()
            .take(REPORT_LIMIT as usize)
            .map(|d| Day {
                actor: d.actor.unwrap_or_else(|| "–".to_owned()),
                role: d.actor_role.map_or("", |r| r.label()),
                day: dates::format(d.day),
                files: d.files,
                href: search_link(None, Some(d.actor_id), "participant.view", "", d.day, d.day),
            })
            .collect(),
        refused: rows(refused, "denied"),
        exports: rows(exports, "success"),
    });
    render_with_status(StatusCode::OK, &page)
}
