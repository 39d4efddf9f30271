//! Real-browser test of the annual report: axe-core on the page with its figures and form, on
//! the page with an error summary, on a saved version, on the comparison and on the print.

use crate::helpers::*;
use crate::webdriver::Browser;

#[tokio::test]
async fn the_annual_report_pages_pass_axe() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let mut saved = Vec::new();
    for remarks in ["Pierwsza wersja", "Druga wersja, poprawiona"] {
        let response = app
            .post(
                "/reports/annual",
                Some(&manager),
                &[
                    ("year", "2024"),
                    ("as_at", "2025-01-31"),
                    ("remarks", remarks),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
        saved.push(location(&response));
    }
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "kierownik").await;
    let other = saved[0].trim_start_matches("/reports/annual/");
    let pages = [
        (
            "/reports/annual?year=2024&as_at=2025-01-31".to_owned(),
            "Sprawozdanie roczne dla wojewody",
        ),
        (
            "/reports/annual?year=2999&as_at=x".to_owned(),
            "Popraw zaznaczone pola",
        ),
        (saved[1].clone(), "Sprawozdanie roczne za 2024"),
        (
            format!("{}/diff?with={other}", saved[1]),
            "Porównanie wersji",
        ),
        (
            format!("{}/print", saved[1]),
            "Sprawozdanie roczne CIS za 2024",
        ),
    ];
    for (path, heading) in &pages {
        browser.goto(&format!("{}{path}", app.address)).await;
        browser.wait_for_text(heading).await;
        browser.assert_accessible(path).await;
    }
    browser.quit().await;
}
