//! "Do zrobienia" for every role, from one fixture holding work of every kind, on a fixed day:
//! exactly which items (by link) each role's Start lists, that what is another centre's,
//! another caseload's or another workshop's is absent, the order by due date, the overdue
//! mark (words and shape) and the count in the navigation.

mod fixture;

use teczka::domain::calendar;
use time::{Date, Duration};
use uuid::Uuid;

use self::fixture::arrange;
use crate::helpers::*;
use crate::home::nav_count;

/// A work group as the page shows it: its heading and, per item, the link and the line.
#[derive(Debug)]
struct Group {
    heading: String,
    items: Vec<(String, String)>,
}

/// The lists to look things up in, which are not work due.
const REFERENCE: [&str; 3] = [
    "Moi podopieczni",
    "Uczestnicy moich pracowni",
    "Konta pracowników",
];

/// The groups of a Start page, in their order.
fn groups(page: &str) -> Vec<Group> {
    page.split("<section")
        .skip(1)
        .map(|section| {
            let section = &section[..section.find("</section>").unwrap()];
            let h2 = &section[section.find("<h2").unwrap()..];
            let heading = h2[h2.find('>').unwrap() + 1..h2.find("</h2>").unwrap()].to_owned();
            let items = section
                .split("<li")
                .skip(1)
                .map(|li| {
                    let li = &li[..li.find("</li>").unwrap()];
                    let href = li
                        .find("<a href=\"")
                        .map(|at| {
                            let rest = &li[at + 9..];
                            rest[..rest.find('"').unwrap()].to_owned()
                        })
                        .unwrap_or_default();
                    (href, li.to_owned())
                })
                .collect();
            Group { heading, items }
        })
        .collect()
}

/// The links of the work items of a Start page (the reference lists left out), in order.
fn work_links(page: &str) -> Vec<String> {
    groups(page)
        .into_iter()
        .filter(|g| !REFERENCE.iter().any(|r| g.heading.starts_with(r)))
        .flat_map(|g| g.items.into_iter().map(|(href, _)| href))
        .collect()
}

/// The line of the item linking to `href`.
fn line<'a>(groups: &'a [Group], href: &str) -> &'a str {
    groups
        .iter()
        .flat_map(|g| g.items.iter())
        .find(|(h, _)| h == href)
        .map(|(_, l)| l.as_str())
        .unwrap_or_else(|| panic!("no item links to {href}"))
}

/// The heading of the group holding the item linking to `href`.
fn heading_of<'a>(groups: &'a [Group], href: &str) -> &'a str {
    groups
        .iter()
        .find(|g| g.items.iter().any(|(h, _)| h == href))
        .map(|g| g.heading.as_str())
        .unwrap_or_else(|| panic!("no item links to {href}"))
}

fn sorted(links: &[String]) -> Vec<String> {
    let mut links = links.to_vec();
    links.sort();
    links
}

fn file(id: Uuid) -> String {
    format!("/participants/{id}")
}

/// Where a graduate's follow-up contact is recorded.
fn contact(id: Uuid) -> String {
    format!("/participants/{id}/follow-ups/contact")
}

fn attendance(workshop: Uuid, day: Date) -> String {
    format!("/attendance/{workshop}/{}", iso(day))
}

