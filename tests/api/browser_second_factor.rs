//! Real-browser test of the second factor: a manager's first login leads through enrolment;
//! the test reads the key from the page, computes the code and finishes; the next login asks
//! for the code. axe-core on the enrolment page (also with an error), the recovery codes and
//! the code step.

use crate::helpers::*;
use crate::second_factor::{code_now, spawn_requiring};
use crate::webdriver::Browser;

/// Types the manager's login and password and submits them.
async fn log_in(browser: &Browser, address: &str) {
    browser.goto(&format!("{address}/login")).await;
    browser.fill("#login", "kierownik").await;
    browser.fill("#password", PASSWORD).await;
    browser
        .click("form[action='/login'] button[type=submit]")
        .await;
}

#[tokio::test]
async fn a_manager_enrols_in_the_browser_and_logs_in_with_a_code() {
    let app = spawn_requiring().await;
    let browser = Browser::start().await;
    log_in(&browser, &app.address).await;
    browser.wait_for_path("/login/second-factor").await;
    browser.wait_for_text("Dodaj konto w aplikacji").await;
    browser.assert_accessible("enrolment").await;

    // A code of the wrong shape: the message, the input kept.
    browser.fill("#code", "12 34").await;
    browser.click("form button[type=submit]").await;
    browser
        .wait_for_text("Kod z aplikacji ma dokładnie 6 cyfr.")
        .await;
    assert_eq!(browser.value("#code").await, "12 34");
    browser.assert_accessible("enrolment with an error").await;

    let key = browser
        .execute(
            "return document.getElementById('secret-text').textContent;",
            serde_json::json!([]),
        )
        .await;
    let key: String = key
        .as_str()
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let secret = totp_rs::Secret::try_from_base32(&key).unwrap();
    browser
        .fill("#code", &code_now(&app, secret.as_ref()))
        .await;
    browser.click("form button[type=submit]").await;
    browser.wait_for_text("Zapisz je teraz").await;
    assert_eq!(
        browser
            .execute(
                "return document.querySelectorAll('#recovery-codes li').length;",
                serde_json::json!([])
            )
            .await,
        serde_json::json!(10)
    );
    browser.assert_accessible("recovery codes").await;
    browser.click("a.button").await;
    browser.wait_for_path("/").await;
    browser.wait_for_text("Kinga Kierownik").await;

    // Signed out, in again: the code step.
    browser.click("form[action='/logout'] button").await;
    browser.wait_for_text("Wylogowano").await;
    app.advance(std::time::Duration::from_secs(30));
    log_in(&browser, &app.address).await;
    browser.wait_for_path("/login/code").await;
    browser.assert_accessible("code step").await;
    browser
        .fill("#code", &code_now(&app, secret.as_ref()))
        .await;
    browser.click("form[action='/login/code'] button").await;
    browser.wait_for_path("/").await;
    browser.quit().await;
}
