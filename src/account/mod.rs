//! The account area: login (the password, then the second factor's step in
//! `second_factor`), logout, session extension, changing one's own password and setting up
//! one's second factor.
//!
//! Invariants: a login always starts a brand-new session (any session id the browser sent is
//! deleted), an unknown login and a wrong password look and cost the same, every attempt is
//! audited, and a password change ends the user's other sessions and rotates the current one.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditActor, AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::second_factor::{NextStep, next_step};
use crate::auth::session::{self, CurrentUser};
use crate::auth::throttle;
use crate::auth::{normalize_login, safe_next};
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::security::password::HashTurn;
use crate::security::{password, token_hash};
use crate::state::AppState;
use crate::web::extract::{NoFields, PlainForm, SecureForm};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::route::Route;

mod second_factor;

/// Login, logout, session, own-password and second-factor routes.
pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get("/login", Gate::Anyone, login_form),
        Route::post("/login", Gate::Anyone, login),
        Route::post("/logout", Gate::Staff, logout),
        Route::post("/session/extend", Gate::Staff, extend_session),
        Route::get("/account/password", Gate::Staff, password_form),
        Route::post("/account/password", Gate::Staff, change_password),
    ];
    routes.extend(second_factor::routes());
    routes
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    login: String,
    next: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    wygasla: Option<String>,
    #[serde(default)]
    wylogowano: Option<String>,
}

