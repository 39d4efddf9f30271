//! "Kto przeglądał teczkę": who opened a participant's file, when (Polish local time) and
//! which parts it showed them, newest first, a page at a time. The manager's (the field
//! table's `FileAudit`); reading it is audited like any read of the file. The other way round
//! (`staff_log`, "Rejestr dostępu"): which files one staff member opened in a period.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::access;
use super::db::access_log::{self, PAGE, Whose};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Field, Target};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render, render_with_status};
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
pub fn parts(detail: &str) -> String {
    let name = |code: &str| -> String {
        match code {
            "identity" => "imię, nazwisko i status".to_owned(),
            "edit_form" => "formularz edycji danych".to_owned(),
            "edit_conflict" => "porównanie zmian przy edycji".to_owned(),
            "correction_form" => "formularz korekty notatki:".to_owned(),
            "opinions" => "lista opinii do IPZS".to_owned(),
            "opinion" => "opinia do IPZS".to_owned(),
            "opinion_draft" => "szkic własnej opinii".to_owned(),
            "opinion_author" => "własna opinia".to_owned(),
            "opinion_status" => "stan opinii (bez treści)".to_owned(),
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
    let mut entries =
        access_log::entries(&state.db, Whose::File(id), before, &user.meta, event).await?;
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

/// `?staff=&from=&to=&before=`: whose views, in which period (dates, both days included).
#[derive(Debug, Default, Deserialize)]
pub(super) struct StaffLogQuery {
    #[serde(default)]
    staff: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

/// One file opened, as the staff log shows it.
struct Opened {
    when: String,
    participant_id: Uuid,
    participant: String,
    parts: String,
}

#[derive(Template)]
#[template(path = "participants/staff_log.html")]
struct StaffLogPage {
    layout: Layout,
    staff: Vec<Choice>,
    from: String,
    to: String,
    errors: FieldErrors,
    /// The staff member chosen (their name), once the form is filled in.
    whose: Option<String>,
    lines: Vec<Opened>,
    older: Option<String>,
    first_page: bool,
}

impl StaffLogPage {
    /// The chosen staff member's id (the next page's link).
    fn staff_id(&self) -> &str {
        self.staff
            .iter()
            .find(|c| c.selected)
            .map_or("", |c| c.value.as_str())
    }
}

/// `GET /access-log`: which files one staff member opened in a period (the manager's).
pub(super) async fn staff_log(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<StaffLogQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::ViewStaffAccessLog, Target::Centre)
        .await?;
    let today = state.today();
    let people = crate::users::staff_choices(&state.db, user.centre_id).await?;
    let (from, to) = if query.from.is_empty() && query.to.is_empty() {
        (
            dates::iso(today - time::Duration::days(30)),
            dates::iso(today),
        )
    } else {
        (query.from.clone(), query.to.clone())
    };
    let mut errors = FieldErrors::new();
    let chosen = match query.staff.as_str() {
        "" => None,
        raw => {
            let found = Uuid::parse_str(raw)
                .ok()
                .and_then(|id| people.iter().find(|(p, _, _)| *p == id));
            errors.take(
                "staff",
                found.ok_or_else(|| "Wybierz pracownika z listy.".to_owned()),
            )
        }
    };
    let first = errors.take("from", dates::parse(&from));
    let last = errors.take("to", dates::parse(&to));
    if let (Some(first), Some(last)) = (first, last)
        && first > last
    {
        errors.add("to", "Koniec okresu nie może być przed jego początkiem.");
    }
    let before = match query.before.as_str() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let mut page = StaffLogPage {
        layout: Layout::for_user(&state, &user, "Rejestr dostępu do teczek", "/access-log"),
        staff: people
            .iter()
            .map(|(id, name, role)| {
                Choice::new(
                    id.to_string(),
                    format!("{name} ({})", role.label()),
                    &query.staff,
                )
            })
            .collect(),
        from: from.clone(),
        to: to.clone(),
        errors: FieldErrors::new(),
        whose: None,
        lines: Vec::new(),
        older: None,
        first_page: before.is_none(),
    };
    let (Some((actor_id, name, _)), Some(first), Some(last), true) =
        (chosen, first, last, errors.is_empty())
    else {
        let status = if errors.is_empty() {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        };
        page.errors = errors;
        return render_with_status(status, &page);
    };
    let whose = Whose::Staff {
        centre_id: user.centre_id,
        actor_id: *actor_id,
        from: dates::polish_midnight(first),
        until: dates::polish_midnight(last + time::Duration::days(1)),
    };
    // Reading who opened which files is itself a read of the audit log: audited.
    let event = AuditEvent::new(Action::ViewStaffAccessLog.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("staff_user", *actor_id)
        .detail(format!("{from}..{to}"));
    let mut entries = access_log::entries(&state.db, whose, before, &user.meta, event).await?;
    let older = (entries.len() as i64 > PAGE).then(|| {
        entries.truncate(PAGE as usize);
        entries.last().map(|e| e.audit_event_id.to_string())
    });
    page.whose = Some(name.clone());
    page.older = older.flatten();
    page.lines = entries
        .into_iter()
        .map(|e| Opened {
            when: dates::format_moment(e.occurred_at),
            participant_id: e.participant_id,
            participant: e.participant.unwrap_or_default(),
            parts: parts(e.detail.as_deref().unwrap_or_default()),
        })
        .collect();
    render(&page)
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
        assert_eq!(
            parts("opinion,opinion.psychologist,opinion.psychologist.health"),
            "opinia do IPZS, opinia psychologa, opinia psychologa – zdrowie"
        );
    }
}
