//! `GET /follow-ups` ("Monitoring absolwentów"): a social worker's graduates, and for the manager
//! the whole centre's by social worker (with a filter by worker), split into overdue, due this
//! month and upcoming by each graduate's next open contact. Names only, no case data: the list
//! is not a read of a file, the graduate's timeline is (and is audited).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, Graduate, ListOf, WorkerCounts};
use super::due::{Bounds, DueState, in_words};
use super::schedule;
use crate::auth::policy::{Action, Target, follow_up_scope};
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};

/// Rows read at most (the earliest first); the counts are always whole.
const ROWS: i64 = 300;

/// `?worker=<id>`: the manager's filter by social worker.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    worker: String,
}

/// A graduate as listed.
struct Row {
    href: String,
    contact: String,
    name: String,
    worker: String,
    due: String,
    state: String,
    kind: &'static str,
    closer: bool,
}

/// One of the three lists.
struct Group {
    id: &'static str,
    heading: String,
    empty: &'static str,
    rows: Vec<Row>,
    /// Counted graduates beyond the rows read.
    more: i64,
}

/// A social worker's line of the manager's summary.
struct WorkerLine {
    name: String,
    href: Option<String>,
    overdue: i64,
    due: i64,
    upcoming: i64,
    current: bool,
}

#[derive(Template)]
#[template(path = "follow_ups/index.html")]
struct ListPage {
    layout: Layout,
    manager: bool,
    filtered: Option<String>,
    workers: Vec<WorkerLine>,
    groups: Vec<Group>,
    window_days: i32,
    today: String,
}

fn row(g: &Graduate, window_days: i32, today: time::Date) -> Row {
    Row {
        href: format!("/participants/{}/follow-ups", g.participant_id),
        contact: format!("/participants/{}/follow-ups/contact", g.participant_id),
        name: format!("{} {}", g.surname, g.first_names),
        worker: g
            .worker_name
            .clone()
            .unwrap_or_else(|| "nie przydzielono".to_owned()),
        due: dates::format(g.first_due),
        state: in_words(g.first_due, window_days, today),
        kind: g.kind.label(),
        closer: g.closer,
    }
}

/// `GET /follow-ups`.
pub(super) async fn list_follow_ups(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::ViewFollowUps, Target::Centre)
        .await?;
    let manager = user.role == Role::Manager;
    // Only the manager filters; anything that is not an id shows everyone.
    let worker = Uuid::parse_str(query.worker.trim())
        .ok()
        .filter(|_| manager);
    let today = state.today();
    let mut conn = state.db.acquire().await?;
    let timing = schedule::timing(&mut *conn, user.centre_id, today).await?;
    let bounds = Bounds::on(today, timing.window_days);
    let all = ListOf {
        centre_id: user.centre_id,
        scope: follow_up_scope(user.actor()),
        worker: None,
    };
    let counts = db::counts(&mut *conn, all, &bounds).await?;
    let of = ListOf { worker, ..all };
    let rows = db::graduates(&mut *conn, of, &bounds, ROWS).await?;
    drop(conn);
    let shown: Vec<&WorkerCounts> = counts
        .iter()
        .filter(|c| worker.is_none() || c.social_worker_id == worker)
        .collect();
    let total = |f: fn(&WorkerCounts) -> i64| shown.iter().map(|c| f(c)).sum::<i64>();
    let mut groups = vec![
        Group {
            id: "overdue",
            heading: format!("Zaległe ({})", total(|c| c.overdue)),
            empty: "Brak zaległych kontaktów.",
            rows: Vec::new(),
            more: total(|c| c.overdue),
        },
        Group {
            id: "due",
            heading: format!("Do wykonania w tym miesiącu ({})", total(|c| c.due)),
            empty: "W tym miesiącu nie ma terminów.",
            rows: Vec::new(),
            more: total(|c| c.due),
        },
        Group {
            id: "upcoming",
            heading: format!(
                "Najbliższe – do {} ({})",
                dates::format(bounds.horizon),
                total(|c| c.upcoming)
            ),
            empty: "Brak terminów w najbliższych trzech miesiącach.",
            rows: Vec::new(),
            more: total(|c| c.upcoming),
        },
    ];
    for g in &rows {
        let index = match bounds.group(g.first_due) {
            DueState::Overdue => 0,
            DueState::Due => 1,
            DueState::Upcoming => 2,
        };
        groups[index].rows.push(row(g, timing.window_days, today));
    }
    for group in &mut groups {
        group.more -= i64::try_from(group.rows.len()).unwrap_or(0);
    }
    let filtered = worker.map(|w| {
        counts
            .iter()
            .find(|c| c.social_worker_id == Some(w))
            .and_then(|c| c.worker_name.clone())
            .unwrap_or_else(|| "wybrany pracownik (brak absolwentów w monitoringu)".to_owned())
    });
    let workers = counts
        .iter()
        .map(|c| WorkerLine {
            name: c
                .worker_name
                .clone()
                .unwrap_or_else(|| "Bez pracownika socjalnego".to_owned()),
            href: c
                .social_worker_id
                .map(|w| format!("/follow-ups?worker={w}")),
            overdue: c.overdue,
            due: c.due,
            upcoming: c.upcoming,
            current: worker.is_some() && c.social_worker_id == worker,
        })
        .collect();
    render(&ListPage {
        layout: Layout::for_user(&state, &user, "Monitoring absolwentów", "/follow-ups"),
        manager,
        filtered,
        workers,
        groups,
        window_days: timing.window_days,
        today: dates::format(today),
    })
}
