//! The print view of a file: the centre's header, who printed it and when, only the parts the
//! printing role sees, no navigation or links to act; every print audited as a read of the
//! parts shown and named in the access log.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn a_print_shows_what_the_role_sees_with_the_centres_header_and_is_audited() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Drukowana", Some("socjalny1"), Some(workshop))
        .await;
    app.note(id, "socjalny1", "team").await;
    app.note(id, "socjalny1", "social_work").await;
    let manager = app.login("kierownik").await;
    let response = app
        .post(
            "/settings",
            Some(&manager),
            &[("address", "ul. Szkolna 12, 00-001 Testowo")],
        )
        .await;
    assert_redirect(&response, "/settings");
    let path = format!("/participants/{id}/print");
    let response = app.get(&path, Some(&manager)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let print = response.text().await.unwrap();
    assert!(print.contains(CENTRE_A) && print.contains("ul. Szkolna 12, 00-001 Testowo"));
    assert!(
        print.contains("Wydrukowano ") && print.contains("przez: Kinga Kierownik"),
        "{print}"
    );
    assert!(print.contains("/static/css/print.css"));
    assert!(!print.contains("main-nav"), "no navigation");
    assert!(
        !print.contains("Dodaj notatkę") && !print.contains("/edit\""),
        "no links to act"
    );
    assert!(
        print.contains("<dt>PESEL</dt>") && print.contains("Osoba zwolniona z zakładu karnego")
    );
    assert!(print.contains("Treść notatki (social_work)."));

    // The instructor's print holds the instructor's view: no personal data, no categories,
    // the team's note only.
    let instructor = app.login("instruktor").await;
    let print = app.text(&path, &instructor).await;
    assert!(!print.contains("<dt>PESEL</dt>"));
    assert!(!print.contains("Osoba uzależniona od alkoholu"));
    assert!(print.contains("Treść notatki (team)."));
    assert!(!print.contains("Treść notatki (social_work)."));

    // Each print is a read of the parts shown, marked as a print.
    let details = app.file_views(id).await;
    assert_eq!(details.len(), 2);
    assert_eq!(details[0].0, "kierownik");
    assert!(
        details[0].1.starts_with("print,identity,personal,"),
        "{}",
        details[0].1
    );
    assert_eq!(
        details[1].1,
        "print,identity,contact,participation,notes.team"
    );
    let log = app
        .text(&format!("/participants/{id}/access-log"), &manager)
        .await;
    assert!(
        log.contains("wydruk: imię, nazwisko i status, kontakt"),
        "{log}"
    );
    // Another centre's file does not print.
    let theirs = app
        .fixture_participant(CENTRE_B, "Obca", Some("socjalny3"), None)
        .await;
    let response = app
        .get(&format!("/participants/{theirs}/print"), Some(&manager))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
