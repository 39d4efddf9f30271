//! Cross-site request forgery: the fetch-metadata/Origin check and the synchronizer token.

use crate::helpers::*;
use reqwest::StatusCode;

async fn staff_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from staff_user")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

fn new_account(csrf: &str) -> String {
    form_body(&[
        ("login", "nowy.pracownik"),
        ("full_name", "Nowy Pracownik"),
        ("role", "instructor"),
        ("csrf_token", csrf),
    ])
}

#[tokio::test]
async fn cross_site_posts_are_refused_with_403_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = staff_count(&app).await;
    let cross_site = app
        .request(reqwest::Method::POST, "/admin/users", Some(&admin))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(new_account(&admin.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert!(cross_site.text().await.unwrap().contains("Brak dostępu"));
    let foreign_origin = app
        .request(reqwest::Method::POST, "/admin/users", Some(&admin))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .body(new_account(&admin.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status(), StatusCode::FORBIDDEN);
    let cross_site_login = app
        .request(reqwest::Method::POST, "/login", None)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(form_body(&[("login", "admin"), ("password", PASSWORD)]))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site_login.status(), StatusCode::FORBIDDEN);
    assert_eq!(staff_count(&app).await, before);
}

#[tokio::test]
async fn a_missing_or_wrong_synchronizer_token_is_refused_audited_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = staff_count(&app).await;
    let fields = [
        ("login", "nowy.pracownik"),
        ("full_name", "Nowy Pracownik"),
        ("role", "instructor"),
    ];
    let missing = app.post_raw("/admin/users", Some(&admin), &fields).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let mut wrong = fields.to_vec();
    wrong.push((
        "csrf_token",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    assert_eq!(
        app.post_raw("/admin/users", Some(&admin), &wrong)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // Another user's valid token does not work either.
    let other = app.login("admin2").await;
    let mut borrowed = fields.to_vec();
    borrowed.push(("csrf_token", other.csrf.as_str()));
    assert_eq!(
        app.post_raw("/admin/users", Some(&admin), &borrowed)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // Logout without a token does not end the session.
    assert_eq!(
        app.post_raw("/logout", Some(&admin), &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/", Some(&admin)).await.status(), StatusCode::OK);
    assert_eq!(staff_count(&app).await, before);
    assert_eq!(app.audit_count("csrf.rejected", Some("denied")).await, 4);
    // Same-origin with the right token works.
    let ok = app
        .request(reqwest::Method::POST, "/admin/users", Some(&admin))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("origin", &app.address)
        .body(new_account(&admin.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(staff_count(&app).await, before + 1);
}

#[tokio::test]
async fn state_never_changes_on_get() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = app.user_id("socjalny1").await;
    for path in ["/logout", "/session/extend", "/admin/users/new"] {
        app.get(path, Some(&admin)).await;
    }
    for action in ["deactivate", "reset-password", "unlock", "role"] {
        let r = app
            .get(&format!("/admin/users/{id}/{action}"), Some(&admin))
            .await;
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{action}");
    }
    // The confirmation pages only ask, even when the confirmation is in the query.
    for page in [
        format!("/admin/users/{id}/deactivate/confirm?confirm=tak"),
        format!("/admin/users/{id}/role/confirm?role=manager&version=0&confirm=tak"),
    ] {
        assert_eq!(
            app.get(&page, Some(&admin)).await.status(),
            StatusCode::OK,
            "{page}"
        );
    }
    assert_eq!(
        app.get("/", Some(&admin)).await.status(),
        StatusCode::OK,
        "GET /logout did not log out"
    );
    let (active, role): (bool, String) =
        sqlx::query_as("select active, role::text from staff_user where login = 'socjalny1'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(active);
    assert_eq!(role, "social_worker");
}
