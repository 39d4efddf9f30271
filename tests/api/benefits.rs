//! The monthly benefit through the real router and schema, with amounts computed by hand in
//! the test (base 1 783,90 zł × 120% = 2 140,68 zł, in force since 1 June 2026): a month
//! computed from attendance, closed (frozen), a change refused while closed, reopened with a
//! reason, corrected and closed again (a correction for the difference), recomputed under a
//! corrected parameter (a new revision and corrections, never a silent change); bonus decisions
//! within the cap and never in the trial month; who reads a statement.

use reqwest::StatusCode;
use time::Date;
use uuid::Uuid;

use crate::attendance::{group, last_working_day};
use crate::helpers::*;

/// The first day of the month before today's.
pub async fn previous_month(app: &TestApp) -> Date {
    let first = today(app).await.replace_day(1).unwrap();
    (first - time::Duration::days(1)).replace_day(1).unwrap()
}

pub fn code(month: Date) -> String {
    format!("{}-{:02}", month.year(), u8::from(month.month()))
}

/// Every working day of `month` recorded for `who`: present 7 h, except the first `absent`
/// days, which are unjustified absences.
pub async fn fill(app: &TestApp, workshop: Uuid, who: Uuid, month: Date, absent: usize) {
    let last = teczka::domain::calendar::month_end(month);
    let days = teczka::domain::calendar::working_days(month, last, &[]);
    let recorder = app.user_id("instruktor").await;
    for (i, day) in days.into_iter().enumerate() {
        let (status, minutes) = if i < absent { ("u", 0i16) } else { ("p", 420) };
        sqlx::query(
            "insert into attendance (participant_id, day, centre_id, workshop_id, status, minutes, recorded_by)
             select $1, $2, centre_id, $3, $4::\"char\", $5, $6 from participant where participant_id = $1",
        )
        .bind(who)
        .bind(day)
        .bind(workshop)
        .bind(status)
        .bind(minutes)
        .bind(recorder)
        .execute(&app.db)
        .await
        .unwrap();
    }
}

