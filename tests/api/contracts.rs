//! The social contract (kontrakt socjalny) end to end through the real router and the real
//! schema: start → Part I saved → submit → return with a comment → resubmit → accepted by the
//! manager → the manager's signature → the client's signature (realization) → actions,
//! referrals and the quarterly note → Part II (new goals) → approved, which closes the contract
//! and freezes Part II → the renewal, linked and pre-filled. Then wrong input (a Polish message,
//! nothing changed), who may do what, "Do zrobienia", amendments and prints.

use reqwest::StatusCode;
use time::{Date, Duration, Month};
use uuid::Uuid;

use crate::helpers::*;

/// The first day of the month `k` months before `t`'s month.
fn first_of_month_before(t: Date, k: i32) -> Date {
    let index = t.year() * 12 + i32::from(u8::from(t.month())) - 1 - k;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap()).unwrap();
    Date::from_calendar_date(index.div_euclid(12), month, 1).unwrap()
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

async fn version_statuses(app: &TestApp, doc: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "select status::text from document_version where document_id = $1 order by number",
    )
    .bind(doc)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// One stored section of version `number` of `doc`.
async fn section(app: &TestApp, doc: Uuid, number: i32, key: &str) -> Option<String> {
    sqlx::query_scalar(
        "select t.value ->> 1 from document_version v, jsonb_array_elements(v.sections) t
         where v.document_id = $1 and v.number = $2 and t.value ->> 0 = $3",
    )
    .bind(doc)
    .bind(number)
    .bind(key)
    .fetch_optional(&app.db)
    .await
    .unwrap()
}

