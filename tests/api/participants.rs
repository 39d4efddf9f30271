//! Participants: registration, search, the file, field-level access, lifecycle, editing.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::*;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

async fn participants(app: &TestApp) -> i64 {
    count(app, "select count(*) from participant").await
}

async fn page(app: &TestApp, path: &str, session: &Session) -> (StatusCode, String) {
    let response = app.get(path, Some(session)).await;
    (response.status(), response.text().await.unwrap())
}

// ---------------------------------------------------------------------------------------------
// Registration

#[tokio::test]
async fn a_social_worker_registers_a_candidate_into_their_own_caseload() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let id = app
        .register(
            &worker,
            "Wiśniewska",
            "Anna Maria",
            &pesel(1985, 4, 12, 321, true),
        )
        .await;
    let row: (String, String, Option<Uuid>, String, String) = sqlx::query_as(
        "select status::text, sex, social_worker_id, birth_date::text, array_to_string(categories, ',') from participant where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(row.0, "candidate");
    assert_eq!(row.1, "K", "sex read from PESEL");
    assert_eq!(row.2, Some(app.user_id("socjalny1").await));
    assert_eq!(row.3, "1985-04-12", "birth date read from PESEL");
    assert_eq!(row.4, "alcohol,long_term_unemployed");
    let history = count(
        &app,
        "select count(*) from participant_status_change where to_status = 'candidate'",
    )
    .await;
    assert_eq!(history, 1);
    assert_eq!(
        app.audit_count("participant.register", Some("success"))
            .await,
        1
    );
    let (status, file) = page(&app, &format!("/participants/{id}"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        file.contains("Kandydat została zarejestrowany")
            || file.contains("Kandydat został zarejestrowany")
    );
    assert!(file.contains("Wiśniewska Anna Maria"));
    // The caseload appears first on the worker's home page; the menu leads to the list.
    let (_, home) = page(&app, "/", &worker).await;
    assert!(home.contains("<a href=\"/participants\">Uczestnicy</a>"));
    assert!(home.contains("Moi podopieczni (1)") && home.contains("Wiśniewska Anna Maria"));
}

#[tokio::test]
async fn invalid_registrations_get_messages_keep_the_input_and_change_nothing() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let long = "N".repeat(10_000);
    type Case = (Vec<(String, String)>, &'static str, &'static str);
    let cases: Vec<Case> = vec![
        (
            registration("Nowak", "Jan", "85041232100", &[]),
            "cyfra kontrolna",
            "85041232100",
        ),
        (
            registration("Nowak", "Jan", "12345", &[]),
            "PESEL ma 11 cyfr",
            "12345",
        ),
        (
            registration("", "Jan", &pesel(1985, 4, 12, 1, false), &[]),
            "To pole jest wymagane",
            "Jan",
        ),
        (
            registration(&long, "Jan", &pesel(1985, 4, 12, 2, false), &[]),
            "Najwyżej 100 znaków",
            "Jan",
        ),
        (
            registration(
                "Nowak",
                "Jan",
                "",
                &[
                    ("no_pesel", "on"),
                    ("birth_date", "2099-01-01"),
                    ("id_document", "paszport AB123"),
                ],
            ),
            "nie może być z przyszłości",
            "paszport AB123",
        ),
        (
            registration(
                "Nowak",
                "Jan",
                &pesel(1985, 4, 12, 3, false),
                &[("birth_date", "1985-04-13")],
            ),
            "nie zgadza się z numerem PESEL",
            "1985-04-13",
        ),
        (
            registration(
                "<script>alert(1)</script>",
                "Jan",
                &pesel(1985, 4, 12, 4, false),
                &[],
            ),
            "litery, spacja",
            "&#60;script&#62;alert(1)&#60;/script&#62;",
        ),
        (
            registration(
                "Nowak",
                "Jan",
                &pesel(1985, 4, 12, 5, false),
                &[
                    ("cat_long_term_unemployed", "<absent>"),
                    ("cat_alcohol", "<absent>"),
                ],
            ),
            "co najmniej jedną kategorię",
            "Nowak",
        ),
        (
            registration(
                "Nowak",
                "Jan",
                &pesel(1985, 4, 12, 6, false),
                &[("no_exclusion", "<absent>")],
            ),
            "art. 1 ust. 3",
            "Nowak",
        ),
        (
            registration(
                "Nowak",
                "Jan",
                &pesel(1985, 4, 12, 7, false),
                &[("cat_long_term_unemployed", "<absent>")],
            ),
            "długotrwale bezrobotne",
            "Nowak",
        ),
    ];
    for (fields, message, kept) in cases {
        let response = app.post_fields("/participants", &worker, &fields).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}"
        );
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "expected «{message}»");
        assert!(body.contains(kept), "input «{kept}» kept");
        assert!(body.contains("class=\"error\""));
        assert!(!body.contains("<script>alert(1)"));
    }
    assert_eq!(participants(&app).await, 0);
}

#[tokio::test]
async fn a_person_without_pesel_is_registered_with_birth_date_and_document() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let fields = registration(
        "Hrytsenko",
        "Olena",
        "",
        &[
            ("no_pesel", "on"),
            ("birth_date", "1990-05-06"),
            ("sex", "K"),
            ("id_document", "karta pobytu RP7654321"),
            ("cat_refugee", "on"),
            ("referrer", "ops"),
        ],
    );
    let response = app.post_fields("/participants", &manager, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (pesel, document): (Option<String>, Option<String>) =
        sqlx::query_as("select pesel, id_document from participant")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (pesel, document.as_deref()),
        (None, Some("karta pobytu RP7654321"))
    );
}

#[tokio::test]
async fn a_second_registration_of_a_pesel_in_the_centre_is_refused_with_a_link_to_the_file() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let number = pesel(1979, 9, 30, 44, false);
    let first = app.register(&worker, "Zieliński", "Marek", &number).await;
    let again = app
        .post_fields(
            "/participants",
            &worker,
            &registration("Zieliński", "Marek", &number, &[]),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = again.text().await.unwrap();
    assert!(body.contains("jest już zarejestrowana w tym ośrodku"));
    assert!(body.contains(&format!("href=\"/participants/{first}\"")));
    assert_eq!(participants(&app).await, 1);
    // Another centre keeps its own registry.
    let other = app.login("socjalny3").await;
    app.register(&other, "Zieliński", "Marek", &number).await;
    assert_eq!(participants(&app).await, 2);
}

#[tokio::test]
async fn html_in_free_text_fields_is_stored_verbatim_and_rendered_escaped() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let payload = "<img src=x onerror=alert(1)>";
    let fields = registration(
        "Escape",
        "Test",
        &pesel(1980, 2, 2, 9, false),
        &[
            ("address_street", payload),
            ("responsible_ops", payload),
            ("referrer_institution", payload),
            ("applicant_institution", payload),
            ("consent_scope", payload),
            ("cat_other", "on"),
            ("category_other", payload),
        ],
    );
    let response = app.post_fields("/participants", &manager, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = location(&response);
    let (_, file) = page(&app, &id, &manager).await;
    assert!(!file.contains("<img src=x"));
    assert!(file.matches("&#60;img src=x onerror=alert(1)&#62;").count() >= 5);
    let stored: String = sqlx::query_scalar("select consent_scope from participant")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, payload);
}

// ---------------------------------------------------------------------------------------------
// Finding participants

