//! The manager's workshop screens: workshops with several instructors, members, the weekly
//! programme, the centre's calendar, and a participant's hour limits.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::*;

/// A second instructor in centre A (same password as the fixtures).
async fn second_instructor(app: &TestApp) -> Uuid {
    sqlx::query_scalar(
        "insert into staff_user (centre_id, login, full_name, role, password_hash)
         select centre_id, 'instruktor.b', 'Irena Instruktor', role, password_hash
         from staff_user where login = 'instruktor' returning staff_user_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_workshop_created_with_two_instructors_opens_its_members_files_to_both() {
    // Arrange
    let app = spawn_app().await;
    let b = second_instructor(&app).await;
    let a = app.user_id("instruktor").await;
    let participant = app
        .fixture_participant(CENTRE_A, "Pracowita", Some("socjalny1"), None)
        .await;
    let manager = app.login("kierownik").await;
    // Act
    let (status, to) = post_text(
        &app,
        "/workshops",
        &manager,
        &[
            ("name", "Pracownia ogrodnicza"),
            (&format!("i_{a}"), "on"),
            (&format!("i_{b}"), "on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let workshop = to.strip_prefix("/workshops/").unwrap().to_owned();
    let today = iso(today(&app).await);
    let (status, to) = post_text(
        &app,
        &format!("/workshops/{workshop}/members"),
        &manager,
        &[("participant", &participant.to_string()), ("from", &today)],
    )
    .await;
    // Assert
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    assert_eq!(
        count(&app, "select count(*) from workshop_instructor").await,
        2
    );
    assert_eq!(app.audit_count("workshop.create", Some("success")).await, 1);
    assert_eq!(
        app.audit_count("workshop.member_start", Some("success"))
            .await,
        1
    );
    let (_, page) = body(&app, &format!("/workshops/{workshop}"), &manager).await;
    assert!(page.contains("Pracowita") && page.contains("Irena Instruktor"));
    for login in ["instruktor", "instruktor.b"] {
        let session = app.login(login).await;
        let (status, _) = body(&app, &format!("/participants/{participant}"), &session).await;
        assert_eq!(status, StatusCode::OK, "{login}");
    }
    let (_, list) = body(&app, "/workshops", &manager).await;
    assert!(
        list.contains("Pracownia ogrodnicza") && list.contains("Igor Instruktor, Irena Instruktor")
    );
}

#[tokio::test]
async fn a_duplicate_workshop_name_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    app.workshop(CENTRE_A, "Gastronomiczna", None).await;
    let manager = app.login("kierownik").await;
    let before = count(&app, "select count(*) from workshop").await;
    let (status, page) =
        post_text(&app, "/workshops", &manager, &[("name", "gastronomiczna")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("W ośrodku jest już pracownia o tej nazwie"));
    assert!(
        page.contains("value=\"gastronomiczna\""),
        "the input is kept"
    );
    assert_eq!(count(&app, "select count(*) from workshop").await, before);
    assert_eq!(app.audit_count("workshop.create", None).await, 0);
}

#[tokio::test]
async fn adding_a_member_ends_their_previous_membership_the_day_before() {
    let app = spawn_app().await;
    let old = app.workshop(CENTRE_A, "Stara", None).await;
    let new = app.workshop(CENTRE_A, "Nowa", None).await;
    let participant = app
        .fixture_participant(CENTRE_A, "Wędrowna", None, Some(old))
        .await;
    let manager = app.login("kierownik").await;
    let day = today(&app).await;
    let (status, to) = post_text(
        &app,
        &format!("/workshops/{new}/members"),
        &manager,
        &[
            ("participant", &participant.to_string()),
            ("from", &iso(day)),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let until: Option<time::Date> = sqlx::query_scalar(
        "select member_until from workshop_membership where workshop_id = $1 and participant_id = $2",
    )
    .bind(old)
    .bind(participant)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(until, Some(day - time::Duration::days(1)));
    // A day before the admission is refused.
    let other = app.workshop(CENTRE_A, "Trzecia", None).await;
    let (status, page) = post_text(
        &app,
        &format!("/workshops/{other}/members"),
        &manager,
        &[
            ("participant", &participant.to_string()),
            ("from", &iso(day - time::Duration::days(400))),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("wcześniejsza"), "{page}");
    // Archiving a workshop with members is refused; ending the membership is audited.
    let (status, page) = post_text(
        &app,
        &format!("/workshops/{new}"),
        &manager,
        &[("name", "Nowa")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Nie można zarchiwizować pracowni"));
    let (status, _) = post_text(
        &app,
        &format!("/workshops/{new}/members/end"),
        &manager,
        &[
            ("participant", &participant.to_string()),
            ("until", &iso(day)),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.audit_count("workshop.member_end", Some("success"))
            .await,
        1
    );
}

#[tokio::test]
async fn the_plan_is_saved_for_next_month_with_a_warning_outside_30_to_40_hours() {
    let app = spawn_app().await;
    let workshop = app.workshop(CENTRE_A, "Stolarska", None).await;
    let manager = app.login("kierownik").await;
    let activity: Uuid = sqlx::query_scalar(
        "select activity_type_id from activity_type where code = 'workshop' and centre_id is null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let day = today(&app).await;
    let next = time::Date::from_calendar_date(day.year(), day.month(), 1).unwrap()
        + time::Duration::days(32);
    let month = format!("{:04}-{:02}", next.year(), u8::from(next.month()));
    let names: Vec<String> = (1..=5).map(|d| format!("m_{d}_{activity}")).collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "5")).collect();
    fields.push(("month", &month));
    let path = format!("/workshops/{workshop}/plan");
    let response = app.post(&path, Some(&manager), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = body(&app, &location(&response), &manager).await;
    assert!(page.contains("25 h tygodniowo"), "{page}");
    assert!(page.contains("poza zakresem 30–40 godzin"));
    let rows = count(&app, "select count(*) from activity_plan").await;
    assert_eq!(rows, 5);
    // Saved again with 6,5 h a day: replaced, no warning.
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "6,5")).collect();
    fields.push(("month", &month));
    let response = app.post(&path, Some(&manager), &fields).await;
    let (_, page) = body(&app, &location(&response), &manager).await;
    assert!(
        page.contains("32,5 h tygodniowo") && !page.contains("poza zakresem"),
        "{page}"
    );
    assert_eq!(
        count(&app, "select sum(minutes) from activity_plan").await,
        5 * 390
    );
    assert_eq!(
        app.audit_count("workshop.plan_save", Some("success")).await,
        2
    );
    // A past month is refused.
    let past = format!("{:04}-{:02}", day.year() - 1, u8::from(day.month()));
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "6")).collect();
    fields.push(("month", &past));
    let (status, page) = post_text(&app, &path, &manager, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Program obowiązuje od bieżącego lub przyszłego miesiąca."));
    assert_eq!(count(&app, "select count(*) from activity_plan").await, 5);
}

#[tokio::test]
async fn a_closed_day_is_added_and_removed_and_a_weekend_is_refused() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let year = today(&app).await.year() + 1;
    // The first Tuesday of March of next year: never a holiday.
    let mut day = time::Date::from_calendar_date(year, time::Month::March, 1).unwrap();
    while day.weekday() != time::Weekday::Tuesday {
        day = day.next_day().unwrap();
    }
    let (status, to) = post_text(
        &app,
        "/calendar",
        &manager,
        &[("day", &iso(day)), ("reason", "Szkolenie kadry")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = body(&app, &to, &manager).await;
    assert!(page.contains("Szkolenie kadry") && page.contains("Wielkanoc"));
    let (status, page) = post_text(
        &app,
        "/calendar",
        &manager,
        &[("day", &iso(day)), ("reason", "Znowu")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("już na liście"));
    let mut sunday = day;
    while sunday.weekday() != time::Weekday::Sunday {
        sunday = sunday.next_day().unwrap();
    }
    let (status, page) = post_text(
        &app,
        "/calendar",
        &manager,
        &[("day", &iso(sunday)), ("reason", "Nic")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("weekend"), "{page}");
    // Removing asks first, then removes.
    let (status, page) = post_text(&app, "/calendar/remove", &manager, &[("day", &iso(day))]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Usuń dzień wolny"));
    assert_eq!(
        count(&app, "select count(*) from centre_closed_day").await,
        1
    );
    let (status, _) = post_text(
        &app,
        "/calendar/remove",
        &manager,
        &[("day", &iso(day)), ("confirm", "tak")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        count(&app, "select count(*) from centre_closed_day").await,
        0
    );
    assert_eq!(
        app.audit_count("calendar.closed_day_remove", Some("success"))
            .await,
        1
    );
    // Others who work with participants may look.
    let worker = app.login("socjalny1").await;
    let (status, page) = body(&app, "/calendar", &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Dodaj dzień, w którym"));
}

#[tokio::test]
async fn hour_limits_are_saved_and_a_bad_value_is_refused_with_the_input_kept() {
    let app = spawn_app().await;
    let participant = app
        .fixture_participant(CENTRE_A, "Limitowa", Some("socjalny1"), None)
        .await;
    let worker = app.login("socjalny1").await;
    let path = format!("/participants/{participant}/hours");
    let (status, page) =
        post_text(&app, &path, &worker, &[("daily", "13"), ("weekly", "35")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Podaj od 1 do 12 godzin.") && page.contains("value=\"13\""));
    let (status, _) = post_text(
        &app,
        &path,
        &worker,
        &[("daily", "7"), ("weekly", "35"), ("pai", "on")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let row: (Option<i16>, Option<i16>, bool) = sqlx::query_as(
        "select daily_limit_minutes, weekly_limit_minutes, pai from participant where participant_id = $1",
    )
    .bind(participant)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(row, (Some(420), Some(2100), true));
    let (_, file) = body(&app, &format!("/participants/{participant}"), &worker).await;
    assert!(file.contains("/hours"));
}

#[tokio::test]
async fn others_are_refused_every_workshop_post_and_another_centres_workshop_is_not_found() {
    let app = spawn_app().await;
    let own = app.workshop(CENTRE_A, "Nasza", Some("instruktor")).await;
    let other = app.workshop(CENTRE_B, "Cudza", None).await;
    let worker = app.login("socjalny1").await;
    for path in [
        "/workshops".to_owned(),
        format!("/workshops/{own}"),
        format!("/workshops/{own}/members"),
        format!("/workshops/{own}/members/end"),
        format!("/workshops/{own}/plan"),
        "/activity-types".to_owned(),
        "/calendar".to_owned(),
        "/calendar/remove".to_owned(),
    ] {
        let response = app.post(&path, Some(&worker), &[]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let manager = app.login("kierownik").await;
    for path in [
        format!("/workshops/{other}"),
        format!("/workshops/{other}/plan"),
    ] {
        let (status, _) = body(&app, &path, &manager).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}
