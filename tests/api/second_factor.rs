//! The second factor (TOTP): enrolment during a login that requires it, the code step, a code
//! used once, recovery codes used once, bad input, throttling and auditing of wrong codes.
//! Codes are computed here with totp-rs from the secret, at the app's clock.

use reqwest::{Method, Response, StatusCode};
use teczka::config::SecondFactorRequirement;
use time::OffsetDateTime;

use crate::helpers::*;

/// A test key (20 bytes, as the app generates).
pub(crate) const SECRET: &[u8; 20] = b"teczka-test-secret-1";

/// The app's code of `secret` at `at`.
pub(crate) fn code_at(secret: &[u8], at: OffsetDateTime) -> String {
    totp_rs::Builder::new()
        .with_secret(secret.to_vec())
        .build()
        .unwrap()
        .generate(u64::try_from(at.unix_timestamp()).unwrap())
        .to_string()
}

/// The code of `secret` now, by the app's clock.
pub(crate) fn code_now(app: &TestApp, secret: &[u8]) -> String {
    code_at(secret, app.state.clock.now())
}

/// An app with the installation's default: the administrator and the manager need a factor.
pub(crate) async fn spawn_requiring() -> TestApp {
    spawn_app_with(|c| c.second_factor = SecondFactorRequirement::AdminAndManager).await
}

/// Gives `login` a confirmed factor with `secret` (sealed with the app's key, as the app
/// stores it), directly in the database.
pub(crate) async fn enrol(app: &TestApp, login: &str, secret: &[u8]) {
    let user_id = app.user_id(login).await;
    let sealed = teczka::auth::second_factor::seal_secret(&app.state.sealing_key, user_id, secret);
    sqlx::query(
        "insert into second_factor (staff_user_id, centre_id, sealed_secret, confirmed_at)
         select staff_user_id, centre_id, $2, now() from staff_user where staff_user_id = $1",
    )
    .bind(user_id)
    .bind(sealed)
    .execute(&app.db)
    .await
    .unwrap();
}

/// The pending-login token a response sets, if any.
pub(crate) fn pending_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__Host-teczka_login="))
        .and_then(|v| v.split(';').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A request carrying only the pending-login cookie `token`.
pub(crate) async fn as_pending(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
) -> Response {
    let mut request = app
        .request(method.clone(), path, None)
        .header("cookie", format!("__Host-teczka_login={token}"));
    if method == Method::POST {
        request = request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(fields));
    }
    request.send().await.unwrap()
}

