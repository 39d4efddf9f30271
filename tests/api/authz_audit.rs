//! The authorization matrix's entries for the data-protection officer's audit log (the matrix
//! itself, and the one test over every route, are in `authz_matrix.rs`): the search, its CSV
//! and the reports are the DPO's; every other role is refused (403); the log is of the DPO's
//! own centre, so there is no other centre's object to miss.

use teczka::domain::Role;

use crate::authz_matrix::{Principal, Scope};

/// What a principal gets from an audit-log route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, _scope: Scope) -> Option<u16> {
    Some(match (method, path) {
        ("GET", "/audit" | "/audit.csv" | "/data-protection") => match who {
            Principal::Staff(Role::Dpo) => 200,
            Principal::Staff(_) => 403,
            _ => 303,
        },
        _ => return None,
    })
}
