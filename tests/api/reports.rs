//! The effectiveness report (issue 12) against a hand-built fixture: the figures computed by
//! hand below, the "<5" rule in the page, the CSV, the XLSX and the print, "as at"
//! reproducibility, bad input, and the audit of every view, print and export.
//!
//! The fixture (centre A; period 2024, as at 31.01.2026; every change recorded the day after
//! its date unless said otherwise):
//! * admitted in 2024 (trial): A1–A7, all long-term unemployed, A6 and A7 also alcohol, A7
//!   also prison → admitted 7; by category: long-term unemployed 7, alcohol 2, prison 1 (all
//!   "<5": the 7 goes with the small ones of its column).
//!   A1–A5 terminated in 2024: A1–A3 withdrawal, A4 left permanently, A5 persistent
//!   violation → terminated 5.
//! * not counted: B1 admitted 15.11.2023 and confirmed (→ participant) 15.01.2024 (the first
//!   change into the programme is the admission); L1 admitted 01.05.2024 but recorded only
//!   01.03.2026, after the "as at" day.
//! * graduated in 2024 (admitted 2023): G1 31.01, G2 31.03, G3 30.06, G4 30.09, G5 30.11,
//!   G6 31.12 → graduated 6 (all long-term unemployed).
//! * the points, as at 31.01.2026: 3, 6 and 12 months passed for all six; 24 months only for
//!   G1 (31.01.2026 = the "as at" day); 36 months for none.
//! * contacts (reached unless said; window ±45 days):
//!   - 3 months: G1 10.05.2024 employed (point 30.04), G2 20.06.2024 social cooperative
//!     (30.06), G3 05.10.2024 supported employment (30.09), G4 10.01.2025 employed (30.12),
//!     G5 01.03.2025 employed (28.02), G6: a missed contact 01.04.2025 and a reached one
//!     20.05.2025 (50 days after 31.03: outside) → employed 5 of 6, no data 1: the 1 is
//!     "<5", and the 5 with it as the largest of the line (else 6 − 5 would give the 1).
//!   - 6 months: G1 05.08.2024 registered unemployed (31.07), G2 25.09.2024 self-employed
//!     (30.09), nobody else in reach → every column <5 (6 counted).
//!   - 12 months: G1 21.01.2025 employed and 10.02.2025 not working (point 31.01: 10 days
//!     either side, the later wins → unemployed; a contact of 30.01.2025 recorded 15.02.2026
//!     is after the "as at" day and does not count), G2 15.04.2025, G3 30.06.2025,
//!     G4 01.10.2025, G5 01.12.2025, G6 20.01.2026 all employed → employed 5, unemployed 1:
//!     both "<5" likewise.
//!   - 24 months: G1 has no contact near 31.01.2026 → 1 counted, <5.
//! * skills (the latest answer as at): G1 partly (21.01.2025; the later "no" of 30.01.2025 is
//!   recorded after the "as at" day), G2–G6 yes → yes 5, partly 1, no 0, no data 0: all "<5"
//!   (the 5 hidden as the largest of a column with hidden counts).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use time::Date;
use time::macros::date;
use uuid::Uuid;

use crate::helpers::*;

pub const QUERY: &str = "from=2024-01-01&to=2024-12-31&as_at=2026-01-31";

/// A person of the fixture: inserted in the programme, then given `categories`.
pub async fn person(app: &TestApp, surname: &str, categories: &str) -> Uuid {
    let id = app
        .fixture_participant(CENTRE_A, surname, Some("socjalny1"), None)
        .await;
    app.update_participant(id, &format!("categories = '{{{categories}}}'"))
        .await;
    id
}

/// A status change to `to` dated `on`, recorded at noon of `recorded` (Polish time).
pub async fn change(app: &TestApp, id: Uuid, to: &str, on: Date, recorded: Date) {
    sqlx::query(
        "insert into participant_status_change (participant_id, centre_id, to_status, changed_on, recorded_at)
         select participant_id, centre_id, $2::participant_status, $3, ($4::date + time '12:00') at time zone 'Europe/Warsaw'
         from participant where participant_id = $1",
    )
    .bind(id)
    .bind(to)
    .bind(on)
    .bind(recorded)
    .execute(&app.db)
    .await
    .unwrap();
}

/// A change recorded the day after its date.
pub async fn moved(app: &TestApp, id: Uuid, to: &str, on: Date) {
    change(app, id, to, on, on.next_day().unwrap()).await;
}

