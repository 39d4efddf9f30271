//! The lists of a closed month for the labour office (PUP) and the payroll, as CSV and XLSX:
//! parsed back and checked against amounts written here; only frozen data (the current
//! revision, this list's corrections); an open month refused; the manager only; audited.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;

use crate::helpers::*;

const MONTH: &str = "2026-11";

// November 2026 under the 2025 base: 1 721,90 zł × 120% = 2 066,28 zł.
const BASE: i64 = 206_628;
// Kowalska: one unjustified day, 1/20 of the base (10 331,4 gr → 10 331 gr), a bonus of 200 zł.
const KOWALSKA_BENEFIT: i64 = BASE - 10_331;
const KOWALSKA_BONUS: i64 = 20_000;
// Nowak: more than 3 unjustified days, the month forfeited; listed at 0.
// The correction of October for Kowalska sent with this list: one day less, no bonus change.
const CORRECTION: i64 = -10_331;

struct Arranged {
    kowalska_pesel: String,
    nowak_document: &'static str,
}

/// Centre A's November closed at revision 2: two statements (and a stale revision 1 that must
/// not show), one correction sent with this list, one pending and one sent with December.
async fn closed_month(app: &TestApp) -> Arranged {
    let centre = app.centre_id(CENTRE_A).await;
    let manager = app.user_id("kierownik").await;
    let kowalska = app
        .fixture_participant(CENTRE_A, "Kowalska", Some("socjalny1"), None)
        .await;
    let nowak = app
        .fixture_participant(CENTRE_A, "Nowak", Some("socjalny1"), None)
        .await;
    let nowak_document = "ABC123456";
    let kowalska_pesel = pesel(1985, 4, 12, 7, true);
    // Nowak has no PESEL, only an identity document; the month is closed at revision 2.
    sqlx::query(
        "with identities as (
             update participant set
                 pesel = case when participant_id = $1 then $3 end,
                 id_document = case when participant_id = $2 then $4 end
             where participant_id in ($1, $2))
         insert into benefit_month (centre_id, month, closed, revision, closed_by, closed_at)
         values ($5, '2026-11-01', true, 2, $6, now())",
    )
    .bind(kowalska)
    .bind(nowak)
    .bind(&kowalska_pesel)
    .bind(nowak_document)
    .bind(centre)
    .bind(manager)
    .execute(&app.db)
    .await
    .unwrap();
    let explanation = |from: &str, to: &str, present: i32| {
        serde_json::json!({
            "from": from, "to": to, "present": present,
            "lines": [["Podstawa", BASE], ["Świadczenie", null]], "warnings": []
        })
    };
    let statements = [
        (
            kowalska,
            1,
            999_999,
            0,
            explanation("2026-11-01", "2026-11-30", 20),
        ),
        (
            kowalska,
            2,
            KOWALSKA_BENEFIT,
            KOWALSKA_BONUS,
            explanation("2026-11-01", "2026-11-30", 20),
        ),
        (nowak, 2, 0, 0, explanation("2026-11-03", "2026-11-30", 14)),
    ];
    for (participant, revision, benefit, bonus, explanation) in statements {
        sqlx::query(
            "insert into benefit_statement (participant_id, month, revision, centre_id, base_grosze,
                 benefit_grosze, bonus_grosze, explanation)
             values ($1, '2026-11-01', $2, $3, $4, $5, $6, $7)",
        )
        .bind(participant)
        .bind(revision)
        .bind(centre)
        .bind(BASE as i32)
        .bind(benefit as i32)
        .bind(bonus as i32)
        .bind(explanation)
        .execute(&app.db)
        .await
        .unwrap();
    }
    let corrections = [
        (
            CORRECTION,
            "Korekta obecności; dzień 5 października",
            Some("2026-11-01"),
        ),
        (-1, "Jeszcze nie wysłana", None),
        (-2, "Wysłana z grudniem", Some("2026-12-01")),
    ];
    for (diff, reason, pup_month) in corrections {
        sqlx::query(
            "insert into benefit_correction (participant_id, month, centre_id, from_revision,
                 to_revision, benefit_diff_grosze, bonus_diff_grosze, reason, created_by, pup_month)
             values ($1, '2026-10-01', $2, 1, 2, $3, 0, $4, $5, $6::date)",
        )
        .bind(kowalska)
        .bind(centre)
        .bind(diff as i32)
        .bind(reason)
        .bind(manager)
        .bind(pup_month)
        .execute(&app.db)
        .await
        .unwrap();
    }
    Arranged {
        kowalska_pesel,
        nowak_document,
    }
}

