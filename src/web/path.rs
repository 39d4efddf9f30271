//! Path parameters.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use uuid::Uuid;

use crate::error::AppError;

/// A `{id}` path segment. Anything that is not a UUID answers 404, like an unknown id.
#[derive(Clone, Copy, Debug)]
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        Uuid::parse_str(&raw)
            .map(IdPath)
            .map_err(|_| AppError::NotFound)
    }
}

/// Two `{id}` segments (a participant and one of its notes). Anything that is not a pair of
/// UUIDs answers 404, like an unknown id.
#[derive(Clone, Copy, Debug)]
pub struct IdPairPath(pub Uuid, pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPairPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        match (Uuid::parse_str(&a), Uuid::parse_str(&b)) {
            (Ok(a), Ok(b)) => Ok(IdPairPath(a, b)),
            _ => Err(AppError::NotFound),
        }
    }
}
