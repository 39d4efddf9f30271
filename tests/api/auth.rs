//! Login, sessions, timeouts, lockout and rate limiting.

use std::time::Duration;

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn login_sets_a_host_prefixed_secure_strict_cookie_and_redirects_home() {
    let app = spawn_app().await;
    let response = app.post_login("socjalny1", PASSWORD).await;
    assert_redirect(&response, "/");
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-teczka_sid="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(
            cookie.split("; ").any(|a| a == attribute),
            "missing {attribute} in {cookie}"
        );
    }
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    let token = session_cookie(&response).unwrap();
    let session = Session {
        token,
        csrf: String::new(),
    };
    let home = app.get("/", Some(&session)).await;
    assert_eq!(home.status(), StatusCode::OK);
    let page = home.text().await.unwrap();
    assert!(page.contains("Sylwia Socjalna"));
    assert!(page.contains("Pracownik socjalny"));
    assert_eq!(app.audit_count("login.success", Some("success")).await, 1);
}

#[tokio::test]
async fn wrong_password_and_unknown_login_get_the_same_answer_and_are_audited() {
    let app = spawn_app().await;
    let wrong = app.post_login("socjalny1", "zupełnie złe hasło").await;
    let unknown = app.post_login("nikt-taki", "zupełnie złe hasło").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(session_cookie(&wrong).is_none() && session_cookie(&unknown).is_none());
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(a.contains("Nieprawidłowy login lub hasło."));
    // The pages differ only in the echoed login.
    assert_eq!(a.replace("socjalny1", "X"), b.replace("nikt-taki", "X"));
    assert_eq!(app.audit_count("login.failure", Some("failure")).await, 2);
    let unknown_detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'login.failure' and actor_id is null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(unknown_detail, "unknown_login");
}

#[tokio::test]
async fn empty_and_oversized_credentials_are_refused_without_a_500() {
    let app = spawn_app().await;
    let empty = app.post_login("", "").await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await.unwrap().contains("Podaj login i hasło."));
    let huge = "x".repeat(10_000);
    let response = app.post_login(&huge, &huge).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn login_issues_a_new_session_id_and_discards_the_one_the_browser_brought() {
    let app = spawn_app().await;
    let first = app.login("socjalny1").await;
    // Log in again while presenting the old cookie (a fixation attempt would look like this).
    let response = app
        .request(reqwest::Method::POST, "/login", Some(&first))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[("login", "socjalny1"), ("password", PASSWORD)]))
        .send()
        .await
        .unwrap();
    let second = session_cookie(&response).unwrap();
    assert_ne!(second, first.token);
    assert_redirect(&app.get("/", Some(&first)).await, "/login");
    let new_session = Session {
        token: second,
        csrf: String::new(),
    };
    assert_eq!(
        app.get("/", Some(&new_session)).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.session_count("socjalny1").await, 1);
}

#[tokio::test]
async fn logout_deletes_the_session_clears_site_data_and_the_old_cookie_no_longer_works() {
    let app = spawn_app().await;
    let session = app.login("kierownik").await;
    let response = app.post("/logout", Some(&session), &[]).await;
    assert_redirect(&response, "/login?wylogowano=1");
    let clear = response
        .headers()
        .get("clear-site-data")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        clear.contains("\"cookies\"")
            && clear.contains("\"cache\"")
            && clear.contains("\"storage\"")
    );
    let removal = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(removal.contains("Max-Age=0"));
    assert_eq!(app.session_count("kierownik").await, 0);
    // Replaying the old cookie leads to the login page.
    assert_redirect(&app.get("/", Some(&session)).await, "/login");
    assert_eq!(app.audit_count("logout", Some("success")).await, 1);
    let page = app
        .get("/login?wylogowano=1", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Wylogowano"));
}

#[tokio::test]
async fn anonymous_requests_are_sent_to_the_login_page() {
    let app = spawn_app().await;
    assert_redirect(&app.get("/", None).await, "/login");
    assert_redirect(&app.get("/admin/users", None).await, "/login");
    let forged = Session {
        token: "ab".repeat(32),
        csrf: String::new(),
    };
    assert_redirect(&app.get("/", Some(&forged)).await, "/login");
}

