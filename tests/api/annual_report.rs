//! The annual report (issue 13) against a hand-built fixture: the figures a saved version
//! keeps, computed by hand below; "as at" reproducibility; a comparison of two versions. The
//! files, bad input and the Start reminder are in `annual_report_files.rs`.
//!
//! The fixture (centre A; year 2024, as at 31.01.2025; changes recorded the day after their
//! date unless said otherwise):
//! * staff: the eight accounts of centre A, created in 2020; socjalny2 became a psychologist
//!   on 01.07.2024 (counted under both); the instructor was deactivated on 01.06.2023 and never
//!   reactivated (not counted) → admin 1, manager 1, social worker 2, psychologist 2, career
//!   advisor 1, instructor 0, data-protection officer 1; total 7 (socjalny2 once).
//! * P1: homeless and alcohol-dependent, in the trial period since 01.11.2023, graduated
//!   30.06.2024 by employment; a reached contact 10.09.2024, employed.
//! * P2: long-term unemployed, admitted 01.02.2024, terminated 10.05.2024 (withdrawal).
//! * P3: long-term unemployed, admitted 01.03.2024, graduated 15.12.2024 (period elapsed).
//! * P4: prison, graduated 30.09.2023; a reached contact 15.03.2024, employed.
//! * P5: terminated 01.06.2023 (not in the year). P7: admitted 01.04.2024 but recorded only
//!   01.03.2025, after the "as at" day (not counted).
//!
//! So: participants P1, P2, P3 = 3; homeless 1, alcohol 1, long-term unemployed 2 (P1 counted
//! in two categories, once in the 3); admitted P2, P3 = 2; graduated 2: employment 1 (P1),
//! period elapsed 1 (P3); terminated 1, withdrawal; independent: at graduation P1 = 1, at a
//! follow-up contact P4 = 1 (P1's contact does not count them twice) → 2.
//!
//! * attendance (workshop W: Monday 240 min of "Zajęcia w pracowni" + 120 of "Poradnictwo
//!   grupowe", Tuesday 360 of the workshop, from 01.01.2024):
//!   - P2 Mon 04.03 present 360 (corrected on 10.03.2024 from 300: the correction counts) →
//!     240 workshop + 120 counselling;
//!   - P3 Mon 04.03 present 180 → 120 + 60;
//!   - P3 Tue 05.03 present 300, corrected on 10.02.2025 (after the "as at" day) to 240 → 300
//!     workshop;
//!   - P2 Tue 05.03 sick leave → nothing; P3 Wed 06.03 present 120 without a workshop → 120
//!     outside the programme; P2 Mon 11.03 present 360 entered on 05.02.2025 → not counted.
//!
//!   So: workshop 660 min = 11 h (2 people), counselling 180 = 3 h (2), outside 120 = 2 h
//!   (1); all 960 min = 16 h, 2 people.
//! * benefits: March 2024 first close (02.04.2024): P2 1500,00 zł + bonus 200,00 zł, P3
//!   1200,50 zł; December 2024 first close (05.01.2025): P3 1000,00 zł + bonus 100,00 zł;
//!   March's second close (05.05.2024, revision 2) is a correction of P3 by +50,00 zł; a
//!   correction of December written on 15.02.2025 (after the "as at" day) does not count; a
//!   statement of January 2025 is not of the year.
//!
//!   So: benefit 2 people, 3700,50 zł (150000 + 120050 + 100000 grosze); bonus 2 people,
//!   300,00 zł; corrections: benefit 1 person, 50,00 zł; bonus none.

use serde_json::{Value, json};
use time::macros::date;
use uuid::Uuid;

use crate::helpers::*;
use crate::reports::{change, contact, moved, person};

pub(crate) const YEAR: &str = "2024";
pub(crate) const AS_AT: &str = "2025-01-31";
pub(crate) const LT: &str = "<5";

pub(crate) async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db).await.unwrap();
}

/// Attendance of `id` on `day` at `workshop` (SQL or null), recorded at `recorded` (SQL).
pub(crate) async fn attend(
    app: &TestApp,
    id: Uuid,
    day: &str,
    workshop: &str,
    status: &str,
    minutes: i16,
    recorded: &str,
) {
    let by = app.user_id("instruktor").await;
    sqlx::query(&format!(
        "insert into attendance (participant_id, day, centre_id, workshop_id, status, minutes, recorded_by, recorded_at)
         select participant_id, $2::date, centre_id, {workshop}, $3::\"char\", $4, $5, {recorded}
         from participant where participant_id = $1"
    ))
    .bind(id)
    .bind(day)
    .bind(status)
    .bind(minutes)
    .bind(by)
    .execute(&app.db)
    .await
    .unwrap();
}

