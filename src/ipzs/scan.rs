//! The scan of a signed programme: the engine's (`documents::scan`), for the IPZS.

use axum::extract::{Request, State};
use axum::response::Response;

use crate::auth::session::CurrentUser;
use crate::documents::scan;
use crate::error::Result;
use crate::state::AppState;
use crate::web::path::{IdPairPath, IdPath};

/// `POST /ipzs/{id}/scans` (multipart).
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    request: Request,
) -> Result<Response> {
    scan::upload(&state, &user, &super::KIND, id, request).await
}

/// `GET /ipzs/{id}/scans/{scan}`.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPairPath(id, scan_id): IdPairPath,
) -> Result<Response> {
    scan::download(&state, &user, &super::KIND, id, scan_id).await
}