#[tokio::test]
async fn search_by_surname_first_name_or_pesel_is_a_post_and_names_never_reach_a_url() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let number = pesel(1982, 7, 15, 123, true);
    let id = app.register(&worker, "Kowalczyk", "Beata", &number).await;
    app.register(&worker, "Nowak", "Kowalina", &pesel(1983, 1, 1, 5, true))
        .await;
    app.register(&worker, "Zając", "Ewa", &pesel(1984, 1, 1, 6, true))
        .await;
    for (q, expect_hits) in [
        ("kowal", 2),
        ("Kowalczyk be", 1),
        ("beata", 1),
        (&number[..6], 1),
        (number.as_str(), 1),
        ("zzz", 0),
    ] {
        let response = app
            .post("/participants/search", Some(&worker), &[("q", q)])
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{q}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains(&format!("Znalezione osoby: {expect_hits}")),
            "{q}: {expect_hits} hits expected"
        );
        assert!(!body.contains("?q="), "no search term in links");
    }
    let body = app
        .post(
            "/participants/search",
            Some(&worker),
            &[("q", "Kowalczyk be")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains(&format!("/participants/{id}")));
    assert!(
        body.contains("value=\"Kowalczyk be\""),
        "the search box keeps the term"
    );
    // Bad searches get a message, never a 500.
    for q in ["' OR 1=1 --", "a", "123"] {
        let response = app
            .post("/participants/search", Some(&worker), &[("q", q)])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
    // A GET with a term in the query string does not search.
    let (_, listed) = page(
        &app,
        "/participants?q=Kowalczyk&worker=all&status=all",
        &worker,
    )
    .await;
    assert!(listed.contains("Uczestnicy: 3"));
    assert_eq!(
        app.audit_count("participant.search", Some("success")).await,
        7
    );
}

#[tokio::test]
async fn a_social_worker_sees_others_only_by_name_and_status_and_cannot_look_up_their_pesel() {
    let app = spawn_app().await;
    let mine = app.login("socjalny1").await;
    let theirs = app.login("socjalny2").await;
    let number = pesel(1975, 3, 3, 77, false);
    let id = app.register(&theirs, "Obcy", "Adam", &number).await;
    let (_, own_list) = page(&app, "/participants?status=all", &mine).await;
    assert!(
        own_list.contains("Uczestnicy: 0"),
        "caseload first: the default list is one's own"
    );
    let (_, all) = page(&app, "/participants?worker=all&status=all", &mine).await;
    assert!(all.contains("Obcy Adam") && all.contains("Kandydat"));
    assert!(
        !all.contains(&format!("/participants/{id}")),
        "no link to a file outside the caseload"
    );
    let row = all
        .split("Obcy Adam")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        !row.contains("Sebastian Socjalny"),
        "no details of another worker's participant: {row}"
    );
    let found = app
        .post("/participants/search", Some(&mine), &[("q", &number)])
        .await
        .text()
        .await
        .unwrap();
    assert!(found.contains("Znalezione osoby: 0"));
    assert_eq!(
        app.get(&format!("/participants/{id}"), Some(&mine))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // A category filter would reveal special-category data: it applies to one's caseload only.
    let (_, filtered) = page(&app, "/participants?worker=all&category=alcohol", &mine).await;
    assert!(!filtered.contains("Obcy Adam"));
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages_with_a_cursor_that_is_an_id() {
    let app = spawn_app().await;
    let centre = app.centre_id(CENTRE_A).await;
    let mut tx = app.db.begin().await.unwrap();
    let today = teczka::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    teczka::demo::participants::generate(
        &mut tx,
        centre,
        130,
        42,
        today,
        teczka::demo::participants::Generated::Demo,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let manager = app.login("kierownik").await;
    let (_, first) = page(&app, "/participants?status=all", &manager).await;
    assert!(first.contains("Uczestnicy: 130"));
    let names = |html: &str| -> Vec<String> {
        html.split("<td data-label=\"Nazwisko i imiona\"><a href=\"/participants/")
            .skip(1)
            .map(|s| {
                s.split('>')
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let page1 = names(&first);
    assert_eq!(page1.len(), 50);
    let next = first
        .split("href=\"/participants?")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(next.contains("after="));
    assert!(
        !next.chars().any(|c| c.is_uppercase()),
        "the cursor carries no name: {next}"
    );
    let (_, second) = page(&app, &format!("/participants?{next}"), &manager).await;
    let page2 = names(&second);
    assert_eq!(page2.len(), 50);
    assert!(page1.iter().all(|n| !page2.contains(n)) || page1.last() < page2.first());
    // Polish alphabetical order across the page boundary.
    // Polish alphabet: a ą b c ć d e ę … ł … ń ó … ś … z ź ż.
    let collator = |s: &str| {
        s.split(' ')
            .next()
            .unwrap()
            .to_lowercase()
            .chars()
            .map(|c| match c {
                'ą' => "a~".to_owned(),
                'ć' => "c~".to_owned(),
                'ę' => "e~".to_owned(),
                'ł' => "l~".to_owned(),
                'ń' => "n~".to_owned(),
                'ó' => "o~".to_owned(),
                'ś' => "s~".to_owned(),
                'ź' => "z~".to_owned(),
                'ż' => "z~~".to_owned(),
                other => other.to_string(),
            })
            .collect::<String>()
    };
    let all: Vec<String> = page1.iter().chain(page2.iter()).cloned().collect();
    for pair in all.windows(2) {
        assert!(
            collator(&pair[0]) <= collator(&pair[1]),
            "{} before {}",
            pair[0],
            pair[1]
        );
    }
    for status in [
        "candidate",
        "reserve",
        "trial",
        "participant",
        "graduate",
        "terminated",
    ] {
        let (code, filtered) =
            page(&app, &format!("/participants?status={status}"), &manager).await;
        assert_eq!(code, StatusCode::OK);
        let expected: i64 =
            sqlx::query_scalar("select count(*) from participant where status::text = $1")
                .bind(status)
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert!(
            filtered.contains(&format!("Uczestnicy: {expected}")),
            "{status}"
        );
    }
    let (_, ending) = page(&app, "/participants?sort=ending", &manager).await;
    let active: i64 = count(
        &app,
        "select count(*) from participant where status in ('trial', 'participant')",
    )
    .await;
    assert!(ending.contains("Uczestnicy") && names(&ending).len() as i64 == active.min(50));
    assert_eq!(
        app.get("/participants?status=bogus", Some(&manager))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/participants?after=not-a-uuid", Some(&manager))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

// ---------------------------------------------------------------------------------------------
// The file and who sees what

#[tokio::test]
async fn every_role_sees_exactly_the_parts_of_the_file_the_rule_table_allows() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Gastronomiczna", Some("instruktor"))
        .await;
    // The fixture participant's categories: long-term unemployed, prison, alcohol.
    let id = app
        .fixture_participant(CENTRE_A, "Wzorcowa", Some("socjalny1"), Some(workshop))
        .await;
    let path = format!("/participants/{id}");
    let general = "Osoba długotrwale bezrobotna";
    let health = "Osoba uzależniona od alkoholu";
    let criminal = "Osoba zwolniona z zakładu karnego";
    let personal = "<dt>PESEL</dt>";
    let referral = "Zgłoszenie, skierowanie i zgody";
    let documents = "Dokumenty rekrutacyjne";
    let viewers = "Kto przeglądał teczkę";
    let history = "Notatki i historia statusu";
    let contact = "<dt>Telefon</dt>";
    //            role          general health criminal personal referral docs  viewers history contact
    let table = [
        (
            "kierownik",
            true,
            true,
            true,
            true,
            true,
            true,
            true,
            true,
            true,
        ),
        (
            "socjalny1",
            true,
            true,
            true,
            true,
            true,
            true,
            false,
            true,
            true,
        ),
        (
            "psycholog",
            true,
            true,
            false,
            true,
            false,
            false,
            false,
            false,
            true,
        ),
        (
            "doradca", true, true, false, true, false, false, false, false, true,
        ),
        (
            "instruktor",
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            true,
        ),
    ];
    for (login, g, h, c, p, r, d, v, hi, co) in table {
        let session = app.login(login).await;
        let (status, file) = page(&app, &path, &session).await;
        assert_eq!(status, StatusCode::OK, "{login}");
        assert!(file.contains("Wzorcowa Jan"), "{login}");
        for (shown, text) in [
            (g, general),
            (h, health),
            (c, criminal),
            (p, personal),
            (r, referral),
            (d, documents),
            (v, viewers),
            (hi, history),
            (co, contact),
        ] {
            assert_eq!(
                file.contains(text),
                shown,
                "{login}: «{text}» should be {}",
                if shown { "shown" } else { "hidden" }
            );
        }
    }
    // Outside the scope the file does not exist.
    for login in ["socjalny2", "kierownik2", "socjalny3", "admin"] {
        let session = app.login(login).await;
        assert_eq!(
            app.get(&path, Some(&session)).await.status(),
            StatusCode::NOT_FOUND,
            "{login}"
        );
    }
    // The psychologist and the career advisor see active participants only.
    let candidate = app
        .register(
            &app.login("socjalny1").await,
            "Kandydatka",
            "Ola",
            &pesel(1990, 1, 1, 1, true),
        )
        .await;
    let psych = app.login("psycholog").await;
    assert_eq!(
        app.get(&format!("/participants/{candidate}"), Some(&psych))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The administrator has no participant list at all.
    let admin = app.login("admin").await;
    assert_eq!(
        app.get("/participants", Some(&admin)).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn every_file_view_is_audited_with_what_was_shown_and_the_manager_sees_who_looked() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Ogrodnicza", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Audytowana", Some("socjalny1"), Some(workshop))
        .await;
    let path = format!("/participants/{id}");
    for login in ["socjalny1", "instruktor", "socjalny1"] {
        let session = app.login(login).await;
        assert_eq!(
            app.get(&path, Some(&session)).await.status(),
            StatusCode::OK
        );
    }
    let rows = app.file_views(id).await;
    assert_eq!(rows.len(), 3);
    assert!(rows[0].1.contains("categories.criminal"));
    assert_eq!(rows[1].1, "identity,contact,participation,notes.team");
    let manager = app.login("kierownik").await;
    let (_, file) = page(&app, &path, &manager).await;
    assert!(file.contains(&format!("href=\"{path}/access-log\"")));
    let (code, log) = page(&app, &format!("{path}/access-log"), &manager).await;
    assert_eq!(code, StatusCode::OK);
    let panel = log.split("<ol class=\"access-log\">").nth(1).unwrap();
    assert!(
        panel.contains("Sylwia Socjalna")
            && panel.contains("Igor Instruktor")
            && panel.contains("Instruktor zawodu")
    );
    // Parts in Polish, and reading the log is itself audited.
    assert!(panel.contains("kategorie – karalność") && panel.contains("kontakt, udział w CIS"));
    assert_eq!(
        app.audit_count("participant.access_log", Some("success"))
            .await,
        1
    );
    // The social worker who keeps the file may not see who opened it.
    let worker = app.login("socjalny1").await;
    let (code, _) = page(&app, &format!("{path}/access-log"), &worker).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    // A denied view is audited too.
    let other = app.login("socjalny2").await;
    app.get(&path, Some(&other)).await;
    let denied = count(
        &app,
        "select count(*) from audit_event where action = 'participant.view' and outcome = 'denied'",
    )
    .await;
    assert_eq!(denied, 1);
}

#[tokio::test]
async fn if_the_audit_row_cannot_be_written_the_file_is_not_shown() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Niewidoczna", Some("socjalny1"), None)
        .await;
    let manager = app.login("kierownik").await;
    sqlx::query("alter table audit_event add constraint no_views check (action <> 'participant.view') not valid")
        .execute(&app.db)
        .await
        .unwrap();
    let response = app
        .get(&format!("/participants/{id}"), Some(&manager))
        .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = response.text().await.unwrap();
    assert!(!body.contains("Niewidoczna"));
    let number: String = sqlx::query_scalar("select pesel from participant")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!body.contains(&number));
}

#[tokio::test]
async fn forms_posted_for_another_centres_participant_answer_404_and_change_nothing() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_B, "Obca", Some("socjalny3"), None)
        .await;
    let manager = app.login("kierownik").await;
    let worker_id = app.user_id("socjalny1").await.to_string();
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/participants/{id}/status/terminated"),
            vec![("date", "2026-11-20"), ("reason", "withdrawal")],
        ),
        (
            format!("/participants/{id}/social-worker"),
            vec![("social_worker", worker_id.as_str())],
        ),
        (
            format!("/participants/{id}/extension"),
            vec![
                ("decided_on", "2026-11-20"),
                ("new_end", "2027-12-01"),
                ("reason", "x"),
            ],
        ),
        (
            format!("/participants/{id}/documents"),
            vec![
                ("kind", "gdpr_consent"),
                ("document_date", "2026-11-20"),
                ("content", "x"),
            ],
        ),
    ];
    for (path, fields) in posts {
        assert_eq!(
            app.post(&path, Some(&manager), &fields).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let edit = app
        .post_fields(
            &format!("/participants/{id}"),
            &manager,
            &registration(
                "Zmieniona",
                "X",
                &pesel(1980, 1, 1, 500, false),
                &[("version", "0")],
            ),
        )
        .await;
    assert_eq!(edit.status(), StatusCode::NOT_FOUND);
    let (status, surname, changes): (String, String, i64) = sqlx::query_as(
        "select status::text, surname, (select count(*) from participant_status_change) from participant where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), surname.as_str(), changes),
        ("participant", "Obca", 0)
    );
    assert_eq!(
        count(&app, "select count(*) from recruitment_document").await,
        0
    );
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

async fn transition(
    app: &TestApp,
    session: &Session,
    id: Uuid,
    target: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    // Past the confirmation of the end of participation (`guard_rails.rs` tests it).
    let mut fields = fields.to_vec();
    match target {
        "graduate" | "terminated" => fields.push(("confirm", "tak")),
        _ => {}
    }
    app.post(
        &format!("/participants/{id}/status/{target}"),
        Some(session),
        &fields,
    )
    .await
}

fn days_ago(n: i64) -> String {
    let today = teczka::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    teczka::validate::dates::iso(today - time::Duration::days(n))
}

/// Registers a candidate referred `days` ago (the candidate status starts on the referral date).
async fn register_referred(
    app: &TestApp,
    session: &Session,
    surname: &str,
    first: &str,
    number: &str,
    days: i64,
) -> Uuid {
    let date = days_ago(days);
    let fields = registration(
        surname,
        first,
        number,
        &[
            ("referral_date", &date),
            ("consent_date", &date),
            ("no_exclusion_date", &date),
        ],
    );
    let response = app.post_fields("/participants", session, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
        .trim_start_matches("/participants/")
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_candidate_goes_through_the_whole_lifecycle_to_graduation_with_a_follow_up_schedule() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let id = register_referred(
        &app,
        &worker,
        "Drogowa",
        "Maria",
        &pesel(1970, 6, 1, 10, true),
        70,
    )
    .await;

    // The social worker puts the candidate on the reserve list; the signatures of the first
    // IPZS admit, in agreement with the OPS head the programme names.
    assert_redirect(
        &transition(&app, &worker, id, "reserve", &[("date", &days_ago(60))]).await,
        &format!("/participants/{id}"),
    );
    let admitted = app
        .admit_by_programme(
            id,
            &days_ago(50),
            "Anna Nowak, GOPS Lesznowola",
            &days_ago(52),
        )
        .await;
    assert_eq!(admitted.status(), StatusCode::SEE_OTHER);

    let (admitted_on, trial_end, planned, cap): (time::Date, time::Date, time::Date, time::Date) =
        sqlx::query_as("select admitted_on, trial_ends_on, planned_end_on, cap_end_on from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    use teczka::validate::dates::add_months;
    assert_eq!(
        trial_end,
        add_months(admitted_on, 1),
        "the trial month is counted separately"
    );
    assert_eq!(planned, add_months(trial_end, 11));
    assert_eq!(
        cap,
        add_months(trial_end, 24),
        "the 24-month cap since 2022"
    );

    // The trial cannot be closed before it ends; then it can.
    let early = transition(
        &app,
        &manager,
        id,
        "participant",
        &[("date", &days_ago(40))],
    )
    .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early
            .text()
            .await
            .unwrap()
            .contains("Okres próbny kończy się")
    );
    assert_redirect(
        &transition(&app, &manager, id, "participant", &[("date", &days_ago(5))]).await,
        &format!("/participants/{id}"),
    );

    // Graduation through employment needs the contract type.
    let no_contract = transition(
        &app,
        &manager,
        id,
        "graduate",
        &[("date", &days_ago(1)), ("outcome", "employment")],
    )
    .await;
    assert_eq!(no_contract.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Graduation closes the IPZS: its final evaluation comes first.
    let programme: Uuid =
        sqlx::query_scalar("select document_id from document where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let evaluated = app
        .post(
            &format!("/ipzs/{programme}/monitoring"),
            Some(&worker),
            &[
                ("phase", "end"),
                ("entry_on", &days_ago(1)),
                ("situation", "Cele osiągnięte, umowa o pracę."),
                ("goal_1_assessment", "approaching"),
            ],
        )
        .await;
    assert_eq!(evaluated.status(), StatusCode::SEE_OTHER);
    let graduated = transition(
        &app,
        &manager,
        id,
        "graduate",
        &[
            ("date", &days_ago(1)),
            ("outcome", "employment"),
            ("contract", "permanent"),
        ],
    )
    .await;
    assert_redirect(&graduated, &format!("/participants/{id}"));
    let due: Vec<time::Date> = sqlx::query_scalar(
        "select due_on from follow_up where participant_id = $1 order by sequence",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let ended: time::Date =
        sqlx::query_scalar("select ended_on from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let expected: Vec<time::Date> = [3, 6, 9, 12, 18, 24, 30, 36]
        .iter()
        .map(|m| add_months(ended, *m))
        .collect();
    assert_eq!(
        due, expected,
        "quarterly in year one, half-yearly in years two and three"
    );

    let history: Vec<(Option<String>, String, String)> = sqlx::query_as(
        "select c.from_status::text, c.to_status::text, u.login from participant_status_change c join staff_user u on u.staff_user_id = c.decided_by
         where participant_id = $1 order by recorded_at",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let steps: Vec<(Option<&str>, &str, &str)> = history
        .iter()
        .map(|(f, t, u)| (f.as_deref(), t.as_str(), u.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (None, "candidate", "socjalny1"),
            (Some("candidate"), "reserve", "socjalny1"),
            (Some("reserve"), "trial", "kierownik"),
            (Some("trial"), "participant", "kierownik"),
            (Some("participant"), "graduate", "kierownik"),
        ]
    );
    let (_, file) = page(&app, &format!("/participants/{id}"), &manager).await;
    assert!(
        file.contains("Podjęcie zatrudnienia")
            && file.contains("Umowa o pracę na czas nieokreślony")
    );
    assert!(file.contains("Anna Nowak, GOPS Lesznowola"));
}

#[tokio::test]
async fn impossible_or_repeated_transitions_answer_409_and_change_nothing() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let id = app
        .register(&worker, "Powtórna", "Ala", &pesel(1971, 6, 1, 11, true))
        .await;
    let skip = transition(&app, &manager, id, "participant", &[("date", &days_ago(1))]).await;
    assert_eq!(skip.status(), StatusCode::CONFLICT);
    assert!(
        skip.text()
            .await
            .unwrap()
            .contains("Nie można zmienić statusu z „Kandydat” na „Uczestnik”")
    );
    assert_eq!(
        app.get(
            &format!("/participants/{id}/status/graduate"),
            Some(&manager)
        )
        .await
        .status(),
        StatusCode::CONFLICT
    );
    // The same transition posted twice at once: exactly one takes effect.
    let date = days_ago(0);
    let fields = [("date", date.as_str())];
    let (a, b) = tokio::join!(
        transition(&app, &worker, id, "reserve", &fields),
        transition(&app, &worker, id, "reserve", &fields)
    );
    let mut statuses = vec![a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![303, 409]);
    assert_eq!(
        count(
            &app,
            "select count(*) from participant_status_change where to_status = 'reserve'"
        )
        .await,
        1
    );
    // Unknown targets do not exist.
    assert_eq!(
        transition(&app, &manager, id, "candidate", &fields)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        transition(&app, &manager, id, "bogus", &fields)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn termination_requires_one_of_the_three_reasons_and_is_for_the_manager_alone() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Przerwana", Some("socjalny1"), None)
        .await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    assert_eq!(
        transition(
            &app,
            &worker,
            id,
            "terminated",
            &[("date", &days_ago(1)), ("reason", "withdrawal")]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    for reason in ["", "bo tak", "graduate"] {
        let response = transition(
            &app,
            &manager,
            id,
            "terminated",
            &[("date", &days_ago(1)), ("reason", reason)],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{reason}"
        );
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("jedną z trzech przyczyn")
        );
    }
    let future = transition(
        &app,
        &manager,
        id,
        "terminated",
        &[("date", "2099-01-01"), ("reason", "withdrawal")],
    )
    .await;
    assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = transition(
        &app,
        &manager,
        id,
        "terminated",
        &[("date", &days_ago(1)), ("reason", "left_permanently")],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (status, reason): (String, String) =
        sqlx::query_as("select status::text, termination_reason::text from participant")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("terminated", "left_permanently")
    );
}

#[tokio::test]
async fn extensions_are_decision_records_and_the_cap_from_the_rules_is_enforced() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Przedłużona", Some("socjalny1"), None)
        .await;
    let manager = app.login("kierownik").await;
    let cap: time::Date = sqlx::query_scalar("select cap_end_on from participant")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let beyond = teczka::validate::dates::iso(cap + time::Duration::days(1));
    let refused = app
        .post(
            &format!("/participants/{id}/extension"),
            Some(&manager),
            &[
                ("decided_on", &days_ago(0)),
                ("new_end", &beyond),
                ("reason", "Egzamin"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text().await.unwrap();
    assert!(text.contains("nie może przekroczyć 24 miesięcy"), "{text}");
    assert!(
        text.contains("value=\"Egzamin\"") || text.contains(">Egzamin<"),
        "input kept"
    );
    let new_end = teczka::validate::dates::iso(cap - time::Duration::days(10));
    let ok = app
        .post(
            &format!("/participants/{id}/extension"),
            Some(&manager),
            &[
                ("decided_on", &days_ago(0)),
                ("new_end", &new_end),
                ("reason", "Egzamin końcowy"),
            ],
        )
        .await;
    assert_redirect(&ok, &format!("/participants/{id}"));
    let (reason, decided_by): (String, String) = sqlx::query_as(
        "select e.reason, u.login from participation_extension e join staff_user u on u.staff_user_id = e.decided_by",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (reason.as_str(), decided_by.as_str()),
        ("Egzamin końcowy", "kierownik")
    );
    // The social worker cannot extend.
    let worker = app.login("socjalny1").await;
    assert_eq!(
        app.get(&format!("/participants/{id}/extension"), Some(&worker))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_cap_and_base_period_are_effective_dated_parameters() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let centre = app.centre_id(CENTRE_A).await;
    // This centre's own rule from a year ago: base 5 months, cap 9.
    sqlx::query("insert into participation_rule (centre_id, valid_from, trial_months, base_months, cap_months, source) values ($1, current_date - 365, 1, 5, 9, 'uchwała testowa')")
        .bind(centre)
        .execute(&app.db)
        .await
        .unwrap();
    let id = register_referred(
        &app,
        &worker,
        "Parametrowa",
        "Iza",
        &pesel(1972, 6, 1, 12, true),
        30,
    )
    .await;
    transition(&app, &worker, id, "reserve", &[("date", &days_ago(20))]).await;
    app.admit_by_programme(id, &days_ago(10), "Jan Kowalski", &days_ago(10))
        .await;
    let (trial_end, planned, cap): (time::Date, time::Date, time::Date) =
        sqlx::query_as("select trial_ends_on, planned_end_on, cap_end_on from participant where participant_id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    use teczka::validate::dates::add_months;
    assert_eq!(planned, add_months(trial_end, 5));
    assert_eq!(cap, add_months(trial_end, 9));
    let beyond = teczka::validate::dates::iso(cap + time::Duration::days(1));
    let refused = app
        .post(
            &format!("/participants/{id}/extension"),
            Some(&manager),
            &[
                ("decided_on", &days_ago(0)),
                ("new_end", &beyond),
                ("reason", "x"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        refused.contains("nie może przekroczyć 9 miesięcy") && refused.contains("uchwała testowa")
    );
}

#[tokio::test]
async fn an_approaching_end_is_announced_on_the_file_and_the_managers_home() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Kończąca", Some("socjalny1"), None)
        .await;
    sqlx::query(
        "update participant set planned_end_on = current_date + 9 where participant_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    let manager = app.login("kierownik").await;
    let (_, file) = page(&app, &format!("/participants/{id}"), &manager).await;
    assert!(file.contains("Udział kończy się za"), "{file}");
    let (_, home) = page(&app, "/", &manager).await;
    assert!(home.contains("Kończąca Jan") && home.contains("Udział kończy się za"));
    let worker = app.login("socjalny1").await;
    let (_, home) = page(&app, "/", &worker).await;
    assert!(home.contains("Udział kończy się za"));
}

// ---------------------------------------------------------------------------------------------
// Editing, caseload, workshop, documents

#[tokio::test]
async fn a_stale_edit_gets_409_with_the_differences_and_the_input_kept() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let number = pesel(1988, 8, 8, 88, false);
    let id = app.register(&worker, "Edytowany", "Piotr", &number).await;
    let form = |surname: &str, phone: &str| {
        registration(
            surname,
            "Piotr",
            &number,
            &[("phone", phone), ("version", "0")],
        )
    };
    let first = app
        .post_fields(
            &format!("/participants/{id}"),
            &manager,
            &form("Edytowany", "700 100 200"),
        )
        .await;
    assert_redirect(&first, &format!("/participants/{id}"));
    let stale = app
        .post_fields(
            &format!("/participants/{id}"),
            &worker,
            &form("Edytowany-Nowak", "601 234 567"),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body = stale.text().await.unwrap();
    assert!(body.contains("Ktoś zapisał zmiany"));
    assert!(body.contains("700 100 200"), "what is stored now");
    assert!(
        body.contains("value=\"Edytowany-Nowak\""),
        "the user's input kept"
    );
    assert!(
        body.contains("name=\"version\" value=\"1\""),
        "a deliberate second save may overwrite"
    );
    let (surname, phone): (String, String) =
        sqlx::query_as("select surname, phone from participant")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (surname.as_str(), phone.as_str()),
        ("Edytowany", "700 100 200")
    );
    let again = app
        .post_fields(
            &format!("/participants/{id}"),
            &worker,
            &registration("Edytowany-Nowak", "Piotr", &number, &[("version", "1")]),
        )
        .await;
    assert_redirect(&again, &format!("/participants/{id}"));
    assert_eq!(
        app.audit_count("participant.edit", Some("success")).await,
        2
    );
}

#[tokio::test]
async fn the_manager_reassigns_the_caseload_and_access_follows() {
    let app = spawn_app().await;
    let first = app.login("socjalny1").await;
    let second = app.login("socjalny2").await;
    let manager = app.login("kierownik").await;
    let id = app
        .register(&first, "Przekazana", "Ola", &pesel(1991, 1, 1, 91, true))
        .await;
    assert_eq!(
        app.get(&format!("/participants/{id}"), Some(&second))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &format!("/participants/{id}/social-worker"),
            Some(&first),
            &[("social_worker", &app.user_id("socjalny2").await.to_string())]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let bogus = app
        .post(
            &format!("/participants/{id}/social-worker"),
            Some(&manager),
            &[("social_worker", &app.user_id("psycholog").await.to_string())],
        )
        .await;
    assert_eq!(bogus.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let moved = app
        .post(
            &format!("/participants/{id}/social-worker"),
            Some(&manager),
            &[("social_worker", &app.user_id("socjalny2").await.to_string())],
        )
        .await;
    assert_redirect(&moved, &format!("/participants/{id}"));
    assert_eq!(
        app.get(&format!("/participants/{id}"), Some(&second))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/participants/{id}"), Some(&first))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.audit_count("participant.assign_social_worker", Some("success"))
            .await,
        1
    );
}

#[tokio::test]
async fn placing_a_participant_in_a_workshop_opens_the_file_to_its_instructor_only() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Remontowo-budowlana", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Warsztatowa", Some("socjalny1"), None)
        .await;
    let instructor = app.login("instruktor").await;
    assert_eq!(
        app.get(&format!("/participants/{id}"), Some(&instructor))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let worker = app.login("socjalny1").await;
    let placed = app
        .post(
            &format!("/participants/{id}/workshop"),
            Some(&worker),
            &[("workshop", &workshop.to_string()), ("from", &days_ago(3))],
        )
        .await;
    assert_redirect(&placed, &format!("/participants/{id}"));
    let (status, file) = page(&app, &format!("/participants/{id}"), &instructor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(file.contains("Remontowo-budowlana"));
    let (_, home) = page(&app, "/", &instructor).await;
    assert!(home.contains("Warsztatowa Jan"));
    let (_, list) = page(&app, "/participants", &instructor).await;
    assert!(list.contains("Uczestnicy: 1"));
    // Ending the placement closes the file to the instructor again.
    let ended = app
        .post(
            &format!("/participants/{id}/workshop"),
            Some(&worker),
            &[("workshop", ""), ("from", &days_ago(0))],
        )
        .await;
    assert_redirect(&ended, &format!("/participants/{id}"));
    assert_eq!(
        app.get(&format!("/participants/{id}"), Some(&instructor))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_recruitment_checklist_shows_what_is_missing() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let id = app
        .register(&worker, "Dokumentowa", "Ewa", &pesel(1993, 3, 3, 33, true))
        .await;
    let (_, file) = page(&app, &format!("/participants/{id}"), &worker).await;
    // The consent recorded at registration is the consent document.
    assert!(file.contains("Brakuje (5)") && file.contains("zgoda odebrana przy rejestracji"));
    let bad = app
        .post(
            &format!("/participants/{id}/documents"),
            Some(&worker),
            &[
                ("kind", "list"),
                ("document_date", "2099-01-01"),
                ("content", ""),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.text().await.unwrap();
    assert!(
        body.contains("Wybierz rodzaj dokumentu.")
            && body.contains("z przyszłości")
            && body.contains("To pole jest wymagane.")
    );
    let added = app
        .post(
            &format!("/participants/{id}/documents"),
            Some(&worker),
            &[
                ("kind", "environmental_interview"),
                ("document_date", &days_ago(2)),
                ("content", "Wywiad w miejscu zamieszkania."),
            ],
        )
        .await;
    assert_redirect(&added, &format!("/participants/{id}"));
    let (_, file) = page(&app, &format!("/participants/{id}"), &worker).await;
    assert!(
        file.contains("Brakuje (4)")
            && file.contains("Wywiad w miejscu zamieszkania.")
            && file.contains("Sylwia Socjalna")
    );
    let psych_view: i64 = count(&app, "select count(*) from recruitment_document").await;
    assert_eq!(psych_view, 1);
}

#[tokio::test]
async fn generated_participants_have_consistent_histories() {
    let app = spawn_app().await;
    let centre = app.centre_id(CENTRE_A).await;
    let today = teczka::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    // Caseloads before: the centre's social workers by login.
    let caseloads = "select count(p.participant_id) from staff_user u
                     left join participant p on p.social_worker_id = u.staff_user_id
                     where u.centre_id = $1 and u.role = 'social_worker' and u.active
                     group by u.login order by u.login";
    let before: Vec<i64> = sqlx::query_scalar(caseloads)
        .bind(centre)
        .fetch_all(&app.db)
        .await
        .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    teczka::demo::participants::generate(
        &mut tx,
        centre,
        2000,
        7,
        today,
        teczka::demo::participants::Generated::Bulk,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // The first social worker keeps a caseload as a CIS has one; the others take the rest.
    let after: Vec<i64> = sqlx::query_scalar(caseloads)
        .bind(centre)
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(after.len() >= 2, "{after:?}");
    let first_cap = i64::try_from(teczka::demo::participants::FIRST_CASELOAD).unwrap();
    assert_eq!(after[0] - before[0], first_cap, "{before:?} → {after:?}");
    assert!(after[1] - before[1] > 500, "{before:?} → {after:?}");
    let inconsistent = count(
        &app,
        "select count(*) from participant p where p.status <> (select c.to_status from participant_status_change c
           where c.participant_id = p.participant_id order by c.recorded_at desc limit 1)",
    )
    .await;
    assert_eq!(inconsistent, 0);
    let bad_pesel = count(
        &app,
        "select count(*) from participant where pesel is not null and length(pesel) <> 11",
    )
    .await;
    assert_eq!(bad_pesel, 0);
    for (pesel,) in sqlx::query_as::<_, (String,)>(
        "select pesel from participant where pesel is not null limit 200",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
    {
        assert!(
            teczka::participants::pesel::Pesel::parse(&pesel).is_ok(),
            "{pesel}"
        );
    }
    let statuses = count(&app, "select count(distinct status) from participant").await;
    assert_eq!(statuses, 6);
    let graduates_without_schedule = count(
        &app,
        "select count(*) from participant p where status = 'graduate' and not exists (select 1 from follow_up f where f.participant_id = p.participant_id)",
    )
    .await;
    assert_eq!(graduates_without_schedule, 0);
}

#[tokio::test]
async fn search_results_page_with_a_posted_cursor_in_surname_order() {
    let app = spawn_app().await;
    let centre = app.centre_id(CENTRE_A).await;
    let today = teczka::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    let mut tx = app.db.begin().await.unwrap();
    teczka::demo::participants::generate(
        &mut tx,
        centre,
        1500,
        3,
        today,
        teczka::demo::participants::Generated::Bulk,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let manager = app.login("kierownik").await;
    let expected: i64 = count(
        &app,
        "select count(*) from participant where lower(surname) like 'ko%' or lower(first_names) like 'ko%'",
    )
    .await;
    assert!(
        expected > 50,
        "the fixture has more than one page of matches ({expected})"
    );
    let mut seen: Vec<String> = Vec::new();
    let mut after = String::new();
    loop {
        let body = app
            .post(
                "/participants/search",
                Some(&manager),
                &[("q", "ko"), ("after", &after)],
            )
            .await
            .text()
            .await
            .unwrap();
        let ids: Vec<String> = body
            .split("<td data-label=\"Nazwisko i imiona\"><a href=\"/participants/")
            .skip(1)
            .map(|s| s[..36].to_owned())
            .collect();
        assert!(ids.len() <= 50);
        seen.extend(ids);
        match body.split("name=\"after\" value=\"").nth(1) {
            Some(rest) => after = rest[..36].to_owned(),
            None => break,
        }
    }
    assert_eq!(
        seen.len() as i64,
        expected,
        "every match once, across pages"
    );
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
}

// ---------------------------------------------------------------------------------------------
// Findings of the security review

#[tokio::test]
async fn an_instructor_cannot_search_by_pesel() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Gastronomiczna", Some("instruktor"))
        .await;
    app.fixture_participant(CENTRE_A, "Peselowa", Some("socjalny1"), Some(workshop))
        .await;
    let number: String = sqlx::query_scalar("select pesel from participant")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let instructor = app.login("instruktor").await;
    let response = app
        .post(
            "/participants/search",
            Some(&instructor),
            &[("q", &number[..6])],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("Wyszukiwanie po numerze PESEL nie jest dostępne"));
    assert!(
        !body.contains("Znalezione osoby"),
        "no search was run; the plain list is shown"
    );
    // By name the instructor still finds their workshop's participant.
    let by_name = app
        .post(
            "/participants/search",
            Some(&instructor),
            &[("q", "Peselowa")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(by_name.contains("Znalezione osoby: 1"));
}

#[tokio::test]
async fn a_very_long_note_gets_a_message_not_a_500() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Notatkowa", Some("socjalny1"), None)
        .await;
    let manager = app.login("kierownik").await;
    let long = "n".repeat(1501);
    let refused = transition(
        &app,
        &manager,
        id,
        "terminated",
        &[
            ("date", &days_ago(0)),
            ("reason", "persistent_violation"),
            ("note", &long),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Najwyżej 1500 znaków")
    );
    let fits = "n".repeat(1500);
    let done = transition(
        &app,
        &manager,
        id,
        "terminated",
        &[
            ("date", &days_ago(0)),
            ("reason", "persistent_violation"),
            ("note", &fits),
        ],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_edit_form_and_the_conflict_page_are_audited_views() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let number = pesel(1981, 1, 1, 81, false);
    let id = app.register(&worker, "Widziany", "Jan", &number).await;
    assert_eq!(
        app.get(&format!("/participants/{id}/edit"), Some(&worker))
            .await
            .status(),
        StatusCode::OK
    );
    let fields = registration("Widziany", "Jan", &number, &[("version", "7")]);
    assert_eq!(
        app.post_fields(&format!("/participants/{id}"), &worker, &fields)
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let details: Vec<String> = sqlx::query_scalar(
        "select detail from audit_event where action = 'participant.view' and outcome = 'success' order by audit_event_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        details,
        vec!["edit_form".to_owned(), "edit_conflict".to_owned()]
    );
}

#[tokio::test]
async fn graduation_and_termination_end_the_workshop_placement_and_the_instructors_access() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Ogrodnicza", Some("instruktor"))
        .await;
    let graduate = app
        .fixture_participant(CENTRE_A, "Absolwentka", Some("socjalny1"), Some(workshop))
        .await;
    let leaver = app
        .fixture_participant(CENTRE_A, "Rezygnująca", Some("socjalny1"), Some(workshop))
        .await;
    let instructor = app.login("instruktor").await;
    let manager = app.login("kierownik").await;
    for id in [graduate, leaver] {
        assert_eq!(
            app.get(&format!("/participants/{id}"), Some(&instructor))
                .await
                .status(),
            StatusCode::OK
        );
    }
    transition(
        &app,
        &manager,
        graduate,
        "graduate",
        &[("date", &days_ago(0)), ("outcome", "period_elapsed")],
    )
    .await;
    transition(
        &app,
        &manager,
        leaver,
        "terminated",
        &[("date", &days_ago(0)), ("reason", "withdrawal")],
    )
    .await;
    for id in [graduate, leaver] {
        assert_eq!(
            app.get(&format!("/participants/{id}"), Some(&instructor))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    let open = count(
        &app,
        "select count(*) from workshop_membership where member_until is null",
    )
    .await;
    assert_eq!(open, 0);
    let (_, home) = page(&app, "/", &instructor).await;
    assert!(home.contains("Uczestnicy moich pracowni (0)"));
}

#[tokio::test]
async fn a_double_submitted_registration_gives_one_file_and_a_message_never_a_500() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let fields = registration("Podwójna", "Ala", &pesel(1986, 6, 6, 66, true), &[]);
    let (a, b) = tokio::join!(
        app.post_fields("/participants", &worker, &fields),
        app.post_fields("/participants", &worker, &fields)
    );
    let mut statuses = vec![a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![303, 422]);
    assert_eq!(participants(&app).await, 1);
}

#[tokio::test]
async fn a_duplicate_pesel_is_audited_and_links_only_to_a_file_the_user_may_open() {
    let app = spawn_app().await;
    let first = app.login("socjalny1").await;
    let second = app.login("socjalny2").await;
    let number = pesel(1977, 7, 7, 77, false);
    let id = app.register(&first, "Zajęty", "Jan", &number).await;
    let refused = app
        .post_fields(
            "/participants",
            &second,
            &registration("Zajęty", "Jan", &number, &[]),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("jest już zarejestrowana"));
    assert!(
        !body.contains(&id.to_string()),
        "no link to another worker's file"
    );
    let audited = count(&app, "select count(*) from audit_event where action = 'participant.register' and outcome = 'failure' and detail = 'duplicate_pesel'").await;
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_social_worker_cannot_filter_or_page_through_what_is_hidden_from_them() {
    let app = spawn_app().await;
    let workshop = app.workshop(CENTRE_A, "Gastronomiczna", None).await;
    let theirs = app
        .fixture_participant(CENTRE_A, "Cudza", Some("socjalny2"), Some(workshop))
        .await;
    let mine = app.login("socjalny1").await;
    let other_worker = app.user_id("socjalny2").await;
    for path in [
        format!("/participants?worker={other_worker}"),
        "/participants?worker=none".to_owned(),
    ] {
        assert_eq!(
            app.get(&path, Some(&mine)).await.status(),
            StatusCode::BAD_REQUEST,
            "{path}"
        );
    }
    let (_, by_workshop) = page(
        &app,
        &format!("/participants?worker=all&workshop={workshop}"),
        &mine,
    )
    .await;
    assert!(
        !by_workshop.contains("Cudza"),
        "the workshop filter covers one's own caseload only"
    );
    // A cursor pointing at a participant outside the listing is refused.
    let cursor = app
        .get(&format!("/participants?after={theirs}"), Some(&mine))
        .await;
    assert_eq!(cursor.status(), StatusCode::BAD_REQUEST);
    let manager = app.login("kierownik").await;
    assert_eq!(
        app.get(&format!("/participants?after={theirs}"), Some(&manager))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_refused_write_is_audited_and_leaves_no_connection_waiting() {
    let app = spawn_app_with(|c| c.db_max_connections = 2).await;
    let id = app
        .fixture_participant(CENTRE_A, "Chroniona", Some("socjalny2"), None)
        .await;
    let worker = app.login("socjalny1").await;
    // Several refused writes at once on a tiny pool: each answers 404 and is audited.
    let path = format!("/participants/{id}/documents");
    let body = form_body(&[
        ("kind", "gdpr_consent"),
        ("document_date", "2026-11-20"),
        ("content", "x"),
        ("csrf_token", &worker.csrf),
    ]);
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let request = app
            .request(reqwest::Method::POST, &path, Some(&worker))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone());
        attempts.spawn(request.send());
    }
    while let Some(response) = attempts.join_next().await {
        assert_eq!(response.unwrap().unwrap().status(), StatusCode::NOT_FOUND);
    }
    let denied = count(
        &app,
        "select count(*) from audit_event where action = 'participant.add_document' and outcome = 'denied'",
    )
    .await;
    assert_eq!(denied, 6);
}

#[tokio::test]
async fn the_count_matches_the_rows_for_the_ending_soonest_order() {
    let app = spawn_app().await;
    app.fixture_participant(CENTRE_A, "Aktywna", Some("socjalny1"), None)
        .await;
    let worker = app.login("socjalny1").await;
    app.register(&worker, "Kandydatka", "Ewa", &pesel(1992, 2, 2, 22, true))
        .await;
    let manager = app.login("kierownik").await;
    let (_, ending) = page(&app, "/participants?sort=ending", &manager).await;
    assert!(
        ending.contains("Uczestnicy: 1"),
        "only active participants with a planned end"
    );
}

#[tokio::test]
async fn the_stored_tally_and_placement_flag_match_the_rows_after_every_kind_of_write() {
    let app = spawn_app().await;
    let tally_differs = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "select count(*) from (
                     (select centre_id, status, count(*) from participant group by 1, 2
                      except select centre_id, status, n from participant_tally where n > 0)
                     union all
                     (select centre_id, status, n from participant_tally where n > 0
                      except select centre_id, status, count(*) from participant group by 1, 2)
                 ) differences",
            )
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    // Demo data (batches of rows in one statement), a registration through the app, rows
    // inserted one by one.
    let centre = app.centre_id(CENTRE_A).await;
    let mut tx = app.db.begin().await.unwrap();
    let today = teczka::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    teczka::demo::participants::generate(
        &mut tx,
        centre,
        60,
        7,
        today,
        teczka::demo::participants::Generated::Demo,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // The placements COPYed with the demo set each participant's `has_workshop` (0010).
    let placement_differs = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "select count(*) from participant p where p.has_workshop <> exists (
                     select 1 from workshop_membership m
                     where m.participant_id = p.participant_id and m.member_until is null)",
            )
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    assert_eq!(placement_differs(&app).await, 0);
    let placed: i64 = sqlx::query_scalar("select count(*) from participant where has_workshop")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(placed > 0);
    sqlx::query("update workshop_membership set member_until = member_from where member_until is null and participant_id in (select participant_id from participant where has_workshop limit 3)")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(placement_differs(&app).await, 0);
    sqlx::query("delete from workshop_membership where participant_id in (select participant_id from workshop_membership limit 2)")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(placement_differs(&app).await, 0);
    let worker = app.login("socjalny1").await;
    app.register(&worker, "Tallowa", "Ewa", &pesel(1990, 5, 5, 55, true))
        .await;
    let first = app
        .fixture_participant(CENTRE_A, "Pierwszy", Some("socjalny1"), None)
        .await;
    app.fixture_participant(CENTRE_B, "Drugi", None, None).await;
    assert_eq!(tally_differs(&app).await, 0);
    // Status changes of many rows at once and of one, a move to another centre, a deletion.
    sqlx::query("update participant set status = 'terminated' where status = 'reserve'")
        .execute(&app.db)
        .await
        .unwrap();
    app.update_participant(first, "status = 'graduate'").await;
    sqlx::query("update participant set phone = '600100200' where centre_id = $1")
        .bind(centre)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("update participant set centre_id = (select centre_id from centre where name = $1) where participant_id = $2")
        .bind(CENTRE_B)
        .bind(first)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(tally_differs(&app).await, 0);
    sqlx::query("delete from participant where participant_id = $1")
        .bind(first)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(tally_differs(&app).await, 0);

    // The lists counted from the tally: the manager's whole list and one status, the
    // psychologist's active participants.
    let manager = app.login("kierownik").await;
    let in_centre = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(centre)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let all = in_centre("select count(*) from participant where centre_id = $1").await;
    let (_, list) = page(&app, "/participants?status=all", &manager).await;
    assert!(list.contains(&format!("Uczestnicy: {all}<")), "{all}");
    let terminated = in_centre(
        "select count(*) from participant where centre_id = $1 and status = 'terminated'",
    )
    .await;
    let (_, list) = page(&app, "/participants?status=terminated", &manager).await;
    assert!(list.contains(&format!("Uczestnicy: {terminated}<")));
    let active = in_centre(
        "select count(*) from participant where centre_id = $1 and status in ('trial', 'participant')",
    )
    .await;
    assert!(active > 0);
    let psychologist = app.login("psycholog").await;
    let (_, list) = page(&app, "/participants", &psychologist).await;
    assert!(list.contains(&format!("Uczestnicy: {active}<")), "{active}");
    let (_, list) = page(&app, "/participants?status=graduate", &psychologist).await;
    assert!(list.contains("Uczestnicy: 0<"));
}

#[tokio::test]
async fn search_finds_names_and_towns_typed_without_polish_letters() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let urbanska = app
        .register(&worker, "Urbańska", "Zofia", &pesel(1981, 3, 3, 31, true))
        .await;
    let krol = app
        .register(&worker, "Król", "Łukasz", &pesel(1979, 9, 9, 91, false))
        .await;
    app.register(&worker, "Urban", "Ewa", &pesel(1988, 8, 8, 81, true))
        .await;
    // Lives in Łódź: a one-word search finds the town whole, without Polish letters too.
    app.update_participant(krol, "address_city = 'Łódź'").await;
    // Matches "urban" by surname and by first name: found once.
    let both = app
        .register(&worker, "Urbanek", "Urbana", &pesel(1987, 7, 7, 71, true))
        .await;
    for (q, hits, who) in [
        ("urbanska", 1, Some(urbanska)),
        ("URBANSKA", 1, Some(urbanska)),
        ("Urbańska", 1, Some(urbanska)),
        ("urban", 3, Some(both)),
        ("krol", 1, Some(krol)),
        ("lukasz", 1, Some(krol)),
        ("lukasz krol", 1, Some(krol)),
        ("Krol Łuk", 1, Some(krol)),
        ("król", 1, Some(krol)),
        ("lodz", 1, Some(krol)),
        ("ŁÓDŹ", 1, Some(krol)),
        ("lod", 0, None),
        ("urbańskaa", 0, None),
    ] {
        let response = app
            .post("/participants/search", Some(&worker), &[("q", q)])
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{q}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains(&format!("Znalezione osoby: {hits}")),
            "{q}: {hits} expected"
        );
        if let Some(id) = who {
            assert_eq!(
                body.matches(&format!("href=\"/participants/{id}\""))
                    .count(),
                1,
                "{q}: listed once"
            );
        }
    }
    // Where someone lives is personal data: another social worker finds Król by name only,
    // not by his town; the instructor (who reads no personal data) never by town.
    let other = app.login("socjalny2").await;
    let by_town = app
        .post("/participants/search", Some(&other), &[("q", "lodz")])
        .await
        .text()
        .await
        .unwrap();
    assert!(by_town.contains("Znalezione osoby: 0"), "{by_town}");
    let by_name = app
        .post("/participants/search", Some(&other), &[("q", "krol")])
        .await
        .text()
        .await
        .unwrap();
    assert!(by_name.contains("Znalezione osoby: 1"));
    let manager = app.login("kierownik").await;
    let by_town = app
        .post("/participants/search", Some(&manager), &[("q", "lodz")])
        .await
        .text()
        .await
        .unwrap();
    assert!(by_town.contains("Znalezione osoby: 1"));
}

#[tokio::test]
async fn the_database_folds_names_exactly_as_the_application_does() {
    let app = spawn_app().await;
    let mut all: String = teczka::domain::fold::FOLDED
        .iter()
        .map(|(from, _)| *from)
        .collect();
    all.push_str(&all.to_uppercase());
    all.push_str(" Zażółć gęślą jaźń – O'Brien-Nowak ß");
    let folded: String = sqlx::query_scalar("select fold_name($1)")
        .bind(&all)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(folded, teczka::domain::fold::fold(&all));
    assert!(folded.contains("zazolc gesla jazn"));
}

#[tokio::test]
async fn the_trial_period_is_confirmed_on_its_end_date_and_never_ends_in_graduation() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Próbna", Some("socjalny1"), None)
        .await;
    // The fixture's trial ended 60 days ago and was never confirmed.
    app.update_participant(id, "status = 'trial'").await;
    let trial_end: time::Date =
        sqlx::query_scalar("select trial_ends_on from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let manager = app.login("kierownik").await;
    let (_, file) = page(&app, &format!("/participants/{id}"), &manager).await;
    assert!(file.contains("Zakończ okres próbny"));
    assert!(
        !file.contains("Zakończ udział – absolwent"),
        "no graduation in trial"
    );
    let (code, _) = page(
        &app,
        &format!("/participants/{id}/status/graduate"),
        &manager,
    )
    .await;
    assert_eq!(code, StatusCode::CONFLICT);
    let (code, form) = page(
        &app,
        &format!("/participants/{id}/status/participant"),
        &manager,
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let iso = teczka::validate::dates::iso(trial_end);
    assert!(
        form.contains(&format!("value=\"{iso}\"")),
        "the trial end date ({iso}) is proposed"
    );
}

#[tokio::test]
async fn statuses_and_headings_read_as_polish_does_for_the_person() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let id = app
        .register(&worker, "Testowa", "Zofia", &pesel(1990, 6, 6, 66, true))
        .await;
    let (_, file) = page(&app, &format!("/participants/{id}"), &worker).await;
    assert!(file.contains("Kandydatka"), "{file}");
    let (_, list) = page(&app, "/participants?status=all", &worker).await;
    assert!(list.contains("Kandydatka"));
    let manager = app.login("kierownik").await;
    let (_, form) = page(
        &app,
        &format!("/participants/{id}/status/reserve"),
        &manager,
    )
    .await;
    assert!(
        form.contains("<h1>Wpis na listę rezerwową: Testowa Zofia</h1>"),
        "{form}"
    );
    let man = app
        .fixture_participant(CENTRE_A, "Zakończony", Some("socjalny1"), None)
        .await;
    app.update_participant(
        man,
        "status = 'terminated', ended_on = current_date, termination_reason = 'withdrawal'",
    )
    .await;
    let (_, file) = page(&app, &format!("/participants/{man}"), &manager).await;
    assert!(file.contains("Zakończył udział (przerwał)"));
}

#[tokio::test]
async fn a_graduates_file_shows_the_follow_up_schedule_with_what_is_due() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Monitorowany", Some("socjalny1"), None)
        .await;
    app.update_participant(id, "status = 'graduate', ended_on = current_date - 200, graduation_outcome = 'employment', employment_contract = 'permanent', follow_up_until = current_date + 900").await;
    // The installation's rule: a window of 14 days on each side of a due date.
    sqlx::query(
        "insert into follow_up (participant_id, centre_id, sequence, due_on, contacted_on)
         select $1, centre_id, s.n, s.due, s.contacted
         from participant, (values (1, current_date - 110, current_date - 105),
                                   (2, current_date - 20, null::date),
                                   (3, current_date - 10, null::date),
                                   (4, current_date, null::date),
                                   (5, current_date + 400, null::date)) s(n, due, contacted)
         where participant_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    let day = today(&app).await;
    let worker = app.login("socjalny1").await;
    let schedule = |file: &str| {
        file.split("Monitoring absolwenta")
            .nth(1)
            .expect("the schedule is shown")
            .split("</table>")
            .next()
            .unwrap()
            .to_owned()
    };
    let (_, file) = page(&app, &format!("/participants/{id}"), &worker).await;
    let lines = schedule(&file);
    let days = time::Duration::days;
    assert!(
        lines.contains(&format!("wykonany – kontakt {}", polish(day - days(105)))),
        "{lines}"
    );
    // 20 days late is past the window: overdue, marked.
    assert!(
        lines.contains("<strong class=\"warning-text\">zaległy – po terminie od 20 dni</strong>")
    );
    // 10 days late is still within it: to be made now, not overdue (as the timeline says).
    assert!(lines.contains(&format!(
        "<td>do wykonania – 10 dni po terminie, okno kontaktu do {}</td>",
        polish(day + days(4))
    )));
    assert!(lines.contains("do wykonania – termin dziś"));
    let far = day + days(400);
    let opens = (far - days(14)).min(far.replace_day(1).unwrap());
    assert!(lines.contains(&format!("zaplanowany – okno kontaktu od {}", polish(opens))));
    assert_eq!(lines.matches("<tr><td>").count(), 5);
    assert_eq!(lines.matches("warning-text").count(), 1);
    // The same words as the graduate's follow-up page.
    let (_, timeline) = page(&app, &format!("/participants/{id}/follow-ups"), &worker).await;
    assert!(timeline.contains("zaległy – po terminie od 20 dni"));
    assert!(timeline.contains("do wykonania – 10 dni po terminie"));
    // After the follow-up has ended, what was not made says so.
    app.update_participant(id, "follow_up_until = current_date - 1")
        .await;
    let (_, file) = page(&app, &format!("/participants/{id}"), &worker).await;
    let lines = schedule(&file);
    assert_eq!(
        lines.matches("niewykonany – monitoring zakończony").count(),
        4,
        "{lines}"
    );
    assert!(!lines.contains("warning-text"));
    // An active participant's file has no schedule.
    let active = app
        .fixture_participant(CENTRE_A, "Aktywny", Some("socjalny1"), None)
        .await;
    let (_, file) = page(&app, &format!("/participants/{active}"), &worker).await;
    assert!(!file.contains("Monitoring absolwenta"));
}
