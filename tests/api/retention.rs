//! Retention with legal hold (issue 13, data protection item 3): a file past its period is
//! found by the scan (once: rerunning changes nothing), listed, and anonymised only after the
//! confirmation, with every name, PESEL and free text gone from every table the anonymisation
//! touches and the effectiveness report unchanged; a held file is neither listed nor
//! anonymised; without a period nothing is due; bad input (a hold without a reason, a period
//! that is not a number) is refused in Polish with nothing written.
//!
//! The files are the effectiveness report's graduates (`reports::fixture`, G1–G6), made
//! graduates on file (status, end date) and registered in 2023: their last record is a contact
//! of 2025 or January 2026, so with the graduates' period at 1 month every one is past it.

use reqwest::StatusCode;
use teczka::retention::scan::{ScanSummary, scan_all};
use uuid::Uuid;

use crate::helpers::*;
use crate::reports::{QUERY, download, fixture};

/// The effectiveness report's CSV (checked to succeed).
async fn report(app: &TestApp, session: &Session) -> Vec<u8> {
    let path = format!("/reports/effectiveness.csv?{QUERY}");
    let (status, bytes) = download(app, session, &path).await;
    assert_eq!(status, StatusCode::OK);
    bytes
}

/// Posts a period of `class` from 01.01.2020 (the manager's form).
pub async fn period(
    app: &TestApp,
    session: &Session,
    class: &str,
    months: &str,
) -> (StatusCode, String) {
    post_text(
        app,
        "/settings/retention",
        session,
        &[
            ("class", class),
            ("valid_from", "01.01.2020"),
            ("valid_to", ""),
            ("months", months),
            ("source", "Instrukcja kancelaryjna CIS, kat. B10"),
        ],
    )
    .await
}

/// The scan as the server runs it (the app's own pool and clock).
pub async fn scan(app: &TestApp) -> ScanSummary {
    scan_all(&app.state.db, app.state.today()).await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

/// The report's graduates as graduates on file, registered in 2023.
pub async fn graduates_on_file(app: &TestApp, ids: &[Uuid]) {
    sqlx::query(
        "update participant p set status = 'graduate', created_at = '2023-01-02',
             ended_on = (select max(changed_on) from participant_status_change s where s.participant_id = p.participant_id)
         where participant_id = any($1)",
    )
    .bind(ids)
    .execute(&app.db)
    .await
    .unwrap();
}

/// Free text of every kind on `id`'s file, each holding `secret`: a note, a recruitment
/// document, a signed IPZS with a scan and a monitoring entry, a signed-off opinion, a contact
/// with its answers, a bonus justification and a rectification.
async fn free_text(app: &TestApp, id: Uuid, secret: &str) {
    let author = app.user_id("socjalny1").await;
    let manager = app.user_id("kierownik").await;
    for sql in [
        "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body, visibility)
         select centre_id, participant_id, $2, '2024-06-01', 'conversation', 'Rozmowa ' || $3, 'Mówił o ' || $3, 'team'
         from participant where participant_id = $1",
        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
         select participant_id, centre_id, 'environmental_interview', '2023-01-05', 'Wywiad: ' || $3, $2
         from participant where participant_id = $1",
        "with d as (insert into document (centre_id, participant_id, kind, status, author_id)
                    select centre_id, participant_id, 'ipzs', 'closed', $2 from participant where participant_id = $1
                    returning document_id, centre_id),
              v as (insert into document_version (document_id, number, status, sections, created_by)
                    select document_id, 1, 'closed', jsonb_build_array(jsonb_build_array('diagnosis', 'Diagnoza: ' || $3)), $2 from d
                    returning document_id),
              m as (insert into document_monitoring (document_id, centre_id, version, phase, entry_on, situation, goals, author_id)
                    select v.document_id, d.centre_id, 1, 'end', '2024-01-20', 'Sytuacja: ' || $3,
                           jsonb_build_array(jsonb_build_object('goal', 'goal.1', 'assessment', 'approaching', 'comment', 'Uwagi: ' || $3)), $2
                    from v, d returning document_id)
         insert into document_scan (document_id, version, centre_id, media_type, file_name, content, uploaded_by)
         select m.document_id, 1, d.centre_id, 'application/pdf', 'ipzs.pdf', convert_to('%PDF-1.4 ' || $3, 'UTF8'), $2 from m, d",
        "insert into follow_up_contact (participant_id, centre_id, contacted_on, reached, form, partner, partner_name,
             employment, community, skills, problems, actions, recorded_by, recorded_at)
         select participant_id, centre_id, '2024-07-01', true, 'partner', 'other', 'Fundacja ' || $3, 'employed',
                'Sąsiedzi: ' || $3, 'Umie: ' || $3, 'Kłopot: ' || $3, 'Działanie: ' || $3, $2, '2024-07-02'
         from participant where participant_id = $1",
        "insert into participant_rectification (participant_id, centre_id, field, old_value, new_value, changed_by)
         select participant_id, centre_id, 'Nazwisko', $3, surname, $2 from participant where participant_id = $1",
    ] {
        sqlx::query(sql)
            .bind(id)
            .bind(author)
            .bind(secret)
            .execute(&app.db)
            .await
            .unwrap();
    }
    sqlx::query(
        "insert into bonus_decision (participant_id, month, centre_id, amount_grosze, justification, proposed_by, granted, decided_by)
         select participant_id, '2023-05-01', centre_id, 20000, 'Za postawę: ' || $3, $2, true, $4
         from participant where participant_id = $1",
    )
    .bind(id)
    .bind(author)
    .bind(secret)
    .bind(manager)
    .execute(&app.db)
    .await
    .unwrap();
    crate::opinions::fixture_opinion(app, id, "instructor", "instruktor", "socjalny1", false).await;
    sqlx::query(
        "update opinion set sections = sections || jsonb_build_array(jsonb_build_array('note', $2::text))
         where participant_id = $1 and status = 'requested'",
    )
        .bind(id)
        .bind(format!("Opinia: {secret}"))
        .execute(&app.db)
        .await
        .unwrap();
    // Signed off: frozen from then on.
    sqlx::query(
        "update opinion set status = 'signed_off', signed_off_at = now() where participant_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
}

