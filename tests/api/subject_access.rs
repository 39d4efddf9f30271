//! Subject access (GDPR art. 15): the manager's printable export and JSON archive of one
//! participant hold every kind of record the centre keeps about the person, and only what the
//! policy releases (a therapy note is listed, its text withheld); another participant's data
//! is absent; each print and export is audited with the participant's id; other roles are
//! refused and another centre's participant does not exist.

use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::*;

/// The texts the fixture writes, to be found (or not) in the export.
pub const IPZS_V1: &str = "Długotrwałe bezrobocie, brak kwalifikacji.";
pub const IPZS_V2: &str = "Aneks: kurs pomocnika kucharza.";
pub const CONTRACT: &str = "Brak pracy od trzech lat, zadłużenie mieszkania.";
pub const OPINION: &str = "Kurs pomocnika kucharza w pracowni gastronomicznej.";
pub const OPINION_DRAFT: &str = "Szkic opinii psychologa – nie do wydania.";
pub const TEAM_NOTE: &str = "Treść notatki (team).";
pub const THERAPY_NOTE: &str = "Treść notatki (psychologist).";
pub const THERAPY_TOPIC: &str = "Notatka z psychologist";
pub const STATUS_REASON: &str = "Przyjęcie po podpisaniu IPZS.";
pub const RECRUITMENT: &str = "Wywiad: mieszka z matką, szuka pracy.";
pub const CONTACT: &str = "Pracuje w piekarni, dobrze funkcjonuje w środowisku.";
pub const MONITORING: &str = "Uczestniczy regularnie, poprawa punktualności.";
pub const REFERRAL: &str = "Skierowanie na badania medycyny pracy.";
pub const OTHER_NOTE: &str = "Notatka o zupełnie innej osobie.";
/// `%PDF-1.4 skan podpisanego IPZS` in base64, computed outside this code base.
pub const SCAN_BASE64: &str = "JVBERi0xLjQgc2thbiBwb2RwaXNhbmVnbyBJUFpT";

