//! The data-protection officer's audit log (issue 13, item 1): the search narrows by each
//! filter, pages with a cursor, exports what it shows, stays in the DPO's centre, shows no case
//! content, refuses bad input with a Polish message and audits every read (the reports:
//! `audit_reports.rs`).

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::*;

/// Inserts one audit row: `login` did `action` with `outcome`, on `participant`, `minutes_ago`
/// minutes ago; returns its id.
pub async fn event(
    app: &TestApp,
    login: &str,
    action: &str,
    outcome: &str,
    participant: Option<Uuid>,
    minutes_ago: i64,
    detail: &str,
) -> i64 {
    sqlx::query_scalar(
        "insert into audit_event (actor_id, actor_role, centre_id, action, object_type, object_id,
                                  participant_id, outcome, detail, occurred_at)
         select u.staff_user_id, u.role, u.centre_id, $2,
                case when $3::uuid is null then null else 'participant' end, $3, $3, $4, $5,
                now() - make_interval(mins => $6::int)
         from staff_user u where u.login = $1
         returning audit_event_id",
    )
    .bind(login)
    .bind(action)
    .bind(participant)
    .bind(outcome)
    .bind(detail)
    .bind(minutes_ago as i32)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

pub const DAY: i64 = 24 * 60;

/// A link's address as the browser reads it from the page (askama writes `&` as `&#38;`).
pub fn unescape(html: &str) -> String {
    html.replace("&#38;", "&").replace("&amp;", "&")
}

