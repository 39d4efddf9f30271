//! The rectification history (issue 13, data protection item 4): an edit of a participant's
//! data keeps the previous values with who changed them and when, on the file's "Historia
//! zmian danych", which the manager reads (audited) and the social worker does not.

use reqwest::StatusCode;

use crate::helpers::*;

/// A stored change: field, previous value, new value, the author's login, made just now.
type Change = (String, Option<String>, Option<String>, String, bool);

#[tokio::test]
async fn an_edit_of_the_surname_and_address_keeps_the_previous_values_with_author_and_time() {
    // Arrange: a candidate registered by the social worker.
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let pesel = pesel(1990, 4, 12, 7, true);
    let id = app.register(&worker, "Wiśniewska", "Anna", &pesel).await;
    let version: i32 =
        sqlx::query_scalar("select version from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();

    // Act: she marries and moves; the social worker corrects the file.
    let mut fields = registration(
        "Kowalczyk",
        "Anna",
        &pesel,
        &[("address_street", "ul. Polna 12 m. 3")],
    );
    fields.push(("version".into(), version.to_string()));
    let response = app
        .post_fields(&format!("/participants/{id}"), &worker, &fields)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Saving the same data again changes nothing and records nothing.
    let mut again = fields.clone();
    again.last_mut().unwrap().1 = (version + 1).to_string();
    let response = app
        .post_fields(&format!("/participants/{id}"), &worker, &again)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // Assert: two fields changed, with the previous and the new value, author and time.
    let rows: Vec<Change> = sqlx::query_as(
        "select r.field, r.old_value, r.new_value, u.login, r.changed_at > now() - interval '1 minute'
         from participant_rectification r join staff_user u on u.staff_user_id = r.changed_by
         where r.participant_id = $1 order by r.field",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            (
                "Nazwisko".to_owned(),
                Some("Wiśniewska".to_owned()),
                Some("Kowalczyk".to_owned()),
                "socjalny1".to_owned(),
                true
            ),
            (
                "Ulica i numer".to_owned(),
                Some("ul. Lipowa 5".to_owned()),
                Some("ul. Polna 12 m. 3".to_owned()),
                "socjalny1".to_owned(),
                true
            ),
        ]
    );
    let manager = app.login("kierownik").await;
    let path = format!("/participants/{id}/data-history");
    let (status, page) = body(&app, &path, &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Historia zmian danych: Kowalczyk Anna"),
        "{page}"
    );
    assert!(page.contains("<del>Wiśniewska</del>") && page.contains("<ins>Kowalczyk</ins>"));
    assert!(
        page.contains("<del>ul. Lipowa 5</del>") && page.contains("<ins>ul. Polna 12 m. 3</ins>")
    );
    assert!(page.contains("Sylwia Socjalna"));
    assert!(page.contains(&polish(today(&app).await)));
    // The file links to it for the manager.
    let (_, file) = body(&app, &format!("/participants/{id}"), &manager).await;
    assert!(file.contains(&path));
    // Viewing is audited.
    let viewed: i64 = sqlx::query_scalar(
        "select count(*) from audit_event a join staff_user u on u.staff_user_id = a.actor_id
         where a.action = 'participant.rectifications' and a.outcome = 'success'
           and a.participant_id = $1 and u.login = 'kierownik'",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(viewed, 1);
}

#[tokio::test]
async fn the_social_worker_does_not_see_the_history_of_their_own_participant() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let id = app
        .register(&worker, "Nowicka", "Ewa", &pesel(1985, 2, 3, 11, true))
        .await;
    let path = format!("/participants/{id}/data-history");
    let (status, page) = body(&app, &path, &worker).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("Nowicka"));
    assert_eq!(
        app.audit_count("participant.rectifications", Some("denied"))
            .await,
        1
    );
    assert_eq!(
        app.audit_count("participant.rectifications", Some("success"))
            .await,
        0
    );
    // Nor does their file link to it.
    let (_, file) = body(&app, &format!("/participants/{id}"), &worker).await;
    assert!(!file.contains(&path));
}
