//! The data-protection officer's tools (issue 13, item 1): the centre's audit log, searchable
//! by participant, staff member, action, outcome and period, newest first a page at a time
//! (`search`), exported as CSV, and the reports built on it (`reports`): files opened outside
//! the caseload, unusual days, refusals, exports and prints.
//!
//! Invariants: only the DPO's own centre (`audit_event.centre_id`); the DPO sees who did what
//! to whose file and when, never the file's content: a row shows the action's Polish label,
//! the object's kind, the participant's name and, for a file view, which parts of the file it
//! showed (never the event's free-text detail); every page, report and export is itself
//! audited (`audit.search`, `audit.report`, `audit.export`) in the statement or transaction
//! that reads it.

mod db;
mod reports;
mod search;

use time::{Date, Duration};
use uuid::Uuid;

use crate::audit::labels;
use crate::auth::policy::Gate;
use crate::domain::Role;
use crate::validate::dates;
use crate::web::forms::FieldErrors;
use crate::web::route::Route;

/// The audit log's routes: a collection of the centre for any signed-in staff member; the
/// policy lets in the DPO alone (others 403).
pub fn routes() -> Vec<Route> {
    vec![
        Route::get(search::PATH, Gate::Staff, search::page),
        Route::get("/audit.csv", Gate::Staff, search::export).export(),
        Route::get(reports::PATH, Gate::Staff, reports::page),
    ]
}

/// The outcomes, as the select and the rows name them.
const OUTCOMES: [(&str, &str); 3] = [
    ("success", "powodzenie"),
    ("failure", "niepowodzenie"),
    ("denied", "odmowa"),
];

fn outcome_label(code: &str) -> &str {
    OUTCOMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| *l)
}

/// The kind of object an event acted on, in Polish.
fn object_label(code: &str) -> &str {
    match code {
        "participant" => "teczka uczestnika",
        "document" => "dokument",
        "opinion" => "opinia",
        "workshop" => "pracownia",
        "staff_user" => "konto pracownika",
        "centre" => "ośrodek",
        "follow_up" => "kontakt po ukończeniu",
        other => other,
    }
}

/// A period as typed (`from`, `to`: dates, both days included); both empty: the last 30 days.
#[derive(Debug, Clone)]
struct Period {
    from: String,
    to: String,
}

impl Period {
    fn new(from: &str, to: &str, today: Date) -> Self {
        if from.trim().is_empty() && to.trim().is_empty() {
            Self {
                from: dates::iso(today - Duration::days(30)),
                to: dates::iso(today),
            }
        } else {
            Self {
                from: from.trim().to_owned(),
                to: to.trim().to_owned(),
            }
        }
    }

    /// The first and last day, or the errors (Polish) on `from` and `to`.
    fn parse(&self, errors: &mut FieldErrors) -> Option<(Date, Date)> {
        let first = errors.take("from", dates::parse(&self.from));
        let last = errors.take("to", dates::parse(&self.to));
        let (first, last) = (first?, last?);
        if first > last {
            errors.add("to", "Koniec okresu nie może być przed jego początkiem.");
            return None;
        }
        Some((first, last))
    }
}

/// One event as a page and the export show it.
struct Line {
    audit_event_id: i64,
    when: String,
    actor_id: Option<Uuid>,
    actor: String,
    role: &'static str,
    action: String,
    outcome: String,
    object: String,
    participant_id: Option<Uuid>,
    participant: String,
    /// Which parts of a file a view showed, or "wydruk"; never the detail's free text.
    scope: String,
}

impl From<db::Event> for Line {
    fn from(e: db::Event) -> Self {
        let detail = e.detail.as_deref().unwrap_or_default();
        let scope = if e.action == "participant.view" {
            crate::participants::viewed_parts(detail)
        } else if detail.starts_with("print") {
            "wydruk".to_owned()
        } else {
            String::new()
        };
        Line {
            audit_event_id: e.audit_event_id,
            when: dates::format_moment(e.occurred_at),
            actor_id: e.actor_id,
            actor: e.actor.unwrap_or_else(|| "–".to_owned()),
            role: e.actor_role.map_or("", Role::label),
            action: labels::label_or_code(&e.action).to_owned(),
            outcome: outcome_label(&e.outcome).to_owned(),
            object: e.object_type.as_deref().map_or("", object_label).to_owned(),
            participant_id: e.participant_id,
            participant: e.participant.unwrap_or_default(),
            scope,
        }
    }
}

/// The search's address for these filters (a report's row links to it).
fn search_link(
    participant: Option<Uuid>,
    staff: Option<Uuid>,
    action: &str,
    outcome: &str,
    from: Date,
    to: Date,
) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(p) = participant {
        query.append_pair("participant", &p.to_string());
    }
    if let Some(s) = staff {
        query.append_pair("staff", &s.to_string());
    }
    if !action.is_empty() {
        query.append_pair("action", action);
    }
    if !outcome.is_empty() {
        query.append_pair("outcome", outcome);
    }
    query.append_pair("from", &dates::iso(from));
    query.append_pair("to", &dates::iso(to));
    format!("{}?{}", search::PATH, query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::Action;

    #[test]
    fn every_policy_action_has_a_polish_label() {
        for action in Action::ALL {
            assert!(
                labels::label(action.code()).is_some(),
                "{} has no label in audit::labels",
                action.code()
            );
        }
    }

    #[test]
    fn outcomes_and_objects_are_named_in_polish() {
        assert_eq!(outcome_label("denied"), "odmowa");
        assert_eq!(object_label("participant"), "teczka uczestnika");
        assert_eq!(object_label("something"), "something");
    }
}
