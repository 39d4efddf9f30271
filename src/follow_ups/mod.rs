//! Graduate follow-up (monitoring absolwentów, seed 002; issue 12): for three years after
//! graduation the social worker keeps contact on a schedule. This area owns the schedule (the
//! effective-dated rule of when contacts fall due, with the tolerance window, the closer-contact
//! interval and the length of the follow-up; the dated items created at graduation), the
//! contacts (reached or missed, with what seed 002 asks to learn), extra items and closer
//! contact, the lists of what is due (a social worker's caseload, the manager's centre by
//! worker), each graduate's timeline, and the items on "Do zrobienia".
//!
//! Invariants: a graduate's schedule and the end of their follow-up are created in the same
//! transaction as the graduation, from the rule in force on the graduation date; contacts are
//! never changed (the effectiveness report reads them "as at" a date); a reached contact
//! fulfils every open item whose window has opened by its date, a missed one fulfils nothing;
//! after the end of the follow-up (or when the person is no longer a graduate) the graduate
//! leaves every list and the forms refuse (409); the responsibility is the participant's social
//! worker, so the schedule follows a reassignment by itself.

mod contact;
pub mod db;
pub mod due;
mod form;
mod inbox;
mod lists;
mod manage;
pub mod model;
pub mod schedule;
mod settings;
mod timeline;

pub use inbox::inbox_items;

use crate::auth::policy::Gate;
use crate::web::route::Route;

/// The follow-up routes: the lists for the staff who keep them, a graduate's pages under the
/// file, and the manager's settings.
pub fn routes() -> Vec<Route> {
    use Gate::{ParticipantFile as File, ParticipantWork as Work};
    vec![
        Route::get("/follow-ups", Work, lists::list_follow_ups),
        Route::get(
            "/participants/{id}/follow-ups",
            File,
            timeline::show_follow_up,
        ),
        Route::get(
            "/participants/{id}/follow-ups/contact",
            File,
            contact::contact_form,
        ),
        Route::post(
            "/participants/{id}/follow-ups/contact",
            File,
            contact::record_contact,
        ),
        Route::post(
            "/participants/{id}/follow-ups/extra",
            File,
            manage::add_extra,
        ),
        Route::post(
            "/participants/{id}/follow-ups/closer",
            File,
            manage::set_closer,
        ),
        Route::get(settings::PAGE, Gate::Staff, settings::follow_up_settings),
        Route::post(settings::PAGE, Gate::Staff, settings::add_follow_up_rule),
    ]
}
