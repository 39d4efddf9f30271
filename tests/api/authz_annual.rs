//! The authorization matrix's entries for the annual report (issue 13; the matrix itself, and
//! the one test over every route, are in `authz_matrix.rs`): the page, saving a version, a
//! version's page, print, downloads and comparison are the manager's; other staff are refused
//! (403, the administrator by the gate). The matrix fills `{id}` with a staff account's id,
//! which is no version: the manager gets 404 there. A real version is tried below: its own
//! centre's manager opens it, the other centre's manager gets 404 as for a missing one.

use crate::authz_matrix::{Principal, Scope, manager_only};
use crate::helpers::*;

/// What a principal gets from an annual-report route; `None`: not one of them.
pub fn expected(method: &str, path: &str, who: Principal, _scope: Scope) -> Option<u16> {
    Some(match (method, path) {
        ("GET", "/reports/annual") => manager_only(who, 200),
        // No fields: the last year as at yesterday, with empty texts, is saved.
        ("POST", "/reports/annual") => manager_only(who, 303),
        (
            "GET",
            "/reports/annual/{id}"
            | "/reports/annual/{id}/print"
            | "/reports/annual/{id}/csv"
            | "/reports/annual/{id}/xlsx"
            | "/reports/annual/{id}/diff",
        ) => manager_only(who, 404),
        _ => return None,
    })
}

#[tokio::test]
async fn a_version_opens_for_its_centres_manager_only() {
    // Arrange: a version saved in centre A.
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let response = app
        .post(
            "/reports/annual",
            Some(&manager),
            &[("remarks", "Pierwsza")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let first = location(&response);
    let response = app
        .post("/reports/annual", Some(&manager), &[("remarks", "Druga")])
        .await;
    let second = location(&response);
    let id = second.trim_start_matches("/reports/annual/").to_owned();
    let other = first.trim_start_matches("/reports/annual/");
    let paths = [
        second.clone(),
        format!("{second}/print"),
        format!("{second}/csv"),
        format!("{second}/xlsx"),
        format!("{second}/diff?with={other}"),
    ];
    let other_manager = app.login("kierownik2").await;
    let worker = app.login("socjalny1").await;
    for path in &paths {
        // Act / Assert
        assert_eq!(
            app.get(path, Some(&manager)).await.status().as_u16(),
            200,
            "{path}"
        );
        assert_eq!(
            app.get(path, Some(&other_manager)).await.status().as_u16(),
            404,
            "{path}"
        );
        assert_eq!(
            app.get(path, Some(&worker)).await.status().as_u16(),
            403,
            "{path}"
        );
    }
    // Comparing with the other centre's version: 404 as well.
    let response = app
        .post(
            "/reports/annual",
            Some(&other_manager),
            &[("remarks", "Obca")],
        )
        .await;
    let foreign = location(&response);
    let foreign = foreign.trim_start_matches("/reports/annual/");
    let path = format!("/reports/annual/{id}/diff?with={foreign}");
    assert_eq!(app.get(&path, Some(&manager)).await.status().as_u16(), 404);
}
