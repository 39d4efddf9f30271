//! Password policy, changing one's own password, one-time passwords.

use std::time::Duration;

use crate::helpers::*;
use reqwest::StatusCode;

async fn change(
    app: &TestApp,
    session: &Session,
    current: &str,
    new: &str,
    confirm: &str,
) -> reqwest::Response {
    app.post(
        "/account/password",
        Some(session),
        &[
            ("current_password", current),
            ("new_password", new),
            ("new_password_confirm", confirm),
        ],
    )
    .await
}

#[tokio::test]
async fn the_policy_refuses_short_long_common_and_context_passwords_with_a_message() {
    let app = spawn_app().await;
    let session = app.login("socjalny1").await;
    let cases = [
        ("a".repeat(11), "co najmniej 12 znaków"),
        ("ż".repeat(129), "najwyżej 128 znaków"),
        ("password1234".to_owned(), "nie może składać się"),
        ("1qaz2wsx3edc".to_owned(), "zbyt łatwe"),
        ("qwertyuiop12".to_owned(), "zbyt łatwe"),
        ("CIS Testowo 2026".to_owned(), "nie może składać się"),
        (
            "Testowo Kierownik Teczka".to_owned(),
            "nie może składać się",
        ),
        ("socjalny1socjalny1".to_owned(), "nie może składać się"),
    ];
    for (candidate, message) in cases {
        let response = change(&app, &session, PASSWORD, &candidate, &candidate).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{candidate}"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{candidate}: expected «{message}»");
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(
            !page.contains(&candidate) || candidate.len() < 4,
            "passwords are never echoed"
        );
    }
    // Nothing changed: the old password still works.
    assert_eq!(
        app.post_login("socjalny1", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn current_password_and_confirmation_are_checked() {
    let app = spawn_app().await;
    let session = app.login("socjalny1").await;
    let new = "zielony rower jedzie pod górę";
    let wrong_current = change(&app, &session, "nie to hasło", new, new).await;
    assert_eq!(wrong_current.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong_current
            .text()
            .await
            .unwrap()
            .contains("Obecne hasło jest nieprawidłowe.")
    );
    let mismatch = change(&app, &session, PASSWORD, new, "inne hasło niż tamto").await;
    let mismatch = mismatch.text().await.unwrap();
    assert!(mismatch.contains("Hasła nie są takie same."));
    // The error summary at the top links the field.
    assert!(
        mismatch
            .contains(r##"<li><a href="#new_password_confirm">Hasła nie są takie same.</a></li>"##)
    );
    let same = change(&app, &session, PASSWORD, PASSWORD, PASSWORD).await;
    assert!(same.text().await.unwrap().contains("musi się różnić"));
    assert_eq!(
        app.audit_count("account.change_password", Some("failure"))
            .await,
        1
    );
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_rotates_this_one_and_accepts_unicode_passphrases()
 {
    let app = spawn_app().await;
    let laptop = app.login("kierownik").await;
    let phone = app.login("kierownik").await;
    let new = "Łódź, żółw i gęś jadą razem nad morze";
    let response = change(&app, &laptop, PASSWORD, new, new).await;
    assert_redirect(&response, "/");
    let rotated = session_cookie(&response).expect("a new session id after re-authentication");
    assert_ne!(rotated, laptop.token);
    assert_redirect(&app.get("/", Some(&laptop)).await, "/login");
    assert_redirect(&app.get("/", Some(&phone)).await, "/login");
    let current = Session {
        token: rotated,
        csrf: String::new(),
    };
    let home = app.get("/", Some(&current)).await.text().await.unwrap();
    assert!(home.contains("Hasło zostało zmienione"));
    assert_eq!(
        app.post_login("kierownik", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_login("kierownik", new).await.status(),
        StatusCode::SEE_OTHER
    );
    let hash: String =
        sqlx::query_scalar("select password_hash from staff_user where login = 'kierownik'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert_eq!(
        app.audit_count("account.change_password", Some("success"))
            .await,
        1
    );
}

#[tokio::test]
async fn a_login_upgrades_an_old_weak_hash_to_the_current_parameters() {
    let app = spawn_app().await;
    let before: String =
        sqlx::query_scalar("select password_hash from staff_user where login = 'doradca'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(before.contains("m=64,t=1"));
    app.login("doradca").await;
    let after: String =
        sqlx::query_scalar("select password_hash from staff_user where login = 'doradca'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(after.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
}

async fn issue_one_time_password(app: &TestApp, login: &str) -> String {
    let admin = app.login("admin").await;
    let id = app.user_id(login).await;
    let response = app
        .post(
            &format!("/admin/users/{id}/reset-password"),
            Some(&admin),
            &[],
        )
        .await;
    assert_redirect(&response, &format!("/admin/users/{id}"));
    let page = app
        .get(&format!("/admin/users/{id}"), Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    one_time_password_in(&page).expect("the one-time password is shown once")
}

/// The `xxxx-xxxx-xxxx-xxxx` password in a page.
pub fn one_time_password_in(page: &str) -> Option<String> {
    let marker = "”: ";
    let start = page.find(marker)? + marker.len();
    Some(page[start..start + 19].to_owned())
}

#[tokio::test]
async fn a_one_time_password_must_be_replaced_at_first_login() {
    let app = spawn_app().await;
    let one_time = issue_one_time_password(&app, "instruktor").await;
    let response = app.post_login("instruktor", &one_time).await;
    assert_redirect(&response, "/account/password");
    let session = Session {
        token: session_cookie(&response).unwrap(),
        csrf: String::new(),
    };
    // Every other page sends the user back to the password form.
    assert_redirect(&app.get("/", Some(&session)).await, "/account/password");
    let form = app
        .get("/account/password", Some(&session))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("Logujesz się hasłem jednorazowym"));
    let session = Session {
        csrf: extract_csrf(&form).unwrap(),
        ..session
    };
    let new = "mój własny długi sekret na co dzień";
    let changed = change(&app, &session, &one_time, new, new).await;
    assert_redirect(&changed, "/");
    let session = Session {
        token: session_cookie(&changed).unwrap(),
        csrf: String::new(),
    };
    assert_eq!(app.get("/", Some(&session)).await.status(), StatusCode::OK);
    assert_eq!(
        app.post_login("instruktor", &one_time).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn an_expired_one_time_password_no_longer_works() {
    let app = spawn_app().await;
    let one_time = issue_one_time_password(&app, "doradca").await;
    app.advance(Duration::from_secs(24 * 3600 + 60));
    let response = app.post_login("doradca", &one_time).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Hasło jednorazowe wygasło")
    );
}