/// A reached contact (`employment`, `skills`) on `on`, recorded at `recorded` (SQL), or a
/// missed one when `employment` is `None`.
pub async fn contact(
    app: &TestApp,
    id: Uuid,
    on: Date,
    employment: Option<&str>,
    skills: Option<&str>,
    recorded: &str,
) {
    let by = app.user_id("socjalny1").await;
    sqlx::query(&format!(
        "insert into follow_up_contact (participant_id, centre_id, contacted_on, reached, form, employment,
             skills_match, recorded_by, recorded_at)
         select participant_id, centre_id, $2, $3, 'phone', $4::graduate_employment, $5::skills_match, $6, {recorded}
         from participant where participant_id = $1"
    ))
    .bind(id)
    .bind(on)
    .bind(employment.is_some())
    .bind(employment)
    .bind(skills)
    .bind(by)
    .execute(&app.db)
    .await
    .unwrap();
}

/// Recorded the day after it happened.
pub const NEXT_DAY: &str = "($2::date + 1 + time '12:00') at time zone 'Europe/Warsaw'";

/// What a contact learnt: the employment (none: not reached) and the skills' usefulness.
type Answer = (Option<&'static str>, Option<&'static str>);

/// The graduates G1–G6.
pub struct Fixture {
    pub graduates: Vec<Uuid>,
}

/// Everything the module comment lists.
pub async fn fixture(app: &TestApp) -> Fixture {
    for n in 1..=7 {
        let categories = match n {
            6 => "long_term_unemployed,alcohol",
            7 => "long_term_unemployed,alcohol,prison",
            _ => "long_term_unemployed",
        };
        let a = person(app, &format!("Przyjęty{n}"), categories).await;
        let admitted = Date::from_calendar_date(2024, time::Month::February, 1).unwrap()
            + time::Duration::days(30 * (n - 1));
        moved(app, a, "trial", admitted).await;
        let reason = match n {
            1..=3 => Some("withdrawal"),
            4 => Some("left_permanently"),
            5 => Some("persistent_violation"),
            _ => None,
        };
        if let Some(reason) = reason {
            moved(app, a, "terminated", admitted + time::Duration::days(20)).await;
            app.update_participant(a, &format!("termination_reason = '{reason}'"))
                .await;
        }
    }
    let b1 = person(app, "Wcześniejszy", "long_term_unemployed").await;
    moved(app, b1, "trial", date!(2023 - 11 - 15)).await;
    moved(app, b1, "participant", date!(2024 - 01 - 15)).await;
    let l1 = person(app, "Spóźniony", "long_term_unemployed").await;
    change(
        app,
        l1,
        "trial",
        date!(2024 - 05 - 01),
        date!(2026 - 03 - 01),
    )
    .await;

    let graduated = [
        date!(2024 - 01 - 31),
        date!(2024 - 03 - 31),
        date!(2024 - 06 - 30),
        date!(2024 - 09 - 30),
        date!(2024 - 11 - 30),
        date!(2024 - 12 - 31),
    ];
    let mut graduates = Vec::new();
    for (n, on) in graduated.into_iter().enumerate() {
        let g = person(app, &format!("Absolwent{}", n + 1), "long_term_unemployed").await;
        moved(app, g, "trial", date!(2023 - 01 - 10)).await;
        moved(app, g, "participant", date!(2023 - 02 - 10)).await;
        moved(app, g, "graduate", on).await;
        graduates.push(g);
    }
    let g = &graduates;
    let reached = |e: &'static str, s: Option<&'static str>| (Some(e), s);
    let contacts: [(usize, Date, Answer); 16] = [
        (0, date!(2024 - 05 - 10), reached("employed", Some("yes"))),
        (
            1,
            date!(2024 - 06 - 20),
            reached("social_cooperative", Some("yes")),
        ),
        (
            2,
            date!(2024 - 10 - 05),
            reached("supported_employment", None),
        ),
        (3, date!(2025 - 01 - 10), reached("employed", None)),
        (4, date!(2025 - 03 - 01), reached("employed", None)),
        (5, date!(2025 - 04 - 01), (None, None)),
        (5, date!(2025 - 05 - 20), reached("employed", Some("yes"))),
        (
            0,
            date!(2024 - 08 - 05),
            reached("registered_unemployed", None),
        ),
        (1, date!(2024 - 09 - 25), reached("self_employed", None)),
        (
            0,
            date!(2025 - 01 - 21),
            reached("employed", Some("partly")),
        ),
        (0, date!(2025 - 02 - 10), reached("not_working", None)),
        (1, date!(2025 - 04 - 15), reached("employed", Some("yes"))),
        (2, date!(2025 - 06 - 30), reached("employed", Some("yes"))),
        (3, date!(2025 - 10 - 01), reached("employed", Some("yes"))),
        (4, date!(2025 - 12 - 01), reached("employed", Some("yes"))),
        (
            5,
            date!(2026 - 01 - 20),
            reached("employed", Some("unknown")),
        ),
    ];
    for (i, on, (employment, skills)) in contacts {
        contact(app, g[i], on, employment, skills, NEXT_DAY).await;
    }
    // Recorded after the "as at" day: it would be G1's nearest at 12 months, and its latest
    // answer about skills.
    contact(
        app,
        g[0],
        date!(2025 - 01 - 30),
        Some("self_employed"),
        Some("no"),
        "timestamptz '2026-02-15 12:00+01'",
    )
    .await;
    Fixture { graduates }
}

