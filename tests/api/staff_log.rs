//! "Rejestr dostępu": the manager sees which files one staff member opened in a period, in
//! Polish time with the parts shown; the read is audited; nobody else sees it.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_manager_sees_which_files_one_person_opened_in_a_period() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let first = app
        .fixture_participant(CENTRE_A, "Pierwsza", Some("socjalny1"), Some(workshop))
        .await;
    let second = app
        .fixture_participant(CENTRE_A, "Druga", Some("socjalny1"), None)
        .await;
    let worker = app.login("socjalny1").await;
    for id in [first, first, second] {
        let response = app.get(&format!("/participants/{id}"), Some(&worker)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let instructor = app.login("instruktor").await;
    app.get(&format!("/participants/{first}"), Some(&instructor))
        .await;
    // A view 40 days ago: outside the default period (the last 30 days).
    sqlx::query(
        "insert into audit_event (actor_id, actor_role, centre_id, action, object_type, object_id,
                                  participant_id, outcome, detail, occurred_at)
         select u.staff_user_id, u.role, u.centre_id, 'participant.view', 'participant', p.participant_id,
                p.participant_id, 'success', 'identity,personal', now() - interval '40 days'
         from staff_user u, participant p where u.login = 'socjalny1' and p.surname = 'Druga'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let manager = app.login("kierownik").await;
    let form = app.get("/access-log", Some(&manager)).await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(
        form.text()
            .await
            .unwrap()
            .contains("Rejestr dostępu do teczek")
    );
    let sw = app.user_id("socjalny1").await;
    let response = app
        .get(&format!("/access-log?staff={sw}"), Some(&manager))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let log = response.text().await.unwrap();
    assert_eq!(
        log.matches(&format!("href=\"/participants/{first}\""))
            .count(),
        2,
        "{log}"
    );
    assert_eq!(
        log.matches(&format!("href=\"/participants/{second}\""))
            .count(),
        1
    );
    assert!(log.contains("dane osobowe"), "the parts shown, in Polish");
    assert_eq!(
        app.audit_count("staff.access_log", Some("success")).await,
        1
    );
    // A longer period reaches the older view.
    let response = app
        .get(
            &format!("/access-log?staff={sw}&from=2020-01-01&to=2099-12-31"),
            Some(&manager),
        )
        .await;
    let log = response.text().await.unwrap();
    assert_eq!(
        log.matches(&format!("href=\"/participants/{second}\""))
            .count(),
        2
    );
    // A period that ends before it begins, a staff member of another centre: messages, no log.
    let response = app
        .get(
            &format!("/access-log?staff={sw}&from=2026-11-20&to=2026-11-01"),
            Some(&manager),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Koniec okresu nie może być przed jego początkiem.")
    );
    let foreign = app.user_id("socjalny3").await;
    let response = app
        .get(&format!("/access-log?staff={foreign}"), Some(&manager))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.audit_count("staff.access_log", Some("success")).await,
        2
    );
    // Only the manager.
    let response = app
        .get(&format!("/access-log?staff={sw}"), Some(&worker))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
