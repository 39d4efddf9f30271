//! The social contract (kontrakt socjalny, DOMAIN.md "Kontrakt socjalny", seed 001): the
//! second kind of document on the engine of `documents/`.
//!
//! The participant's social worker drafts Part I (the situation and its causes, the main goal,
//! specific goals, actions with deadlines and who carries them out, both parties' obligations,
//! the centre's support, the period, the environmental interview it rests on) and submits it;
//! the manager accepts it (for the director) or returns it with a comment; then signs it for the
//! centre; then the client signs (both on paper: the app records the dates, who recorded them,
//! optionally a scan). The client's signature starts the realization: the social worker logs
//! actions (with their result), referrals, benefit applications and group meetings, and writes
//! the quarterly note (the course so far, further actions, changes), which "Do zrobienia" asks
//! for. A change that keeps the specific goals is an amendment (the engine's versions); new
//! specific goals need a new, full contract linked to the old one. Part II, the evaluation
//! (positive, broken, or new goals), is written by the social worker and approved by the
//! manager, which closes the contract and freezes Part II; "new goals" then lets the social
//! worker start the linked renewal, pre-filled.
//!
//! Invariants: every step goes through `documents::step` (lock, policy, status machine,
//! guarded update, history, audit); the author never accepts their own contract nor approves
//! their own evaluation (the status machine, and the database); at most one contract per
//! participant is in realization (the database); every read, print and scan download is audited.

use uuid::Uuid;

use crate::auth::policy::{Action, Gate};
use crate::auth::session::CurrentUser;
use crate::documents::access::{self, Kind};
use crate::documents::db::{DocumentKind, Locked};
use crate::error::Result;
use crate::state::AppState;
use crate::web::route::Route;

pub mod content;
pub mod db;
mod edit;
mod evaluation;
pub mod flow;
mod inbox;
mod print;
mod realization;
mod show;
mod steps;

pub use inbox::inbox_items;

/// The social contract as the engine's shared pages know it.
pub const KIND: Kind = Kind {
    kind: DocumentKind::SocialContract,
    base: "/contracts",
    file_stem: "kontrakt",
    genitive: "kontraktu",
};

/// The contract's routes; every one answers 404 outside the participant's scope.
pub fn routes() -> Vec<Route> {
    let file = Gate::ParticipantFile;
    let mut routes = vec![
        Route::get("/participants/{id}/contracts", file, show::of_participant),
        Route::post("/participants/{id}/contracts", file, edit::create),
        Route::get("/contracts/{id}", file, show::show),
        Route::get("/contracts/{id}/edit", file, edit::form),
        Route::post("/contracts/{id}/edit", file, edit::save)
            .with_body_limit(crate::web::extract::LONG_FORM_LIMIT),
        Route::post("/contracts/{id}/submit", file, steps::submit),
        Route::post("/contracts/{id}/return", file, steps::give_back),
        Route::post("/contracts/{id}/approve", file, steps::approve),
        Route::post("/contracts/{id}/sign-centre", file, steps::sign_for_centre),
        Route::post("/contracts/{id}/sign-client", file, steps::sign_by_client),
        Route::post("/contracts/{id}/amend", file, steps::amend),
        Route::post("/contracts/{id}/renew", file, edit::renew),
        Route::post("/contracts/{id}/close", file, steps::close),
        Route::get("/contracts/{id}/versions/{number}", file, show::version),
        Route::get(
            "/contracts/{id}/versions/{number}/print",
            file,
            print::part_one,
        ),
        Route::get("/contracts/{id}/diff", file, show::diff),
        Route::get("/contracts/{id}/realization", file, realization::form),
        Route::post("/contracts/{id}/records", file, realization::add_record),
        Route::post("/contracts/{id}/monitoring", file, realization::add_note),
        Route::get("/contracts/{id}/evaluation", file, evaluation::form),
        Route::post("/contracts/{id}/evaluation", file, evaluation::save),
        Route::post(
            "/contracts/{id}/evaluation/submit",
            file,
            evaluation::submit,
        ),
        Route::post(
            "/contracts/{id}/evaluation/return",
            file,
            evaluation::give_back,
        ),
        Route::post(
            "/contracts/{id}/evaluation/approve",
            file,
            evaluation::approve,
        ),
        Route::get("/contracts/{id}/evaluation/print", file, print::part_two),
    ];
    routes.extend(crate::documents::scan::routes(
        &KIND,
        "/contracts/{id}/scans",
        "/contracts/{id}/scans/{scan}",
    ));
    routes
}

/// The contract's page.
pub fn href(id: Uuid) -> String {
    KIND.href(id)
}

/// Loads contract `id` for a read by `user`: [`access::read`] of a social contract.
pub async fn read<T>(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
    detail: &str,
    read: impl AsyncFnOnce(&mut sqlx::PgConnection, &Locked) -> Result<T>,
) -> Result<(Locked, T)> {
    access::read(state, user, &KIND, id, action, detail, read).await
}

/// Contract `id`'s facts once the policy allowed `action`: [`access::found`] of a contract.
pub async fn found(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<Locked> {
    access::found(state, user, &KIND, id, action).await
}

/// Refuses `step` (409, back to the contract) unless contract `d`'s state admits it.
pub async fn admit(
    conn: &mut sqlx::PgConnection,
    d: &Locked,
    step: flow::ContractStep,
) -> Result<flow::State> {
    let state = db::flow_state(&mut *conn, d.facts.document_id, d.status).await?;
    flow::check(step, state).map_err(|reason| {
        crate::error::AppError::conflict(reason).back_to(href(d.facts.document_id))
    })?;
    Ok(state)
}

/// The versions the client signed: a contract's version binds from the client's signature (the
/// centre's comes first).
pub fn client_signed(signatures: &[crate::documents::paper::Signature]) -> Vec<i32> {
    signatures
        .iter()
        .filter(|s| s.party == crate::documents::paper::Party::Participant)
        .map(|s| s.version)
        .collect()
}

/// The text the client signed last (the version in force, or that was when the contract
/// closed): the newest version with the client's signature; an amendment approved or closed
/// unsigned is not it.
pub fn signed_text(
    versions: &[crate::documents::db::StoredVersion],
    signatures: &[crate::documents::paper::Signature],
) -> content::Contract {
    let last = client_signed(signatures).into_iter().max();
    versions
        .iter()
        .find(|v| Some(v.number) == last)
        .map(|v| content::Contract::from_sections(&v.sections))
        .unwrap_or_default()
}
