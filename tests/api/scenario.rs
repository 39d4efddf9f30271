//! A day at the centre in a real browser: the manager sees a trial period that has ended on Start,
//! opens the file and confirms the participant; the social worker adds a note for the team and
//! one for social work only (meeting the error summary on the way); the instructor sees only the
//! first. axe on every page it passes through.

use serde_json::json;

use crate::helpers::*;
use crate::webdriver::Browser;

async fn sign_out(browser: &Browser) {
    browser.click("form[action='/logout'] button").await;
    browser.wait_for_path("/login?wylogowano=1").await;
}

async fn active_id(browser: &Browser) -> String {
    browser
        .execute("return document.activeElement.id;", json!([]))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_manager_confirms_a_trial_from_start_and_notes_reach_only_their_readers() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Scenariuszowa", Some("socjalny1"), Some(workshop))
        .await;
    app.update_participant(
        id,
        "status = 'trial', trial_ends_on = current_date - 1, sex = 'K', first_names = 'Zofia'",
    )
    .await;
    let browser = Browser::start().await;

    // The manager: Start names the trial ending; the link opens the file; one step confirms.
    browser.sign_in(&app.address, "kierownik").await;
    let home = browser.text().await;
    assert!(home.contains("Okres próbny kończy się"), "{home}");
    assert!(home.contains("Scenariuszowa Zofia"));
    browser
        .click(&format!("main a[href='/participants/{id}']"))
        .await;
    browser.wait_for_path(&format!("/participants/{id}")).await;
    browser.assert_accessible("file in the trial period").await;
    browser
        .click(&format!(
            "main a[href='/participants/{id}/status/participant']"
        ))
        .await;
    browser
        .wait_for_path(&format!("/participants/{id}/status/participant"))
        .await;
    browser.assert_accessible("confirmation form").await;
    let yesterday: String = sqlx::query_scalar(
        "select to_char(trial_ends_on, 'YYYY-MM-DD') from participant where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        browser.value("#date").await,
        yesterday,
        "the trial end is pre-filled"
    );
    browser.click("main form button[type=submit]").await;
    browser.wait_for_path(&format!("/participants/{id}")).await;
    assert!(browser.text().await.contains("Nowy status: Uczestnik."));
    let status: String =
        sqlx::query_scalar("select status::text from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(status, "participant");
    sign_out(&browser).await;

    // The social worker: an empty note first, meeting the error summary.
    browser.sign_in(&app.address, "socjalny1").await;
    browser
        .goto(&format!("{}/participants/{id}/notes/new", app.address))
        .await;
    browser.assert_accessible("new note").await;
    browser.fill("#noted_on", "").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("Popraw zaznaczone pola").await;
    assert_eq!(
        active_id(&browser).await,
        "error-summary",
        "the summary has the focus"
    );
    browser.assert_accessible("note with errors").await;
    browser.click("#error-summary li:nth-child(2) a").await;
    assert_eq!(
        active_id(&browser).await,
        "kind",
        "a summary link focuses its field"
    );
    for (topic, body, visibility) in [
        (
            "Plan na grudzień",
            "Ustalono dyżury w pracowni i dojazdy.",
            "team",
        ),
        (
            "Sytuacja mieszkaniowa",
            "Zaległości czynszowe – wniosek o zasiłek celowy.",
            "social_work",
        ),
    ] {
        browser
            .goto(&format!("{}/participants/{id}/notes/new", app.address))
            .await;
        browser.choose("#kind", "conversation").await;
        browser.fill("#topic", topic).await;
        browser.fill("#body", body).await;
        browser.choose("#visibility", visibility).await;
        browser.click("main form button[type=submit]").await;
        browser.wait_for_text("Dodano notatkę.").await;
    }
    let file = browser.text().await;
    assert!(file.contains("Ustalono dyżury") && file.contains("Zaległości czynszowe"));
    browser.assert_accessible("file with notes").await;
    sign_out(&browser).await;

    // The instructor: the team's note, not social work's.
    browser.sign_in(&app.address, "instruktor").await;
    browser
        .goto(&format!("{}/participants/{id}", app.address))
        .await;
    let file = browser.text().await;
    assert!(
        file.contains("Ustalono dyżury w pracowni i dojazdy."),
        "{file}"
    );
    assert!(!file.contains("Zaległości czynszowe"));
    assert!(!file.contains("Sytuacja mieszkaniowa"));
    browser.assert_accessible("instructor's file").await;
    browser.quit().await;
}