/// A correction of `id`'s `day` from `old` minutes present, made at `at` (SQL).
pub(crate) async fn corrected(app: &TestApp, id: Uuid, day: &str, old: i16, new: i16, at: &str) {
    let by = app.user_id("kierownik").await;
    sqlx::query(&format!(
        "insert into attendance_change (participant_id, day, centre_id, old_status, old_minutes, new_status,
             new_minutes, reason, changed_by, changed_at)
         select participant_id, $2::date, centre_id, 'p', $3, 'p', $4, 'Pomyłka', $5, {at}
         from participant where participant_id = $1"
    ))
    .bind(id)
    .bind(day)
    .bind(old)
    .bind(new)
    .bind(by)
    .execute(&app.db)
    .await
    .unwrap();
}

/// A frozen statement (grosze) of `month`, written at `at` (SQL).
pub(crate) async fn statement(
    app: &TestApp,
    id: Uuid,
    month: &str,
    revision: i32,
    benefit: i32,
    bonus: i32,
    at: &str,
) {
    sqlx::query(&format!(
        "insert into benefit_statement (participant_id, month, revision, centre_id, base_grosze, benefit_grosze,
             bonus_grosze, explanation, created_at)
         select participant_id, $2::date, $3, centre_id, 200000, $4, $5, '{{}}'::jsonb, {at}
         from participant where participant_id = $1"
    ))
    .bind(id)
    .bind(month)
    .bind(revision)
    .bind(benefit)
    .bind(bonus)
    .execute(&app.db)
    .await
    .unwrap();
}

/// A correction of a closed `month` (grosze), written at `at` (SQL).
pub(crate) async fn correction(app: &TestApp, id: Uuid, month: &str, benefit: i32, at: &str) {
    let by = app.user_id("kierownik").await;
    sqlx::query(&format!(
        "insert into benefit_correction (participant_id, month, centre_id, from_revision, to_revision,
             benefit_diff_grosze, bonus_diff_grosze, reason, created_by, created_at)
         select participant_id, $2::date, centre_id, 1, 2, $3, 0, 'Korekta obecności', $4, {at}
         from participant where participant_id = $1"
    ))
    .bind(id)
    .bind(month)
    .bind(benefit)
    .bind(by)
    .execute(&app.db)
    .await
    .unwrap();
}

/// Noon of a day, Polish time (SQL).
pub(crate) fn noon(day: &str) -> String {
    format!("('{day}'::date + time '12:00') at time zone 'Europe/Warsaw'")
}

