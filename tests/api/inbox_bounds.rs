//! "Do zrobienia" stays one fast page whatever the caseload (issue 12): each group reads up to
//! its cap and then says so, rather than counting tens of thousands of people on every visit.
//! The caps: a group's day counts its missing people up to 30 ("ponad 30 os."); the follow-up
//! group reads the first 100 open items ("co najmniej"); the caseload is read up to 200 people
//! ("co najmniej"); the participants' due groups count up to 100 ("ponad 100"), and so do the
//! documents' monitoring groups. Each group shows its first five and links to its full list.

use time::Duration;

use crate::helpers::*;

#[tokio::test]
async fn a_big_caseloads_start_counts_up_to_its_caps_and_says_so() {
    let app = spawn_app().await;
    let today = today(&app).await;
    let big = app.workshop(CENTRE_A, "Pracownia duża", None).await;
    let small = app.workshop(CENTRE_A, "Pracownia mała", None).await;
    // 31 members of the big workshop and 2 of the small one, none with attendance entered;
    // 167 more people, so that the caseload holds 200 active participants.
    for n in 0..200 {
        let workshop = match n {
            0..31 => Some(big),
            31..33 => Some(small),
            _ => None,
        };
        app.fixture_participant(
            CENTRE_A,
            &format!("Liczna{n:03}"),
            Some("socjalny1"),
            workshop,
        )
        .await;
    }
    // 101 of them (none in a workshop) in their trial period, ending tomorrow.
    sqlx::query(
        "update participant set status = 'trial', trial_ends_on = $1
         where participant_id in (select participant_id from participant
                                  where surname >= 'Liczna033' and surname like 'Liczna%'
                                  order by surname limit 101)",
    )
    .bind(today + Duration::days(1))
    .execute(&app.db)
    .await
    .unwrap();
    // 101 graduates under follow-up, each with one contact overdue by 30 days.
    for n in 0..101 {
        let id = app
            .fixture_participant(
                CENTRE_A,
                &format!("Absolwent{n:03}"),
                Some("socjalny1"),
                None,
            )
            .await;
        sqlx::query(
            "with g as (update participant set status = 'graduate', ended_on = $2 - 120,
                            graduation_outcome = 'period_elapsed', follow_up_until = $2 + 900
                        where participant_id = $1 returning participant_id, centre_id)
             insert into follow_up (participant_id, centre_id, sequence, due_on)
             select participant_id, centre_id, 1, $2 - 30 from g",
        )
        .bind(id)
        .bind(today)
        .execute(&app.db)
        .await
        .unwrap();
    }

    // 101 of them with a programme running, signed 200 days ago or earlier, never monitored:
    // every one's entry is overdue; the earliest signed is "Liczna000".
    sqlx::query(
        "with p as (select participant_id, centre_id, row_number() over (order by surname) as n
                    from participant where surname like 'Liczna%' order by surname limit 101),
              d as (insert into document (centre_id, participant_id, kind, status, author_id)
                    select p.centre_id, p.participant_id, 'ipzs', 'in_realization', u.staff_user_id
                    from p, staff_user u where u.login = 'socjalny1' returning document_id, participant_id, author_id),
              v as (insert into document_version (document_id, number, status, created_by)
                    select document_id, 1, 'in_realization', author_id from d returning document_id)
         insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
         select d.document_id, 1, 'participant', p.centre_id, $1 - 300 + p.n::int, d.author_id
         from d join p using (participant_id) join v using (document_id)",
    )
    .bind(today)
    .execute(&app.db)
    .await
    .unwrap();
    let oldest: uuid::Uuid = sqlx::query_scalar(
        "select document_id from document join participant using (participant_id)
         where surname = 'Liczna000'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let worker = app.login("socjalny1").await;
    let home = app.get("/", Some(&worker)).await.text().await.unwrap();
    assert!(
        home.contains("brak wpisu obecności: ponad 30 os.")
            && home.contains("brak wpisu obecności: 2 os."),
        "{home}"
    );
    assert!(
        home.contains("Kontakty z absolwentami – w tym miesiącu i zaległe (co najmniej 100)"),
        "{home}"
    );
    assert!(home.contains("Moi podopieczni (co najmniej 200)"), "{home}");
    assert!(home.contains("/participants?worker=me"));
    assert!(
        home.contains("Okres próbny kończy się w ciągu 7 dni lub minął (ponad 100)"),
        "{home}"
    );
    // Each group shows its first five, the earliest first, says so and links to its full
    // list: the follow-up group's items link to the contact form.
    assert_eq!(home.matches("/follow-ups/contact\"").count(), 5, "{home}");
    assert_eq!(home.matches("Pokazano pierwszych 5.").count(), 5, "{home}");
    for list in [
        "/follow-ups\"",
        "/attendance\"",
        "/participants?status=trial\"",
        "/participants?worker=me\"",
    ] {
        assert!(home.contains(list), "{list}: {home}");
    }
    // The programmes' monitoring: read up to its cap along the kept days, the most overdue
    // first.
    assert!(
        home.contains("Monitoring IPZS do wpisania (ponad 100)"),
        "{home}"
    );
    assert_eq!(home.matches("/monitoring\"").count(), 5, "{home}");
    let first = home.find("/monitoring\"").unwrap();
    assert!(
        home[..first].ends_with(&format!("/ipzs/{oldest}")),
        "{home}"
    );
    // The caseload is a list to look things up in: its first five, the rest on its page.
    let caseload = &home[home.find("Moi podopieczni").unwrap()..];
    assert_eq!(caseload.matches("<li").count(), 5, "{caseload}");
}

