//! Opinions for the IPZS: requested from a file, shown on the author's Start, written, signed
//! off and then frozen; who writes and who reads which (per the policy's field table, also
//! outside the file scope for the author); history on a new request; bad input, replays and
//! stale saves; the audit of reads and writes.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::*;

/// An opinion arranged directly in the database: `kind` about `participant`, requested by
/// `requester` from `author` (logins), signed off with complete text when `signed`.
pub async fn fixture_opinion(
    app: &TestApp,
    participant: Uuid,
    kind: &str,
    author: &str,
    requester: &str,
    signed: bool,
) -> Uuid {
    let text = match kind {
        "psychologist" => serde_json::json!([
            [
                "abilities",
                "Dobra koncentracja przy zadaniach praktycznych."
            ],
            ["health", "Po terapii odwykowej, abstynencja od roku."],
            ["motivation", "Chce wrócić do pracy."],
            ["recommendations", "Sesje raz w miesiącu."]
        ]),
        "career_advisor" => serde_json::json!([
            ["interests", "Gastronomia."],
            ["aptitudes", "Sprawność manualna."],
            ["directions", "Kurs pomocnika kucharza."]
        ]),
        _ => serde_json::json!([
            ["skills", "Obsługuje sprzęt kuchenny."],
            ["readiness", "Punktualny, przestrzega BHP."]
        ]),
    };
    sqlx::query_scalar(
        "insert into opinion (centre_id, participant_id, kind, requested_by, author_id, status, sections, signed_off_at)
         select p.centre_id, p.participant_id, $2::opinion_kind, r.staff_user_id, a.staff_user_id,
                case when $5 then 'signed_off' else 'requested' end::opinion_status, $6,
                case when $5 then now() end
         from participant p, staff_user r, staff_user a
         where p.participant_id = $1 and r.login = $3 and a.login = $4
         returning opinion_id",
    )
    .bind(participant)
    .bind(kind)
    .bind(requester)
    .bind(author)
    .bind(signed)
    .bind(text)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// A candidate of socjalny1 (outside the file scope of the psychologist, the career advisor
/// and the instructor) and a participant in the instructor's workshop.
async fn arrange(app: &TestApp) -> (Uuid, Uuid) {
    let workshop = app
        .workshop(CENTRE_A, "Gastronomiczna", Some("instruktor"))
        .await;
    let candidate = app
        .fixture_participant(CENTRE_A, "Kandydacka", Some("socjalny1"), None)
        .await;
    app.before_admission(candidate, "candidate").await;
    let active = app
        .fixture_participant(CENTRE_A, "Aktywna", Some("socjalny1"), Some(workshop))
        .await;
    (candidate, active)
}

async fn request(
    app: &TestApp,
    s: &Session,
    participant: Uuid,
    kind: &str,
    author: Uuid,
) -> reqwest::Response {
    app.post(
        &format!("/participants/{participant}/opinions"),
        Some(s),
        &[("kind", kind), ("author", &author.to_string())],
    )
    .await
}

/// The newest opinion of `kind` about `participant`: (id, status, revision).
async fn newest(app: &TestApp, participant: Uuid, kind: &str) -> (Uuid, String, i32) {
    sqlx::query_as(
        "select opinion_id, status::text, revision from opinion
         where participant_id = $1 and kind = $2::opinion_kind order by requested_at desc, created_at desc limit 1",
    )
    .bind(participant)
    .bind(kind)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn opinion_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from opinion")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Another psychologist of centre A (same password as the fixtures).
async fn second_psychologist(app: &TestApp) {
    sqlx::query(
        "insert into staff_user (centre_id, login, full_name, role, password_hash)
         select centre_id, 'psycholog3', 'Patrycja Psycholożka', 'psychologist', password_hash
         from staff_user where login = 'psycholog'",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

const PSYCH_TEXT: [(&str, &str); 4] = [
    ("abilities", "Sprawność poznawcza w normie."),
    ("health", "Po leczeniu odwykowym – abstynencja 14 miesięcy."),
    ("motivation", "Wysoka: chce utrzymać mieszkanie."),
    ("recommendations", "Sesje indywidualne raz w miesiącu."),
];

async fn save(
    app: &TestApp,
    s: &Session,
    id: Uuid,
    revision: i32,
    text: &[(&str, &str)],
) -> reqwest::Response {
    let revision = revision.to_string();
    let mut fields = vec![("revision", revision.as_str())];
    fields.extend_from_slice(text);
    app.post(&format!("/opinions/{id}"), Some(s), &fields).await
}

async fn sign_off(
    app: &TestApp,
    s: &Session,
    id: Uuid,
    revision: i32,
    confirm: bool,
) -> reqwest::Response {
    let revision = revision.to_string();
    let mut fields = vec![("revision", revision.as_str())];
    if confirm {
        fields.push(("confirm", "tak"));
    }
    app.post(&format!("/opinions/{id}/sign-off"), Some(s), &fields)
        .await
}

#[tokio::test]
async fn a_requested_opinion_is_written_signed_off_and_then_frozen() {
    let app = spawn_app().await;
    let (candidate, _) = arrange(&app).await;
    let worker = app.login("socjalny1").await;
    let psych = app.login("psycholog").await;
    // The psychologist cannot open a candidate's file…
    let file = app
        .get(&format!("/participants/{candidate}"), Some(&psych))
        .await;
    assert_eq!(file.status(), StatusCode::NOT_FOUND);

    // Request → the author's Start.
    let response = request(
        &app,
        &worker,
        candidate,
        "psychologist",
        app.user_id("psycholog").await,
    )
    .await;
    assert_redirect(&response, &format!("/participants/{candidate}/opinions"));
    let (id, status, revision) = newest(&app, candidate, "psychologist").await;
    assert_eq!((status.as_str(), revision), ("requested", 1));
    let start = app.text("/", &psych).await;
    assert!(start.contains("Opinie do napisania (1)"), "{start}");
    assert!(start.contains("Kandydacka Jan") && start.contains("Sylwia Socjalna"));
    assert!(start.contains(&format!("/opinions/{id}")));

    // …but opens and writes the opinion requested from them (a draft, saved).
    let form = app.text(&format!("/opinions/{id}"), &psych).await;
    assert!(
        form.contains("Opinia psychologa: Jan Kandydacka")
            && form.contains("Możliwości psychofizyczne")
    );
    let response = save(&app, &psych, id, 1, &PSYCH_TEXT[..1]).await;
    assert_redirect(&response, &format!("/opinions/{id}"));
    assert_eq!(newest(&app, candidate, "psychologist").await.2, 2);
    // Signing off an incomplete opinion names what is missing.
    let response = sign_off(&app, &psych, id, 2, true).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Uzupełnij część „Motywacja”")
    );
    let response = save(&app, &psych, id, 2, &PSYCH_TEXT).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Asked first, then confirmed.
    let response = sign_off(&app, &psych, id, 3, false).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Co się stanie po potwierdzeniu")
    );
    assert_eq!(newest(&app, candidate, "psychologist").await.1, "requested");
    let response = sign_off(&app, &psych, id, 3, true).await;
    assert_redirect(&response, &format!("/opinions/{id}"));
    assert_eq!(
        newest(&app, candidate, "psychologist").await.1,
        "signed_off"
    );

    // Frozen, dated and attributed: shown, no longer a form, off the author's Start.
    let page = app.text(&format!("/opinions/{id}"), &psych).await;
    assert!(page.contains("Zatwierdzona") && page.contains("Piotr Psycholog"));
    assert!(page.contains("Sesje indywidualne raz w miesiącu.") && !page.contains("<textarea"));
    assert!(!app.text("/", &psych).await.contains("Opinie do napisania"));
    let response = save(&app, &psych, id, 3, &PSYCH_TEXT[..1]).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(response.text().await.unwrap().contains("już zatwierdzona"));
    let response = sign_off(&app, &psych, id, 3, true).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    // The database itself refuses a change of the text and a deletion.
    let update = sqlx::query("update opinion set sections = '[]' where opinion_id = $1")
        .bind(id)
        .execute(&app.db)
        .await;
    assert!(
        update
            .unwrap_err()
            .to_string()
            .contains("never changes again")
    );
    let delete = sqlx::query("delete from opinion where opinion_id = $1")
        .bind(id)
        .execute(&app.db)
        .await;
    assert!(delete.unwrap_err().to_string().contains("never deleted"));

    // Every write and every read has its audit row.
    assert_eq!(app.audit_count("opinion.request", Some("success")).await, 1);
    assert_eq!(app.audit_count("opinion.write", Some("success")).await, 2);
    assert_eq!(
        app.audit_count("opinion.sign_off", Some("success")).await,
        1
    );
    let reads: Vec<String> = sqlx::query_scalar(
        "select a.detail from audit_event a join staff_user u on u.staff_user_id = a.actor_id
         where a.action = 'participant.view' and u.login = 'psycholog' and a.object_id = $1 order by a.audit_event_id",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    // Reads of an opinion are views of the file ("Kto przeglądał teczkę" lists them).
    assert_eq!(
        reads,
        [
            "opinion_draft,opinion.psychologist",
            "opinion_draft,opinion.psychologist",
            "opinion_author,opinion.psychologist"
        ]
    );
}

#[tokio::test]
async fn only_the_requested_person_writes_and_signs_off() {
    let app = spawn_app().await;
    let (candidate, active) = arrange(&app).await;
    second_psychologist(&app).await;
    let on_candidate = fixture_opinion(
        &app,
        candidate,
        "psychologist",
        "psycholog",
        "socjalny1",
        false,
    )
    .await;
    let on_active = fixture_opinion(
        &app,
        active,
        "psychologist",
        "psycholog",
        "socjalny1",
        false,
    )
    .await;
    let other = app.login("psycholog3").await;
    // Another psychologist: outside the file scope the opinion does not exist; within it,
    // it is not theirs to write.
    let text = [("abilities", "Cudzy tekst.")];
    assert_eq!(
        save(&app, &other, on_candidate, 1, &text).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/opinions/{on_candidate}"), Some(&other))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        save(&app, &other, on_active, 1, &text).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sign_off(&app, &other, on_active, 1, true).await.status(),
        StatusCode::FORBIDDEN
    );
    // The social worker who requested it reads that it is in preparation, and writes nothing.
    let worker = app.login("socjalny1").await;
    assert_eq!(
        save(&app, &worker, on_candidate, 1, &text).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sign_off(&app, &worker, on_candidate, 1, true)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let page = app
        .text(&format!("/opinions/{on_candidate}"), &worker)
        .await;
    assert!(page.contains("w przygotowaniu") && !page.contains("<textarea"));
    // Nothing was written; each refusal was audited.
    let revisions: Vec<i32> = sqlx::query_scalar("select revision from opinion order by revision")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(revisions, [1, 1]);
    assert_eq!(app.audit_count("opinion.write", Some("denied")).await, 3);
    assert_eq!(app.audit_count("opinion.sign_off", Some("denied")).await, 2);
}

#[tokio::test]
async fn requesting_again_or_withdrawing_keeps_the_old_opinion_in_history() {
    let app = spawn_app().await;
    let (candidate, _) = arrange(&app).await;
    second_psychologist(&app).await;
    let worker = app.login("socjalny1").await;
    let first = fixture_opinion(
        &app,
        candidate,
        "psychologist",
        "psycholog",
        "socjalny1",
        true,
    )
    .await;
    let psycholog = app.user_id("psycholog").await;
    // A new request beside a signed-off one: both stay, the signed-off one still current.
    assert_eq!(
        request(&app, &worker, candidate, "psychologist", psycholog)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (second, status, _) = newest(&app, candidate, "psychologist").await;
    assert_eq!(status, "requested");
    // Requested again from someone else: the open request is withdrawn, not deleted.
    let response = request(
        &app,
        &worker,
        candidate,
        "psychologist",
        app.user_id("psycholog3").await,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (third, status, _) = newest(&app, candidate, "psychologist").await;
    assert_eq!(status, "requested");
    let statuses: Vec<(Uuid, String)> = sqlx::query_as(
        "select opinion_id, status::text from opinion where participant_id = $1 order by requested_at, created_at",
    )
    .bind(candidate)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        statuses,
        [
            (first, "signed_off".to_owned()),
            (second, "withdrawn".to_owned()),
            (third, "requested".to_owned())
        ]
    );
    assert!(
        !app.text("/", &app.login("psycholog").await)
            .await
            .contains("Opinie do napisania")
    );
    assert!(
        app.text("/", &app.login("psycholog3").await)
            .await
            .contains("Opinie do napisania (1)")
    );
    let list = app
        .text(&format!("/participants/{candidate}/opinions"), &worker)
        .await;
    assert!(
        list.contains("obowiązująca")
            && list.contains("Wycofana")
            && list.contains("W przygotowaniu")
    );
    // Withdrawing: confirmed first, then the request is withdrawn and leaves the author's Start.
    let path = format!("/opinions/{third}/withdraw");
    let response = app.post(&path, Some(&worker), &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(newest(&app, candidate, "psychologist").await.1, "requested");
    let response = app.post(&path, Some(&worker), &[("confirm", "tak")]).await;
    assert_redirect(&response, &format!("/participants/{candidate}/opinions"));
    assert_eq!(newest(&app, candidate, "psychologist").await.1, "withdrawn");
    assert!(
        !app.text("/", &app.login("psycholog3").await)
            .await
            .contains("Opinie do napisania")
    );
    assert_eq!(
        app.post(&path, Some(&worker), &[("confirm", "tak")])
            .await
            .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(opinion_count(&app).await, 3);
}

#[tokio::test]
async fn each_role_reads_the_opinions_its_field_rules_allow() {
    let app = spawn_app().await;
    let (_, active) = arrange(&app).await;
    let psych = fixture_opinion(&app, active, "psychologist", "psycholog", "socjalny1", true).await;
    let career =
        fixture_opinion(&app, active, "career_advisor", "doradca", "socjalny1", true).await;
    let instr = fixture_opinion(&app, active, "instructor", "instruktor", "socjalny1", true).await;
    let health = "Po terapii odwykowej";
    // login, reads the psychologist's (with its health detail), the career advisor's, the instructor's
    for (login, reads_psych) in [
        ("kierownik", true),
        ("socjalny1", true),
        ("psycholog", true),
        ("doradca", true),
        ("instruktor", false),
    ] {
        let s = app.login(login).await;
        let list = app
            .text(&format!("/participants/{active}/opinions"), &s)
            .await;
        assert_eq!(list.contains("Opinia psychologa"), reads_psych, "{login}");
        assert!(
            list.contains("Opinia doradcy zawodowego")
                && list.contains("Opinia instruktora zawodu"),
            "{login}"
        );
        let response = app.get(&format!("/opinions/{psych}"), Some(&s)).await;
        let want = if reads_psych {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(response.status(), want, "{login}");
        if reads_psych {
            assert!(response.text().await.unwrap().contains(health), "{login}");
        }
        for id in [career, instr] {
            assert_eq!(
                app.get(&format!("/opinions/{id}"), Some(&s)).await.status(),
                StatusCode::OK,
                "{login}"
            );
        }
    }
    // The file links to the opinions for everyone who reads some.
    let file = app
        .text(
            &format!("/participants/{active}"),
            &app.login("instruktor").await,
        )
        .await;
    assert!(file.contains(&format!("/participants/{active}/opinions")));
    // What the IPZS area will read: per the same rules, the health detail only with health data.
    use teczka::auth::policy::Actor;
    use teczka::domain::{OpinionKind, Role};
    let centre = app.centre_id(CENTRE_A).await;
    let app = &app;
    let actor = |role, login| async move {
        Actor {
            user_id: app.user_id(login).await,
            role,
        }
    };
    let instructor = teczka::opinions::signed_off_for(
        &app.db,
        actor(Role::Instructor, "instruktor").await,
        centre,
        active,
    )
    .await
    .unwrap();
    let kinds: Vec<OpinionKind> = instructor.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, [OpinionKind::CareerAdvisor, OpinionKind::Instructor]);
    let manager = teczka::opinions::signed_off_for(
        &app.db,
        actor(Role::Manager, "kierownik").await,
        centre,
        active,
    )
    .await
    .unwrap();
    assert_eq!(manager[0].kind_label, "Opinia psychologa");
    assert_eq!(manager[0].author_name, "Piotr Psycholog");
    assert!(
        manager[0]
            .sections
            .iter()
            .any(|(label, text)| *label == "Uwarunkowania zdrowotne" && text.contains(health))
    );
    // Every read was audited with the parts shown.
    let details: Vec<String> = sqlx::query_scalar(
        "select a.detail from audit_event a join staff_user u on u.staff_user_id = a.actor_id
         where a.action = 'participant.view' and a.detail like 'opinion%' and u.login = 'instruktor'
         order by a.audit_event_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        details,
        [
            "opinions,opinion.career_advisor,opinion.instructor",
            "opinion,opinion.career_advisor",
            // The instructor wrote that one: an author reads their own opinion whole.
            "opinion_author,opinion.instructor"
        ]
    );
    let log = app
        .text(
            &format!("/participants/{active}/access-log"),
            &app.login("kierownik").await,
        )
        .await;
    assert!(log.contains("opinia do IPZS, opinia psychologa, opinia psychologa – zdrowie"));
    assert_eq!(app.audit_count("opinion.view", Some("denied")).await, 1);
}

#[tokio::test]
async fn outside_the_scope_the_opinions_do_not_exist() {
    let app = spawn_app().await;
    let (candidate, active) = arrange(&app).await;
    let id = fixture_opinion(&app, active, "instructor", "instruktor", "socjalny1", true).await;
    let open = fixture_opinion(
        &app,
        candidate,
        "psychologist",
        "psycholog",
        "socjalny1",
        false,
    )
    .await;
    // Another caseload, another centre: 404 for the list, the opinion and every step.
    for login in ["socjalny2", "kierownik2", "psycholog2"] {
        let s = app.login(login).await;
        for path in [
            format!("/participants/{active}/opinions"),
            format!("/opinions/{id}"),
            format!("/opinions/{open}"),
        ] {
            assert_eq!(
                app.get(&path, Some(&s)).await.status(),
                StatusCode::NOT_FOUND,
                "{login} {path}"
            );
        }
        let withdraw = app
            .post(
                &format!("/opinions/{open}/withdraw"),
                Some(&s),
                &[("confirm", "tak")],
            )
            .await;
        assert_eq!(withdraw.status(), StatusCode::NOT_FOUND, "{login}");
        let response = request(
            &app,
            &s,
            active,
            "instructor",
            app.user_id("instruktor").await,
        )
        .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{login}");
    }
    // The career advisor does not see a candidate's opinions (only the author reaches theirs).
    let advisor = app.login("doradca").await;
    assert_eq!(
        app.get(
            &format!("/participants/{candidate}/opinions"),
            Some(&advisor)
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(opinion_count(&app).await, 2);
}

#[tokio::test]
async fn bad_input_is_refused_with_a_message_and_changes_nothing() {
    let app = spawn_app().await;
    let (candidate, _) = arrange(&app).await;
    let worker = app.login("socjalny1").await;
    let psycholog = app.user_id("psycholog").await;
    let cases = [
        ("astrolog", psycholog.to_string(), "Wybierz rodzaj opinii."),
        (
            "psychologist",
            app.user_id("doradca").await.to_string(),
            "Dorota Doradca nie pisze opinii tego rodzaju",
        ),
        (
            "psychologist",
            app.user_id("psycholog2").await.to_string(),
            "Wybierz z listy osobę z zespołu ośrodka",
        ),
        (
            "psychologist",
            "nie-uuid".to_owned(),
            "Wybierz z listy osobę z zespołu ośrodka",
        ),
    ];
    for (kind, author, message) in cases {
        let response = app
            .post(
                &format!("/participants/{candidate}/opinions"),
                Some(&worker),
                &[("kind", kind), ("author", &author)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind} {author}"
        );
        let page = response.text().await.unwrap();
        assert!(
            page.contains(message) && page.contains("error-summary"),
            "{kind}: {page}"
        );
    }
    // A forged field (the status) is refused whole.
    let response = app
        .post(
            &format!("/participants/{candidate}/opinions"),
            Some(&worker),
            &[
                ("kind", "psychologist"),
                ("author", &psycholog.to_string()),
                ("status", "signed_off"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("nieznane lub brakujące pola")
    );
    assert_eq!(opinion_count(&app).await, 0);
    // The author's form: an overlong section and another kind's section.
    let id = fixture_opinion(
        &app,
        candidate,
        "psychologist",
        "psycholog",
        "socjalny1",
        false,
    )
    .await;
    let psych = app.login("psycholog").await;
    let long = "a".repeat(4001);
    let response = save(&app, &psych, id, 1, &[("abilities", &long)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Najwyżej 4000 znaków")
    );
    let response = save(&app, &psych, id, 1, &[("skills", "Z innej opinii.")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = save(&app, &psych, id, 1, &[("status", "signed_off")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        newest(&app, candidate, "psychologist").await,
        (id, "requested".to_owned(), 1)
    );
}

#[tokio::test]
async fn a_sign_off_replayed_in_parallel_succeeds_once() {
    let app = spawn_app().await;
    let (candidate, _) = arrange(&app).await;
    let id = fixture_opinion(
        &app,
        candidate,
        "instructor",
        "instruktor",
        "socjalny1",
        false,
    )
    .await;
    let s = app.login("instruktor").await;
    let (a, b) = tokio::join!(
        sign_off(&app, &s, id, 1, true),
        sign_off(&app, &s, id, 1, true)
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    assert_eq!(
        app.audit_count("opinion.sign_off", Some("success")).await,
        1
    );
}

#[tokio::test]
async fn a_stale_save_answers_409_and_keeps_the_users_text() {
    let app = spawn_app().await;
    let (candidate, _) = arrange(&app).await;
    let id = fixture_opinion(
        &app,
        candidate,
        "career_advisor",
        "doradca",
        "socjalny1",
        false,
    )
    .await;
    let s = app.login("doradca").await;
    let first = save(&app, &s, id, 1, &[("interests", "Pierwsze okno.")]).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = save(
        &app,
        &s,
        id,
        1,
        &[("interests", "Drugie okno, tekst do zachowania.")],
    )
    .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let page = second.text().await.unwrap();
    assert!(
        page.contains("Drugie okno, tekst do zachowania.")
            && page.contains("zapisano w międzyczasie")
    );
    // The page carries the current revision: saving again replaces the other window's text.
    assert!(page.contains("name=\"revision\" value=\"2\""));
    // A sign-off of a revision that is no longer the saved one is refused too.
    assert_eq!(
        sign_off(&app, &s, id, 1, true).await.status(),
        StatusCode::CONFLICT
    );
    let stored: String =
        sqlx::query_scalar("select sections::text from opinion where opinion_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(stored.contains("Pierwsze okno."));
}

#[tokio::test]
async fn the_required_opinions_follow_the_centres_settings() {
    let app = spawn_app().await;
    let (candidate, _) = arrange(&app).await;
    use teczka::domain::OpinionKind;
    let centre = app.centre_id(CENTRE_A).await;
    let missing = || teczka::opinions::missing_required(&app.db, centre, candidate);
    assert_eq!(missing().await.unwrap(), OpinionKind::ALL);
    fixture_opinion(
        &app,
        candidate,
        "psychologist",
        "psycholog",
        "socjalny1",
        true,
    )
    .await;
    fixture_opinion(
        &app,
        candidate,
        "instructor",
        "instruktor",
        "socjalny1",
        false,
    )
    .await;
    assert_eq!(
        missing().await.unwrap(),
        [OpinionKind::CareerAdvisor, OpinionKind::Instructor]
    );
    // The manager requires only the psychologist's and the instructor's.
    let manager = app.login("kierownik").await;
    let response = app
        .post(
            "/settings",
            Some(&manager),
            &[
                ("address", ""),
                ("opinion_psychologist", "on"),
                ("opinion_instructor", "on"),
            ],
        )
        .await;
    assert_redirect(&response, "/settings");
    assert_eq!(missing().await.unwrap(), [OpinionKind::Instructor]);
    assert!(
        app.text("/settings", &manager)
            .await
            .contains("Opinie wymagane do złożenia IPZS")
    );
    let detail: String =
        sqlx::query_scalar("select detail from audit_event where action = 'centre.settings'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(detail.contains(
        "required_opinions:psychologist+career_advisor+instructor->psychologist+instructor"
    ));
    assert_eq!(
        teczka::opinions::opinions_href(candidate),
        format!("/participants/{candidate}/opinions")
    );
}
