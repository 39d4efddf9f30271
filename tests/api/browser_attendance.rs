//! Real-browser tests of attendance, workshops and benefits: the instructor fills a group's day
//! with the keyboard alone (every key press counted), and axe-core on every page of the area.

use serde_json::json;
use time::Date;
use uuid::Uuid;

use crate::attendance::{group, last_working_day};
use crate::benefits::{code, fill, previous_month};
use crate::helpers::*;
use crate::webdriver::{Browser, key};

/// Twelve more members, so that with `group`'s three the group has fifteen.
const MORE: [&str; 12] = [
    "Dudek",
    "Ewertowska",
    "Filipiak",
    "Górska",
    "Hałas",
    "Iwański",
    "Jabłońska",
    "Kowal",
    "Lis",
    "Mazur",
    "Nowakowska",
    "Olszewski",
];

/// The keyboard, counting every key press (a chord such as Shift+Tab counts once).
struct Keyboard<'a> {
    browser: &'a Browser,
    presses: usize,
}

impl Keyboard<'_> {
    async fn press(&mut self, chord: &[&str]) {
        self.browser.press(chord).await;
        self.presses += 1;
    }

    /// Presses `key` `times` times.
    async fn repeat(&mut self, key: &str, times: usize) {
        for _ in 0..times {
            self.press(&[key]).await;
        }
    }

    /// Presses Tab `times` times and checks the focus arrived at `target` (`tag#id`).
    async fn tab_to(&mut self, target: &str, times: usize) {
        self.repeat(key::TAB, times).await;
        assert_eq!(self.browser.focused().await, target, "after {times} × Tab");
    }

    /// Types `text`, one key a character.
    async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(&[&c.to_string()]).await;
        }
    }
}

/// The row index of the member whose name starts with `surname`, as the page lists them.
async fn row(browser: &Browser, surname: &str) -> usize {
    let index = browser
        .execute(
            "return [...document.querySelectorAll('form.attendance tbody th[id^=n]')]
               .findIndex(th => th.textContent.trim().startsWith(arguments[0] + ' '));",
            json!([surname]),
        )
        .await;
    usize::try_from(index.as_i64().unwrap()).unwrap_or_else(|_| panic!("{surname} not listed"))
}

