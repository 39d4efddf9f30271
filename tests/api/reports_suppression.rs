//! The effectiveness report's secondary suppression (review of issue 12, item 4): no row or
//! column with a shown total lets a suppressed count, or its share, be computed by
//! subtraction, in the CSV or in the XLSX.
//!
//! The fixture (centre A; period 2024, as at 31.01.2026):
//! * 13 terminated in 2024 (admitted 01.02.2024, terminated 01.03.2024): persistent violation
//!   2, left permanently 6, withdrawal 5 → the 2 alone would be 13 − 6 − 5, so the largest
//!   count, the 6, is suppressed too: "<5", "<5", 5, total 13.
//! * 18 graduated on 31.01.2024; at the 3-month point (30.04.2024) a reached contact that day
//!   with 5 (employed, skills useful), 6 (self-employed, partly useful), 2 (not working, not
//!   useful) and none with the other 5 → situation 5, 6, 2, 5 of 18: the 2 and the 6 (the
//!   largest) suppressed: 5, "<5", "<5", 5; shares 28% (5/18 = 27.8), "<5", "<5", 28%. Skills
//!   5, 6, 2, 5 (no data) of 18 likewise. At 6, 12 and 24 months (24: 31.01.2026 = the "as at"
//!   day) no contact is within 45 days: 0, 0, 0, 18, so the 18 goes with the three zeros (else
//!   the total would show them empty). 36 months: not passed.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use time::macros::date;

use crate::helpers::*;
use crate::reports::{LT, NEXT_DAY, QUERY, contact, csv_rows, download, moved, person};

async fn fixture(app: &TestApp) {
    for (n, reason) in ["persistent_violation"; 2]
        .into_iter()
        .chain(["left_permanently"; 6])
        .chain(["withdrawal"; 5])
        .enumerate()
    {
        let p = person(app, &format!("Przerwał{n}"), "long_term_unemployed").await;
        moved(app, p, "trial", date!(2024 - 02 - 01)).await;
        moved(app, p, "terminated", date!(2024 - 03 - 01)).await;
        app.update_participant(p, &format!("termination_reason = '{reason}'"))
            .await;
    }
    let answers = [(Some("employed"), Some("yes")); 5]
        .into_iter()
        .chain([(Some("self_employed"), Some("partly")); 6])
        .chain([(Some("not_working"), Some("no")); 2])
        .chain([(None, None); 5]);
    for (n, (employment, skills)) in answers.enumerate() {
        let g = person(app, &format!("Absolwent{n}"), "long_term_unemployed").await;
        moved(app, g, "trial", date!(2023 - 01 - 10)).await;
        moved(app, g, "participant", date!(2023 - 02 - 10)).await;
        moved(app, g, "graduate", date!(2024 - 01 - 31)).await;
        if employment.is_some() {
            contact(app, g, date!(2024 - 04 - 30), employment, skills, NEXT_DAY).await;
        }
    }
}

const REASONS: [&str; 3] = [
    "Kierownik stwierdził uporczywe naruszanie postanowień programu uniemożliwiające jego dalszą realizację",
    "Uczestnik trwale opuścił zajęcia w Centrum",
    "Uczestnik złożył oświadczenie o odstąpieniu od realizacji programu",
];
const SKILLS: [&str; 4] = [
    "przydatne",
    "częściowo przydatne",
    "nieprzydatne",
    "brak danych",
];

/// The rows without their trailing empty fields (the XLSX pads every row to the widest; the
/// skills' total has no share).
fn trimmed(mut rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    for row in &mut rows {
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
    }
    rows
}

/// The rows (label first) labelled `label`.
fn labelled<'a>(rows: &'a [Vec<String>], label: &str) -> Vec<&'a [String]> {
    rows.iter()
        .filter(|r| r[0] == label)
        .map(|r| &r[1..])
        .collect()
}