/// The number in a group's heading on Start ("Obecność do wpisania (12)" → "12").
fn heading_count(page: &str, heading: &str) -> Option<String> {
    let at = page.find(heading)? + heading.len();
    let rest = page[at..].strip_prefix(" (")?;
    Some(rest[..rest.find(')')?].to_owned())
}

#[tokio::test]
async fn a_caseload_of_tens_and_one_of_thousands_find_the_same_work_each_its_own_way() {
    let app = spawn_app().await;
    let centre = app.centre_id(CENTRE_A).await;
    let today = today(&app).await;
    // `teczka seed`'s crowd: socjalny1 gets 40 of the 2,500 people, socjalny2 the rest —
    // beyond `SMALL_CASELOAD`, so its Start reads from the groups and the open items in due
    // order, while socjalny1's reads from its people.
    let mut tx = app.db.begin().await.unwrap();
    teczka::demo::participants::generate(
        &mut tx,
        centre,
        2500,
        11,
        today,
        teczka::demo::participants::Generated::Bulk,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let days = teczka::domain::calendar::working_days(
        today - Duration::days(14),
        today - Duration::days(1),
        &[],
    );
    let window = teczka::follow_ups::schedule::timing(&app.db, centre, today)
        .await
        .unwrap()
        .window_days;
    for (login, big) in [("socjalny1", false), ("socjalny2", true)] {
        let worker = app.user_id(login).await;
        let caseload: i64 =
            sqlx::query_scalar("select count(*) from participant where social_worker_id = $1")
                .bind(worker)
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!(
            caseload > teczka::web::inbox::SMALL_CASELOAD,
            big,
            "{login}: {caseload}"
        );
        // Every (workshop, day) of the last two weeks with one of the caseload missing,
        // counted the plain way.
        let gaps: i64 = sqlx::query_scalar(
            "select count(*) from (select distinct m.workshop_id, d.day
               from participant p join workshop_membership m using (participant_id)
               join workshop w on w.workshop_id = m.workshop_id and w.active
               cross join unnest($2::date[]) d(day)
               where p.social_worker_id = $1 and m.member_from <= d.day
                 and (m.member_until is null or m.member_until >= d.day)
                 and p.admitted_on <= d.day and (p.ended_on is null or p.ended_on >= d.day)
                 and not exists (select 1 from centre_closed_day c where c.centre_id = p.centre_id and c.day = d.day)
                 and not exists (select 1 from attendance a where a.participant_id = p.participant_id and a.day = d.day)) g",
        )
        .bind(worker)
        .bind(&days)
        .fetch_one(&app.db)
        .await
        .unwrap();
        // The graduates with an open follow-up item due within the month's bound, and the
        // items (the group reads the first 100 items and then says "co najmniej").
        let (graduates, items): (i64, i64) = sqlx::query_as(
            "select count(distinct f.participant_id), count(*) from follow_up f
             join participant p using (participant_id)
             where p.social_worker_id = $1 and p.status = 'graduate' and p.follow_up_until >= $2
               and f.contacted_on is null and f.due_on <= $3",
        )
        .bind(worker)
        .bind(today)
        .bind(teczka::follow_ups::due::Bounds::on(today, window).due_by)
        .fetch_one(&app.db)
        .await
        .unwrap();
        let session = app.login(login).await;
        let page = app.text("/", &session).await;
        assert_eq!(
            heading_count(&page, "Obecność do wpisania"),
            Some(gaps.to_string()),
            "{login}"
        );
        let follow_ups =
            heading_count(&page, "Kontakty z absolwentami – w tym miesiącu i zaległe").unwrap();
        if items < 100 {
            assert_eq!(follow_ups, graduates.to_string(), "{login}");
        } else {
            let read: i64 = follow_ups
                .strip_prefix("co najmniej ")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{login}: {follow_ups}"));
            assert!(read > 0 && read <= graduates, "{login}: {follow_ups}");
        }
        assert!(gaps > 0, "{login}: the fixture holds missing attendance");
        assert!(graduates > 0, "{login}: the fixture holds follow-ups due");
    }
}