/// Splits a CSV of this report (no quoted fields in it) into rows of fields.
pub fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect()
}

/// The fields after the label of the row labelled `label`.
fn row<'a>(rows: &'a [Vec<String>], label: &str) -> &'a [String] {
    &rows
        .iter()
        .find(|r| r[0] == label)
        .unwrap_or_else(|| panic!("no row {label}"))[1..]
}

pub async fn download(app: &TestApp, session: &Session, path: &str) -> (StatusCode, Vec<u8>) {
    let response = app.get(path, Some(session)).await;
    let status = response.status();
    (status, response.bytes().await.unwrap().to_vec())
}

pub const LT: &str = "<5";

/// The fixture's report downloaded by the manager as `extension` (checked to succeed).
async fn fixture_file(extension: &str) -> (TestApp, Vec<u8>) {
    let app = spawn_app().await;
    fixture(&app).await;
    let manager = app.login("kierownik").await;
    let path = format!("/reports/effectiveness.{extension}?{QUERY}");
    let (status, bytes) = download(&app, &manager, &path).await;
    assert_eq!(status, StatusCode::OK);
    (app, bytes)
}

#[tokio::test]
async fn the_csv_holds_the_hand_computed_figures_with_small_counts_suppressed() {
    let (app, bytes) = fixture_file("csv").await;
    let rows = csv_rows(&bytes);
    assert_eq!(row(&rows, "Przyjęci do CIS"), ["7"]);
    assert_eq!(row(&rows, "Absolwenci (ukończyli udział)"), ["6"]);
    assert_eq!(row(&rows, "Przerwali udział"), ["5"]);
    // By reason: 3, 1, 1 — each fewer than five; the total is five.
    for reason in [
        "Uczestnik złożył oświadczenie o odstąpieniu od realizacji programu",
        "Uczestnik trwale opuścił zajęcia w Centrum",
    ] {
        assert_eq!(row(&rows, reason), [LT]);
    }
    assert_eq!(row(&rows, "Razem"), ["5"]);
    // Each column against its total (7 admitted, 6 graduated, 5 terminated): the small
    // counts beside hide the long-term unemployed too (else 7 − 7 would say nobody else).
    assert_eq!(row(&rows, "Osoba długotrwale bezrobotna"), [LT, LT, LT]);
    assert_eq!(row(&rows, "Osoba uzależniona od alkoholu"), [LT, LT, LT]);
    assert_eq!(
        row(&rows, "Osoba zwolniona z zakładu karnego"),
        [LT, LT, LT]
    );
    // Counted, then employed, self-employed, unemployed, no data: first the counts, then the
    // shares.
    let points = |label: &str| -> Vec<&[String]> {
        rows.iter()
            .filter(|r| r[0] == label)
            .map(|r| &r[1..])
            .collect()
    };
    for months in [3, 6, 12] {
        assert_eq!(
            points(&format!("po {months} miesiącach")),
            [["6", LT, LT, LT, LT]; 2]
        );
    }
    for later in ["po 24 miesiącach", "po 36 miesiącach"] {
        assert_eq!(points(later), [[LT; 5]; 2]);
    }
    assert_eq!(row(&rows, "przydatne"), [LT, LT]);
    assert_eq!(row(&rows, "częściowo przydatne"), [LT, LT]);
    assert_eq!(row(&rows, "Razem absolwentów"), ["6", ""]);
    // No count below five anywhere: a field that is a number is at least 5.
    for field in rows.iter().flatten() {
        if let Ok(n) = field.parse::<i64>() {
            assert!(n >= 5, "{field} shown");
        }
    }
    assert_eq!(app.audit_count("report.export", Some("success")).await, 1);
}

