//! Graduate follow-up (issue 12): the schedule made at graduation (31 January, 29 February),
//! due and overdue as the clock moves, contacts recorded (reached, missed) and audited, bad
//! input refused with nothing written, extra contacts, closer contact, a change of social
//! worker, the end after three years, the lists and the centre's settings.

use reqwest::StatusCode;
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use crate::helpers::*;

/// A participant of `worker` who graduated on `on` (the period elapsed), through the manager's
/// form; the admission is moved back so that the date is allowed.
pub(crate) async fn graduate(app: &TestApp, surname: &str, worker: &str, on: Date) -> Uuid {
    let id = app
        .fixture_participant(CENTRE_A, surname, Some(worker), None)
        .await;
    sqlx::query(
        "update participant set admitted_on = $2, trial_ends_on = $2 + 30, planned_end_on = $2 + 360,
             cap_end_on = $2 + 720, ops_agreement_date = $2 - 1, referral_date = $2 - 30,
             consent_date = $2 - 30, no_exclusion_declared_on = $2 - 30
         where participant_id = $1",
    )
    .bind(id)
    .bind(on - Duration::days(300))
    .execute(&app.db)
    .await
    .unwrap();
    let manager = app.login("kierownik").await;
    let response = app
        .post(
            &format!("/participants/{id}/status/graduate"),
            Some(&manager),
            &[
                ("date", &iso(on)),
                ("outcome", "period_elapsed"),
                ("confirm", "tak"),
            ],
        )
        .await;
    assert_redirect(&response, &format!("/participants/{id}"));
    id
}