/// Start of `login` (grouped, or by due date): the page.
async fn start(app: &TestApp, login: &str, path: &str) -> String {
    let session = app.login(login).await;
    let response = app.get(path, Some(&session)).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{login} {path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn every_role_sees_exactly_its_work_and_nothing_out_of_its_scope() {
    let app = spawn_app().await;
    let f = arrange(&app).await;
    let month_link = format!("/benefits/{}", calendar::month_code(f.month));

    // The manager: the whole centre's trial periods, admissions, approvals, the centre's
    // signature, the month to close and the corrections.
    let manager = start(&app, "kierownik", "/").await;
    let expected = [
        file(f.trial_past),
        file(f.trial_soon),
        file(f.reserve),
        format!("/ipzs/{}", f.submitted),
        format!("/contracts/{}", f.contract),
        month_link.clone(),
        "/benefits".to_owned(),
    ];
    assert_eq!(work_links(&manager), expected, "{manager}");
    let g = groups(&manager);
    assert!(heading_of(&g, &file(f.trial_soon)).starts_with("Okres próbny kończy się"));
    assert!(heading_of(&g, &file(f.reserve)).starts_with("Lista rezerwowa – czekają na przyjęcie"));
    assert_eq!(
        heading_of(&g, &format!("/ipzs/{}", f.submitted)),
        "IPZS do zatwierdzenia (1)"
    );
    assert_eq!(
        heading_of(&g, &format!("/contracts/{}", f.contract)),
        "Kontrakty do podpisania przez kierownika (1)"
    );
    assert!(line(&g, &month_link).contains(&format!(
        "Zamknij miesiąc: {}",
        calendar::month_title(f.month)
    )));
    assert!(line(&g, "/benefits").contains("Korekty do wysłania do PUP: 1"));
    assert_eq!(nav_count(&manager).as_deref(), Some("7"));
    assert!(!manager.contains("Obca") && !manager.contains(&f.b_ipzs.to_string()));

    // The first social worker: their caseload only.
    let worker = start(&app, "socjalny1", "/").await;
    let expected = [
        format!("/participants/{}/status/reserve", f.candidate),
        file(f.trial_soon),
        format!("/participants/{}/ipzs", f.reserve),
        format!("/ipzs/{}", f.returned),
        format!("/ipzs/{}/monitoring", f.monitored),
        attendance(f.stolarnia, f.missed),
        contact(f.late_graduate),
        contact(f.due_graduate),
    ];
    assert_eq!(sorted(&work_links(&worker)), sorted(&expected), "{worker}");
    let g = groups(&worker);
    assert!(
        heading_of(&g, &expected[0]).starts_with("Kandydaci gotowi do wpisania na listę rezerwową")
    );
    assert!(
        heading_of(&g, &expected[2]).starts_with("Lista rezerwowa – przygotuj IPZS do przyjęcia")
    );
    assert_eq!(heading_of(&g, &expected[3]), "IPZS zwrócone do poprawy (1)");
    assert_eq!(
        heading_of(&g, &expected[4]),
        "Monitoring IPZS do wpisania (1)"
    );
    assert!(line(&g, &expected[4]).contains(&format!("termin {}", polish(f.monitoring_due))));
    assert!(
        line(&g, &expected[5]).contains("Stolarnia") && line(&g, &expected[5]).contains("4 os.")
    );
    assert!(heading_of(&g, &expected[6]).starts_with("Kontakty z absolwentami"));
    assert_eq!(nav_count(&worker).as_deref(), Some("8"));
    for absent in [
        file(f.trial_past),
        format!("/ipzs/{}", f.submitted),
        format!("/contracts/{}", f.contract),
        attendance(f.ogrod, f.missed),
        contact(f.other_graduate),
    ] {
        assert!(!work_links(&worker).contains(&absent), "{absent}");
    }

    // The second social worker: the other caseload.
    let other = start(&app, "socjalny2", "/").await;
    assert_eq!(
        sorted(&work_links(&other)),
        sorted(&[
            file(f.trial_past),
            attendance(f.ogrod, f.missed),
            contact(f.other_graduate),
        ]),
        "{other}"
    );
    assert!(line(&groups(&other), &attendance(f.ogrod, f.missed)).contains("2 os."));

    // The opinion writers: their own requests.
    for (login, opinion) in [
        ("psycholog", f.psychologist_opinion),
        ("doradca", f.advisor_opinion),
    ] {
        let page = start(&app, login, "/").await;
        assert_eq!(
            work_links(&page),
            [format!("/opinions/{opinion}")],
            "{login}"
        );
        assert_eq!(nav_count(&page).as_deref(), Some("1"), "{login}");
    }
    // The instructor: the opinion and the attendance of their workshop, not of Ogród.
    let instructor = start(&app, "instruktor", "/").await;
    assert_eq!(
        work_links(&instructor),
        [
            attendance(f.stolarnia, f.missed),
            format!("/opinions/{}", f.instructor_opinion),
        ],
        "{instructor}"
    );
    assert!(
        groups(&instructor)
            .iter()
            .any(|g| g.heading.starts_with("Uczestnicy moich pracowni") && g.items.len() == 4)
    );

    // The administrator: no work, the accounts as a reference list.
    let admin = start(&app, "admin", "/").await;
    assert!(work_links(&admin).is_empty(), "{admin}");
    assert!(admin.contains("Nie masz teraz zadań.") && admin.contains("Konta pracowników"));
    assert_eq!(nav_count(&admin), None);

    // Centre B sees its own work only.
    let b_manager = start(&app, "kierownik2", "/").await;
    assert_eq!(
        work_links(&b_manager),
        [file(f.b_trial), format!("/ipzs/{}", f.b_ipzs)],
        "{b_manager}"
    );
    let b_psychologist = start(&app, "psycholog2", "/").await;
    assert_eq!(
        work_links(&b_psychologist),
        [format!("/opinions/{}", f.b_opinion)]
    );
    assert!(!b_psychologist.contains("Opiniowana"));
    let _ = f.opinions;
}

#[tokio::test]
async fn overdue_items_say_so_in_words_and_by_a_mark_and_the_list_orders_by_due_date() {
    let app = spawn_app().await;
    let f = arrange(&app).await;
    let month_link = format!("/benefits/{}", calendar::month_code(f.month));

    // Grouped: the trial that ended two days ago is overdue, the one ending in three is not.
    let manager = start(&app, "kierownik", "/").await;
    let g = groups(&manager);
    let past = line(&g, &file(f.trial_past));
    assert!(past.contains("class=\"overdue\""), "{past}");
    assert!(past.contains("<svg class=\"overdue-icon\""));
    assert!(past.contains("Zaległe. Po terminie od 2 dni."), "{past}");
    let soon = line(&g, &file(f.trial_soon));
    assert!(
        !soon.contains("overdue") && !soon.contains("Zaległe"),
        "{soon}"
    );
    assert!(manager.contains("<a href=\"/?order=due\">według terminu</a>"));

    // The psychologist's request is 20 days old: 6 days past the 14 an opinion takes.
    let psychologist = start(&app, "psycholog", "/").await;
    let request = line(
        &groups(&psychologist),
        &format!("/opinions/{}", f.psychologist_opinion),
    )
    .to_owned();
    assert!(
        request.contains("Zaległe. Po terminie od 6 dni."),
        "{request}"
    );
    let advisor = start(&app, "doradca", "/").await;
    assert!(!advisor.contains("Zaległe"), "{advisor}");

    // By due date: one list, the earliest first, each item naming its kind; the undated
    // last, in the order of their kinds. The month is to be closed from its first day.
    let by_due = start(&app, "kierownik", "/?order=due").await;
    let g = groups(&by_due);
    assert!(
        g[0].heading
            .starts_with("Wszystkie zadania według terminu (7)"),
        "{by_due}"
    );
    let in_kind_order = [
        (Some(f.today - Duration::days(2)), file(f.trial_past)),
        (Some(f.today + Duration::days(3)), file(f.trial_soon)),
        (None, file(f.reserve)),
        (
            Some(f.today - Duration::days(5)),
            format!("/ipzs/{}", f.submitted),
        ),
        (
            Some(f.today - Duration::days(4)),
            format!("/contracts/{}", f.contract),
        ),
        (Some(calendar::month_start(f.today)), month_link.clone()),
        (None, "/benefits".to_owned()),
    ];
    let mut expected = in_kind_order.to_vec();
    expected.sort_by_key(|(due, _)| (due.is_none(), *due));
    let expected: Vec<String> = expected.into_iter().map(|(_, href)| href).collect();
    assert_eq!(work_links(&by_due), expected, "{by_due}");
    let past = line(&g, &file(f.trial_past));
    assert!(
        past.contains("Okres próbny kończy się w ciągu 7 dni lub minął:"),
        "{past}"
    );
    assert!(past.contains("Zaległe. Po terminie od 2 dni."));
    assert!(by_due.contains("<strong aria-current=\"page\">według terminu</strong>"));

    // The social worker's: the overdue follow-up (20 days), the returned IPZS (6 days), the
    // missed day, the contact due today, the trial, the monitoring; then the undated.
    let worker = start(&app, "socjalny1", "/?order=due").await;
    let mut expected = vec![
        (
            Some(f.today - Duration::days(6)),
            format!("/ipzs/{}", f.returned),
        ),
        (Some(f.missed), attendance(f.stolarnia, f.missed)),
        (Some(f.today + Duration::days(3)), file(f.trial_soon)),
        (
            Some(f.monitoring_due),
            format!("/ipzs/{}/monitoring", f.monitored),
        ),
        (Some(f.today - Duration::days(20)), contact(f.late_graduate)),
        (Some(f.today), contact(f.due_graduate)),
    ];
    expected.sort_by_key(|(due, _)| *due);
    let dated: Vec<String> = expected.into_iter().map(|(_, href)| href).collect();
    let links = work_links(&worker);
    assert_eq!(links[..6], dated[..], "{worker}");
    assert!(
        line(&groups(&worker), &contact(f.late_graduate))
            .contains("Zaległe. Po terminie od 20 dni."),
        "{worker}"
    );
    assert_eq!(links.len(), 8);
    let missed = line(&groups(&worker), &attendance(f.stolarnia, f.missed)).to_owned();
    let days = (f.today - f.missed).whole_days();
    let words = if days == 1 {
        "Zaległe. Po terminie od 1 dnia.".to_owned()
    } else {
        format!("Zaległe. Po terminie od {days} dni.")
    };
    assert!(missed.contains(&words), "{missed}");
    // The caseload stays a reference list after the work.
    assert!(worker.find("Wszystkie zadania").unwrap() < worker.find("Moi podopieczni").unwrap());
}

#[tokio::test]
async fn the_start_page_with_work_of_every_kind_passes_axe() {
    let app = spawn_app().await;
    arrange(&app).await;
    let browser = crate::webdriver::Browser::start().await;
    for login in ["kierownik", "socjalny1"] {
        browser.sign_in(&app.address, login).await;
        browser
            .assert_accessible(&format!("Start of {login}"))
            .await;
        browser.goto(&format!("{}/?order=due", app.address)).await;
        browser
            .assert_accessible(&format!("Start of {login} by due date"))
            .await;
        browser.resize(320, 700).await;
        assert!(!browser.overflows_horizontally().await, "{login} at 320 px");
        browser.resize(1280, 900).await;
        browser.click("form[action='/logout'] button").await;
        browser.wait_for_path("/login?wylogowano=1").await;
    }
    browser.quit().await;
}