/// Fails if a line or column with a shown total hides exactly one count (or share): that one
/// would be the total minus the rest (or 100% minus the other shares).
fn assert_nothing_recoverable(rows: &[Vec<String>]) {
    let lone = |cells: &[&String]| cells.iter().filter(|c| c.as_str() == LT).count() == 1;
    for months in [3, 6, 12, 24, 36] {
        for line in labelled(rows, &format!("po {months} miesiącach")) {
            let parts: Vec<&String> = line[1..].iter().collect();
            assert!(
                line[0] == LT || !lone(&parts),
                "po {months} miesiącach: {line:?}"
            );
        }
    }
    for (lines, total) in [(&REASONS[..], "Razem"), (&SKILLS[..], "Razem absolwentów")] {
        let total = labelled(rows, total)[0][0].clone();
        let width = labelled(rows, lines[0])[0].len();
        for column in 0..width {
            let cells: Vec<&String> = lines
                .iter()
                .map(|l| &labelled(rows, l)[0][column])
                .collect();
            assert!(total == LT || !lone(&cells), "{total}: {cells:?}");
        }
    }
}

/// The hand-computed rows of the module comment.
fn assert_hand_computed(rows: &[Vec<String>]) {
    let cells = |label: &str| -> Vec<Vec<&str>> {
        labelled(rows, label)
            .into_iter()
            .map(|l| l.iter().map(String::as_str).collect())
            .collect()
    };
    assert_eq!(cells(REASONS[0]), [[LT]]);
    assert_eq!(cells(REASONS[1]), [[LT]]);
    assert_eq!(cells(REASONS[2]), [["5"]]);
    assert_eq!(cells("Razem"), [["13"]]);
    assert_eq!(
        cells("po 3 miesiącach"),
        [["18", "5", LT, LT, "5"], ["18", "28%", LT, LT, "28%"]]
    );
    for months in [6, 12, 24] {
        assert_eq!(
            cells(&format!("po {months} miesiącach")),
            [["18", LT, LT, LT, LT]; 2]
        );
    }
    assert_eq!(cells("przydatne"), [["5", "28%"]]);
    assert_eq!(cells("częściowo przydatne"), [[LT, LT]]);
    assert_eq!(cells("nieprzydatne"), [[LT, LT]]);
    assert_eq!(cells("brak danych"), [["5", "28%"]]);
    assert_eq!(cells("Razem absolwentów"), [["18"]]);
}

#[tokio::test]
async fn the_csv_and_the_xlsx_never_let_a_suppressed_count_be_computed_from_a_total() {
    let app = spawn_app().await;
    fixture(&app).await;
    let manager = app.login("kierownik").await;

    let (status, csv) = download(
        &app,
        &manager,
        &format!("/reports/effectiveness.csv?{QUERY}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let rows = trimmed(csv_rows(&csv));
    assert_hand_computed(&rows);
    assert_nothing_recoverable(&rows);
    assert!(
        rows.iter()
            .any(|r| r[0].starts_with("Sprawozdania za nakładające się okresy"))
    );

    let (status, xlsx) = download(
        &app,
        &manager,
        &format!("/reports/effectiveness.xlsx?{QUERY}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = workbook.worksheet_range("Efektywność").unwrap();
    let rows = trimmed(
        range
            .rows()
            .filter(|r| !matches!(r.first(), None | Some(Data::Empty)))
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Float(n) => format!("{n}"),
                        Data::Int(n) => n.to_string(),
                        Data::String(s) => s.clone(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect(),
    );
    assert_hand_computed(&rows);
    assert_nothing_recoverable(&rows);

    // The page's chart hides what the table hides: no bar says the self-employed 6 at 3
    // months.
    let (_, page) = body(&app, &format!("/reports/effectiveness?{QUERY}"), &manager).await;
    assert!(page.contains("po 3 miesiącach – zatrudnieni: 28%, samozatrudnieni: &#60;5"));
}