/// (participant, benefit, bonus) of the latest revision of `month`.
async fn frozen(app: &TestApp, month: Date) -> Vec<(Uuid, i32, i32, i32)> {
    sqlx::query_as(
        "select participant_id, benefit_grosze, bonus_grosze, revision from benefit_statement
         where month = $1 and revision = (select max(revision) from benefit_statement where month = $1)
         order by benefit_grosze desc",
    )
    .bind(month)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_month_is_closed_frozen_reopened_corrected_and_recomputed_never_silently() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let [a, b, c] = g.members;
    let month = previous_month(&app).await;
    fill(&app, g.workshop, a, month, 0).await;
    fill(&app, g.workshop, b, month, 1).await;
    fill(&app, g.workshop, c, month, 4).await;
    let manager = app.login("kierownik").await;
    let path = format!("/benefits/{}", code(month));

    // Computed before the close: a full month 2 140,68 zł; one unjustified day deducts 1/20
    // (107,034 → 107,03): 2 033,65 zł; four unjustified days (more than 3) forfeit the month.
    let (status, page) = body(&app, &path, &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2\u{a0}140,68\u{a0}zł"), "{page}");
    assert!(page.contains("2\u{a0}033,65\u{a0}zł"));

    // "Do zrobienia" asks the manager to close the ended month.
    let (_, home) = body(&app, "/", &manager).await;
    assert!(
        home.contains(&format!("href=\"{path}\"")) && home.contains("Zamknij miesiąc"),
        "{home}"
    );

    // Closing asks first, then freezes revision 1.
    let (status, page) = post_text(&app, &format!("{path}/close"), &manager, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Zamknąć miesiąc"));
    let response = app
        .post(
            &format!("{path}/close"),
            Some(&manager),
            &[("confirm", "tak")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        frozen(&app, month).await,
        vec![(a, 214068, 0, 1), (b, 203365, 0, 1), (c, 0, 0, 1)]
    );
    assert_eq!(app.audit_count("benefit.close", Some("success")).await, 1);

    // A closed month refuses attendance changes and bonus decisions.
    let day = teczka::domain::calendar::working_days(
        month,
        teczka::domain::calendar::month_end(month),
        &[],
    )[0];
    let sheet = format!("/attendance/{}/{}", g.workshop, iso(day));
    let fields = [
        ("p0", a.to_string()),
        ("s0", "present".into()),
        ("h0", "7".into()),
        ("r0", String::new()),
        ("p1", b.to_string()),
        ("s1", "present".into()),
        ("h1", "7".into()),
        ("r1", String::new()),
        ("p2", c.to_string()),
        ("s2", "unjustified".into()),
        ("h2", String::new()),
        ("r2", String::new()),
        ("reason", "Dostarczone usprawiedliwienie".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, page) = post_text(&app, &sheet, &manager, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("jest zamknięty"));
    let manager_id = app.user_id("kierownik").await.to_string();
    let bonus = [
        ("proposed_by", manager_id.as_str()),
        ("justification", "Postępy"),
        ("amount", "100"),
        ("decision", "granted"),
    ];
    let (status, page) = post_text(&app, &format!("{path}/{a}/bonus"), &manager, &bonus).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("jest zamknięty"));

    // Reopening needs a reason, then a confirmation.
    let (status, page) = post_text(
        &app,
        &format!("{path}/reopen"),
        &manager,
        &[("reason", " ")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Podaj powód ponownego otwarcia"));
    let reason = [
        ("reason", "Usprawiedliwienie B. dostarczone po zamknięciu"),
        ("confirm", "tak"),
    ];
    let response = app
        .post(&format!("{path}/reopen"), Some(&manager), &reason)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // B's unjustified day corrected to present; closed again: revision 2 and a correction of
    // +107,03 zł for B only, waiting for the next list for the PUP.
    let response = app.post(&sheet, Some(&manager), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app
        .post(
            &format!("{path}/close"),
            Some(&manager),
            &[("confirm", "tak")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        frozen(&app, month).await,
        vec![(a, 214068, 0, 2), (b, 214068, 0, 2), (c, 0, 0, 2)]
    );
    let corrections: Vec<(Uuid, i32, String, Option<Date>)> = sqlx::query_as(
        "select participant_id, benefit_diff_grosze, reason, pup_month from benefit_correction order by created_at",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        corrections,
        vec![(
            b,
            10703,
            "Usprawiedliwienie B. dostarczone po zamknięciu".into(),
            None
        )]
    );
    let (_, home) = body(&app, "/", &manager).await;
    assert!(home.contains("Korekty do wysłania do PUP: 1"), "{home}");

    // A corrected parameter (this centre's unemployment benefit from that month, 1 800,00 zł:
    // 120% = 2 160,00 zł) changes nothing by itself; the page says a recomputation differs.
    sqlx::query(
        "insert into unemployment_benefit (centre_id, valid_from, amount_grosze, source)
         select centre_id, $1, 180000, 'korekta testowa' from participant where participant_id = $2",
    )
    .bind(month)
    .bind(a)
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(frozen(&app, month).await[0].1, 214068);
    let (_, page) = body(&app, &path, &manager).await;
    assert!(page.contains("inne kwoty u 2 os."), "{page}");
    let (status, page) = post_text(
        &app,
        &format!("{path}/recompute"),
        &manager,
        &[("recompute_reason", "")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Podaj powód przeliczenia"));
    let response = app
        .post(
            &format!("{path}/recompute"),
            Some(&manager),
            &[
                ("recompute_reason", "Nowa kwota zasiłku"),
                ("confirm", "tak"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // 2 160,00 − 2 140,68 = 19,32 zł for A and B; C stays forfeited.
    assert_eq!(
        frozen(&app, month).await,
        vec![(a, 216000, 0, 3), (b, 216000, 0, 3), (c, 0, 0, 3)]
    );
    let diffs: Vec<(i32,)> = sqlx::query_as(
        "select benefit_diff_grosze from benefit_correction where reason = 'Nowa kwota zasiłku'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(diffs, vec![(1932,), (1932,)]);
    let (_, page) = body(&app, &path, &manager).await;
    assert!(page.contains("Nowa kwota zasiłku") && page.contains("czeka na najbliższą listę"));
}

#[tokio::test]
async fn a_bonus_is_refused_in_the_trial_month_and_above_the_cap() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let today = today(&app).await;
    let month = today.replace_day(1).unwrap();
    let trial = app
        .fixture_participant(CENTRE_A, "Nowicka", Some("socjalny1"), Some(g.workshop))
        .await;
    app.update_participant(trial, "status = 'trial', admitted_on = date_trunc('month', current_date)::date, trial_ends_on = (date_trunc('month', current_date) + interval '1 month')::date").await;
    let manager = app.login("kierownik").await;
    let proposer = app.user_id("instruktor").await.to_string();
    let post = |who: Uuid, amount: &'static str, decision: &'static str| {
        let path = format!("/benefits/{}/{who}/bonus", code(month));
        let proposer = proposer.clone();
        let app = &app;
        let manager = &manager;
        async move {
            let fields = [
                ("proposed_by", proposer.as_str()),
                ("justification", "Zaangażowanie w pracowni"),
                ("amount", amount),
                ("decision", decision),
            ];
            post_text(app, &path, manager, &fields).await
        }
    };
    // The trial month: no bonus (art. 15a), but a refusal may be recorded.
    let (status, page) = post(trial, "100,00", "granted").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("okresu próbnego"), "{page}");
    assert_eq!(
        post(trial, "100,00", "refused").await.0,
        StatusCode::SEE_OTHER
    );

    // The cap: 100% of 2 140,68 zł.
    let a = g.members[0];
    let (status, page) = post(a, "2140,69", "granted").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("najwyżej 2\u{a0}140,68\u{a0}zł"), "{page}");
    let (status, page) = post(a, "-5", "granted").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let count: i64 =
        sqlx::query_scalar("select count(*) from bonus_decision where participant_id = $1")
            .bind(a)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(count, 0);
    assert_eq!(post(a, "2140,68", "granted").await.0, StatusCode::SEE_OTHER);
    let (status, page) = body(&app, &format!("/benefits/{}/{a}", code(month)), &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("przyznano 2\u{a0}140,68\u{a0}zł"));

    // Only the manager decides.
    let worker = app.login("socjalny1").await;
    let fields = [
        ("proposed_by", proposer.as_str()),
        ("justification", "x"),
        ("amount", "1"),
        ("decision", "granted"),
    ];
    let response = app
        .post(
            &format!("/benefits/{}/{a}/bonus", code(month)),
            Some(&worker),
            &fields,
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_statement_is_read_by_the_manager_and_the_caseworker_and_every_read_is_audited() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let day = last_working_day(&app).await;
    let month = day.replace_day(1).unwrap();
    fill(&app, g.workshop, g.members[0], month, 0).await;
    let path = |who: Uuid| format!("/benefits/{}/{who}", code(month));
    let worker = app.login("socjalny1").await;
    let (status, page) = body(&app, &path(g.members[0]), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Wyliczenie krok po kroku") && page.contains("Rozliczenie wstępne"));
    // Another caseload: not found; the instructor: forbidden; another centre: not found.
    assert_eq!(
        body(&app, &path(g.members[2]), &worker).await.0,
        StatusCode::NOT_FOUND
    );
    let instructor = app.login("instruktor").await;
    assert_eq!(
        body(&app, &path(g.members[0]), &instructor).await.0,
        StatusCode::FORBIDDEN
    );
    let stranger = app.login("kierownik2").await;
    assert_eq!(
        body(&app, &path(g.members[0]), &stranger).await.0,
        StatusCode::NOT_FOUND
    );
    // The print for the participant.
    let (status, page) = body(&app, &format!("{}/print", path(g.members[0])), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Rozliczenie świadczenia integracyjnego"));
    let reads: Vec<(String,)> = sqlx::query_as(
        "select detail from audit_event where action = 'benefit.statement' and outcome = 'success' and participant_id = $1 order by occurred_at",
    )
    .bind(g.members[0])
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(reads.len(), 2);
    assert!(reads[1].0.starts_with("print"));
    // The social worker does not run the month.
    assert_eq!(
        body(&app, &format!("/benefits/{}", code(month)), &worker)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_closed_statement_still_shows_for_someone_a_change_has_taken_out_of_the_month() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let [a, _, _] = g.members;
    let month = previous_month(&app).await;
    fill(&app, g.workshop, a, month, 0).await;
    let manager = app.login("kierownik").await;
    let path = format!("/benefits/{}", code(month));
    let closed = app
        .post(
            &format!("{path}/close"),
            Some(&manager),
            &[("confirm", "tak")],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let period = format!(
        "{} – {}",
        polish(month),
        polish(teczka::domain::calendar::month_end(month))
    );
    // The admission corrected to the month's 10th: the closed statement keeps its own days
    // beside its amounts, and says that today's computation differs.
    let tenth = month.replace_day(10).unwrap();
    app.update_participant(a, &format!("admitted_on = '{}'", iso(tenth)))
        .await;
    let (status, page) = body(&app, &format!("{path}/{a}"), &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&period) && page.contains("2\u{a0}140,68\u{a0}zł"),
        "{page}"
    );
    assert!(page.contains("daje inne kwoty niż zamknięte rozliczenie"));
    // The admission is corrected to the first day after the month: today's computation no
    // longer holds the person in it, but what was closed (and paid) still stands.
    let after = teczka::domain::calendar::month_end(month)
        .next_day()
        .unwrap();
    app.update_participant(a, &format!("admitted_on = '{}'", iso(after)))
        .await;
    let (status, page) = body(&app, &format!("{path}/{a}"), &manager).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("2\u{a0}140,68\u{a0}zł"), "{page}");
    assert!(page.contains("ta osoba nie uczestniczyła w tym miesiącu"));
    assert!(page.contains(&period), "{page}");
    // The print for the participant says so too.
    let (status, print) = body(&app, &format!("{path}/{a}/print"), &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        print.contains("Rozliczenie zamknięte. Według obecnych danych ta osoba nie uczestniczyła")
    );
}
