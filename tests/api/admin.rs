//! Staff administration by the centre's administrator.

use crate::helpers::*;
use crate::password::one_time_password_in;
use reqwest::StatusCode;

#[tokio::test]
async fn the_admin_lists_only_the_staff_of_their_centre() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let page = body_of(&app, "/admin/users", &admin).await;
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
    let form = body_of(&app, "/admin/users/new", &admin).await;
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
    let page = body_of(&app, &target, &admin).await;
    let one_time = one_time_password_in(&page).unwrap();
    assert!(page.contains("Psycholog-terapeuta"));
    assert!(page.contains("Czeka na zmianę hasła jednorazowego"));
    // Shown once: the next view no longer has it.
    let again = body_of(&app, &target, &admin).await;
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
        let page = body_of(&app, path, &admin).await;
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
    let response = post_role_change(&app, &admin, id, "instructor", "0").await;
    assert_redirect(&response, &format!("/admin/users/{id}"));
    let role: String =
        sqlx::query_scalar("select role::text from staff_user where login = 'doradca'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(role, "instructor");
    // A second form opened at version 0 is stale now.
    let stale = post_role_change(&app, &admin, id, "manager", "0").await;
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
    let refused = post_role_change(&app, &admin, own, "manager", "0").await;
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
        &app.post(
            &format!("/admin/users/{id}/deactivate"),
            Some(&admin),
            &[("confirm", "tak")],
        )
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
        .post(
            &format!("/admin/users/{id}/deactivate"),
            Some(&admin),
            &[("confirm", "tak")],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.get(
            &format!("/admin/users/{id}/deactivate/confirm"),
            Some(&admin)
        )
        .await
        .status(),
        StatusCode::CONFLICT,
        "no confirmation for an inactive account"
    );
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
        app.post(
            &format!("/admin/users/{own}/deactivate"),
            Some(&admin),
            &[("confirm", "tak")],
        )
        .await
        .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.get(
            &format!("/admin/users/{own}/deactivate/confirm"),
            Some(&admin)
        )
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
    for action in ["reactivate", "reset-password", "unlock"] {
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
            &format!("/admin/users/{foreign}/deactivate"),
            Some(&admin),
            &[("confirm", "tak")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = post_role_change(&app, &admin, foreign, "admin", "0").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    for page in [
        format!("/admin/users/{foreign}/role/confirm?role=admin&version=0"),
        format!("/admin/users/{foreign}/deactivate/confirm"),
    ] {
        let r = app.get(&page, Some(&admin)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{page}");
        assert!(!r.text().await.unwrap().contains("Sara Socjalna"), "{page}");
    }
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

/// Posts a role change as its confirmation page does.
async fn post_role_change(
    app: &TestApp,
    admin: &Session,
    id: uuid::Uuid,
    role: &str,
    version: &str,
) -> reqwest::Response {
    let fields = [("role", role), ("version", version), ("confirm", "tak")];
    app.post(&format!("/admin/users/{id}/role"), Some(admin), &fields)
        .await
}

/// The page at `path` as `session` sees it.
async fn body_of(app: &TestApp, path: &str, session: &Session) -> String {
    app.get(path, Some(session)).await.text().await.unwrap()
}

/// (role, version, number of role-history entries) of a fixture account.
async fn role_state(app: &TestApp, login: &str) -> (String, i32, i64) {
    sqlx::query_as(
        "select u.role::text, u.version, (select count(*) from staff_role_change c where c.staff_user_id = u.staff_user_id)
         from staff_user u where u.login = $1",
    )
    .bind(login)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_role_change_confirmation_says_what_changes_and_changes_nothing_itself() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = app.user_id("doradca").await;
    let account = body_of(&app, &format!("/admin/users/{id}"), &admin).await;
    assert!(
        account.contains(&format!(
            "<form method=\"get\" action=\"/admin/users/{id}/role/confirm\""
        )),
        "the role form asks for the confirmation page first"
    );

    // Act
    let response = app
        .get(
            &format!("/admin/users/{id}/role/confirm?version=0&role=instructor"),
            Some(&admin),
        )
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    for expected in [
        "<h1>Zmiana roli: Dorota Doradca</h1>",
        "<dt>Obecna rola</dt><dd>Doradca zawodowy</dd>",
        "<dt>Nowa rola</dt><dd>Instruktor zawodu</dd>",
        "Otwiera teczki uczestników w okresie próbnym i w trakcie uczestnictwa",
        "Otwiera tylko teczki uczestników pracowni, które prowadzi jako instruktor.",
        "od następnego kliknięcia tej osoby",
        &format!("<form method=\"post\" action=\"/admin/users/{id}/role\">"),
        "<input type=\"hidden\" name=\"role\" value=\"instructor\">",
        "<input type=\"hidden\" name=\"confirm\" value=\"tak\">",
        "<button type=\"submit\" class=\"danger\">Tak, zmień rolę</button>",
        &format!("<a class=\"cancel\" href=\"/admin/users/{id}\">Anuluj</a>"),
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    assert_eq!(
        role_state(&app, "doradca").await,
        ("career_advisor".to_owned(), 0, 1)
    );
    // A social worker's caseload stays assigned; the page says so.
    let worker = app.user_id("socjalny1").await;
    let page = app
        .get(
            &format!("/admin/users/{worker}/role/confirm?role=admin&version=0"),
            Some(&admin),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("pozostają do niej przypisani"));
    assert!(page.contains("Nie otwiera teczek i nie widzi żadnych danych uczestników"));
    assert!(page.contains("Konto administratora zakłada konta"));
}

#[tokio::test]
async fn a_role_choice_that_cannot_be_confirmed_is_refused_before_the_confirmation() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = app.user_id("doradca").await;
    let confirm = |query: &str| format!("/admin/users/{id}/role/confirm?{query}");
    for (query, message) in [
        ("role=career_advisor&version=0", "To konto ma już tę rolę"),
        ("role=superuser&version=0", "Wybierz rolę z listy."),
        ("version=0", "Wybierz rolę z listy."),
    ] {
        let r = app.get(&confirm(query), Some(&admin)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{query}");
        assert!(page.contains("id=\"error-summary\""), "{query}");
        assert!(
            page.contains("<h1>Dorota Doradca</h1>"),
            "the account page again"
        );
    }
    let stale = app
        .get(&confirm("role=manager&version=7"), Some(&admin))
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let own = app.user_id("admin").await;
    let r = app
        .get(
            &format!("/admin/users/{own}/role/confirm?role=manager&version=0"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        role_state(&app, "doradca").await,
        ("career_advisor".to_owned(), 0, 1)
    );
}

#[tokio::test]
async fn a_role_change_posted_without_confirmation_changes_nothing() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = app.user_id("doradca").await;

    // Act
    let mut responses = Vec::new();
    for confirm in [None, Some(""), Some("nie")] {
        let mut fields = vec![("role", "instructor"), ("version", "0")];
        if let Some(c) = confirm {
            fields.push(("confirm", c));
        }
        responses.push(
            app.post(&format!("/admin/users/{id}/role"), Some(&admin), &fields)
                .await,
        );
    }

    // Assert: the confirmation page again, and nothing written.
    for response in responses {
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("<h1>Zmiana roli: Dorota Doradca</h1>"));
        assert!(page.contains("Tak, zmień rolę"));
    }
    assert_eq!(
        role_state(&app, "doradca").await,
        ("career_advisor".to_owned(), 0, 1)
    );
    assert_eq!(app.audit_count("staff.change_role", None).await, 0);
}

#[tokio::test]
async fn a_confirmed_role_change_writes_a_history_entry_with_who_and_when() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let admin_id = app.user_id("admin").await;
    let id = app.user_id("doradca").await;
    let before = time::OffsetDateTime::now_utc();

    // Act
    let response = post_role_change(&app, &admin, id, "instructor", "0").await;

    // Assert
    assert_redirect(&response, &format!("/admin/users/{id}"));
    assert_eq!(
        role_state(&app, "doradca").await,
        ("instructor".to_owned(), 1, 2)
    );
    let (from, to, by, at): (
        Option<String>,
        String,
        Option<uuid::Uuid>,
        time::OffsetDateTime,
    ) = sqlx::query_as(
        "select from_role::text, to_role::text, changed_by, changed_at from staff_role_change
             where staff_user_id = $1 and from_role is not null",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(from.as_deref(), Some("career_advisor"));
    assert_eq!(to, "instructor");
    assert_eq!(by, Some(admin_id));
    assert!(before - time::Duration::seconds(1) <= at && at <= time::OffsetDateTime::now_utc());
    // The account page: the history, newest first, with the date in Polish time.
    let page = body_of(&app, &format!("/admin/users/{id}"), &admin).await;
    assert!(page.contains("Zmieniono rolę na: Instruktor zawodu."));
    let changed = format!(
        "<tr><td>{}</td><td>Doradca zawodowy → Instruktor zawodu</td><td>Adam Admin</td></tr>",
        teczka::validate::dates::format_moment(at)
    );
    let created = "<td>Utworzenie konta z rolą: Doradca zawodowy</td><td>nie odnotowano</td>";
    let (changed_at, created_at) = (page.find(&changed), page.find(created));
    assert!(changed_at.is_some() && created_at.is_some(), "{page}");
    assert!(changed_at < created_at, "newest first");
}

#[tokio::test]
async fn an_account_created_by_the_admin_starts_its_history_with_them() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let response = app
        .post(
            "/admin/users",
            Some(&admin),
            &[
                ("login", "nowa.osoba"),
                ("full_name", "Nowa Osoba"),
                ("role", "psychologist"),
            ],
        )
        .await;
    let page = body_of(&app, &location(&response), &admin).await;
    assert!(
        page.contains("<td>Utworzenie konta z rolą: Psycholog-terapeuta</td><td>Adam Admin</td>")
    );
    assert!(page.contains("<dt>Ostatnie logowanie</dt><dd>nigdy</dd>"));
}

#[tokio::test]
async fn deactivation_asks_first_and_without_confirmation_changes_nothing() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let worker = app.login("socjalny2").await;
    let id = app.user_id("socjalny2").await;

    // Act: the account page's button leads to the confirmation page.
    let account = body_of(&app, &format!("/admin/users/{id}"), &admin).await;
    let page = app
        .get(
            &format!("/admin/users/{id}/deactivate/confirm"),
            Some(&admin),
        )
        .await;

    // Assert
    assert!(account.contains(&format!(
        "<a class=\"button danger\" href=\"/admin/users/{id}/deactivate/confirm\">Dezaktywuj konto</a>"
    )));
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    for expected in [
        "<h1>Dezaktywacja konta: Sebastian Socjalny</h1>",
        "Wszystkie sesje tego konta kończą się od razu",
        "Nie da się zalogować na to konto",
        "Nic nie jest usuwane",
        &format!("<form method=\"post\" action=\"/admin/users/{id}/deactivate\">"),
        "<button type=\"submit\" class=\"danger\">Tak, dezaktywuj konto</button>",
        &format!("<a class=\"cancel\" href=\"/admin/users/{id}\">Anuluj</a>"),
    ] {
        assert!(page.contains(expected), "{expected}");
    }

    // Posted without the confirmation: the confirmation page again, nothing changes.
    for fields in [&[][..], &[("confirm", "")][..]] {
        let r = app
            .post(
                &format!("/admin/users/{id}/deactivate"),
                Some(&admin),
                fields,
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("Tak, dezaktywuj konto"));
    }
    let active: bool =
        sqlx::query_scalar("select active from staff_user where login = 'socjalny2'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(active);
    assert_eq!(app.get("/", Some(&worker)).await.status(), StatusCode::OK);
    assert_eq!(app.audit_count("staff.deactivate", None).await, 0);
}

#[tokio::test]
async fn the_account_page_and_the_list_show_the_last_login() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = app.user_id("psycholog").await;
    let account = format!("/admin/users/{id}");
    let page = body_of(&app, &account, &admin).await;
    assert!(page.contains("<dt>Ostatnie logowanie</dt><dd>nigdy</dd>"));

    // Act
    app.login("psycholog").await;

    // Assert
    let (at, version): (time::OffsetDateTime, i32) =
        sqlx::query_as("select last_login_at, version from staff_user where login = 'psycholog'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(version, 0, "a login is not an edit of the account");
    let shown = teczka::validate::dates::format_moment(at);
    assert!(shown.starts_with(&teczka::validate::dates::format(
        teczka::validate::dates::polish_today(at)
    )));
    let page = body_of(&app, &account, &admin).await;
    assert!(page.contains(&format!("<dt>Ostatnie logowanie</dt><dd>{shown}</dd>")));
    let list = body_of(&app, "/admin/users", &admin).await;
    assert!(list.contains(&format!("<td>{shown}</td>")));
    assert!(list.contains("<td>nigdy</td>"), "others have not signed in");
    // A failed login does not count.
    app.post_login("psycholog", "nie to hasło").await;
    let again: time::OffsetDateTime =
        sqlx::query_scalar("select last_login_at from staff_user where login = 'psycholog'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(again, at);
}

#[tokio::test]
async fn the_migration_gives_existing_accounts_their_role_history_and_last_login_from_the_audit_log()
 {
    // Arrange: a database at migration 11 with three accounts and what the audit log knows:
    // the admin came from create-admin; the advisor was created by the admin as a career
    // advisor, became an instructor and signed in twice; the manager has no record at all.
    let database = empty_database().await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options(teczka::db::embedded::OWNER_ROLE, &database))
        .await
        .unwrap();
    let (earlier, ours): (Vec<_>, Vec<_>) =
        teczka::db::MIGRATOR.iter().partition(|m| m.version < 12);
    for m in earlier {
        sqlx::raw_sql(&m.sql).execute(&pool).await.unwrap();
    }
    sqlx::raw_sql(
        "insert into centre (name) values ('CIS Dawny');
         insert into staff_user (centre_id, login, full_name, role, password_hash, created_at, updated_at)
         select centre_id, l, l, r::staff_role, 'x', t::timestamptz, '2024-03-01 12:00+01'
         from centre, (values ('admin', 'admin', '2024-01-01 09:00+01'),
                              ('doradca', 'instructor', '2024-01-02 10:00+01'),
                              ('kierownik', 'manager', '2024-01-03 11:00+01')) a(l, r, t);
         insert into audit_event (occurred_at, actor_id, action, object_type, object_id, outcome, detail)
         select t::timestamptz, (select staff_user_id from staff_user where login = actor), action,
                'staff_user', (select staff_user_id from staff_user where login = object), outcome, detail
         from (values ('2024-01-01 09:00+01', null, 'staff.create', 'admin', 'success', 'admin via create-admin'),
                      ('2024-01-02 10:00+01', 'admin', 'staff.create', 'doradca', 'success', 'career_advisor'),
                      ('2024-02-01 08:30+01', 'admin', 'staff.change_role', 'doradca', 'success', 'career_advisor->instructor'),
                      ('2024-02-05 08:00+01', 'doradca', 'login.success', 'doradca', 'success', null),
                      ('2024-02-20 07:45+01', 'doradca', 'login.success', 'doradca', 'success', null),
                      ('2024-02-21 07:45+01', 'doradca', 'login.failure', 'doradca', 'failure', 'wrong_password'))
              e(t, actor, action, object, outcome, detail);",
    )
    .execute(&pool)
    .await
    .unwrap();

    // Act
    for m in ours {
        sqlx::raw_sql(&m.sql).execute(&pool).await.unwrap();
    }

    // Assert
    // One line per entry: account, from, to, by whom, when (Polish time).
    let history: Vec<String> = sqlx::query_scalar(
        "select concat_ws(' ', u.login, coalesce(c.from_role::text, '-'), c.to_role,
                          coalesce(b.login, '-'),
                          to_char(c.changed_at at time zone 'Europe/Warsaw', 'YYYY-MM-DD HH24:MI'))
         from staff_role_change c join staff_user u using (staff_user_id)
         left join staff_user b on b.staff_user_id = c.changed_by
         order by u.login, c.changed_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        history,
        [
            "admin - admin - 2024-01-01 09:00",
            "doradca - career_advisor admin 2024-01-02 10:00",
            "doradca career_advisor instructor admin 2024-02-01 08:30",
            "kierownik - manager - 2024-01-03 11:00",
        ]
    );
    // Account, last login, updated_at (untouched by the backfill).
    let logins: Vec<String> = sqlx::query_scalar(
        "select concat_ws(' ', login,
                          coalesce(to_char(last_login_at at time zone 'Europe/Warsaw', 'YYYY-MM-DD HH24:MI'), 'nigdy'),
                          to_char(updated_at at time zone 'Europe/Warsaw', 'YYYY-MM-DD HH24:MI'))
         from staff_user order by login",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        logins,
        [
            "admin nigdy 2024-03-01 12:00",
            "doradca 2024-02-20 07:45 2024-03-01 12:00",
            "kierownik nigdy 2024-03-01 12:00",
        ]
    );
}
