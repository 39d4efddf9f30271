//! The monthly integration benefit and motivational bonus (issue 11): each participant's month
//! computed from attendance by `domain::benefit` under the effective-dated rules, explained
//! step by step; the manager's monthly close that freezes the statements; reopening;
//! recomputation that never changes a closed month silently but records a correction for the
//! next list for the labour office (PUP); bonus decisions; the lists for the PUP and payroll.

pub mod compute;
mod export;
pub mod rules;
mod settings;

use crate::web::route::Route;

/// The benefit routes.
pub fn routes() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(export::routes());
    routes.extend(settings::routes());
    routes
}
