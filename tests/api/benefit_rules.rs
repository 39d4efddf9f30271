//! The benefit rules screen: the manager adds the next unemployment benefit amount and the
//! centre's own rule row; the calculator's rules then use them; bad input is refused with a
//! message per field and nothing written; only the manager.

use reqwest::StatusCode;
use teczka::benefits::rules::BenefitRules;
use time::macros::date;

use crate::helpers::*;

const NBSP: char = '\u{a0}';

async fn rows(app: &TestApp, table: &str) -> i64 {
    let sql = match table {
        "unemployment_benefit" => "select count(*) from unemployment_benefit",
        _ => "select count(*) from benefit_rule",
    };
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

async fn rules(app: &TestApp, centre: &str) -> BenefitRules {
    let centre = app.centre_id(centre).await;
    let mut conn = app.db.acquire().await.unwrap();
    BenefitRules::load(&mut conn, centre).await.unwrap()
}

#[tokio::test]
async fn the_manager_adds_the_next_amount_and_the_month_uses_it() {
    // Arrange
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;

    // Act
    let (status, to) = post_text(
        &app,
        "/settings/benefits/base",
        &manager,
        &[
            ("base_from", "01.06.2026"),
            ("base_amount", "1 800,00"),
            (
                "base_source",
                "Obwieszczenie Ministra Rodziny, Pracy i Polityki Społecznej – od 1 czerwca 2026 r.",
            ),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/settings/benefits");
    let rule = rules(&app, CENTRE_A)
        .await
        .on(date!(2026 - 07 - 01))
        .unwrap();
    assert_eq!(rule.unemployment_benefit_grosze, 180_000);
    assert_eq!(rule.base_grosze(), 216_000);
    // The month before still has the 2025 amount; the other centre never sees this one: it
    // keeps the installation's amount from 1 June 2026 (1 783,90 zł).
    let may = rules(&app, CENTRE_A)
        .await
        .on(date!(2026 - 05 - 31))
        .unwrap();
    assert_eq!(may.unemployment_benefit_grosze, 172_190);
    let other = rules(&app, CENTRE_B)
        .await
        .on(date!(2026 - 07 - 01))
        .unwrap();
    assert_eq!(other.unemployment_benefit_grosze, 178_390);

    let (status, page) = body(&app, "/settings/benefits", &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("1{NBSP}800,00{NBSP}zł")));
    assert!(page.contains(&format!("2{NBSP}160,00{NBSP}zł (120%)")));
    assert!(page.contains("ten ośrodek"));
    assert!(page.contains("Dodano kwotę zasiłku"));
    assert_eq!(app.audit_count("benefit.manage", Some("success")).await, 1);
}

#[tokio::test]
async fn a_bad_amount_a_date_not_on_the_first_and_a_missing_source_are_refused() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let before = rows(&app, "unemployment_benefit").await;

    let (status, page) = post_text(
        &app,
        "/settings/benefits/base",
        &manager,
        &[
            ("base_from", "15.06.2026"),
            ("base_amount", "tysiąc"),
            ("base_source", ""),
        ],
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Kwota obowiązuje od pierwszego dnia miesiąca"));
    assert!(page.contains("nie jest kwotą"));
    assert!(page.contains("Podaj źródło kwoty"));
    // The input is kept.
    assert!(page.contains("value=\"15.06.2026\""));
    assert!(page.contains("value=\"tysiąc\""));
    for (amount, message) in [("50,00", "od 100,00 zł do 100 000,00 zł"), ("-5", "ujemna")] {
        let (status, page) = post_text(
            &app,
            "/settings/benefits/base",
            &manager,
            &[
                ("base_from", "2026-06-01"),
                ("base_amount", amount),
                ("base_source", "Obwieszczenie"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        assert!(page.contains(message), "{amount}");
    }
    assert_eq!(rows(&app, "unemployment_benefit").await, before);
    assert_eq!(app.audit_count("benefit.manage", Some("success")).await, 0);

    // A second amount from the same month is refused too.
    let fields = [
        ("base_from", "2026-06-01"),
        ("base_amount", "1800"),
        ("base_source", "Obwieszczenie"),
    ];
    let (status, _) = post_text(&app, "/settings/benefits/base", &manager, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = post_text(&app, "/settings/benefits/base", &manager, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Kwota od tej daty jest już wpisana"));
    assert_eq!(rows(&app, "unemployment_benefit").await, before + 1);
}

/// The rule form as the page pre-fills it (the 2022 row), with a date and a source.
fn rule_fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("rule_from", "2026-01-01"),
        ("base_percent", "120"),
        ("days_off_allowance", "12"),
        ("unjustified_num", "1"),
        ("unjustified_den", "20"),
        ("forfeit_after", "3"),
        ("sick_num", "1"),
        ("sick_den", "40"),
        ("sick_day_limit", "14"),
        ("other_num", "0"),
        ("other_den", "1"),
        ("other_day_limit", ""),
        ("proration_den", "30"),
        ("bonus_cap_percent", "50"),
        ("pai_min_weekly_minutes", "600"),
        ("rule_source", "Uchwała zarządu stowarzyszenia nr 3/2025"),
    ];
    for (name, value) in overrides {
        if let Some(f) = fields.iter_mut().find(|(n, _)| n == name) {
            f.1 = value;
        }
    }
    fields
}

#[tokio::test]
async fn the_centres_own_rule_applies_from_its_date_and_bad_numbers_are_refused() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;

    // The page shows the rows in words, today's marked, and the form pre-filled.
    let (status, page) = body(&app, "/settings/benefits", &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("12 dni wolnych w całym uczestnictwie"));
    assert!(page.contains(
        "1/20 za dzień nieobecności nieusprawiedliwionej; więcej niż 3 dni – utrata świadczenia za miesiąc"
    ));
    assert!(page.contains("zwolnienie lekarskie 1/40 za dzień do 14 dni"));
    assert!(page.contains("obowiązuje dziś"));
    assert!(page.contains("instalacja"));
    assert!(page.contains(
        "Zmiana z datą wsteczną nie zmienia zamkniętych miesięcy; przeliczenie pokaże korekty."
    ));
    assert!(page.contains(
        "id=\"days_off_allowance\" name=\"days_off_allowance\" type=\"text\" value=\"12\""
    ));

    let before = rows(&app, "benefit_rule").await;
    let bad = rule_fields(&[
        ("sick_day_limit", "32"),
        ("unjustified_num", "21"),
        ("base_percent", "sto"),
        ("rule_source", ""),
    ]);
    let (status, page) = post_text(&app, "/settings/benefits/rule", &manager, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Limit dni: wpisz liczbę całkowitą od 0 do 31 (wpisano „32”)."));
    assert!(page.contains("Licznik nie może być większy od mianownika"));
    assert!(page.contains("Procent zasiłku: wpisz liczbę całkowitą od 1 do 500"));
    assert!(page.contains("Podaj podstawę prawną"));
    assert!(page.contains("value=\"sto\""));
    assert_eq!(rows(&app, "benefit_rule").await, before);

    let (status, to) =
        post_text(&app, "/settings/benefits/rule", &manager, &rule_fields(&[])).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let all = rules(&app, CENTRE_A).await;
    assert_eq!(all.on(date!(2026 - 02 - 01)).unwrap().bonus_cap_percent, 50);
    assert_eq!(
        all.on(date!(2025 - 12 - 31)).unwrap().bonus_cap_percent,
        100
    );
    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'benefit.manage' and outcome = 'success'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(detail.starts_with("rule valid_from=2026-01-01 base_percent=120"));
    assert!(detail.contains("bonus_cap=50"));

    let (status, page) =
        post_text(&app, "/settings/benefits/rule", &manager, &rule_fields(&[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Zasady od tej daty są już wpisane"));
}

#[tokio::test]
async fn only_the_manager_sees_and_changes_the_benefit_rules() {
    let app = spawn_app().await;
    let before = rows(&app, "unemployment_benefit").await;
    for login in ["socjalny1", "psycholog", "instruktor", "admin"] {
        let session = app.login(login).await;
        let (status, _) = body(&app, "/settings/benefits", &session).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
        let (status, _) = post_text(
            &app,
            "/settings/benefits/base",
            &session,
            &[
                ("base_from", "2026-06-01"),
                ("base_amount", "1800"),
                ("base_source", "Obwieszczenie"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
        let (status, _) =
            post_text(&app, "/settings/benefits/rule", &session, &rule_fields(&[])).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
    }
    assert_eq!(rows(&app, "unemployment_benefit").await, before);
    assert_eq!(app.audit_count("benefit.manage", Some("denied")).await, 12);
}
