//! How a demo contract becomes rows: its text, its history, its log, its signatures, and
//! who gets which contract.

use sqlx::PgConnection;
use sqlx::types::Json;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::contracts::content::{Contract, Planned};
use crate::contracts::db::{self as contracts, ActionResult, NewRecord, Outcome, RecordKind};
use crate::documents::version::Sections;
use crate::validate::dates;

use super::stories::*;

/// Part I of `story` for a person (`female`): the environmental interview on `interview`, the
/// contract from `from` for `months` months, the actions due within it.
pub(super) fn contract(
    story: &Story,
    female: bool,
    interview: Date,
    from: Date,
    months: i32,
) -> Contract {
    let mut c = Contract::new();
    for (key, text) in [
        ("situation", story.situation),
        ("causes", story.causes),
        ("client_duties", story.client_duties),
        ("worker_duties", story.worker_duties),
    ] {
        c.set_text(key, &gendered(text, female));
    }
    c.set_text("interview_on", &dates::iso(interview));
    c.goals = story.goals.iter().map(|g| gendered(g, female)).collect();
    c.actions = story
        .actions
        .iter()
        .map(|(text, days, party)| Planned {
            text: gendered(text, female),
            due: dates::iso(from + Duration::days(*days)),
            party: (*party).to_owned(),
        })
        .collect();
    c.period_from = dates::iso(from);
    c.period_until = dates::iso(dates::add_months(from, months) - Duration::days(1));
    c
}

