//! Attendance through the real router and schema: a group's day saved in one POST (a row for
//! every member, atomically), corrections after the day with a reason (audited), a closed month
//! refusing changes, wrong lines refused with a Polish message and nothing saved, who keeps
//! which group, the month grid, its print and a participant's calendar.

use reqwest::StatusCode;
use time::Date;
use uuid::Uuid;

use crate::helpers::*;

/// The last working day before today (weekends and public holidays skipped).
pub async fn last_working_day(app: &TestApp) -> Date {
    let today = today(app).await;
    let from = today - time::Duration::days(14);
    let days = teczka::domain::calendar::working_days(from, today - time::Duration::days(1), &[]);
    *days.last().unwrap()
}

/// A workshop run by `instruktor` in centre A with a plan of 7 h Monday to Friday, and three
/// members (two of socjalny1's caseload, one of socjalny2's).
pub struct Group {
    pub workshop: Uuid,
    pub members: [Uuid; 3],
}

pub async fn group(app: &TestApp) -> Group {
    let workshop = app
        .workshop(CENTRE_A, "Pracownia stolarska", Some("instruktor"))
        .await;
    sqlx::query(
        "insert into activity_plan (workshop_id, centre_id, valid_from, weekday, activity_type_id, minutes)
         select $1, w.centre_id, date '2020-01-01', d, t.activity_type_id, 420
         from workshop w, generate_series(1, 5) d, activity_type t
         where w.workshop_id = $1 and t.code = 'workshop' and t.centre_id is null",
    )
    .bind(workshop)
    .execute(&app.db)
    .await
    .unwrap();
    let a = app
        .fixture_participant(CENTRE_A, "Adamczyk", Some("socjalny1"), Some(workshop))
        .await;
    let b = app
        .fixture_participant(CENTRE_A, "Borowska", Some("socjalny1"), Some(workshop))
        .await;
    let c = app
        .fixture_participant(CENTRE_A, "Cieślak", Some("socjalny2"), Some(workshop))
        .await;
    Group {
        workshop,
        members: [a, b, c],
    }
}

