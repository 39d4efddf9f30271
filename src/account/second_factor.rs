//! The second factor's pages: the code step of a login, enrolment (during a login that must
//! have a factor, or from the account page), and the recovery codes shown once.
//!
//! Invariants: the login-time pages serve only a pending login (`auth::second_factor`), which
//! no other page accepts; the code step shares the per-IP rate limit and the login's throttle
//! with the password step, every wrong code is counted and audited, and the session starts
//! only after the code (or the confirmed enrolment). Input of the wrong shape answers 422 with
//! a Polish message and writes nothing.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{landing, rate_limit, start_session, throttled_message};
use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditActor, AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::second_factor::{self as factor, CodeInput, NextStep, Pending, Verdict};
use crate::auth::session::CurrentUser;
use crate::auth::{safe_next, throttle};
use crate::error::{AppError, Result};
use crate::security::sealed::Key;
use crate::state::AppState;
use crate::validate::dates::format_moment;
use crate::web::extract::{NoFields, PlainForm, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::route::Route;

/// The code step, enrolment during a login, and the account page's second factor.
pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::get("/login/code", Gate::Anyone, code_form),
        Route::post("/login/code", Gate::Anyone, submit_code),
        Route::get("/login/second-factor", Gate::Anyone, login_enrolment_form),
        Route::post("/login/second-factor", Gate::Anyone, login_enrol),
        Route::get("/account/second-factor", Gate::Staff, account_page),
        Route::post("/account/second-factor/start", Gate::Staff, start_enrolment),
        Route::post("/account/second-factor", Gate::Staff, account_enrol),
    ]
}

const ENROLMENT_TITLE: &str = "Drugi składnik logowania";
const WRONG_CODE: &str = "Nieprawidłowy kod. Sprawdź, czy zegar telefonu jest ustawiony automatycznie, i wpisz kod, który aplikacja pokazuje teraz.";
const REUSED_CODE: &str =
    "Ten kod został już użyty. Poczekaj, aż aplikacja pokaże następny, i wpisz nowy.";

/// The password step is done and `step` comes next: the pending login (its cookie) and the way
/// to the code or enrolment page; audited as `login.password`.
pub(super) async fn after_password(
    tx: &mut sqlx::PgConnection,
    meta: &RequestMeta,
    actor: AuditActor,
    key: &Key,
    step: NextStep,
    next: &str,
    now: OffsetDateTime,
) -> Result<Response> {
    if step == NextStep::Enrol {
        factor::ensure_enrolment(&mut *tx, key, actor.user_id, actor.centre_id).await?;
    }
    let next = safe_next(next).unwrap_or_default();
    let token = factor::begin_pending(tx, actor.user_id, actor.centre_id, &next, now).await?;
    let (detail, to) = match step {
        NextStep::Enrol => ("enrolment_required", "/login/second-factor"),
        NextStep::Code | NextStep::Session => ("code_required", "/login/code"),
    };
    let event = AuditEvent::new("login.password", Outcome::Success)
        .by(actor)
        .on("staff_user", actor.user_id)
        .detail(detail);
    audit::record(&mut *tx, meta, event).await?;
    Ok((
        [(header::SET_COOKIE, factor::pending_cookie(&token))],
        Redirect::to(to),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "auth/code.html")]
struct CodePage {
    layout: Layout,
    code: String,
    errors: FieldErrors,
}

fn code_page(state: &AppState, code: &str, error: Option<&str>) -> CodePage {
    let mut errors = FieldErrors::new();
    if let Some(message) = error {
        errors.add("code", message);
    }
    CodePage {
        layout: Layout::public(state.config.demo, ENROLMENT_TITLE),
        code: code.chars().take(40).collect(),
        errors,
    }
}

/// What the enrolment page shows of a factor being set up.
struct Enrolment {
    qr: String,
    secret: String,
    login: String,
}

/// What the account page shows of a confirmed factor.
struct Enrolled {
    since: String,
    codes_left: i64,
}

#[derive(Template)]
#[template(path = "account/second_factor.html")]
struct FactorPage {
    layout: Layout,
    /// A login waiting for enrolment (no session yet) rather than the account page.
    in_login: bool,
    required: bool,
    enrolled: Option<Enrolled>,
    enrolment: Option<Enrolment>,
    code: String,
    errors: FieldErrors,
}

impl FactorPage {
    fn action(&self) -> &'static str {
        if self.in_login {
            "/login/second-factor"
        } else {
            "/account/second-factor"
        }
    }
}

