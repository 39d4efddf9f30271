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
    browser
        .wait_for_text("Nieprawidłowy login lub hasło.")
        .await;
    assert_eq!(browser.value("#login").await, "socjalny1");
    browser.assert_accessible("login with an error").await;

    browser.fill("#password", PASSWORD).await;
    browser
        .click("form[action='/login'] button[type=submit]")
        .await;
    browser.wait_for_path("/").await;
    let text = browser.text().await;
    assert!(
        text.contains("Dzień dobry") && !text.contains("Dzień dobry, Sylwia"),
        "{text}"
    );
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
    browser.wait_for_text("Wylogowano").await;
    browser.assert_accessible("logged out").await;
    assert_eq!(app.session_count("socjalny1").await, 0);
    browser.quit().await;
}

#[tokio::test]
async fn the_admin_screens_and_error_pages_pass_axe() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "admin").await;
    browser.assert_accessible("admin home").await;
    browser.goto(&format!("{}/admin/users", app.address)).await;
    browser.assert_accessible("staff list").await;
    browser
        .goto(&format!("{}/admin/users/new", app.address))
        .await;
    browser.fill("#full_name", "Nowa Osoba").await;
    browser.fill("#login", "Zły Login!").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("Login: 3–40 znaków").await;
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
    browser
        .wait_for_text("Hasło jednorazowe dla „nowa.osoba”")
        .await;
    browser.assert_accessible("account page").await;
    // The role form with the current role: the account page again, with the error summary.
    browser
        .click("form[action$='/role/confirm'] button[type=submit]")
        .await;
    browser.wait_for_text("To konto ma już tę rolę").await;
    browser
        .assert_accessible("account page with a role error")
        .await;
    // A role change asks first; confirming it lands on the account with its role history.
    browser.choose("#role", "career_advisor").await;
    browser
        .click("form[action$='/role/confirm'] button[type=submit]")
        .await;
    browser.wait_for_text("Zmiana roli: Nowa Osoba").await;
    browser.assert_accessible("role change confirmation").await;
    browser.click("main form button.danger").await;
    browser
        .wait_for_text("Zmieniono rolę na: Doradca zawodowy.")
        .await;
    assert!(
        browser
            .text()
            .await
            .contains("Instruktor zawodu → Doradca zawodowy")
    );
    browser
        .assert_accessible("account page with role history")
        .await;
    browser.click("a.button.danger").await;
    browser
        .wait_for_text("Dezaktywacja konta: Nowa Osoba")
        .await;
    browser.assert_accessible("deactivation confirmation").await;
    browser.resize(320, 700).await;
    assert!(
        !browser.overflows_horizontally().await,
        "the confirmation scrolls sideways at 320 px"
    );
    browser.resize(1280, 900).await;
    browser.click("main a.cancel").await;
    browser.wait_for_text("Historia roli").await;
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

