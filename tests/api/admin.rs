//! Staff administration by the centre's administrator.

use crate::helpers::*;
use crate::password::one_time_password_in;
use reqwest::StatusCode;

#[tokio::test]
async fn the_admin_lists_only_the_staff_of_their_centre() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let page = app
        .get("/admin/users", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    for (login, name, _, centre) in USERS {
        assert_eq!(page.contains(name), *centre == CENTRE_A, "{login}");
    }
    assert!(page.contains("Pracownik socjalny") && page.contains("Instruktor zawodu"));
    assert!(
        !page.contains("href=\"/participants\""),
        "no participant menu for the administrator"
    );
}

#[tokio::test]
async fn creating_an_account_shows_the_one_time_password_once_and_audits_it() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let form = app
        .get("/admin/users/new", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("<label for=\"login\">Login</label>"));
    let response = app
        .post(
            "/admin/users",
            Some(&admin),
            &[
                ("login", "  Nowa.Osoba "),
                ("full_name", "Nowa Osoba"),
                ("role", "psychologist"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let target = location(&response);
    let page = app.get(&target, Some(&admin)).await.text().await.unwrap();
    let one_time = one_time_password_in(&page).unwrap();
    assert!(page.contains("Psycholog-terapeuta"));
    assert!(page.contains("Czeka na zmianę hasła jednorazowego"));
    // Shown once: the next view no longer has it.
    let again = app.get(&target, Some(&admin)).await.text().await.unwrap();
    assert!(!again.contains(&one_time));
    let (login, centre): (String, String) = sqlx::query_as(
        "select u.login, c.name from staff_user u join centre c using (centre_id) where u.full_name = 'Nowa Osoba'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((login.as_str(), centre.as_str()), ("nowa.osoba", CENTRE_A));
    assert_redirect(
        &app.post_login("nowa.osoba", &one_time).await,
        "/account/password",
    );
    assert_eq!(app.audit_count("staff.create", Some("success")).await, 1);
}

#[tokio::test]
async fn invalid_account_forms_are_re_rendered_with_messages_and_the_input_kept() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let long_name = "N".repeat(10_000);
    let response = app
        .post(
            "/admin/users",
            Some(&admin),
            &[
                ("login", "Ł!"),
                ("full_name", &long_name),
                ("role", "superuser"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Login: 3–40 znaków"));
    assert!(page.contains("Najwyżej 200 znaków"));
    assert!(page.contains("Wybierz rolę z listy."));
    assert!(page.contains("value=\"Ł!\""), "input kept");
    let taken = app
        .post(
            "/admin/users",
            Some(&admin),
            &[
                ("login", "socjalny1"),
                ("full_name", "<script>alert(1)</script>"),
                ("role", "manager"),
            ],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = taken.text().await.unwrap();
    assert!(page.contains("Ten login jest już zajęty."));
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            && !page.contains("<script>alert(1)")
    );
    let count: i64 = sqlx::query_scalar("select count(*) from staff_user")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, USERS.len() as i64);
    assert_eq!(app.audit_count("staff.create", None).await, 0);
}

#[tokio::test]
async fn html_in_a_name_is_escaped_everywhere_it_is_shown() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let payload = "\"><img src=x onerror=alert(1)>";
    let response = app
        .post(
            "/admin/users",
            Some(&admin),
            &[
                ("login", "xss.test"),
                ("full_name", payload),
                ("role", "manager"),
            ],
        )
        .await;
    let target = location(&response);
    for path in ["/admin/users", target.as_str()] {
        let page = app.get(path, Some(&admin)).await.text().await.unwrap();
        assert!(!page.contains("<img src=x"), "{path}");
        assert!(
            page.contains("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn changing_a_role_uses_the_version_and_never_applies_to_oneself() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = app.user_id("doradca").await;
    let response = app
        .post(
            &format!("/admin/users/{id}/role"),
            Some(&admin),
            &[("role", "instructor"), ("version", "0")],
        )
        .await;
    assert_redirect(&response, &format!("/admin/users/{id}"));
    let role: String =
        sqlx::query_scalar("select role::text from staff_user where login = 'doradca'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(role, "instructor");
    // A second form opened at version 0 is stale now.
    let stale = app
        .post(
            &format!("/admin/users/{id}/role"),
            Some(&admin),
            &[("role", "manager"), ("version", "0")],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(
        stale
            .text()
            .await
            .unwrap()
            .contains("Ktoś inny zmienił to konto")
    );
    let role: String =
        sqlx::query_scalar("select role::text from staff_user where login = 'doradca'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(role, "instructor");
    let own = app.user_id("admin").await;
    let refused = app
        .post(
            &format!("/admin/users/{own}/role"),
            Some(&admin),
            &[("role", "manager"), ("version", "0")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Nie możesz zmienić własnej roli")
    );
    let detail: String =
        sqlx::query_scalar("select detail from audit_event where action = 'staff.change_role'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(detail, "career_advisor->instructor");
    // The new role takes effect on the user's next request.
    let changed = app.login("doradca").await;
    assert_eq!(
        app.get("/admin/users", Some(&changed)).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn deactivation_ends_every_session_and_blocks_login_until_reactivated() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let first = app.login("socjalny2").await;
    let second = app.login("socjalny2").await;
    let id = app.user_id("socjalny2").await;
    assert_redirect(
        &app.post(&format!("/admin/users/{id}/deactivate"), Some(&admin), &[])
            .await,
        &format!("/admin/users/{id}"),
    );
    assert_eq!(app.session_count("socjalny2").await, 0);
    for session in [&first, &second] {
        assert_redirect(&app.get("/", Some(session)).await, "/login");
    }
    let refused = app.post_login("socjalny2", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Nieprawidłowy login lub hasło.")
    );
    let twice = app
        .post(&format!("/admin/users/{id}/deactivate"), Some(&admin), &[])
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert_redirect(
        &app.post(&format!("/admin/users/{id}/reactivate"), Some(&admin), &[])
            .await,
        &format!("/admin/users/{id}"),
    );
    assert_eq!(
        app.post_login("socjalny2", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.audit_count("staff.deactivate", Some("success")).await,
        1
    );
    assert_eq!(
        app.audit_count("staff.reactivate", Some("success")).await,
        1
    );
    let own = app.user_id("admin").await;
    assert_eq!(
        app.post(&format!("/admin/users/{own}/deactivate"), Some(&admin), &[])
            .await
            .status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn a_password_reset_ends_every_session_of_the_account() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let a = app.login("psycholog").await;
    let b = app.login("psycholog").await;
    let id = app.user_id("psycholog").await;
    app.post(
        &format!("/admin/users/{id}/reset-password"),
        Some(&admin),
        &[],
    )
    .await;
    for session in [&a, &b] {
        assert_redirect(&app.get("/", Some(session)).await, "/login");
    }
    assert_eq!(
        app.post_login("psycholog", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.audit_count("staff.reset_password", Some("success"))
            .await,
        1
    );
}

#[tokio::test]
async fn accounts_of_another_centre_answer_404_to_every_admin_action() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let foreign = app.user_id("socjalny3").await;
    assert_eq!(
        app.get(&format!("/admin/users/{foreign}"), Some(&admin))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    for action in ["deactivate", "reactivate", "reset-password", "unlock"] {
        let r = app
            .post(
                &format!("/admin/users/{foreign}/{action}"),
                Some(&admin),
                &[],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let r = app
        .post(
            &format!("/admin/users/{foreign}/role"),
            Some(&admin),
            &[("role", "admin"), ("version", "0")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (active, role): (bool, String) =
        sqlx::query_as("select active, role::text from staff_user where login = 'socjalny3'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(active);
    assert_eq!(role, "social_worker");
    assert_eq!(app.session_count("socjalny3").await, 0);
}

#[tokio::test]
async fn non_admins_are_denied_staff_administration_and_the_denial_is_audited() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let id = app.user_id("socjalny1").await;
    assert_eq!(
        app.get("/admin/users", Some(&manager)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &format!("/admin/users/{id}/deactivate"),
            Some(&manager),
            &[]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let denied: i64 = sqlx::query_scalar(
        "select count(*) from audit_event a join staff_user u on u.staff_user_id = a.actor_id where u.login = 'kierownik' and a.outcome = 'denied'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(denied, 2);
    let page = app.get("/", Some(&manager)).await.text().await.unwrap();
    assert!(
        !page.contains("href=\"/admin/users\""),
        "no link to what is denied"
    );
}