/// A frozen benefit statement of May 2023 on `id`'s file: an attendance and benefit record.
async fn benefit_statement(app: &TestApp, id: Uuid) {
    sqlx::query(
        "insert into benefit_statement (participant_id, month, revision, centre_id, base_grosze, benefit_grosze, bonus_grosze, explanation)
         select participant_id, '2023-05-01', 1, centre_id, 179028, 179028, 20000, '{}' from participant where participant_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
}

/// Every row of the tables the anonymisation touches that belongs to `id`, as text.
async fn rows_of(app: &TestApp, id: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "select to_jsonb(t)::text from participant t where participant_id = $1
         union all select to_jsonb(t)::text from participant_status_change t where participant_id = $1
         union all select to_jsonb(t)::text from recruitment_document t where participant_id = $1
         union all select to_jsonb(t)::text from case_note t where participant_id = $1
         union all select to_jsonb(t)::text from document_version t join document d using (document_id) where d.participant_id = $1
         union all select to_jsonb(t)::text from document_monitoring t join document d using (document_id) where d.participant_id = $1
         union all select encode(t.content, 'escape') from document_scan t join document d using (document_id) where d.participant_id = $1
         union all select to_jsonb(t)::text from opinion t where participant_id = $1
         union all select to_jsonb(t)::text from bonus_decision t where participant_id = $1
         union all select to_jsonb(t)::text from follow_up_contact t where participant_id = $1
         union all select to_jsonb(t)::text from participant_rectification t where participant_id = $1",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_file_past_its_period_is_listed_then_anonymised_after_confirmation_and_the_report_adds_up()
 {
    // Arrange: six graduates past a one-month period; G2 under a hold.
    let app = spawn_app().await;
    let g = fixture(&app).await.graduates;
    graduates_on_file(&app, &g).await;
    let pesel_g1: String =
        sqlx::query_scalar("select pesel from participant where participant_id = $1")
            .bind(g[0])
            .fetch_one(&app.db)
            .await
            .unwrap();
    let secret = "Zakopiańska-Tajemnica";
    free_text(&app, g[0], secret).await;
    benefit_statement(&app, g[0]).await;
    let manager = app.login("kierownik").await;
    let before = report(&app, &manager).await;
    let hold = format!("/participants/{}/holds", g[1]);
    let (status, _) = post_text(
        &app,
        &hold,
        &manager,
        &[("reason", "Postępowanie sądowe I C 12/26"), ("until", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Without a period nothing is due, and the file's page says why.
    assert_eq!(scan(&app).await.found, 0);
    let (_, page) = body(&app, &format!("/participants/{}/retention", g[0]), &manager).await;
    assert!(
        page.contains("nie obowiązuje żaden okres przechowywania"),
        "{page}"
    );

    let (status, _) = period(&app, &manager, "graduate_file", "1").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // G3–G6 are due; G2 is held; G1's benefit statement is a record whose period must pass too.
    assert_eq!(scan(&app).await.found, 4);
    let (status, _) = period(&app, &manager, "benefit_records", "12").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Act: the scan finds G1 now, not the held G2; a second run changes nothing.
    assert_eq!(scan(&app).await.found, 1);
    let reviews = count(&app, "select count(*) from retention_review").await;
    let found = app.audit_count("retention.found", Some("success")).await;
    assert_eq!((reviews, found), (5, 5));
    assert_eq!(
        scan(&app).await,
        ScanSummary {
            centres: 2,
            found: 0
        }
    );
    assert_eq!(
        count(&app, "select count(*) from retention_review").await,
        reviews
    );
    assert_eq!(
        app.audit_count("retention.found", Some("success")).await,
        found
    );

    // The list names the files due, not the held one (listed under the holds); viewing it is
    // audited.
    let (status, list) = body(&app, "/retention", &manager).await;
    assert_eq!(status, StatusCode::OK);
    let (due, holds) = list.split_once("id=\"holds-h\"").unwrap();
    assert!(due.contains("Do przeglądu (5)"), "{due}");
    for n in [1, 3, 4, 5, 6] {
        assert!(due.contains(&format!("Absolwent{n} Jan")), "{due}");
    }
    assert!(!due.contains("Absolwent2 Jan"));
    assert!(holds.contains("Absolwent2 Jan") && holds.contains("Postępowanie sądowe I C 12/26"));
    let (_, home) = body(&app, "/", &manager).await;
    assert!(
        home.contains("Teczki po okresie przechowywania (5)"),
        "{home}"
    );

    // Without the confirmation nothing changes: the confirmation page says what will happen.
    let path = format!("/participants/{}/anonymise", g[0]);
    let (status, confirm) = post_text(&app, &path, &manager, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        confirm.contains("Tak, zanonimizuj teczkę") && confirm.contains("Tego nie można cofnąć")
    );
    assert!(rows_of(&app, g[0]).await.iter().any(|r| r.contains(secret)));
    let audit_rows = count(&app, "select count(*) from audit_event").await;

    let (status, _) = post_text(&app, &path, &manager, &[("confirm", "tak")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Assert: no name, PESEL or free text left in any table; the scan deleted; kept figures.
    let rows = rows_of(&app, g[0]).await;
    for gone in [
        secret,
        "Absolwent1",
        pesel_g1.as_str(),
        "Testowo",
        "Rekrutacja",
    ] {
        assert!(
            !rows.iter().any(|r| r.contains(gone)),
            "{gone} left in {rows:#?}"
        );
    }
    let scans: i64 = sqlx::query_scalar(
        "select count(*) from document_scan s join document d using (document_id) where d.participant_id = $1",
    )
    .bind(g[0])
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(scans, 0);
    let kept: (String, Vec<String>, i32, i64, String) = sqlx::query_as(
        "select p.status::text, p.categories::text[], extract(year from p.birth_date)::int,
                (select count(*) from participant_status_change s where s.participant_id = p.participant_id),
                (select string_agg(employment::text, ',' order by contacted_on) from follow_up_contact c where c.participant_id = p.participant_id)
         from participant p where participant_id = $1",
    )
    .bind(g[0])
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(kept.0, "graduate");
    assert_eq!(kept.1, ["long_term_unemployed"]);
    assert_eq!(kept.2, 1980);
    assert_eq!(kept.3, 3);
    assert_eq!(
        kept.4,
        "employed,employed,registered_unemployed,employed,self_employed,not_working"
    );
    let amounts: (i64, i64) = sqlx::query_as(
        "select (select sum(amount_grosze) from bonus_decision where participant_id = $1),
                (select sum(benefit_grosze + bonus_grosze) from benefit_statement where participant_id = $1)",
    )
    .bind(g[0])
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(amounts, (20000, 179028 + 20000));
    // The audit log is only appended to: the anonymisation's own row.
    assert_eq!(
        count(&app, "select count(*) from audit_event").await,
        audit_rows + 1
    );
    assert_eq!(
        app.audit_count("retention.anonymise", Some("success"))
            .await,
        1
    );
    // The past report is the same, figure by figure.
    assert_eq!(report(&app, &manager).await, before);
    let (_, page) = body(&app, &format!("/participants/{}/retention", g[0]), &manager).await;
    assert!(
        page.contains("Przechowywanie teczki: Zanonimizowano Osoba"),
        "{page}"
    );
    assert!(page.contains("<dt>Zanonimizowano</dt>") && page.contains("Kinga Kierownik"));
    assert!(!page.contains("Zanonimizuj teczkę") && !page.contains("Załóż blokadę"));
    let (_, page) = body(&app, &format!("/participants/{}/retention", g[1]), &manager).await;
    assert!(
        page.contains("Teczka jest objęta blokadą (bezterminowo)"),
        "{page}"
    );
    assert!(page.contains("Zdejmij blokadę") && !page.contains("Zanonimizuj teczkę"));

    // The held file cannot be anonymised; rerunning the scan changes nothing.
    let held = format!("/participants/{}/anonymise", g[1]);
    let (status, _) = post_text(&app, &held, &manager, &[("confirm", "tak")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let surname: String =
        sqlx::query_scalar("select surname from participant where participant_id = $1")
            .bind(g[1])
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(surname, "Absolwent2");
    assert_eq!(scan(&app).await.found, 0);
    // Lifted, the hold lets the next scan find the file.
    let (status, _) = post_text(&app, &format!("{hold}/lift"), &manager, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(scan(&app).await.found, 1);
    assert_eq!(app.audit_count("retention.hold", Some("success")).await, 1);
    assert_eq!(
        app.audit_count("retention.hold_lift", Some("success"))
            .await,
        1
    );
}

#[tokio::test]
async fn a_hold_without_a_reason_is_refused_in_polish_and_nothing_is_written() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Blokowana", Some("socjalny1"), None)
        .await;
    let manager = app.login("kierownik").await;
    let path = format!("/participants/{id}/holds");
    let (status, page) = post_text(
        &app,
        &path,
        &manager,
        &[("reason", "  "), ("until", "01.01.2020")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Podaj powód blokady (do 500 znaków)"),
        "{page}"
    );
    assert!(
        page.contains("Data nie może być wcześniejsza niż dziś"),
        "{page}"
    );
    // The input is kept.
    assert!(page.contains("value=\"01.01.2020\""), "{page}");
    assert_eq!(count(&app, "select count(*) from retention_hold").await, 0);
    assert_eq!(app.audit_count("retention.hold", None).await, 0);
}

#[tokio::test]
async fn a_period_that_is_not_a_number_is_refused_in_polish_and_nothing_is_written() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let (_, page) = body(&app, "/settings/retention", &manager).await;
    assert!(
        page.contains("żadna teczka tego rodzaju nie trafi do przeglądu"),
        "{page}"
    );
    let (status, page) = period(&app, &manager, "graduate_file", "pięć lat").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Podaj okres w pełnych miesiącach: liczbę od 1 do 1200"),
        "{page}"
    );
    assert!(page.contains("value=\"pięć lat\""), "{page}");
    assert_eq!(count(&app, "select count(*) from retention_rule").await, 0);
    assert_eq!(app.audit_count("retention.rules", None).await, 0);
    // The same date twice for a class: refused with a message, the first row kept.
    assert_eq!(
        period(&app, &manager, "graduate_file", "120").await.0,
        StatusCode::SEE_OTHER
    );
    let (status, page) = period(&app, &manager, "graduate_file", "60").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("już wpisany"), "{page}");
    assert_eq!(
        count(
            &app,
            "select count(*) from retention_rule where months = 120"
        )
        .await,
        1
    );
    assert_eq!(count(&app, "select count(*) from retention_rule").await, 1);
}

#[tokio::test]
async fn the_app_role_cannot_rewrite_a_frozen_file_by_setting_the_mark_itself() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Zamrożona", Some("socjalny1"), None)
        .await;
    free_text(&app, id, "Zostaje").await;
    // As the application role working for the file's centre, with the anonymisation's mark
    // set by hand.
    let centre = app.centre_id(CENTRE_A).await;
    let mut tx = app.state.db.begin().await.unwrap();
    teczka::db::rls::enter(&mut tx, centre).await.unwrap();
    sqlx::query("select set_config('teczka.anonymising', $1, true)")
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let frozen = sqlx::query(
        "update document_version set sections = '[]' where document_id in (select document_id from document where participant_id = $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await;
    assert!(frozen.unwrap_err().to_string().contains("frozen"));
    drop(tx);
    // And the function refuses a file that was not found due.
    let manager = app.user_id("kierownik").await;
    let refused = teczka::db::rls::scope(
        centre,
        sqlx::query("select anonymise_participant($1, centre_id, $2, current_date) from participant where participant_id = $1")
            .bind(id)
            .bind(manager)
            .execute(&app.state.db),
    )
    .await;
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("not due for review")
    );
    assert!(
        rows_of(&app, id)
            .await
            .iter()
            .any(|r| r.contains("Zostaje"))
    );
}