/// A download: the checked headers and the body.
async fn download(app: &TestApp, session: &Session, file: &str, media: &str) -> Vec<u8> {
    let response = app
        .get(&format!("/benefits/{MONTH}/{file}"), Some(session))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{file}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with(media), "{file}");
    let stem = file.split('.').next().unwrap();
    let stem = if stem == "pup" {
        "lista-pup"
    } else {
        "lista-wyplat"
    };
    let ext = file.split('.').nth(1).unwrap();
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{stem}-{MONTH}.{ext}\"")
    );
    assert_eq!(header("cache-control"), "no-store");
    response.bytes().await.unwrap().to_vec()
}

/// Splits CSV as a spreadsheet reads it: `;`, CRLF, quoted fields with doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (';', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\n', false) => panic!("a bare LF ends a line"),
            (c, _) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last line ends in CRLF"
    );
    rows
}

/// "1994,40" → grosze.
fn grosze(text: &str) -> i64 {
    let (whole, cents) = text.split_once(',').expect("a decimal comma");
    assert_eq!(cents.len(), 2, "{text}");
    let value =
        whole.trim_start_matches('-').parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
    if text.starts_with('-') { -value } else { value }
}

fn csv_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    parse_csv(text)
}

fn row_named<'a>(rows: &'a [Vec<String>], col: usize, value: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r.get(col).map(String::as_str) == Some(value))
        .unwrap_or_else(|| panic!("no row with {value}"))
}

#[tokio::test]
async fn the_pup_csv_lists_the_frozen_month_the_corrections_and_the_totals() {
    // Arrange
    let app = spawn_app().await;
    let people = closed_month(&app).await;
    let manager = app.login("kierownik").await;

    // Act
    let rows = csv_of(&download(&app, &manager, "pup.csv", "text/csv").await);

    // Assert
    assert_eq!(rows[0][0], "Lp.");
    assert_eq!(rows[0].len(), 9);
    assert_eq!(rows[0][3], "PESEL lub nr dokumentu");
    let kowalska = row_named(&rows, 3, &people.kowalska_pesel);
    assert_eq!(kowalska[..3], ["1", "Kowalska", "Jan"]);
    assert_eq!(kowalska[4..6], ["01.11.2026", "30.11.2026"]);
    assert_eq!(grosze(&kowalska[6]), KOWALSKA_BENEFIT);
    assert_eq!(grosze(&kowalska[7]), KOWALSKA_BONUS);
    assert_eq!(grosze(&kowalska[8]), KOWALSKA_BENEFIT + KOWALSKA_BONUS);
    assert_eq!(kowalska[6], "1962,97");
    // A forfeited month is still listed; no PESEL: the document's number.
    let nowak = row_named(&rows, 3, people.nowak_document);
    assert_eq!(nowak[4], "03.11.2026");
    assert_eq!(nowak[6..9], ["0,00", "0,00", "0,00"]);
    let month_total = row_named(&rows, 1, "Razem za miesiąc");
    assert_eq!(grosze(&month_total[6]), KOWALSKA_BENEFIT);
    assert_eq!(grosze(&month_total[8]), KOWALSKA_BENEFIT + KOWALSKA_BONUS);

    assert!(
        rows.iter()
            .any(|r| r[0] == "Korekty za poprzednie miesiące")
    );
    let corrections: Vec<&Vec<String>> = rows
        .iter()
        .skip_while(|r| r[0] != "Korekty za poprzednie miesiące")
        .filter(|r| r.len() == 9 && r[0].parse::<u32>().is_ok())
        .collect();
    assert_eq!(corrections.len(), 1, "only this list's correction");
    let correction = corrections[0];
    assert_eq!(correction[3], people.kowalska_pesel);
    assert_eq!(correction[4], "październik 2026");
    assert_eq!(correction[5], "Korekta obecności; dzień 5 października");
    assert_eq!(grosze(&correction[6]), CORRECTION);
    assert_eq!(correction[6], "-103,31");
    let corrections_total = row_named(&rows, 1, "Razem korekty");
    assert_eq!(grosze(&corrections_total[8]), CORRECTION);
    let grand = row_named(&rows, 1, "Ogółem do refundacji");
    assert_eq!(grosze(&grand[6]), KOWALSKA_BENEFIT + CORRECTION);
    assert_eq!(
        grosze(&grand[8]),
        KOWALSKA_BENEFIT + KOWALSKA_BONUS + CORRECTION
    );
    // The stale revision is not read.
    assert!(!rows.iter().flatten().any(|f| f == "9999,99"));

    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'benefit.export' and outcome = 'success'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, "pup.csv 2026-11 rows=3");
}

