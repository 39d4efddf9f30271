//! The monthly integration benefit and motivational bonus (issue 11): each participant's month
//! computed from attendance by `domain::benefit` under the effective-dated rules, explained
//! step by step; the manager's monthly close that freezes the statements; reopening;
//! recomputation that never changes a closed month silently but records a correction for the
//! next list for the labour office (PUP); bonus decisions; the lists for the PUP and payroll.

mod bonus;
pub mod close;
pub mod compute;
pub mod db;
mod export;
mod inbox;
mod month;
pub mod rules;
mod settings;
mod statement;

pub use inbox::inbox_items;

use crate::auth::policy::Gate;
use crate::web::route::Route;

/// The benefit routes.
pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get("/benefits", Gate::ParticipantWork, month::index),
        Route::get(
            "/benefits/{month}",
            Gate::ParticipantWork,
            month::month_page,
        ),
        Route::post(
            "/benefits/{month}/close",
            Gate::ParticipantWork,
            close::close,
        ),
        Route::post(
            "/benefits/{month}/reopen",
            Gate::ParticipantWork,
            close::reopen,
        ),
        Route::post(
            "/benefits/{month}/recompute",
            Gate::ParticipantWork,
            close::recompute,
        ),
        Route::get(
            "/benefits/{month}/{id}",
            Gate::ParticipantFile,
            statement::statement_page,
        ),
        Route::get(
            "/benefits/{month}/{id}/print",
            Gate::ParticipantFile,
            statement::statement_print,
        ),
        Route::get(
            "/benefits/{month}/{id}/bonus",
            Gate::ParticipantWork,
            bonus::bonus_form,
        ),
        Route::post(
            "/benefits/{month}/{id}/bonus",
            Gate::ParticipantWork,
            bonus::save_bonus,
        ),
    ];
    routes.extend(export::routes());
    routes.extend(settings::routes());
    routes
}