/// The people of the fixture: (P2, P3).
pub(crate) async fn fixture(app: &TestApp) -> (Uuid, Uuid) {
    // Staff: created in 2020; socjalny2 a psychologist from July 2024; the instructor
    // deactivated in 2023.
    exec(app, "update staff_role_change set changed_at = '2020-01-01' where staff_user_id in
               (select staff_user_id from staff_user u join centre c using (centre_id) where c.name = 'CIS Testowo')").await;
    exec(app, "insert into staff_role_change (staff_user_id, from_role, to_role, changed_at)
               select staff_user_id, 'social_worker', 'psychologist', '2024-07-01 10:00+02' from staff_user where login = 'socjalny2'").await;
    exec(app, "insert into audit_event (occurred_at, centre_id, action, object_type, object_id, outcome)
               select '2023-06-01 10:00+02', centre_id, 'staff.deactivate', 'staff_user', staff_user_id, 'success'
               from staff_user where login = 'instruktor'").await;

    let p1 = person(app, "Pierwsza", "homeless,alcohol").await;
    moved(app, p1, "trial", date!(2023 - 11 - 01)).await;
    moved(app, p1, "graduate", date!(2024 - 06 - 30)).await;
    app.update_participant(p1, "graduation_outcome = 'employment'")
        .await;
    contact(
        app,
        p1,
        date!(2024 - 09 - 10),
        Some("employed"),
        None,
        crate::reports::NEXT_DAY,
    )
    .await;
    let p2 = person(app, "Druga", "long_term_unemployed").await;
    moved(app, p2, "trial", date!(2024 - 02 - 01)).await;
    moved(app, p2, "terminated", date!(2024 - 05 - 10)).await;
    app.update_participant(p2, "termination_reason = 'withdrawal'")
        .await;
    let p3 = person(app, "Trzeci", "long_term_unemployed").await;
    moved(app, p3, "trial", date!(2024 - 03 - 01)).await;
    moved(app, p3, "graduate", date!(2024 - 12 - 15)).await;
    app.update_participant(p3, "graduation_outcome = 'period_elapsed'")
        .await;
    let p4 = person(app, "Czwarty", "prison").await;
    moved(app, p4, "trial", date!(2022 - 09 - 01)).await;
    moved(app, p4, "graduate", date!(2023 - 09 - 30)).await;
    app.update_participant(p4, "graduation_outcome = 'period_elapsed'")
        .await;
    contact(
        app,
        p4,
        date!(2024 - 03 - 15),
        Some("employed"),
        None,
        crate::reports::NEXT_DAY,
    )
    .await;
    let p5 = person(app, "Piąty", "long_term_unemployed").await;
    moved(app, p5, "trial", date!(2022 - 01 - 01)).await;
    moved(app, p5, "terminated", date!(2023 - 06 - 01)).await;
    let p7 = person(app, "Spóźniony", "long_term_unemployed").await;
    change(
        app,
        p7,
        "trial",
        date!(2024 - 04 - 01),
        date!(2025 - 03 - 01),
    )
    .await;

    // Attendance.
    let w = app
        .workshop(CENTRE_A, "Gastronomiczna", Some("instruktor"))
        .await;
    sqlx::query(
        "insert into activity_plan (workshop_id, centre_id, valid_from, weekday, activity_type_id, minutes)
         select $1, w.centre_id, '2024-01-01', d, t.activity_type_id, m
         from workshop w, (values (1, 'workshop', 240), (1, 'counselling', 120), (2, 'workshop', 360)) as v(d, code, m)
         join activity_type t on t.code = v.code and t.centre_id is null
         where w.workshop_id = $1",
    )
    .bind(w)
    .execute(&app.db)
    .await
    .unwrap();
    let w = format!("'{w}'::uuid");
    attend(app, p2, "2024-03-04", &w, "p", 360, &noon("2024-03-10")).await;
    corrected(app, p2, "2024-03-04", 300, 360, &noon("2024-03-10")).await;
    attend(app, p3, "2024-03-04", &w, "p", 180, &noon("2024-03-04")).await;
    attend(app, p3, "2024-03-05", &w, "p", 240, &noon("2025-02-10")).await;
    corrected(app, p3, "2024-03-05", 300, 240, &noon("2025-02-10")).await;
    attend(app, p2, "2024-03-05", &w, "s", 0, &noon("2024-03-05")).await;
    attend(app, p3, "2024-03-06", "null", "p", 120, &noon("2024-03-06")).await;
    attend(app, p2, "2024-03-11", &w, "p", 360, &noon("2025-02-05")).await;

    // Benefits.
    statement(
        app,
        p2,
        "2024-03-01",
        1,
        150_000,
        20_000,
        &noon("2024-04-02"),
    )
    .await;
    statement(app, p3, "2024-03-01", 1, 120_050, 0, &noon("2024-04-02")).await;
    statement(app, p3, "2024-03-01", 2, 125_050, 0, &noon("2024-05-05")).await;
    correction(app, p3, "2024-03-01", 5_000, &noon("2024-05-05")).await;
    statement(
        app,
        p3,
        "2024-12-01",
        1,
        100_000,
        10_000,
        &noon("2025-01-05"),
    )
    .await;
    correction(app, p3, "2024-12-01", -2_000, &noon("2025-02-15")).await;
    statement(app, p3, "2025-01-01", 1, 99_999, 0, &noon("2025-02-03")).await;
    (p2, p3)
}

/// The figures computed by hand in the module comment, as a version saves them.
pub(crate) fn expected() -> Value {
    let count = |code: &str, n: i64| json!({"code": code, "n": n});
    json!({
        "staff": [count("admin", 1), count("manager", 1), count("social_worker", 2),
                  count("psychologist", 2), count("career_advisor", 1), count("instructor", 0),
                  count("dpo", 1)],
        "staff_total": 7,
        "by_category": [count("homeless", 1), count("alcohol", 1), count("drugs", 0),
                        count("mental_illness", 0), count("long_term_unemployed", 2),
                        count("prison", 0), count("refugee", 0), count("disability", 0), count("other", 0)],
        "participants": 3,
        "admitted": 2,
        "by_outcome": [count("employment", 1), count("own_business", 0), count("period_elapsed", 1)],
        "graduated": 2,
        "by_reason": [count("persistent_violation", 0), count("left_permanently", 0), count("withdrawal", 1)],
        "terminated": 1,
        "independent_at_graduation": 1,
        "independent_at_follow_up": 1,
        "services": [
            {"name": "Poradnictwo grupowe", "people": 2, "minutes": 180},
            {"name": "Zajęcia poza tygodniowym programem pracowni", "people": 1, "minutes": 120},
            {"name": "Zajęcia w pracowni", "people": 2, "minutes": 660},
        ],
        "service_people": 2,
        "service_minutes": 960,
        "benefit": {"people": 2, "grosze": 370_050},
        "bonus": {"people": 2, "grosze": 30_000},
        "benefit_corrections": {"people": 1, "grosze": 5_000},
        "bonus_corrections": {"people": 0, "grosze": 0},
    })
}

/// Saves a version; returns its path.
pub(crate) async fn save(app: &TestApp, session: &Session, as_at: &str, remarks: &str) -> String {
    let response = app
        .post(
            "/reports/annual",
            Some(session),
            &[
                ("year", YEAR),
                ("as_at", as_at),
                ("financial_plan", "Dotacja gminy 400 000 zł."),
                ("forecast", "Utrzymanie 30 miejsc."),
                ("remarks", remarks),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    location(&response)
}

pub(crate) async fn saved_figures(app: &TestApp, path: &str) -> Value {
    let id: Uuid = path.trim_start_matches("/reports/annual/").parse().unwrap();
    sqlx::query_scalar("select figures from annual_report where annual_report_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

pub(crate) async fn versions(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from annual_report")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_version_keeps_the_figures_computed_by_hand() {
    // Arrange
    let app = spawn_app().await;
    fixture(&app).await;
    let manager = app.login("kierownik").await;
    // Act: the preview, then the version.
    let (status, page) = body(
        &app,
        &format!("/reports/annual?year={YEAR}&as_at={AS_AT}"),
        &manager,
    )
    .await;
    assert_eq!(status.as_u16(), 200);
    assert!(page.contains("Sprawozdanie za <strong>2024, stan na 31.01.2025</strong>"));
    let path = save(&app, &manager, AS_AT, "Pierwsza wersja").await;
    // Assert
    assert_eq!(saved_figures(&app, &path).await, expected());
    let (status, page) = body(&app, &path, &manager).await;
    assert_eq!(status.as_u16(), 200);
    assert!(page.contains("Sprawozdanie roczne za 2024, stan na 31.01.2025 – wersja 1"));
    assert!(page.contains("Dotacja gminy 400 000 zł."));
    assert!(page.contains("Kinga Kierownik"));
    // Staff are shown as they are; the hours too; the people "<5".
    assert!(page.contains("<th scope=\"row\">Pracownik socjalny</th>\n    <td>2</td>"));
    assert!(
        page.contains("<th scope=\"row\">Zajęcia w pracowni</th>\n    <td>&#60;5</td><td>11</td>")
    );
    assert_eq!(
        app.audit_count("annual_report.save", Some("success")).await,
        1
    );
    assert_eq!(
        app.audit_count("annual_report.view", Some("success")).await,
        2
    );
}

#[tokio::test]
async fn the_same_year_and_day_give_the_same_figures_after_later_data_arrives() {
    // Arrange: the first version.
    let app = spawn_app().await;
    let (p2, p3) = fixture(&app).await;
    let manager = app.login("kierownik").await;
    let first = save(&app, &manager, AS_AT, "Pierwsza").await;
    // Later data about 2024, all recorded on 01.06.2025 (after the "as at" day, before
    // yesterday).
    let later = noon("2025-06-01");
    let p8 = person(&app, "Nowa", "homeless").await;
    change(
        &app,
        p8,
        "trial",
        date!(2024 - 06 - 01),
        date!(2025 - 06 - 01),
    )
    .await;
    contact(
        &app,
        p3,
        date!(2024 - 12 - 20),
        Some("self_employed"),
        None,
        &later,
    )
    .await;
    attend(&app, p2, "2024-03-12", "null", "p", 360, &later).await;
    corrected(&app, p3, "2024-03-04", 180, 60, &later).await;
    exec(
        &app,
        "update attendance set minutes = 60 where day = '2024-03-04' and minutes = 180",
    )
    .await;
    statement(&app, p2, "2024-06-01", 1, 50_000, 0, &later).await;
    correction(&app, p2, "2024-03-01", 1_000, &later).await;
    // Act
    let second = save(&app, &manager, AS_AT, "Druga").await;
    // Assert: the same figures; a version as at yesterday sees the new data.
    assert_eq!(saved_figures(&app, &second).await, expected());
    let yesterday = iso(today(&app).await.previous_day().unwrap());
    let third = save(&app, &manager, &yesterday, "Trzecia").await;
    let now = saved_figures(&app, &third).await;
    // P1, P2, P3, P7 (recorded 01.03.2025) and P8.
    assert_eq!(now["participants"], 5);
    // P3's Monday is 60 now (−120); P2's Tuesday 12.03 adds 360; as at yesterday P2's Monday
    // 11.03 (entered 05.02.2025) adds 360 and P3's Tuesday is 240 (corrected 10.02.2025, −60).
    assert_eq!(now["service_minutes"], 960 - 120 + 360 + 360 - 60);
    // P4 and now P3 (self-employed at a contact of 20.12.2024).
    assert_eq!(now["independent_at_follow_up"], 2);
    assert_eq!(now["benefit"]["grosze"], 370_050 + 50_000);
    // December's −20,00 zł (15.02.2025) counts now too.
    assert_eq!(now["benefit_corrections"]["grosze"], 5_000 + 1_000 - 2_000);
    assert_eq!(saved_figures(&app, &first).await, expected());
}

#[tokio::test]
async fn two_versions_compare_figure_by_figure_and_text_by_text() {
    // Arrange: version 1 as at 31.01.2025, version 2 as at yesterday after more hours.
    let app = spawn_app().await;
    let (p2, _) = fixture(&app).await;
    let manager = app.login("kierownik").await;
    let first = save(&app, &manager, AS_AT, "Bez uwag").await;
    attend(
        &app,
        p2,
        "2024-03-12",
        "null",
        "p",
        360,
        &noon("2025-06-01"),
    )
    .await;
    let yesterday = iso(today(&app).await.previous_day().unwrap());
    let second = save(&app, &manager, &yesterday, "Bez istotnych uwag").await;
    let other = first.trim_start_matches("/reports/annual/");
    // Act
    let (status, page) = body(&app, &format!("{second}/diff?with={other}"), &manager).await;
    // Assert: as at yesterday P2's Monday 11.03 (360: 240 + 120) and Tuesday 12.03 (360
    // outside the programme) count, and P3's Tuesday is 240 (−60 in the workshop): the hours
    // change, workshop 11 → 14, counselling 3 → 5, outside 2 → 8, all 16 → 27; the people
    // stay "<5"; with the remarks, 5 changes.
    assert_eq!(status.as_u16(), 200);
    assert!(page.contains(
        "<th scope=\"row\">Usługi – zajęcia według rodzaju (godziny obecności) – Razem (osoba raz) – Godziny</th><td>16</td><td><strong>27</strong></td><td><strong>zmieniono</strong></td>"
    ), "{page}");
    assert!(page.contains(
        "<th scope=\"row\">Usługi – zajęcia według rodzaju (godziny obecności) – Zajęcia poza tygodniowym programem pracowni – Godziny</th><td>2</td><td><strong>8</strong></td>"
    ));
    assert!(page.contains(
        "<th scope=\"row\">Przyjęci, absolwenci i osoby, które przerwały udział – Przyjęci do CIS – Liczba osób</th><td>&#60;5</td><td>&#60;5</td><td>bez zmian</td>"
    ));
    assert!(page.contains("Zmienione pozycje: <strong>5</strong>"));
    assert!(page.contains("<h3 id=\"text-3\">Uwagi – zmieniono</h3>"));
    assert!(page.contains("<ins><span class=\"visually-hidden\">[dodano: </span>istotnych "));
    assert!(page.contains("<h3 id=\"text-1\">Plan finansowy (w tym świadczenia integracyjne i premie) – bez zmian</h3>"));
}
