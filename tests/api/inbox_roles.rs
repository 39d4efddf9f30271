//! "Do zrobienia" for every role, from one fixture holding work of every kind, on a fixed day:
//! exactly which items (by link) each role's Start lists, that what is another centre's,
//! another caseload's or another workshop's is absent, the order by due date, the overdue
//! mark (words and shape) and the count in the navigation.

use std::time::Duration as StdDuration;

use teczka::domain::calendar;
use teczka::validate::dates::{add_months, polish_today};
use time::{Date, Duration, OffsetDateTime, Weekday};
use uuid::Uuid;

use crate::helpers::*;
use crate::home::nav_count;

/// The app's clock moved to a fixed day: the first Wednesday at least a week ahead (the clock
/// only moves forward), at 09:00 UTC (10:00 or 11:00 in Warsaw, the same day). Returns it.
fn set_clock(app: &TestApp) -> Date {
    let now = OffsetDateTime::now_utc();
    let mut day = polish_today(now) + Duration::days(7);
    while day.weekday() != Weekday::Wednesday {
        day = day.next_day().unwrap();
    }
    let at = day.midnight().assume_utc() + Duration::hours(9);
    app.advance(StdDuration::from_secs((at - now).whole_seconds() as u64));
    assert_eq!(app.state.today(), day);
    day
}

/// A moment on `day` (noon in Warsaw, whatever the season).
fn on(day: Date) -> OffsetDateTime {
    day.midnight().assume_utc() + Duration::hours(11)
}

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

/// One fixture with work of every kind, on the fixed day.
struct Fixture {
    today: Date,
    /// The last working day before today: attendance not entered.
    missed: Date,
    /// The previous month: attendance recorded, not closed.
    month: Date,
    stolarnia: Uuid,
    ogrod: Uuid,
    /// socjalny1's, in Stolarnia: opinions requested from the psychologist (20 days ago), the
    /// career advisor and the instructor; an approved contract waiting for the centre's
    /// signature.
    opinions: Uuid,
    psychologist_opinion: Uuid,
    advisor_opinion: Uuid,
    instructor_opinion: Uuid,
    contract: Uuid,
    /// socjalny2's, in Ogród: an IPZS submitted for approval.
    submitted: Uuid,
    /// socjalny1's, in Stolarnia: an IPZS returned to its author.
    returned: Uuid,
    /// socjalny1's, in Stolarnia: an IPZS in realization, its monitoring due on `monitoring_due`.
    monitored: Uuid,
    monitoring_due: Date,
    /// Trial periods: socjalny1's ends in 3 days, socjalny2's ended 2 days ago.
    trial_soon: Uuid,
    trial_past: Uuid,
    /// socjalny1's, on the reserve list without an IPZS: the admission waits.
    reserve: Uuid,
    /// socjalny1's candidate with a complete recruitment file.
    candidate: Uuid,
    /// Graduates with a follow-up contact: socjalny1's due today and 10 days overdue,
    /// socjalny2's overdue.
    due_graduate: Uuid,
    late_graduate: Uuid,
    other_graduate: Uuid,
    /// Centre B: a trial ending, an IPZS submitted, an opinion requested.
    b_trial: Uuid,
    b_ipzs: Uuid,
    b_opinion: Uuid,
}

