//! Liveness and readiness probes for process supervisors and load balancers.
//! They return no data beyond "ok"/"ready".

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::auth::policy::Gate;
use crate::state::AppState;
use crate::web::page::Rendered;
use crate::web::route::Route;

/// `/healthz` and `/readyz`.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/healthz", Gate::Anyone, healthz),
        Route::get("/readyz", Gate::Anyone, readyz),
    ]
}

/// The process is alive; never touches the database.
async fn healthz() -> Response {
    plain(StatusCode::OK, "ok")
}

/// The database answers `SELECT 1` within one second.
async fn readyz(State(state): State<AppState>) -> Response {
    let probe = sqlx::query_scalar::<_, i32>("select 1").fetch_one(&state.db);
    match tokio::time::timeout(Duration::from_secs(1), probe).await {
        Ok(Ok(_)) => plain(StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness probe failed");
            plain(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::warn!("readiness probe timed out");
            plain(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response.extensions_mut().insert(Rendered);
    response
}
