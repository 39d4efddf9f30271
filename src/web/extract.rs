//! Form extractors.
//!
//! `SecureForm<T>` is the only way a signed-in user's POST body reaches a handler: it requires a
//! session, checks the synchronizer token (`csrf_token` field, constant-time compare) and then
//! decodes the remaining fields into `T`. `PlainForm<T>` does the same decoding for the
//! anonymous login form. Decoding is strict: the body must be `application/x-www-form-urlencoded`
//! UTF-8 (else 415/400), no field may repeat, unknown fields are refused (`T` carries
//! `#[serde(deny_unknown_fields)]`), and NUL characters are refused (PostgreSQL cannot store
//! them). Form structs hold raw strings; turning them into domain values is the handler's job,
//! so a validation error can re-render the form with the user's input.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;

/// Largest form body accepted (larger bodies answer 413).
pub const FORM_LIMIT: usize = 64 * 1024;

/// The most a form may post on a route that declares a larger limit (a long document's edit
/// form); the route's own limit is what applies.
pub const LONG_FORM_LIMIT: usize = 1024 * 1024;
/// Name of the hidden synchronizer-token field.
pub const CSRF_FIELD: &str = "csrf_token";

/// A form posted by a signed-in user, with a valid synchronizer token.
#[derive(Debug)]
pub struct SecureForm<T>(pub T);

/// A form posted without a session (login).
#[derive(Debug)]
pub struct PlainForm<T>(pub T);

/// A form with no fields besides the token (logout, confirmations).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

impl<T: DeserializeOwned> FromRequest<AppState> for SecureForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let mut pairs = read_pairs(&parts, body).await?;
        let position = pairs.iter().position(|(k, _)| k == CSRF_FIELD);
        let token = position.map(|i| pairs.remove(i).1).unwrap_or_default();
        verify_token(state, &user, parts.uri.path(), &token).await?;
        Ok(SecureForm(decode(pairs)?))
    }
}

/// Checks a form's synchronizer token against the session's (in constant time); a missing or
/// wrong one is audited and answers 403. For the forms [`SecureForm`] does not read (an upload).
pub async fn verify_token(
    state: &AppState,
    user: &CurrentUser,
    path: &str,
    token: &str,
) -> Result<(), AppError> {
    let valid = !token.is_empty() && bool::from(token.as_bytes().ct_eq(user.csrf_token.as_bytes()));
    if !valid {
        tracing::warn!(user_id = %user.user_id, path, "missing or wrong CSRF token");
        audit::record(
            &state.db,
            &user.meta,
            AuditEvent::new("csrf.rejected", Outcome::Denied)
                .by(user.audit_actor())
                .detail(path.to_owned()),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    Ok(())
}

impl<T: DeserializeOwned> FromRequest<AppState> for PlainForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let pairs = read_pairs(&parts, body).await?;
        Ok(PlainForm(decode(pairs)?))
    }
}

async fn read_pairs(parts: &Parts, body: Body) -> Result<Vec<(String, String)>, AppError> {
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    if !mime.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = axum::body::to_bytes(body, LONG_FORM_LIMIT)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    parse_pairs(&bytes)
}

/// Splits an urlencoded body into decoded pairs, refusing bad UTF-8, NUL and repeated names.
pub fn parse_pairs(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match piece.iter().position(|&b| b == b'=') {
            Some(i) => (&piece[..i], &piece[i + 1..]),
            None => (piece, &b""[..]),
        };
        let name = decode_component(name)?;
        if pairs.iter().any(|(existing, _)| *existing == name) {
            return Err(AppError::bad_request("Formularz zawiera powtórzone pole."));
        }
        pairs.push((name, decode_component(value)?));
    }
    Ok(pairs)
}

fn decode_component(raw: &[u8]) -> Result<String, AppError> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    let text = String::from_utf8(bytes)
        .map_err(|_| AppError::bad_request("Dane formularza nie są poprawnym tekstem (UTF-8)."))?;
    if text.contains('\0') {
        return Err(AppError::bad_request(
            "Formularz zawiera niedozwolony znak.",
        ));
    }
    Ok(text)
}

fn decode<T: DeserializeOwned>(pairs: Vec<(String, String)>) -> Result<T, AppError> {
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    serde_urlencoded::from_str(&encoded).map_err(|e| {
        tracing::info!(error = %e, "form with unknown or missing fields");
        AppError::bad_request("Formularz zawiera nieznane lub brakujące pola.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_and_percent_and_polish_letters() {
        let pairs = parse_pairs("a=Zo%C5%9Bka+Nowak&b=&c".as_bytes()).expect("valid");
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "Zośka Nowak".into()),
                ("b".into(), String::new()),
                ("c".into(), String::new())
            ]
        );
    }

    #[test]
    fn refuses_bad_utf8_nul_and_repeated_fields() {
        assert!(parse_pairs(b"a=%FF").is_err());
        assert!(parse_pairs(b"a=x%00y").is_err());
        assert!(parse_pairs(b"a=1&a=2").is_err());
    }
}
