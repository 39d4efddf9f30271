//! Real-browser test of retention and the data history: axe-core on the periods (empty and
//! with a message), the review list, a file waiting for review, its confirmation page, a held
//! file, an anonymised file, and a file's data history.

use crate::helpers::*;
use crate::reports::fixture;
use crate::retention::{graduates_on_file, period, scan};
use crate::webdriver::Browser;

#[tokio::test]
async fn the_retention_pages_pass_axe() {
    // Arrange: G1–G6 past a one-month period, G2 held, G3 anonymised, G4 with a data history.
    let app = spawn_app().await;
    let g = fixture(&app).await.graduates;
    graduates_on_file(&app, &g).await;
    let manager = app.login("kierownik").await;
    let hold = format!("/participants/{}/holds", g[1]);
    post_text(
        &app,
        &hold,
        &manager,
        &[("reason", "Kontrola PIP"), ("until", "")],
    )
    .await;
    period(&app, &manager, "graduate_file", "1").await;
    scan(&app).await;
    let anonymise = format!("/participants/{}/anonymise", g[2]);
    post_text(&app, &anonymise, &manager, &[("confirm", "tak")]).await;
    sqlx::query(
        "insert into participant_rectification (participant_id, centre_id, field, old_value, new_value, changed_by)
         select participant_id, centre_id, 'Nazwisko', 'Dawna', surname, $2 from participant where participant_id = $1",
    )
    .bind(g[3])
    .bind(app.user_id("socjalny1").await)
    .execute(&app.db)
    .await
    .unwrap();

    let browser = Browser::start().await;
    browser.sign_in(&app.address, "kierownik").await;
    let pages = [
        (
            "/settings/retention".to_owned(),
            "Okresy przechowywania teczek",
        ),
        ("/retention".to_owned(), "Teczki po okresie przechowywania"),
        (
            format!("/participants/{}/retention", g[0]),
            "Zanonimizuj teczkę",
        ),
        (
            format!("/participants/{}/retention", g[1]),
            "Zdejmij blokadę",
        ),
        (
            format!("/participants/{}/retention", g[2]),
            "Zanonimizowano",
        ),
        (
            format!("/participants/{}/data-history", g[3]),
            "Historia zmian danych",
        ),
    ];
    for (path, text) in &pages {
        browser.goto(&format!("{}{path}", app.address)).await;
        browser.wait_for_text(text).await;
        browser.assert_accessible(path).await;
    }
    // The confirmation page, and a period refused with the error summary.
    browser
        .goto(&format!("{}/participants/{}/retention", app.address, g[0]))
        .await;
    browser.click("form[action$='/anonymise'] button").await;
    browser.wait_for_text("Tak, zanonimizuj teczkę").await;
    browser.assert_accessible("confirmation").await;
    browser
        .goto(&format!("{}/settings/retention", app.address))
        .await;
    browser.fill("#months", "dziesięć lat").await;
    browser
        .click("form[action='/settings/retention'] button")
        .await;
    browser.wait_for_text("Popraw zaznaczone pola").await;
    browser.assert_accessible("periods with errors").await;
    browser.quit().await;
}
