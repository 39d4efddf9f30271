//! Real-browser tests: headless Chromium through chromedriver, with axe-core on every page.

use crate::helpers::*;
use crate::webdriver::Browser;

#[tokio::test]
async fn a_social_worker_logs_in_sees_the_home_page_and_logs_out() {
    let app = spawn_app().await;
    let browser = Browser::start().await;

    browser.goto(&format!("{}/login", app.address)).await;
    browser.assert_accessible("login").await;
    // A wrong password first: the message is shown and the login is kept.
    browser.fill("#login", "socjalny1").await;
    browser.fill("#password", "to nie jest moje hasło").await;
    browser.click("button[type=submit]").await;
    assert!(
        browser
            .text()
            .await
            .contains("Nieprawidłowy login lub hasło.")
    );
    assert_eq!(browser.value("#login").await, "socjalny1");
    browser.assert_accessible("login with an error").await;

    browser.fill("#password", PASSWORD).await;
    browser
        .click("form[action='/login'] button[type=submit]")
        .await;
    browser.wait_for_path("/").await;
    let text = browser.text().await;
    assert!(text.contains("Dzień dobry, Sylwia"), "{text}");
    assert!(text.contains("Pracownik socjalny"));
    browser.assert_accessible("home").await;

    // Readable at 320 px without horizontal scrolling.
    browser.resize(320, 700).await;
    assert!(
        !browser.overflows_horizontally().await,
        "the home page scrolls sideways at 320 px"
    );
    browser
        .goto(&format!("{}/account/password", app.address))
        .await;
    assert!(
        !browser.overflows_horizontally().await,
        "the password page scrolls sideways at 320 px"
    );
    browser.assert_accessible("password change").await;
    browser.resize(1280, 900).await;

    browser.click("form[action='/logout'] button").await;
    browser.wait_for_path("/login?wylogowano=1").await;
    assert!(browser.text().await.contains("Wylogowano"));
    browser.assert_accessible("logged out").await;
    assert_eq!(app.session_count("socjalny1").await, 0);
    browser.quit().await;
}

#[tokio::test]
async fn the_admin_screens_and_error_pages_pass_axe() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&format!("{}/login", app.address)).await;
    browser.fill("#login", "admin").await;
    browser.fill("#password", PASSWORD).await;
    browser
        .click("form[action='/login'] button[type=submit]")
        .await;
    browser.wait_for_path("/").await;
    browser.assert_accessible("admin home").await;
    browser.goto(&format!("{}/admin/users", app.address)).await;
    browser.assert_accessible("staff list").await;
    browser
        .goto(&format!("{}/admin/users/new", app.address))
        .await;
    browser.fill("#full_name", "Nowa Osoba").await;
    browser.fill("#login", "Zły Login!").await;
    browser.click("main form button[type=submit]").await;
    assert!(browser.text().await.contains("Login: 3–40 znaków"));
    assert_eq!(browser.value("#full_name").await, "Nowa Osoba");
    browser.assert_accessible("new account with errors").await;
    browser.fill("#login", "nowa.osoba").await;
    browser
        .execute(
            "document.querySelector('#role').value = 'instructor';",
            serde_json::json!([]),
        )
        .await;
    browser.click("main form button[type=submit]").await;
    assert!(
        browser
            .text()
            .await
            .contains("Hasło jednorazowe dla „nowa.osoba”")
    );
    browser.assert_accessible("account page").await;
    browser
        .goto(&format!("{}/nie-ma-takiej-strony", app.address))
        .await;
    browser.assert_accessible("404 page").await;
    browser.quit().await;
}

#[tokio::test]
async fn the_accessibility_check_does_catch_a_violation() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&format!("{}/login", app.address)).await;
    // Plant an unlabelled field: axe must report it.
    browser
        .execute(
            "const i = document.createElement('input'); i.type = 'text'; document.querySelector('main').append(i);",
            serde_json::json!([]),
        )
        .await;
    let violations = browser.axe_violations("planted").await;
    let ids: Vec<&str> = violations.iter().filter_map(|v| v["id"].as_str()).collect();
    assert!(ids.contains(&"label"), "{ids:?}");
    browser.quit().await;
}
