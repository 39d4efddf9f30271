//! Participants: the registry (list, search), registration and editing, the participant's file,
//! the lifecycle (status changes, extensions), the caseload, workshop placement and the
//! recruitment documents, the case notes and the file's timeline.
//!
//! Invariants: every query is scoped to the actor's centre; a participant outside the actor's
//! scope answers 404, exactly like one that does not exist; the file holds only the parts
//! `policy::Visibility` allows; every read of a file writes its audit row in the same
//! transaction as the read, before anything is shown; every write is one transaction that locks
//! the row, asks the policy and writes its audit row; names and PESEL numbers never appear in a
//! URL (search is a POST, the list's cursor is an id). Durations come from the effective-dated
//! participation rules, never from constants.

pub mod access;
mod access_log;
mod caseload;
pub mod db;
mod extension;
mod file;
pub mod form;
mod hours;
pub mod identity;
mod inbox;
pub mod lifecycle;
mod list;
pub mod model;
mod next;
mod notes;
pub mod pesel;
mod print;
mod reassign;
pub mod record;
mod recruitment;
mod rectification;
mod register;
pub mod rules;
pub mod transition;
pub mod views;
mod workshop;

/// The parts of a file a view showed, named in Polish (the audit log shows them too).
pub use access_log::parts as viewed_parts;
pub use notes::history_title;
pub use print::centre_header;

pub use inbox::inbox_items;

use crate::auth::policy::Gate;
use crate::web::route::Route;

/// The participant routes: the list and registration are for staff who work with participants;
/// everything under `/participants/{id}` is a file, which does not exist for anyone else.
pub fn routes() -> Vec<Route> {
    use Gate::{ParticipantFile as File, ParticipantWork as Work};
    vec![
        Route::get("/participants", Work, list::list_participants),
        Route::post("/participants/search", Work, list::search_participants),
        Route::post("/participants/reassign", Work, reassign::reassign),
        Route::get("/participants/new", Work, register::new_participant_form),
        Route::post("/participants", Work, register::create_participant),
        Route::get("/access-log", Gate::Staff, access_log::staff_log),
        Route::get("/participants/{id}", File, file::show_participant),
        Route::get("/participants/{id}/print", File, print::print_file),
        Route::get("/participants/{id}/notes/new", File, notes::note_form),
        Route::post("/participants/{id}/notes", File, notes::add_note),
        Route::get(
            "/participants/{id}/notes/{note}/correction",
            File,
            notes::correction_form,
        ),
        Route::post(
            "/participants/{id}/notes/{note}/correction",
            File,
            notes::correct_note,
        ),
        Route::get(
            "/participants/{id}/access-log",
            File,
            access_log::access_log,
        ),
        // The data-protection officer reads it too (the policy's reach), so the gate is Staff.
        Route::get(
            "/participants/{id}/data-history",
            Gate::Staff,
            rectification::data_history,
        ),
        Route::get(
            "/participants/{id}/edit",
            File,
            register::edit_participant_form,
        ),
        Route::post("/participants/{id}", File, register::update_participant),
        Route::get(
            "/participants/{id}/status/{target}",
            File,
            lifecycle::status_form,
        ),
        Route::post(
            "/participants/{id}/status/{target}",
            File,
            lifecycle::change_status,
        ),
        Route::get(
            "/participants/{id}/extension",
            File,
            extension::extension_form,
        ),
        Route::post(
            "/participants/{id}/extension",
            File,
            extension::extend_participation,
        ),
        Route::get(
            "/participants/{id}/social-worker",
            File,
            caseload::social_worker_form,
        ),
        Route::post(
            "/participants/{id}/social-worker",
            File,
            caseload::assign_social_worker,
        ),
        Route::get("/participants/{id}/hours", File, hours::hours_form),
        Route::post("/participants/{id}/hours", File, hours::save_hours),
        Route::get("/participants/{id}/workshop", File, workshop::workshop_form),
        Route::post(
            "/participants/{id}/workshop",
            File,
            workshop::assign_workshop,
        ),
        Route::get(
            "/participants/{id}/documents/new",
            File,
            recruitment::document_form,
        ),
        Route::post(
            "/participants/{id}/documents",
            File,
            recruitment::add_document,
        ),
    ]
}
