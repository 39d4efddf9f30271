//! Monitoring and evaluation of a programme in realization (seed 002): dated entries of the
//! participant's situation at the start, during and at the end (the final evaluation), each
//! with an assessment of every goal of the version in force (approaching, not approaching, goal
//! changed) and a comment. The social worker and the colleagues who read the programme add
//! entries for their part; entries are never changed (the database refuses it). One is due at
//! least every few months (the effective-dated `monitoring_rule`, quarterly by default).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use time::Date;
use uuid::Uuid;

use super::content::Programme;
use super::db::{self, Assessment, GoalAssessment, NewEntry, Phase};
use super::view::Person;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, StoredVersion};
use crate::documents::step;
use crate::documents::workflow::DocStatus;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors, choices, not_in_future};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// A goal's row of the form.
#[derive(Debug, Clone)]
struct GoalField {
    n: usize,
    /// The goal's first words (the legend is read before every control of the row).
    short: String,
    assessments: Vec<Choice>,
    comment: String,
}

#[derive(Template)]
#[template(path = "ipzs/monitoring.html")]
struct MonitoringPage {
    layout: Layout,
    id: Uuid,
    person: Person,
    version: i32,
    phases: Vec<Choice>,
    entry_on: String,
    situation: String,
    goals: Vec<GoalField>,
    errors: FieldErrors,
    /// The latest entry, to write the next one from: (kind, date, author, situation).
    last: Option<(&'static str, String, String, String)>,
}

/// The version in force (signed or running), if the programme is running at all.
fn in_force(versions: &[StoredVersion]) -> Option<&StoredVersion> {
    versions
        .iter()
        .rev()
        .find(|v| matches!(v.status, DocStatus::Signed | DocStatus::InRealization))
}

/// The monitoring form as posted, read from its pairs.
#[derive(Debug, Default)]
struct Posted {
    phase: String,
    entry_on: String,
    situation: String,
    /// (assessment code, comment) per goal, by number.
    goals: Vec<(String, String)>,
}

fn parse(pairs: Vec<(String, String)>, goals: usize) -> Result<Posted> {
    let mut posted = Posted {
        goals: vec![Default::default(); goals],
        ..Posted::default()
    };
    for (name, value) in pairs {
        match name.as_str() {
            "phase" => posted.phase = value,
            "entry_on" => posted.entry_on = value,
            "situation" => posted.situation = value,
            _ => {
                let unknown = || AppError::bad_request("Formularz zawiera nieznane pole (cel).");
                let rest = name.strip_prefix("goal_").ok_or_else(unknown)?;
                let (n, field) = rest.split_once('_').ok_or_else(unknown)?;
                let n: usize = n.parse().map_err(|_| unknown())?;
                let row = n
                    .checked_sub(1)
                    .and_then(|i| posted.goals.get_mut(i))
                    .ok_or_else(unknown)?;
                match field {
                    "assessment" => row.0 = value,
                    "comment" => row.1 = value,
                    _ => return Err(unknown()),
                }
            }
        }
    }
    Ok(posted)
}

fn page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    header: &db::Header,
    version: &StoredVersion,
    posted: &Posted,
    errors: FieldErrors,
) -> MonitoringPage {
    let programme = Programme::from_sections(&version.sections);
    let person = Person::of(header);
    MonitoringPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Monitoring IPZS: {}", person.name),
            "/participants",
        ),
        id,
        person,
        version: version.number,
        phases: choices::<Phase>(&posted.phase),
        entry_on: posted.entry_on.clone(),
        situation: posted.situation.clone(),
        goals: programme
            .goals
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let (code, comment) = posted.goals.get(i).cloned().unwrap_or_default();
                GoalField {
                    n: i + 1,
                    short: shorten(&g.text),
                    assessments: choices::<Assessment>(&code),
                    comment,
                }
            })
            .collect(),
        errors,
        last: None,
    }
}

/// `text` up to about 80 characters, cut at a word.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 80 {
        return text.to_owned();
    }
    let cut: String = text.chars().take(80).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// `GET /ipzs/{id}/monitoring`: the form of a new entry.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let centre = user.centre_id;
    let (_, (header, versions, entries)) = super::read(
        &state,
        &user,
        id,
        Action::AddMonitoring,
        "monitoring",
        async |tx, d| {
            let participant = d.facts.participant.participant_id;
            Ok((
                db::header(&mut *tx, centre, participant)
                    .await?
                    .ok_or(AppError::NotFound)?,
                documents::versions(&mut *tx, id).await?,
                db::entries(&mut *tx, id).await?,
            ))
        },
    )
    .await?;
    let version = in_force(&versions).ok_or_else(not_running)?;
    let posted = Posted {
        entry_on: dates::iso(state.today()),
        ..Posted::default()
    };
    let mut page = page(
        &state,
        &user,
        id,
        &header,
        version,
        &posted,
        FieldErrors::new(),
    );
    page.last = entries.first().map(|e| {
        (
            e.phase.label(),
            dates::format(e.entry_on),
            e.author_name.clone(),
            e.situation.clone(),
        )
    });
    render(&page)
}