/// Passes the password step of `login`; returns the pending token and where it leads.
pub(crate) async fn password_step(app: &TestApp, login: &str) -> (String, String) {
    let response = app.post_login(login, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{login}");
    assert!(
        session_cookie(&response).is_none(),
        "no session after the password alone"
    );
    let token = pending_cookie(&response).expect("the password step sets the pending cookie");
    (token, location(&response))
}

/// The code step with `code`.
pub(crate) async fn code_step(app: &TestApp, token: &str, code: &str) -> Response {
    as_pending(app, Method::POST, "/login/code", token, &[("code", code)]).await
}

/// The key shown as text on the enrolment page: its base32, without the spaces.
pub(crate) fn secret_text_on_page(page: &str) -> String {
    let start = page.find("id=\"secret-text\">").expect("the key is shown") + 17;
    page[start..]
        .chars()
        .take_while(|c| *c != '<')
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The key shown on the enrolment page.
pub(crate) fn secret_on_page(page: &str) -> Vec<u8> {
    totp_rs::Secret::try_from_base32(secret_text_on_page(page))
        .unwrap()
        .as_ref()
        .to_vec()
}

/// The recovery codes shown on the page.
pub(crate) fn codes_on_page(page: &str) -> Vec<String> {
    page.split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

async fn failures(app: &TestApp, login: &str) -> i32 {
    sqlx::query_scalar(
        "select coalesce((select failed_count from login_throttle where login_key = $1), 0)",
    )
    .bind(login)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_manager_without_a_factor_enrols_after_the_password_and_gets_a_session_only_then() {
    let app = spawn_requiring().await;
    let (token, to) = password_step(&app, "kierownik").await;
    assert_eq!(to, "/login/second-factor");
    assert_eq!(app.session_count("kierownik").await, 0);
    let page = as_pending(&app, Method::GET, &to, &token, &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Drugi składnik logowania"), "{page}");
    assert!(page.contains("src=\"data:image/svg+xml,"), "the QR code");
    assert!(!page.contains("style="), "no inline style (CSP)");
    let secret = secret_on_page(&page);
    assert_eq!(secret.len(), 20);

    // A wrong code confirms nothing.
    let wrong = as_pending(&app, Method::POST, &to, &token, &[("code", "000000")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        scalar(
            &app,
            "select count(*) from second_factor where confirmed_at is not null"
        )
        .await,
        0
    );

    let code = code_now(&app, &secret);
    let done = as_pending(&app, Method::POST, &to, &token, &[("code", &code)]).await;
    assert_eq!(done.status(), StatusCode::OK);
    let session = session_cookie(&done).expect("the session starts after the code");
    assert!(
        done.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("__Host-teczka_login=;")),
        "the pending cookie is removed"
    );
    let page = done.text().await.unwrap();
    let codes = codes_on_page(&page);
    assert_eq!(codes.len(), 10, "{page}");
    assert!(codes.iter().all(|c| c.len() == 19), "{codes:?}");
    assert_eq!(
        scalar(
            &app,
            "select count(*) from recovery_code where used_at is null"
        )
        .await,
        10
    );
    // Stored hashed: no code appears in the table.
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select code_hash from recovery_code")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(stored.iter().all(|h| h.len() == 32));
    assert_eq!(app.session_count("kierownik").await, 1);
    assert_eq!(
        scalar(&app, "select count(*) from pending_login").await,
        0,
        "the pending login ended"
    );
    assert_eq!(
        app.audit_count("account.second_factor", Some("success"))
            .await,
        1
    );
    assert_eq!(
        app.audit_count("account.second_factor", Some("failure"))
            .await,
        1
    );
    assert_eq!(app.audit_count("login.success", None).await, 1);
    let home = app
        .request(Method::GET, "/", None)
        .header("cookie", format!("__Host-teczka_sid={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);

    // The next login asks for the code: the one just used is refused, the next step's works.
    let (token, to) = password_step(&app, "kierownik").await;
    assert_eq!(to, "/login/code");
    let reused = code_step(&app, &token, &code).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reused.text().await.unwrap().contains("już użyty"));
    app.advance(std::time::Duration::from_secs(30));
    let next = code_step(&app, &token, &code_now(&app, &secret)).await;
    assert_redirect(&next, "/");
    assert!(session_cookie(&next).is_some());
}

#[tokio::test]
async fn a_code_is_accepted_once_and_an_earlier_step_is_refused_too() {
    let app = spawn_requiring().await;
    enrol(&app, "kierownik", SECRET).await;
    let (token, to) = password_step(&app, "kierownik").await;
    assert_eq!(to, "/login/code");
    assert_eq!(app.audit_count("login.password", Some("success")).await, 1);
    let code = code_now(&app, SECRET);
    let ok = code_step(&app, &token, &code).await;
    assert_redirect(&ok, "/");
    assert_eq!(app.session_count("kierownik").await, 1);

    // The same code again, in the same 30 seconds: refused, audited, no session.
    let (token, _) = password_step(&app, "kierownik").await;
    let again = code_step(&app, &token, &code).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(session_cookie(&again).is_none());
    assert_eq!(app.session_count("kierownik").await, 1);
    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'login.second_factor' and outcome = 'failure'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, "reused_code");

    // A minute later the previous step's code is still within the ±1 window but older than
    // the one used: refused. The current one works.
    app.advance(std::time::Duration::from_secs(30));
    let earlier = code_at(SECRET, app.state.clock.now() - time::Duration::seconds(60));
    let refused = code_step(&app, &token, &earlier).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let current = code_step(&app, &token, &code_now(&app, SECRET)).await;
    assert_redirect(&current, "/");
    assert_eq!(app.session_count("kierownik").await, 2);
    assert_eq!(
        app.audit_count("login.second_factor", Some("success"))
            .await,
        2
    );
}

#[tokio::test]
async fn recovery_codes_work_once_each() {
    // A social worker (not required) sets a factor up from the account page.
    let app = spawn_requiring().await;
    let worker = app.login("socjalny1").await;
    let page = app.text("/account/second-factor", &worker).await;
    assert!(page.contains("Skonfiguruj drugi składnik"), "{page}");
    let started = app
        .post("/account/second-factor/start", Some(&worker), &[])
        .await;
    assert_redirect(&started, "/account/second-factor");
    let page = app.text("/account/second-factor", &worker).await;
    let secret = secret_on_page(&page);
    let done = app
        .post(
            "/account/second-factor",
            Some(&worker),
            &[("code", &code_now(&app, &secret))],
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let codes = codes_on_page(&done.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    let page = app.text("/account/second-factor", &worker).await;
    assert!(page.contains("Włączony od"), "{page}");
    assert!(page.contains("10 z 10"), "{page}");

    // The factor now applies to this account's logins, though its role does not require one.
    let (token, to) = password_step(&app, "socjalny1").await;
    assert_eq!(to, "/login/code");
    let upper = codes[3].to_uppercase();
    let used = code_step(&app, &token, &upper).await;
    assert_redirect(&used, "/");
    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'login.second_factor' and outcome = 'success'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, "recovery_code");

    let (token, _) = password_step(&app, "socjalny1").await;
    let again = code_step(&app, &token, &codes[3]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("Nieprawidłowy kod"));
    let other = code_step(&app, &token, &codes[4].replace('-', "")).await;
    assert_redirect(&other, "/");
    assert_eq!(
        scalar(
            &app,
            "select count(*) from recovery_code where used_at is null"
        )
        .await,
        8
    );
}

#[tokio::test]
async fn bad_input_gets_a_polish_message_and_changes_nothing() {
    let app = spawn_requiring().await;
    enrol(&app, "kierownik", SECRET).await;
    let (token, _) = password_step(&app, "kierownik").await;
    let audit_before = scalar(&app, "select count(*) from audit_event").await;
    for (input, message) in [
        ("", "Wpisz kod z aplikacji uwierzytelniającej."),
        ("12345", "Kod z aplikacji ma dokładnie 6 cyfr."),
        ("1234567", "Kod z aplikacji ma dokładnie 6 cyfr."),
        ("12a456", "albo jeden z kodów odzyskiwania"),
        ("<b>kod</b>", "albo jeden z kodów odzyskiwania"),
    ] {
        let response = code_step(&app, &token, input).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{input}"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{input}: {page}");
        assert!(page.contains("error-summary"), "{input}");
    }
    assert_eq!(
        failures(&app, "kierownik").await,
        0,
        "not counted as failures"
    );
    assert_eq!(
        scalar(&app, "select count(*) from audit_event").await,
        audit_before
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from second_factor where last_used_step is not null"
        )
        .await,
        0
    );
    assert_eq!(app.session_count("kierownik").await, 0);

    // Enrolment takes six digits only.
    let (token, to) = password_step(&app, "admin").await;
    assert_eq!(to, "/login/second-factor");
    for input in ["", "12345", "abcd-efgh-jkmn-pqrs", "12a456"] {
        let response = as_pending(&app, Method::POST, &to, &token, &[("code", input)]).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{input}"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains("Kod z aplikacji"), "{input}: {page}");
    }
    assert_eq!(
        scalar(
            &app,
            "select count(*) from second_factor where confirmed_at is not null"
        )
        .await,
        1,
        "only the manager's"
    );
}

#[tokio::test]
async fn wrong_codes_are_counted_with_the_logins_failures_audited_and_throttled() {
    let app = spawn_requiring().await;
    enrol(&app, "kierownik", SECRET).await;
    let (token, _) = password_step(&app, "kierownik").await;
    for _ in 0..teczka::auth::throttle::DELAY_AFTER {
        let wrong = code_step(&app, &token, "000000").await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        failures(&app, "kierownik").await,
        teczka::auth::throttle::DELAY_AFTER
    );
    assert_eq!(
        app.audit_count("login.second_factor", Some("failure"))
            .await,
        i64::from(teczka::auth::throttle::DELAY_AFTER)
    );
    // Throttled now: even the right code waits (429), and the refusal is audited.
    let throttled = code_step(&app, &token, &code_now(&app, SECRET)).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().get("retry-after").is_some());
    assert!(
        throttled
            .text()
            .await
            .unwrap()
            .contains("Zbyt wiele nieudanych prób")
    );
    assert_eq!(app.audit_count("login.throttled", None).await, 1);
    assert_eq!(app.session_count("kierownik").await, 0);
    // A correct password does not reset the count: only a finished login does.
    app.advance(std::time::Duration::from_secs(2));
    let (token, _) = password_step(&app, "kierownik").await;
    assert_eq!(
        failures(&app, "kierownik").await,
        teczka::auth::throttle::DELAY_AFTER
    );
    let ok = code_step(&app, &token, &code_now(&app, SECRET)).await;
    assert_redirect(&ok, "/");
    assert_eq!(failures(&app, "kierownik").await, 0);
}

#[tokio::test]
async fn the_code_step_shares_the_per_ip_rate_limit_of_the_login() {
    let app = spawn_app_with(|c| c.login_rate_burst = 2).await;
    enrol(&app, "kierownik", SECRET).await;
    let (token, _) = password_step(&app, "kierownik").await;
    let first = code_step(&app, &token, "000000").await;
    assert_eq!(first.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let limited = code_step(&app, &token, &code_now(&app, SECRET)).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.audit_count("login.rate_limited", None).await, 1);
    assert_eq!(app.session_count("kierownik").await, 0);
}

#[tokio::test]
async fn which_roles_are_led_to_enrolment() {
    // The default: the administrator (as `create-admin` makes one) and the manager.
    let app = spawn_requiring().await;
    assert_eq!(password_step(&app, "admin").await.1, "/login/second-factor");
    assert_eq!(
        password_step(&app, "kierownik").await.1,
        "/login/second-factor"
    );
    let worker = app.post_login("socjalny1", PASSWORD).await;
    assert_redirect(&worker, "/");
    assert!(session_cookie(&worker).is_some());
    // Every role, when the installation says so.
    let app = spawn_app_with(|c| c.second_factor = SecondFactorRequirement::Everyone).await;
    for login in ["socjalny1", "instruktor", "iod"] {
        assert_eq!(password_step(&app, login).await.1, "/login/second-factor");
    }
    // Demo mode: nobody.
    let app = spawn_app_with(|c| {
        c.second_factor = SecondFactorRequirement::Everyone;
        c.demo = true;
    })
    .await;
    assert_redirect(&app.post_login("admin", PASSWORD).await, "/");
}

#[tokio::test]
async fn a_pending_login_expires_and_is_bound_to_its_account() {
    let app = spawn_requiring().await;
    enrol(&app, "kierownik", SECRET).await;
    let (token, _) = password_step(&app, "kierownik").await;
    app.advance(std::time::Duration::from_secs(6 * 60));
    let late = code_step(&app, &token, &code_now(&app, SECRET)).await;
    assert_redirect(&late, "/login");
    assert_eq!(app.session_count("kierownik").await, 0);
    let page = as_pending(
        &app,
        Method::GET,
        "/login/code",
        "0".repeat(64).as_str(),
        &[],
    )
    .await;
    assert_redirect(&page, "/login");
}