/// A participant of centre A with a record of every kind, and another participant of the same
/// centre with a note of their own. Returns (participant, other participant).
pub async fn fixture(app: &TestApp) -> (Uuid, Uuid) {
    let workshop = app
        .workshop(CENTRE_A, "Pracownia gastronomiczna", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Wglądowa", Some("socjalny1"), Some(workshop))
        .await;
    let other = app
        .fixture_participant(CENTRE_A, "Obcowska", Some("socjalny1"), None)
        .await;
    let arrange: [(Uuid, &str, &[&str]); 12] = [
        // A status change.
        (
            id,
        "insert into participant_status_change (participant_id, centre_id, from_status, to_status,
             changed_on, reason, decided_by)
         select p.participant_id, p.centre_id, 'reserve', 'trial', current_date - 90, $2, u.staff_user_id
         from participant p, staff_user u where p.participant_id = $1 and u.login = 'kierownik'",
            &[STATUS_REASON],
        ),
        // An IPZS with two versions, the first signed, with a scan.
        (
            id,
        "with d as (insert into document (centre_id, participant_id, kind, status, current_version, author_id)
                    select p.centre_id, p.participant_id, 'ipzs', 'in_realization', 2, u.staff_user_id
                    from participant p, staff_user u where p.participant_id = $1 and u.login = 'socjalny1'
                    returning document_id, centre_id, author_id),
              v1 as (insert into document_version (document_id, number, status, sections, created_by)
                     select document_id, 1, 'in_realization',
                            jsonb_build_array(jsonb_build_array('diagnosis_sources', $2::text)), author_id
                     from d returning document_id),
              v2 as (insert into document_version (document_id, number, based_on, status, sections, created_by, reason)
                     select v1.document_id, 2, 1, 'draft',
                            jsonb_build_array(jsonb_build_array('diagnosis_sources', $3::text)), d.author_id,
                            'Zmiana pracowni'
                     from v1, d returning document_id),
              g as (insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
                    select v2.document_id, 1, 'participant', d.centre_id, current_date - 90, d.author_id
                    from v2, d returning document_id)
         insert into document_scan (document_id, version, centre_id, media_type, file_name, content, uploaded_by)
         select g.document_id, 1, d.centre_id, 'application/pdf', 'ipzs-podpisany.pdf',
                convert_to('%PDF-1.4 skan podpisanego IPZS', 'UTF8'), d.author_id
         from g, d",
            &[IPZS_V1, IPZS_V2],
        ),
        // A social contract.
        (
            id,
        "with d as (insert into document (centre_id, participant_id, kind, status, author_id)
                    select p.centre_id, p.participant_id, 'social_contract', 'draft', u.staff_user_id
                    from participant p, staff_user u where p.participant_id = $1 and u.login = 'socjalny1'
                    returning document_id, author_id)
         insert into document_version (document_id, number, status, sections, created_by)
         select document_id, 1, 'draft', jsonb_build_array(jsonb_build_array('situation', $2::text)), author_id
         from d",
            &[CONTRACT],
        ),
        // A monitoring entry of the IPZS and a referral in the contract's realization log.
        (
            id,
            "insert into document_monitoring (document_id, centre_id, version, phase, entry_on, situation, author_id)
             select document_id, centre_id, 1, 'during', current_date - 60, $2, author_id
             from document where participant_id = $1 and kind = 'ipzs'",
            &[MONITORING],
        ),
        (
            id,
            "insert into contract_record (document_id, centre_id, kind, happened_on, description, author_id)
             select document_id, centre_id, 'referral', current_date - 50, $2, author_id
             from document where participant_id = $1 and kind = 'social_contract'",
            &[REFERRAL],
        ),
        // A signed-off opinion, and a psychologist's opinion still being written.
        (
            id,
        "insert into opinion (centre_id, participant_id, kind, requested_by, author_id, status, sections, signed_off_at)
         select p.centre_id, p.participant_id, 'career_advisor', r.staff_user_id, a.staff_user_id, 'signed_off',
                jsonb_build_array(jsonb_build_array('directions', $2::text)), now() - interval '80 days'
         from participant p, staff_user r, staff_user a
         where p.participant_id = $1 and r.login = 'socjalny1' and a.login = 'doradca'",
            &[OPINION],
        ),

        (
            id,
        "insert into opinion (centre_id, participant_id, kind, requested_by, author_id, status, sections)
         select p.centre_id, p.participant_id, 'psychologist', r.staff_user_id, a.staff_user_id, 'requested',
                jsonb_build_array(jsonb_build_array('functioning', $2::text))
         from participant p, staff_user r, staff_user a
         where p.participant_id = $1 and r.login = 'socjalny1' and a.login = 'psycholog'",
            &[OPINION_DRAFT],
        ),
        // Two days of attendance.
        (
            id,
        "insert into attendance (participant_id, day, centre_id, workshop_id, status, minutes, recorded_by)
         select p.participant_id, d, p.centre_id, m.workshop_id, s, mins, u.staff_user_id
         from participant p join workshop_membership m using (participant_id), staff_user u,
              (values (date '2026-11-02', 'p'::\"char\", 360::smallint), (date '2026-11-03', 's', 0)) as v(d, s, mins)
         where p.participant_id = $1 and u.login = 'instruktor'",
            &[],
        ),
        // A benefit statement.
        (
            id,
        "insert into benefit_statement (participant_id, month, revision, centre_id, base_grosze, benefit_grosze,
             bonus_grosze, explanation)
         select participant_id, '2026-11-01', 1, centre_id, 199440, 123456, 0, '{}'
         from participant where participant_id = $1",
            &[],
        ),
        // A follow-up contact.
        (
            id,
        "insert into follow_up_contact (participant_id, centre_id, contacted_on, reached, form, employment,
             community, recorded_by)
         select p.participant_id, p.centre_id, current_date - 10, true, 'phone', 'employed', $2, u.staff_user_id
         from participant p, staff_user u where p.participant_id = $1 and u.login = 'socjalny1'",
            &[CONTACT],
        ),
        // A recruitment document.
        (
            id,
        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
         select p.participant_id, p.centre_id, 'environmental_interview', current_date - 120, $2, u.staff_user_id
         from participant p, staff_user u where p.participant_id = $1 and u.login = 'socjalny1'",
            &[RECRUITMENT],
        ),
        // The other participant's note.
        (
            other,
        "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body, visibility)
         select p.centre_id, p.participant_id, u.staff_user_id, current_date - 1, 'conversation', 'Inna',
                $2, 'team'
         from participant p, staff_user u where p.participant_id = $1 and u.login = 'socjalny1'",
            &[OTHER_NOTE],
        ),
    ];
    for (participant, sql, texts) in arrange {
        let mut query = sqlx::query(sql).bind(participant);
        for text in texts {
            query = query.bind(*text);
        }
        query
            .execute(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
    app.note(id, "socjalny1", "team").await;
    app.note(id, "psycholog", "psychologist").await;
    // The file opened by two staff members (and the other file by one).
    for login in ["kierownik", "socjalny1"] {
        let session = app.login(login).await;
        let (status, _) = body(app, &format!("/participants/{id}"), &session).await;
        assert_eq!(status, StatusCode::OK);
    }
    (id, other)
}

async fn audit_rows(app: &TestApp, action: &str, participant: Uuid) -> i64 {
    sqlx::query_scalar(
        "select count(*) from audit_event
         where action = $1 and participant_id = $2 and outcome = 'success'",
    )
    .bind(action)
    .bind(participant)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_export_holds_every_kind_of_record_in_print_and_json_and_is_audited() {
    // Arrange
    let app = spawn_app().await;
    let (id, _) = fixture(&app).await;
    let manager = app.login("kierownik").await;

    // Act
    let (status, print) = body(
        &app,
        &format!("/participants/{id}/subject-access"),
        &manager,
    )
    .await;
    let response = app
        .get(
            &format!("/participants/{id}/subject-access.json"),
            Some(&manager),
        )
        .await;

    // Assert: the page.
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("/static/css/print.css") && print.contains("przez: Kinga Kierownik"));
    assert!(print.contains(&format!("/participants/{id}/subject-access.json")));
    for expected in [
        "Wglądowa",
        "Osoba długotrwale bezrobotna",
        "Osoba zwolniona z zakładu karnego",
        STATUS_REASON,
        "Zmiana statusu:",
        IPZS_V1,
        IPZS_V2,
        "Wersja 2",
        "ipzs-podpisany.pdf",
        "Kontrakt socjalny",
        CONTRACT,
        MONITORING,
        REFERRAL,
        OPINION,
        TEAM_NOTE,
        "Tylko psycholog – notatka terapeutyczna",
        "treść udostępniana wyłącznie decyzją psychologa",
        "02.11.2026",
        "zwolnienie lekarskie",
        "Pracownia gastronomiczna",
        "1\u{a0}234,56\u{a0}zł",
        CONTACT,
        RECRUITMENT,
        "Sylwia Socjalna",
    ] {
        assert!(print.contains(expected), "the print lacks {expected:?}");
    }

    // Assert: the archive.
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"dane-osobowe-"),
        "{disposition}"
    );
    let raw = response.text().await.unwrap();
    let json: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(json["format"], "teczka.subject-access/1");
    assert_eq!(json["person"]["participant_id"], id.to_string());
    let identity = json["person"]["identity"].to_string();
    assert!(identity.contains("Osoba długotrwale bezrobotna") && identity.contains("PESEL"));
    let history = json["status_history"].to_string();
    assert!(history.contains(STATUS_REASON), "{history}");
    let documents = json["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2);
    let ipzs = &documents[0];
    assert_eq!(ipzs["versions"].as_array().unwrap().len(), 2);
    assert_eq!(ipzs["versions"][0]["text"][0]["value"], IPZS_V1);
    assert_eq!(ipzs["versions"][1]["text"][0]["value"], IPZS_V2);
    assert_eq!(ipzs["signatures"][0]["party"], "Uczestnik");
    assert_eq!(ipzs["signatures"][0]["version"], 1);
    let scan = &ipzs["scans"][0];
    assert_eq!(scan["file_name"], "ipzs-podpisany.pdf");
    assert_eq!(scan["media_type"], "application/pdf");
    assert_eq!(scan["size"], 30);
    assert_eq!(scan["content_base64"], SCAN_BASE64);
    assert_eq!(ipzs["records"][0]["details"][0]["value"], MONITORING);
    assert_eq!(documents[1]["kind"], "Kontrakt socjalny");
    assert_eq!(documents[1]["records"][0]["details"][0]["value"], REFERRAL);
    assert!(documents[1].to_string().contains(CONTRACT));
    let opinions = json["opinions"].as_array().unwrap();
    assert_eq!(opinions.len(), 2);
    assert!(json["opinions"].to_string().contains(OPINION));
    let notes = json["case_notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert!(notes.iter().any(|n| n["text"] == TEAM_NOTE));
    let attendance = json["attendance"].as_array().unwrap();
    assert_eq!(attendance.len(), 2);
    assert_eq!(attendance[0]["day"], "2026-11-02");
    assert_eq!(attendance[0]["hours"], "6");
    assert_eq!(attendance[1]["status"], "zwolnienie lekarskie");
    assert_eq!(json["benefit_statements"][0]["month"], "2026-11");
    assert_eq!(json["benefit_statements"][0]["benefit"], 123_456);
    assert!(json["follow_up_contacts"].to_string().contains(CONTACT));
    assert_eq!(json["follow_up_contacts"][0]["reached"], true);
    assert_eq!(json["recruitment_documents"][0]["content"], RECRUITMENT);
    // Who opened the file: the two staff members' views (newest first), nothing else.
    let views = json["access_log"].as_array().unwrap();
    let viewers: Vec<&str> = views.iter().map(|v| v["who"].as_str().unwrap()).collect();
    assert_eq!(viewers, ["Sylwia Socjalna", "Kinga Kierownik"]);

    // Assert: one audit row for the print and one for the export, naming the participant.
    assert_eq!(audit_rows(&app, "subject_access.print", id).await, 1);
    assert_eq!(audit_rows(&app, "subject_access.export", id).await, 1);
}

#[tokio::test]
async fn a_therapy_note_is_listed_without_its_text_and_another_persons_data_is_absent() {
    // Arrange
    let app = spawn_app().await;
    let (id, _) = fixture(&app).await;
    let manager = app.login("kierownik").await;

    // Act
    let print = app
        .text(&format!("/participants/{id}/subject-access"), &manager)
        .await;
    let raw = app
        .text(&format!("/participants/{id}/subject-access.json"), &manager)
        .await;

    // Assert: the therapy note and the unsigned opinion are listed, their text withheld.
    for output in [&print, &raw] {
        assert!(!output.contains(THERAPY_NOTE) && !output.contains(THERAPY_TOPIC));
        assert!(!output.contains(OPINION_DRAFT));
        assert!(!output.contains("Obcowska") && !output.contains(OTHER_NOTE));
    }
    let json: Value = serde_json::from_str(&raw).unwrap();
    let therapy: Vec<&Value> = json["case_notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["audience"] == "Tylko psycholog – notatka terapeutyczna")
        .collect();
    assert_eq!(therapy.len(), 1, "the therapy note is listed");
    assert_eq!(therapy[0]["author"], "Piotr Psycholog");
    assert!(therapy[0]["text"].is_null() && therapy[0]["topic"].is_null());
    assert!(
        therapy[0]["withheld"]
            .as_str()
            .unwrap()
            .contains("decyzją psychologa")
    );
    assert!(therapy[0]["on"].is_string());
    let draft = json["opinions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["status"] == "W przygotowaniu")
        .unwrap();
    assert_eq!(draft["text"], Value::Array(Vec::new()));
    assert!(draft["withheld"].is_string());
    assert_eq!(print.matches("decyzją psychologa").count(), 1);
}

#[tokio::test]
async fn other_roles_are_refused_and_another_centres_participant_does_not_exist() {
    // Arrange
    let app = spawn_app().await;
    let (id, _) = fixture(&app).await;
    let paths = [
        format!("/participants/{id}/subject-access"),
        format!("/participants/{id}/subject-access.json"),
    ];

    // Act / Assert: staff who may open this file are refused; the refusal is audited.
    for login in ["socjalny1", "psycholog", "instruktor", "doradca"] {
        let session = app.login(login).await;
        for path in &paths {
            let response = app.get(path, Some(&session)).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{login} {path}");
        }
        // No link to it on the file either.
        let file = app.text(&format!("/participants/{id}"), &session).await;
        assert!(!file.contains("subject-access"), "{login}");
    }
    assert_eq!(
        app.audit_count("subject_access.print", Some("denied"))
            .await,
        4
    );
    assert_eq!(
        app.audit_count("subject_access.export", Some("denied"))
            .await,
        4
    );
    // Another centre's manager: no such participant, and nothing read or audited as a success.
    let other_manager = app.login("kierownik2").await;
    for path in &paths {
        let response = app.get(path, Some(&other_manager)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(audit_rows(&app, "subject_access.print", id).await, 0);
    assert_eq!(audit_rows(&app, "subject_access.export", id).await, 0);
    // The manager has the link on the file.
    let manager = app.login("kierownik").await;
    let file = app.text(&format!("/participants/{id}"), &manager).await;
    assert!(file.contains(&format!("/participants/{id}/subject-access\"")));
}

#[tokio::test]
async fn the_data_protection_officer_produces_the_export_and_reads_the_data_history_but_not_the_file()
 {
    let app = spawn_app().await;
    let (id, _) = fixture(&app).await;
    let dpo = app.login("iod").await;
    // The officer finds the person in the audit log and has the data-protection links there.
    let search = app.text(&format!("/audit?participant={id}"), &dpo).await;
    for link in ["subject-access", "data-history", "retention"] {
        assert!(
            search.contains(&format!("/participants/{id}/{link}\"")),
            "{link}"
        );
    }
    // The export, in print and as JSON, with what the rules release, audited as theirs.
    let page = app
        .text(&format!("/participants/{id}/subject-access"), &dpo)
        .await;
    assert!(page.contains(TEAM_NOTE) && !page.contains(THERAPY_NOTE));
    let json = app
        .get(
            &format!("/participants/{id}/subject-access.json"),
            Some(&dpo),
        )
        .await;
    assert_eq!(json.status(), StatusCode::OK);
    let json = json.text().await.unwrap();
    assert!(json.contains(IPZS_V2) && !json.contains(THERAPY_NOTE));
    assert_eq!(audit_rows(&app, "subject_access.print", id).await, 1);
    assert_eq!(audit_rows(&app, "subject_access.export", id).await, 1);
    // The data history and the file's retention open; the file itself does not exist for them.
    for path in [
        format!("/participants/{id}/data-history"),
        format!("/participants/{id}/retention"),
    ] {
        let response = app.get(&path, Some(&dpo)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    for path in [
        format!("/participants/{id}"),
        format!("/participants/{id}/print"),
        format!("/participants/{id}/access-log"),
    ] {
        let response = app.get(&path, Some(&dpo)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // Nor may they change anything about its retention.
    let hold = app
        .post(
            &format!("/participants/{id}/holds"),
            Some(&dpo),
            &[("reason", "Kontrola UODO")],
        )
        .await;
    assert_eq!(hold.status(), StatusCode::NOT_FOUND);
    // Another centre's officer: no such person.
    let other = app.login("iod2").await;
    let response = app
        .get(&format!("/participants/{id}/subject-access"), Some(&other))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
