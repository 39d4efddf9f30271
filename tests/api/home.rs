//! "Do zrobienia" on the home page: each role's work due, from one fixture with every kind of
//! item, scoped to what the role may open.

use crate::helpers::*;

async fn home(app: &TestApp, login: &str) -> String {
    let session = app.login(login).await;
    let response = app.get("/", Some(&session)).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    response.text().await.unwrap()
}

/// The `<section>` of the group whose heading starts with `heading`, or "" when absent.
pub fn group<'a>(page: &'a str, heading: &str) -> &'a str {
    let Some(at) = page.find(&format!(">{heading}")) else {
        return "";
    };
    let rest = &page[at..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn each_role_sees_its_work_due_and_only_people_it_may_open() {
    let app = spawn_app().await;
    let stolarnia = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    // Trial periods: one ending in 3 days (socjalny1), one past (socjalny2), one far off.
    let trial_soon = app
        .fixture_participant(CENTRE_A, "Próbna", Some("socjalny1"), Some(stolarnia))
        .await;
    app.update_participant(
        trial_soon,
        "status = 'trial', trial_ends_on = current_date + 3",
    )
    .await;
    let trial_past = app
        .fixture_participant(CENTRE_A, "Spóźniona", Some("socjalny2"), Some(stolarnia))
        .await;
    app.update_participant(
        trial_past,
        "status = 'trial', trial_ends_on = current_date - 2",
    )
    .await;
    let trial_far = app
        .fixture_participant(CENTRE_A, "Daleka", Some("socjalny1"), Some(stolarnia))
        .await;
    app.update_participant(
        trial_far,
        "status = 'trial', trial_ends_on = current_date + 20",
    )
    .await;
    // Participation ending in 9 days, in the instructor's workshop.
    let ending = app
        .fixture_participant(CENTRE_A, "Kończąca", Some("socjalny1"), Some(stolarnia))
        .await;
    app.update_participant(ending, "planned_end_on = current_date + 9")
        .await;
    // In the programme without a workshop.
    let no_workshop = app
        .fixture_participant(CENTRE_A, "Bezpracowniana", Some("socjalny2"), None)
        .await;
    // On the reserve list; a candidate without a social worker.
    let reserve = app
        .fixture_participant(CENTRE_A, "Rezerwowa", Some("socjalny2"), None)
        .await;
    app.update_participant(reserve, "status = 'reserve', admitted_on = null, ops_agreement_name = null, ops_agreement_date = null, \
         trial_ends_on = null, planned_end_on = null, cap_end_on = null",
    )
    .await;
    let unassigned = app
        .fixture_participant(CENTRE_A, "Nieprzydzielona", None, None)
        .await;
    app.update_participant(unassigned, "status = 'candidate', admitted_on = null, ops_agreement_name = null, ops_agreement_date = null, \
         trial_ends_on = null, planned_end_on = null, cap_end_on = null",
    )
    .await;
    // A candidate of socjalny1 registered through the app (its consent recorded), one
    // document on file.
    let worker = app.login("socjalny1").await;
    let candidate = app
        .register(&worker, "Dokumentowa", "Ewa", &pesel(1993, 3, 3, 33, true))
        .await;
    sqlx::query(
        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
         select $1, centre_id, 'recruitment_survey', current_date, 'Ankieta', staff_user_id
         from staff_user where login = 'socjalny1'",
    )
    .bind(candidate)
    .execute(&app.db)
    .await
    .unwrap();
    // A graduate of socjalny1 with two overdue contacts and one next month.
    let graduate = app
        .fixture_participant(CENTRE_A, "Absolwentka", Some("socjalny1"), None)
        .await;
    app.update_participant(
        graduate,
        "status = 'graduate', ended_on = current_date - 200, graduation_outcome = 'employment', \
         employment_contract = 'permanent', follow_up_until = current_date + 900",
    )
    .await;
    sqlx::query(
        "insert into follow_up (participant_id, centre_id, sequence, due_on)
         select participant_id, centre_id, s, current_date - 100 + 60 * (s - 1)
         from participant, generate_series(1, 2) s where participant_id = $1
         union all
         select participant_id, centre_id, 3, (date_trunc('month', current_date) + interval '1 month 5 days')::date
         from participant where participant_id = $1",
    )
    .bind(graduate)
    .execute(&app.db)
    .await
    .unwrap();
    // Another centre's trial ending tomorrow: nobody here sees it.
    let elsewhere = app.fixture_participant(CENTRE_B, "Obca", None, None).await;
    app.update_participant(
        elsewhere,
        "status = 'trial', trial_ends_on = current_date + 1",
    )
    .await;

    let manager = home(&app, "kierownik").await;
    let trial = group(&manager, "Okres próbny kończy się");
    assert!(trial.contains("(2)"), "{trial}");
    assert!(trial.contains("Próbna Jan") && trial.contains("Spóźniona Jan"));
    assert!(!trial.contains("Daleka") && !manager.contains("Obca"));
    assert!(
        trial.contains("Po terminie od 2 dni")
            && trial.contains("Potwierdź udział albo go zakończ."),
        "{trial}"
    );
    assert!(!trial.contains("Okres próbny minął"), "{trial}");
    assert!(trial.contains(&format!("/participants/{trial_soon}")));
    let ending_group = group(&manager, "Koniec udziału");
    assert!(ending_group.contains("Kończąca Jan") && ending_group.contains("Udział kończy się za"));
    assert!(group(&manager, "Lista rezerwowa").contains("Rezerwowa Jan"));
    assert!(group(&manager, "Kandydaci bez pracownika").contains("Nieprzydzielona Jan"));
    let without = group(&manager, "Uczestnicy bez pracowni");
    assert!(
        without.contains("(1)") && without.contains("Bezpracowniana Jan"),
        "{without}"
    );
    assert!(without.contains(&format!("/participants/{no_workshop}")));
    assert!(!manager.contains("Nie masz teraz zadań"));
    assert!(!manager.contains("Dzień dobry,"));

    let social = home(&app, "socjalny1").await;
    let documents = group(&social, "Kandydaci z brakującymi dokumentami");
    assert!(documents.contains("Dokumentowa Ewa"), "{social}");
    // The survey is on file and the consent was given at registration.
    assert!(documents.contains("brakuje: deklaracja uczestnictwa, karta danych osobowych"));
    assert!(!documents.contains("ankieta") && !documents.contains("zgoda"));
    let trial = group(&social, "Okres próbny kończy się");
    assert!(
        trial.contains("Próbna Jan") && !trial.contains("Spóźniona"),
        "own caseload only"
    );
    assert!(group(&social, "Koniec udziału").contains("Kończąca Jan"));
    let contacts = group(&social, "Kontakty z absolwentami");
    assert!(
        contacts.contains("(1)") && contacts.contains("Absolwentka Jan"),
        "{social}"
    );
    assert!(
        contacts.contains("kontakty do wykonania: 2")
            && contacts.contains("Zaległe. Po terminie od 100 dni.")
    );
    assert!(!social.contains("Lista rezerwowa") && !social.contains("Nieprzydzielona"));
    // The work comes before the caseload.
    assert!(social.find("Okres próbny").unwrap() < social.find("Moi podopieczni").unwrap());
    let other = home(&app, "socjalny2").await;
    assert!(group(&other, "Okres próbny kończy się").contains("Spóźniona Jan"));
    assert!(
        !other.contains("Kontakty z absolwentami"),
        "no graduates: no group"
    );

    let instructor = home(&app, "instruktor").await;
    let ending_group = group(&instructor, "Koniec udziału");
    assert!(ending_group.contains("Kończąca Jan"), "{instructor}");
    assert!(!instructor.contains("Bezpracowniana") && !instructor.contains("Okres próbny kończy"));
    assert!(group(&instructor, "Uczestnicy moich pracowni").contains("Próbna Jan"));

    for login in ["psycholog", "doradca"] {
        let page = home(&app, login).await;
        assert!(page.contains("Nie masz teraz zadań."), "{login}");
    }
}

/// The count beside "Start" in the navigation, if shown.
pub fn nav_count(page: &str) -> Option<String> {
    let at = page.find("<span class=\"nav-count\">")? + "<span class=\"nav-count\">".len();
    Some(page[at..at + page[at..].find('<')?].to_owned())
}

#[tokio::test]
async fn the_navigation_counts_the_work_due_as_start_last_counted_it() {
    let app = spawn_app().await;
    // A trial period ending in 3 days, without a workshop: two things for the manager (the
    // trial, the placement), one for the social worker (the trial).
    let id = app
        .fixture_participant(CENTRE_A, "Liczona", Some("socjalny1"), None)
        .await;
    app.update_participant(id, "status = 'trial', trial_ends_on = current_date + 3")
        .await;
    let manager = app.login("kierownik").await;
    let page = |session: Session, path: &'static str| {
        let app = &app;
        async move {
            let response = app.get(path, Some(&session)).await;
            assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
            response.text().await.unwrap()
        }
    };
    // Before Start has counted: no number.
    assert_eq!(
        nav_count(&page(manager.clone(), "/participants").await),
        None
    );
    assert_eq!(
        nav_count(&page(manager.clone(), "/").await).as_deref(),
        Some("2")
    );
    let list = page(manager.clone(), "/participants").await;
    assert_eq!(
        nav_count(&list).as_deref(),
        Some("2"),
        "kept for the next pages"
    );
    assert!(list.contains("<span class=\"visually-hidden\"> do zrobienia</span>"));
    let worker = app.login("socjalny1").await;
    assert_eq!(
        nav_count(&page(worker.clone(), "/").await).as_deref(),
        Some("1")
    );
    // The user's own change may change their work: the count is forgotten until Start.
    let response = app
        .post(
            &format!("/participants/{id}/notes"),
            Some(&worker),
            &[
                ("noted_on", "2026-11-02"),
                ("kind", "conversation"),
                ("topic", "Rozmowa"),
                ("body", "Treść."),
                ("visibility", "team"),
            ],
        )
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(
        nav_count(&page(worker.clone(), "/participants").await),
        None
    );
    // A count older than ten minutes is not shown either.
    app.advance(std::time::Duration::from_secs(11 * 60));
    assert_eq!(
        nav_count(&page(manager.clone(), "/participants").await),
        None
    );
}
