//! Attendance in hours (issue 11): a group's day entered on one screen in one POST, the month
//! grid of a group, a participant's calendar, and corrections with a reason. A closed month
//! (see `benefits`) refuses changes until the manager reopens it.

pub mod calendar;

use crate::web::route::Route;

/// The attendance routes.
pub fn routes() -> Vec<Route> {
    Vec::new()
}
