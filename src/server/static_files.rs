//! Our own stylesheet and scripts, compiled into the binary so a deployment is one file.
//! No third-party assets are served (the CSP allows only this origin).

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::auth::policy::Gate;
use crate::error::AppError;
use crate::web::page::Rendered;
use crate::web::route::Route;

const FILES: &[(&str, &str, &str)] = &[
    (
        "css/app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/css/app.css"),
    ),
    (
        "css/print.css",
        "text/css; charset=utf-8",
        include_str!("../../static/css/print.css"),
    ),
    (
        "js/session.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/js/session.js"),
    ),
    (
        "js/forms.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/js/forms.js"),
    ),
];

/// `GET /static/{*path}`.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/static/{*path}", Gate::Anyone, static_file)]
}

async fn static_file(Path(path): Path<String>) -> Result<Response, AppError> {
    let (_, content_type, body) = FILES
        .iter()
        .find(|(p, _, _)| *p == path)
        .ok_or(AppError::NotFound)?;
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        *body,
    )
        .into_response();
    response.extensions_mut().insert(Rendered);
    Ok(response)
}