/// (surname, status code, minutes, reason) of every entry of `day`, by surname.
async fn entries(app: &TestApp, day: Date) -> Vec<(String, String, i16, Option<String>)> {
    sqlx::query_as(
        "select p.surname, a.status::text, a.minutes, a.reason from attendance a
         join participant p using (participant_id) where a.day = $1 order by p.surname",
    )
    .bind(day)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_instructor_fills_a_days_attendance_with_the_keyboard_only_and_axe_passes() {
    let app = spawn_app().await;
    let g = group(&app).await;
    for surname in MORE {
        app.fixture_participant(CENTRE_A, surname, Some("socjalny1"), Some(g.workshop))
            .await;
    }
    let today = today(&app).await;
    let day = last_working_day(&app).await;
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "instruktor").await;

    // One group: "Obecność" opens today's list straight away.
    browser.goto(&format!("{}/attendance", app.address)).await;
    browser
        .wait_for_path(&format!("/attendance/{}/{}", g.workshop, iso(today)))
        .await;
    browser.assert_accessible("today's list").await;

    let path = format!("/attendance/{}/{}", g.workshop, iso(day));
    browser.goto(&format!("{}{path}", app.address)).await;
    browser.wait_for_text("Zapisz obecność grupy").await;
    browser.assert_accessible("the day's list").await;
    let rows = browser
        .execute(
            "return document.querySelectorAll('form.attendance tbody tr').length;",
            json!([]),
        )
        .await;
    assert_eq!(rows, json!(15));
    // The exceptions, spread over the list as they would be: a sick leave early on, a justified
    // absence in the middle, shorter hours near the end.
    let sick = row(&browser, "Cieślak").await;
    let justified = row(&browser, "Hałas").await;
    let shorter = row(&browser, "Nowakowska").await;
    assert!(sick < justified && justified < shorter);

    let mut keys = Keyboard {
        browser: &browser,
        presses: 0,
    };
    // The skip link, then past the links above the table (back, previous and next day, month).
    keys.press(&[key::TAB]).await;
    assert_eq!(browser.focused().await, "a:Przejdź do treści");
    keys.press(&[key::ENTER]).await;
    assert_eq!(browser.focused().await, "main#main");
    keys.tab_to("select#s0", 5).await;
    let into_form = keys.presses;

    // Every member has three tab stops (status, hours, reason), whatever their status.
    keys.tab_to(&format!("select#s{sick}"), 3 * sick).await;
    keys.press(&[key::DOWN]).await;
    assert_eq!(browser.value(&format!("#s{sick}")).await, "sick");

    keys.tab_to(&format!("select#s{justified}"), 3 * (justified - sick))
        .await;
    keys.repeat(key::DOWN, 2).await;
    assert_eq!(browser.value(&format!("#s{justified}")).await, "justified");
    keys.tab_to(&format!("select#r{justified}"), 2).await;
    keys.press(&[key::DOWN]).await;
    let reason = browser.value(&format!("#r{justified}")).await;
    assert_eq!(reason, "family_care", "the first reason of the dictionary");

    // Tabbing into the hours selects the planned "7": typing replaces it. A slip first: 25.
    keys.tab_to(
        &format!("input#h{shorter}"),
        3 * (shorter - justified) - 2 + 1,
    )
    .await;
    keys.type_text("25").await;
    assert_eq!(browser.value(&format!("#h{shorter}")).await, "25");
    // Enter in an hours field sends the whole group.
    keys.press(&[key::ENTER]).await;
    let first_submit = keys.presses;
    browser.wait_for_text("Popraw zaznaczone pola (1)").await;
    assert_eq!(
        browser.focused().await,
        "div#error-summary",
        "the summary takes the focus"
    );
    assert!(browser.text().await.contains("Podaj od 0 do 24 godzin."));
    // Nothing saved; everything typed is kept.
    assert!(entries(&app, day).await.is_empty());
    assert_eq!(browser.value(&format!("#s{sick}")).await, "sick");
    assert_eq!(browser.value(&format!("#s{justified}")).await, "justified");
    assert_eq!(browser.value(&format!("#r{justified}")).await, reason);
    assert_eq!(browser.value(&format!("#h{shorter}")).await, "25");
    browser
        .assert_accessible("the day's list with an error summary")
        .await;

    // The summary's link leads into the field; select all, type 5,5, Enter.
    keys.press(&[key::TAB]).await;
    keys.press(&[key::ENTER]).await;
    assert_eq!(browser.focused().await, format!("input#h{shorter}"));
    keys.press(&[key::CONTROL, "a"]).await;
    keys.type_text("5,5").await;
    keys.press(&[key::ENTER]).await;
    let correction = keys.presses - first_submit;
    browser
        .wait_for_text(&format!(
            "Zapisano obecność z {}: 15 os., w tym obecnych 13.",
            teczka::domain::calendar::day_in_words(day)
        ))
        .await;
    browser.wait_for_path(&path).await;
    browser.assert_accessible("the day's list, saved").await;

    // All fifteen rows, in one save, with the exceptions.
    let saved = entries(&app, day).await;
    assert_eq!(saved.len(), 15);
    for (surname, status, minutes, why) in &saved {
        let expected = match surname.as_str() {
            "Cieślak" => ("s", 0, None),
            "Hałas" => ("j", 0, Some("family_care")),
            "Nowakowska" => ("p", 330, None),
            _ => ("p", 420, None),
        };
        assert_eq!(
            (status.as_str(), *minutes, why.as_deref()),
            expected,
            "{surname}"
        );
    }

    // The key count: 54 presses to the first Enter. Getting into the form costs 7 (Tab and Enter
    // on the skip link, 5 Tabs past the links above the table); the exceptions themselves 9 (four
    // arrows, the two Tabs from status to reason, two digits, Enter). The rest is walking the
    // tab order: three Tabs for every member above the last exception, because each row has
    // three tab stops (status, hours, reason) even for someone present, and no key moves to the
    // next row. Beyond the exceptions that is 45 presses for 15 people – three a person, not
    // fewer, when the last exception is near the end of the list. Members after it cost nothing
    // only because Enter in an hours field submits the form.
    let exceptions = 1 + 2 + 2 + 1 + 2 + 1;
    let walking = first_submit - into_form - exceptions;
    assert_eq!(into_form, 7);
    assert_eq!(walking, 3 * shorter - 1, "three tab stops a row");
    assert_eq!(correction, 7, "Tab, Enter, Ctrl+A, 5,5, Enter");
    let beyond = first_submit - exceptions;
    assert!(
        beyond <= 3 * 15,
        "{beyond} key presses beyond the exceptions for 15 people"
    );
    browser.quit().await;
}