async fn login_form(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Query(query): Query<LoginQuery>,
) -> Result<Response> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let notice = if query.wygasla.is_some() {
        Some("Sesja wygasła z powodu braku aktywności lub upływu czasu. Zaloguj się ponownie.")
    } else if query.wylogowano.is_some() {
        Some("Wylogowano. Do zobaczenia!")
    } else {
        None
    };
    render(&LoginPage {
        layout: Layout::public(state.config.demo, "Logowanie"),
        login: String::new(),
        next: query
            .next
            .as_deref()
            .and_then(safe_next)
            .unwrap_or_default(),
        error: None,
        notice,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

const BAD_CREDENTIALS: &str = "Nieprawidłowy login lub hasło.";

/// A staff account as the login reads it.
struct Account {
    staff_user_id: uuid::Uuid,
    centre_id: uuid::Uuid,
    role: Role,
    password_hash: String,
    active: bool,
    must_change_password: bool,
    one_time_password_expires_at: Option<OffsetDateTime>,
}

impl Account {
    fn actor(&self) -> AuditActor {
        AuditActor {
            user_id: self.staff_user_id,
            role: self.role,
            centre_id: self.centre_id,
        }
    }
}

/// Why a login attempt is refused (the page says it; nothing tells a known login from an
/// unknown one).
enum Refused {
    /// 422 with this message.
    Invalid(&'static str),
    /// 429: the login is throttled for this many seconds.
    Throttled(i64),
}

/// What a throttled login is told (the password and the code steps alike).
fn throttled_message(seconds: i64) -> String {
    let wait = if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min", (seconds + 59) / 60)
    };
    format!(
        "Zbyt wiele nieudanych prób logowania na ten login. Spróbuj ponownie za {wait} albo poproś administratora o odblokowanie konta."
    )
}

/// The login page again, with the typed login kept and the refusal's message.
fn refused_page(state: &AppState, form: &LoginForm, refused: Refused) -> Result<Response> {
    let (status, error, retry) = match refused {
        Refused::Invalid(message) => (StatusCode::UNPROCESSABLE_ENTITY, message.to_owned(), None),
        Refused::Throttled(seconds) => (
            StatusCode::TOO_MANY_REQUESTS,
            throttled_message(seconds),
            Some(seconds),
        ),
    };
    let page = LoginPage {
        layout: Layout::public(state.config.demo, "Logowanie"),
        login: form.login.chars().take(100).collect(),
        next: safe_next(&form.next).unwrap_or_default(),
        error: Some(error),
        notice: None,
    };
    let mut response = render_with_status(status, &page)?;
    if let Some(seconds) = retry {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    Ok(response)
}

/// Refuses (429, audited) a client IP past the login rate limit; the password and the code
/// steps share it.
async fn rate_limit(state: &AppState, meta: &RequestMeta) -> Result<()> {
    if let Some(ip) = meta.client_ip
        && let Err(retry_after) = state.login_limiter.check(ip)
    {
        let event = AuditEvent::new("login.rate_limited", Outcome::Denied);
        audit::record(&state.db, meta, event).await?;
        return Err(AppError::TooManyRequests { retry_after });
    }
    Ok(())
}

/// `POST /login`: rate limit per IP, the login's throttle, the password, then a new session,
/// or the second factor's step first.
async fn login(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    PlainForm(form): PlainForm<LoginForm>,
) -> Result<Response> {
    rate_limit(&state, &meta).await?;
    let key = normalize_login(&form.login);
    if key.is_empty() || form.password.is_empty() {
        return refused_page(&state, &form, Refused::Invalid("Podaj login i hasło."));
    }
    if key.chars().count() > 100 || form.password.chars().count() > password::MAX_LENGTH {
        return refused_page(&state, &form, Refused::Invalid(BAD_CREDENTIALS));
    }
    let now = state.clock.now();
    // The turn to hash first, the connection after: waiting logins hold no connection.
    let turn = state.passwords.turn().await?;
    let mut tx = state.db.begin().await?;
    let account = match authenticate(&state, &mut tx, &meta, &key, &form.password, &turn).await? {
        Ok(account) => account,
        Err(refused) => {
            tx.commit().await?;
            return refused_page(&state, &form, refused);
        }
    };
    drop(turn);
    // From here the transaction works for the account's centre (the second wall, db::rls).
    crate::db::rls::enter(&mut tx, account.centre_id).await?;
    let step = next_step(&mut *tx, &state.config, account.staff_user_id, account.role).await?;
    if step != NextStep::Session {
        // The login's throttle is reset only once the code is right too: knowing the password
        // must not reopen the guessing of codes.
        let response = second_factor::after_password(
            &mut tx,
            &meta,
            account.actor(),
            &state.sealing_key,
            step,
            &form.next,
            now,
        )
        .await?;
        tx.commit().await?;
        upgrade_hash(&state, &account, &form.password).await?;
        return Ok(response);
    }
    throttle::reset(&mut tx, &key).await?;
    let cookie = start_session(&mut tx, &meta, &headers, account.actor(), now).await?;
    tx.commit().await?;
    upgrade_hash(&state, &account, &form.password).await?;
    let target = landing(account.must_change_password, &form.next);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response())
}

/// Starts the session of a login that has passed every step: the session the browser brought
/// is discarded (session fixation), the last login is recorded and `login.success` audited.
/// Returns the session cookie.
async fn start_session(
    tx: &mut sqlx::PgConnection,
    meta: &RequestMeta,
    headers: &HeaderMap,
    actor: AuditActor,
    now: OffsetDateTime,
) -> Result<HeaderValue> {
    if let Some(old) = session::token_from_headers(headers) {
        session::delete(&mut *tx, &token_hash(&old)).await?;
    }
    let new_session = session::create(&mut *tx, actor.user_id, now).await?;
    // What the administrator's account page shows as the last login; not an edit of the
    // account, so its version stays.
    sqlx::query!(
        "update staff_user set last_login_at = $2 where staff_user_id = $1",
        actor.user_id,
        now
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new("login.success", Outcome::Success)
        .by(actor)
        .on("staff_user", actor.user_id);
    audit::record(&mut *tx, meta, event).await?;
    Ok(session::cookie(&new_session.token))
}

/// Where a finished login goes: the password page for a one-time password, else `next`.
fn landing(must_change_password: bool, next: &str) -> String {
    if must_change_password {
        "/account/password".to_owned()
    } else {
        safe_next(next).unwrap_or_else(|| "/".to_owned())
    }
}

/// Checks the login's throttle and the password (always hashing, known login or not) and a
/// one-time password's expiry; every refusal is audited and counted in the caller's
/// transaction.
async fn authenticate(
    state: &AppState,
    tx: &mut sqlx::PgConnection,
    meta: &RequestMeta,
    key: &str,
    password: &str,
    turn: &HashTurn<'_>,
) -> Result<std::result::Result<Account, Refused>> {
    let now = state.clock.now();
    if let throttle::Gate::Wait(seconds) = throttle::gate(tx, key, now).await? {
        // The counter is no centre's data: its write moves no centre's work generation.
        crate::db::rls::enter(tx, crate::db::rls::NO_CENTRE).await?;
        let event = AuditEvent::new("login.throttled", Outcome::Denied);
        audit::record(&mut *tx, meta, event).await?;
        return Ok(Err(Refused::Throttled(seconds)));
    }
    let account = sqlx::query_as!(
        Account,
        r#"
        select staff_user_id as "staff_user_id!", centre_id as "centre_id!",
               role as "role!: Role", password_hash as "password_hash!", active as "active!",
               must_change_password as "must_change_password!", one_time_password_expires_at
        from login_principal($1)
        "#,
        key
    )
    .fetch_optional(&mut *tx)
    .await?;
    // The counter's writes concern the account's centre alone (its administrator's count of
    // locked accounts), or none for an unknown login (migration 0041).
    let centre = account
        .as_ref()
        .map_or(crate::db::rls::NO_CENTRE, |a| a.centre_id);
    crate::db::rls::enter(tx, centre).await?;
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let matches = state
        .passwords
        .verify_in_turn(turn, password.to_owned(), stored)
        .await?;
    let detail = match &account {
        Some(a) if matches && a.active => None,
        None => Some("unknown_login"),
        Some(a) if !a.active => Some("inactive"),
        Some(_) => Some("wrong_password"),
    };
    let account = match (account, detail) {
        (Some(account), None) => account,
        (account, detail) => {
            let locked = throttle::record_failure(tx, key, now).await?;
            let detail = detail.unwrap_or_default();
            let detail = if locked {
                format!("{detail},locked")
            } else {
                detail.to_owned()
            };
            let mut event = AuditEvent::new("login.failure", Outcome::Failure).detail(detail);
            if let Some(a) = &account {
                event = event.by(a.actor()).on("staff_user", a.staff_user_id);
            }
            audit::record(&mut *tx, meta, event).await?;
            return Ok(Err(Refused::Invalid(BAD_CREDENTIALS)));
        }
    };
    if account.must_change_password
        && account
            .one_time_password_expires_at
            .is_some_and(|t| t < now)
    {
        let event = AuditEvent::new("login.failure", Outcome::Failure)
            .by(account.actor())
            .on("staff_user", account.staff_user_id)
            .detail("one_time_password_expired");
        audit::record(&mut *tx, meta, event).await?;
        return Ok(Err(Refused::Invalid(
            "Hasło jednorazowe wygasło. Poproś administratora o nowe.",
        )));
    }
    Ok(Ok(account))
}

/// Re-hashes a password stored with weaker parameters than today's, once it has been seen
/// (for the account's centre: the request has no user's scope yet, db::rls).
async fn upgrade_hash(state: &AppState, account: &Account, password: &str) -> Result<()> {
    if password::needs_rehash(&account.password_hash) {
        let fresh = state.passwords.hash(password.to_owned()).await?;
        let update = sqlx::query!(
            "update staff_user set password_hash = $2 where staff_user_id = $1",
            account.staff_user_id,
            fresh
        )
        .execute(&state.db);
        crate::db::rls::scope(account.centre_id, update).await?;
    }
    Ok(())
}

async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    let mut tx = state.db.begin().await?;
    session::delete(&mut *tx, &user.session_hash).await?;
    audit::record(
        &mut *tx,
        &user.meta,
        AuditEvent::new("logout", Outcome::Success).by(user.audit_actor()),
    )
    .await?;
    tx.commit().await?;
    Ok((
        [
            (header::SET_COOKIE, session::removal_cookie()),
            (
                header::HeaderName::from_static("clear-site-data"),
                HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
            ),
        ],
        Redirect::to("/login?wylogowano=1"),
    )
        .into_response())
}

/// The "extend session" button of the timeout warning (called by `static/js/session.js`).
async fn extend_session(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    let now = state.clock.now();
    session::touch(&state.db, &user.session_hash, now).await?;
    let mut refreshed = user.clone();
    refreshed.expires_at = now + state.config.session_idle;
    let absolute = sqlx::query_scalar!(
        "select created_at from session where session_hash = $1",
        &user.session_hash
    )
    .fetch_one(&state.db)
    .await?
        + state.config.session_absolute;
    let left = refreshed.expires_at.min(absolute) - now;
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::HeaderName::from_static("x-session-seconds-left"),
            HeaderValue::from(left.whole_seconds().max(0)),
        )],
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    layout: Layout,
    forced: bool,
    current_error: Option<String>,
    new_error: Option<String>,
    confirm_error: Option<String>,
}

