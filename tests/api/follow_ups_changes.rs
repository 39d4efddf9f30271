//! Graduate follow-up, changes to a graduate's schedule: an extra contact, closer contact
//! marked and ended, and a change of social worker (the schedule follows the caseload).

use reqwest::StatusCode;
use time::{Date, Duration};

use crate::follow_ups::{advance_days, items, overdue_graduate, post_fields, reached};
use crate::helpers::*;

#[tokio::test]
async fn an_extra_contact_is_added_to_the_schedule_and_refused_in_the_past() {
    let app = spawn_app().await;
    let (id, _, _) = overdue_graduate(&app, "Dodatkowa", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;
    let path = format!("/participants/{id}/follow-ups/extra");
    let (status, page) = post_text(
        &app,
        &path,
        &worker,
        &[
            ("extra_on", &iso(today - Duration::days(1))),
            ("extra_note", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Napisz krótko, czego ma dotyczyć kontakt."));
    assert_eq!(items(&app, id).await.len(), 8);

    let on = today + Duration::days(10);
    let (status, to) = post_text(
        &app,
        &path,
        &worker,
        &[
            ("extra_on", &iso(on)),
            ("extra_note", "Rozmowa po zmianie pracy."),
        ],
    )
    .await;
    assert_eq!(
        (status, to),
        (
            StatusCode::SEE_OTHER,
            format!("/participants/{id}/follow-ups")
        )
    );
    let all = items(&app, id).await;
    assert_eq!(all.len(), 9);
    assert!(all.contains(&("extra".to_owned(), on, None)));
    let (note, sequence): (Option<String>, i32) = sqlx::query_as(
        "select note, sequence from follow_up where participant_id = $1 and kind = 'extra'",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (note.as_deref(), sequence),
        (Some("Rozmowa po zmianie pracy."), 9)
    );
    assert_eq!(
        app.audit_count("follow_up.manage", Some("success")).await,
        1
    );
}

#[tokio::test]
async fn closer_contact_brings_the_next_contact_forward() {
    let app = spawn_app().await;
    let (id, _, second) = overdue_graduate(&app, "Bliska", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;
    let contact = format!("/participants/{id}/follow-ups/contact");
    let (status, _) = post_fields(&app, &contact, &worker, &reached(today)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Marked today: the next contact in 30 days (the default interval), before the second
    // scheduled one (about 70 days on).
    let closer = format!("/participants/{id}/follow-ups/closer");
    let (status, page) = post_text(
        &app,
        &closer,
        &worker,
        &[
            ("set", "on"),
            ("closer_on", &iso(today)),
            ("closer_reason", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Podaj powód w kilku słowach."));
    let (status, _) = post_text(
        &app,
        &closer,
        &worker,
        &[
            ("set", "on"),
            ("closer_on", &iso(today)),
            ("closer_reason", "Utrata pracy, zaległości w czynszu"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let since: Option<Date> = sqlx::query_scalar(
        "select follow_up_closer_since from participant where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(since, Some(today));
    let first_closer = today + Duration::days(30);
    assert!(first_closer < second);
    assert!(
        items(&app, id)
            .await
            .contains(&("closer".to_owned(), first_closer, None))
    );
    // The reason is kept in the history of closer contact, and the audit keeps typed values.
    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'follow_up.manage' and outcome = 'success'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        detail,
        format!("closer on since={} item={}", iso(today), iso(first_closer))
    );
    let history: Vec<(bool, Date, String)> = sqlx::query_as(
        "select closer, effective_on, reason from follow_up_closer where participant_id = $1",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        history,
        [(true, today, "Utrata pracy, zaległości w czynszu".to_owned())]
    );
    let (_, page) = body(&app, &format!("/participants/{id}/follow-ups"), &worker).await;
    assert!(page.contains("Częstszy kontakt – historia"));
    assert!(page.contains("Utrata pracy, zaległości w czynszu"));
    assert!(
        page.contains("Data zakończenia"),
        "ending asks for its date"
    );

    // 31 days on, a reached contact fulfils the closer item and brings the next one 30 days
    // after it (still before the second scheduled item).
    advance_days(&app, 31);
    let worker = app.login("socjalny1").await;
    let on = today + Duration::days(31);
    let (status, _) = post_fields(&app, &contact, &worker, &reached(on)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let all = items(&app, id).await;
    assert!(all.contains(&("closer".to_owned(), first_closer, Some(on))));
    let next = on + Duration::days(30);
    assert!(next < second);
    assert!(all.contains(&("closer".to_owned(), next, None)), "{all:?}");

    // Ended: the open item of closer contact goes, and no item is added any more after a
    // contact.
    let (status, _) = post_text(
        &app,
        &closer,
        &worker,
        &[
            ("set", "off"),
            ("closer_on", &iso(on)),
            ("closer_reason", "Sytuacja ustabilizowana"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let all = items(&app, id).await;
    assert!(!all.contains(&("closer".to_owned(), next, None)), "{all:?}");
    assert!(all.contains(&("closer".to_owned(), first_closer, Some(on))));
    let (_, page) = body(&app, &format!("/participants/{id}/follow-ups"), &worker).await;
    assert!(page.contains("Sytuacja ustabilizowana"));
    assert!(page.contains(&format!(
        "Usunięto niewykonane terminy częstszego kontaktu: {}.",
        polish(next)
    )));
    let count = all.len();
    let (status, _) = post_fields(&app, &contact, &worker, &reached(on)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(items(&app, id).await.len(), count);
}

#[tokio::test]
async fn closer_contact_counts_from_its_date_and_not_before() {
    let app = spawn_app().await;
    let (id, first, second) = overdue_graduate(&app, "Wcześniejsza", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;
    let contact = format!("/participants/{id}/follow-ups/contact");
    let closer = format!("/participants/{id}/follow-ups/closer");
    // Reached 15 days ago (the first item), closer contact decided 10 days ago: the next
    // contact is 30 days after the decision, not after today.
    let reached_on = today - Duration::days(15);
    let (status, _) = post_fields(&app, &contact, &worker, &reached(reached_on)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        items(&app, id).await[0],
        ("scheduled".to_owned(), first, Some(reached_on))
    );
    let since = today - Duration::days(10);
    let (status, _) = post_text(
        &app,
        &closer,
        &worker,
        &[
            ("set", "on"),
            ("closer_on", &iso(since)),
            ("closer_reason", "Utrata pracy"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let due = since + Duration::days(30);
    assert!(due < second);
    let count = items(&app, id).await.len();
    assert!(
        items(&app, id)
            .await
            .contains(&("closer".to_owned(), due, None))
    );
    // A contact dated before the decision brings no closer item (and answers none).
    let (status, _) =
        post_fields(&app, &contact, &worker, &reached(since - Duration::days(2))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(items(&app, id).await.len(), count);
    assert!(
        items(&app, id)
            .await
            .contains(&("closer".to_owned(), due, None))
    );
    // Ending it before it began is refused.
    let (status, page) = post_text(
        &app,
        &closer,
        &worker,
        &[
            ("set", "off"),
            ("closer_on", &iso(since - Duration::days(1))),
            ("closer_reason", "Pomyłka"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(&format!(
        "Data nie może być wcześniejsza niż początek częstszego kontaktu ({}).",
        polish(since)
    )));
}

#[tokio::test]
async fn the_schedule_follows_a_change_of_social_worker() {
    let app = spawn_app().await;
    let (id, _, _) = overdue_graduate(&app, "Przeniesiona", "socjalny1").await;
    let manager = app.login("kierownik").await;
    let response = app
        .post(
            &format!("/participants/{id}/social-worker"),
            Some(&manager),
            &[("social_worker", &app.user_id("socjalny2").await.to_string())],
        )
        .await;
    assert_redirect(&response, &format!("/participants/{id}"));
    let old = app.login("socjalny1").await;
    let new = app.login("socjalny2").await;
    let (_, list) = body(&app, "/follow-ups", &new).await;
    assert!(list.contains("Przeniesiona Jan"));
    let (_, home) = body(&app, "/", &new).await;
    assert!(home.contains("Przeniesiona Jan"));
    let (_, list) = body(&app, "/follow-ups", &old).await;
    assert!(!list.contains("Przeniesiona Jan"));
    let (_, home) = body(&app, "/", &old).await;
    assert!(!home.contains("Przeniesiona Jan"));
    let (status, _) = body(&app, &format!("/participants/{id}/follow-ups"), &old).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = body(&app, &format!("/participants/{id}/follow-ups"), &new).await;
    assert_eq!(status, StatusCode::OK);
}