/// A group whose previous month is filled (the second and third member with one and two
/// unjustified days), so that the month's pages have lines; the workshop, the month and a member.
async fn month_with_attendance(app: &TestApp) -> (Uuid, Date, Uuid) {
    let g = group(app).await;
    let month = previous_month(app).await;
    for (i, who) in g.members.into_iter().enumerate() {
        fill(app, g.workshop, who, month, i).await;
    }
    (g.workshop, month, g.members[0])
}

#[tokio::test]
async fn the_attendance_and_benefit_pages_pass_axe() {
    let app = spawn_app().await;
    let (workshop, month, member) = month_with_attendance(&app).await;
    let m = code(month);
    let browser = Browser::start().await;
    browser.sign_in(&app.address, "kierownik").await;
    // Each page with the start of its heading, so that an error page cannot pass for it.
    let pages = [
        ("/attendance".to_owned(), "Obecność"),
        (
            format!("/attendance/{workshop}/month/{m}"),
            "Obecność: Pracownia stolarska",
        ),
        (
            format!("/attendance/{workshop}/month/{m}/print"),
            "Lista obecności uczestników",
        ),
        (
            format!("/participants/{member}/attendance?month={m}"),
            "Obecność: Adamczyk Jan",
        ),
        ("/benefits".to_owned(), "Świadczenia integracyjne"),
        (format!("/benefits/{m}"), "Świadczenia:"),
        (
            format!("/benefits/{m}/{member}"),
            "Rozliczenie świadczenia: Adamczyk Jan",
        ),
        (
            format!("/benefits/{m}/{member}/print"),
            "Rozliczenie świadczenia integracyjnego",
        ),
        ("/workshops".to_owned(), "Pracownie"),
        (
            format!("/workshops/{workshop}"),
            "Pracownia: Pracownia stolarska",
        ),
        (
            format!("/workshops/{workshop}/plan"),
            "Program tygodniowy: Pracownia stolarska",
        ),
        ("/activity-types".to_owned(), "Rodzaje zajęć"),
        ("/calendar".to_owned(), "Kalendarz ośrodka"),
        (
            format!("/participants/{member}/hours"),
            "Limity godzin: Adamczyk Jan",
        ),
    ];
    let mut failures = Vec::new();
    for (path, heading) in &pages {
        browser.goto(&format!("{}{path}", app.address)).await;
        let h1 = browser
            .execute(
                "return document.querySelector('h1').textContent;",
                json!([]),
            )
            .await;
        assert!(
            h1.as_str().unwrap_or_default().starts_with(heading),
            "{path}: {h1}"
        );
        let violations = browser.axe_violations(path).await;
        if !violations.is_empty() {
            failures.push(format!(
                "{path}: {}",
                serde_json::to_string_pretty(&violations).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The bonus form, then with its error summary (nothing filled in).
    let bonus = format!("{}/benefits/{m}/{member}/bonus", app.address);
    browser.goto(&bonus).await;
    browser.assert_accessible("the bonus form").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("Popraw zaznaczone pola").await;
    browser
        .assert_accessible("the bonus form with errors")
        .await;

    // The close asks first (the month page's button), then the closed month.
    browser.goto(&format!("{}/benefits/{m}", app.address)).await;
    browser
        .click(&format!("main form[action='/benefits/{m}/close'] button"))
        .await;
    browser.wait_for_text("Zamknąć miesiąc").await;
    browser.assert_accessible("the close to confirm").await;
    browser
        .click("main form[action$='/close'] button[type=submit]")
        .await;
    browser.wait_for_text("Lista dla PUP (CSV)").await;
    browser.assert_accessible("the closed month").await;
    // A day of the closed month: the list says why it cannot be changed.
    let day = teczka::domain::calendar::working_days(
        month,
        teczka::domain::calendar::month_end(month),
        &[],
    )[0];
    browser
        .goto(&format!(
            "{}/attendance/{workshop}/{}",
            app.address,
            iso(day)
        ))
        .await;
    browser.wait_for_text("jest zamknięty").await;
    browser.assert_accessible("a day of the closed month").await;
    browser.quit().await;
}
