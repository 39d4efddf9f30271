//! Server-side sessions and the `CurrentUser` extractor.
//!
//! The cookie `__Host-teczka_sid` (Secure, HttpOnly, SameSite=Strict, Path=/, no Domain) holds a
//! random 256-bit token; the `session` table stores its SHA-256. A session ends after
//! `session_idle` without requests or `session_absolute` after login, on logout, and when the
//! user is deactivated or their password is reset or changed. "Last seen" is written at most
//! once per `session_touch_interval`, so ordinary page views do not write to the database.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::AuditActor;
use crate::audit::meta::RequestMeta;
use crate::auth::policy::Actor;
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::security::{random_token, token_hash};
use crate::state::AppState;

/// Name of the session cookie; the `__Host-` prefix makes browsers insist on Secure, Path=/ and
/// no Domain.
pub const COOKIE_NAME: &str = "__Host-teczka_sid";

/// Paths a user holding a one-time password may still use.
const PASSWORD_CHANGE_PATHS: &[&str] = &["/account/password", "/logout", "/session/extend"];

/// A message shown once on the next page (Post/Redirect/Get).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    /// `success`, `error` or `info`.
    pub kind: String,
    /// Polish text.
    pub message: String,
}

/// The signed-in staff member making this request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    /// Staff account id.
    pub user_id: Uuid,
    /// The centre the account belongs to; every query is scoped to it.
    pub centre_id: Uuid,
    /// Role in the centre.
    pub role: Role,
    /// Login name.
    pub login: String,
    /// Display name.
    pub full_name: String,
    /// Centre name, for the page header.
    pub centre_name: String,
    /// Synchronizer token every state-changing form must carry.
    pub csrf_token: String,
    /// SHA-256 of the cookie token: the session's key.
    pub session_hash: Vec<u8>,
    /// When the session will end if nothing else happens.
    pub expires_at: OffsetDateTime,
    /// A message left by the previous request, shown once.
    pub flash: Option<Flash>,
    /// How many things are on the user's work list, when counted recently (the navigation).
    pub work_count: Option<i32>,
    /// The centre's work generation when the request began (migration 0041): it changes with
    /// every committed write to the centre's data, so a work list computed at it is still true
    /// while a later request reads the same number.
    pub work_generation: i64,
    /// Request id and client IP, for audit rows.
    pub meta: RequestMeta,
}

impl CurrentUser {
    /// The facts the policy needs.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            role: self.role,
        }
    }

    /// The actor as written into audit rows.
    pub fn audit_actor(&self) -> AuditActor {
        AuditActor {
            user_id: self.user_id,
            role: self.role,
            centre_id: self.centre_id,
        }
    }

    /// Seconds until the session ends, for the timeout warning.
    pub fn seconds_left(&self, now: OffsetDateTime) -> i64 {
        (self.expires_at - now).whole_seconds().max(0)
    }
}

/// The session token from the `Cookie` header(s), if any.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    cookie_token(headers, COOKIE_NAME)
}

