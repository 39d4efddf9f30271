//! The authorization matrix's entries for the benefit routes (`/benefits/…` and
//! `/settings/benefits…`): the month lists, the rules screen and its forms are the manager's
//! (Target::Centre), every other signed-in role is refused (403, audited), anyone else is sent
//! to the login page. The matrix asks about the month before this one (ended, not closed).

use reqwest::Method;
use teczka::domain::Role;

use crate::authz_matrix::{Principal, Scope};

/// What `who` gets from a benefit route; `None`: the route has no entry here.
pub(crate) fn expected(method: &Method, path: &str, who: Principal, _scope: Scope) -> Option<u16> {
    let manager = |ok: u16| match who {
        Principal::Staff(Role::Manager) => ok,
        Principal::Staff(_) => 403,
        _ => 303,
    };
    Some(match (method.as_str(), path) {
        // The lists of a month that is not closed: "Listę można pobrać po zamknięciu miesiąca."
        (
            "GET",
            "/benefits/{month}/pup.csv"
            | "/benefits/{month}/pup.xlsx"
            | "/benefits/{month}/payroll.csv"
            | "/benefits/{month}/payroll.xlsx",
        ) => manager(409),
        ("GET", "/settings/benefits") => manager(200),
        // Posted empty: every field's message, nothing written.
        ("POST", "/settings/benefits/base" | "/settings/benefits/rule") => manager(422),
        _ => return None,
    })
}
