//! The authorization matrix's entries for workshops' attendance and the monthly benefit (the
//! matrix itself, and the one test over every route, are in `authz_matrix.rs`). The fixture:
//! a workshop of each centre run by its instructor, with the centre's participant as a member
//! (of socjalny1's caseload in the first centre); `{day}` is the last working day, `{month}`
//! the month before this one (ended, not closed).

use teczka::domain::Role;

use crate::authz_matrix::{Principal, Scope, manager_only, participant_in_scope};

/// What a principal gets from an attendance or benefit route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, scope: Scope) -> Option<u16> {
    // Who keeps a group's attendance: the manager, the social workers, its instructor; the
    // psychologist and the career advisor are refused (403); the administrator never enters
    // (the gate: 403); another centre's workshop does not exist (404).
    let keepers = |ok: u16| match (who, scope) {
        (Principal::Staff(Role::Admin | Role::Dpo), _) => 403,
        (Principal::Staff(_), Scope::Other) => 404,
        (Principal::Staff(Role::Manager | Role::SocialWorker | Role::Instructor), Scope::Own) => ok,
        (Principal::Staff(_), Scope::Own) => 403,
        _ => 303,
    };
    // The manager's steps on one participant's month: another centre's participant is not
    // found; everyone else is refused before anything is looked up.
    let manager_on_participant = |ok: u16| match (who, scope) {
        (Principal::Staff(Role::Manager), Scope::Own) => ok,
        (Principal::Staff(Role::Manager), Scope::Other) => 404,
        (Principal::Staff(_), _) => 403,
        _ => 303,
    };
    Some(match (method, path) {
        // The list of groups: the instructor with one group goes straight to today's list.
        ("GET", "/attendance") => match who {
            Principal::Staff(Role::Instructor) => 303,
            Principal::Staff(Role::Manager | Role::SocialWorker) => 200,
            Principal::Staff(_) => 403,
            _ => 303,
        },
        (
            "GET",
            "/attendance/{workshop}/{day}"
            | "/attendance/{workshop}/month/{month}"
            | "/attendance/{workshop}/month/{month}/print",
        ) => keepers(200),
        // Posted without its lines: the group has a member, so "the group changed" (422).
        ("POST", "/attendance/{workshop}/{day}") => keepers(422),
        // One participant's calendar: whoever opens the file.
        ("GET", "/participants/{id}/attendance") => {
            participant_in_scope(who, scope, crate::authz_matrix::WORKERS, 200)
        }
        ("GET", "/benefits" | "/benefits/{month}") => manager_only(who, 200),
        // Closing asks first (the confirmation page); reopening and recomputing without a
        // reason are refused with the message (and the closed state is not there anyway).
        ("POST", "/benefits/{month}/close") => manager_only(who, 200),
        ("POST", "/benefits/{month}/reopen" | "/benefits/{month}/recompute") => {
            manager_only(who, 422)
        }
        // A participant's statement: the manager and the caseworker.
        ("GET", "/benefits/{month}/{id}" | "/benefits/{month}/{id}/print") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 200)
        }
        ("GET", "/benefits/{month}/{id}/bonus") => manager_on_participant(200),
        ("POST", "/benefits/{month}/{id}/bonus") => manager_on_participant(422),
        _ => return None,
    })
}