async fn arrange(app: &TestApp) -> Fixture {
    let today = set_clock(app);
    let missed =
        *calendar::working_days(today - Duration::days(14), today - Duration::days(1), &[])
            .last()
            .unwrap();
    let month = add_months(calendar::month_start(today), -1);
    let stolarnia = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let ogrod = app.workshop(CENTRE_A, "Ogród", None).await;
    let b_workshop = app
        .workshop(CENTRE_B, "Krawiectwo", Some("instruktor2"))
        .await;
    // In the programme, each in a workshop from the day attendance was missed (so that day is
    // the only one without an entry).
    let member = |worker: &'static str,
                  surname: &'static str,
                  workshop: Uuid,
                  centre: &'static str| async move {
        let id = app
            .fixture_participant(centre, surname, Some(worker), None)
            .await;
        sqlx::query(
            "insert into workshop_membership (workshop_id, participant_id, centre_id, member_from)
             select $1, participant_id, centre_id, $3 from participant where participant_id = $2",
        )
        .bind(workshop)
        .bind(id)
        .bind(missed)
        .execute(&app.db)
        .await
        .unwrap();
        id
    };
    let opinions = member("socjalny1", "Opiniowana", stolarnia, CENTRE_A).await;
    let submitted_of = member("socjalny2", "Zatwierdzana", ogrod, CENTRE_A).await;
    let returned_of = member("socjalny1", "Zwrócona", stolarnia, CENTRE_A).await;
    let monitored_of = member("socjalny1", "Monitorowana", stolarnia, CENTRE_A).await;
    let trial_soon = member("socjalny1", "Próbna", stolarnia, CENTRE_A).await;
    let trial_past = member("socjalny2", "Spóźniona", ogrod, CENTRE_A).await;
    let b_trial = member("socjalny3", "Obca", b_workshop, CENTRE_B).await;
    for (id, ends) in [
        (trial_soon, today + Duration::days(3)),
        (trial_past, today - Duration::days(2)),
        (b_trial, today + Duration::days(1)),
    ] {
        sqlx::query(
            "update participant set status = 'trial', trial_ends_on = $2 where participant_id = $1",
        )
        .bind(id)
        .bind(ends)
        .execute(&app.db)
        .await
        .unwrap();
    }

    // Opinions requested (one in centre B), each on a known day.
    let opinion = |participant: Uuid,
                   kind: &'static str,
                   author: &'static str,
                   requester: &'static str,
                   at: Date| async move {
        // Asked on a known day (the request's time never changes afterwards, so it is set
        // here rather than by `fixture_opinion`).
        sqlx::query_scalar::<_, Uuid>(
            "insert into opinion (centre_id, participant_id, kind, requested_by, requested_at, author_id)
             select p.centre_id, p.participant_id, $2::opinion_kind, r.staff_user_id, $5, a.staff_user_id
             from participant p, staff_user r, staff_user a
             where p.participant_id = $1 and a.login = $3 and r.login = $4
             returning opinion_id",
        )
        .bind(participant)
        .bind(kind)
        .bind(author)
        .bind(requester)
        .bind(on(at))
        .fetch_one(&app.db)
        .await
        .unwrap()
    };
    let psychologist_opinion = opinion(
        opinions,
        "psychologist",
        "psycholog",
        "socjalny1",
        today - Duration::days(20),
    )
    .await;
    let advisor_opinion = opinion(
        opinions,
        "career_advisor",
        "doradca",
        "socjalny1",
        today - Duration::days(2),
    )
    .await;
    let instructor_opinion = opinion(
        opinions,
        "instructor",
        "instruktor",
        "socjalny1",
        today - Duration::days(3),
    )
    .await;
    let b_opinion = opinion(
        b_trial,
        "psychologist",
        "psycholog2",
        "socjalny3",
        today - Duration::days(1),
    )
    .await;

    // Documents, each waiting since a known day.
    let document = |participant: Uuid, kind: &'static str, status: &'static str, since: Date| async move {
        sqlx::query_scalar::<_, Uuid>(
            "with d as (insert into document (centre_id, participant_id, kind, status, author_id, created_at, updated_at)
                        select p.centre_id, p.participant_id, $2::document_kind, $3::document_status, p.social_worker_id, $4, $4
                        from participant p where p.participant_id = $1
                        returning document_id, author_id)
             insert into document_version (document_id, number, status, sections, created_by)
             select document_id, 1, $3::document_status, '[]', author_id from d returning document_id",
        )
        .bind(participant)
        .bind(kind)
        .bind(status)
        .bind(on(since))
        .fetch_one(&app.db)
        .await
        .unwrap()
    };
    let submitted = document(submitted_of, "ipzs", "submitted", today - Duration::days(5)).await;
    let contract = document(
        opinions,
        "social_contract",
        "approved",
        today - Duration::days(4),
    )
    .await;
    let returned = document(returned_of, "ipzs", "draft", today - Duration::days(6)).await;
    sqlx::query(
        "insert into document_event (document_id, centre_id, version, step, from_status, to_status, comment, decided_by, occurred_at)
         select d.document_id, d.centre_id, 1, 'return', 'submitted', 'draft', 'Uzupełnij cele.', u.staff_user_id, $2
         from document d, staff_user u where d.document_id = $1 and u.login = 'kierownik'",
    )
    .bind(returned)
    .bind(on(today - Duration::days(6)))
    .execute(&app.db)
    .await
    .unwrap();
    // Signed by the participant 85 days ago, no entry since: the quarterly entry falls due
    // within the next two weeks.
    let signed = today - Duration::days(85);
    let monitored = document(monitored_of, "ipzs", "in_realization", signed).await;
    sqlx::query(
        "insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
         select d.document_id, 1, party::signature_party, d.centre_id, $2, d.author_id
         from document d, unnest(array['participant', 'manager']) party where d.document_id = $1",
    )
    .bind(monitored)
    .bind(signed)
    .execute(&app.db)
    .await
    .unwrap();
    let b_ipzs = document(b_trial, "ipzs", "submitted", today - Duration::days(1)).await;

    // socjalny1's person on the reserve list; socjalny1's candidate with every document.
    let reserve = app
        .fixture_participant(CENTRE_A, "Rezerwowa", Some("socjalny1"), None)
        .await;
    app.before_admission(reserve, "reserve").await;
    let candidate = app
        .fixture_participant(CENTRE_A, "Gotowa", Some("socjalny1"), None)
        .await;
    app.before_admission(candidate, "candidate").await;
    sqlx::query(
        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
         select p.participant_id, p.centre_id, k, $2, 'Dokument', p.social_worker_id
         from participant p, unnest(enum_range(null::recruitment_document_kind)) k where p.participant_id = $1",
    )
    .bind(candidate)
    .bind(today - Duration::days(10))
    .execute(&app.db)
    .await
    .unwrap();

    // Graduates with follow-up contacts due.
    let graduate = |worker: &'static str, surname: &'static str, due: Date| async move {
        let id = app
            .fixture_participant(CENTRE_A, surname, Some(worker), None)
            .await;
        sqlx::query(
            "update participant set status = 'graduate', ended_on = $2, graduation_outcome = 'employment',
                    employment_contract = 'permanent' where participant_id = $1",
        )
        .bind(id)
        .bind(today - Duration::days(200))
        .execute(&app.db)
        .await
        .unwrap();
        sqlx::query(
            "insert into follow_up (participant_id, centre_id, sequence, due_on)
             select participant_id, centre_id, 1, $2 from participant where participant_id = $1",
        )
        .bind(id)
        .bind(due)
        .execute(&app.db)
        .await
        .unwrap();
        id
    };
    let due_graduate = graduate("socjalny1", "Terminowy", today).await;
    let late_graduate = graduate("socjalny1", "Zaległy", today - Duration::days(10)).await;
    let other_graduate = graduate("socjalny2", "Cudzy", today - Duration::days(10)).await;

    // The previous month: attendance recorded, the month not closed; a correction waiting.
    sqlx::query(
        "insert into attendance_month (centre_id, month) select centre_id, $1 from centre where name = $2",
    )
    .bind(month)
    .bind(CENTRE_A)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into benefit_correction (participant_id, month, centre_id, from_revision, to_revision,
                                         benefit_diff_grosze, bonus_diff_grosze, reason, created_by)
         select p.participant_id, $2, p.centre_id, 1, 2, -1234, 0, 'Korekta obecności', u.staff_user_id
         from participant p, staff_user u where p.participant_id = $1 and u.login = 'kierownik'",
    )
    .bind(opinions)
    .bind(month)
    .execute(&app.db)
    .await
    .unwrap();

    Fixture {
        today,
        missed,
        month,
        stolarnia,
        ogrod,
        opinions,
        psychologist_opinion,
        advisor_opinion,
        instructor_opinion,
        contract,
        submitted,
        returned,
        monitored,
        monitoring_due: add_months(signed, 3),
        trial_soon,
        trial_past,
        reserve,
        candidate,
        due_graduate,
        late_graduate,
        other_graduate,
        b_trial,
        b_ipzs,
        b_opinion,
    }
}

fn file(id: Uuid) -> String {
    format!("/participants/{id}")
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
        file(f.late_graduate),
        file(f.due_graduate),
    ];
    assert_eq!(sorted(&work_links(&worker)), sorted(&expected), "{worker}");
    let g = groups(&worker);
    assert!(
        heading_of(&g, &expected[0]).starts_with("Kandydaci gotowi do wpisu na listę rezerwową")
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
        file(f.other_graduate),
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
            file(f.other_graduate),
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

    // The social worker's: the returned IPZS (6 days), the missed day, the trial, the
    // monitoring; then the undated.
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
    ];
    expected.sort_by_key(|(due, _)| *due);
    let dated: Vec<String> = expected.into_iter().map(|(_, href)| href).collect();
    let links = work_links(&worker);
    assert_eq!(links[..4], dated[..], "{worker}");
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
