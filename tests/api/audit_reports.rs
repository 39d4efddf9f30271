//! The data-protection officer's reports (issue 13, item 1): files opened outside the
//! caseload by the rule the page states, the unusual-day threshold (one over, one at it),
//! refusals, exports and prints; each row links to the narrowed search; reading is audited.

use reqwest::StatusCode;

use crate::audit_search::{DAY, event, unescape};
use crate::helpers::*;

#[tokio::test]
async fn the_reports_list_what_their_rules_say() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let mine = app
        .fixture_participant(CENTRE_A, "Moja", Some("socjalny1"), Some(workshop))
        .await;
    let theirs = app
        .fixture_participant(CENTRE_A, "Cudza", Some("socjalny2"), None)
        .await;
    // The history: Moja was socjalny2's until 10 days ago, then socjalny1's.
    let (sw1, sw2, boss) = (
        app.user_id("socjalny1").await,
        app.user_id("socjalny2").await,
        app.user_id("kierownik").await,
    );
    sqlx::query(
        "insert into social_worker_change (participant_id, centre_id, from_worker, to_worker, changed_by, changed_at)
         select $1, centre_id, null, $2, $4, now() - interval '100 days' from participant where participant_id = $1
         union all
         select $1, centre_id, $2, $3, $4, now() - interval '10 days' from participant where participant_id = $1",
    )
    .bind(mine)
    .bind(sw2)
    .bind(sw1)
    .bind(boss)
    .execute(&app.db)
    .await
    .unwrap();
    let view = "participant.view";
    // In the caseload: socjalny1 on Moja 5 days ago, socjalny2 on Moja 20 days ago (theirs
    // then), the instructor on a member, the manager and the psychologist anywhere.
    let ok = [
        event(
            &app,
            "socjalny1",
            view,
            "success",
            Some(mine),
            5 * DAY,
            "identity",
        )
        .await,
        event(
            &app,
            "socjalny2",
            view,
            "success",
            Some(mine),
            20 * DAY,
            "identity",
        )
        .await,
        event(
            &app,
            "instruktor",
            view,
            "success",
            Some(mine),
            3 * DAY,
            "identity",
        )
        .await,
        event(
            &app,
            "kierownik",
            view,
            "success",
            Some(theirs),
            3 * DAY,
            "identity",
        )
        .await,
        event(
            &app,
            "psycholog",
            view,
            "success",
            Some(theirs),
            3 * DAY,
            "identity",
        )
        .await,
        // Current worker, no history for Cudza at all.
        event(
            &app,
            "socjalny2",
            view,
            "success",
            Some(theirs),
            2 * DAY,
            "identity",
        )
        .await,
    ];
    // Outside: socjalny1 on Moja 20 days ago (before it was theirs), socjalny2 on Moja 5 days
    // ago (after it left), the instructor on Cudza (no membership).
    let outside = [
        event(
            &app,
            "socjalny1",
            view,
            "success",
            Some(mine),
            20 * DAY + 60,
            "identity",
        )
        .await,
        event(
            &app,
            "socjalny2",
            view,
            "success",
            Some(mine),
            5 * DAY + 60,
            "identity",
        )
        .await,
        event(
            &app,
            "instruktor",
            view,
            "success",
            Some(theirs),
            4 * DAY,
            "identity",
        )
        .await,
    ];
    let _ = ok;
    // Unusual days: the career advisor opens 26 files on one day (over 25), the manager exactly
    // 25 on another.
    let mut people = Vec::new();
    for i in 0..26 {
        people.push(
            app.fixture_participant(CENTRE_A, &format!("Osoba{i:02}"), None, None)
                .await,
        );
    }
    // The career advisor's views from noon a week ago (Polish time), so that all of them fall
    // on one Polish day whatever the hour the test runs at (from 00:00 they would straddle
    // midnight).
    let noon: i64 = sqlx::query_scalar(
        "select (extract(epoch from now() - ((now() at time zone 'Europe/Warsaw')::date + time '12:00')
                                            at time zone 'Europe/Warsaw') / 60)::bigint",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let at_noon = 7 * DAY + noon;
    for (i, p) in people.iter().enumerate() {
        event(
            &app,
            "doradca",
            view,
            "success",
            Some(*p),
            at_noon - i as i64,
            "identity",
        )
        .await;
        // A second view of the same file the same day does not count twice.
        event(
            &app,
            "doradca",
            view,
            "success",
            Some(*p),
            at_noon - i as i64 - 1,
            "identity",
        )
        .await;
    }
    for p in people.iter().take(25) {
        event(
            &app,
            "kierownik",
            view,
            "success",
            Some(*p),
            8 * DAY,
            "identity",
        )
        .await;
    }
    // Refusals, exports and prints.
    let denied = event(
        &app,
        "instruktor",
        "benefit.export",
        "denied",
        None,
        2 * DAY,
        "",
    )
    .await;
    let export = event(
        &app,
        "kierownik",
        "benefit.export",
        "success",
        None,
        2 * DAY,
        "pup.csv",
    )
    .await;
    let print = event(
        &app,
        "kierownik",
        view,
        "success",
        Some(theirs),
        2 * DAY,
        "print,identity",
    )
    .await;
    let printed_doc = event(
        &app,
        "socjalny1",
        "document.print",
        "success",
        Some(mine),
        2 * DAY,
        "",
    )
    .await;
    let dpo = app.login("iod").await;
    let today = today(&app).await;
    let (status, page) = body(
        &app,
        &format!(
            "/data-protection?from={}&to={}",
            iso(today - time::Duration::days(30)),
            iso(today)
        ),
        &dpo,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let section = |title: &str| -> String {
        let start = page.find(title).unwrap();
        let end = page[start..].find("</section>").unwrap();
        unescape(&page[start..start + end])
    };
    let outside_rows = section("Teczki otwarte poza przydziałem");
    // Three rows: each names its person and links to that day's events of the file.
    assert_eq!(
        outside_rows.matches("<tr><td>").count(),
        3,
        "{outside_rows}"
    );
    assert_eq!(outside_rows.matches("Moja Jan").count(), 2);
    assert_eq!(outside_rows.matches("Cudza Jan").count(), 1);
    assert!(outside_rows.contains(&format!(
        "participant={theirs}&staff={}",
        app.user_id("instruktor").await
    )));
    assert!(!outside_rows.contains("Piotr Psycholog"));
    assert!(!outside_rows.contains("Kinga Kierownik"));
    let _ = outside;
    let busy = section("Nietypowa liczba otwartych teczek");
    assert_eq!(busy.matches("<tr><td>").count(), 1, "{busy}");
    assert!(busy.contains("Dorota Doradca"));
    assert!(busy.contains("<td>26</td>"));
    assert!(!busy.contains("Kinga Kierownik"));
    // At a threshold of 24, both days.
    let (_, page24) = body(
        &app,
        &format!(
            "/data-protection?from={}&to={}&threshold=24",
            iso(today - time::Duration::days(30)),
            iso(today)
        ),
        &dpo,
    )
    .await;
    let start = page24.find("Nietypowa liczba").unwrap();
    let busy24 = &page24[start..start + page24[start..].find("</section>").unwrap()];
    assert_eq!(busy24.matches("<tr><td>").count(), 2);
    let refused = section("Odmowy dostępu");
    assert_eq!(refused.matches("<tr><td>").count(), 1, "{refused}");
    assert!(refused.contains("Eksport list świadczeń") && refused.contains("Igor Instruktor"));
    assert!(refused.contains("outcome=denied"));
    let exports = section("Eksporty i wydruki");
    assert_eq!(exports.matches("<tr><td>").count(), 3, "{exports}");
    assert!(exports.contains("Wydruk dokumentu"));
    assert!(exports.contains("wydruk: imię, nazwisko i status"));
    let _ = (denied, export, print, printed_doc);
    // Both views of the reports are audited.
    assert_eq!(app.audit_count("audit.report", Some("success")).await, 2);
}
