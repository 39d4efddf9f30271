//! The IPZS end to end through the real router and the real schema: start → draft (saved
//! incomplete, refused when wrong) → submit refused while incomplete → submit → return with a
//! comment → resubmit → approve (refused for the author and for others) → signatures that admit
//! the participant → print → amendment → second version approved and signed → diff → monitoring
//! → the final evaluation before participation ends, which closes the programme.

use reqwest::StatusCode;
use time::{Date, Duration};
use uuid::Uuid;

use crate::helpers::*;

async fn participant_status(app: &TestApp, id: Uuid) -> String {
    sqlx::query_scalar("select status::text from participant where participant_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The participant's programme.
async fn programme_of(app: &TestApp, participant: Uuid) -> Uuid {
    sqlx::query_scalar("select document_id from document where participant_id = $1")
        .bind(participant)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn revision(app: &TestApp, doc: Uuid) -> i32 {
    sqlx::query_scalar(
        "select v.revision from document_version v join document d using (document_id)
         where d.document_id = $1 and v.number = d.current_version",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// A complete programme's fields, with `goal` as the first goal and the given revision.
fn complete(t: Date, revision: &str, goal: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("revision", revision),
        (
            "diagnosis_sources",
            "Długotrwałe bezrobocie po wyjściu z zakładu karnego.",
        ),
        (
            "diagnosis_strengths",
            "Doświadczenie w pracach budowlanych, punktualność.",
        ),
        (
            "diagnosis_weaknesses",
            "Brak aktualnych uprawnień, zadłużenie.",
        ),
        ("diagnosis_tried", "Staż z PUP w 2023 r., przerwany."),
        ("goal_1_text", goal),
        ("goal_1_measure", "Umowa o pracę na co najmniej 1/2 etatu"),
        (
            "social",
            "Grupa samopomocowa, trening kompetencji społecznych.",
        ),
        (
            "vocational",
            "Zajęcia w pracowni remontowo-budowlanej, kurs operatora koparki.",
        ),
        (
            "abilities",
            "Wytrzymałość fizyczna, koordynacja wzrokowo-ruchowa.",
        ),
        ("training", "Stopniowe zwiększanie czasu pracy w pracowni."),
        ("workshop", "Pracownia remontowo-budowlana"),
        (
            "stage_1_name",
            "Przygotowanie teoretyczne do zajęć w pracowni",
        ),
        ("stage_2_name", "Przestrzeganie przepisów BHP"),
        ("stage_3_name", "Egzamin końcowy"),
        ("ops_name", "Anna Nowak"),
        ("ops_institution", "GOPS Testowo"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let dated = [
        ("goal_1_due", t + Duration::days(200)),
        ("stage_1_from", t),
        ("stage_1_until", t + Duration::days(30)),
        ("stage_2_from", t + Duration::days(31)),
        ("stage_2_until", t + Duration::days(60)),
        ("stage_3_from", t + Duration::days(300)),
        ("stage_3_until", t + Duration::days(300)),
        ("period_from", t),
        ("period_until", t + Duration::days(330)),
        ("ops_date", t - Duration::days(2)),
    ];
    for (k, d) in dated {
        f.push((k.to_owned(), iso(d)));
    }
    f
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The three approved opinions a programme needs before it is submitted.
async fn the_three_opinions(app: &TestApp, id: Uuid) {
    for (kind, author) in [
        ("psychologist", "psycholog"),
        ("career_advisor", "doradca"),
        ("instructor", "instruktor"),
    ] {
        crate::opinions::fixture_opinion(app, id, kind, author, "socjalny1", true).await;
    }
}

/// A person on the reserve list in socjalny1's caseload; the programme started by socjalny1.
async fn started(app: &TestApp, worker: &Session) -> (Uuid, Uuid) {
    let id = app
        .fixture_participant(CENTRE_A, "Programowa", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    the_three_opinions(app, id).await;
    let (status, to) = post_text(app, &format!("/participants/{id}/ipzs"), worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let doc: Uuid = to
        .trim_start_matches("/ipzs/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    (id, doc)
}

#[tokio::test]
async fn the_programme_goes_from_draft_through_approval_and_signatures_to_admission_amendment_and_closing()
 {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(&app).await;

    // No programme yet: the caseworker may start one.
    let id = app
        .fixture_participant(CENTRE_A, "Programowa", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    let (status, start) = body(&app, &format!("/participants/{id}/ipzs"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(start.contains("Rozpocznij projekt IPZS"), "{start}");
    let (_, to) = post_text(&app, &format!("/participants/{id}/ipzs"), &worker, &[]).await;
    let doc: Uuid = to
        .trim_start_matches("/ipzs/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    // Starting again leads to the same programme, never a second one.
    let (_, again) = post_text(&app, &format!("/participants/{id}/ipzs"), &worker, &[]).await;
    assert_eq!(again, format!("/ipzs/{doc}"));

    // The draft is pre-filled with the seed's stages and the OPS.
    let (_, edit) = body(&app, &format!("/ipzs/{doc}/edit"), &worker).await;
    assert!(edit.contains("Egzamin końcowy"), "{edit}");
    assert!(edit.contains("GOPS Testowo"));

    // Submitting the incomplete draft lists what is missing, each a link; nothing changes.
    let (status, page) = post_text(&app, &format!("/ipzs/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Programu nie można jeszcze przekazać"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/ipzs/{doc}/edit#goal_1_text\"")));
    assert!(page.contains("Wpisz co najmniej jeden cel."));
    assert_eq!(doc_status(&app, doc).await, "draft");

    // The opinions the centre requires are missing too, each linked to its section.
    assert!(page.contains(&format!(
        "href=\"/participants/{id}/opinions#kind-psychologist\""
    )));
    assert!(
        page.contains("Brak zatwierdzonej opinii: opinia psychologa."),
        "{page}"
    );
    the_three_opinions(&app, id).await;

    // A complete draft saves.
    let fields = complete(t, "1", "Podjęcie zatrudnienia w budownictwie");
    let (status, to) = post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&fields)).await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, format!("/ipzs/{doc}").as_str())
    );
    assert_eq!(revision(&app, doc).await, 2);

    // A stale tab's save answers 409, keeps the user's text and shows what differs.
    let stale = complete(t, "1", "Tekst z drugiej karty");
    let (status, page) =
        post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&stale)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Tekst z drugiej karty"),
        "the user's text is kept"
    );
    assert!(page.contains("Czym zapisany projekt różni się"));
    assert!(
        page.contains("<del>"),
        "the saved goal shows as not in the user's text"
    );
    assert_eq!(revision(&app, doc).await, 2, "nothing saved");

    // Submit; the social worker cannot approve, nor can a psychologist (the person is not in
    // their scope yet); the manager returns it with a comment the author reads.
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "submitted");
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/approve"), &worker, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let psychologist = app.login("psycholog").await;
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/approve"), &psychologist, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, home) = body(&app, "/", &manager).await;
    assert!(home.contains("IPZS do zatwierdzenia (1)"), "{home}");
    let (status, page) = post_text(
        &app,
        &format!("/ipzs/{doc}/return"),
        &manager,
        &[("comment", "  ")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Napisz, co autor ma poprawić"));
    assert_eq!(doc_status(&app, doc).await, "submitted");
    let comment = "Doprecyzuj miarę celu 1: jaki wymiar etatu?";
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/return"),
        &manager,
        &[("comment", comment)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "draft");
    let (_, page) = body(&app, &format!("/ipzs/{doc}"), &worker).await;
    assert!(page.contains("Zwrócono do poprawy"));
    assert!(page.contains(comment));
    let (_, home) = body(&app, "/", &worker).await;
    assert!(home.contains("IPZS zwrócone do poprawy (1)"), "{home}");

    // Resubmit; the manager approves; a replayed approval is 409, never a second step.
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/approve"), &manager, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = post_text(&app, &format!("/ipzs/{doc}/approve"), &manager, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains(&format!(
            "<a href=\"/ipzs/{doc}\">Otwórz dokument ponownie</a>"
        )),
        "the 409 page leads back to the programme: {page}"
    );
    assert_eq!(doc_status(&app, doc).await, "approved");
    let frozen = sqlx::query(
        "update document_version set sections = '[]' where document_id = $1 and number = 1",
    )
    .bind(doc)
    .execute(&app.db)
    .await;
    assert!(
        frozen.is_err(),
        "the database refuses changes to an approved text"
    );

    // The social worker records the signatures: the missing recruitment documents must be
    // confirmed; then the participant is admitted on the participant's signature date.
    let signed_on = iso(t);
    let dates = [
        ("participant_signed_on", signed_on.as_str()),
        ("manager_signed_on", signed_on.as_str()),
    ];
    let (status, page) = post_text(&app, &format!("/ipzs/{doc}/signatures"), &worker, &dates).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Brakuje:"), "{page}");
    assert_eq!(doc_status(&app, doc).await, "approved");
    assert_eq!(participant_status(&app, id).await, "reserve");
    let mut confirmed = dates.to_vec();
    confirmed.push(("documents_confirmed", "tak"));
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/signatures"),
        &worker,
        &confirmed,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "in_realization");
    assert_eq!(participant_status(&app, id).await, "trial");
    let (admitted, ops): (Date, String) = sqlx::query_as(
        "select admitted_on, ops_agreement_name from participant where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(admitted, t);
    assert_eq!(ops, "Anna Nowak, GOPS Testowo");
    let (_, file) = body(&app, &format!("/participants/{id}"), &worker).await;
    assert!(
        file.contains(&format!(
            "<a href=\"/ipzs/{doc}\">IPZS</a>: wersja 1 – W realizacji."
        )),
        "the file shows the programme's state: {file}"
    );

    // The print of the signed version: identity, the signature dates, audited.
    let (status, print) = body(&app, &format!("/ipzs/{doc}/versions/1/print"), &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("Indywidualny program zatrudnienia socjalnego"));
    assert!(print.contains(&polish(t)), "the recorded signature date");
    assert!(print.contains("podpis kierownika CIS"));
    assert!(
        print.contains("podpis uczestnika (Jan Programowa)"),
        "{print}"
    );
    assert!(print.contains("Wersja 1 – W realizacji"), "{print}");
    assert_eq!(app.audit_count("document.print", Some("success")).await, 1);

    // An amendment: a new draft version with a reason; version 1 stays in force.
    let (status, to) = post_text(
        &app,
        &format!("/ipzs/{doc}/amend"),
        &worker,
        &[(
            "reason",
            "Wniosek uczestnika: zmiana kierunku na pracownię ogrodniczą.",
        )],
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, format!("/ipzs/{doc}/edit").as_str())
    );
    let (_, page) = body(&app, &format!("/ipzs/{doc}"), &worker).await;
    assert!(page.contains("obowiązuje wersja 1"), "{page}");
    let rev = revision(&app, doc).await.to_string();
    let mut changed = complete(t, &rev, "Podjęcie zatrudnienia w firmie ogrodniczej");
    for (k, v) in &mut changed {
        if k == "workshop" {
            *v = "Pracownia ogrodnicza".to_owned();
        }
    }
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&changed)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    post_text(&app, &format!("/ipzs/{doc}/submit"), &worker, &[]).await;
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/approve"), &manager, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/signatures"), &manager, &dates).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "no second admission is needed"
    );
    assert_eq!(doc_status(&app, doc).await, "in_realization");
    assert_eq!(participant_status(&app, id).await, "trial");

    // The diff marks the change in words, not colour alone.
    let (status, diff) = body(&app, &format!("/ipzs/{doc}/diff?from=1&to=2"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        diff.contains("[dodano: </span>firmie ogrodniczej"),
        "{diff}"
    );
    assert!(diff.contains("[usunięto: </span>budownictwie"), "{diff}");
    assert!(diff.contains("<h2>Pracownia</h2>"));

    // Monitoring: every goal assessed during the programme; then the final evaluation.
    let fields = [
        ("phase", "during"),
        ("entry_on", signed_on.as_str()),
        (
            "situation",
            "Uczestniczy regularnie, pierwsze zlecenia w ogrodzie.",
        ),
    ];
    let (status, page) =
        post_text(&app, &format!("/ipzs/{doc}/monitoring"), &worker, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Cel 1: oceń postęp"), "{page}");
    let mut assessed = fields.to_vec();
    assessed.extend([
        ("goal_1_assessment", "approaching"),
        ("goal_1_comment", "Dobre opinie."),
    ]);
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/monitoring"), &worker, &assessed).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Ending participation requires the final evaluation, then closes the programme.
    let terminate = [
        ("date", signed_on.as_str()),
        ("reason", "withdrawal"),
        ("confirm", "tak"),
    ];
    let path = format!("/participants/{id}/status/terminated");
    let (status, page) = post_text(&app, &path, &manager, &terminate).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("zapisz ocenę końcową IPZS"), "{page}");
    assert!(page.contains(&format!("/ipzs/{doc}/monitoring")));
    let mut end = assessed.clone();
    end[0] = ("phase", "end");
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/monitoring"), &worker, &end).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(&app, &path, &manager, &terminate).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(participant_status(&app, id).await, "terminated");
    assert_eq!(doc_status(&app, doc).await, "closed");
    let reason: String = sqlx::query_scalar(
        "select comment from document_event where document_id = $1 and step = 'close'",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(reason.contains("odstąpieniu"), "{reason}");
}

#[tokio::test]
async fn a_draft_refuses_wrong_input_and_forged_fields_and_changes_nothing() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let (_, doc) = started(&app, &worker).await;
    let before = revision(&app, doc).await;
    let t = today(&app).await;

    // Dates out of order and a period past the legal maximum: the form again, input kept.
    let mut fields = complete(t, "1", "Cel do zachowania");
    for (k, v) in &mut fields {
        match k.as_str() {
            "stage_2_until" => *v = iso(t),
            "period_until" => *v = iso(t + Duration::days(365 * 3)),
            _ => {}
        }
    }
    let (status, page) =
        post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&fields)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Etap 2: koniec nie może być wcześniej niż początek."),
        "{page}"
    );
    assert!(page.contains("Planowany okres przekracza najdłuższy dopuszczalny"));
    assert!(page.contains("Cel do zachowania"), "the input is kept");
    assert_eq!(revision(&app, doc).await, before);

    // A forged status field, an unknown stage: 400, nothing changed.
    for forged in ["status", "stage_99_name", "goal_1_colour"] {
        let mut fields = complete(t, "1", "Cel");
        fields.push((forged.to_owned(), "approved".to_owned()));
        let (status, _) =
            post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&fields)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{forged}");
    }
    assert_eq!(revision(&app, doc).await, before);
    assert_eq!(doc_status(&app, doc).await, "draft");

    // An empty goals list cannot be submitted.
    let mut no_goals = complete(t, "1", "");
    no_goals.retain(|(k, _)| !k.starts_with("goal_"));
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/edit"),
        &worker,
        &refs(&no_goals),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "an incomplete draft saves");
    let (status, page) = post_text(&app, &format!("/ipzs/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Wpisz co najmniej jeden cel."));
    assert_eq!(doc_status(&app, doc).await, "draft");
}

