//! The authorization matrix's entries for the subject-access export (GDPR art. 15; the matrix
//! itself, and the one test over every route, are in `authz_matrix.rs`): the printable export
//! and the JSON archive of a participant are the manager's and the data-protection officer's
//! (who reaches every participant of the centre for this alone); other staff who may open the
//! file are refused (403), the administrator and anyone with another centre's participant get
//! 404.

use crate::authz_matrix::{Principal, Scope, data_protection_read};

/// What a principal gets from a subject-access route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, scope: Scope) -> Option<u16> {
    Some(match (method, path) {
        ("GET", "/participants/{id}/subject-access" | "/participants/{id}/subject-access.json") => {
            data_protection_read(who, scope, 200)
        }
        _ => return None,
    })
}
