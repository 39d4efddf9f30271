//! The authorization matrix's entries for retention and the rectification history (the matrix
//! itself, and the one test over every route, are in `authz_matrix.rs`): the review list, the
//! periods, a file's retention page, its holds and its anonymisation are the manager's, and so
//! is a file's data history (whoever reads who opened the file); the data-protection officer
//! reads the review list, a file's retention page and its data history; other staff are refused
//! (403, the administrator by the gate), and a file of another centre does not exist (404).

use teczka::domain::Role;

use crate::authz_matrix::{
    Principal, Scope, data_protection_read, manager_only, participant_in_scope,
};

/// What a principal gets from a retention route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, scope: Scope) -> Option<u16> {
    let manager = &[Role::Manager];
    Some(match (method, path) {
        // The review list: the manager and the data-protection officer.
        ("GET", "/retention") => match who {
            Principal::Staff(Role::Manager | Role::Dpo) => 200,
            Principal::Staff(_) => 403,
            _ => 303,
        },
        ("GET", "/settings/retention") => manager_only(who, 200),
        // A period posted empty: 422, nothing written.
        ("POST", "/settings/retention") => manager_only(who, 422),
        ("GET", "/participants/{id}/retention" | "/participants/{id}/data-history") => {
            data_protection_read(who, scope, 200)
        }
        // The fixture's participant is in the programme: nothing to anonymise (409).
        ("POST", "/participants/{id}/anonymise") => participant_in_scope(who, scope, manager, 409),
        // A hold posted without its reason: 422, nothing written; no hold to lift (409).
        ("POST", "/participants/{id}/holds") => participant_in_scope(who, scope, manager, 422),
        ("POST", "/participants/{id}/holds/lift") => participant_in_scope(who, scope, manager, 409),
        _ => return None,
    })
}