/// The token in the cookie `cookie` (64 hex characters, as [`random_token`] makes), if any:
/// the session's, or the pending login's of the second factor.
pub fn cookie_token(headers: &HeaderMap, cookie: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == cookie)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `Set-Cookie` value that installs a session token.
pub fn cookie(token: &str) -> HeaderValue {
    HeaderValue::try_from(format!(
        "{COOKIE_NAME}={token}; Path=/; Secure; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` value that removes the session cookie.
pub fn removal_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-teczka_sid=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

/// A newly created session: the cookie token (never stored) and its key.
#[derive(Debug)]
pub struct NewSession {
    /// Goes into the cookie.
    pub token: String,
    /// Stored in the database.
    pub hash: Vec<u8>,
}

/// Creates a session for `user_id` starting at `now`.
pub async fn create(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    now: OffsetDateTime,
) -> sqlx::Result<NewSession> {
    let token = random_token();
    let hash = token_hash(&token);
    sqlx::query!(
        "insert into session (session_hash, user_id, csrf_token, created_at, last_seen_at) values ($1, $2, $3, $4, $4)",
        &hash,
        user_id,
        random_token(),
        now,
    )
    .execute(db)
    .await?;
    Ok(NewSession { token, hash })
}

/// Ends one session.
pub async fn delete(db: impl PgExecutor<'_>, hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("delete from session where session_hash = $1", hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user except `keep` (pass `None` to end them all).
pub async fn delete_for_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    keep: Option<&[u8]>,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from session where user_id = $1 and ($2::bytea is null or session_hash <> $2)",
        user_id,
        keep,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// How long a work count kept with the session is shown in the navigation.
pub const WORK_COUNT_FRESH: time::Duration = time::Duration::minutes(10);

/// Keeps the number of things on the user's work list with the session (Start counts them).
pub async fn set_work_count(
    db: impl PgExecutor<'_>,
    hash: &[u8],
    count: i32,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query("update session set work_count = $2, work_counted_at = $3 where session_hash = $1")
        .bind(hash)
        .bind(count)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Leaves a message for the next page this session loads. The message follows a change the
/// user made, which may have changed their work: the kept work count is forgotten.
pub async fn set_flash(
    db: impl PgExecutor<'_>,
    hash: &[u8],
    kind: &str,
    message: &str,
) -> sqlx::Result<()> {
    let mut q = QueryBuilder::new("");
    push_set_flash(&mut q, hash, kind, message);
    q.build().execute(db).await?;
    Ok(())
}

/// [`set_flash`] appended to `q` (after a `with …` the caller started), for one statement.
pub fn push_set_flash<'a>(
    q: &mut QueryBuilder<'a, Postgres>,
    hash: &'a [u8],
    kind: &'a str,
    message: &'a str,
) {
    q.push("update session set flash_kind = ")
        .push_bind(kind)
        .push(", flash_message = ")
        .push_bind(message)
        .push(", work_count = null where session_hash = ")
        .push_bind(hash);
}

/// Marks the session as active now (the "extend session" button).
pub async fn touch(db: impl PgExecutor<'_>, hash: &[u8], now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query!(
        "update session set last_seen_at = $2 where session_hash = $1",
        hash,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes sessions idle for longer than the idle timeout (run periodically).
pub async fn delete_expired(
    db: impl PgExecutor<'_>,
    idle_cutoff: OffsetDateTime,
    absolute_cutoff: OffsetDateTime,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from session where last_seen_at < $1 or created_at < $2",
        idle_cutoff,
        absolute_cutoff,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let token =
            token_from_headers(&parts.headers).ok_or(AppError::Unauthorized { expired: false })?;
        let hash = token_hash(&token);
        // Before the centre is known: through the database's door for it (migration 0035),
        // on a connection whose centre setting need not be reset first (`rls::door`).
        let row = crate::db::rls::door(
            sqlx::query!(
                r#"
            select user_id as "user_id!", csrf_token as "csrf_token!", created_at as "created_at!",
                   last_seen_at as "last_seen_at!", flash_kind, flash_message, work_count,
                   work_counted_at, centre_id as "centre_id!", role as "role!: Role",
                   login as "login!", full_name as "full_name!",
                   must_change_password as "must_change_password!", centre_name as "centre_name!",
                   work_generation as "work_generation!"
            from session_principal($1)
            "#,
                &hash,
            )
            .fetch_optional(&state.db),
        )
        .await?
        .ok_or(AppError::Unauthorized { expired: false })?;

        let config = &state.config;
        let now = state.clock.now();
        let idle_deadline = row.last_seen_at + config.session_idle;
        let absolute_deadline = row.created_at + config.session_absolute;
        if now >= idle_deadline || now >= absolute_deadline {
            delete(&state.db, &hash).await?;
            return Err(AppError::Unauthorized { expired: true });
        }

        let flash = match (row.flash_kind, row.flash_message) {
            (Some(kind), Some(message)) => Some(Flash { kind, message }),
            _ => None,
        };
        let touch_due = now - row.last_seen_at >= config.session_touch_interval;
        let last_seen = if touch_due { now } else { row.last_seen_at };
        if touch_due || flash.is_some() {
            sqlx::query!(
                r#"
                update session
                set last_seen_at = $2, flash_kind = null, flash_message = null
                where session_hash = $1
                "#,
                &hash,
                last_seen,
            )
            .execute(&state.db)
            .await?;
        }

        if row.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&parts.uri.path()) {
            return Err(AppError::PasswordChangeRequired);
        }

        let user = CurrentUser {
            user_id: row.user_id,
            centre_id: row.centre_id,
            role: row.role,
            login: row.login,
            full_name: row.full_name,
            centre_name: row.centre_name,
            csrf_token: row.csrf_token,
            session_hash: hash,
            expires_at: (last_seen + config.session_idle).min(absolute_deadline),
            flash,
            work_count: match (row.work_count, row.work_counted_at) {
                (Some(n), Some(at)) if now - at < WORK_COUNT_FRESH => Some(n),
                _ => None,
            },
            work_generation: row.work_generation,
            meta: RequestMeta::from_parts(parts, state),
        };
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(AppError::Unauthorized { .. } | AppError::PasswordChangeRequired) => Ok(None),
            Err(other) => Err(other),
        }
    }
}