/// What changing one's own password needs to know of the account.
struct OwnAccount {
    password_hash: String,
    must_change_password: bool,
    centre_name: String,
    city: String,
}

async fn own_account(db: impl sqlx::PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<OwnAccount> {
    sqlx::query_as!(
        OwnAccount,
        r#"select u.password_hash, u.must_change_password, c.name as centre_name, c.city
           from staff_user u join centre c using (centre_id) where u.staff_user_id = $1"#,
        id
    )
    .fetch_one(db)
    .await
}

/// Stores the user's own new password (the one-time password, if any, is gone).
async fn set_own_password(
    db: impl sqlx::PgExecutor<'_>,
    id: uuid::Uuid,
    hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"update staff_user
           set password_hash = $2, must_change_password = false, one_time_password_expires_at = null, version = version + 1
           where staff_user_id = $1"#,
        id,
        hash
    )
    .execute(db)
    .await?;
    Ok(())
}

impl PasswordPage {
    /// The messages as the form kit's errors, in the form's order (the error summary).
    fn errors(&self) -> crate::web::forms::FieldErrors {
        let mut errors = crate::web::forms::FieldErrors::new();
        for (field, message) in [
            ("current_password", &self.current_error),
            ("new_password", &self.new_error),
            ("new_password_confirm", &self.confirm_error),
        ] {
            if let Some(message) = message {
                errors.add(field, message.clone());
            }
        }
        errors
    }