#[tokio::test]
async fn the_payroll_csv_nets_the_corrections_and_leaves_the_signature_empty() {
    let app = spawn_app().await;
    let people = closed_month(&app).await;
    let manager = app.login("kierownik").await;

    let rows = csv_of(&download(&app, &manager, "payroll.csv", "text/csv").await);

    assert_eq!(rows[0].len(), 8);
    assert_eq!(rows[0][7], "Podpis odbierającego");
    let kowalska = row_named(&rows, 2, &people.kowalska_pesel);
    assert_eq!(kowalska[1], "Kowalska Jan");
    assert_eq!(grosze(&kowalska[3]), KOWALSKA_BENEFIT);
    assert_eq!(grosze(&kowalska[4]), KOWALSKA_BONUS);
    assert_eq!(grosze(&kowalska[5]), CORRECTION);
    assert_eq!(
        grosze(&kowalska[6]),
        KOWALSKA_BENEFIT + KOWALSKA_BONUS + CORRECTION
    );
    assert_eq!(kowalska[7], "");
    let nowak = row_named(&rows, 2, people.nowak_document);
    assert_eq!(nowak[6], "0,00");
    let total = row_named(&rows, 1, "Razem");
    assert_eq!(
        grosze(&total[6]),
        KOWALSKA_BENEFIT + KOWALSKA_BONUS + CORRECTION
    );
    assert_eq!(app.audit_count("benefit.export", Some("success")).await, 1);
}

/// The cells of a sheet, and the row whose column `col` holds `value`.
fn sheet_rows(bytes: Vec<u8>, name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn cell_row<'a>(rows: &'a [Vec<Data>], col: usize, value: &str) -> &'a Vec<Data> {
    rows.iter()
        .find(|r| matches!(r.get(col), Some(Data::String(s)) if s == value))
        .unwrap_or_else(|| panic!("no row with {value}"))
}

/// A money cell: a number (złoty), as grosze.
fn money(cell: &Data) -> i64 {
    match cell {
        Data::Float(f) => (f * 100.0).round() as i64,
        Data::Int(i) => i * 100,
        other => panic!("not a number: {other:?}"),
    }
}

#[tokio::test]
async fn the_xlsx_lists_hold_numbers_for_money_and_the_totals() {
    let app = spawn_app().await;
    let people = closed_month(&app).await;
    let manager = app.login("kierownik").await;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    let pup = sheet_rows(
        download(&app, &manager, "pup.xlsx", xlsx).await,
        "Lista PUP",
    );
    let header = cell_row(&pup, 0, "Lp.");
    assert_eq!(header[1], Data::String("Nazwisko".into()));
    let kowalska = cell_row(&pup, 3, &people.kowalska_pesel);
    assert_eq!(money(&kowalska[6]), KOWALSKA_BENEFIT);
    assert_eq!(money(&kowalska[7]), KOWALSKA_BONUS);
    let nowak = cell_row(&pup, 3, people.nowak_document);
    assert_eq!(money(&nowak[8]), 0);
    assert_eq!(
        money(&cell_row(&pup, 1, "Razem za miesiąc")[8]),
        KOWALSKA_BENEFIT + KOWALSKA_BONUS
    );
    assert_eq!(money(&cell_row(&pup, 1, "Razem korekty")[6]), CORRECTION);
    assert_eq!(
        money(&cell_row(&pup, 1, "Ogółem do refundacji")[8]),
        KOWALSKA_BENEFIT + KOWALSKA_BONUS + CORRECTION
    );

    let payroll = sheet_rows(
        download(&app, &manager, "payroll.xlsx", xlsx).await,
        "Lista wypłat",
    );
    let kowalska = cell_row(&payroll, 2, &people.kowalska_pesel);
    assert_eq!(money(&kowalska[5]), CORRECTION);
    assert_eq!(
        money(&kowalska[6]),
        KOWALSKA_BENEFIT + KOWALSKA_BONUS + CORRECTION
    );
    assert_eq!(
        money(&cell_row(&payroll, 1, "Razem")[6]),
        KOWALSKA_BENEFIT + KOWALSKA_BONUS + CORRECTION
    );

    let details: Vec<String> = sqlx::query_scalar(
        "select detail from audit_event where action = 'benefit.export' and outcome = 'success'
         order by occurred_at",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        details,
        ["pup.xlsx 2026-11 rows=3", "payroll.xlsx 2026-11 rows=2"]
    );
}