#[tokio::test]
async fn idle_timeout_ends_the_session_after_fifteen_minutes_without_requests() {
    let app = spawn_app().await;
    let session = app.login("psycholog").await;
    app.advance(Duration::from_secs(14 * 60));
    assert_eq!(
        app.get("/", Some(&session)).await.status(),
        StatusCode::OK,
        "activity within 15 min keeps the session"
    );
    app.advance(Duration::from_secs(14 * 60));
    assert_eq!(
        app.get("/", Some(&session)).await.status(),
        StatusCode::OK,
        "the previous request counted as activity"
    );
    app.advance(Duration::from_secs(15 * 60 + 1));
    let response = app.get("/", Some(&session)).await;
    assert_redirect(&response, "/login?wygasla=1");
    assert_eq!(app.session_count("psycholog").await, 0);
    let page = app
        .get("/login?wygasla=1", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sesja wygasła"));
}

#[tokio::test]
async fn absolute_timeout_ends_even_an_active_session_after_eight_hours() {
    let app = spawn_app().await;
    let session = app.login("doradca").await;
    for _ in 0..33 {
        app.advance(Duration::from_secs(14 * 60));
        assert_eq!(app.get("/", Some(&session)).await.status(), StatusCode::OK);
    }
    // 33 × 14 min = 7 h 42 min; the next step crosses 8 h.
    app.advance(Duration::from_secs(20 * 60));
    assert_redirect(&app.get("/", Some(&session)).await, "/login?wygasla=1");
}

#[tokio::test]
async fn pages_carry_the_timeout_warning_and_the_extend_button_restarts_the_idle_clock() {
    let app = spawn_app().await;
    let session = app.login("instruktor").await;
    let page = app.get("/", Some(&session)).await.text().await.unwrap();
    assert!(page.contains("id=\"session-warning\""));
    // 15 minutes from the login, less the seconds a loaded machine takes to get here.
    let left: u64 = page
        .split("data-seconds-left=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .expect("data-seconds-left");
    assert!((890..=900).contains(&left), "{left}");
    assert!(page.contains("data-warning-seconds=\"120\""));
    assert!(page.contains("<script src=\"/static/js/session.js\" defer>"));
    app.advance(Duration::from_secs(14 * 60));
    let extended = app.post("/session/extend", Some(&session), &[]).await;
    assert_eq!(extended.status(), StatusCode::NO_CONTENT);
    let left: i64 = extended
        .headers()
        .get("x-session-seconds-left")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((890..=900).contains(&left), "{left}");
    app.advance(Duration::from_secs(14 * 60));
    assert_eq!(app.get("/", Some(&session)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn reading_pages_writes_last_seen_at_most_once_a_minute() {
    let app = spawn_app().await;
    let session = app.login("kierownik").await;
    let last_seen = || async {
        sqlx::query_scalar::<_, time::OffsetDateTime>("select last_seen_at from session")
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    let before = last_seen().await;
    app.advance(Duration::from_secs(30));
    app.get("/", Some(&session)).await;
    assert_eq!(last_seen().await, before, "no write within a minute");
    app.advance(Duration::from_secs(31));
    app.get("/", Some(&session)).await;
    assert!(last_seen().await > before);
}

#[tokio::test]
async fn repeated_failures_delay_then_lock_the_login_even_for_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(
            app.post_login("socjalny2", "to nie jest hasło")
                .await
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    // Sixth attempt right away: refused without checking the password (progressive delay).
    let delayed = app.post_login("socjalny2", PASSWORD).await;
    assert_eq!(delayed.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(delayed.headers().contains_key("retry-after"));
    assert!(
        delayed
            .text()
            .await
            .unwrap()
            .contains("Zbyt wiele nieudanych prób")
    );
    // Keep failing, waiting out each delay, until the lock.
    for _ in 0..5 {
        app.advance(Duration::from_secs(65));
        assert_eq!(
            app.post_login("socjalny2", "to nie jest hasło")
                .await
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    app.advance(Duration::from_secs(65));
    assert_eq!(
        app.post_login("socjalny2", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "locked: right password refused"
    );
    // An administrator sees the lock and lifts it.
    let admin = app.login("admin").await;
    let id = app.user_id("socjalny2").await;
    let page = app
        .get(&format!("/admin/users/{id}"), Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Zablokowane"));
    assert_redirect(
        &app.post(&format!("/admin/users/{id}/unlock"), Some(&admin), &[])
            .await,
        &format!("/admin/users/{id}"),
    );
    assert_eq!(
        app.post_login("socjalny2", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.audit_count("staff.unlock", Some("success")).await, 1);
    assert!(app.audit_count("login.throttled", Some("denied")).await >= 2);
    assert_eq!(app.audit_count("login.failure", Some("failure")).await, 10);
}

#[tokio::test]
async fn the_lock_expires_after_fifteen_minutes_and_unknown_logins_are_throttled_alike() {
    let app = spawn_app().await;
    for login in ["socjalny1", "nie-ma-takiego"] {
        for _ in 0..10 {
            app.advance(Duration::from_secs(65));
            app.post_login(login, "złe hasło złe hasło").await;
        }
        let locked = app.post_login(login, "złe hasło złe hasło").await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "{login}");
        let text = locked.text().await.unwrap();
        assert!(text.contains("15 min"), "{text}");
    }
    app.advance(Duration::from_secs(15 * 60 + 5));
    assert_eq!(
        app.post_login("socjalny1", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn at_most_a_hundred_failures_per_hour_are_ever_checked() {
    let app = spawn_app().await;
    // 150 attempts spread over one hour of test time.
    for _ in 0..150 {
        app.advance(Duration::from_secs(24));
        app.post_login("kierownik", "ciągle złe hasło").await;
    }
    let checked = app.audit_count("login.failure", None).await;
    assert!(
        checked <= 100,
        "{checked} failures were checked within an hour"
    );
    let response = app.post_login("kierownik", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_login_rate_limit_answers_429_with_retry_after_per_client_ip() {
    let app = spawn_app_with(|c| {
        c.login_rate_burst = 3;
        c.trusted_proxy = Some([127, 0, 0, 1].into());
    })
    .await;
    let attempt = |ip: &'static str| {
        app.request(reqwest::Method::POST, "/login", None)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", ip)
            .body("login=x&password=y")
            .send()
    };
    for _ in 0..3 {
        assert_eq!(
            attempt("203.0.113.7").await.unwrap().status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let limited = attempt("203.0.113.7").await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert!(limited.text().await.unwrap().contains("Zbyt wiele prób"));
    // Another client is not affected.
    assert_eq!(
        attempt("198.51.100.20").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.audit_count("login.rate_limited", Some("denied")).await,
        1
    );
    let ip: String = sqlx::query_scalar(
        "select host(client_ip) from audit_event where action = 'login.rate_limited'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(ip, "203.0.113.7");
}

#[tokio::test]
async fn a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy() {
    let app = spawn_app_with(|c| c.login_rate_burst = 2).await;
    for ip in ["10.0.0.1", "10.0.0.2"] {
        let r = app
            .request(reqwest::Method::POST, "/login", None)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", ip)
            .body("login=x&password=y")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app
        .request(reqwest::Method::POST, "/login", None)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", "10.0.0.3")
        .body("login=x&password=y")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn open_redirects_through_next_are_refused() {
    let app = spawn_app().await;
    for (next, expected) in [
        ("https://evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/admin/users", "/admin/users"),
    ] {
        let response = app
            .post_raw(
                "/login",
                None,
                &[("login", "admin"), ("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_redirect(&response, expected);
    }
}

#[tokio::test]
async fn a_signed_in_user_visiting_the_login_page_goes_home() {
    let app = spawn_app().await;
    let session = app.login("admin").await;
    assert_redirect(&app.get("/login", Some(&session)).await, "/");
}