#[tokio::test]
async fn the_author_never_approves_the_database_refuses_it_and_a_parallel_replay_moves_once() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let (_, doc) = started(&app, &worker).await;
    let t = today(&app).await;
    let fields = complete(t, "1", "Zatrudnienie");
    post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&fields)).await;
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The database itself refuses an approval recorded by the version's author.
    let author = app.user_id("socjalny1").await;
    let centre = app.centre_id(CENTRE_A).await;
    let refused = sqlx::query(
        "insert into document_event (document_id, centre_id, version, step, from_status, to_status, decided_by)
         values ($1, $2, 1, 'approve', 'submitted', 'approved', $3)",
    )
    .bind(doc)
    .bind(centre)
    .bind(author)
    .execute(&app.db)
    .await;
    assert!(refused.is_err(), "segregation of duties in the database");

    // Two approvals at once: exactly one moves the programme, the other is 409.
    let path = format!("/ipzs/{doc}/approve");
    let (a, b) = tokio::join!(
        app.post(&path, Some(&manager), &[]),
        app.post(&path, Some(&manager), &[])
    );
    let mut codes = [a.status(), b.status()];
    codes.sort();
    assert_eq!(codes, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let approvals: i64 = sqlx::query_scalar(
        "select count(*) from document_event where document_id = $1 and step = 'approve'",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(approvals, 1);
}

/// A multipart body with the token, the version and a file named `name` holding `content`.
fn upload_body(token: &str, name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----teczka-test-boundary";
    let mut body = Vec::new();
    for (field, value) in [("csrf_token", token), ("version", "1")] {
        body.extend_from_slice(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\ncontent-disposition: form-data; name=\"scan\"; filename=\"{name}\"\r\n\
             content-type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &TestApp,
    doc: Uuid,
    session: &Session,
    name: &str,
    content: &[u8],
) -> StatusCode {
    let (content_type, body) = upload_body(&session.csrf, name, content);
    app.request(
        reqwest::Method::POST,
        &format!("/ipzs/{doc}/scans"),
        Some(session),
    )
    .header("content-type", content_type)
    .body(body)
    .send()
    .await
    .unwrap()
    .status()
}

async fn scans(app: &TestApp, doc: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from document_scan where document_id = $1")
        .bind(doc)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_scan_is_told_by_its_bytes_limited_in_size_and_served_to_readers_as_an_audited_attachment()
 {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Skanowana", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    let today = iso(today(&app).await);
    let signed = app
        .admit_by_programme(id, &today, "Anna Nowak", "2026-11-01")
        .await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let doc = programme_of(&app, id).await;
    let worker = app.login("socjalny1").await;

    // An HTML file renamed .pdf: 415; one byte over 10 MB: 413; no token: 403. Nothing stored.
    let html = b"<!doctype html><html><script>alert(1)</script></html>";
    assert_eq!(
        upload(&app, doc, &worker, "skan.pdf", html).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    assert_eq!(
        upload(&app, doc, &worker, "duzy.pdf", &big).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let forged = Session {
        token: worker.token.clone(),
        csrf: "not-the-token".to_owned(),
    };
    assert_eq!(
        upload(&app, doc, &forged, "skan.pdf", b"%PDF-1.4 x").await,
        StatusCode::FORBIDDEN
    );
    // The instructor may not attach one (nor read the programme).
    let instructor = app.login("instruktor").await;
    assert_ne!(
        upload(&app, doc, &instructor, "skan.pdf", b"%PDF-1.4 x").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(scans(&app, doc).await, 0);

    // A real PDF is stored, listed, and downloaded as an attachment; the download is audited.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF";
    assert_eq!(
        upload(&app, doc, &worker, "podpisany.pdf", pdf).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(scans(&app, doc).await, 1);
    let scan: Uuid =
        sqlx::query_scalar("select document_scan_id from document_scan where document_id = $1")
            .bind(doc)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (_, page) = body(&app, &format!("/ipzs/{doc}"), &worker).await;
    assert!(page.contains("podpisany.pdf"), "{page}");
    let before = app.audit_count("document.view", Some("success")).await;
    let psychologist = app.login("psycholog").await;
    let response = app
        .get(&format!("/ipzs/{doc}/scans/{scan}"), Some(&psychologist))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), pdf);
    assert_eq!(
        app.audit_count("document.view", Some("success")).await,
        before + 1
    );
    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'document.view' order by occurred_at desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, format!("scan:{scan}"));
    // Not for the instructor (the participant is not in their workshop: no such file); not
    // for another centre's account.
    let response = app
        .get(&format!("/ipzs/{doc}/scans/{scan}"), Some(&instructor))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let stranger = app.login("socjalny3").await;
    let response = app
        .get(&format!("/ipzs/{doc}/scans/{scan}"), Some(&stranger))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_role_reads_the_programme_as_the_policy_says_and_reads_prints_and_steps_are_audited() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Ogrodnicza", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Czytana", Some("socjalny1"), Some(workshop))
        .await;
    let programme = app.approved_programme(id, "Anna Nowak", "2026-11-01").await;
    // In the programme already (a file of the instructor's workshop, active for the others).
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{programme}/signatures"),
        &app.login("kierownik").await,
        &[
            ("participant_signed_on", &iso(today(&app).await)),
            ("manager_signed_on", &iso(today(&app).await)),
        ],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "signed without admission: already admitted"
    );
    assert_eq!(doc_status(&app, programme).await, "in_realization");
    let views = app.audit_count("document.view", Some("success")).await;
    for (login, want) in [
        ("kierownik", StatusCode::OK),
        ("socjalny1", StatusCode::OK),
        ("psycholog", StatusCode::OK),
        ("doradca", StatusCode::OK),
        ("instruktor", StatusCode::FORBIDDEN),
        ("socjalny2", StatusCode::NOT_FOUND),
        ("kierownik2", StatusCode::NOT_FOUND),
    ] {
        let session = app.login(login).await;
        let (status, page) = body(&app, &format!("/ipzs/{programme}"), &session).await;
        assert_eq!(status, want, "{login}");
        if want == StatusCode::OK {
            assert!(page.contains("Cele szczegółowe"), "{login}");
        } else {
            assert!(!page.contains("Zatrudnienie"), "{login} sees nothing of it");
        }
        let print = app
            .get(
                &format!("/ipzs/{programme}/versions/1/print"),
                Some(&session),
            )
            .await;
        assert_eq!(print.status(), want, "{login} print");
    }
    // Each successful read and print wrote its row; the refusals of the instructor (403) and of
    // the other social worker (outside the caseload: 404) are audited too; another centre's
    // programme does not exist for its manager (nothing to refuse).
    assert_eq!(
        app.audit_count("document.view", Some("success")).await,
        views + 4
    );
    assert_eq!(app.audit_count("document.print", Some("success")).await, 4);
    assert_eq!(app.audit_count("document.view", Some("denied")).await, 2);
    assert_eq!(app.audit_count("document.print", Some("denied")).await, 2);
    // The steps: each an audit row and a history row.
    assert_eq!(app.audit_count("document.sign", Some("success")).await, 1);
    assert_eq!(
        app.audit_count("document.start_realization", Some("success"))
            .await,
        1
    );
    let steps: Vec<String> = sqlx::query_scalar(
        "select step from document_event where document_id = $1 order by occurred_at, step",
    )
    .bind(programme)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(steps, ["approve", "sign", "start_realization"]);
}

#[tokio::test]
async fn monitoring_falls_due_on_the_social_workers_start_at_the_centres_interval() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Monitorowana", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    let t = today(&app).await;
    let signed = app
        .admit_by_programme(
            id,
            &iso(t - Duration::days(60)),
            "Anna Nowak",
            &iso(t - Duration::days(61)),
        )
        .await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let doc = programme_of(&app, id).await;
    let worker = app.login("socjalny1").await;
    // Quarterly by default: signed 60 days ago, the first entry is not due yet.
    let (_, home) = body(&app, "/", &worker).await;
    assert!(!home.contains("Monitoring IPZS do wpisania"), "{home}");

    // The manager makes it monthly: from today, so the entry is overdue.
    let manager = app.login("kierownik").await;
    let (status, _) = post_text(&app, "/settings", &manager, &[("monitoring_months", "1")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) =
        post_text(&app, "/settings", &manager, &[("monitoring_months", "7")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Wybierz, co ile miesięcy"));
    let (_, home) = body(&app, "/", &worker).await;
    assert!(home.contains("Monitoring IPZS do wpisania (1)"), "{home}");
    assert!(home.contains("Po terminie od"), "{home}");
    assert!(home.contains(&format!("/ipzs/{doc}/monitoring")));
    let due = polish(teczka::validate::dates::add_months(
        t - Duration::days(60),
        1,
    ));
    assert!(home.contains(&format!("termin {due}")), "{home}");

    // An entry today: nothing due for a month.
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/monitoring"),
        &worker,
        &[
            ("phase", "during"),
            ("entry_on", &iso(t)),
            ("situation", "Bez zmian, obecny na zajęciach."),
            ("goal_1_assessment", "approaching"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = body(&app, "/", &worker).await;
    assert!(!home.contains("Monitoring IPZS do wpisania"), "{home}");
}

/// The day the document's monitoring interval counts from, as kept for Start (migration 0034),
/// after checking it against the same day computed from the signatures and the entries.
async fn counted_from(app: &TestApp, doc: Uuid) -> Option<Date> {
    let (kept, computed): (Option<Date>, Option<Date>) = sqlx::query_as(
        "select (select since from document_monitoring_since where document_id = d.document_id),
                case when d.status <> 'closed' then
                     greatest((select max(entry_on) from document_monitoring m where m.document_id = d.document_id),
                              (select min(signed_on) from document_signature g
                               where g.document_id = d.document_id and g.party = 'participant')) end
         from document d where d.document_id = $1",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(kept, computed, "the kept day is the computed one");
    kept
}

#[tokio::test]
async fn the_day_monitoring_counts_from_moves_with_the_entries_and_leaves_with_the_closed_programme()
 {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Liczona", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    the_three_opinions(&app, id).await;
    let t = today(&app).await;
    let doc = app
        .approved_programme(id, "Anna Nowak", &iso(t - Duration::days(70)))
        .await;
    assert_eq!(counted_from(&app, doc).await, None, "not signed yet");
    let manager = app.login("kierownik").await;
    let worker = app.login("socjalny1").await;
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/signatures"),
        &manager,
        &[
            ("participant_signed_on", &iso(t - Duration::days(60))),
            ("manager_signed_on", &iso(t - Duration::days(61))),
            ("documents_confirmed", "tak"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        counted_from(&app, doc).await,
        Some(t - Duration::days(60)),
        "from the participant's signature"
    );
    let entry = |on: Date| {
        [
            ("phase", "during".to_owned()),
            ("entry_on", iso(on)),
            ("situation", "Bez zmian, obecny na zajęciach.".to_owned()),
            ("goal_1_assessment", "approaching".to_owned()),
        ]
    };
    let record = |on: Date| {
        let fields = entry(on);
        let app = &app;
        let worker = &worker;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, _) =
                post_text(app, &format!("/ipzs/{doc}/monitoring"), worker, &refs).await;
            assert_eq!(status, StatusCode::SEE_OTHER);
        }
    };
    record(t - Duration::days(10)).await;
    assert_eq!(
        counted_from(&app, doc).await,
        Some(t - Duration::days(10)),
        "from the latest entry"
    );
    // An entry written late about an earlier day does not bring the next one forward.
    record(t - Duration::days(30)).await;
    assert_eq!(counted_from(&app, doc).await, Some(t - Duration::days(10)));

    // An amendment drafted, approved and signed: the programme runs on, and so does its
    // schedule (counted from the first signature or the latest entry, whichever is later).
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/amend"),
        &worker,
        &[("reason", "Zmiana pracowni na wniosek uczestnika.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(counted_from(&app, doc).await, Some(t - Duration::days(10)));
    let rev = revision(&app, doc).await.to_string();
    let fields = complete(t, &rev, "Zatrudnienie w ogrodnictwie");
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&fields)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = post_text(&app, &format!("/ipzs/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (status, page) = post_text(&app, &format!("/ipzs/{doc}/approve"), &manager, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/signatures"),
        &manager,
        &[
            ("participant_signed_on", &iso(t)),
            ("manager_signed_on", &iso(t)),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "in_realization");
    assert_eq!(counted_from(&app, doc).await, Some(t - Duration::days(10)));
    record(t).await;
    assert_eq!(counted_from(&app, doc).await, Some(t));

    // The final evaluation, then the end of participation closes the programme: it leaves.
    let mut end = entry(t);
    end[0].1 = "end".to_owned();
    let end: Vec<(&str, &str)> = end.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/monitoring"), &worker, &end).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(
        &app,
        &format!("/participants/{id}/status/terminated"),
        &manager,
        &[
            ("date", &iso(t)),
            ("reason", "withdrawal"),
            ("confirm", "tak"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "closed");
    assert_eq!(counted_from(&app, doc).await, None);
}

#[tokio::test]
async fn a_scan_of_several_megabytes_is_stored() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Duża", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    let today = iso(today(&app).await);
    app.admit_by_programme(id, &today, "Anna Nowak", "2026-11-01")
        .await;
    let doc = programme_of(&app, id).await;
    let worker = app.login("socjalny1").await;
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(5 * 1024 * 1024, b'0');
    assert_eq!(
        upload(&app, doc, &worker, "skan-5MB.pdf", &pdf).await,
        StatusCode::SEE_OTHER
    );
    let size: i32 = sqlx::query_scalar(
        "select octet_length(content) from document_scan where document_id = $1",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(size, 5 * 1024 * 1024);
}

#[tokio::test]
async fn signatures_recorded_twice_at_once_admit_once_and_only_from_the_reserve_list() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Podwójna", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    let doc = app.approved_programme(id, "Anna Nowak", "2026-11-01").await;
    let today = iso(today(&app).await);
    let fields = [
        ("participant_signed_on", today.as_str()),
        ("manager_signed_on", today.as_str()),
        ("documents_confirmed", "tak"),
    ];
    let manager = app.login("kierownik").await;
    let worker = app.login("socjalny1").await;
    let path = format!("/ipzs/{doc}/signatures");
    let (a, b) = tokio::join!(
        app.post(&path, Some(&manager), &fields),
        app.post(&path, Some(&worker), &fields)
    );
    let mut codes = [a.status(), b.status()];
    codes.sort();
    assert_eq!(codes, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let (signatures, admissions): (i64, i64) = sqlx::query_as(
        "select (select count(*) from document_signature where document_id = $1),
                (select count(*) from participant_status_change where participant_id = $2 and to_status = 'trial')",
    )
    .bind(doc)
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((signatures, admissions), (2, 1));

    // A candidate's programme (arranged) cannot be signed: admission is from the reserve list.
    let candidate = app
        .fixture_participant(CENTRE_A, "Kandydatka", Some("socjalny1"), None)
        .await;
    app.before_admission(candidate, "candidate").await;
    let early = app
        .approved_programme(candidate, "Anna Nowak", "2026-11-01")
        .await;
    let (status, page) = post_text(
        &app,
        &format!("/ipzs/{early}/signatures"),
        &manager,
        &fields,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("z listy rezerwowej"), "{page}");
    assert_eq!(doc_status(&app, early).await, "approved");
    // Nor is a programme started for a candidate.
    let (status, _) = post_text(
        &app,
        &format!("/participants/{candidate}/ipzs"),
        &worker,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_new_social_worker_submits_the_draft_and_ending_participation_closes_an_open_amendment() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let (id, doc) = started(&app, &worker).await;
    let t = today(&app).await;
    let fields = complete(t, "1", "Zatrudnienie");
    post_text(&app, &format!("/ipzs/{doc}/edit"), &worker, &refs(&fields)).await;
    // The caseload moves: the new social worker submits the draft the first one wrote.
    let other = app.user_id("socjalny2").await;
    app.update_participant(id, &format!("social_worker_id = '{other}'"))
        .await;
    let successor = app.login("socjalny2").await;
    let (status, _) = post_text(&app, &format!("/ipzs/{doc}/submit"), &successor, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let manager = app.login("kierownik").await;
    post_text(&app, &format!("/ipzs/{doc}/approve"), &manager, &[]).await;
    let on = iso(t);
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/signatures"),
        &successor,
        &[
            ("participant_signed_on", &on),
            ("manager_signed_on", &on),
            ("documents_confirmed", "tak"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // An amendment is begun; the final evaluation is recorded; the person leaves.
    post_text(
        &app,
        &format!("/ipzs/{doc}/amend"),
        &successor,
        &[("reason", "Zmiana pracowni na wniosek uczestnika.")],
    )
    .await;
    let (status, _) = post_text(
        &app,
        &format!("/ipzs/{doc}/monitoring"),
        &successor,
        &[
            ("phase", "end"),
            ("entry_on", &on),
            ("situation", "Uczestnik rezygnuje z udziału."),
            ("goal_1_assessment", "not_approaching"),
        ],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "monitoring goes on while an amendment is drafted"
    );
    let (status, _) = post_text(
        &app,
        &format!("/participants/{id}/status/terminated"),
        &manager,
        &[("date", &on), ("reason", "withdrawal"), ("confirm", "tak")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "closed");
    let versions: Vec<String> = sqlx::query_scalar(
        "select status::text from document_version where document_id = $1 order by number",
    )
    .bind(doc)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(versions, ["closed", "closed"]);
    let (_, page) = body(&app, &format!("/ipzs/{doc}"), &manager).await;
    assert!(
        page.contains("Zamknięta bez podpisania"),
        "the amendment never signed"
    );
    assert!(page.contains("1 <strong>(obowiązuje)</strong>"), "{page}");
}