#[tokio::test]
async fn an_open_month_has_no_list_and_nothing_is_audited_as_exported() {
    let app = spawn_app().await;
    closed_month(&app).await;
    sqlx::query("update benefit_month set closed = false")
        .execute(&app.db)
        .await
        .unwrap();
    let manager = app.login("kierownik").await;

    for file in ["pup.csv", "pup.xlsx", "payroll.csv", "payroll.xlsx"] {
        let (status, page) = body(&app, &format!("/benefits/{MONTH}/{file}"), &manager).await;
        assert_eq!(status, StatusCode::CONFLICT, "{file}");
        assert!(page.contains("Listę można pobrać po zamknięciu miesiąca."));
    }
    // A month never closed, and a month that is not a month.
    let (status, _) = body(&app, "/benefits/2026-10/pup.csv", &manager).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = body(&app, "/benefits/2026-13/pup.csv", &manager).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("benefit.export", Some("success")).await, 0);
}

#[tokio::test]
async fn only_the_manager_exports_and_only_their_own_centre() {
    let app = spawn_app().await;
    let people = closed_month(&app).await;

    for login in ["socjalny1", "instruktor", "admin"] {
        let session = app.login(login).await;
        let response = app
            .get(&format!("/benefits/{MONTH}/pup.csv"), Some(&session))
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{login}");
    }
    assert_eq!(app.audit_count("benefit.export", Some("denied")).await, 3);

    // The other centre's November is not closed: no list, and never centre A's people.
    let other = app.login("kierownik2").await;
    let (status, page) = body(&app, &format!("/benefits/{MONTH}/pup.csv"), &other).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(!page.contains(&people.kowalska_pesel));
    // Closed there too, with no statements: an empty list with zero totals.
    sqlx::query(
        "insert into benefit_month (centre_id, month, closed, revision, closed_by, closed_at)
         values ($1, '2026-11-01', true, 1, $2, now())",
    )
    .bind(app.centre_id(CENTRE_B).await)
    .bind(app.user_id("kierownik2").await)
    .execute(&app.db)
    .await
    .unwrap();
    let rows = csv_of(&download(&app, &other, "pup.csv", "text/csv").await);
    assert!(!rows.iter().flatten().any(|f| f == &people.kowalska_pesel));
    assert_eq!(row_named(&rows, 1, "Ogółem do refundacji")[8], "0,00");
}

/// Every download counts against the account's limit: a route whose path names a file format,
/// or a scan of a signed document, is marked so (a new download cannot be added without it).
#[test]
fn every_download_is_counted_against_the_accounts_limit() {
    let downloads: Vec<&str> = teczka::server::routes()
        .into_iter()
        .filter(|r| {
            [".csv", ".xlsx", ".json", "/csv", "/xlsx", "/scans/{scan}"]
                .iter()
                .any(|end| r.path.ends_with(end))
        })
        .map(|r| {
            assert!(r.export, "{} is a download but not counted", r.path);
            r.path
        })
        .collect();
    assert_eq!(downloads.len(), 12, "{downloads:?}");
}

#[tokio::test]
async fn downloads_beyond_the_accounts_burst_wait_and_the_refusal_is_audited() {
    let app = spawn_app_with(|config| {
        config.export_rate_burst = 2;
        config.export_rate_period = std::time::Duration::from_secs(3600);
    })
    .await;
    let manager = app.login("kierownik").await;
    let csv = format!("/reports/effectiveness.csv?{}", crate::reports::QUERY);
    for _ in 0..2 {
        assert_eq!(app.get(&csv, Some(&manager)).await.status(), StatusCode::OK);
    }
    // The third: refused with the wait, whatever the format, before any work or audit of a
    // download.
    for path in [csv.clone(), csv.replace(".csv", ".xlsx")] {
        let refused = app.get(&path, Some(&manager)).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
        assert!(refused.text().await.unwrap().contains("Zbyt wiele prób"));
    }
    assert_eq!(app.audit_count("report.export", Some("success")).await, 2);
    assert_eq!(
        app.audit_count("export.rate_limited", Some("denied")).await,
        2
    );
    // Pages are not downloads; another account has its own count.
    let page = format!("/reports/effectiveness?{}", crate::reports::QUERY);
    assert_eq!(
        app.get(&page, Some(&manager)).await.status(),
        StatusCode::OK
    );
    let other = app.login("kierownik2").await;
    assert_eq!(app.get(&csv, Some(&other)).await.status(), StatusCode::OK);
}
