//! Guard rails on the lifecycle: the file's one primary next step, admission that names the
//! missing recruitment documents (and the centre setting that makes them required), and the
//! confirmation page before participation ends.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::*;

async fn page(app: &TestApp, path: &str, session: &Session) -> (StatusCode, String) {
    let response = app.get(path, Some(session)).await;
    (response.status(), response.text().await.unwrap())
}

async fn status(app: &TestApp, id: Uuid) -> String {
    sqlx::query_scalar("select status::text from participant where participant_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A person on the reserve list, not admitted yet, with no recruitment documents.
async fn on_reserve_list(app: &TestApp, surname: &str) -> Uuid {
    let id = app
        .fixture_participant(CENTRE_A, surname, Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    id
}

/// The primary step's link on a file page (the `next-step` paragraph), if any.
fn primary(file: &str) -> Option<&str> {
    let at = file.find("<p class=\"next-step\">")?;
    let rest = &file[at..];
    Some(&rest[..rest.find("</p>")?])
}

#[tokio::test]
async fn admission_by_the_signatures_names_the_missing_documents_and_needs_them_confirmed_or_complete()
 {
    let app = spawn_app().await;
    let id = on_reserve_list(&app, "Rezerwowa").await;
    let programme = app.approved_programme(id, "Anna Nowak", "2026-11-01").await;
    let manager = app.login("kierownik").await;
    let path = format!("/ipzs/{programme}");
    let (_, form) = page(&app, &path, &manager).await;
    assert!(
        form.contains("✗ brak</span> Ankieta rekrutacyjna"),
        "{form}"
    );
    // The consent given at registration counts.
    assert!(form.contains("✓ jest</span> Zgoda na przetwarzanie danych osobowych"));
    assert!(form.contains("Przyjmuję mimo braków: Ankieta rekrutacyjna, Deklaracja uczestnictwa"));
    // The old admission form is gone: admission is the signing.
    let old = app
        .get(&format!("/participants/{id}/status/trial"), Some(&manager))
        .await;
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    let today = teczka::validate::dates::iso(teczka::validate::dates::polish_today(
        time::OffsetDateTime::now_utc(),
    ));
    let sign = [
        ("participant_signed_on", today.as_str()),
        ("manager_signed_on", today.as_str()),
    ];
    let signatures = format!("/ipzs/{programme}/signatures");
    // Without the confirmation: refused, naming the documents; nothing changes.
    let response = app.post(&signatures, Some(&manager), &sign).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("Brakuje: Ankieta rekrutacyjna, Deklaracja uczestnictwa"),
        "{body}"
    );
    assert!(body.contains(&format!("value=\"{today}\"")), "input kept");
    assert_eq!(status(&app, id).await, "reserve");

    // The centre requires a complete file: even the confirmation does not admit.
    let response = app
        .post(
            "/settings",
            Some(&manager),
            &[("require_recruitment_documents", "on")],
        )
        .await;
    assert_redirect(&response, "/settings");
    assert_eq!(app.audit_count("centre.settings", Some("success")).await, 1);
    let mut confirmed = sign.to_vec();
    confirmed.push(("documents_confirmed", "tak"));
    let response = app.post(&signatures, Some(&manager), &confirmed).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("Ośrodek przyjmuje tylko z kompletem dokumentów rekrutacyjnych"));
    assert!(
        !body.contains("Przyjmuję mimo braków"),
        "no way around the setting"
    );
    assert_eq!(status(&app, id).await, "reserve");

    // Back to the default: admitted once the named gaps are confirmed.
    app.post("/settings", Some(&manager), &[]).await;
    let response = app.post(&signatures, Some(&manager), &confirmed).await;
    assert_redirect(&response, &path);
    assert_eq!(status(&app, id).await, "trial");

    // A complete file needs no confirmation, even where the centre requires it.
    app.post(
        "/settings",
        Some(&manager),
        &[("require_recruitment_documents", "on")],
    )
    .await;
    let complete = on_reserve_list(&app, "Kompletna").await;
    sqlx::query(
        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
         select p.participant_id, p.centre_id, k, current_date - 5, 'Podpisano.', u.staff_user_id
         from participant p, staff_user u,
              unnest(enum_range(null::recruitment_document_kind)) k
         where p.participant_id = $1 and u.login = 'socjalny1'",
    )
    .bind(complete)
    .execute(&app.db)
    .await
    .unwrap();
    let second = app
        .approved_programme(complete, "Anna Nowak", "2026-11-01")
        .await;
    let (_, form) = page(&app, &format!("/ipzs/{second}"), &manager).await;
    assert!(form.contains("Teczka rekrutacyjna jest kompletna."));
    let response = app
        .post(&format!("/ipzs/{second}/signatures"), Some(&manager), &sign)
        .await;
    assert_redirect(&response, &format!("/ipzs/{second}"));
    assert_eq!(status(&app, complete).await, "trial");
    // Only the manager decides the setting.
    let worker = app.login("socjalny1").await;
    assert_eq!(
        app.post("/settings", Some(&worker), &[]).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn ending_participation_asks_for_confirmation_saying_what_will_happen() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Kończąca", Some("socjalny1"), Some(workshop))
        .await;
    app.update_participant(id, "sex = 'K', first_names = 'Ewa'")
        .await;
    let manager = app.login("kierownik").await;
    let path = format!("/participants/{id}/status/terminated");
    let fields = [("date", "2026-11-20"), ("reason", "withdrawal")];
    let response = app.post(&path, Some(&manager), &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert!(body.contains("Co się stanie"));
    for fact in [
        "<dt>Osoba</dt><dd>Kończąca Ewa</dd>",
        "<dt>Nowy status</dt><dd>Zakończyła udział (przerwała)</dd>",
        "<dt>Z dniem</dt><dd>20.11.2026</dd>",
    ] {
        assert!(body.contains(fact), "{fact}: {body}");
    }
    assert!(body.contains("Przydział do pracowni „Stolarnia” zakończy się z tym dniem."));
    assert!(body.contains("Tej zmiany nie można cofnąć."));
    assert!(body.contains(r#"<button type="submit" class="danger">Tak, przerwij udział</button>"#));
    assert!(body.contains(r#"name="confirm" value="tak""#));
    assert_eq!(status(&app, id).await, "participant", "nothing changed yet");
    // Confirmed: the change is made.
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm", "tak"));
    let response = app.post(&path, Some(&manager), &confirmed).await;
    assert_redirect(&response, &format!("/participants/{id}"));
    assert_eq!(status(&app, id).await, "terminated");
    // A confirmation of a form with errors is no confirmation: the form comes back.
    let other = app
        .fixture_participant(CENTRE_A, "Druga", Some("socjalny1"), None)
        .await;
    let response = app
        .post(
            &format!("/participants/{other}/status/terminated"),
            Some(&manager),
            &[("date", "2026-11-20"), ("reason", ""), ("confirm", "tak")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&app, other).await, "participant");
}

#[tokio::test]
async fn the_file_offers_one_primary_next_step_and_ending_as_a_danger_action() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let worker = app.login("socjalny1").await;
    // A candidate without documents: complete them first (for the caseworker and the manager).
    let candidate = app
        .fixture_participant(CENTRE_A, "Kandydująca", Some("socjalny1"), None)
        .await;
    app.before_admission(candidate, "candidate").await;
    let (_, file) = page(&app, &format!("/participants/{candidate}"), &worker).await;
    let step = primary(&file).expect("a primary step");
    assert!(
        step.contains("documents/new?kind=recruitment_survey")
            && step.contains("Uzupełnij dokumenty: ankieta rekrutacyjna"),
        "{step}"
    );
    assert!(
        file.contains("Wpisz na listę rezerwową"),
        "still offered, as secondary"
    );
    // The reserve list: the IPZS, whose signing admits (the caseworker drafts it; the manager
    // is told and led to it).
    let reserve = on_reserve_list(&app, "Czekająca").await;
    let (_, file) = page(&app, &format!("/participants/{reserve}"), &worker).await;
    let step = primary(&file).unwrap();
    assert!(
        step.contains(&format!("/participants/{reserve}/ipzs")),
        "{step}"
    );
    assert!(step.contains("Przygotuj IPZS"));
    let (_, file) = page(&app, &format!("/participants/{reserve}"), &manager).await;
    assert!(
        primary(&file)
            .unwrap()
            .contains("Indywidualny program (IPZS)")
    );
    assert!(file.contains("Przyjęcie do CIS następuje przez podpisanie IPZS."));
    assert!(
        !file.contains("/status/trial"),
        "no admission form of its own"
    );
    // A trial period not over: no confirmation yet, a hint says when.
    let trial = app
        .fixture_participant(CENTRE_A, "Próbna", Some("socjalny1"), None)
        .await;
    app.update_participant(trial, "status = 'trial', trial_ends_on = current_date + 5")
        .await;
    let (_, file) = page(&app, &format!("/participants/{trial}"), &manager).await;
    assert_eq!(primary(&file), None);
    assert!(file.contains("wtedy potwierdzisz udział albo go przerwiesz"));
    assert!(!file.contains(&format!("/participants/{trial}/status/participant")));
    // Over: confirm is the primary step; ending is a danger action.
    app.update_participant(trial, "trial_ends_on = current_date - 1")
        .await;
    let (_, file) = page(&app, &format!("/participants/{trial}"), &manager).await;
    assert!(primary(&file).unwrap().contains("Zakończ okres próbny"));
    assert!(file.contains(&format!(
        r#"<a class="button danger-link" href="/participants/{trial}/status/terminated">Przerwij udział</a>"#
    )));
    // Participation ending within 30 days: graduation is the primary step.
    let ending = app
        .fixture_participant(CENTRE_A, "Absolwentka", Some("socjalny1"), None)
        .await;
    app.update_participant(ending, "planned_end_on = current_date + 10")
        .await;
    let (_, file) = page(&app, &format!("/participants/{ending}"), &manager).await;
    assert!(
        primary(&file)
            .unwrap()
            .contains("Zakończ udział – absolwent")
    );
}