#[tokio::test]
async fn a_social_worker_registers_finds_and_opens_a_candidate_that_a_colleague_cannot_open() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    let sign_in = |login: &'static str| browser.sign_in(&app.address, login);
    sign_in("socjalny1").await;
    browser
        .goto(&format!("{}/participants/new", app.address))
        .await;
    browser.assert_accessible("registration form").await;
    browser.fill("#surname", "Przeglądarkowa").await;
    browser.fill("#first_names", "Zofia").await;
    let valid = pesel(1987, 11, 23, 456, true);
    let mut typo = valid.clone();
    typo.replace_range(10..11, if valid.ends_with('0') { "1" } else { "0" });
    browser.fill("#pesel", &typo).await;
    browser.fill("#address_city", "Lesznowola").await;
    browser.click("#cat_long_term_unemployed").await;
    browser.click("#cat_homeless").await;
    browser.click("#no_exclusion").await;
    browser.choose("#applicant", "person").await;
    browser.choose("#referrer", "ops").await;
    // The referral date is the referral's: typed in, not today by default.
    assert_eq!(browser.value("#referral_date").await, "");
    browser
        .execute(
            "document.querySelector('#referral_date').value = '2026-11-02';",
            serde_json::json!([]),
        )
        .await;
    browser
        .fill("#referrer_institution", "GOPS Lesznowola")
        .await;
    browser.click("main form button[type=submit]").await;

    browser
        .wait_for_text("cyfra kontrolna się nie zgadza")
        .await;
    assert_eq!(
        browser.value("#surname").await,
        "Przeglądarkowa",
        "input kept"
    );
    assert_eq!(browser.value("#pesel").await, typo);
    assert_eq!(
        browser.value("#referrer_institution").await,
        "GOPS Lesznowola"
    );
    browser
        .assert_accessible("registration form with an error")
        .await;

    browser.fill("#pesel", &valid).await;
    browser.click("main form button[type=submit]").await;
    browser
        .wait_for_text("Kandydat został zarejestrowany.")
        .await;
    let file_url = browser.url().await;
    browser.assert_accessible("the new file").await;

    browser.goto(&format!("{}/participants", app.address)).await;
    browser.assert_accessible("participant list").await;
    browser.fill("#q", "Przeglądark").await;
    browser
        .click("form[action='/participants/search'] button[type=submit]")
        .await;
    browser.wait_for_text("Znalezione osoby: 1").await;
    assert!(
        !browser.url().await.contains("Przegl"),
        "the search term stays out of the URL"
    );
    browser.assert_accessible("search results").await;
    browser.click("main table a").await;
    browser
        .wait_for_path(file_url.trim_start_matches(&app.address))
        .await;
    let file = browser.text().await;
    assert!(file.contains("Przeglądarkowa Zofia") && file.contains("Kandydat"));
    assert!(
        file.contains("Osoba bezdomna"),
        "the caseworker sees special-category data"
    );

    // A colleague from the same centre gets 404 for the same address.
    browser.click("form[action='/logout'] button").await;
    browser.wait_for_path("/login?wylogowano=1").await;
    sign_in("socjalny2").await;
    browser.goto(&file_url).await;
    browser.wait_for_text("Nie znaleziono").await;
    assert!(!browser.text().await.contains("Przeglądarkowa"));
    browser.assert_accessible("404 for a colleague").await;
    browser.quit().await;
}

