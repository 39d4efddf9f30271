//! The IPZS (indywidualny program zatrudnienia socjalnego, DOMAIN.md "IPZS", seeds 000 and
//! 002): the first kind of document on the engine of `documents/`.
//!
//! The participant's social worker starts the programme from the file (pre-filled with the
//! seed's stages, the workshop and the OPS), drafts it beside the signed-off opinions (a draft
//! saves at any time, even incomplete; a stale tab's save answers 409 with the user's text
//! kept), submits it (refused, with each missing part linked, until it is complete and the
//! opinions the centre requires are signed off); the manager approves it or returns it with a
//! comment the author reads on the programme; the signatures (on paper) are recorded with their
//! dates and optionally a scan; recording both signatures of the **first** programme admits the
//! participant into the trial period on the participant's signature date, in agreement with the
//! OPS head named in the programme. An amendment (aneks) is a new version of a signed programme,
//! with a reason, through the same workflow; every version stays readable, any two compare
//! section by section. Monitoring entries record the participant's situation and each goal's
//! progress; the last one, the final evaluation, is required before participation ends, which
//! closes the programme.
//!
//! Invariants: every step goes through `documents::step` (lock, policy, status machine,
//! guarded update, history, audit); the text of an approved version never changes (the
//! database refuses it too); the author of a version never approves or returns it (policy,
//! status machine and a database trigger); every read of a programme, every print and every
//! scan download writes an audit row in the transaction of the read.

use axum::response::{IntoResponse, Redirect, Response};
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
mod inbox;
mod monitoring;
mod print;
mod show;
mod steps;
mod view;

pub use inbox::inbox_items;
pub use monitoring::assessment_label as monitoring_label;

/// The programme's routes; every one answers 404 outside the participant's scope.
pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get(
            "/participants/{id}/ipzs",
            Gate::ParticipantFile,
            show::of_participant,
        ),
        Route::post(
            "/participants/{id}/ipzs",
            Gate::ParticipantFile,
            edit::create,
        ),
        Route::get("/ipzs/{id}", Gate::ParticipantFile, show::show),
        Route::get("/ipzs/{id}/edit", Gate::ParticipantFile, edit::form),
        // 40-odd fields of up to 4000 characters each, percent-encoded.
        Route::post("/ipzs/{id}/edit", Gate::ParticipantFile, edit::save)
            .with_body_limit(crate::web::extract::LONG_FORM_LIMIT),
        Route::post("/ipzs/{id}/submit", Gate::ParticipantFile, steps::submit),
        Route::post("/ipzs/{id}/return", Gate::ParticipantFile, steps::give_back),
        Route::post("/ipzs/{id}/approve", Gate::ParticipantFile, steps::approve),
        Route::post("/ipzs/{id}/signatures", Gate::ParticipantFile, steps::sign),
        Route::post("/ipzs/{id}/amend", Gate::ParticipantFile, steps::amend),
        Route::get(
            "/ipzs/{id}/versions/{number}",
            Gate::ParticipantFile,
            show::version,
        ),
        Route::get(
            "/ipzs/{id}/versions/{number}/print",
            Gate::ParticipantFile,
            print::print,
        ),
        Route::get("/ipzs/{id}/diff", Gate::ParticipantFile, show::diff),
        Route::get(
            "/ipzs/{id}/monitoring",
            Gate::ParticipantFile,
            monitoring::form,
        ),
        Route::post(
            "/ipzs/{id}/monitoring",
            Gate::ParticipantFile,
            monitoring::add,
        ),
    ];
    routes.extend(crate::documents::scan::routes(
        &KIND,
        "/ipzs/{id}/scans",
        "/ipzs/{id}/scans/{scan}",
    ));
    routes
}

/// The programme's page.
pub fn href(id: Uuid) -> String {
    format!("/ipzs/{id}")
}

/// The IPZS as the engine's shared pages know it.
pub const KIND: Kind = Kind {
    kind: DocumentKind::Ipzs,
    base: "/ipzs",
    file_stem: "ipzs",
    genitive: "programu",
};

/// Loads programme `id` for a read (or a form) by `user`: [`access::read`] of an IPZS.
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

/// Programme `id`'s facts once the policy allowed `action`: [`access::found`] of an IPZS.
pub async fn found(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<Locked> {
    access::found(state, user, &KIND, id, action).await
}

/// Back to the programme's page (after a refusal that needs no page of its own).
pub fn to_programme(id: Uuid) -> Response {
    Redirect::to(&href(id)).into_response()
}
