//! "Kto przeglądał teczkę": who opened a participant's file, when (Polish local time) and
//! which parts it showed them, newest first, a page at a time. The manager's (the field
//! table's `FileAudit`); reading it is audited like any read of the file.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::access;
use super::db::access_log::{self, PAGE};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Field};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};
use crate::web::path::IdPath;

/// `?before=` the cursor: the id of the last view of the previous page.
#[derive(Debug, Default, Deserialize)]
pub(super) struct LogQuery {
    #[serde(default)]
    before: String,
}

/// One line of the log, as shown.
struct Line {
    when: String,
    viewer: String,
    role: &'static str,
    parts: String,
}

#[derive(Template)]
#[template(path = "participants/access_log.html")]
struct LogPage {
    layout: Layout,
    id: Uuid,
    name: String,
    lines: Vec<Line>,
    /// The cursor of the next (older) page.
    older: Option<i64>,
    first_page: bool,
}

/// The parts a view showed, in Polish ("dane osobowe, kontakt, …"); unknown codes as stored.
fn parts(detail: &str) -> String {
    let name = |code: &str| -> String {
        match code {
            "identity" => "imię, nazwisko i status".to_owned(),
            "edit_form" => "formularz edycji danych".to_owned(),
            "edit_conflict" => "porównanie zmian przy edycji".to_owned(),
            code => {
                Field::from_code(code).map_or_else(|| code.to_owned(), |f| f.label().to_owned())
            }
        }
    };
    // A print is a view whose parts begin with `print`.
    let (printed, detail) = match detail.strip_prefix("print,") {
        Some(rest) => (true, rest),
        None => (false, detail),
    };
    let parts = detail
        .split(',')
        .filter(|code| !code.is_empty())
        .map(name)
        .collect::<Vec<_>>()
        .join(", ");
    if printed {
        format!("wydruk: {parts}")
    } else {
        parts
    }
}

/// `GET /participants/{id}/access-log`.
pub(super) async fn access_log(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(query): Query<LogQuery>,
) -> Result<Response> {
    let before = match query.before.as_str() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let record = access::load(&state, &user, id, Action::ViewAccessLog).await?;
    let event = AuditEvent::new(Action::ViewAccessLog.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id);
    let mut entries = access_log::entries(&state.db, id, before, &user.meta, event).await?;
    let older = (entries.len() as i64 > PAGE).then(|| {
        entries.truncate(PAGE as usize);
        entries.last().map(|e| e.audit_event_id)
    });
    let lines = entries
        .into_iter()
        .map(|e| Line {
            when: dates::format_moment(e.occurred_at),
            viewer: e.viewer.unwrap_or_else(|| "–".to_owned()),
            role: e.role.map_or("", |r| r.label()),
            parts: parts(e.detail.as_deref().unwrap_or_default()),
        })
        .collect();
    render(&LogPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("Kto przeglądał teczkę: {}", record.name()),
            "/participants",
        ),
        id,
        name: record.name(),
        lines,
        older: older.flatten(),
        first_page: before.is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_named_in_polish() {
        assert_eq!(
            parts("identity,personal,categories.health,status_history"),
            "imię, nazwisko i status, dane osobowe, kategorie – zdrowie, historia statusu"
        );
        assert_eq!(parts(""), "");
        assert_eq!(
            parts("print,identity,contact"),
            "wydruk: imię, nazwisko i status, kontakt"
        );
        assert_eq!(parts("something_new"), "something_new");
    }
}