#[tokio::test]
async fn the_managers_file_and_lifecycle_forms_pass_axe() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Gastronomiczna", Some("instruktor"))
        .await;
    let id = app
        .fixture_participant(CENTRE_A, "Dostępna", Some("socjalny1"), Some(workshop))
        .await;
    // Work due on Start: a trial period ending in two days, someone without a workshop.
    let trial = app
        .fixture_participant(CENTRE_A, "Próbna", Some("socjalny1"), None)
        .await;
    app.update_participant(trial, "status = 'trial', trial_ends_on = current_date + 2")
        .await;
    // On the reserve list without a programme: the IPZS page says so.
    let reserve = app
        .fixture_participant(CENTRE_A, "Rezerwowa", Some("socjalny1"), None)
        .await;
    app.before_admission(reserve, "reserve").await;
    let opinion =
        crate::opinions::fixture_opinion(&app, id, "psychologist", "psycholog", "socjalny1", true)
            .await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "kierownik").await;
    let home = browser.text().await;
    assert!(home.contains("Okres próbny kończy się") && home.contains("Próbna Jan"));
    browser.assert_accessible("manager home").await;
    for path in [
        format!("/participants/{id}"),
        format!("/participants/{id}/access-log"),
        format!("/participants/{id}/edit"),
        format!("/participants/{id}/status/graduate"),
        format!("/participants/{id}/status/terminated"),
        format!("/participants/{id}/extension"),
        format!("/participants/{id}/social-worker"),
        format!("/participants/{id}/workshop"),
        format!("/participants/{id}/documents/new"),
        "/participants?sort=ending".to_owned(),
        "/settings".to_owned(),
        "/access-log".to_owned(),
        format!("/participants/{id}/print"),
        format!("/participants/{reserve}/ipzs"),
        format!("/participants/{id}/opinions"),
        format!("/opinions/{opinion}"),
    ] {
        browser.goto(&format!("{}{path}", app.address)).await;
        browser.assert_accessible(&path).await;
    }
    // A form with errors, then the file and who opened it, at 320 px.
    browser
        .goto(&format!(
            "{}/participants/{id}/status/terminated",
            app.address
        ))
        .await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("jedną z trzech przyczyn").await;
    browser.assert_accessible("termination with an error").await;
    browser.choose("#reason", "withdrawal").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("Co się stanie").await;
    browser.assert_accessible("termination to confirm").await;
    browser.resize(320, 700).await;
    browser
        .goto(&format!("{}/participants/{id}", app.address))
        .await;
    assert!(
        !browser.overflows_horizontally().await,
        "the file scrolls sideways at 320 px"
    );
    // The list becomes cards: no sideways scrolling, each row a block with its labels.
    browser
        .goto(&format!("{}/participants?status=all", app.address))
        .await;
    assert!(
        !browser.overflows_horizontally().await,
        "the list scrolls sideways at 320 px"
    );
    let display = browser
        .execute(
            "return getComputedStyle(document.querySelector('table.cards tbody tr')).display;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(display, serde_json::json!("block"), "rows are cards");
    browser.assert_accessible("the list as cards").await;
    // Ticking a row and asking to reassign it: the review with the caseloads.
    browser.click("#reassign input[type=checkbox]").await;
    browser.click("#reassign button[type=submit]").await;
    browser.wait_for_text("Nowy pracownik socjalny").await;
    browser.assert_accessible("bulk reassignment review").await;
    browser
        .goto(&format!("{}/participants/{id}/access-log", app.address))
        .await;
    assert!(
        !browser.overflows_horizontally().await,
        "the access log scrolls sideways at 320 px"
    );
    browser.quit().await;
}

#[tokio::test]
async fn the_idle_timeout_warning_appears_and_extends_the_session_without_leaving_the_page() {
    // A 2 min 5 s idle timeout with the usual 2-minute warning: the dialog opens after ~5 s.
    let app = spawn_app_with(|c| c.session_idle = std::time::Duration::from_secs(125)).await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "socjalny1").await;
    browser
        .goto(&format!("{}/account/password", app.address))
        .await;
    browser.fill("#current_password", "niezapisany tekst").await;
    let before: time::OffsetDateTime = sqlx::query_scalar("select last_seen_at from session")
        .fetch_one(&app.db)
        .await
        .unwrap();
    browser.wait_for_text("Sesja wkrótce wygaśnie").await;
    let open = browser
        .execute(
            "return document.getElementById('session-warning').open;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(open, serde_json::json!(true));
    browser.assert_accessible("timeout warning").await;
    let focused = browser
        .execute(
            "return document.activeElement.textContent;",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(
        focused,
        serde_json::json!("Przedłuż sesję"),
        "the dialog takes the focus"
    );
    browser.click("#session-extend-form button").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let open = browser
            .execute(
                "return document.getElementById('session-warning').open;",
                serde_json::json!([]),
            )
            .await;
        if open == serde_json::json!(false) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the dialog did not close"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        browser.value("#current_password").await,
        "niezapisany tekst",
        "the form keeps its input"
    );
    let after: time::OffsetDateTime = sqlx::query_scalar("select last_seen_at from session")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(after > before, "the server restarted the idle clock");
    browser.quit().await;
}

/// Signs out of the browser's session.
async fn sign_out(browser: &Browser) {
    browser.click("form[action='/logout'] button").await;
    browser.wait_for_path("/login?wylogowano=1").await;
}

