//! Real-browser test of graduate follow-up: the social worker sees an overdue contact on Start,
//! follows its link to the form, records the contact, and the graduate leaves the list; axe-core
//! on every follow-up page (the forms with their error summary too).

use serde_json::json;

use crate::follow_ups::{graduate, items};
use crate::helpers::*;
use crate::webdriver::Browser;

#[tokio::test]
async fn the_social_worker_records_an_overdue_contact_from_start_and_axe_passes() {
    let app = spawn_app().await;
    let today = today(&app).await;
    // The first contact fell due 20 days ago: overdue.
    let on = teczka::validate::dates::add_months(today - time::Duration::days(20), -3);
    let id = graduate(&app, "Przeglądarkowa", "socjalny1", on).await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "socjalny1").await;

    // Start: the overdue contact, said in words, with its link to the form.
    browser.goto(&format!("{}/", app.address)).await;
    browser.wait_for_text("Kontakty z absolwentami").await;
    let start = browser.text().await;
    assert!(start.contains("Przeglądarkowa Jan"), "{start}");
    assert!(start.contains("Zaległe. Po terminie od"), "{start}");
    browser.assert_accessible("Start with a follow-up").await;
    browser
        .click(&format!(
            "main a[href='/participants/{id}/follow-ups/contact']"
        ))
        .await;
    browser
        .wait_for_text("Kontakt z absolwentem: Przeglądarkowa Jan")
        .await;
    browser.assert_accessible("the contact form").await;

    // Sent empty: the error summary.
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("Popraw zaznaczone pola").await;
    browser
        .assert_accessible("the contact form with errors")
        .await;

    // A phone call today: reached, employed on a fixed-term contract.
    browser
        .execute(
            "document.getElementById('contacted_on').value = arguments[0];",
            json!([iso(today)]),
        )
        .await;
    browser.choose("#form", "phone").await;
    browser.click("input[name=reached][value=yes]").await;
    browser.choose("#employment", "employed").await;
    browser.choose("#contract", "fixed_term").await;
    browser.choose("#skills_match", "yes").await;
    browser
        .fill(
            "#community",
            "Mieszka samodzielnie, utrzymuje kontakt z rodziną.",
        )
        .await;
    browser.click("main form button[type=submit]").await;
    browser
        .wait_for_path(&format!("/participants/{id}/follow-ups"))
        .await;
    browser.wait_for_text("Zapisano kontakt z").await;
    browser.assert_accessible("the graduate's follow-up").await;
    assert_eq!(items(&app, id).await[0].2, Some(today));

    // Start no longer lists the graduate.
    browser.goto(&format!("{}/", app.address)).await;
    browser.wait_for_text("Dzień dobry").await;
    assert!(!browser.text().await.contains("Przeglądarkowa Jan"));

    // The lists, and the timeline's forms with their errors.
    browser.goto(&format!("{}/follow-ups", app.address)).await;
    browser.wait_for_text("Monitoring absolwentów").await;
    browser.assert_accessible("the follow-up lists").await;
    browser
        .goto(&format!("{}/participants/{id}/follow-ups", app.address))
        .await;
    browser
        .click(&format!(
            "main form[action='/participants/{id}/follow-ups/extra'] button"
        ))
        .await;
    browser.wait_for_text("Popraw zaznaczone pola").await;
    browser
        .assert_accessible("the follow-up with the extra contact's errors")
        .await;

    // The manager's view of the centre and the settings.
    browser.quit().await;
    let manager = Browser::start().await;
    manager.sign_in(&app.address, "kierownik").await;
    manager.goto(&format!("{}/follow-ups", app.address)).await;
    manager.wait_for_text("Według pracowników socjalnych").await;
    manager
        .assert_accessible("the manager's follow-up lists")
        .await;
    manager
        .goto(&format!("{}/settings/follow-ups", app.address))
        .await;
    manager
        .wait_for_text("Monitoring absolwentów – terminy")
        .await;
    manager.assert_accessible("the follow-up settings").await;
    manager.quit().await;
}