/// (kind, due date, contacted on) of every item of `id`, by due date.
pub(crate) async fn items(app: &TestApp, id: Uuid) -> Vec<(String, Date, Option<Date>)> {
    sqlx::query_as(
        "select kind::text, due_on, contacted_on from follow_up where participant_id = $1
         order by due_on, sequence",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

pub(crate) async fn scalar_count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

/// Moves the app's clock `days` days on.
pub(crate) fn advance_days(app: &TestApp, days: u64) {
    app.advance(std::time::Duration::from_secs(days * 86_400));
}

/// Moves the app's clock on to Polish day `day`. Days of 24 hours do not keep the hour of a
/// Polish day across a change to or from summer time: from 23:30 in winter, 1,000 of them end
/// at 00:30 in summer, a day later. So all but the last day, then an hour at a time.
pub(crate) fn advance_to(app: &TestApp, day: Date) {
    loop {
        let now = app.state.today();
        assert!(now <= day, "the clock passed {day}: {now}");
        match (day - now).whole_days() {
            0 => return,
            1 => app.advance(std::time::Duration::from_secs(3_600)),
            n => advance_days(app, u64::try_from(n - 1).unwrap()),
        }
    }
}

/// The contact form's fields of a reached phone call on `on` with an employed graduate.
pub(crate) fn reached(on: Date) -> Vec<(&'static str, String)> {
    vec![
        ("contacted_on", iso(on)),
        ("form", "phone".into()),
        ("reached", "yes".into()),
        ("employment", "employed".into()),
        ("contract", "fixed_term".into()),
        ("community", "Mieszka samodzielnie, opłaca czynsz.".into()),
        ("skills", "Obsługa kasy fiskalnej.".into()),
        ("skills_match", "yes".into()),
        ("problems", String::new()),
        ("actions", "Bez potrzeby działań.".into()),
    ]
}

pub(crate) async fn post_fields(
    app: &TestApp,
    path: &str,
    session: &Session,
    fields: &[(&'static str, String)],
) -> (StatusCode, String) {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_text(app, path, session, &refs).await
}

/// Posts `fields` to `id`'s contact form; the status.
pub(crate) async fn record(
    app: &TestApp,
    id: Uuid,
    session: &Session,
    fields: &[(&'static str, String)],
) -> StatusCode {
    let path = format!("/participants/{id}/follow-ups/contact");
    post_fields(app, &path, session, fields).await.0
}

/// The fields of a reached phone call on `on`, with `field` set to `value` (or left out when
/// `value` is `None`).
pub(crate) fn reached_but(
    on: Date,
    field: &'static str,
    value: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut fields = reached(on);
    fields.retain(|(k, _)| *k != field);
    fields.extend(value.map(|v| (field, v.to_owned())));
    fields
}

#[tokio::test]
async fn a_graduation_on_31_january_schedules_to_month_ends_for_three_years() {
    let app = spawn_app().await;
    let id = graduate(&app, "Styczniowa", "socjalny1", date!(2026 - 01 - 31)).await;
    let due: Vec<Date> = items(&app, id).await.into_iter().map(|i| i.1).collect();
    assert_eq!(
        due,
        [
            date!(2026 - 04 - 30),
            date!(2026 - 07 - 31),
            date!(2026 - 10 - 31),
            date!(2027 - 01 - 31),
            date!(2027 - 07 - 31),
            date!(2028 - 01 - 31),
            date!(2028 - 07 - 31),
            date!(2029 - 01 - 31),
        ]
    );
    let (until, closer): (Option<Date>, Option<Date>) = sqlx::query_as(
        "select follow_up_until, follow_up_closer_since from participant where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    // The last due date's window (14 days) included.
    assert_eq!(until, Some(date!(2029 - 02 - 14)));
    assert_eq!(closer, None);
}

#[tokio::test]
async fn a_graduation_on_29_february_schedules_28_february_in_common_years() {
    let app = spawn_app().await;
    let id = graduate(&app, "Przestępna", "socjalny1", date!(2024 - 02 - 29)).await;
    let due: Vec<Date> = items(&app, id).await.into_iter().map(|i| i.1).collect();
    assert_eq!(
        due,
        [
            date!(2024 - 05 - 29),
            date!(2024 - 08 - 29),
            date!(2024 - 11 - 29),
            date!(2025 - 02 - 28),
            date!(2025 - 08 - 29),
            date!(2026 - 02 - 28),
            date!(2026 - 08 - 29),
            date!(2027 - 02 - 28),
        ]
    );
    let until: Option<Date> =
        sqlx::query_scalar("select follow_up_until from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(until, Some(date!(2027 - 03 - 14)));
}

/// A graduate whose first contact (three months on) fell due 20 days ago: overdue (the window
/// is 14 days); the second falls due about 70 days on. Returns (id, first due, second due).
pub(crate) async fn overdue_graduate(
    app: &TestApp,
    surname: &str,
    worker: &str,
) -> (Uuid, Date, Date) {
    let today = today(app).await;
    // Three months before the day 20 days ago (clamped to the month's end at worst).
    let first = today - Duration::days(20);
    let on = teczka::validate::dates::add_months(first, -3);
    let id = graduate(app, surname, worker, on).await;
    let due = items(app, id).await;
    (id, due[0].1, due[1].1)
}

#[tokio::test]
async fn contacts_fall_due_and_overdue_as_the_clock_moves_and_the_follow_up_ends_after_three_years()
{
    let app = spawn_app().await;
    let (id, first, second) = overdue_graduate(&app, "Zaległa", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;

    // Today: the first contact is overdue (past its 14-day window), the second upcoming.
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    let overdue = list.split("id=\"due-h\"").next().unwrap();
    assert!(overdue.contains("Zaległa Jan"), "{list}");
    let late = (today - first).whole_days();
    assert!(
        overdue.contains(&format!("zaległy – po terminie od {late} dni")),
        "{overdue}"
    );
    let (_, home) = body(&app, "/", &worker).await;
    assert!(home.contains("Zaległa Jan"));
    assert!(home.contains(&format!("/participants/{id}/follow-ups/contact")));
    assert!(
        home.contains(&format!("Zaległe. Po terminie od {late} dni.")),
        "{home}"
    );

    // A reached contact today fulfils the first; the second is not yet in its window.
    let (status, to) = post_fields(
        &app,
        &format!("/participants/{id}/follow-ups/contact"),
        &worker,
        &reached(today),
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            &*format!("/participants/{id}/follow-ups")
        )
    );
    let now = items(&app, id).await;
    assert_eq!(now[0].2, Some(today));
    assert_eq!(now[1].2, None);
    let (_, home) = body(&app, "/", &worker).await;
    assert!(!home.contains("Zaległa Jan"), "{home}");

    // Within the second's window (10 days before it): due, on Start, not overdue.
    let to_window = u64::try_from((second - today).whole_days() - 10).unwrap();
    advance_days(&app, to_window);
    let worker = app.login("socjalny1").await;
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    let due = list
        .split("id=\"due-h\"")
        .nth(1)
        .unwrap()
        .split("id=\"upcoming-h\"")
        .next()
        .unwrap();
    assert!(due.contains("Zaległa Jan"), "{list}");
    assert!(due.contains("do wykonania – termin za 10 dni"), "{due}");
    let (_, home) = body(&app, "/", &worker).await;
    assert!(home.contains("Zaległa Jan"));
    assert!(!home.contains("Zaległe."), "{home}");

    // 25 days later (15 after the due date): overdue again.
    advance_days(&app, 25);
    let worker = app.login("socjalny1").await;
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    let overdue = list.split("id=\"due-h\"").next().unwrap();
    assert!(
        overdue.contains("zaległy – po terminie od 15 dni"),
        "{overdue}"
    );

    // After the end of the follow-up (three years after graduation and the last window) the
    // graduate leaves every list, and no contact can be recorded any more.
    let until: Date =
        sqlx::query_scalar("select follow_up_until from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    advance_to(&app, until);
    let worker = app.login("socjalny1").await;
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    assert!(
        list.contains("Zaległa Jan"),
        "still followed on its last day"
    );
    advance_days(&app, 1);
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    for session in [&worker, &manager] {
        let (_, list) = body(&app, "/follow-ups", session).await;
        assert!(!list.contains("Zaległa Jan"));
        let (_, home) = body(&app, "/", session).await;
        assert!(!home.contains("Zaległa Jan"));
    }
    let (status, page) = body(
        &app,
        &format!("/participants/{id}/follow-ups/contact"),
        &worker,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("nie jest objęta monitoringiem"));
    // The history stays readable.
    let (status, page) = body(&app, &format!("/participants/{id}/follow-ups"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Monitoring tej osoby zakończył się"));
    // What was not made stays so, not "overdue" for ever.
    assert!(
        page.contains("niewykonany – monitoring zakończony"),
        "{page}"
    );
    assert!(!page.contains("zaległy"), "{page}");
}

#[tokio::test]
async fn a_contact_is_recorded_with_its_answers_and_audited() {
    let app = spawn_app().await;
    let (id, _, _) = overdue_graduate(&app, "Audytowana", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;

    // The form is a read of the graduate: audited.
    let views = app.file_views(id).await.len();
    let (status, form) = body(
        &app,
        &format!("/participants/{id}/follow-ups/contact"),
        &worker,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Kontakt z absolwentem: Audytowana Jan"));
    assert_eq!(app.file_views(id).await.len(), views + 1);

    // Information from the PUP, with a referral back to the OPS.
    let mut fields = reached(today - Duration::days(1));
    fields.retain(|(k, _)| !matches!(*k, "form" | "employment" | "contract"));
    fields.extend([
        ("form", "partner".to_owned()),
        ("partner", "pup".to_owned()),
        ("employment", "registered_unemployed".to_owned()),
        ("referred_to_ops", "on".to_owned()),
    ]);
    assert_eq!(
        record(&app, id, &worker, &fields).await,
        StatusCode::SEE_OTHER
    );
    let (contact, reached_, form, partner, employment, contract, ops): (
        Uuid,
        bool,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
    ) = sqlx::query_as(
        "select follow_up_contact_id, reached, form::text, partner::text, employment::text,
                contract::text, referred_to_ops
         from follow_up_contact where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(reached_ && ops);
    assert_eq!(form, "partner");
    assert_eq!(partner.as_deref(), Some("pup"));
    assert_eq!(employment.as_deref(), Some("registered_unemployed"));
    // A contract without employment is not kept.
    assert_eq!(contract, None);
    let fulfilled: i64 = sqlx::query_scalar(
        "select count(*) from follow_up where participant_id = $1 and follow_up_contact_id = $2",
    )
    .bind(id)
    .bind(contact)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(fulfilled, 1);
    let audit: (String, Option<Uuid>, Option<Uuid>, String) = sqlx::query_as(
        "select outcome, object_id, participant_id, detail from audit_event
         where action = 'follow_up.contact' and actor_id = $1",
    )
    .bind(app.user_id("socjalny1").await)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audit.0, "success");
    assert_eq!(audit.1, Some(contact));
    assert_eq!(audit.2, Some(id));
    assert!(
        audit.3.contains("reached=true form=partner fulfilled=1"),
        "{}",
        audit.3
    );

    // The timeline shows it in words.
    let (_, page) = body(&app, &format!("/participants/{id}/follow-ups"), &worker).await;
    assert!(page.contains("Informacja z instytucji partnerskiej: Powiatowy urząd pracy (PUP)"));
    assert!(page.contains("Zarejestrowany jako bezrobotny"));
    assert!(page.contains("Skierowanie do OPS"));

    // A missed contact is recorded and keeps the next item open; the manager may record too.
    let open_before = scalar_count(
        &app,
        "select count(*) from follow_up where contacted_on is null",
    )
    .await;
    let manager = app.login("kierownik").await;
    let (status, to) = post_fields(
        &app,
        &format!("/participants/{id}/follow-ups/contact"),
        &manager,
        &[
            ("contacted_on", iso(today)),
            ("form", "letter".into()),
            ("reached", "no".into()),
            ("actions", "Wysłano list z prośbą o kontakt.".into()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    assert_eq!(
        scalar_count(
            &app,
            "select count(*) from follow_up where contacted_on is null"
        )
        .await,
        open_before
    );
    let missed: (bool, Option<String>) = sqlx::query_as(
        "select reached, employment::text from follow_up_contact where participant_id = $1 and form = 'letter'",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(missed, (false, None));
}

#[tokio::test]
async fn bad_contacts_are_refused_in_polish_with_the_input_kept_and_nothing_written() {
    let app = spawn_app().await;
    let (id, _, _) = overdue_graduate(&app, "Błędna", "socjalny1").await;
    let today = today(&app).await;
    let ended: Date =
        sqlx::query_scalar("select ended_on from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let worker = app.login("socjalny1").await;
    let path = format!("/participants/{id}/follow-ups/contact");
    let with = |field: &'static str, value: String| {
        let mut fields = reached(today);
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        fields
    };
    let cases = [
        (
            with("contacted_on", iso(ended - Duration::days(1))),
            format!(
                "Data nie może być wcześniejsza niż zakończenie udziału w CIS ({}).",
                polish(ended)
            ),
        ),
        (
            with("contacted_on", iso(today + Duration::days(1))),
            "Data nie może być z przyszłości.".to_owned(),
        ),
        (
            with("form", "telepatia".into()),
            "Wybierz formę kontaktu z listy.".to_owned(),
        ),
        (
            with("employment", "astronauta".into()),
            "Wybierz sytuację zawodową z listy.".to_owned(),
        ),
        (
            with("reached", String::new()),
            "Zaznacz, czy udało się nawiązać kontakt.".to_owned(),
        ),
    ];
    let rows = "select (select count(*) from follow_up_contact) * 1000 \
                + (select count(*) from follow_up where contacted_on is not null)";
    for (fields, message) in cases {
        let before = scalar_count(&app, rows).await;
        let (status, page) = post_fields(&app, &path, &worker, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.contains(&message), "{message}: {page}");
        assert!(page.contains("Popraw zaznaczone pola"));
        // The input is kept.
        assert!(page.contains("Mieszka samodzielnie, opłaca czynsz."));
        assert_eq!(scalar_count(&app, rows).await, before, "{message}");
    }
    assert_eq!(app.audit_count("follow_up.contact", None).await, 0);
}

#[tokio::test]
async fn the_manager_sees_the_centre_by_social_worker_and_others_are_refused() {
    let app = spawn_app().await;
    let (first, _, _) = overdue_graduate(&app, "Pierwsza", "socjalny1").await;
    overdue_graduate(&app, "Druga", "socjalny2").await;
    let manager = app.login("kierownik").await;
    let (status, list) = body(&app, "/follow-ups", &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Pierwsza Jan") && list.contains("Druga Jan"));
    assert!(list.contains("Sylwia Socjalna") && list.contains("Sebastian Socjalny"));
    assert!(list.contains("1 po terminie"));
    let sylwia = app.user_id("socjalny1").await;
    let (_, list) = body(&app, &format!("/follow-ups?worker={sylwia}"), &manager).await;
    assert!(list.contains("Pierwsza Jan") && !list.contains("Druga Jan"));
    // The manager's Start leaves the contacts to the social workers' lists.
    let (_, home) = body(&app, "/", &manager).await;
    assert!(!home.contains("Pierwsza Jan"), "{home}");
    // The file links to the follow-up.
    let (_, file) = body(&app, &format!("/participants/{first}"), &manager).await;
    assert!(file.contains(&format!("/participants/{first}/follow-ups")));

    // A graduate is outside the others' scope (404); the lists are refused (403).
    for login in ["psycholog", "doradca", "instruktor"] {
        let session = app.login(login).await;
        let (status, _) = body(&app, &format!("/participants/{first}/follow-ups"), &session).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{login}");
        let (status, _) = body(&app, "/follow-ups", &session).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
    }
    // Another centre's manager does not find the graduate.
    let other = app.login("kierownik2").await;
    let (status, _) = body(&app, &format!("/participants/{first}/follow-ups"), &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = body(&app, "/follow-ups", &other).await;
    assert!(!list.contains("Pierwsza Jan"));
}
