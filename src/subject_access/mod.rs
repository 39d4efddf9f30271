//! Subject access (GDPR art. 15): for one participant, everything the centre holds about the
//! person — identity and categories, participation and status history, recruitment documents,
//! the IPZS and social contracts with their versions, signatures and scans, opinions, case
//! notes, attendance, benefits, follow-up contacts and who opened the file — as a printable A4
//! page and as a machine-readable archive (one JSON document, scans base64-encoded with their
//! media type and file name).
//!
//! Invariants: the page and the archive are two renderings of one [`model::Export`] built by
//! [`read::export`], so they cannot differ; what is released (therapy notes and unsigned
//! opinions are listed, their text withheld) is decided by the policy alone
//! (`auth::policy::subject_access`); every print and every export writes its audit row, naming
//! the participant, in the statement that reads the file; another centre's participant (or one
//! outside the producer's scope) answers 404.

mod db;
mod documents;
pub mod model;
mod read;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::policy::{Action, Gate};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::render;
use crate::web::path::IdPath;
use crate::web::route::Route;
use model::Export;

/// The routes, on the participant's file.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get(
            "/participants/{id}/subject-access",
            Gate::Staff,
            print_export,
        ),
        Route::get(
            "/participants/{id}/subject-access.json",
            Gate::Staff,
            download_export,
        )
        .export(),
    ]
}

#[derive(Template)]
#[template(path = "subject_access/print.html")]
struct PrintPage {
    x: Export,
    centre_name: String,
    centre_address: String,
    printed_at: String,
    printed_by: String,
}

/// `GET /participants/{id}/subject-access`: the printable export (audited as a print).
#[tracing::instrument(skip(state, user), fields(participant_id = %id))]
async fn print_export(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let x = read::export(&state, &user, id, Action::ViewSubjectAccess).await?;
    render(&PrintPage {
        centre_name: x.centre.name.clone(),
        centre_address: x.centre.address.clone(),
        printed_at: x.produced_at.to_string(),
        printed_by: x.produced_by.clone(),
        x,
    })
}

/// `GET /participants/{id}/subject-access.json`: the archive (audited as an export).
#[tracing::instrument(skip(state, user), fields(participant_id = %id))]
async fn download_export(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let x = read::export(&state, &user, id, Action::ExportSubjectAccess).await?;
    let body = serde_json::to_vec_pretty(&x).map_err(|e| AppError::Other(e.into()))?;
    let name = format!(
        "dane-osobowe-{}-{}.json",
        &id.simple().to_string()[..8],
        dates::iso(dates::polish_today(x.produced_at.0))
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .map_err(|e| AppError::Other(e.into()))?,
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