#[tokio::test]
async fn the_ipzs_goes_from_an_opinion_to_the_signatures_across_three_logins_and_passes_axe() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Programowa", Some("socjalny1"), None)
        .await;
    app.before_admission(id, "reserve").await;
    for (kind, author) in [("career_advisor", "doradca"), ("instructor", "instruktor")] {
        crate::opinions::fixture_opinion(&app, id, kind, author, "socjalny1", true).await;
    }
    let opinion =
        crate::opinions::fixture_opinion(&app, id, "psychologist", "psycholog", "socjalny1", false)
            .await;
    let today: time::Date = sqlx::query_scalar("select current_date")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let day = |n: i64| teczka::validate::dates::iso(today + time::Duration::days(n));
    let browser = Browser::start().await;

    // The psychologist signs off the opinion asked of them.
    browser.sign_in(&app.address, "psycholog").await;
    assert!(browser.text().await.contains("Opinie do napisania"));
    browser
        .goto(&format!("{}/opinions/{opinion}", app.address))
        .await;
    browser
        .assert_accessible("the psychologist's opinion")
        .await;
    browser
        .click(&format!(
            "form[action='/opinions/{opinion}/sign-off'] button"
        ))
        .await;
    browser.wait_for_text("Zatwierdź opinię").await;
    browser.assert_accessible("sign-off confirmation").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("Opinia zatwierdzona.").await;
    sign_out(&browser).await;

    // The social worker drafts the programme beside the opinions and submits it.
    browser.sign_in(&app.address, "socjalny1").await;
    browser
        .goto(&format!("{}/participants/{id}", app.address))
        .await;
    browser.click("p.next-step a").await;
    browser.wait_for_text("Rozpocznij projekt IPZS").await;
    browser.assert_accessible("no programme yet").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("Rozpoczęto projekt IPZS.").await;
    browser.assert_accessible("the draft's form").await;
    assert!(
        browser.text().await.contains("Opinia psychologa"),
        "the opinions beside the form"
    );
    let fields = serde_json::json!({
        "diagnosis_sources": "Długotrwałe bezrobocie.",
        "diagnosis_strengths": "Sumienność.",
        "diagnosis_weaknesses": "Brak uprawnień.",
        "diagnosis_tried": "Staż z PUP.",
        "goal_1_text": "Zatrudnienie w gastronomii",
        "goal_1_measure": "Umowa o pracę",
        "goal_1_due": day(200),
        "social": "Grupa samopomocowa.",
        "vocational": "Pracownia gastronomiczna.",
        "abilities": "Wytrzymałość fizyczna.",
        "training": "Stopniowe wydłużanie pracy.",
        "workshop": "Pracownia gastronomiczna",
        "period_from": day(0),
        "period_until": day(330),
        "ops_name": "Anna Nowak",
        "ops_institution": "GOPS Testowo",
        "ops_date": day(-2),
    });
    let mut stage_dates = serde_json::Map::new();
    for n in 1..=9 {
        stage_dates.insert(format!("stage_{n}_from"), day(n * 30 - 30).into());
        stage_dates.insert(format!("stage_{n}_until"), day(n * 30 - 1).into());
    }
    browser
        .execute(
            "for (const [id, v] of Object.entries(Object.assign(arguments[0], arguments[1]))) \
             { document.getElementById(id).value = v; }",
            serde_json::json!([fields, stage_dates]),
        )
        .await;
    browser.click("button[name=action][value=save]").await;
    browser.wait_for_text("Zapisano projekt programu.").await;
    browser.assert_accessible("the programme, a draft").await;
    browser.click("form[action$='/submit'] button").await;
    browser.wait_for_text("przekazano do zatwierdzenia").await;
    let doc = browser.url().await.rsplit('/').next().unwrap().to_owned();
    sign_out(&browser).await;

    // The manager approves it from Start.
    browser.sign_in(&app.address, "kierownik").await;
    assert!(browser.text().await.contains("IPZS do zatwierdzenia (1)"));
    browser.click(&format!("a[href='/ipzs/{doc}']")).await;
    browser.wait_for_text("Zatwierdź program").await;
    browser.assert_accessible("the programme to approve").await;
    browser.click("form[action$='/approve'] button").await;
    browser.wait_for_text("Dokument zatwierdzono.").await;
    sign_out(&browser).await;

    // The social worker records the signatures, which admit the participant.
    browser.sign_in(&app.address, "socjalny1").await;
    assert!(
        browser
            .text()
            .await
            .contains("IPZS – podpisy do zapisania (1)")
    );
    browser.goto(&format!("{}/ipzs/{doc}", app.address)).await;
    browser.assert_accessible("the signatures' form").await;
    browser
        .execute(
            "for (const id of ['participant_signed_on', 'manager_signed_on']) \
             { document.getElementById(id).value = arguments[0]; }",
            serde_json::json!([day(0)]),
        )
        .await;
    browser.click("#documents_confirmed").await;
    browser
        .click("form[action$='/signatures'] button[type=submit]")
        .await;
    browser
        .wait_for_text("przyjęcie do CIS na okres próbny")
        .await;
    browser
        .assert_accessible("the programme in realization")
        .await;
    for path in [
        format!("/ipzs/{doc}/versions/1/print"),
        format!("/ipzs/{doc}/versions/1"),
        format!("/ipzs/{doc}/monitoring"),
        format!("/ipzs/{doc}/diff"),
    ] {
        browser.goto(&format!("{}{path}", app.address)).await;
        browser.assert_accessible(&path).await;
    }
    // A phone: the programme does not scroll sideways (tables scroll in their own regions).
    browser.resize(320, 700).await;
    browser.goto(&format!("{}/ipzs/{doc}", app.address)).await;
    let wide = browser
        .execute(
            "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]\
             .filter(e => (e.classList.contains('table-wrap') || !e.closest('.table-wrap')) && e.getBoundingClientRect().right > w + 1)\
             .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12);",
            serde_json::json!([]),
        )
        .await;
    assert!(
        !browser.overflows_horizontally().await,
        "the programme scrolls sideways at 320 px: {wide}"
    );
    browser.quit().await;
    let status: String =
        sqlx::query_scalar("select status::text from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(status, "trial");
}

