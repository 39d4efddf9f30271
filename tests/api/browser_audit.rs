//! Real-browser test of the data-protection officer's audit search and reports: axe-core on the
//! search with results, with an error summary, with a choice of people, and on the reports;
//! the search is used through its form.

use crate::audit_search::event;
use crate::helpers::*;
use crate::webdriver::Browser;

#[tokio::test]
async fn the_dpo_searches_the_log_in_a_browser_and_the_pages_pass_axe() {
    let app = spawn_app().await;
    let first = app
        .fixture_participant(CENTRE_A, "Kowalska", Some("socjalny1"), None)
        .await;
    app.fixture_participant(CENTRE_A, "Kowalczyk", Some("socjalny2"), None)
        .await;
    event(
        &app,
        "socjalny1",
        "participant.view",
        "success",
        Some(first),
        60,
        "identity,personal",
    )
    .await;
    event(
        &app,
        "psycholog",
        "participant.view",
        "denied",
        Some(first),
        30,
        "",
    )
    .await;
    event(
        &app,
        "kierownik",
        "benefit.export",
        "success",
        None,
        20,
        "pup.csv",
    )
    .await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "iod").await;
    browser.goto(&format!("{}/audit", app.address)).await;
    browser.wait_for_text("Dziennik zdarzeń").await;
    browser.fill("#who", "kowalska").await;
    browser.choose("#outcome", "denied").await;
    browser.click("#search").await;
    browser.wait_for_text("Uczestnik: Kowalska Jan").await;
    let text = browser.text().await;
    assert!(text.contains("Otwarcie teczki"), "{text}");
    assert!(text.contains("odmowa"));
    browser.assert_accessible("/audit (results)").await;
    for (path, heading) in [
        ("/audit?who=kowal", "Wybierz uczestnika"),
        (
            "/audit?from=2026-05-10&to=2026-05-01&action=x",
            "Popraw zaznaczone pola",
        ),
        ("/data-protection", "Teczki otwarte poza przydziałem"),
        ("/data-protection?threshold=abc", "Popraw zaznaczone pola"),
    ] {
        browser.goto(&format!("{}{path}", app.address)).await;
        browser.wait_for_text(heading).await;
        browser.assert_accessible(path).await;
    }
    browser.quit().await;
}
