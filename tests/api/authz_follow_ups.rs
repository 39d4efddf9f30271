//! The authorization matrix's entries for graduate follow-up (the matrix itself, and the one
//! test over every route, are in `authz_matrix.rs`). The fixture participant of each centre is
//! in the programme (of socjalny1's caseload in the first centre), not a graduate: its
//! follow-up page says so, and the follow-up forms refuse it (409) to those who keep
//! follow-ups.

use teczka::domain::Role;

use crate::authz_matrix::{Principal, Scope, manager_only, participant_in_scope};

/// Who keeps a graduate's follow-up: the manager and the caseworker.
const KEEPERS: &[Role] = &[Role::Manager, Role::SocialWorker];

/// What a principal gets from a follow-up route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, scope: Scope) -> Option<u16> {
    Some(match (method, path) {
        // The lists: the manager's centre, a social worker's caseload; the others are refused
        // (the administrator by the gate).
        ("GET", "/follow-ups") => match who {
            Principal::Staff(Role::Manager | Role::SocialWorker) => 200,
            Principal::Staff(_) => 403,
            _ => 303,
        },
        ("GET", "/participants/{id}/follow-ups") => participant_in_scope(who, scope, KEEPERS, 200),
        ("GET" | "POST", "/participants/{id}/follow-ups/contact")
        | (
            "POST",
            "/participants/{id}/follow-ups/extra" | "/participants/{id}/follow-ups/closer",
        ) => participant_in_scope(who, scope, KEEPERS, 409),
        // The centre's window and closer interval: the manager's settings (posted empty: 422).
        ("GET", "/settings/follow-ups") => manager_only(who, 200),
        ("POST", "/settings/follow-ups") => manager_only(who, 422),
        _ => return None,
    })
}