    fn new(state: &AppState, user: &CurrentUser, forced: bool) -> Self {
        Self {
            layout: Layout::for_user(state, user, "Zmiana hasła", "/account/password"),
            forced,
            current_error: None,
            new_error: None,
            confirm_error: None,
        }
    }

    /// The messages for a change: the current password, the policy (with the account's
    /// context words) and the confirmation.
    fn check(&mut self, form: &PasswordForm, current_ok: bool, context: &[&str]) {
        if !current_ok {
            self.current_error = Some("Obecne hasło jest nieprawidłowe.".into());
        }
        if let Err(message) = password::check_policy(&form.new_password, context) {
            self.new_error = Some(message.into());
        } else if form.new_password == form.current_password {
            self.new_error = Some("Nowe hasło musi się różnić od obecnego.".into());
        }
        if form.new_password != form.new_password_confirm {
            self.confirm_error = Some("Hasła nie są takie same.".into());
        }
    }

    fn has_errors(&self) -> bool {
        self.current_error.is_some() || self.new_error.is_some() || self.confirm_error.is_some()
    }
}

async fn password_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ChangeOwnPassword, Target::Centre)
        .await?;
    let forced = must_change(&state, &user).await?;
    render(&PasswordPage::new(&state, &user, forced))
}

async fn must_change(state: &AppState, user: &CurrentUser) -> Result<bool> {
    Ok(sqlx::query_scalar!(
        "select must_change_password from staff_user where staff_user_id = $1",
        user.user_id
    )
    .fetch_one(&state.db)
    .await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<PasswordForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ChangeOwnPassword, Target::Centre)
        .await?;
    let account = own_account(&state.db, user.user_id).await?;
    let current_ok = form.current_password.chars().count() <= password::MAX_LENGTH
        && (state.passwords)
            .verify(form.current_password.clone(), Some(account.password_hash))
            .await?;
    let context = [
        user.login.as_str(),
        user.full_name.as_str(),
        account.centre_name.as_str(),
        account.city.as_str(),
    ];
    let mut page = PasswordPage::new(&state, &user, account.must_change_password);
    page.check(&form, current_ok, &context);
    if page.has_errors() {
        if !current_ok {
            let event = AuditEvent::new(Action::ChangeOwnPassword.code(), Outcome::Failure)
                .by(user.audit_actor())
                .detail("wrong_current_password");
            audit::record(&state.db, &user.meta, event).await?;
        }
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let hash = state.passwords.hash(form.new_password).await?;
    let mut tx = state.db.begin().await?;
    set_own_password(&mut *tx, user.user_id, &hash).await?;
    // Re-authentication: every session of this user ends, this one continues under a new id.
    session::delete_for_user(&mut *tx, user.user_id, None).await?;
    let fresh = session::create(&mut *tx, user.user_id, state.clock.now()).await?;
    let message = "Hasło zostało zmienione. Inne sesje tego konta zostały zakończone.";
    session::set_flash(&mut *tx, &fresh.hash, "success", message).await?;
    let event = AuditEvent::new(Action::ChangeOwnPassword.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("staff_user", user.user_id);
    audit::record(&mut *tx, &user.meta, event).await?;
    tx.commit().await?;
    let cookie = [(header::SET_COOKIE, session::cookie(&fresh.token))];
    Ok((cookie, Redirect::to("/")).into_response())
}