/// The enrolment part of the page for `secret` of the account `login`.
fn enrolment(secret: &[u8], login: &str) -> Result<Enrolment> {
    let totp = factor::totp(secret, login)
        .ok_or_else(|| anyhow::anyhow!("stored second-factor secret is unusable"))?;
    Ok(Enrolment {
        qr: factor::qr_data_url(&totp).ok_or_else(|| anyhow::anyhow!("QR code not drawn"))?,
        secret: factor::secret_text(&totp),
        login: login.to_owned(),
    })
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct RecoveryCodesPage {
    layout: Layout,
    codes: Vec<String>,
    next: String,
}

/// The pending login of the request, or where to go instead: the login page when there is
/// none (or it expired), the other step when this one is not the login's.
async fn pending_at(
    state: &AppState,
    headers: &HeaderMap,
    enrolment: bool,
) -> Result<std::result::Result<(Pending, Option<factor::Factor>), Response>> {
    let now = state.clock.now();
    let Some(pending) = factor::pending(&state.db, headers, now).await? else {
        return Ok(Err(Redirect::to("/login").into_response()));
    };
    // The account's factor, read for its centre (the second wall, db::rls).
    let found = crate::db::rls::scope(
        pending.centre_id,
        factor::factor(&state.db, pending.user_id),
    )
    .await?;
    let confirmed = found.as_ref().is_some_and(|f| f.confirmed_at.is_some());
    match (enrolment, confirmed, &found) {
        (true, true, _) => Ok(Err(Redirect::to("/login/code").into_response())),
        (false, false, _) => Ok(Err(Redirect::to("/login/second-factor").into_response())),
        (true, false, None) => Ok(Err(Redirect::to("/login").into_response())),
        _ => Ok(Ok((pending, found))),
    }
}

fn actor_of(pending: &Pending) -> AuditActor {
    AuditActor {
        user_id: pending.user_id,
        role: pending.role,
        centre_id: pending.centre_id,
    }
}

/// `GET /login/code`.
async fn code_form(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    match pending_at(&state, &headers, false).await? {
        Ok(_) => render(&code_page(&state, "", None)),
        Err(elsewhere) => Ok(elsewhere),
    }
}

/// The login's throttle before a code is checked: the transaction to go on with, or (the login
/// is throttled) the page of `page` with the wait as 429, the refusal audited.
async fn open_gate(
    mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
    meta: &RequestMeta,
    pending: &Pending,
    now: OffsetDateTime,
    page: &(dyn Fn(&str) -> Result<Response> + Sync),
) -> Result<std::result::Result<sqlx::Transaction<'static, sqlx::Postgres>, Response>> {
    // From here the transaction works for the account's centre (the second wall, db::rls).
    crate::db::rls::enter(&mut tx, pending.centre_id).await?;
    let throttle::Gate::Wait(seconds) = throttle::gate(&mut tx, &pending.login, now).await? else {
        return Ok(Ok(tx));
    };
    let event = AuditEvent::new("login.throttled", Outcome::Denied).by(actor_of(pending));
    audit::record(&mut *tx, meta, event).await?;
    tx.commit().await?;
    let mut response = page(&throttled_message(seconds))?;
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    Ok(Err(response))
}

/// A wrong or reused code: counted in the login's throttle and audited as `action`.
async fn count_failure(
    tx: &mut sqlx::PgConnection,
    meta: &RequestMeta,
    pending: &Pending,
    action: &'static str,
    verdict: Verdict,
    now: OffsetDateTime,
) -> Result<&'static str> {
    let locked = throttle::record_failure(tx, &pending.login, now).await?;
    let detail = if locked {
        format!("{},locked", verdict.detail())
    } else {
        verdict.detail().to_owned()
    };
    let event = AuditEvent::new(action, Outcome::Failure)
        .by(actor_of(pending))
        .on("staff_user", pending.user_id)
        .detail(detail);
    audit::record(&mut *tx, meta, event).await?;
    Ok(if verdict == Verdict::Reused {
        REUSED_CODE
    } else {
        WRONG_CODE
    })
}

/// The login becomes a session: the pending login ends, the throttle is reset, `login.success`
/// is audited; returns the session's cookie.
async fn finish_login(
    tx: &mut sqlx::PgConnection,
    meta: &RequestMeta,
    headers: &HeaderMap,
    pending: &Pending,
    now: OffsetDateTime,
) -> Result<HeaderValue> {
    factor::end_pending(&mut *tx, &pending.hash).await?;
    throttle::reset(tx, &pending.login).await?;
    start_session(tx, meta, headers, actor_of(pending), now).await
}

/// `response` installing the session `cookie` and removing the pending login's.
fn with_session(mut response: Response, cookie: HeaderValue) -> Response {
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, cookie);
    headers.append(header::SET_COOKIE, factor::pending_removal_cookie());
    response
}

