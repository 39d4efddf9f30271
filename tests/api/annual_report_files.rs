//! The annual report's files and edges (issue 13): the "<5" rule in the CSV and the XLSX
//! (parsed back) of a version of the fixture in `annual_report.rs`, amounts shown for five
//! people, the audit of the print and the downloads, bad input refused with nothing saved,
//! and the reminder on the manager's Start in the first quarter.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use time::macros::date;

use crate::annual_report::{AS_AT, LT, YEAR, fixture, noon, save, statement, versions};
use crate::helpers::*;
use crate::reports::{moved, person};

/// The version's CSV and XLSX.
async fn files(app: &TestApp, path: &str, manager: &Session) -> (String, Vec<u8>) {
    let csv = app.get(&format!("{path}/csv"), Some(manager)).await;
    assert_eq!(csv.status().as_u16(), 200);
    let csv = csv.text().await.unwrap();
    let xlsx = app.get(&format!("{path}/xlsx"), Some(manager)).await;
    assert_eq!(xlsx.status().as_u16(), 200);
    (csv, xlsx.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_downloads_hide_small_counts_and_are_audited_like_the_print() {
    // Arrange
    let app = spawn_app().await;
    fixture(&app).await;
    let manager = app.login("kierownik").await;
    let path = save(&app, &manager, AS_AT, "").await;
    // Act
    let (csv, xlsx) = files(&app, &path, &manager).await;
    let print = app.get(&format!("{path}/print"), Some(&manager)).await;
    // Assert: the CSV.
    let rows: Vec<Vec<&str>> = csv
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .map(|l| l.split(';').collect())
        .collect();
    let row = |label: &str| {
        rows.iter()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no row {label}"))[1..]
            .to_vec()
    };
    assert_eq!(row("Przyjęci do CIS"), [LT]);
    assert_eq!(
        row("Osoba bezdomna realizująca indywidualny program wychodzenia z bezdomności"),
        [LT]
    );
    assert_eq!(row("Pracownik socjalny"), ["2"]);
    assert_eq!(row("Zajęcia w pracowni"), [LT, "11"]);
    assert_eq!(
        row("Świadczenie integracyjne – naliczone przy zamknięciu miesięcy"),
        [LT, LT]
    );
    assert_eq!(row("Uwagi"), [""; 0]);
    assert!(csv.contains("Dotacja gminy 400 000 zł."));
    // No count of participants below five shows: the only numbers under 5 are staff's.
    let staff_rows = [
        "Administrator",
        "Kierownik CIS",
        "Pracownik socjalny",
        "Psycholog-terapeuta",
        "Doradca zawodowy",
        "Instruktor zawodu",
        "Inspektor ochrony danych",
        "Razem (osoba raz, także przy zmianie stanowiska)",
    ];
    for r in rows.iter().filter(|r| !staff_rows.contains(&r[0])) {
        if let Some(cell) = r.get(1)
            && let Ok(n) = cell.parse::<i64>()
        {
            assert!(n >= 5, "{r:?}");
        }
    }
    // The XLSX holds the same: counts as numbers, small ones as text.
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = workbook.worksheet_range("Sprawozdanie roczne").unwrap();
    let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let find = |label: &str| {
        cells
            .iter()
            .find(|r| r.first() == Some(&Data::String(label.into())))
            .unwrap_or_else(|| panic!("no row {label}"))
            .clone()
    };
    assert_eq!(find("Przyjęci do CIS")[1], Data::String(LT.into()));
    assert_eq!(find("Pracownik socjalny")[1], Data::Float(2.0));
    assert_eq!(find("Zajęcia w pracowni")[2], Data::String("11".into()));
    assert_eq!(
        find("Korekty zamkniętych miesięcy – świadczenie integracyjne")[2],
        Data::String(LT.into())
    );
    // Audited: the print as a print, each download as an export.
    assert_eq!(print.status().as_u16(), 200);
    let page = print.text().await.unwrap();
    assert!(page.contains("CIS Testowo"));
    assert!(page.contains("Sprawozdanie roczne CIS za 2024, stan na 31.01.2025 – wersja 1"));
    assert_eq!(
        app.audit_count("annual_report.print", Some("success"))
            .await,
        1
    );
    assert_eq!(
        app.audit_count("annual_report.export", Some("success"))
            .await,
        2
    );
}

#[tokio::test]
async fn amounts_for_five_or_more_people_show_in_zloty() {
    // Arrange: five people with a March statement of 1000,01 zł each.
    let app = spawn_app().await;
    let mut people = Vec::new();
    for n in 0..5 {
        let p = person(&app, &format!("Osoba{n}"), "long_term_unemployed").await;
        moved(&app, p, "trial", date!(2024 - 02 - 01)).await;
        statement(&app, p, "2024-03-01", 1, 100_001, 0, &noon("2024-04-02")).await;
        people.push(p);
    }
    let manager = app.login("kierownik").await;
    let path = save(&app, &manager, AS_AT, "").await;
    // Act
    let (csv, _) = files(&app, &path, &manager).await;
    // Assert: 5 × 100001 grosze = 5000,05 zł; 5 admitted shown.
    assert!(
        csv.contains(
            "\r\nŚwiadczenie integracyjne – naliczone przy zamknięciu miesięcy;5;5000,05\r\n"
        ),
        "{csv}"
    );
    assert!(csv.contains("\r\nPrzyjęci do CIS;5\r\n"));
    assert!(csv.contains("\r\nPremia motywacyjna – naliczona przy zamknięciu miesięcy;<5;<5\r\n"));
}

#[tokio::test]
async fn bad_input_is_refused_with_a_message_and_nothing_is_saved() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let this_year = today(&app).await.year().to_string();
    let long = "x".repeat(4001);
    let cases = [
        (
            this_year.as_str(),
            "",
            "",
            "Sprawozdanie składa się za rok, który już się skończył",
        ),
        (
            YEAR,
            "2024-12-30",
            "",
            "Stan na dzień nie może być wcześniejszy niż koniec roku sprawozdawczego (31.12.2024).",
        ),
        (
            YEAR,
            "31.13.2025",
            "",
            "Nieprawidłowa data – wpisz np. 15.03.2026.",
        ),
        (
            YEAR,
            AS_AT,
            long.as_str(),
            "Najwyżej 4000 znaków (wpisano 4001).",
        ),
    ];
    for (year, as_at, remarks, message) in cases {
        let response = app
            .post(
                "/reports/annual",
                Some(&manager),
                &[
                    ("year", year),
                    ("as_at", as_at),
                    ("forecast", "Prognoza zachowana"),
                    ("remarks", remarks),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 422, "{year} {as_at}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{message}: {page}");
        assert!(page.contains("error-summary"));
        // The input is kept.
        assert!(page.contains(&format!("value=\"{year}\"")));
        if year == YEAR && as_at == AS_AT {
            assert!(page.contains(">Prognoza zachowana</textarea>"));
        }
    }
    // The page refuses a future year the same way.
    let (status, page) = body(&app, &format!("/reports/annual?year={this_year}"), &manager).await;
    assert_eq!(status.as_u16(), 422);
    assert!(page.contains("najpóźniej za"));
    assert_eq!(versions(&app).await, 0);
    assert_eq!(app.audit_count("annual_report.save", None).await, 0);
}

#[tokio::test]
async fn start_reminds_the_manager_in_the_first_quarter_until_a_version_is_saved() {
    // Arrange: the app's clock on 15 January of the coming year.
    let app = spawn_app().await;
    let real = today(&app).await;
    let target = time::Date::from_calendar_date(real.year() + 1, time::Month::January, 15).unwrap();
    crate::follow_ups::advance_to(&app, target);
    let year = (target.year() - 1).to_string();
    let item = format!("Sprawozdanie roczne za {year} — termin 31 marca");
    let manager = app.login("kierownik").await;
    let worker = app.login("socjalny1").await;
    // Act / Assert: the manager's Start has it (due 31 March), a social worker's has not.
    let (_, page) = body(&app, "/", &manager).await;
    assert!(page.contains(&item), "{page}");
    assert!(page.contains(&format!("/reports/annual?year={year}")));
    assert!(page.contains(&format!("31.03.{}", target.year())));
    let (_, page) = body(&app, "/", &worker).await;
    assert!(!page.contains(&item));
    // A version of the year saved: the item goes.
    let as_at = iso(target.previous_day().unwrap());
    let response = app
        .post(
            "/reports/annual",
            Some(&manager),
            &[("year", year.as_str()), ("as_at", as_at.as_str())],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, page) = body(&app, "/", &manager).await;
    assert!(!page.contains(&item));
}
