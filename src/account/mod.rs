//! The account area: login, logout, session extension and changing one's own password.
//!
//! Invariants: a login always starts a brand-new session (any session id the browser sent is
//! deleted), an unknown login and a wrong password look and cost the same, every attempt is
//! audited, and a password change ends the user's other sessions and rotates the current one.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditActor, AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::{self, CurrentUser};
use crate::auth::throttle;
use crate::auth::{normalize_login, safe_next};
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::security::{password, token_hash};
use crate::state::AppState;
use crate::web::extract::{NoFields, PlainForm, SecureForm};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::route::Route;

/// Login, logout, session and own-password routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/login", Gate::Anyone, login_form),
        Route::post("/login", Gate::Anyone, login),
        Route::post("/logout", Gate::Staff, logout),
        Route::post("/session/extend", Gate::Staff, extend_session),
        Route::get("/account/password", Gate::Staff, password_form),
        Route::post("/account/password", Gate::Staff, change_password),
    ]
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

async fn login(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    PlainForm(form): PlainForm<LoginForm>,
) -> Result<Response> {
    let page = |status: StatusCode, error: String| {
        render_with_status(
            status,
            &LoginPage {
                layout: Layout::public(state.config.demo, "Logowanie"),
                login: form.login.chars().take(100).collect(),
                next: safe_next(&form.next).unwrap_or_default(),
                error: Some(error),
                notice: None,
            },
        )
    };

    if let Some(ip) = meta.client_ip
        && let Err(retry_after) = state.login_limiter.check(ip)
    {
        audit::record(
            &state.db,
            &meta,
            AuditEvent::new("login.rate_limited", Outcome::Denied),
        )
        .await?;
        return Err(AppError::TooManyRequests { retry_after });
    }
    let key = normalize_login(&form.login);
    if key.is_empty() || form.password.is_empty() {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Podaj login i hasło.".into(),
        );
    }
    if key.chars().count() > 100 || form.password.chars().count() > password::MAX_LENGTH {
        return page(StatusCode::UNPROCESSABLE_ENTITY, BAD_CREDENTIALS.into());
    }

    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let throttle::Gate::Wait(seconds) = throttle::gate(&mut tx, &key, now).await? {
        audit::record(
            &mut *tx,
            &meta,
            AuditEvent::new("login.throttled", Outcome::Denied),
        )
        .await?;
        tx.commit().await?;
        let minutes = (seconds + 59) / 60;
        let wait = if seconds < 60 {
            format!("{seconds} s")
        } else {
            format!("{minutes} min")
        };
        let mut response = page(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Zbyt wiele nieudanych prób logowania na ten login. Spróbuj ponownie za {wait} albo poproś administratora o odblokowanie konta."
            ),
        )?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return Ok(response);
    }

    let account = sqlx::query!(
        r#"
        select staff_user_id, centre_id, role as "role: Role", password_hash, active,
               must_change_password, one_time_password_expires_at
        from staff_user where login = $1
        "#,
        key
    )
    .fetch_optional(&mut *tx)
    .await?;
    let matches = state
        .passwords
        .verify(
            form.password.clone(),
            account.as_ref().map(|a| a.password_hash.clone()),
        )
        .await?;

    let account = match account {
        Some(a) if matches && a.active => a,
        other => {
            let detail = match &other {
                None => "unknown_login",
                Some(a) if !a.active => "inactive",
                Some(_) => "wrong_password",
            };
            let locked = throttle::record_failure(&mut tx, &key, now).await?;
            let mut event = AuditEvent::new("login.failure", Outcome::Failure).detail(if locked {
                format!("{detail},locked")
            } else {
                detail.to_owned()
            });
            if let Some(a) = &other {
                event = event
                    .by(AuditActor {
                        user_id: a.staff_user_id,
                        role: a.role,
                        centre_id: a.centre_id,
                    })
                    .on("staff_user", a.staff_user_id);
            }
            audit::record(&mut *tx, &meta, event).await?;
            tx.commit().await?;
            return page(StatusCode::UNPROCESSABLE_ENTITY, BAD_CREDENTIALS.into());
        }
    };
    let actor = AuditActor {
        user_id: account.staff_user_id,
        role: account.role,
        centre_id: account.centre_id,
    };
    if account.must_change_password
        && account
            .one_time_password_expires_at
            .is_some_and(|t| t < now)
    {
        audit::record(
            &mut *tx,
            &meta,
            AuditEvent::new("login.failure", Outcome::Failure)
                .by(actor)
                .on("staff_user", actor.user_id)
                .detail("one_time_password_expired"),
        )
        .await?;
        tx.commit().await?;
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Hasło jednorazowe wygasło. Poproś administratora o nowe.".into(),
        );
    }

    throttle::reset(&mut tx, &key).await?;
    // Session fixation: whatever session the browser brought is discarded.
    if let Some(old) = session::token_from_headers(&headers) {
        session::delete(&mut *tx, &token_hash(&old)).await?;
    }
    let new_session = session::create(&mut *tx, account.staff_user_id, now).await?;
    audit::record(
        &mut *tx,
        &meta,
        AuditEvent::new("login.success", Outcome::Success)
            .by(actor)
            .on("staff_user", actor.user_id),
    )
    .await?;
    tx.commit().await?;

    if password::needs_rehash(&account.password_hash) {
        let fresh = state.passwords.hash(form.password.clone()).await?;
        sqlx::query!(
            "update staff_user set password_hash = $2 where staff_user_id = $1",
            account.staff_user_id,
            fresh
        )
        .execute(&state.db)
        .await?;
    }

    let target = if account.must_change_password {
        "/account/password".to_owned()
    } else {
        safe_next(&form.next).unwrap_or_else(|| "/".to_owned())
    };
    Ok((
        [(header::SET_COOKIE, session::cookie(&new_session.token))],
        Redirect::to(&target),
    )
        .into_response())
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