fn not_running() -> AppError {
    AppError::conflict("Monitoring prowadzi się dla programu w realizacji (podpisanego).")
}

/// `POST /ipzs/{id}/monitoring`.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(pairs): SecureForm<Vec<(String, String)>>,
) -> Result<Response> {
    let (mut tx, d) = step::lock(&state, &user, &super::KIND, id, Action::AddMonitoring).await?;
    if d.status == DocStatus::Closed {
        return Err(AppError::conflict("Program jest zamknięty."));
    }
    let versions = documents::versions(&mut *tx, id).await?;
    let version = in_force(&versions).ok_or_else(not_running)?;
    let programme = Programme::from_sections(&version.sections);
    let posted = parse(pairs, programme.goals.len())?;
    let (phase, entry_on, situation, goals, errors) = check(&posted, &programme, state.today());
    let (Some(phase), Some(entry_on), Some(situation), Some(goals)) =
        (phase, entry_on, situation, goals)
    else {
        // The form again shows the programme's goals and the person: a read, audited; nothing
        // else is written.
        let participant = d.facts.participant.participant_id;
        let header = db::header(&mut *tx, user.centre_id, participant)
            .await?
            .ok_or(AppError::NotFound)?;
        let event = AuditEvent::new(Action::ViewDocument.code(), Outcome::Success)
            .by(user.audit_actor())
            .on("document", id)
            .participant(participant)
            .detail("monitoring_form".to_owned());
        crate::audit::record_read(&mut *tx, &user.meta, event).await?;
        tx.commit().await?;
        let page = page(&state, &user, id, &header, version, &posted, errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let entry = NewEntry {
        centre_id: user.centre_id,
        document_id: id,
        version: version.number,
        phase,
        entry_on,
        situation: &situation,
        goals: &goals,
        author_id: user.user_id,
    };
    db::add_entry(&mut *tx, &entry).await?;
    let audit = AuditEvent::new(Action::AddMonitoring.code(), Outcome::Success)
        .on("document", id)
        .participant(d.facts.participant.participant_id)
        .detail(format!("phase:{}", phase.code()));
    let message = match phase {
        Phase::End => "Zapisano ocenę końcową programu.",
        _ => "Zapisano wpis monitoringu.",
    };
    finish(tx, &user, audit, message, &super::href(id)).await
}

type Checked = (
    Option<Phase>,
    Option<Date>,
    Option<String>,
    Option<Vec<GoalAssessment>>,
    FieldErrors,
);

/// The entry the form describes, or its messages: a phase, a date not in the future, the
/// situation, and (except at the start) an assessment of every goal.
fn check(posted: &Posted, programme: &Programme, today: Date) -> Checked {
    let mut errors = FieldErrors::new();
    let phase = errors.take(
        "phase",
        Phase::from_code(&posted.phase).ok_or_else(|| "Wybierz, kiedy jest ten wpis.".to_owned()),
    );
    let entry_on = errors.take(
        "entry_on",
        dates::parse(&posted.entry_on).and_then(|d| not_in_future(d, today)),
    );
    let situation = errors.take(
        "situation",
        validate::required_text(&posted.situation, 8000)
            .map_err(|_| "Opisz sytuację uczestnika (do 8000 znaków).".to_owned()),
    );
    let mut goals = Vec::new();
    for (i, goal) in programme.goals.iter().enumerate() {
        let n = i + 1;
        let (code, comment) = posted.goals.get(i).cloned().unwrap_or_default();
        let assessment = Assessment::from_code(&code);
        if assessment.is_none() && (phase != Some(Phase::Start) || !code.is_empty()) {
            errors.add(
                format!("goal_{n}_assessment"),
                format!("Cel {n}: oceń postęp (zbliża się, nie zbliża się, cel zmieniony)."),
            );
        }
        if comment.chars().count() > 2000 {
            errors.add(
                format!("goal_{n}_comment"),
                format!("Cel {n}: komentarz do 2000 znaków."),
            );
        }
        if let Some(a) = assessment {
            goals.push(GoalAssessment {
                goal: format!("goal.{n}"),
                text: goal.text.clone(),
                assessment: a.code().to_owned(),
                comment: comment.trim().to_owned(),
            });
        }
    }
    let goals = errors.is_empty().then_some(goals);
    (phase, entry_on, situation, goals, errors)
}

/// The label of a stored assessment code (templates).
pub fn assessment_label(code: &str) -> &'static str {
    Assessment::from_code(code).map_or("", |a| a.label())
}
