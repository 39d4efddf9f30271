//! One error type for every handler.
//!
//! `AppError` turns into a response with the right status and an [`ErrorPage`] marker; the
//! error-page layer in `web` renders the Polish page with the request id. Internal causes are
//! logged here (inside the request's span) and never shown to the user.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Crate-wide result alias for handlers and helpers.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session: go to the login page.
    #[error("login required")]
    Unauthorized {
        /// The session existed but timed out (the login page says so).
        expired: bool,
    },
    /// The user holds a one-time password and must set their own first.
    #[error("password change required")]
    PasswordChangeRequired,
    /// The policy denies this action to this user.
    #[error("forbidden")]
    Forbidden,
    /// The object does not exist or is outside the user's scope (the two look the same).
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state; the message is Polish and shown.
    #[error("conflict: {0}")]
    Conflict(String),
    /// [`AppError::Conflict`] with the page to go back to (the document the step was for).
    #[error("conflict: {message}")]
    ConflictAt {
        /// The Polish explanation.
        message: String,
        /// Where the user sees the state now.
        back: String,
    },
    /// Malformed request (not a validation error of a field); the message is Polish and shown.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Body over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// Body in a format we do not accept.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Rate limit hit.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until the next attempt is allowed.
        retry_after: u64,
    },
    /// A dependency (the database) is down.
    #[error("service unavailable")]
    Unavailable,
    /// Database error: 503 when the database is unreachable, 500 otherwise.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Template rendering failed.
    #[error(transparent)]
    Render(#[from] askama::Error),
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl AppError {
    /// A 409 with a message for the user.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    /// A conflict (409) now points back to `href`, where the user sees the current state.
    pub fn back_to(self, href: String) -> Self {
        match self {
            Self::Conflict(message) => Self::ConflictAt {
                message,
                back: href,
            },
            other => other,
        }
    }

    /// A 400 with a message for the user.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(message.into())
    }
}

/// Marks an error response whose page the error-page layer should render.
#[derive(Clone, Debug, Default)]
pub struct ErrorPage {
    /// A Polish sentence shown above the request id, when there is one to show.
    pub message: Option<String>,
    /// A page to go back to besides Start (the document a refused step was for).
    pub back: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            Self::Unauthorized { expired } => {
                let to = if *expired {
                    "/login?wygasla=1"
                } else {
                    "/login"
                };
                return Redirect::to(to).into_response();
            }
            Self::PasswordChangeRequired => {
                return Redirect::to("/account/password").into_response();
            }
            Self::Forbidden => (StatusCode::FORBIDDEN, None),
            Self::NotFound => (StatusCode::NOT_FOUND, None),
            Self::Conflict(m) | Self::ConflictAt { message: m, .. } => {
                (StatusCode::CONFLICT, Some(m.clone()))
            }
            Self::BadRequest(m) => (StatusCode::BAD_REQUEST, Some(m.clone())),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, None),
            Self::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, None),
            Self::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, None),
            Self::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, None),
            Self::Sqlx(e) if crate::db::is_unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, None)
            }
            Self::Sqlx(e) => {
                tracing::error!(error = ?e, "database error");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
            Self::Render(e) => {
                tracing::error!(error = ?e, "template error");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
            Self::Other(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        let mut response = status.into_response();
        match (&self, status) {
            (Self::TooManyRequests { retry_after }, _) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            (_, StatusCode::SERVICE_UNAVAILABLE) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            }
            _ => {}
        }
        let back = match &self {
            Self::ConflictAt { back, .. } => Some(back.clone()),
            _ => None,
        };
        response
            .extensions_mut()
            .insert(ErrorPage { message, back });
        response
    }
}
