//! The authorization matrix's entries for the subject-access export (GDPR art. 15; the matrix
//! itself, and the one test over every route, are in `authz_matrix.rs`): the printable export
//! and the JSON archive of a participant are the manager's; other staff who may open the file
//! are refused (403), the administrator and anyone with another centre's participant get 404.

use teczka::domain::Role;

use crate::authz_matrix::{Principal, Scope, participant_in_scope};

/// Who produces a subject-access export.
const PRODUCERS: &[Role] = &[Role::Manager];

/// What a principal gets from a subject-access route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, scope: Scope) -> Option<u16> {
    Some(match (method, path) {
        ("GET", "/participants/{id}/subject-access" | "/participants/{id}/subject-access.json") => {
            participant_in_scope(who, scope, PRODUCERS, 200)
        }
        _ => return None,
    })
}
