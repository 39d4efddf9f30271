//! Case notes on the file: who reads which (through the router, per the policy's table), adding
//! one through the form, corrections, the timeline's pages, and the audit of what was shown.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::*;

const MARKER: &str = "Notatka psychologa (treść widzą tylko psycholodzy)";

async fn file(app: &TestApp, login: &str, id: Uuid) -> String {
    let session = app.login(login).await;
    let response = app
        .get(&format!("/participants/{id}"), Some(&session))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{login}");
    response.text().await.unwrap()
}

/// The parts the newest file view of `login` recorded as shown.
async fn last_view_detail(app: &TestApp, login: &str) -> String {
    sqlx::query_scalar(
        "select a.detail from audit_event a join staff_user u on u.staff_user_id = a.actor_id
         where u.login = $1 and a.action = 'participant.view' order by a.occurred_at desc limit 1",
    )
    .bind(login)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn note_count(app: &TestApp, id: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from case_note where participant_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn each_role_reads_the_notes_its_rules_allow_and_the_view_records_them() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Notatkowa", Some("socjalny1"), Some(workshop))
        .await;
    app.note(id, "socjalny1", "team").await;
    app.note(id, "socjalny1", "social_work").await;
    app.note(id, "psycholog", "psychologist").await;
    let team = "Treść notatki (team).";
    let social = "Treść notatki (social_work).";
    let therapy = "Treść notatki (psychologist).";
    //  login         team  social therapy marker  parts the view records
    let table = [
        (
            "kierownik",
            true,
            true,
            false,
            true,
            "notes.team,notes.social_work,notes.psychologist_marker",
        ),
        (
            "socjalny1",
            true,
            true,
            false,
            false,
            "notes.team,notes.social_work",
        ),
        (
            "psycholog",
            true,
            false,
            true,
            false,
            "notes.team,notes.psychologist",
        ),
        ("doradca", true, false, false, false, "notes.team"),
        ("instruktor", true, false, false, false, "notes.team"),
    ];
    for (login, sees_team, sees_social, sees_therapy, sees_marker, parts) in table {
        let page = file(&app, login, id).await;
        assert_eq!(page.contains(team), sees_team, "{login}: team");
        assert_eq!(page.contains(social), sees_social, "{login}: social work");
        assert_eq!(page.contains(therapy), sees_therapy, "{login}: therapy");
        assert_eq!(page.contains(MARKER), sees_marker, "{login}: marker");
        // Not even the topic of a therapy note reaches anyone else.
        assert_eq!(
            page.contains("Notatka z psychologist"),
            sees_therapy,
            "{login}"
        );
        let detail = last_view_detail(&app, login).await;
        let notes: Vec<&str> = detail
            .split(',')
            .filter(|p| p.starts_with("notes."))
            .collect();
        assert_eq!(notes.join(","), parts, "{login}: {detail}");
    }
    // Another social worker does not open the file at all.
    let session = app.login("socjalny2").await;
    let response = app
        .get(&format!("/participants/{id}"), Some(&session))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_note_is_added_with_a_visibility_its_author_reads_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Notowana", Some("socjalny1"), Some(workshop))
        .await;
    let path = format!("/participants/{id}/notes");
    let instructor = app.login("instruktor").await;
    let form = app.text(&format!("{path}/new"), &instructor).await;
    // The instructor may give a note only the visibility they read.
    assert!(form.contains(r#"<option value="team""#));
    assert!(!form.contains(r#"<option value="social_work""#));
    assert!(!form.contains(r#"<option value="psychologist""#));
    let fields = |visibility: &'static str| {
        vec![
            ("noted_on", "2026-11-02"),
            ("kind", "conversation"),
            ("topic", "Spóźnienia"),
            ("body", "Rozmowa o spóźnieniach na zajęcia."),
            ("visibility", visibility),
        ]
    };
    // A visibility smuggled into the form: refused with a message, nothing written.
    let response = app
        .post(&path, Some(&instructor), &fields("social_work"))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Wybierz, kto może przeczytać notatkę."));
    assert!(
        page.contains(r##"<a href="#visibility">"##),
        "error summary"
    );
    assert!(
        page.contains("Rozmowa o spóźnieniach na zajęcia."),
        "input kept"
    );
    // Empty fields: each named in the summary, in the form's order.
    let response = app
        .post(
            &path,
            Some(&instructor),
            &[
                ("noted_on", ""),
                ("kind", ""),
                ("topic", ""),
                ("body", ""),
                ("visibility", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    let at = |field: &str| page.find(&format!(r##"<a href="#{field}">"##)).unwrap();
    assert!(at("noted_on") < at("kind") && at("kind") < at("topic") && at("topic") < at("body"));
    assert_eq!(note_count(&app, id).await, 0);
    let response = app.post(&path, Some(&instructor), &fields("team")).await;
    assert_redirect(&response, &format!("/participants/{id}"));
    assert_eq!(note_count(&app, id).await, 1);
    assert_eq!(
        app.audit_count("participant.add_note", Some("success"))
            .await,
        1
    );
    // The social worker reads it on the file, with its date and author.
    let page = file(&app, "socjalny1", id).await;
    assert!(page.contains("Rozmowa: Spóźnienia"));
    assert!(page.contains("02.11.2026"));
    assert!(page.contains("Igor Instruktor"));
}

#[tokio::test]
async fn a_correction_is_a_new_note_and_the_corrected_one_shows_skorygowano() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Korygowana", Some("socjalny1"), None)
        .await;
    let note = app.note(id, "socjalny1", "social_work").await;
    let path = format!("/participants/{id}/notes/{note}/correction");
    let worker = app.login("socjalny1").await;
    let form = app.get(&path, Some(&worker)).await;
    assert_eq!(form.status(), StatusCode::OK);
    let form = form.text().await.unwrap();
    assert!(form.contains("Treść notatki (social_work)."), "pre-filled");
    // Showing the note's text in the form is a read of the file, audited.
    let views = app.file_views(id).await;
    assert_eq!(
        views
            .last()
            .map(|(login, detail)| (login.as_str(), detail.as_str())),
        Some(("socjalny1", "correction_form,notes.social_work"))
    );
    // The manager reads the note but did not write it: refused, audited, nothing written.
    let manager = app.login("kierownik").await;
    let denied = app
        .audit_count("participant.add_note", Some("denied"))
        .await;
    let response = app.get(&path, Some(&manager)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.audit_count("participant.add_note", Some("denied"))
            .await,
        denied + 1
    );
    // A psychologist does not read it: as if it did not exist.
    let psychologist = app.login("psycholog").await;
    let response = app.get(&path, Some(&psychologist)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let corrected = [
        ("noted_on", "2026-11-01"),
        ("kind", "home_visit"),
        ("topic", "Wizyta"),
        ("body", "Wizyta w miejscu zamieszkania, nie rozmowa w CIS."),
    ];
    let response = app.post(&path, Some(&worker), &corrected).await;
    assert_redirect(&response, &format!("/participants/{id}"));
    assert_eq!(note_count(&app, id).await, 2);
    let (visibility, corrects): (String, Uuid) = sqlx::query_as(
        "select visibility::text, corrects_id from case_note where participant_id = $1 and corrects_id is not null",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((visibility.as_str(), corrects), ("social_work", note));
    let page = file(&app, "socjalny1", id).await;
    assert!(page.contains("skorygowano"));
    assert!(
        page.contains("Treść notatki (social_work)."),
        "the old text stays"
    );
    assert!(page.contains("Wizyta w miejscu zamieszkania, nie rozmowa w CIS."));
    assert!(
        page.contains(&format!("#note-{note}")),
        "the correction links the old note"
    );
    // A note is corrected once: the second correction of the same note is a conflict.
    let response = app.post(&path, Some(&worker), &corrected).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(note_count(&app, id).await, 2);
}

#[tokio::test]
async fn the_timeline_pages_newest_first_with_a_cursor() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Stronicowana", Some("socjalny1"), None)
        .await;
    // 25 notes, one a day back from yesterday, and a status change older than all of them.
    sqlx::query(
        "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body, visibility)
         select p.centre_id, p.participant_id, u.staff_user_id, current_date - n, 'phone_call',
                'Telefon nr ' || n, 'Treść ' || n, 'team'
         from participant p, staff_user u, generate_series(1, 25) n
         where p.participant_id = $1 and u.login = 'socjalny1'",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into participant_status_change (participant_id, centre_id, from_status, to_status, changed_on, reason)
         select participant_id, centre_id, 'trial', 'participant', current_date - 60, 'Okres próbny zakończony pomyślnie'
         from participant where participant_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    let page = file(&app, "socjalny1", id).await;
    let entries = |page: &str| page.matches("<li id=\"note-").count();
    assert_eq!(entries(&page), 20);
    assert!(page.find("Telefon nr 1<").unwrap() < page.find("Telefon nr 2<").unwrap());
    assert!(!page.contains("Telefon nr 21<"));
    let older = page
        .split("?before=")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .unwrap()
        .to_owned();
    let session = app.login("socjalny1").await;
    let response = app
        .get(
            &format!("/participants/{id}?before={older}"),
            Some(&session),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let second = response.text().await.unwrap();
    assert_eq!(entries(&second), 6, "five notes and the status change");
    assert!(second.contains("Telefon nr 21<") && second.contains("Telefon nr 25<"));
    assert!(!second.contains("Telefon nr 20<"));
    assert!(second.contains("Okres próbny zakończony pomyślnie"));
    assert!(!second.contains("Starsze wpisy"));
    // A cursor that is not one: no such page.
    let response = app
        .get(
            &format!("/participants/{id}?before=nonsense"),
            Some(&session),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_timeline_holds_document_steps_and_social_worker_changes_for_their_readers() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Dokumentowa", Some("socjalny1"), Some(workshop))
        .await;
    // An IPZS submitted and returned with a comment (the document engine's history rows).
    sqlx::query(
        "with d as (
             insert into document (centre_id, participant_id, kind, status, author_id)
             select p.centre_id, p.participant_id, 'ipzs', 'draft', u.staff_user_id
             from participant p, staff_user u where p.participant_id = $1 and u.login = 'socjalny1'
             returning document_id, centre_id, author_id
         )
         insert into document_event (document_id, centre_id, version, step, from_status, to_status, comment, decided_by)
         select document_id, centre_id, 1, 'return', 'submitted', 'draft', 'Uzupełnij cele szczegółowe.',
                (select staff_user_id from staff_user where login = 'kierownik')
         from d",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    let manager = app.login("kierownik").await;
    let worker = app.user_id("socjalny2").await.to_string();
    app.post(
        &format!("/participants/{id}/social-worker"),
        Some(&manager),
        &[("social_worker", worker.as_str())],
    )
    .await;
    let page = file(&app, "kierownik", id).await;
    assert!(
        page.contains("Indywidualny program zatrudnienia socjalnego (IPZS): zwrócono do poprawy"),
        "{page}"
    );
    assert!(page.contains("Uzupełnij cele szczegółowe."));
    assert!(page.contains("Zmiana pracownika socjalnego: Sylwia Socjalna → Sebastian Socjalny"));
    // The instructor's timeline holds neither (they do not read the status history).
    let page = file(&app, "instruktor", id).await;
    assert!(!page.contains("zwrócono do poprawy") && !page.contains("Zmiana pracownika"));
}