/// The elements sticking out of a 320 px page (tables scroll in their own regions), for the
/// message of a failed overflow check.
async fn too_wide(browser: &Browser) -> serde_json::Value {
    browser
        .execute(
            "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]\
             .filter(e => (e.classList.contains('table-wrap') || !e.closest('.table-wrap')) && e.getBoundingClientRect().right > w + 1)\
             .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12);",
            serde_json::json!([]),
        )
        .await
}

#[tokio::test]
async fn a_social_contract_is_drafted_submitted_accepted_and_printed_and_passes_axe() {
    let app = spawn_app().await;
    let id = app
        .fixture_participant(CENTRE_A, "Kontraktowa", Some("socjalny1"), None)
        .await;
    let today: time::Date = sqlx::query_scalar("select current_date")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let day = |n: i64| teczka::validate::dates::iso(today + time::Duration::days(n));
    let browser = Browser::start().await;

    // The social worker starts the contract from the person's list of contracts.
    browser.sign_in(&app.address, "socjalny1").await;
    browser
        .goto(&format!("{}/participants/{id}/contracts", app.address))
        .await;
    browser
        .wait_for_text("Ta osoba nie ma jeszcze kontraktu socjalnego.")
        .await;
    browser.assert_accessible("no contract yet").await;
    browser.click("main form button[type=submit]").await;
    browser
        .wait_for_text("Rozpoczęto projekt kontraktu socjalnego.")
        .await;
    browser.assert_accessible("the contract's draft form").await;
    browser.resize(320, 700).await;
    assert!(
        !browser.overflows_horizontally().await,
        "the draft form scrolls sideways at 320 px: {}",
        too_wide(&browser).await
    );
    browser.resize(1280, 900).await;

    // A draft may be incomplete but not wrong: a period ending before it starts is refused,
    // the text typed is kept.
    browser
        .fill(
            "#situation",
            "Od dwóch lat w schronisku dla osób bezdomnych.",
        )
        .await;
    browser
        .execute(
            "document.getElementById('period_from').value = arguments[0]; \
             document.getElementById('period_until').value = arguments[1];",
            serde_json::json!([day(7), day(-7)]),
        )
        .await;
    browser.click("button[name=action][value=save]").await;
    browser
        .wait_for_text("Koniec okresu kontraktu nie może być wcześniej niż jego początek.")
        .await;
    assert_eq!(
        browser.value("#situation").await,
        "Od dwóch lat w schronisku dla osób bezdomnych."
    );
    browser
        .assert_accessible("the draft form with an error")
        .await;

    let fields = serde_json::json!({
        "causes": "Eksmisja po zaległościach czynszowych, utrata pracy.",
        "interview_on": day(-3),
        "goal_1": "Wyrobienie dowodu osobistego.",
        "goal_2": "Zamieszkanie w mieszkaniu treningowym.",
        "action_1_text": "Wniosek o dowód osobisty w Urzędzie Gminy.",
        "action_1_due": day(21),
        "action_1_party": "client",
        "action_2_text": "Wniosek o mieszkanie treningowe.",
        "action_2_due": day(60),
        "action_2_party": "social_worker",
        "client_duties": "Udział w zajęciach CIS, terminowe złożenie dokumentów.",
        "worker_duties": "Pomoc w skompletowaniu dokumentów i wnioskach.",
        "period_from": day(7),
        "period_until": day(190),
    });
    browser
        .execute(
            "for (const [id, v] of Object.entries(arguments[0])) \
             { document.getElementById(id).value = v; }",
            serde_json::json!([fields]),
        )
        .await;
    browser.click("button[name=action][value=save]").await;
    browser.wait_for_text("Zapisano projekt kontraktu.").await;
    browser.assert_accessible("the contract, a draft").await;
    let text = browser.text().await;
    assert!(
        text.contains("Wniosek o mieszkanie treningowe.") && text.contains("pracownik socjalny"),
        "{text}"
    );
    browser.click("form[action$='/submit'] button").await;
    browser
        .wait_for_text("Kontrakt przekazano do zatwierdzenia kierownikowi CIS.")
        .await;
    let doc = browser.url().await.rsplit('/').next().unwrap().to_owned();
    assert_eq!(
        browser.url().await,
        format!("{}/contracts/{doc}", app.address)
    );
    sign_out(&browser).await;

    // The manager accepts it from Start and opens Part I's print.
    browser.sign_in(&app.address, "kierownik").await;
    assert!(
        browser
            .text()
            .await
            .contains("Kontrakty do zatwierdzenia (1)")
    );
    browser.click(&format!("a[href='/contracts/{doc}']")).await;
    browser.wait_for_text("Zatwierdź kontrakt").await;
    browser.assert_accessible("the contract to accept").await;
    browser.click("form[action$='/approve'] button").await;
    // Accepted (whatever the flash says): the manager signs it for the centre next.
    browser.wait_for_text("Data podpisu kierownika CIS").await;
    browser.assert_accessible("the accepted contract").await;
    browser.resize(320, 700).await;
    assert!(
        !browser.overflows_horizontally().await,
        "the contract scrolls sideways at 320 px: {}",
        too_wide(&browser).await
    );
    browser.resize(1280, 900).await;
    browser
        .click(&format!("a[href='/contracts/{doc}/versions/1/print']"))
        .await;
    browser.wait_for_text("Kontrakt socjalny – część I").await;
    let print = browser.text().await;
    assert!(
        print.contains("Wyrobienie dowodu osobistego.") && print.contains("(stan: zatwierdzony)"),
        "{print}"
    );
    browser.assert_accessible("Part I's print").await;
    browser.resize(320, 700).await;
    assert!(
        !browser.overflows_horizontally().await,
        "the print scrolls sideways at 320 px: {}",
        too_wide(&browser).await
    );
    browser.quit().await;
    let (status, version): (String, String) = sqlx::query_as(
        "select d.status::text, v.status::text from document d
         join document_version v on v.document_id = d.document_id and v.number = d.current_version
         where d.participant_id = $1 and d.kind = 'social_contract'",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), version.as_str()),
        ("approved", "approved")
    );
}