/// The posted lines for `members` with `(status, hours, reason)` each.
fn lines(members: &[Uuid], values: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (i, (id, (status, hours, reason))) in members.iter().zip(values).enumerate() {
        fields.push((format!("p{i}"), id.to_string()));
        fields.push((format!("s{i}"), (*status).to_owned()));
        fields.push((format!("h{i}"), (*hours).to_owned()));
        fields.push((format!("r{i}"), (*reason).to_owned()));
    }
    fields
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// (participant, status code, minutes) of every entry of `day`, in member order.
async fn entries(app: &TestApp, day: Date) -> Vec<(Uuid, String, i16)> {
    sqlx::query_as(
        "select a.participant_id, a.status::text, a.minutes from attendance a
         join participant p using (participant_id) where a.day = $1 order by p.surname",
    )
    .bind(day)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_groups_day_is_saved_in_one_post_and_a_later_change_needs_a_reason() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let day = last_working_day(&app).await;
    let path = format!("/attendance/{}/{}", g.workshop, iso(day));
    let instructor = app.login("instruktor").await;

    // Everyone is listed as present with the planned 7 hours.
    let (status, page) = body(&app, &path, &instructor).await;
    assert_eq!(status, StatusCode::OK);
    for name in ["Adamczyk", "Borowska", "Cieślak"] {
        assert!(page.contains(name), "{name}");
    }
    assert_eq!(page.matches(r#"value="7""#).count(), 3);
    assert!(page.matches(r#"<option value="present" selected>"#).count() == 3);

    // The exceptions changed, the whole group in one POST.
    let fields = lines(
        &g.members,
        &[
            ("present", "7", ""),
            ("sick", "", ""),
            ("justified", "", "family_care"),
        ],
    );
    let response = app.post(&path, Some(&instructor), &refs(&fields)).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    assert_eq!(
        entries(&app, day).await,
        vec![
            (g.members[0], "p".into(), 420),
            (g.members[1], "s".into(), 0),
            (g.members[2], "j".into(), 0),
        ]
    );
    assert_eq!(
        app.audit_count("attendance.record", Some("success")).await,
        1
    );

    // Changing a past day without a reason is refused, and nothing changes.
    let changed = lines(
        &g.members,
        &[
            ("present", "7", ""),
            ("unjustified", "", ""),
            ("justified", "", "family_care"),
        ],
    );
    let (status, page) = post_text(&app, &path, &instructor, &refs(&changed)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Podaj powód korekty"), "{page}");
    assert_eq!(entries(&app, day).await[1].1, "s");

    // With a reason it is a correction: kept, marked, audited for the participant.
    let mut with_reason = changed.clone();
    with_reason.push(("reason".into(), "Zwolnienie nie zostało dostarczone".into()));
    let response = app
        .post(&path, Some(&instructor), &refs(&with_reason))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(entries(&app, day).await[1].1, "u");
    let (old, new, reason, corrected): (String, String, String, bool) = sqlx::query_as(
        "select c.old_status::text, c.new_status::text, c.reason, a.corrected
         from attendance_change c join attendance a using (participant_id, day)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (old.as_str(), new.as_str(), reason.as_str(), corrected),
        ("s", "u", "Zwolnienie nie zostało dostarczone", true)
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'attendance.correct' and participant_id = $1",
    )
    .bind(g.members[1])
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // The participant's calendar shows the day and the correction with its reason.
    let manager = app.login("kierownik").await;
    let (status, page) = body(
        &app,
        &format!(
            "/participants/{}/attendance?month={}",
            g.members[1],
            &iso(day)[..7]
        ),
        &manager,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Zwolnienie nie zostało dostarczone"));
    assert!(page.contains("nieobecność nieusprawiedliwiona"));
    let views: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'participant.view' and participant_id = $1 and detail like 'attendance%'",
    )
    .bind(g.members[1])
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(views, 1);

    // The month grid counts the days; its print is audited.
    let month = format!("/attendance/{}/month/{}", g.workshop, &iso(day)[..7]);
    let (status, page) = body(&app, &month, &instructor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(">N<") && page.contains(">7<"), "{page}");
    let (status, page) = body(&app, &format!("{month}/print"), &instructor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Lista obecności uczestników"));
    // Every read of a group's attendance is audited: the day, the list shown again with the
    // refused correction, the grid, the print.
    let reads: Vec<(String,)> = sqlx::query_as(
        "select split_part(detail, ' ', 1) from audit_event
         where action = 'attendance.view' and object_id = $1 order by occurred_at",
    )
    .bind(g.workshop)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let reads: Vec<&str> = reads.iter().map(|(d,)| d.as_str()).collect();
    assert_eq!(reads, ["day", "day", "month", "print"]);
}

#[tokio::test]
async fn wrong_lines_are_refused_with_a_polish_message_and_nothing_is_saved() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let other = app.workshop(CENTRE_A, "Pracownia ogrodnicza", None).await;
    let outsider = app
        .fixture_participant(CENTRE_A, "Dudek", Some("socjalny1"), Some(other))
        .await;
    let elsewhere = app
        .fixture_participant(CENTRE_B, "Ebert", Some("socjalny3"), None)
        .await;
    let day = last_working_day(&app).await;
    let path = format!("/attendance/{}/{}", g.workshop, iso(day));
    let manager = app.login("kierownik").await;
    let ok = [
        ("present", "7", ""),
        ("present", "7", ""),
        ("present", "7", ""),
    ];

    // Someone from another workshop or another centre smuggled in: 404, nothing saved.
    for stranger in [outsider, elsewhere] {
        let mut fields = lines(&g.members, &ok);
        fields.extend(
            lines(&[stranger], &[("present", "7", "")])
                .into_iter()
                .map(|(k, v)| (k.replace('0', "3"), v)),
        );
        let response = app.post(&path, Some(&manager), &refs(&fields)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    assert!(entries(&app, day).await.is_empty());

    // (lines, message): each refused with its message, nothing saved.
    let twice = [g.members[0], g.members[0], g.members[2]];
    let cases: Vec<(Vec<(String, String)>, &str)> = vec![
        (lines(&twice, &ok), "dwa razy"),
        (
            lines(&g.members, &[("present", "25", ""), ok[1], ok[2]]),
            "24",
        ),
        (
            lines(&g.members, &[("present", "-2", ""), ok[1], ok[2]]),
            "ujemna",
        ),
        (
            lines(&g.members, &[("present", "0", ""), ok[1], ok[2]]),
            "większej od zera",
        ),
        (
            lines(&g.members, &[("maybe", "7", ""), ok[1], ok[2]]),
            "wybierz obecność",
        ),
        (
            lines(&g.members, &[("justified", "", ""), ok[1], ok[2]]),
            "przyczynę",
        ),
        (lines(&g.members[..2], &ok[..2]), "Skład grupy"),
    ];
    for (fields, message) in cases {
        let (status, page) = post_text(&app, &path, &manager, &refs(&fields)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.contains(message), "{message}: {page}");
    }
    assert!(entries(&app, day).await.is_empty());

    // A future day.
    let tomorrow = today(&app).await + time::Duration::days(1);
    let future = format!("/attendance/{}/{}", g.workshop, iso(tomorrow));
    let (status, page) = post_text(&app, &future, &manager, &refs(&lines(&g.members, &ok))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("jeszcze nie nadszedł"));

    // A closed month refuses every change until it is reopened.
    let centre = app.centre_id(CENTRE_A).await;
    let manager_id = app.user_id("kierownik").await;
    sqlx::query(
        "insert into benefit_month (centre_id, month, closed, revision, closed_by, closed_at)
         values ($1, date_trunc('month', $2::date)::date, true, 1, $3, now())",
    )
    .bind(centre)
    .bind(day)
    .bind(manager_id)
    .execute(&app.db)
    .await
    .unwrap();
    let (status, page) = post_text(&app, &path, &manager, &refs(&lines(&g.members, &ok))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("jest zamknięty"));
    assert!(entries(&app, day).await.is_empty());
}

#[tokio::test]
async fn a_group_is_kept_by_its_instructors_the_manager_and_each_social_worker_for_their_caseload()
{
    let app = spawn_app().await;
    let g = group(&app).await;
    let other = app.workshop(CENTRE_A, "Pracownia ogrodnicza", None).await;
    let day = last_working_day(&app).await;
    let path = format!("/attendance/{}/{}", g.workshop, iso(day));

    // An instructor of another workshop: there is no such group (404); the psychologist 403;
    // another centre's manager 404.
    let instructor = app.login("instruktor").await;
    let (status, _) = body(
        &app,
        &format!("/attendance/{other}/{}", iso(day)),
        &instructor,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let psychologist = app.login("psycholog").await;
    assert_eq!(
        body(&app, &path, &psychologist).await.0,
        StatusCode::FORBIDDEN
    );
    let stranger = app.login("kierownik2").await;
    assert_eq!(body(&app, &path, &stranger).await.0, StatusCode::NOT_FOUND);

    // "Do zrobienia" shows the past working days without entries, per group, the earliest
    // first (five of them): the centre was closed on the other days of the last two weeks, so
    // that the last working day is the one shown.
    sqlx::query(
        "insert into centre_closed_day (centre_id, day, reason, created_by)
         select u.centre_id, d::date, 'Przerwa świąteczna', u.staff_user_id
         from staff_user u, generate_series($1::date - 14, $1::date - 1, interval '1 day') d
         where u.login = 'kierownik'",
    )
    .bind(day)
    .execute(&app.db)
    .await
    .unwrap();
    let worker = app.login("socjalny1").await;
    let (_, home) = body(&app, "/", &worker).await;
    assert!(
        home.contains("Obecność do wpisania") && home.contains("Pracownia stolarska"),
        "{home}"
    );
    assert!(home.contains(&format!("/attendance/{}/{}", g.workshop, iso(day))));

    // A social worker sees and records only their own caseload's members.
    let (status, page) = body(&app, &path, &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Adamczyk") && page.contains("Borowska"));
    assert!(!page.contains("Cieślak"));
    let all = lines(
        &g.members,
        &[
            ("present", "7", ""),
            ("present", "7", ""),
            ("present", "7", ""),
        ],
    );
    let response = app.post(&path, Some(&worker), &refs(&all)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let own = lines(
        &g.members[..2],
        &[("present", "6", ""), ("day_off", "", "")],
    );
    let response = app.post(&path, Some(&worker), &refs(&own)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(entries(&app, day).await.len(), 2);
    // The instructor still has the third member's day to enter; the social worker no more.
    let (_, home) = body(&app, "/", &instructor).await;
    assert!(home.contains(&format!("/attendance/{}/{}", g.workshop, iso(day))));
    let (_, home) = body(&app, "/", &worker).await;
    assert!(!home.contains(&format!("/attendance/{}/{}", g.workshop, iso(day))));

    // The index lists the groups: the instructor's one goes straight to today's list.
    let response = app.get("/attendance", Some(&instructor)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, page) = body(&app, "/attendance", &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Pracownia stolarska") && !page.contains("Pracownia ogrodnicza"));
}

#[tokio::test]
async fn a_move_on_the_placements_first_day_corrects_it_and_never_puts_anyone_in_two_groups() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let other = app.workshop(CENTRE_A, "Pracownia ogrodnicza", None).await;
    let first_day = today(&app).await - time::Duration::days(90);
    let manager = app.login("kierownik").await;
    let form = [("workshop", other.to_string()), ("from", iso(first_day))];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app
        .post(
            &format!("/participants/{}/workshop", g.members[0]),
            Some(&manager),
            &form,
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let memberships: Vec<(Uuid, Option<Date>)> = sqlx::query_as(
        "select workshop_id, member_until from workshop_membership where participant_id = $1",
    )
    .bind(g.members[0])
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(memberships, vec![(other, None)]);
    let day = last_working_day(&app).await;
    let (_, page) = body(
        &app,
        &format!("/attendance/{}/{}", g.workshop, iso(day)),
        &manager,
    )
    .await;
    assert!(!page.contains("Adamczyk") && page.contains("Borowska"));
}

#[tokio::test]
async fn a_weekly_limit_caps_the_day_by_what_the_weeks_other_days_used() {
    let app = spawn_app().await;
    let g = group(&app).await;
    let day = last_working_day(&app).await;
    let path = format!("/attendance/{}/{}", g.workshop, iso(day));
    let manager = app.login("kierownik").await;
    // Adamczyk may spend 20 h a week in the centre; two other days of the day's week (Monday to
    // Sunday) hold 7 h each: 20 h − 14 h leaves 6 h for the day.
    sqlx::query("update participant set weekly_limit_minutes = 1200 where participant_id = $1")
        .bind(g.members[0])
        .execute(&app.db)
        .await
        .unwrap();
    let monday = day - time::Duration::days(i64::from(day.weekday().number_days_from_monday()));
    let others: Vec<Date> = (0..7)
        .map(|n| monday + time::Duration::days(n))
        .filter(|d| *d != day)
        .take(2)
        .collect();
    sqlx::query(
        "insert into attendance (participant_id, day, centre_id, workshop_id, status, minutes, recorded_by)
         select $1, d, w.centre_id, w.workshop_id, 'p', 420, u.staff_user_id
         from unnest($3::date[]) d, workshop w, staff_user u
         where w.workshop_id = $2 and u.login = 'kierownik'",
    )
    .bind(g.members[0])
    .bind(g.workshop)
    .bind(&others)
    .execute(&app.db)
    .await
    .unwrap();

    // The list offers 6 h for her and names the limit; the others keep the planned 7 h.
    let (_, page) = body(&app, &path, &manager).await;
    assert!(
        page.contains(
            "limit 20 h tygodniowo (w pozostałe dni tego tygodnia wpisano 14 h, zostało 6 h)"
        ),
        "{page}"
    );
    assert_eq!(page.matches(r#"value="6""#).count(), 1);
    assert_eq!(page.matches(r#"value="7""#).count(), 2);

    // 7 h is refused with the arithmetic, nothing saved; 6 h is saved.
    let seven = lines(
        &g.members,
        &[
            ("present", "7", ""),
            ("present", "7", ""),
            ("present", "7", ""),
        ],
    );
    let (status, page) = post_text(&app, &path, &manager, &refs(&seven)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("tygodniowy limit tej osoby to 20 h, a w pozostałe dni tego tygodnia ma już wpisane 14 h – tego dnia może być najwyżej 6 h"),
        "{page}"
    );
    assert!(entries(&app, day).await.is_empty());
    let six = lines(
        &g.members,
        &[
            ("present", "6", ""),
            ("present", "7", ""),
            ("present", "7", ""),
        ],
    );
    let response = app.post(&path, Some(&manager), &refs(&six)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        entries(&app, day).await[0],
        (g.members[0], "p".to_owned(), 360)
    );
    // The refused list showed the group again: that view is audited too.
    let views: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'attendance.view' and detail like '%(form)'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(views, 1);

    // The limit lowered afterwards (to 10 h) binds hours raised, not a line left as it was: the
    // list saved again unchanged is accepted; raising her day to 7 h is not.
    sqlx::query("update participant set weekly_limit_minutes = 600 where participant_id = $1")
        .bind(g.members[0])
        .execute(&app.db)
        .await
        .unwrap();
    let again = app.post(&path, Some(&manager), &refs(&six)).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let mut raised = six.clone();
    raised[2].1 = "7".to_owned();
    raised.push(("reason".to_owned(), "Pomyłka w godzinach".to_owned()));
    let (status, page) = post_text(&app, &path, &manager, &refs(&raised)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("tego dnia może być najwyżej 0 h"), "{page}");
    assert_eq!(
        entries(&app, day).await[0],
        (g.members[0], "p".to_owned(), 360)
    );
}