/// `POST /login/code`: a code from the app or a recovery code.
async fn submit_code(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    PlainForm(form): PlainForm<CodeForm>,
) -> Result<Response> {
    rate_limit(&state, &meta).await?;
    let pending = match pending_at(&state, &headers, false).await? {
        Ok((pending, _)) => pending,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let invalid = |message: &str| {
        render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &code_page(&state, &form.code, Some(message)),
        )
    };
    let input = match factor::parse_code(&form.code, true) {
        Ok(input) => input,
        Err(message) => return invalid(message),
    };
    let now = state.clock.now();
    let mut tx = match open_gate(state.db.begin().await?, &meta, &pending, now, &invalid).await? {
        Ok(tx) => tx,
        Err(throttled) => return Ok(throttled),
    };
    let (verdict, kind) = match &input {
        CodeInput::Totp(code) => (
            factor::check_totp(
                &mut tx,
                &state.sealing_key,
                pending.user_id,
                &pending.login,
                code,
                now,
            )
            .await?,
            "totp",
        ),
        CodeInput::Recovery(code) => {
            let used = factor::use_recovery_code(&mut tx, pending.user_id, code, now).await?;
            let verdict = if used {
                Verdict::Accepted
            } else {
                Verdict::Wrong
            };
            (verdict, "recovery_code")
        }
    };
    if verdict != Verdict::Accepted {
        let message = count_failure(
            &mut tx,
            &meta,
            &pending,
            "login.second_factor",
            verdict,
            now,
        )
        .await?;
        tx.commit().await?;
        return invalid(message);
    }
    let event = AuditEvent::new("login.second_factor", Outcome::Success)
        .by(actor_of(&pending))
        .on("staff_user", pending.user_id)
        .detail(kind);
    audit::record(&mut *tx, &meta, event).await?;
    let cookie = finish_login(&mut tx, &meta, &headers, &pending, now).await?;
    tx.commit().await?;
    let to = landing(pending.must_change_password, &pending.next_path);
    Ok(with_session(Redirect::to(&to).into_response(), cookie))
}

fn login_factor_page(
    state: &AppState,
    pending: &Pending,
    secret: &[u8],
    code: &str,
    error: Option<&str>,
) -> Result<FactorPage> {
    let mut errors = FieldErrors::new();
    if let Some(message) = error {
        errors.add("code", message);
    }
    Ok(FactorPage {
        layout: Layout::public(state.config.demo, ENROLMENT_TITLE),
        in_login: true,
        required: true,
        enrolled: None,
        enrolment: Some(enrolment(secret, &pending.login)?),
        code: code.chars().take(40).collect(),
        errors,
    })
}

/// `GET /login/second-factor`: enrolment of an account that must have a factor.
async fn login_enrolment_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response> {
    match pending_at(&state, &headers, true).await? {
        Ok((pending, Some(found))) => render(&login_factor_page(
            &state,
            &pending,
            &found.secret(&state.sealing_key)?,
            "",
            None,
        )?),
        Ok((_, None)) => Ok(Redirect::to("/login").into_response()),
        Err(elsewhere) => Ok(elsewhere),
    }
}

/// `POST /login/second-factor`: the first code confirms the factor; the session starts and the
/// recovery codes are shown once.
async fn login_enrol(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    PlainForm(form): PlainForm<CodeForm>,
) -> Result<Response> {
    rate_limit(&state, &meta).await?;
    let (pending, secret) = match pending_at(&state, &headers, true).await? {
        Ok((pending, Some(found))) => (pending, found.secret(&state.sealing_key)?),
        Ok((_, None)) => return Ok(Redirect::to("/login").into_response()),
        Err(elsewhere) => return Ok(elsewhere),
    };
    let invalid = |message: &str| {
        render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &login_factor_page(&state, &pending, &secret, &form.code, Some(message))?,
        )
    };
    let code = match factor::parse_app_code(&form.code) {
        Ok(code) => code,
        Err(message) => return invalid(message),
    };
    let now = state.clock.now();
    let mut tx = match open_gate(state.db.begin().await?, &meta, &pending, now, &invalid).await? {
        Ok(tx) => tx,
        Err(throttled) => return Ok(throttled),
    };
    let action = Action::ManageOwnSecondFactor.code();
    let verdict = factor::check_totp(
        &mut tx,
        &state.sealing_key,
        pending.user_id,
        &pending.login,
        &code,
        now,
    )
    .await?;
    if verdict != Verdict::Accepted {
        let message = count_failure(&mut tx, &meta, &pending, action, verdict, now).await?;
        tx.commit().await?;
        return invalid(message);
    }
    let codes = factor::confirm(&mut tx, pending.user_id, pending.centre_id, now).await?;
    let event = AuditEvent::new(action, Outcome::Success)
        .by(actor_of(&pending))
        .on("staff_user", pending.user_id)
        .detail("confirmed");
    audit::record(&mut *tx, &meta, event).await?;
    let cookie = finish_login(&mut tx, &meta, &headers, &pending, now).await?;
    tx.commit().await?;
    let page = RecoveryCodesPage {
        layout: Layout::public(state.config.demo, "Kody odzyskiwania"),
        codes,
        next: landing(pending.must_change_password, &pending.next_path),
    };
    Ok(with_session(render(&page)?, cookie))
}

