//! The administrator's reset of a person's second factor, and the demo's account with a fixed
//! key.

use reqwest::{Method, StatusCode};

use crate::helpers::*;
use crate::second_factor::{
    SECRET, as_pending, code_now, code_step, enrol, password_step, spawn_requiring,
};

/// Logs `login` (with a factor of `SECRET`) in through both steps.
async fn login_with_code(app: &TestApp, login: &str) -> Session {
    let (token, to) = password_step(app, login).await;
    assert_eq!(to, "/login/code");
    let done = code_step(app, &token, &code_now(app, SECRET)).await;
    assert_redirect(&done, "/");
    let mut session = Session {
        token: session_cookie(&done).unwrap(),
        csrf: String::new(),
    };
    session.csrf = app.csrf_token(&session).await;
    session
}

#[tokio::test]
async fn the_administrator_resets_a_factor_which_ends_the_persons_sessions() {
    let app = spawn_requiring().await;
    enrol(&app, "admin", SECRET).await;
    enrol(&app, "kierownik", b"another-test-secret!").await;
    sqlx::query(
        "insert into recovery_code (staff_user_id, centre_id, code_hash)
         select staff_user_id, centre_id, '\\x00' from staff_user where login = 'kierownik'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let admin = login_with_code(&app, "admin").await;
    // The manager is signed in (a session made directly: their key is not this test's).
    let manager_session: uuid::Uuid = app.user_id("kierownik").await;
    teczka::auth::session::create(&app.db, manager_session, app.state.clock.now())
        .await
        .unwrap();
    assert_eq!(app.session_count("kierownik").await, 1);

    let id = app.user_id("kierownik").await;
    let page = app.text(&format!("/admin/users/{id}"), &admin).await;
    assert!(page.contains("Drugi składnik logowania"), "{page}");
    assert!(page.contains("Włączony od"), "{page}");
    let confirm = format!("/admin/users/{id}/second-factor/confirm");
    let page = app.text(&confirm, &admin).await;
    assert!(page.contains("Tak, zresetuj drugi składnik"), "{page}");
    assert_eq!(
        app.session_count("kierownik").await,
        1,
        "showing changes nothing"
    );

    // Without the confirmation: the page again, nothing changed.
    let reset = format!("/admin/users/{id}/second-factor/reset");
    let unconfirmed = app.post(&reset, Some(&admin), &[]).await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.session_count("kierownik").await, 1);

    let done = app.post(&reset, Some(&admin), &[("confirm", "tak")]).await;
    assert_redirect(&done, &format!("/admin/users/{id}"));
    assert_eq!(app.session_count("kierownik").await, 0, "sessions ended");
    let left: i64 = sqlx::query_scalar(
        "select (select count(*) from second_factor where staff_user_id = $1)
              + (select count(*) from recovery_code where staff_user_id = $1)",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(left, 0);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'staff.reset_second_factor'
         and outcome = 'success' and object_id = $1 and actor_id = $2",
    )
    .bind(id)
    .bind(app.user_id("admin").await)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let page = app.text(&format!("/admin/users/{id}"), &admin).await;
    assert!(
        page.contains("skonfiguruje go przy następnym logowaniu"),
        "{page}"
    );

    // The next login leads the manager through enrolment again.
    assert_eq!(
        password_step(&app, "kierownik").await.1,
        "/login/second-factor"
    );
}

#[tokio::test]
async fn only_the_administrator_resets_and_not_their_own_factor() {
    let app = spawn_app().await;
    enrol(&app, "admin", SECRET).await;
    let admin = login_with_code(&app, "admin").await;
    let own = app.user_id("admin").await;
    let response = app
        .post(
            &format!("/admin/users/{own}/second-factor/reset"),
            Some(&admin),
            &[("confirm", "tak")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let manager = app.login("kierownik").await;
    let response = app
        .post(
            &format!("/admin/users/{own}/second-factor/reset"),
            Some(&manager),
            &[("confirm", "tak")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let factors: i64 = sqlx::query_scalar("select count(*) from second_factor")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(factors, 1);
}

#[tokio::test]
async fn the_demo_account_with_a_factor_uses_the_printed_key() {
    let secret =
        teczka::auth::second_factor::secret_from_base32(teczka::demo::SECOND_FACTOR_SECRET)
            .unwrap();
    assert_eq!(secret.len(), 20);
    let (login, _, role, centre) = teczka::demo::ACCOUNTS
        .into_iter()
        .find(|(l, ..)| *l == teczka::demo::SECOND_FACTOR_LOGIN)
        .unwrap();
    assert_eq!(
        (login, role, centre),
        ("kierownik-mfa", teczka::domain::Role::Manager, 0)
    );
    // Demo mode requires nothing, but an account with a factor needs its code.
    let app = spawn_app_with(|c| c.demo = true).await;
    enrol(&app, "kierownik", &secret).await;
    let (token, to) = password_step(&app, "kierownik").await;
    assert_eq!(to, "/login/code");
    let page = as_pending(&app, Method::GET, &to, &token, &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("bez drugiego składnika (poza kontem kierownik-mfa)"));
    let done = code_step(&app, &token, &code_now(&app, &secret)).await;
    assert_redirect(&done, "/");
    assert_redirect(&app.post_login("socjalny1", PASSWORD).await, "/");
}
