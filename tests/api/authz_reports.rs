//! The authorization matrix's entries for the centre's reports (the matrix itself, and the one
//! test over every route, are in `authz_matrix.rs`): the effectiveness report, its print and
//! its downloads are the manager's; other staff are refused (403, the administrator by the
//! gate); the report is of the manager's own centre, so there is no other centre's object to
//! miss.

use crate::authz_matrix::{Principal, Scope, manager_only};

/// What a principal gets from a report route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, _scope: Scope) -> Option<u16> {
    Some(match (method, path) {
        (
            "GET",
            "/reports/effectiveness"
            | "/reports/effectiveness/print"
            | "/reports/effectiveness.csv"
            | "/reports/effectiveness.xlsx",
        ) => manager_only(who, 200),
        _ => return None,
    })
}