/// The account page's second factor for `user`, with `error` on the code field.
async fn account_factor_page(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    error: Option<&str>,
) -> Result<FactorPage> {
    let found = factor::factor(&state.db, user.user_id).await?;
    let mut errors = FieldErrors::new();
    if let Some(message) = error {
        errors.add("code", message);
    }
    let (enrolled, enrolment) = match &found {
        Some(f) => match f.confirmed_at {
            Some(at) => (
                Some(Enrolled {
                    since: format_moment(at),
                    codes_left: f.codes_left,
                }),
                None,
            ),
            None => (
                None,
                Some(enrolment(&f.secret(&state.sealing_key)?, &user.login)?),
            ),
        },
        None => (None, None),
    };
    Ok(FactorPage {
        layout: Layout::for_user(state, user, ENROLMENT_TITLE, "/account/second-factor"),
        in_login: false,
        required: state.config.requires_second_factor(user.role),
        enrolled,
        enrolment,
        code: code.chars().take(40).collect(),
        errors,
    })
}

/// `GET /account/second-factor`: the factor's state, or its enrolment.
async fn account_page(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ManageOwnSecondFactor, Target::Centre)
        .await?;
    render(&account_factor_page(&state, &user, "", None).await?)
}

/// `POST /account/second-factor/start`: a fresh secret to scan (none while one is confirmed).
async fn start_enrolment(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageOwnSecondFactor, Target::Centre)
        .await?;
    let mut tx = state.db.begin().await?;
    if !factor::start_enrolment(&mut *tx, &state.sealing_key, user.user_id, user.centre_id).await? {
        return Err(AppError::conflict(
            "Drugi składnik jest już skonfigurowany. Aby zmienić telefon, poproś administratora o jego zresetowanie.",
        ));
    }
    let event = AuditEvent::new(Action::ManageOwnSecondFactor.code(), Outcome::Success)
        .on("staff_user", user.user_id)
        .detail("started");
    finish(
        tx,
        &user,
        event,
        "Zeskanuj kod QR aplikacją uwierzytelniającą i wpisz kod, który pokaże.",
        "/account/second-factor",
    )
    .await
}

/// `POST /account/second-factor`: the first code confirms the factor; the recovery codes are
/// shown once.
async fn account_enrol(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<CodeForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageOwnSecondFactor, Target::Centre)
        .await?;
    let code = match factor::parse_app_code(&form.code) {
        Ok(code) => code,
        Err(message) => {
            let page = account_factor_page(&state, &user, &form.code, Some(message)).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    match factor::factor(&mut *tx, user.user_id).await? {
        Some(f) if f.confirmed_at.is_none() => {}
        Some(_) => {
            return Err(AppError::conflict(
                "Drugi składnik jest już skonfigurowany.",
            ));
        }
        None => {
            return Err(AppError::conflict(
                "Najpierw rozpocznij konfigurację drugiego składnika.",
            ));
        }
    }
    let action = Action::ManageOwnSecondFactor.code();
    let verdict = factor::check_totp(
        &mut tx,
        &state.sealing_key,
        user.user_id,
        &user.login,
        &code,
        now,
    )
    .await?;
    if verdict != Verdict::Accepted {
        let event = AuditEvent::new(action, Outcome::Failure)
            .by(user.audit_actor())
            .on("staff_user", user.user_id)
            .detail(verdict.detail());
        audit::record(&mut *tx, &user.meta, event).await?;
        tx.commit().await?;
        let message = if verdict == Verdict::Reused {
            REUSED_CODE
        } else {
            WRONG_CODE
        };
        let page = account_factor_page(&state, &user, &form.code, Some(message)).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let codes = factor::confirm(&mut tx, user.user_id, user.centre_id, now).await?;
    let event = AuditEvent::new(action, Outcome::Success)
        .by(user.audit_actor())
        .on("staff_user", user.user_id)
        .detail("confirmed");
    audit::record(&mut *tx, &user.meta, event).await?;
    tx.commit().await?;
    render(&RecoveryCodesPage {
        layout: Layout::for_user(&state, &user, "Kody odzyskiwania", "/account/second-factor"),
        codes,
        next: "/account/second-factor".to_owned(),
    })
}