#[tokio::test]
async fn the_xlsx_holds_the_same_figures_as_numbers_and_small_counts_as_text() {
    let (app, bytes) = fixture_file("xlsx").await;
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range("Efektywność").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let find = |label: &str| {
        rows.iter()
            .find(|r| r.first() == Some(&Data::String(label.into())))
            .unwrap_or_else(|| panic!("no row {label}"))
            .clone()
    };
    assert_eq!(find("Przyjęci do CIS")[1], Data::Float(7.0));
    let three = find("po 3 miesiącach");
    assert_eq!(three[1], Data::Float(6.0));
    assert_eq!(three[2], Data::String(LT.into()));
    assert_eq!(find("Absolwenci (ukończyli udział)")[1], Data::Float(6.0));
    assert_eq!(
        find("Osoba długotrwale bezrobotna")[1],
        Data::String(LT.into())
    );
    assert_eq!(
        find("Osoba uzależniona od alkoholu")[1],
        Data::String(LT.into())
    );
    for cell in rows.iter().flatten() {
        if let Data::Float(n) = cell {
            assert!(*n >= 5.0, "{n} shown");
        }
    }
    assert_eq!(app.audit_count("report.export", Some("success")).await, 1);
}

#[tokio::test]
async fn the_page_and_the_print_show_the_tables_the_charts_and_the_rule_and_are_audited() {
    let app = spawn_app().await;
    fixture(&app).await;
    let manager = app.login("kierownik").await;
    let (status, page) = body(&app, &format!("/reports/effectiveness?{QUERY}"), &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("01.01.2024–31.12.2024, stan na 31.01.2026"));
    assert!(page.contains("<td>&#60;5</td>"));
    assert!(page.contains("(także zero) pokazano jako „&#60;5”"));
    assert!(page.contains("nie dalej niż 45 dni"));
    // The secondary suppression and the risk of overlapping periods are stated.
    assert!(page.contains("ukrywamy także największą z"));
    assert!(page.contains("Sprawozdania za nakładające się okresy"));
    assert!(page.contains("kontakt, w którym sytuacja zawodowa była znana, ma pierwszeństwo"));
    // Three charts, each an image with a title and a description, without style attributes.
    assert_eq!(page.matches("<svg ").count(), 3);
    assert_eq!(page.matches(r#"role="img""#).count(), 3);
    assert!(page.contains(r#"<title id="chart-situation-title">"#));
    assert!(page.contains("po 3 miesiącach – zatrudnieni: &#60;5, samozatrudnieni: &#60;5"));
    assert!(!page.contains("style="));
    assert_eq!(app.audit_count("report.view", Some("success")).await, 1);

    let (status, print) = body(
        &app,
        &format!("/reports/effectiveness/print?{QUERY}"),
        &manager,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("print.css"));
    assert!(print.contains("<td>&#60;5</td>"));
    assert!(print.contains(CENTRE_A));
    assert!(print.contains("ukrywamy także największą z"));
    assert!(print.contains("Sprawozdania za nakładające się okresy"));
    assert_eq!(app.audit_count("report.print", Some("success")).await, 1);
    // Nothing of another centre: its manager sees an empty period.
    let other = app.login("kierownik2").await;
    let (_, page) = body(&app, &format!("/reports/effectiveness?{QUERY}"), &other).await;
    assert!(page.contains("Brak danych w wybranym okresie"));
    assert!(
        page.contains(
            "Stan na 31.01.2026: w okresie 01.01.2024–31.12.2024 nikt nie został przyjęty"
        )
    );
    assert!(!page.contains("<svg "));
}

#[tokio::test]
async fn the_same_period_and_date_give_the_same_figures_after_new_data_arrives() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let manager = app.login("kierownik").await;
    let path = format!("/reports/effectiveness.csv?{QUERY}");
    let (_, before) = download(&app, &manager, &path).await;
    // Arriving after the "as at" day (recorded yesterday, the latest day a report may be as
    // at), about the period: G6's contact right at its 3-month point (it would turn "no data"
    // into employed), and a seventh graduation dated within 2024.
    contact(
        &app,
        f.graduates[5],
        date!(2025 - 03 - 31),
        Some("employed"),
        Some("no"),
        "(current_date - 1 + time '12:00') at time zone 'Europe/Warsaw'",
    )
    .await;
    let yesterday = today(&app).await.previous_day().unwrap();
    let late = person(&app, "Absolwent7", "long_term_unemployed").await;
    change(&app, late, "graduate", date!(2024 - 07 - 01), yesterday).await;
    let (_, after) = download(&app, &manager, &path).await;
    assert_eq!(before, after);
    // As at yesterday the new rows count: the test could fail.
    let now = format!(
        "/reports/effectiveness.csv?from=2024-01-01&to=2024-12-31&as_at={}",
        iso(yesterday)
    );
    let (_, today_csv) = download(&app, &manager, &now).await;
    let rows = csv_rows(&today_csv);
    assert_eq!(row(&rows, "Absolwenci (ukończyli udział)"), ["7"]);
    // At 3 months: 7 counted (G6 now employed too: 6 of 7, the 1 left without data hiding
    // the 6 with it).
    let three: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "po 3 miesiącach").collect();
    assert_eq!(three[0][1..3], ["7", LT]);
}

#[tokio::test]
async fn bad_dates_are_refused_in_polish_with_the_input_kept_and_nothing_read() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let cases = [
        (
            "from=2024-12-31&to=2024-01-01&as_at=2025-01-31",
            "Koniec okresu nie może być przed jego początkiem.",
            "2024-12-31",
        ),
        (
            "from=2024-02-30&to=2024-12-31&as_at=2025-01-31",
            "Nieprawidłowa data",
            "2024-02-30",
        ),
        (
            "from=2024-01-01&to=2024-12-31&as_at=2024-06-30",
            "Stan na dzień nie może być wcześniejszy niż koniec okresu.",
            "2024-06-30",
        ),
        ("from=&to=2024-12-31&as_at=2025-01-31", "Podaj datę.", ""),
        (
            "from=2024-01-01&to=2024-12-31&as_at=2100-01-01",
            "Stan na dzień musi być dniem, który już minął (najpóźniej wczoraj)",
            "2100-01-01",
        ),
    ];
    // As at today: its data may still change, so it is refused too.
    let today_iso = iso(today(&app).await);
    let as_at_today = format!("from=2024-01-01&to=2024-12-31&as_at={today_iso}");
    let cases = cases.into_iter().chain([(
        as_at_today.as_str(),
        "Stan na dzień musi być dniem, który już minął (najpóźniej wczoraj)",
        today_iso.as_str(),
    )]);
    for (query, message, kept) in cases {
        for path in [
            "/reports/effectiveness",
            "/reports/effectiveness.csv",
            "/reports/effectiveness/print",
        ] {
            let (status, page) = body(&app, &format!("{path}?{query}"), &manager).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}?{query}");
            assert!(page.contains(message), "{path}?{query}");
            assert!(
                page.contains(&format!("value=\"{kept}\"")),
                "{path}?{query}"
            );
        }
    }
    for action in ["report.view", "report.print", "report.export"] {
        assert_eq!(app.audit_count(action, None).await, 0, "{action}");
    }
    // The defaults: the last full year, as at yesterday; no data → the page says so.
    let (status, page) = body(&app, "/reports/effectiveness", &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Brak danych w wybranym okresie"));
    let now = today(&app).await;
    let year = now.year() - 1;
    assert!(page.contains(&format!("value=\"{year}-01-01\"")));
    let yesterday = now.previous_day().unwrap();
    assert!(page.contains(&format!("value=\"{}\"", iso(yesterday))));
    assert!(page.contains(&format!(
        "Stan na {}: w okresie 01.01.{year}–31.12.{year} nikt nie został przyjęty",
        polish(yesterday)
    )));
}

#[tokio::test]
async fn only_the_manager_sees_the_report_and_a_refusal_is_audited() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    for path in [
        "/reports/effectiveness",
        "/reports/effectiveness.csv",
        "/reports/effectiveness.xlsx",
        "/reports/effectiveness/print",
    ] {
        let response = app.get(&format!("{path}?{QUERY}"), Some(&worker)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(app.audit_count("report.view", Some("denied")).await, 2);
    assert_eq!(app.audit_count("report.export", Some("denied")).await, 2);
    // The manager's navigation leads to it; the social worker's does not.
    let manager = app.login("kierownik").await;
    assert!(
        app.text("/", &manager)
            .await
            .contains("href=\"/reports/effectiveness\"")
    );
    assert!(
        !app.text("/", &worker)
            .await
            .contains("/reports/effectiveness")
    );
}
