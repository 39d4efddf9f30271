//! The participant list as staff meet it: the people in the programme by default, filters in a
//! panel that opens when used, statuses as badges, "ukryte" for what a role may not see (apart
//! from "brak" for what is not there), and a registration form that does not guess the referral
//! date.

use reqwest::StatusCode;

use crate::helpers::*;

async fn page(app: &TestApp, path: &str, session: &Session) -> String {
    let response = app.get(path, Some(session)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_list_shows_the_active_by_default_with_badges_and_hidden_values_named() {
    let app = spawn_app().await;
    let active = app
        .fixture_participant(CENTRE_A, "Aktywna", Some("socjalny1"), None)
        .await;
    let candidate = app
        .fixture_participant(CENTRE_A, "Kandydująca", Some("socjalny1"), None)
        .await;
    app.before_admission(candidate, "candidate").await;
    let theirs = app
        .fixture_participant(CENTRE_A, "Cudza", Some("socjalny2"), None)
        .await;
    let manager = app.login("kierownik").await;
    let list = page(&app, "/participants", &manager).await;
    assert!(list.contains("Aktywna Jan") && list.contains("Cudza Jan"));
    assert!(
        !list.contains("Kandydująca"),
        "candidates only when asked for"
    );
    assert!(list.contains(r#"<span class="badge status-participant">Uczestnik</span>"#));
    assert!(
        list.contains(r#"<details class="panel filters-panel">"#),
        "closed by default"
    );
    assert!(list.contains(r#"<option value="active" selected>"#));
    let all = page(&app, "/participants?status=all", &manager).await;
    assert!(all.contains("Kandydująca Jan"));
    assert!(
        all.contains(r#"<details class="panel filters-panel" open>"#),
        "open when used"
    );
    assert!(all.contains(r#"<option value="all" selected>"#));
    // No workshop is "brak"; another social worker's participant hides it: "ukryte".
    let worker = app.login("socjalny1").await;
    let list = page(&app, "/participants?worker=all", &worker).await;
    let row = |name: &str| {
        let at = list.find(name).unwrap();
        list[at..at + list[at..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row("Aktywna Jan").contains(">brak</td>"),
        "{}",
        row("Aktywna Jan")
    );
    assert!(!row("Aktywna Jan").contains("ukryte"));
    let cudza = row("Cudza Jan");
    assert_eq!(cudza.matches("ukryte").count(), 3, "{cudza}");
    assert!(!cudza.contains(&format!("/participants/{theirs}")));
    assert!(list.contains(&format!("/participants/{active}")));
}

#[tokio::test]
async fn the_registration_form_leaves_the_referral_date_to_be_typed() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let form = page(&app, "/participants/new", &worker).await;
    assert!(form.contains(r#"id="referral_date" name="referral_date" type="date" value="""#));
    assert!(form.contains("Data skierowania <span class=\"required\">(wymagane)</span>"));
    // Posted empty, it is named in the error summary.
    let fields = registration(
        "Bezdatna",
        "Ewa",
        &pesel(1980, 2, 2, 7, true),
        &[("referral_date", "")],
    );
    let response = app.post_fields("/participants", &worker, &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(
        body.contains(r##"<li><a href="#referral_date">"##),
        "{body}"
    );
}