/// One step of a demo contract's history: (version, step code, days ago, comment).
type Step = (i32, &'static str, i64, Option<String>);

/// The statuses a step moves the contract between, and whether the manager takes it (else the
/// social worker), as the app records them.
pub(super) fn transition(step: &str) -> (&'static str, &'static str, bool) {
    match step {
        "submit" => ("draft", "submitted", false),
        "return" => ("submitted", "draft", true),
        "approve" => ("submitted", "approved", true),
        "sign_centre" => ("approved", "approved", true),
        "sign" => ("approved", "signed", false),
        "start_realization" => ("signed", "in_realization", false),
        "amend" => ("in_realization", "draft", false),
        "evaluation_submit" => ("in_realization", "in_realization", false),
        "evaluation_approve" => ("in_realization", "in_realization", true),
        "close" => ("in_realization", "closed", true),
        _ => ("draft", "draft", false),
    }
}

/// The steps from the start to the realization: created, submitted, accepted, signed by the
/// manager, then by the client on `signed` days ago.
pub(super) fn to_realization(signed: i64) -> Vec<Step> {
    vec![
        (1, "create", signed + 14, None),
        (1, "submit", signed + 9, None),
        (1, "approve", signed + 6, None),
        (1, "sign_centre", signed + 4, None),
        (1, "sign", signed, None),
        (1, "start_realization", signed, None),
    ]
}

/// One entry of a demo contract's log.
pub(super) struct Entry {
    pub(super) days: i64,
    pub(super) kind: RecordKind,
    pub(super) description: &'static str,
    pub(super) planned: Option<i32>,
    pub(super) result: Option<ActionResult>,
    pub(super) record_type: Option<&'static str>,
    pub(super) addressee: Option<&'static str>,
}

pub(super) fn action(
    days: i64,
    planned: i32,
    result: ActionResult,
    description: &'static str,
) -> Entry {
    Entry {
        days,
        kind: RecordKind::Action,
        description,
        planned: Some(planned),
        result: Some(result),
        record_type: None,
        addressee: None,
    }
}

pub(super) fn referral(
    days: i64,
    kind: &'static str,
    to: &'static str,
    description: &'static str,
) -> Entry {
    Entry {
        days,
        kind: RecordKind::Referral,
        description,
        planned: None,
        result: None,
        record_type: Some(kind),
        addressee: Some(to),
    }
}

pub(super) fn benefit(days: i64, benefit: &'static str, description: &'static str) -> Entry {
    Entry {
        days,
        kind: RecordKind::BenefitApplication,
        description,
        planned: None,
        result: None,
        record_type: Some(benefit),
        addressee: None,
    }
}

pub(super) fn meeting(days: i64, description: &'static str) -> Entry {
    Entry {
        days,
        kind: RecordKind::GroupMeeting,
        description,
        planned: None,
        result: None,
        record_type: None,
        addressee: None,
    }
}

/// A quarterly note: (days ago, the course so far, further actions, changes).
type Note = (i64, &'static str, &'static str, &'static str);

/// A demo contract's parts.
pub(super) struct Demo {
    pub(super) participant: Uuid,
    pub(super) status: &'static str,
    pub(super) follows: Option<Uuid>,
    /// (text, status, amendment's reason)
    pub(super) versions: Vec<(Sections, &'static str, Option<String>)>,
    pub(super) steps: Vec<Step>,
    pub(super) entries: Vec<Entry>,
    pub(super) notes: Vec<Note>,
    /// Part II: (outcome, what the client gained, whether it led towards the main goal); its
    /// dates and status are those of its steps.
    pub(super) evaluation: Option<(Outcome, String, String)>,
}

pub(super) struct People {
    pub(super) centre: Uuid,
    pub(super) worker: Uuid,
    pub(super) manager: Uuid,
}

/// The moment of the `n`-th step taken `days` ago: during office hours, in order.
pub(super) fn moment(today: Date, days: i64, n: usize) -> OffsetDateTime {
    let minutes = i64::try_from(n).unwrap_or(0) * 17;
    dates::polish_midnight(today - Duration::days(days))
        + Duration::hours(9)
        + Duration::minutes(minutes)
}

pub(super) async fn insert(
    conn: &mut PgConnection,
    who: &People,
    today: Date,
    d: Demo,
) -> sqlx::Result<Uuid> {
    let current = i32::try_from(d.versions.len()).unwrap_or(1);
    let at = |i: usize| moment(today, d.steps[i].2, i);
    let last = d.steps.len().saturating_sub(1);
    let id: Uuid = sqlx::query_scalar(
        "insert into document (centre_id, participant_id, kind, status, current_version, author_id,
                               follows, created_at, updated_at)
         values ($1, $2, 'social_contract', $3::document_status, $4, $5, $6, $7, $8)
         returning document_id",
    )
    .bind(who.centre)
    .bind(d.participant)
    .bind(d.status)
    .bind(current)
    .bind(who.worker)
    .bind(d.follows)
    .bind(at(0))
    .bind(at(last))
    .fetch_one(&mut *conn)
    .await?;
    for (n, (sections, status, reason)) in d.versions.iter().enumerate() {
        let number = i32::try_from(n).unwrap_or(0) + 1;
        let created = d
            .steps
            .iter()
            .position(|s| s.0 == number && matches!(s.1, "create" | "amend"))
            .map_or_else(|| at(0), at);
        sqlx::query(
            "insert into document_version (document_id, number, based_on, status, sections, reason, created_by, created_at)
             values ($1, $2, $3, $4::document_status, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(number)
        .bind((number > 1).then_some(number - 1))
        .bind(*status)
        .bind(Json(sections))
        .bind(reason.as_deref())
        .bind(who.worker)
        .bind(created)
        .execute(&mut *conn)
        .await?;
    }
    // Closing starts from wherever the contract stood (a contract never signed closes too).
    let mut stood = "draft";
    for (i, (version, step, days, comment)) in d.steps.iter().enumerate() {
        let (from, to, by_manager) = transition(step);
        let from = if *step == "close" { stood } else { from };
        stood = to;
        let by = if by_manager { who.manager } else { who.worker };
        sqlx::query(
            "insert into document_event (document_id, centre_id, version, step, from_status, to_status, comment, decided_by, occurred_at)
             values ($1, $2, $3, $4, $5::document_status, $6::document_status, $7, $8, $9)",
        )
        .bind(id)
        .bind(who.centre)
        .bind(version)
        .bind(step)
        .bind(from)
        .bind(to)
        .bind(comment.as_deref())
        .bind(by)
        .bind(at(i))
        .execute(&mut *conn)
        .await?;
        // The paper signatures: the manager's for the centre, then the client's, recorded by
        // whoever took the step.
        let party = match *step {
            "sign_centre" => "manager",
            "sign" => "participant",
            _ => continue,
        };
        sqlx::query(
            "insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by, recorded_at)
             values ($1, $2, $3::signature_party, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(version)
        .bind(party)
        .bind(who.centre)
        .bind(today - Duration::days(*days))
        .bind(by)
        .bind(at(i))
        .execute(&mut *conn)
        .await?;
    }
    for e in &d.entries {
        let record = NewRecord {
            kind: e.kind,
            happened_on: today - Duration::days(e.days),
            description: e.description,
            planned_action: e.planned,
            result: e.result,
            record_type: e.record_type,
            addressee: e.addressee,
        };
        contracts::add_record(&mut *conn, who.centre, id, &record, who.worker).await?;
    }
    for (days, course, planned, changes) in &d.notes {
        // Written on the version in force then: the first, until an amendment is signed.
        contracts::add_note(
            &mut *conn,
            who.centre,
            id,
            1,
            today - Duration::days(*days),
            course,
            planned,
            changes,
            who.worker,
        )
        .await?;
    }
    if let Some((outcome, gained, towards)) = &d.evaluation {
        let find = |code: &str| d.steps.iter().position(|s| s.1 == code);
        let (Some(submitted), approved) = (find("evaluation_submit"), find("evaluation_approve"))
        else {
            return Ok(id);
        };
        let written = d.steps[submitted].2;
        let (status, approver, approved_at) = match approved {
            Some(i) => ("approved", Some(who.manager), Some(at(i))),
            None => ("submitted", None, None),
        };
        sqlx::query(
            "insert into contract_evaluation (document_id, centre_id, status, outcome, evaluated_on, gained,
                                              towards_goal, revision, author_id, approved_by, approved_at, updated_at)
             values ($1, $2, $3::document_status, $4, $5, $6, $7, 2, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(who.centre)
        .bind(status)
        .bind(*outcome)
        .bind(today - Duration::days(written))
        .bind(gained)
        .bind(towards)
        .bind(who.worker)
        .bind(approver)
        .bind(approved_at)
        .bind(approved_at.unwrap_or_else(|| at(submitted)))
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The steps of Part II and the close, from `written` days ago.
pub(super) fn evaluated(outcome: Outcome, written: i64) -> Vec<Step> {
    vec![
        (1, "evaluation_submit", written, None),
        (1, "evaluation_approve", written - 2, None),
        (
            1,
            "close",
            written - 2,
            Some(format!("Ocena realizacji kontraktu: {}.", outcome.label())),
        ),
    ]
}

/// One person of the caseload.
#[derive(sqlx::FromRow)]
pub(super) struct Person {
    pub(super) participant_id: Uuid,
    pub(super) status: String,
    pub(super) female: bool,
    pub(super) ended_on: Option<Date>,
    pub(super) termination_reason: Option<String>,
    /// Aged at least [`ADULT`] when the participation ended (or today).
    pub(super) adult: bool,
}

/// The stories tell of years out of work, prison, widowhood: told of people at least this old.
pub(super) const ADULT: i32 = 25;

/// Takes the first person not yet `used` whose status is the first of `statuses` anyone has,
/// an adult (see [`ADULT`]) if there is one.
pub(super) fn take(people: &[Person], used: &mut Vec<Uuid>, statuses: &[&str]) -> Option<usize> {
    let found = [true, false].into_iter().find_map(|adult| {
        statuses.iter().find_map(|status| {
            people.iter().position(|p| {
                p.status == *status && (p.adult || !adult) && !used.contains(&p.participant_id)
            })
        })
    })?;
    used.push(people[found].participant_id);
    Some(found)
}

/// Days between `today` and the end of `person`'s participation (0 while it lasts): the closed
/// contracts of people who left are dated before they left.
pub(super) fn before_end(person: &Person, today: Date) -> i64 {
    person
        .ended_on
        .map_or(0, |end| (today - end).whole_days().max(0))
}
