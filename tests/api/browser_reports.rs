//! Real-browser test of the effectiveness report: axe-core on the page with its three charts,
//! on the page with an error summary, on the empty period and on the print.

use serde_json::json;

use crate::helpers::*;
use crate::reports::{QUERY, fixture};
use crate::webdriver::Browser;

#[tokio::test]
async fn the_report_with_its_charts_passes_axe() {
    let app = spawn_app().await;
    fixture(&app).await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "kierownik").await;
    // Each page with the start of its heading, so that an error page cannot pass for it.
    let pages = [
        (
            format!("/reports/effectiveness?{QUERY}"),
            "Sprawozdanie z efektywności CIS",
            3,
        ),
        (
            format!("/reports/effectiveness/print?{QUERY}"),
            "Sprawozdanie z efektywności CIS",
            3,
        ),
        (
            "/reports/effectiveness?from=2030-01-01&to=2020-01-01&as_at=x".to_owned(),
            "Sprawozdanie z efektywności CIS",
            0,
        ),
        (
            "/reports/effectiveness?from=2010-01-01&to=2010-12-31&as_at=2011-01-31".to_owned(),
            "Sprawozdanie z efektywności CIS",
            0,
        ),
    ];
    for (path, heading, charts) in &pages {
        browser.goto(&format!("{}{path}", app.address)).await;
        browser.wait_for_text(heading).await;
        let drawn = browser
            .execute(
                "return document.querySelectorAll('svg[role=img] title').length;",
                json!([]),
            )
            .await;
        assert_eq!(drawn.as_i64(), Some(*charts), "{path}");
        browser.assert_accessible(path).await;
    }
    browser.quit().await;
}
