//! Reassigning several participants at once: the manager ticks people on the list, reviews
//! them beside the social workers' caseloads, confirms; one transaction, a history row and an
//! audit row per person; an id of another centre smuggled into the form changes nothing.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::*;

async fn worker_of(app: &TestApp, id: Uuid) -> Option<Uuid> {
    sqlx::query_scalar("select social_worker_id from participant where participant_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn changes(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from social_worker_change")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_manager_reassigns_ticked_participants_after_a_review_with_caseloads() {
    let app = spawn_app().await;
    let a = app
        .fixture_participant(CENTRE_A, "Pierwsza", Some("socjalny1"), None)
        .await;
    let b = app
        .fixture_participant(CENTRE_A, "Druga", Some("socjalny1"), None)
        .await;
    let c = app
        .fixture_participant(CENTRE_A, "Trzecia", Some("socjalny2"), None)
        .await;
    // A graduate does not count in a caseload.
    let graduate = app
        .fixture_participant(CENTRE_A, "Absolwent", Some("socjalny2"), None)
        .await;
    app.update_participant(
        graduate,
        "status = 'graduate', ended_on = current_date - 10, graduation_outcome = 'period_elapsed'",
    )
    .await;
    let manager = app.login("kierownik").await;
    let list = app.text("/participants", &manager).await;
    assert!(
        list.contains(&format!(r#"name="p_{a}""#)),
        "the manager ticks rows"
    );
    let worker = app.login("socjalny1").await;
    let own = app.text("/participants", &worker).await;
    assert!(!own.contains(r#"action="/participants/reassign""#));

    let (pa, pb, pc) = (format!("p_{a}"), format!("p_{b}"), format!("p_{c}"));
    let ticked = [
        (pa.as_str(), "on"),
        (pb.as_str(), "on"),
        (pc.as_str(), "on"),
    ];
    // From the list: the review, with each social worker's caseload counted by hand:
    // socjalny1 looks after Pierwsza and Druga, socjalny2 after Trzecia (the graduate does
    // not count).
    let response = app
        .post("/participants/reassign", Some(&manager), &ticked)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let review = response.text().await.unwrap();
    assert!(
        review.contains("Przydział pracownika socjalnego: 3 osoby"),
        "{review}"
    );
    assert!(
        review.contains("Sylwia Socjalna – teraz 2 osoby"),
        "{review}"
    );
    assert!(review.contains("– teraz 1 osoba"), "{review}");
    assert!(review.contains("Pierwsza Jan") && review.contains("Trzecia Jan"));
    assert_eq!(changes(&app).await, 0, "the review changes nothing");
    // Confirmed without a social worker: the review again, with the message.
    let mut confirmed = ticked.to_vec();
    confirmed.push(("confirm", "tak"));
    let response = app
        .post("/participants/reassign", Some(&manager), &confirmed)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains(r##"<a href="#social_worker">"##)
    );
    // Confirmed with socjalny2: the two of socjalny1 change, Trzecia stays as she was.
    let to = app.user_id("socjalny2").await;
    let to_text = to.to_string();
    confirmed.push(("social_worker", to_text.as_str()));
    let response = app
        .post("/participants/reassign", Some(&manager), &confirmed)
        .await;
    assert_redirect(&response, &format!("/participants?status=all&worker={to}"));
    for id in [a, b, c] {
        assert_eq!(worker_of(&app, id).await, Some(to));
    }
    let rows: Vec<(Uuid, Option<Uuid>, Uuid, Uuid)> = sqlx::query_as(
        "select participant_id, from_worker, to_worker, changed_by from social_worker_change order by participant_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let from = app.user_id("socjalny1").await;
    let by = app.user_id("kierownik").await;
    let mut want = vec![(a, Some(from), to, by), (b, Some(from), to, by)];
    want.sort();
    assert_eq!(rows, want);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'participant.assign_social_worker' and detail like '%,bulk'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 2);
    // The file keeps the history.
    let file = app.text(&format!("/participants/{a}"), &manager).await;
    assert!(
        file.contains("Zmiana pracownika socjalnego: Sylwia Socjalna → Sebastian Socjalny"),
        "{file}"
    );
}

#[tokio::test]
async fn a_participant_of_another_centre_smuggled_into_the_form_changes_nothing() {
    let app = spawn_app().await;
    let ours = app
        .fixture_participant(CENTRE_A, "Nasza", Some("socjalny1"), None)
        .await;
    let theirs = app
        .fixture_participant(CENTRE_B, "Obca", Some("socjalny3"), None)
        .await;
    let manager = app.login("kierownik").await;
    let to = app.user_id("socjalny2").await.to_string();
    let (po, pt) = (format!("p_{ours}"), format!("p_{theirs}"));
    let response = app
        .post(
            "/participants/reassign",
            Some(&manager),
            &[
                (po.as_str(), "on"),
                (pt.as_str(), "on"),
                ("confirm", "tak"),
                ("social_worker", to.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        worker_of(&app, ours).await,
        Some(app.user_id("socjalny1").await)
    );
    assert_eq!(
        worker_of(&app, theirs).await,
        Some(app.user_id("socjalny3").await)
    );
    assert_eq!(changes(&app).await, 0);
    // A social worker of another centre is not on the list either.
    let foreign = app.user_id("socjalny3").await.to_string();
    let response = app
        .post(
            "/participants/reassign",
            Some(&manager),
            &[
                (po.as_str(), "on"),
                ("confirm", "tak"),
                ("social_worker", foreign.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(changes(&app).await, 0);
    // Anything but a ticked row in the form is refused.
    for (key, value) in [
        ("p_nonsense", "on"),
        (po.as_str(), "yes"),
        ("surname", "Nowak"),
    ] {
        let response = app
            .post("/participants/reassign", Some(&manager), &[(key, value)])
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{key}={value}");
    }
    // Only the manager reassigns.
    let worker = app.login("socjalny1").await;
    let response = app
        .post(
            "/participants/reassign",
            Some(&worker),
            &[(po.as_str(), "on")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn registration_starts_the_history_and_a_same_worker_assignment_adds_nothing() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let id = app
        .register(&worker, "Historyczna", "Ewa", &pesel(1984, 4, 4, 44, true))
        .await;
    let me = app.user_id("socjalny1").await;
    let rows: Vec<(Option<Uuid>, Uuid)> = sqlx::query_as(
        "select from_worker, to_worker from social_worker_change where participant_id = $1",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(rows, vec![(None, me)], "the first assignment is history");
    // The manager "assigns" the same social worker again: nothing to record.
    let manager = app.login("kierownik").await;
    let response = app
        .post(
            &format!("/participants/{id}/social-worker"),
            Some(&manager),
            &[("social_worker", me.to_string().as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(changes(&app).await, 1);
}