async fn password_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ChangeOwnPassword, Target::Centre)
        .await?;
    let forced = must_change(&state, &user).await?;
    render(&PasswordPage {
        layout: Layout::for_user(&state, &user, "Zmiana hasła", "/account/password"),
        forced,
        current_error: None,
        new_error: None,
        confirm_error: None,
    })
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
    let account = sqlx::query!(
        r#"select u.password_hash, u.must_change_password, c.name as centre_name, c.city
           from staff_user u join centre c using (centre_id) where u.staff_user_id = $1"#,
        user.user_id
    )
    .fetch_one(&state.db)
    .await?;

    let mut page = PasswordPage {
        layout: Layout::for_user(&state, &user, "Zmiana hasła", "/account/password"),
        forced: account.must_change_password,
        current_error: None,
        new_error: None,
        confirm_error: None,
    };
    let current_ok = form.current_password.chars().count() <= password::MAX_LENGTH
        && state
            .passwords
            .verify(
                form.current_password.clone(),
                Some(account.password_hash.clone()),
            )
            .await?;
    if !current_ok {
        page.current_error = Some("Obecne hasło jest nieprawidłowe.".into());
    }
    let context = [
        user.login.as_str(),
        user.full_name.as_str(),
        account.centre_name.as_str(),
        account.city.as_str(),
    ];
    if let Err(message) = password::check_policy(&form.new_password, &context) {
        page.new_error = Some(message.into());
    } else if form.new_password == form.current_password {
        page.new_error = Some("Nowe hasło musi się różnić od obecnego.".into());
    }
    if form.new_password != form.new_password_confirm {
        page.confirm_error = Some("Hasła nie są takie same.".into());
    }
    if page.current_error.is_some() || page.new_error.is_some() || page.confirm_error.is_some() {
        if !current_ok {
            audit::record(
                &state.db,
                &user.meta,
                AuditEvent::new(Action::ChangeOwnPassword.code(), Outcome::Failure)
                    .by(user.audit_actor())
                    .detail("wrong_current_password"),
            )
            .await?;
        }
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }

    let hash = state.passwords.hash(form.new_password).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        r#"update staff_user
           set password_hash = $2, must_change_password = false, one_time_password_expires_at = null, version = version + 1
           where staff_user_id = $1"#,
        user.user_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    // Re-authentication: every session of this user ends, this one continues under a new id.
    session::delete_for_user(&mut *tx, user.user_id, None).await?;
    let fresh = session::create(&mut *tx, user.user_id, now).await?;
    session::set_flash(
        &mut *tx,
        &fresh.hash,
        "success",
        "Hasło zostało zmienione. Inne sesje tego konta zostały zakończone.",
    )
    .await?;
    audit::record(
        &mut *tx,
        &user.meta,
        AuditEvent::new(Action::ChangeOwnPassword.code(), Outcome::Success)
            .by(user.audit_actor())
            .on("staff_user", user.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok((
        [(header::SET_COOKIE, session::cookie(&fresh.token))],
        Redirect::to("/"),
    )
        .into_response())
}