async fn revision(app: &TestApp, doc: Uuid) -> i32 {
    sqlx::query_scalar(
        "select v.revision from document_version v join document d using (document_id)
         where d.document_id = $1 and v.number = d.current_version",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn count(app: &TestApp, sql: &str, doc: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(doc)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn contracts_of(app: &TestApp, participant: Uuid) -> i64 {
    count(
        app,
        "select count(*) from document where participant_id = $1 and kind = 'social_contract'",
        participant,
    )
    .await
}

async fn signatures(app: &TestApp, doc: Uuid) -> Vec<(i32, String, Date)> {
    sqlx::query_as(
        "select version, party::text, signed_on from document_signature
         where document_id = $1 order by version, party",
    )
    .bind(doc)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// The audit rows of `action` with `outcome` on document `doc`.
async fn audits(app: &TestApp, action: &str, outcome: &str, doc: Uuid) -> i64 {
    sqlx::query_scalar(
        "select count(*) from audit_event
         where action = $1 and outcome = $2 and object_id = $3",
    )
    .bind(action)
    .bind(outcome)
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// The details of the successful audit rows of `action` on document `doc`, oldest first.
async fn audit_details(app: &TestApp, action: &str, doc: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "select coalesce(detail, '') from audit_event
         where action = $1 and outcome = 'success' and object_id = $2 order by audit_event_id",
    )
    .bind(action)
    .bind(doc)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// A form's fields, owned.
type Fields = Vec<(String, String)>;

/// A realization record as stored: kind, planned action, result, type, addressee.
type RecordRow = (
    String,
    Option<i32>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const GOAL_1: &str = "Ukończenie kursu pomocnika kucharza.";
const GOAL_2: &str = "Uregulowanie zadłużenia alimentacyjnego.";
const ACTION_1: &str = "Złożenie wniosku o zasiłek celowy na dojazdy.";
const ACTION_2: &str = "Udział w grupie samopomocowej raz w tygodniu.";

/// A complete Part I at `revision`: the period from `t` for 180 days, two goals, two actions
/// (the second's deadline typed the Polish way).
fn part_one(t: Date, revision: i32) -> Vec<(String, String)> {
    let fields = [
        ("revision", revision.to_string()),
        ("version", "1".to_owned()),
        (
            "situation",
            "Bezrobotny od 3 lat, bez stałego dochodu, mieszka sam.".to_owned(),
        ),
        (
            "causes",
            "Utrata pracy po wypadku, zadłużenie alimentacyjne.".to_owned(),
        ),
        ("interview_on", iso(t - Duration::days(10))),
        (
            "main_goal",
            "Zwiększenie kompetencji społecznych i zawodowych.".to_owned(),
        ),
        ("goal_1", GOAL_1.to_owned()),
        ("goal_2", GOAL_2.to_owned()),
        ("action_1_text", ACTION_1.to_owned()),
        ("action_1_due", iso(t + Duration::days(14))),
        ("action_1_party", "social_worker".to_owned()),
        ("action_2_text", ACTION_2.to_owned()),
        ("action_2_due", polish(t + Duration::days(60))),
        ("action_2_party", "client".to_owned()),
        (
            "client_duties",
            "Udział w zajęciach CIS i w terapii uzależnień.".to_owned(),
        ),
        (
            "worker_duties",
            "Pomoc w sprawach urzędowych, spotkania co dwa tygodnie.".to_owned(),
        ),
        (
            "support",
            "Wnioski o zasiłek celowy; spotkania grupowe.".to_owned(),
        ),
        ("period_from", iso(t)),
        ("period_until", iso(t + Duration::days(180))),
        ("action", "save".to_owned()),
    ];
    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// `fields` with `changes` applied: a value replaced (or added), or the field left out (`None`).
fn with(
    mut fields: Vec<(String, String)>,
    changes: &[(&str, Option<&str>)],
) -> Vec<(String, String)> {
    for (name, value) in changes {
        match value {
            Some(v) => match fields.iter_mut().find(|(k, _)| k == name) {
                Some(field) => field.1 = (*v).to_owned(),
                None => fields.push(((*name).to_owned(), (*v).to_owned())),
            },
            None => fields.retain(|(k, _)| k != name),
        }
    }
    fields
}

/// Where a contract is brought to by [`contract_at`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// Started, Part I saved complete.
    Drafted,
    Submitted,
    Accepted,
    /// Accepted and signed by the manager.
    CentreSigned,
    /// Signed by the client: in realization.
    Running,
}

/// A participant of socjalny1 (optionally in `workshop`) with a contract brought to `stage`
/// through the router, both signatures dated today. Returns (participant, contract).
async fn contract_at(
    app: &TestApp,
    surname: &str,
    workshop: Option<Uuid>,
    stage: Stage,
) -> (Uuid, Uuid) {
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(app).await;
    let id = app
        .fixture_participant(CENTRE_A, surname, Some("socjalny1"), workshop)
        .await;
    let (status, to) = post_text(app, &format!("/participants/{id}/contracts"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let doc: Uuid = to
        .trim_start_matches("/contracts/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    let mut steps: Vec<(&Session, String, Fields)> =
        vec![(&worker, format!("/contracts/{doc}/edit"), part_one(t, 1))];
    if stage >= Stage::Submitted {
        steps.push((&worker, format!("/contracts/{doc}/submit"), Vec::new()));
    }
    if stage >= Stage::Accepted {
        steps.push((&manager, format!("/contracts/{doc}/approve"), Vec::new()));
    }
    let on = vec![("signed_on".to_owned(), iso(t))];
    if stage >= Stage::CentreSigned {
        steps.push((
            &manager,
            format!("/contracts/{doc}/sign-centre"),
            on.clone(),
        ));
    }
    if stage >= Stage::Running {
        steps.push((&worker, format!("/contracts/{doc}/sign-client"), on));
    }
    for (session, path, fields) in steps {
        let (status, page) = post_text(app, &path, session, &refs(&fields)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}: {page}");
    }
    (id, doc)
}

#[tokio::test]
async fn a_contract_goes_from_draft_through_acceptance_and_both_signatures_to_realization_evaluation_and_renewal()
 {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(&app).await;
    let id = app
        .fixture_participant(CENTRE_A, "Kontraktowy", Some("socjalny1"), None)
        .await;

    // No contract yet: the social worker may start one, pre-filled with the seed's main goal.
    let (status, list) = body(&app, &format!("/participants/{id}/contracts"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Ta osoba nie ma jeszcze kontraktu socjalnego."));
    assert!(list.contains("Rozpocznij projekt kontraktu"), "{list}");
    let (status, to) =
        post_text(&app, &format!("/participants/{id}/contracts"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let doc: Uuid = to
        .trim_start_matches("/contracts/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    assert_eq!(to, format!("/contracts/{doc}/edit"));
    assert_eq!(doc_status(&app, doc).await, "draft");
    let (status, edit) = body(&app, &format!("/contracts/{doc}/edit"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        edit.contains("Zapewnienie równego dostępu do zatrudnienia"),
        "{edit}"
    );

    // Part I saved with every field; the Polish-typed deadline is stored as ISO.
    let (status, to) = post_text(
        &app,
        &format!("/contracts/{doc}/edit"),
        &worker,
        &refs(&part_one(t, 1)),
    )
    .await;
    assert_eq!(
        (status, to),
        (StatusCode::SEE_OTHER, format!("/contracts/{doc}"))
    );
    assert_eq!(revision(&app, doc).await, 2);
    assert_eq!(
        section(&app, doc, 1, "goal.1").await.as_deref(),
        Some(GOAL_1)
    );
    assert_eq!(
        section(&app, doc, 1, "goal.2").await.as_deref(),
        Some(GOAL_2)
    );
    assert_eq!(
        section(&app, doc, 1, "action.2.due").await,
        Some(iso(t + Duration::days(60)))
    );
    assert_eq!(
        section(&app, doc, 1, "action.1.party").await.as_deref(),
        Some("social_worker")
    );
    assert_eq!(
        section(&app, doc, 1, "period.until").await,
        Some(iso(t + Duration::days(180)))
    );

    // Submitted; the manager returns it with a comment, which the author reads.
    let (status, _) = post_text(&app, &format!("/contracts/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "submitted");
    let comment = "Dopisz, kto pomaga w złożeniu wniosku o zasiłek.";
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/return"),
        &manager,
        &[("comment", comment)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "draft");
    let (_, page) = body(&app, &format!("/contracts/{doc}"), &worker).await;
    assert!(
        page.contains("Zwrócono do poprawy – Kinga Kierownik"),
        "{page}"
    );
    assert!(page.contains(comment));
    let (_, edit) = body(&app, &format!("/contracts/{doc}/edit"), &worker).await;
    assert!(edit.contains(comment), "the comment shows in the form too");
    let (_, home) = body(&app, "/", &worker).await;
    assert!(home.contains("Kontrakty zwrócone do poprawy (1)"), "{home}");

    // Resubmitted, accepted by the manager, signed by the manager, then by the client.
    let (status, _) = post_text(&app, &format!("/contracts/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(&app, &format!("/contracts/{doc}/approve"), &manager, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "approved");
    assert_eq!(version_statuses(&app, doc).await, ["approved"]);
    let on = iso(t);
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/sign-centre"),
        &manager,
        &[("signed_on", &on)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        doc_status(&app, doc).await,
        "approved",
        "the client signs next"
    );
    let (_, page) = body(&app, &format!("/contracts/{doc}"), &worker).await;
    assert!(page.contains("Zapisz podpis klienta"), "{page}");
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/sign-client"),
        &worker,
        &[("signed_on", &on)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "in_realization");
    assert_eq!(version_statuses(&app, doc).await, ["in_realization"]);
    assert_eq!(
        signatures(&app, doc).await,
        [
            (1, "manager".to_owned(), t),
            (1, "participant".to_owned(), t)
        ]
    );

    // The realization: an action of the plan with its result, a referral, the quarterly note.
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/records"),
        &worker,
        &[
            ("kind", "action"),
            ("happened_on", &on),
            ("description", "Wniosek o zasiłek celowy złożony w GOPS."),
            ("planned_action", "1"),
            ("result", "done"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/records"),
        &worker,
        &[
            ("kind", "referral"),
            ("happened_on", &on),
            ("description", "Skierowanie przed kursem kucharza."),
            ("record_type", "badania z zakresu medycyny pracy"),
            ("addressee", "Przychodnia Medycyny Pracy w Testowie"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let records: Vec<RecordRow> = sqlx::query_as(
        "select kind::text, planned_action, result::text, record_type, addressee
             from contract_record where document_id = $1 order by created_at",
    )
    .bind(doc)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        records,
        [
            (
                "action".to_owned(),
                Some(1),
                Some("done".to_owned()),
                None,
                None
            ),
            (
                "referral".to_owned(),
                None,
                None,
                Some("badania z zakresu medycyny pracy".to_owned()),
                Some("Przychodnia Medycyny Pracy w Testowie".to_owned())
            ),
        ]
    );
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/monitoring"),
        &worker,
        &[
            ("entry_on", &on),
            ("course", "Klient regularnie uczestniczy w zajęciach."),
            ("planned", "Zapisanie na kurs pomocnika kucharza."),
            ("changes", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let note: (i32, String, Date, Option<String>, Option<String>) = sqlx::query_as(
        "select version, phase::text, entry_on, planned, changes
         from document_monitoring where document_id = $1",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        note,
        (
            1,
            "during".to_owned(),
            t,
            Some("Zapisanie na kurs pomocnika kucharza.".to_owned()),
            None
        )
    );
    let (_, page) = body(&app, &format!("/contracts/{doc}"), &manager).await;
    assert!(page.contains("wykonane (działanie 1 planu)"), "{page}");
    assert!(
        page.contains("badania z zakresu medycyny pracy → Przychodnia Medycyny Pracy w Testowie")
    );
    assert!(page.contains("Klient regularnie uczestniczy w zajęciach."));

    // Part II: new goals; submitted; approved by the manager, which closes the contract.
    let (status, form) = body(&app, &format!("/contracts/{doc}/evaluation"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Zwiększenie kompetencji społecznych i zawodowych."));
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation"),
        &worker,
        &[
            ("outcome", "new_goals"),
            ("evaluated_on", &on),
            ("gained", "Ukończył kurs, spłaca zadłużenie."),
            (
                "towards_goal",
                "Tak, ale potrzebne są nowe cele: zatrudnienie.",
            ),
            ("revision", "0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/submit"),
        &worker,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = body(&app, "/", &manager).await;
    assert!(
        home.contains("Oceny kontraktów do zatwierdzenia (1)"),
        "{home}"
    );
    // Returned first (a blank comment is refused), corrected, submitted again.
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/return"),
        &manager,
        &[("evaluation_comment", " ")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Napisz, co w ocenie trzeba poprawić"),
        "{page}"
    );
    let remark = "Opisz, jak zmieniła się sytuacja mieszkaniowa.";
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/return"),
        &manager,
        &[("evaluation_comment", remark)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = body(&app, "/", &worker).await;
    assert!(
        home.contains("Oceny kontraktów zwrócone do poprawy (1)"),
        "{home}"
    );
    let (status, form) = body(&app, &format!("/contracts/{doc}/evaluation"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(remark), "{form}");
    assert!(
        form.contains("Ukończył kurs, spłaca zadłużenie."),
        "the text saved"
    );
    // Corrected at the revision the form carries; the same form saved again is stale (another
    // tab): 409, nothing saved.
    let corrected = [
        ("outcome", "new_goals"),
        ("evaluated_on", on.as_str()),
        (
            "gained",
            "Ukończył kurs, spłaca zadłużenie, ma mieszkanie socjalne.",
        ),
        (
            "towards_goal",
            "Tak, ale potrzebne są nowe cele: zatrudnienie.",
        ),
        ("revision", "1"),
    ];
    for want in [StatusCode::SEE_OTHER, StatusCode::CONFLICT] {
        let (status, _) = post_text(
            &app,
            &format!("/contracts/{doc}/evaluation"),
            &worker,
            &corrected,
        )
        .await;
        assert_eq!(status, want);
    }
    let (revision, gained): (i32, String) =
        sqlx::query_as("select revision, gained from contract_evaluation where document_id = $1")
            .bind(doc)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (revision, gained.as_str()),
        (
            2,
            "Ukończył kurs, spłaca zadłużenie, ma mieszkanie socjalne."
        )
    );
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/submit"),
        &worker,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/approve"),
        &manager,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = body(&app, "/", &manager).await;
    assert!(
        !home.contains("Oceny kontraktów do zatwierdzenia"),
        "{home}"
    );
    assert_eq!(doc_status(&app, doc).await, "closed");
    assert_eq!(version_statuses(&app, doc).await, ["closed"]);
    let (status, outcome, approver): (String, String, Uuid) = sqlx::query_as(
        "select status::text, outcome::text, approved_by from contract_evaluation
         where document_id = $1",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), outcome.as_str(), approver),
        ("approved", "new_goals", app.user_id("kierownik").await)
    );
    let frozen =
        sqlx::query("update contract_evaluation set gained = 'inaczej' where document_id = $1")
            .bind(doc)
            .execute(&app.db)
            .await;
    assert!(
        frozen.unwrap_err().to_string().contains("frozen"),
        "the database refuses to change an approved evaluation"
    );
    // Nothing more is recorded in a closed contract.
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/records"),
        &worker,
        &[
            ("kind", "group_meeting"),
            ("happened_on", &on),
            ("description", "Spotkanie grupy."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        count(
            &app,
            "select count(*) from contract_record where document_id = $1",
            doc
        )
        .await,
        2
    );

    // The renewal: a new draft following the old one, with its text; the specific goals, the
    // actions' deadlines and the period to be given anew. Only one: the second is refused.
    let (_, page) = body(&app, &format!("/contracts/{doc}"), &worker).await;
    assert!(page.contains("Rozpocznij nowy kontrakt"), "{page}");
    let (status, to) = post_text(&app, &format!("/contracts/{doc}/renew"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let renewal: Uuid = to
        .trim_start_matches("/contracts/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    assert_ne!(renewal, doc);
    let (status, follows): (String, Option<Uuid>) =
        sqlx::query_as("select status::text, follows from document where document_id = $1")
            .bind(renewal)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), follows), ("draft", Some(doc)));
    assert_eq!(section(&app, renewal, 1, "goal.1").await, None);
    assert_eq!(section(&app, renewal, 1, "goal.2").await, None);
    assert_eq!(
        section(&app, renewal, 1, "action.1.text").await.as_deref(),
        Some(ACTION_1)
    );
    assert_eq!(
        section(&app, renewal, 1, "action.1.due").await.as_deref(),
        Some("")
    );
    assert_eq!(
        section(&app, renewal, 1, "situation").await.as_deref(),
        Some("Bezrobotny od 3 lat, bez stałego dochodu, mieszka sam.")
    );
    assert_eq!(
        section(&app, renewal, 1, "period.from").await.as_deref(),
        Some("")
    );
    let (status, _) = post_text(&app, &format!("/contracts/{doc}/renew"), &worker, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(contracts_of(&app, id).await, 2);

    // The participant's list shows both, the link each way.
    let (status, list) = body(&app, &format!("/participants/{id}/contracts"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains(&format!(
            "<a href=\"/contracts/{doc}\">Kontrakt 1</a> (wersja 1)"
        )),
        "{list}"
    );
    assert!(list.contains(&format!(
        "<a href=\"/contracts/{renewal}\">Kontrakt 2</a> (wersja 1)"
    )));
    assert!(list.contains("kontynuacja kontraktu 1 (nowe cele)"));
    assert!(list.contains("kontynuowany w kontrakcie 2"));
    assert!(list.contains("nowe cele – nowy kontrakt"));
    assert!(list.contains(&format!(
        "{} – {}",
        polish(t),
        polish(t + Duration::days(180))
    )));
    let (_, page) = body(&app, &format!("/contracts/{renewal}"), &worker).await;
    assert!(page.contains(&format!(
        "kontynuacją <a href=\"/contracts/{doc}\">poprzedniego kontraktu</a>"
    )));

    // The history of the first contract: every step, in order, by whom.
    let history: Vec<(String, String, String, String)> = sqlx::query_as(
        "select e.step, e.from_status::text, e.to_status::text, u.login
         from document_event e join staff_user u on u.staff_user_id = e.decided_by
         where e.document_id = $1 order by e.occurred_at",
    )
    .bind(doc)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let steps: Vec<(&str, &str, &str, &str)> = history
        .iter()
        .map(|(s, f, t, u)| (s.as_str(), f.as_str(), t.as_str(), u.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("create", "draft", "draft", "socjalny1"),
            ("submit", "draft", "submitted", "socjalny1"),
            ("return", "submitted", "draft", "kierownik"),
            ("submit", "draft", "submitted", "socjalny1"),
            ("approve", "submitted", "approved", "kierownik"),
            ("sign_centre", "approved", "approved", "kierownik"),
            ("sign", "approved", "signed", "socjalny1"),
            ("start_realization", "signed", "in_realization", "socjalny1"),
            (
                "evaluation_submit",
                "in_realization",
                "in_realization",
                "socjalny1"
            ),
            (
                "evaluation_return",
                "in_realization",
                "in_realization",
                "kierownik"
            ),
            (
                "evaluation_submit",
                "in_realization",
                "in_realization",
                "socjalny1"
            ),
            (
                "evaluation_approve",
                "in_realization",
                "in_realization",
                "kierownik"
            ),
            ("close", "in_realization", "closed", "kierownik"),
        ]
    );
    let renewal_created: Option<String> = sqlx::query_scalar(
        "select comment from document_event where document_id = $1 and step = 'create'",
    )
    .bind(renewal)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(renewal_created.unwrap().contains("nowe cele"));

    // Every step wrote its audit row on the document.
    for (action, n) in [
        ("document.create", 1),
        ("document.submit", 2),
        // The contract's return and Part II's.
        ("document.return", 2),
        // The contract's acceptance and Part II's approval.
        ("document.approve", 2),
        ("document.sign_for_centre", 1),
        ("document.sign", 1),
        ("document.start_realization", 1),
        ("document.record", 2),
        ("document.monitoring", 1),
        ("document.close", 1),
    ] {
        assert_eq!(audits(&app, action, "success", doc).await, n, "{action}");
    }
    // The forms' readings are audited with the form's action: Part I's form read twice and
    // saved once; Part II's read, saved and submitted, twice.
    assert_eq!(
        audit_details(&app, "document.edit", doc).await,
        ["edit", "version:1", "edit"]
    );
    assert_eq!(
        audit_details(&app, "document.evaluate", doc).await,
        [
            "evaluation",
            "outcome:new_goals",
            "evaluation:submit:new_goals",
            "evaluation",
            "outcome:new_goals",
            "evaluation:submit:new_goals"
        ]
    );
    assert_eq!(
        audit_details(&app, "document.approve", doc).await,
        ["submitted->approved", "evaluation:approve:new_goals"]
    );
    let follows_detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'document.create' and object_id = $1",
    )
    .bind(renewal)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(follows_detail, format!("follows:{doc}"));
}

#[tokio::test]
async fn wrong_input_is_refused_with_a_polish_message_and_nothing_changes() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(&app).await;
    let (id, doc) = contract_at(&app, "Błędowska", None, Stage::Drafted).await;
    let edit = format!("/contracts/{doc}/edit");

    // A draft without goals saves, but is not submitted: the missing part is listed, linked.
    let no_goals = with(part_one(t, 2), &[("goal_1", Some("")), ("goal_2", None)]);
    let (status, _) = post_text(&app, &edit, &worker, &refs(&no_goals)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(section(&app, doc, 1, "goal.1").await, None);
    let (status, page) = post_text(&app, &format!("/contracts/{doc}/submit"), &worker, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Kontraktu nie można jeszcze przekazać do zatwierdzenia."),
        "{page}"
    );
    assert!(page.contains(&format!(
        "<a href=\"/contracts/{doc}/edit#goal_1\">Wpisz co najmniej jeden cel szczegółowy.</a>"
    )));
    assert!(
        !page.contains("Uzupełnij: sytuacja"),
        "only what is missing"
    );
    assert_eq!(doc_status(&app, doc).await, "draft");
    assert_eq!(revision(&app, doc).await, 3);

    // An action due before the period starts; a period that ends before it starts.
    let early = with(
        part_one(t, 3),
        &[("action_1_due", Some(&iso(t - Duration::days(1))))],
    );
    let (status, page) = post_text(&app, &edit, &worker, &refs(&early)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(&format!(
            "Działanie 1: termin ({}) jest przed początkiem kontraktu ({}).",
            polish(t - Duration::days(1)),
            polish(t)
        )),
        "{page}"
    );
    let reversed = with(
        part_one(t, 3),
        &[("period_until", Some(&iso(t - Duration::days(1))))],
    );
    let (status, page) = post_text(&app, &edit, &worker, &refs(&reversed)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Koniec okresu kontraktu nie może być wcześniej niż jego początek."),
        "{page}"
    );
    assert_eq!(revision(&app, doc).await, 3, "nothing saved");
    assert_eq!(section(&app, doc, 1, "goal.1").await, None);

    // A forged status field is not a field of this form: 400, nothing saved.
    let forged = with(part_one(t, 3), &[("status", Some("in_realization"))]);
    let (status, page) = post_text(&app, &edit, &worker, &refs(&forged)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("Formularz kontraktu nie ma pola „status”"),
        "{page}"
    );
    assert_eq!(doc_status(&app, doc).await, "draft");
    assert_eq!(revision(&app, doc).await, 3);

    // A second contract while this one is open: 409, back to the open one, none created.
    let (status, page) =
        post_text(&app, &format!("/participants/{id}/contracts"), &worker, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Ta osoba ma już kontrakt „Projekt”"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/contracts/{doc}\"")));
    assert_eq!(contracts_of(&app, id).await, 1);

    // Complete now; submitted and accepted. The client may not sign before the manager.
    let (status, _) = post_text(&app, &edit, &worker, &refs(&part_one(t, 3))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    post_text(&app, &format!("/contracts/{doc}/submit"), &worker, &[]).await;
    post_text(&app, &format!("/contracts/{doc}/approve"), &manager, &[]).await;
    assert_eq!(doc_status(&app, doc).await, "approved");
    let on = iso(t);
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/sign-client"),
        &worker,
        &[("signed_on", &on)],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Klient podpisuje kontrakt po kierowniku CIS"),
        "{page}"
    );
    assert!(signatures(&app, doc).await.is_empty());
    // The manager may not sign before the acceptance (today), nor in the future.
    for (date, message) in [
        (
            t - Duration::days(1),
            format!(
                "Data nie może być wcześniejsza niż data zatwierdzenia kontraktu ({}).",
                polish(t)
            ),
        ),
        (
            t + Duration::days(1),
            "Data nie może być z przyszłości.".to_owned(),
        ),
    ] {
        let (status, page) = post_text(
            &app,
            &format!("/contracts/{doc}/sign-centre"),
            &manager,
            &[("signed_on", &iso(date))],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains(&message), "{message}: {page}");
    }
    assert!(signatures(&app, doc).await.is_empty());
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/sign-centre"),
        &manager,
        &[("signed_on", &on)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The client's date may not precede the manager's.
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/sign-client"),
        &worker,
        &[("signed_on", &iso(t - Duration::days(1)))],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(&format!(
            "Data nie może być wcześniejsza niż data podpisu kierownika CIS ({}).",
            polish(t)
        )),
        "{page}"
    );
    assert_eq!(signatures(&app, doc).await, [(1, "manager".to_owned(), t)]);
    assert_eq!(doc_status(&app, doc).await, "approved");
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/sign-client"),
        &worker,
        &[("signed_on", &on)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(doc_status(&app, doc).await, "in_realization");

    // A second contract while this one runs: 409.
    let (status, page) =
        post_text(&app, &format!("/participants/{id}/contracts"), &worker, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Ta osoba ma już kontrakt „W realizacji”"),
        "{page}"
    );
    assert_eq!(contracts_of(&app, id).await, 1);

    // Part II with an outcome not on the list: 422, nothing stored.
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation"),
        &worker,
        &[
            ("outcome", "excellent"),
            ("evaluated_on", &on),
            ("gained", "Dużo."),
            ("towards_goal", "Tak."),
            ("revision", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Wybierz ocenę realizacji kontraktu z listy."),
        "{page}"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from contract_evaluation where document_id = $1",
            doc
        )
        .await,
        0
    );
    // An action record without its result, a referral without its addressee: 422, nothing.
    for (fields, message) in [
        (
            vec![
                ("kind", "action"),
                ("happened_on", on.as_str()),
                ("description", "Wniosek."),
            ],
            "Wybierz, czy działanie wykonano.",
        ),
        (
            vec![
                ("kind", "referral"),
                ("happened_on", on.as_str()),
                ("description", "Skierowanie."),
                ("record_type", "badania"),
            ],
            "Podaj, dokąd (do kogo) wydano skierowanie.",
        ),
        (
            vec![
                ("kind", "action"),
                ("happened_on", on.as_str()),
                ("description", "Wniosek."),
                ("result", "done"),
                // The plan has two actions.
                ("planned_action", "3"),
            ],
            "Wybierz działanie z listy planu.",
        ),
    ] {
        let (status, page) =
            post_text(&app, &format!("/contracts/{doc}/records"), &worker, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains(message), "{message}: {page}");
    }
    assert_eq!(
        count(
            &app,
            "select count(*) from contract_record where document_id = $1",
            doc
        )
        .await,
        0
    );

    // An amendment that changes the specific goals: 422, the amendment's text unchanged.
    let (status, to) = post_text(
        &app,
        &format!("/contracts/{doc}/amend"),
        &worker,
        &[(
            "reason",
            "Wniosek klienta: przesunięcie terminu działania 2.",
        )],
    )
    .await;
    assert_eq!((status, to), (StatusCode::SEE_OTHER, edit.clone()));
    let changed = with(
        part_one(t, 1),
        &[
            ("version", Some("2")),
            ("goal_2", Some("Podjęcie zatrudnienia.")),
        ],
    );
    let (status, page) = post_text(&app, &edit, &worker, &refs(&changed)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Aneks nie zmienia celów szczegółowych."),
        "{page}"
    );
    assert_eq!(
        section(&app, doc, 2, "goal.2").await.as_deref(),
        Some(GOAL_2)
    );
    assert_eq!(revision(&app, doc).await, 1);
    // Dropping a goal is changing them too.
    let dropped = with(part_one(t, 1), &[("version", Some("2")), ("goal_2", None)]);
    let (status, _) = post_text(&app, &edit, &worker, &refs(&dropped)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(revision(&app, doc).await, 1);
}

#[tokio::test]
async fn only_the_caseworker_writes_only_the_manager_accepts_and_a_repeated_step_is_stale() {
    let app = spawn_app().await;
    let workshop = app
        .workshop(CENTRE_A, "Gastronomiczna", Some("instruktor"))
        .await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(&app).await;
    let on = iso(t);
    let (id, doc) = contract_at(&app, "Rozdzielny", Some(workshop), Stage::Submitted).await;

    // The social worker does not accept (their own or anyone's contract): 403, audited.
    let (status, _) = post_text(&app, &format!("/contracts/{doc}/approve"), &worker, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(audits(&app, "document.approve", "denied", doc).await, 1);
    assert_eq!(doc_status(&app, doc).await, "submitted");

    // The manager accepts once; the same acceptance again is stale: 409, leading back.
    let (status, _) = post_text(&app, &format!("/contracts/{doc}/approve"), &manager, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = post_text(&app, &format!("/contracts/{doc}/approve"), &manager, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains(&format!("<a href=\"/contracts/{doc}\">")),
        "{page}"
    );
    // The centre's signature is the manager's: not the social worker's (403); once only.
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/sign-centre"),
        &worker,
        &[("signed_on", &on)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for want in [StatusCode::SEE_OTHER, StatusCode::CONFLICT] {
        let (status, _) = post_text(
            &app,
            &format!("/contracts/{doc}/sign-centre"),
            &manager,
            &[("signed_on", &on)],
        )
        .await;
        assert_eq!(status, want);
    }
    // The client's signature posted twice at once (the manager and the social worker): one
    // takes effect.
    let path = format!("/contracts/{doc}/sign-client");
    let fields = [("signed_on", on.as_str())];
    let (a, b) = tokio::join!(
        app.post(&path, Some(&manager), &fields),
        app.post(&path, Some(&worker), &fields)
    );
    let mut codes = [a.status(), b.status()];
    codes.sort();
    assert_eq!(codes, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    assert_eq!(signatures(&app, doc).await.len(), 2);
    assert_eq!(doc_status(&app, doc).await, "in_realization");
    let (status, _) = post_text(&app, &path, &worker, &fields).await;
    assert_eq!(status, StatusCode::CONFLICT, "signed already");

    // The psychologist and the career advisor read (the page, the list, the print), write
    // nothing; the manager writes no realization and no Part II.
    let note = [
        ("entry_on", on.as_str()),
        ("course", "Przebieg bez zakłóceń."),
    ];
    let record = [
        ("kind", "group_meeting"),
        ("happened_on", on.as_str()),
        ("description", "Spotkanie grupy samopomocowej."),
    ];
    let evaluation = [
        ("outcome", "positive"),
        ("evaluated_on", on.as_str()),
        ("gained", "Podjął pracę."),
        ("towards_goal", "Tak."),
        ("revision", "0"),
    ];
    let amend = [("reason", "Zmiana terminu.")];
    for login in ["psycholog", "doradca", "kierownik"] {
        let session = app.login(login).await;
        if login != "kierownik" {
            for read in [
                format!("/contracts/{doc}"),
                format!("/contracts/{doc}/versions/1/print"),
                format!("/participants/{id}/contracts"),
            ] {
                let (status, _) = body(&app, &read, &session).await;
                assert_eq!(status, StatusCode::OK, "{login} {read}");
            }
            let (status, _) = post_text(&app, &path, &session, &fields).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{login} signs nothing");
        }
        for (write, form) in [
            ("records", &record[..]),
            ("monitoring", &note[..]),
            ("evaluation", &evaluation[..]),
            ("amend", &amend[..]),
        ] {
            let (status, _) =
                post_text(&app, &format!("/contracts/{doc}/{write}"), &session, form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{login} {write}");
        }
        let (status, _) = body(&app, &format!("/contracts/{doc}/realization"), &session).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login} realization form");
    }
    for (table, n) in [
        ("contract_record", 0),
        ("document_monitoring", 0),
        ("contract_evaluation", 0),
    ] {
        let sql = format!("select count(*) from {table} where document_id = $1");
        assert_eq!(count(&app, &sql, doc).await, n, "{table}");
    }
    assert_eq!(version_statuses(&app, doc).await, ["in_realization"]);

    // The instructor sees the person (their workshop) but no contract: the list does not
    // exist for them; the contract and its print are refused; nothing of it shows.
    let instructor = app.login("instruktor").await;
    let (status, page) = body(&app, &format!("/participants/{id}/contracts"), &instructor).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains(GOAL_1));
    for read in [
        format!("/contracts/{doc}"),
        format!("/contracts/{doc}/versions/1/print"),
    ] {
        let (status, page) = body(&app, &read, &instructor).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{read}");
        assert!(!page.contains(GOAL_1));
    }
    // Another social worker, another centre: no such contract.
    for login in ["socjalny2", "kierownik2"] {
        let session = app.login(login).await;
        let (status, _) = body(&app, &format!("/contracts/{doc}"), &session).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{login}");
    }

    // Part II: its author never approves it. The database refuses it whoever asks…
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation"),
        &worker,
        &evaluation,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/submit"),
        &worker,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let own = sqlx::query(
        "update contract_evaluation set status = 'approved', approved_by = author_id,
         approved_at = now() where document_id = $1",
    )
    .bind(doc)
    .execute(&app.db)
    .await;
    assert!(
        own.unwrap_err()
            .to_string()
            .contains("contract_evaluation_duties")
    );
    // …the social worker may not approve at all (403)…
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/approve"),
        &worker,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // …and a manager who wrote Part II (arranged) is refused by the status machine.
    sqlx::query("update contract_evaluation set author_id = $2 where document_id = $1")
        .bind(doc)
        .bind(app.user_id("kierownik").await)
        .execute(&app.db)
        .await
        .unwrap();
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/approve"),
        &manager,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("rozdział obowiązków"), "{page}");
    let evaluation_status: String =
        sqlx::query_scalar("select status::text from contract_evaluation where document_id = $1")
            .bind(doc)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(evaluation_status, "submitted");
    assert_eq!(doc_status(&app, doc).await, "in_realization");
}

#[tokio::test]
async fn do_zrobienia_lists_the_contracts_waiting_for_the_manager_and_for_the_social_worker() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(&app).await;
    let (_, submitted) = contract_at(&app, "Akceptowana", None, Stage::Submitted).await;
    let (_, accepted) = contract_at(&app, "Podpisywana", None, Stage::Accepted).await;
    let (_, centre_signed) = contract_at(&app, "Klientowa", None, Stage::CentreSigned).await;
    let (_, running) = contract_at(&app, "Monitorowany", None, Stage::Running).await;

    let (_, home) = body(&app, "/", &manager).await;
    assert!(home.contains("Kontrakty do zatwierdzenia (1)"), "{home}");
    assert!(home.contains(&format!("/contracts/{submitted}")));
    assert!(home.contains("Kontrakty do podpisania przez kierownika (1)"));
    assert!(home.contains(&format!("/contracts/{accepted}")));
    assert!(
        !home.contains("podpis klienta do zapisania"),
        "the social worker's"
    );
    let (_, home) = body(&app, "/", &worker).await;
    assert!(
        home.contains("Kontrakty – podpis klienta do zapisania (1)"),
        "{home}"
    );
    assert!(home.contains(&format!("/contracts/{centre_signed}")));
    assert!(
        !home.contains("Kontrakty do zatwierdzenia"),
        "the manager's"
    );
    // Signed today: the first quarterly note is not due for three months.
    assert!(!home.contains("Kwartalny monitoring kontraktu"), "{home}");

    // Signed five months ago (the first day of that month), the last note four months ago:
    // the next note was due on the first day of last month.
    let signed = first_of_month_before(t, 5);
    sqlx::query("update document_signature set signed_on = $2 where document_id = $1")
        .bind(running)
        .bind(signed)
        .execute(&app.db)
        .await
        .unwrap();
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{running}/monitoring"),
        &worker,
        &[
            ("entry_on", &iso(first_of_month_before(t, 4))),
            ("course", "Klient uczestniczy w zajęciach."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let due = first_of_month_before(t, 1);
    let (_, home) = body(&app, "/", &worker).await;
    assert!(
        home.contains("Kwartalny monitoring kontraktu do wpisania (1)"),
        "{home}"
    );
    assert!(home.contains(&format!("/contracts/{running}/realization#note")));
    assert!(home.contains(&format!("termin {}", polish(due))), "{home}");
    assert!(
        home.contains(&format!("Po terminie od {} dni.", (t - due).whole_days())),
        "{home}"
    );
    let (status, _) = body(&app, &format!("/contracts/{running}/realization"), &worker).await;
    assert_eq!(status, StatusCode::OK, "the item's link opens the form");
    // A note today: nothing due.
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{running}/monitoring"),
        &worker,
        &[("entry_on", &iso(t)), ("course", "Bez zmian.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = body(&app, "/", &worker).await;
    assert!(!home.contains("Kwartalny monitoring kontraktu"), "{home}");
}

#[tokio::test]
async fn an_amendment_keeps_the_goals_the_signed_version_stays_in_force_until_it_is_signed() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(&app).await;
    let on = iso(t);
    let (_, doc) = contract_at(&app, "Aneksowa", None, Stage::Running).await;
    let (status, to) = post_text(
        &app,
        &format!("/contracts/{doc}/amend"),
        &worker,
        &[(
            "reason",
            "Wniosek klienta: przesunięcie terminu działania 2.",
        )],
    )
    .await;
    assert_eq!(
        (status, to),
        (StatusCode::SEE_OTHER, format!("/contracts/{doc}/edit"))
    );
    assert_eq!(
        version_statuses(&app, doc).await,
        ["in_realization", "draft"]
    );
    // The goals may be spaced differently; the deadline moves by 30 days.
    let moved = with(
        part_one(t, 1),
        &[
            ("version", Some("2")),
            ("goal_1", Some("  Ukończenie  kursu pomocnika kucharza. ")),
            ("action_2_due", Some(&iso(t + Duration::days(90)))),
        ],
    );
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/edit"),
        &worker,
        &refs(&moved),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        section(&app, doc, 2, "action.2.due").await,
        Some(iso(t + Duration::days(90)))
    );
    assert_eq!(
        section(&app, doc, 1, "action.2.due").await,
        Some(iso(t + Duration::days(60))),
        "the signed version is untouched"
    );

    // While the amendment is drafted, version 1 binds: the realization goes on.
    let (_, page) = body(&app, &format!("/contracts/{doc}"), &worker).await;
    assert!(
        page.contains("obowiązuje wersja 1 (do podpisania aneksu)"),
        "{page}"
    );
    assert!(page.contains("Zapisz działanie lub monitoring"), "{page}");
    // The lists say it runs, with its amendment under way.
    let participant: Uuid =
        sqlx::query_scalar("select participant_id from document where document_id = $1")
            .bind(doc)
            .fetch_one(&app.db)
            .await
            .unwrap();
    for list in [
        format!("/participants/{participant}/contracts"),
        format!("/participants/{participant}"),
    ] {
        let (_, page) = body(&app, &list, &worker).await;
        assert!(
            page.contains("W realizacji (aneks: projekt)"),
            "{list}: {page}"
        );
    }
    let (status, page) = body(&app, &format!("/contracts/{doc}/realization"), &worker).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/monitoring"),
        &worker,
        &[
            ("entry_on", &on),
            ("course", "Klient prosi o zmianę terminu."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");

    // Accepted and signed again; then version 2 is in force and version 1 replaced.
    for (session, step, fields) in [
        (&worker, "submit", vec![]),
        (&manager, "approve", vec![]),
        (&manager, "sign-centre", vec![("signed_on", on.as_str())]),
        (&worker, "sign-client", vec![("signed_on", on.as_str())]),
    ] {
        let (status, page) =
            post_text(&app, &format!("/contracts/{doc}/{step}"), session, &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{step}: {page}");
    }
    assert_eq!(doc_status(&app, doc).await, "in_realization");
    assert_eq!(
        version_statuses(&app, doc).await,
        ["closed", "in_realization"]
    );
    let (_, page) = body(&app, &format!("/contracts/{doc}"), &worker).await;
    assert!(page.contains("Wersja 2:"), "{page}");
    // Both versions print (each as signed).
    for n in [1, 2] {
        let (status, print) = body(
            &app,
            &format!("/contracts/{doc}/versions/{n}/print"),
            &manager,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "version {n}");
        assert!(print.contains(&format!("Wersja {n}")));
    }
    let (_, print) = body(
        &app,
        &format!("/contracts/{doc}/versions/2/print"),
        &manager,
    )
    .await;
    assert!(print.contains("aneks: Wniosek klienta"), "{print}");
    assert!(print.contains(&polish(t + Duration::days(90))));
}

#[tokio::test]
async fn an_accepted_version_prints_and_is_audited_a_draft_has_no_print() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let t = today(&app).await;
    let (_, doc) = contract_at(&app, "Drukowana", None, Stage::Submitted).await;

    // Not the contract yet (a draft, a submitted version): no print, nothing audited.
    let (status, _) = body(
        &app,
        &format!("/contracts/{doc}/versions/1/print"),
        &manager,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    post_text(
        &app,
        &format!("/contracts/{doc}/return"),
        &manager,
        &[("comment", "Popraw termin.")],
    )
    .await;
    assert_eq!(doc_status(&app, doc).await, "draft");
    let (status, _) = body(&app, &format!("/contracts/{doc}/versions/1/print"), &worker).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(audits(&app, "document.print", "success", doc).await, 0);

    // Accepted: Part I prints, with empty signature lines; the print is audited.
    post_text(&app, &format!("/contracts/{doc}/submit"), &worker, &[]).await;
    post_text(&app, &format!("/contracts/{doc}/approve"), &manager, &[]).await;
    let (status, print) = body(
        &app,
        &format!("/contracts/{doc}/versions/1/print"),
        &manager,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("Kontrakt socjalny – część I"), "{print}");
    assert!(print.contains("Wersja 1 (stan: zatwierdzony)"), "{print}");
    assert!(print.contains(GOAL_1) && print.contains(ACTION_2));
    assert!(print.contains("pieczątka i podpis kierownika CIS (za dyrektora)"));
    assert_eq!(audits(&app, "document.print", "success", doc).await, 1);
    let detail: String = sqlx::query_scalar(
        "select detail from audit_event where action = 'document.print' and object_id = $1",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, "print:version:1");
    // A version that does not exist: 404, nothing audited.
    let (status, _) = body(
        &app,
        &format!("/contracts/{doc}/versions/2/print"),
        &manager,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(audits(&app, "document.print", "success", doc).await, 1);

    // Signed: the print carries both dates.
    let on = iso(t);
    post_text(
        &app,
        &format!("/contracts/{doc}/sign-centre"),
        &manager,
        &[("signed_on", &on)],
    )
    .await;
    post_text(
        &app,
        &format!("/contracts/{doc}/sign-client"),
        &worker,
        &[("signed_on", &on)],
    )
    .await;
    let (status, print) = body(&app, &format!("/contracts/{doc}/versions/1/print"), &worker).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        print.matches(&format!("Data: {}", polish(t))).count(),
        2,
        "{print}"
    );
    assert_eq!(audits(&app, "document.print", "success", doc).await, 2);

    // Part II prints once written.
    let (status, _) = body(&app, &format!("/contracts/{doc}/evaluation/print"), &worker).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    post_text(
        &app,
        &format!("/contracts/{doc}/evaluation"),
        &worker,
        &[
            ("outcome", "positive"),
            ("evaluated_on", &on),
            ("gained", "Podjął zatrudnienie w gastronomii."),
            ("towards_goal", "Tak."),
            ("revision", "0"),
        ],
    )
    .await;
    let (status, print) = body(
        &app,
        &format!("/contracts/{doc}/evaluation/print"),
        &manager,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("zakończony pozytywnie"), "{print}");
    assert!(print.contains("Podjął zatrudnienie w gastronomii."));
    assert_eq!(audits(&app, "document.print", "success", doc).await, 3);
}

/// Part II of running contract `doc` written with `outcome`, submitted and approved (which
/// closes the contract).
async fn evaluated(app: &TestApp, doc: Uuid, outcome: &str) {
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let on = iso(today(app).await);
    let fields = [
        ("outcome", outcome),
        ("evaluated_on", on.as_str()),
        ("gained", "Ukończył kurs."),
        ("towards_goal", "Tak."),
        ("revision", "0"),
    ];
    for (session, path, fields) in [
        (&worker, "evaluation", &fields[..]),
        (&worker, "evaluation/submit", &[][..]),
        (&manager, "evaluation/approve", &[][..]),
    ] {
        let (status, page) =
            post_text(app, &format!("/contracts/{doc}/{path}"), session, fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}: {page}");
    }
    assert_eq!(doc_status(app, doc).await, "closed");
}

#[tokio::test]
async fn a_contract_is_renewed_once_and_only_after_new_goals() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;

    // Broken: no renewal (a new contract starts from the file, empty).
    let (id, broken) = contract_at(&app, "Zerwany", None, Stage::Running).await;
    evaluated(&app, broken, "broken").await;
    let (status, page) = post_text(&app, &format!("/contracts/{broken}/renew"), &worker, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("po zatwierdzonej ocenie „nowe cele”"),
        "{page}"
    );
    assert_eq!(contracts_of(&app, id).await, 1);

    // New goals: one renewal. Once that one has ended too, the old contract is not renewed a
    // second time (its continuation exists).
    let (id, old) = contract_at(&app, "Odnowiony", None, Stage::Running).await;
    evaluated(&app, old, "new_goals").await;
    // The social worker's Start asks for the new contract, and stops once it is begun.
    let (_, home) = body(&app, "/", &worker).await;
    assert!(
        home.contains("Nowy kontrakt do rozpoczęcia (nowe cele) (1)"),
        "{home}"
    );
    let (status, to) = post_text(&app, &format!("/contracts/{old}/renew"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let renewal: Uuid = to
        .trim_start_matches("/contracts/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    let (_, home) = body(&app, "/", &worker).await;
    assert!(!home.contains("Nowy kontrakt do rozpoczęcia"), "{home}");
    sqlx::query("update document set status = 'closed' where document_id = $1")
        .bind(renewal)
        .execute(&app.db)
        .await
        .unwrap();
    let (_, page) = body(&app, &format!("/contracts/{old}"), &worker).await;
    assert!(!page.contains("Rozpocznij nowy kontrakt"), "{page}");
    let (status, page) = post_text(&app, &format!("/contracts/{old}/renew"), &worker, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("ma już kontynuację"), "{page}");
    assert!(page.contains(&format!("href=\"/contracts/{renewal}\"")));
    assert_eq!(contracts_of(&app, id).await, 2);
}

#[tokio::test]
async fn at_most_one_contract_of_a_participant_runs_also_in_the_database() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let t = today(&app).await;
    let (id, running) = contract_at(&app, "Jedynak", None, Stage::Running).await;
    // A second contract, accepted and signed by the manager, arranged past the rule of one
    // open contract (as an old import might leave it).
    let second: Uuid = sqlx::query_scalar(
        "with d as (insert into document (centre_id, participant_id, kind, status, author_id)
                    select p.centre_id, p.participant_id, 'social_contract', 'approved', u.staff_user_id
                    from participant p, staff_user u where p.participant_id = $1 and u.login = 'socjalny1'
                    returning document_id, centre_id, author_id),
              v as (insert into document_version (document_id, number, status, sections, created_by)
                    select document_id, 1, 'approved', '[[\"goal.1\", \"Praca\"]]', author_id from d
                    returning document_id)
         insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
         select v.document_id, 1, 'manager', d.centre_id, current_date, u.staff_user_id
         from v, d, staff_user u where u.login = 'kierownik'
         returning document_id",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{second}/sign-client"),
        &worker,
        &[("signed_on", &iso(t))],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Ta osoba ma już inny kontrakt w realizacji."),
        "{page}"
    );
    assert_eq!(doc_status(&app, second).await, "approved");
    assert_eq!(signatures(&app, second).await.len(), 1);
    // The database keeps the rule too.
    let twice = sqlx::query("update document set status = 'in_realization' where document_id = $1")
        .bind(second)
        .execute(&app.db)
        .await;
    assert!(
        twice
            .unwrap_err()
            .to_string()
            .contains("document_one_running_contract")
    );
    assert_eq!(doc_status(&app, running).await, "in_realization");
}

#[tokio::test]
async fn the_manager_closes_a_contract_the_client_never_signed_after_a_confirmation() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let (id, doc) = contract_at(&app, "Niepodpisana", None, Stage::CentreSigned).await;
    let close = format!("/contracts/{doc}/close");

    // Without a reason: the page again with the message, nothing closed.
    let (status, page) = post_text(&app, &close, &manager, &[("close_reason", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Podaj przyczynę zamknięcia kontraktu"),
        "{page}"
    );
    // The social worker may not close it.
    let reason = [("close_reason", "Klient odmówił podpisania kontraktu.")];
    let (status, _) = post_text(&app, &close, &worker, &reason).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The first post shows what will happen and changes nothing.
    let (status, page) = post_text(&app, &close, &manager, &reason).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Zamknąć kontrakt socjalny bez realizacji: Niepodpisana"),
        "{page}"
    );
    assert!(page.contains("Klient odmówił podpisania kontraktu."));
    assert_eq!(doc_status(&app, doc).await, "approved");
    // Confirmed: closed with the reason in the history; the person may get a new contract.
    let confirmed = [
        ("close_reason", "Klient odmówił podpisania kontraktu."),
        ("confirm", "tak"),
    ];
    let (status, to) = post_text(&app, &close, &manager, &confirmed).await;
    assert_eq!(
        (status, to),
        (StatusCode::SEE_OTHER, format!("/contracts/{doc}"))
    );
    assert_eq!(doc_status(&app, doc).await, "closed");
    let reason: String = sqlx::query_scalar(
        "select comment from document_event where document_id = $1 and step = 'close'",
    )
    .bind(doc)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(reason, "Klient odmówił podpisania kontraktu.");
    let (status, _) = post_text(&app, &close, &manager, &confirmed).await;
    assert_eq!(status, StatusCode::CONFLICT, "closed once");
    let (status, _) = post_text(&app, &format!("/participants/{id}/contracts"), &worker, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a new contract may start");
    assert_eq!(contracts_of(&app, id).await, 2);

    // A contract the client signed ends with its evaluation, not this way.
    let (_, running) = contract_at(&app, "Podpisana", None, Stage::Running).await;
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{running}/close"),
        &manager,
        &confirmed,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("kończy się oceną"), "{page}");
    assert_eq!(doc_status(&app, running).await, "in_realization");
}

#[tokio::test]
async fn part_two_ends_a_contract_whose_amendment_is_still_on_its_way() {
    let app = spawn_app().await;
    let worker = app.login("socjalny1").await;
    let manager = app.login("kierownik").await;
    let (_, doc) = contract_at(&app, "Przerwana", None, Stage::Running).await;
    let (status, _) = post_text(
        &app,
        &format!("/contracts/{doc}/amend"),
        &worker,
        &[("reason", "Zmiana terminów na wniosek klienta.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The client breaks off while the amendment is drafted: Part II "broken" still ends it, and
    // the manager finds it on Start.
    let on = iso(today(&app).await);
    let fields = [
        ("outcome", "broken"),
        ("evaluated_on", on.as_str()),
        ("gained", "Dwa spotkania grupy."),
        ("towards_goal", "Nie: klient nie chce kontynuować."),
        ("revision", "0"),
    ];
    for (path, fields) in [("evaluation", &fields[..]), ("evaluation/submit", &[][..])] {
        let (status, page) =
            post_text(&app, &format!("/contracts/{doc}/{path}"), &worker, fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}: {page}");
    }
    let (_, home) = body(&app, "/", &manager).await;
    assert!(
        home.contains("Oceny kontraktów do zatwierdzenia (1)"),
        "{home}"
    );
    let (status, page) = post_text(
        &app,
        &format!("/contracts/{doc}/evaluation/approve"),
        &manager,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(doc_status(&app, doc).await, "closed");
    // Both versions end with it: the amendment unsigned, the signed one no longer running.
    assert_eq!(version_statuses(&app, doc).await, ["closed", "closed"]);
    let (status, page) = body(&app, &format!("/contracts/{doc}"), &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Zamknięta bez podpisania"), "{page}");
    assert!(page.contains("zerwany"));
}

#[tokio::test]
async fn the_list_of_contracts_is_an_audited_read_and_an_unknown_version_is_not() {
    let app = spawn_app().await;
    let manager = app.login("kierownik").await;
    let (id, doc) = contract_at(&app, "Listowa", None, Stage::Submitted).await;
    let (status, page) = body(&app, &format!("/participants/{id}/contracts"), &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Przekazany do zatwierdzenia"), "{page}");
    let listed: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'document.view' and object_id = $1
           and detail = 'contracts' and actor_id = (select staff_user_id from staff_user where login = 'kierownik')",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(listed, 1);
    let before = audits(&app, "document.view", "success", doc).await;
    let (status, _) = body(&app, &format!("/contracts/{doc}/versions/7"), &manager).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(audits(&app, "document.view", "success", doc).await, before);
}
