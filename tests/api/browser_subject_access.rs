//! Real-browser test of the subject-access export: axe-core on the printable page of a file
//! with a record of every kind, and the page reflows at 320 px.

use crate::helpers::*;
use crate::subject_access::{CONTRACT, fixture};
use crate::webdriver::Browser;

#[tokio::test]
async fn the_subject_access_page_passes_axe() {
    let app = spawn_app().await;
    let (id, _) = fixture(&app).await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "kierownik").await;
    let path = format!("/participants/{id}/subject-access");
    browser.goto(&format!("{}{path}", app.address)).await;
    browser
        .wait_for_text("Dane osobowe przetwarzane przez CIS")
        .await;
    assert!(browser.text().await.contains(CONTRACT));
    browser.assert_accessible(&path).await;
    browser.resize(320, 800).await;
    assert!(!browser.overflows_horizontally().await, "reflow at 320 px");
    browser.quit().await;
}