/// The ids of the events a page of the search shows, in order.
fn shown(page: &str) -> Vec<i64> {
    page.match_indices("<tr id=\"e")
        .map(|(at, m)| {
            let rest = &page[at + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

/// The fixture: two files of centre A (socjalny1's "Pierwsza", socjalny2's "Druga") and one of
/// centre B, and events 15–20 days ago, one 45 days ago, one in centre B.
struct Log {
    first: Uuid,
    second: Uuid,
    other: Uuid,
    /// socjalny1 opens Pierwsza, socjalny1 opens Druga, socjalny2 opens Druga, the manager
    /// exports, the psychologist is refused Pierwsza, socjalny1's edit of Pierwsza fails.
    e: [i64; 6],
    old: i64,
    elsewhere: i64,
}

async fn log(app: &TestApp) -> Log {
    let first = app
        .fixture_participant(CENTRE_A, "Pierwsza", Some("socjalny1"), None)
        .await;
    let second = app
        .fixture_participant(CENTRE_A, "Druga", Some("socjalny2"), None)
        .await;
    let other = app
        .fixture_participant(CENTRE_B, "Obca", Some("socjalny3"), None)
        .await;
    let parts = "identity,personal,categories.health";
    let e = [
        event(
            app,
            "socjalny1",
            "participant.view",
            "success",
            Some(first),
            20 * DAY,
            parts,
        )
        .await,
        event(
            app,
            "socjalny1",
            "participant.view",
            "success",
            Some(second),
            19 * DAY,
            parts,
        )
        .await,
        event(
            app,
            "socjalny2",
            "participant.view",
            "success",
            Some(second),
            18 * DAY,
            parts,
        )
        .await,
        event(
            app,
            "kierownik",
            "benefit.export",
            "success",
            None,
            17 * DAY,
            "pup.csv 2026-10 rows=3",
        )
        .await,
        event(
            app,
            "psycholog",
            "participant.view",
            "denied",
            Some(first),
            16 * DAY,
            "",
        )
        .await,
        event(
            app,
            "socjalny1",
            "participant.edit",
            "failure",
            Some(first),
            15 * DAY,
            "Alkoholizm w wywiadzie",
        )
        .await,
    ];
    let old = event(
        app,
        "kierownik",
        "participant.view",
        "success",
        Some(first),
        45 * DAY,
        "print,identity",
    )
    .await;
    let elsewhere = event(
        app,
        "kierownik2",
        "participant.view",
        "success",
        Some(other),
        17 * DAY,
        parts,
    )
    .await;
    Log {
        first,
        second,
        other,
        e,
        old,
        elsewhere,
    }
}

#[tokio::test]
async fn the_dpo_narrows_the_log_by_each_filter_and_never_sees_another_centre() {
    let app = spawn_app().await;
    let log = log(&app).await;
    let today = today(&app).await;
    let period = format!(
        "from={}&to={}",
        iso(today - time::Duration::days(30)),
        iso(today - time::Duration::days(1))
    );
    let dpo = app.login("iod").await;
    let e = log.e;
    let sw1 = app.user_id("socjalny1").await;
    let cases: Vec<(String, Vec<i64>)> = vec![
        (period.clone(), vec![e[5], e[4], e[3], e[2], e[1], e[0]]),
        (
            format!("{period}&participant={}", log.first),
            vec![e[5], e[4], e[0]],
        ),
        (format!("{period}&who=pierwsza"), vec![e[5], e[4], e[0]]),
        (format!("{period}&staff={sw1}"), vec![e[5], e[1], e[0]]),
        (
            format!("{period}&action=participant.view"),
            vec![e[4], e[2], e[1], e[0]],
        ),
        (format!("{period}&outcome=denied"), vec![e[4]]),
        (format!("{period}&outcome=failure"), vec![e[5]]),
        (
            format!(
                "from={}&to={}",
                iso(today - time::Duration::days(50)),
                iso(today - time::Duration::days(40))
            ),
            vec![log.old],
        ),
        (
            format!(
                "{period}&staff={sw1}&action=participant.view&participant={}",
                log.second
            ),
            vec![e[1]],
        ),
    ];
    for (query, want) in cases {
        let (status, page) = body(&app, &format!("/audit?{query}"), &dpo).await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        assert_eq!(shown(&page), want, "{query}");
        assert!(!page.contains("Obca"), "{query}");
    }
    // The other centre: its event never shows, its participant is not found, its staff member
    // is not on the list.
    let (_, page) = body(&app, "/audit?from=2000-01-01&to=2099-12-31", &dpo).await;
    assert!(!shown(&page).contains(&log.elsewhere));
    assert!(!page.contains("Karol Kierownik"));
    let (status, page) = body(
        &app,
        &format!("/audit?participant={}&{period}", log.other),
        &dpo,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Nie ma takiego uczestnika w ośrodku."));
    let boss2 = app.user_id("kierownik2").await;
    let (status, page) = body(&app, &format!("/audit?staff={boss2}&{period}"), &dpo).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Wybierz pracownika z listy."));
    // Centre B's DPO sees centre B's event and none of centre A's.
    let dpo2 = app.login("iod2").await;
    let (_, page) = body(&app, &format!("/audit?{period}"), &dpo2).await;
    assert_eq!(shown(&page), vec![log.elsewhere]);
}

#[tokio::test]
async fn rows_show_labels_and_file_parts_never_the_free_text_detail() {
    let app = spawn_app().await;
    let log = log(&app).await;
    let dpo = app.login("iod").await;
    let (_, page) = body(
        &app,
        &format!(
            "/audit?participant={}&from=2000-01-01&to=2099-12-31",
            log.first
        ),
        &dpo,
    )
    .await;
    assert!(page.contains("Otwarcie teczki"));
    assert!(page.contains("Edycja danych uczestnika"));
    assert!(page.contains("odmowa"));
    assert!(page.contains("niepowodzenie"));
    assert!(
        page.contains("kategorie – zdrowie"),
        "the parts a view showed"
    );
    assert!(page.contains("wydruk: imię, nazwisko i status"));
    // The failed edit's detail is free text: never shown.
    assert!(!page.contains("Alkoholizm"), "{page}");
    // No case content: the fixture file's categories, PESEL-free rows, no notes.
    assert!(!page.contains("Rekrutacja"));
    assert!(!page.contains("long_term_unemployed"));
}

#[tokio::test]
async fn the_cursor_pages_through_without_losing_or_repeating_a_row() {
    let app = spawn_app().await;
    let first = app
        .fixture_participant(CENTRE_A, "Pierwsza", Some("socjalny1"), None)
        .await;
    // 120 searches, three at each moment (ties broken by id).
    let mut ids = Vec::new();
    for i in 0..120 {
        ids.push(
            event(
                &app,
                "socjalny1",
                "participant.search",
                "success",
                Some(first),
                DAY + i / 3,
                "",
            )
            .await,
        );
    }
    let dpo = app.login("iod").await;
    let today = today(&app).await;
    let mut path = format!(
        "/audit?action=participant.search&from={}&to={}",
        iso(today - time::Duration::days(3)),
        iso(today)
    );
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let (status, page) = body(&app, &path, &dpo).await;
        assert_eq!(status, StatusCode::OK);
        pages += 1;
        assert!(pages <= 3, "{path}");
        let rows = shown(&page);
        assert!(rows.len() <= 50);
        seen.extend(rows);
        let Some(at) = page.find("\">Starsze zdarzenia</a>") else {
            break;
        };
        let start = page[..at].rfind("href=\"").unwrap() + 6;
        path = unescape(&page[start..at]);
        assert!(path.contains("before="));
    }
    assert_eq!(pages, 3);
    // Newest first: the insertion order reversed within a moment, moments newest first.
    let mut want = ids.clone();
    want.sort_by_key(|id| {
        let i = ids.iter().position(|x| x == id).unwrap() as i64;
        (i / 3, -id)
    });
    assert_eq!(seen, want);
    // Each page's read is audited.
    assert_eq!(app.audit_count("audit.search", Some("success")).await, 3);
}

#[tokio::test]
async fn the_export_holds_the_rows_of_the_search_and_is_audited() {
    let app = spawn_app().await;
    let log = log(&app).await;
    let dpo = app.login("iod").await;
    let sw1 = app.user_id("socjalny1").await;
    let today = today(&app).await;
    let query = format!(
        "staff={sw1}&from={}&to={}",
        iso(today - time::Duration::days(30)),
        iso(today - time::Duration::days(1))
    );
    let response = app.get(&format!("/audit.csv?{query}"), Some(&dpo)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("Data i godzina;Pracownik;Rola;Czynność;Wynik"));
    // Newest first, like the page: the failed edit, then the two views.
    assert!(lines[1].contains("Edycja danych uczestnika;niepowodzenie"));
    assert!(lines[1].contains("Sylwia Socjalna"));
    assert!(lines[2].contains("Otwarcie teczki;powodzenie;teczka uczestnika;Druga Jan"));
    assert!(lines[3].contains("Otwarcie teczki;powodzenie;teczka uczestnika;Pierwsza Jan"));
    assert!(!csv.contains("Alkoholizm"));
    assert!(!csv.contains("Obca"));
    let _ = log.e;
    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'audit.export' and outcome = 'success'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(detail.contains("rows=3"), "{detail}");
    assert!(detail.contains(&format!("staff={sw1}")));
}

#[tokio::test]
async fn bad_input_gets_a_polish_message_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let dpo = app.login("iod").await;
    let cases = [
        (
            "/audit?action=participant.steal",
            "Wybierz czynność z listy.",
        ),
        ("/audit?outcome=maybe", "Wybierz wynik z listy."),
        (
            "/audit?from=2026-05-10&to=2026-05-01",
            "Koniec okresu nie może być przed jego początkiem.",
        ),
        ("/audit?from=10.05.2026x&to=2026-05-11", "10.05.2026x"),
        (
            "/audit?before=abc",
            "Odnośnik do kolejnej strony jest nieprawidłowy. Wyszukaj ponownie.",
        ),
        (
            "/audit?who=Zzzyx",
            "Nie znaleziono uczestnika o takim nazwisku ani numerze PESEL.",
        ),
        ("/audit?staff=not-an-id", "Wybierz pracownika z listy."),
        (
            "/data-protection?threshold=0",
            "Podaj liczbę teczek od 1 do 500.",
        ),
        (
            "/data-protection?from=2026-05-10&to=2026-05-01",
            "Koniec okresu nie może być przed jego początkiem.",
        ),
    ];
    for (path, message) in cases {
        let (status, page) = body(&app, path, &dpo).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(page.contains(message), "{path}: {page}");
        assert!(page.contains("error-summary"), "{path}");
    }
    // What was typed stays in the form.
    let (_, page) = body(&app, "/audit?from=2026-05-10&to=2026-05-01", &dpo).await;
    assert!(page.contains("value=\"2026-05-10\"") && page.contains("value=\"2026-05-01\""));
    // A cursor that is a number but not an event of the centre: nothing older to show.
    let (status, page) = body(&app, "/audit?before=999999999", &dpo).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Nie ma starszych zdarzeń."));
    // A bad export link goes back to the form.
    let response = app.get("/audit.csv?outcome=maybe", Some(&dpo)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.audit_count("audit.export", None).await, 0);
    assert_eq!(app.audit_count("audit.search", None).await, 1);
}

#[tokio::test]
async fn a_surname_that_fits_several_people_offers_a_choice() {
    let app = spawn_app().await;
    let a = app
        .fixture_participant(CENTRE_A, "Kowalska", Some("socjalny1"), None)
        .await;
    let b = app
        .fixture_participant(CENTRE_A, "Kowalczyk", Some("socjalny1"), None)
        .await;
    let dpo = app.login("iod").await;
    let (status, page) = body(&app, "/audit?who=kowal", &dpo).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Wybierz uczestnika"));
    assert!(page.contains(&format!("participant={a}")));
    assert!(page.contains(&format!("participant={b}")));
    assert!(shown(&page).is_empty());
    // The PESEL's beginning finds one (the fixture's serials differ in the last digits).
    let pesel: String =
        sqlx::query_scalar("select pesel from participant where participant_id = $1")
            .bind(a)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (status, page) = body(&app, &format!("/audit?who={pesel}"), &dpo).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Uczestnik: <strong>Kowalska Jan</strong>"));
}

#[tokio::test]
async fn other_roles_are_refused_the_audit_pages_and_the_refusal_is_logged() {
    let app = spawn_app().await;
    for login in [
        "socjalny1",
        "psycholog",
        "instruktor",
        "admin",
        "kierownik",
        "doradca",
    ] {
        let session = app.login(login).await;
        for path in ["/audit", "/audit.csv", "/data-protection"] {
            let response = app.get(path, Some(&session)).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{login} {path}");
        }
    }
    assert_eq!(app.audit_count("audit.search", Some("denied")).await, 6);
    assert_eq!(app.audit_count("audit.report", Some("denied")).await, 6);
}
