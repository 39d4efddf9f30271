//! What the social worker records while a contract runs (seed 001, part V): actions taken
//! (dated, optionally tied to a planned action, done / partly / not done), referrals issued
//! (type, date, to whom), benefit applications, attendance at group meetings, and the quarterly
//! note (the course so far, planned further actions, changes), which the engine's monitoring
//! list asks for. Entries are never changed (the database refuses it).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::content::Contract;
use super::db::{self, ActionResult, NewRecord, RecordKind};
use super::flow::ContractStep;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::documents::step;
use crate::documents::view::{self, Person};
use crate::documents::workflow::DocStatus;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors, choices, not_in_future};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The record form.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    happened_on: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    planned_action: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    record_type: String,
    #[serde(default)]
    addressee: String,
}

/// The quarterly note form.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteForm {
    #[serde(default)]
    entry_on: String,
    #[serde(default)]
    course: String,
    #[serde(default)]
    planned: String,
    #[serde(default)]
    changes: String,
}

#[derive(Template)]
#[template(path = "contracts/realization.html")]
struct RealizationPage {
    layout: Layout,
    id: Uuid,
    person: Person,
    kinds: Vec<Choice>,
    results: Vec<Choice>,
    /// The planned actions of the version in force: (number, "1. text").
    planned: Vec<Choice>,
    record: RecordForm,
    note: NoteForm,
    errors: FieldErrors,
    /// The latest entries of the log (up to five), newest first.
    recent: Vec<db::Record>,
    /// The latest quarterly note: (date, author).
    last_note: Option<(String, String)>,
}

impl RealizationPage {
    fn date(&self, on: &time::Date) -> String {
        dates::format(*on)
    }
}

/// The page with both forms, once the policy allowed recording and the contract runs.
async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    record: RecordForm,
    note: NoteForm,
    errors: FieldErrors,
) -> Result<RealizationPage> {
    let (d, (header, in_force, mut recent, notes)) = super::read(
        state,
        user,
        id,
        Action::RecordRealization,
        "realization",
        async |conn, d| {
            Ok((
                view::header(
                    &mut *conn,
                    user.centre_id,
                    d.facts.participant.participant_id,
                )
                .await?
                .ok_or(AppError::NotFound)?,
                db::in_force(&mut *conn, id).await?,
                db::records(&mut *conn, id).await?,
                db::notes(&mut *conn, id).await?,
            ))
        },
    )
    .await?;
    // A version the client signed binds until the contract closes, also while an amendment is
    // on its way (the realization goes on under the version in force).
    let Some((_, sections)) = in_force.filter(|_| d.status != DocStatus::Closed) else {
        return Err(not_running(d.status));
    };
    let contract = Contract::from_sections(&sections);
    let person = Person::of(&header);
    recent.truncate(5);
    Ok(RealizationPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Realizacja kontraktu: {}", person.name),
            "/participants",
        ),
        id,
        person,
        kinds: choices::<RecordKind>(&record.kind),
        results: choices::<ActionResult>(&record.result),
        planned: contract
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let n = (i + 1).to_string();
                let text: String = a.text.chars().take(80).collect();
                Choice::new(n.clone(), format!("{n}. {text}"), &record.planned_action)
            })
            .collect(),
        record,
        note,
        errors,
        recent,
        last_note: notes
            .first()
            .map(|n| (dates::format(n.entry_on), n.author_name.clone())),
    })
}

fn not_running(status: DocStatus) -> AppError {
    AppError::conflict(format!(
        "Realizację zapisuje się w kontrakcie w realizacji; ten ma stan „{}”.",
        status.label()
    ))
}

/// `GET /contracts/{id}/realization`.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let page = page(
        &state,
        &user,
        id,
        RecordForm::default(),
        NoteForm::default(),
        FieldErrors::new(),
    )
    .await
    .map_err(|e| e.back_to(super::href(id)))?;
    render(&page)
}

/// An optional text of at most `max` characters, trimmed (`None` when blank).
fn optional(
    value: &str,
    max: usize,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<String> {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(field, format!("Najwyżej {max} znaków."));
    }
    (!value.is_empty()).then(|| value.to_owned())
}

/// `POST /contracts/{id}/records`: one entry of the log.
pub async fn add_record(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<RecordForm>,
) -> Result<Response> {
    let today = state.today();
    let mut errors = FieldErrors::new();
    let kind = RecordKind::from_code(&form.kind);
    if kind.is_none() {
        errors.add("kind", "Wybierz, co zapisujesz.");
    }
    let on = errors.take(
        "happened_on",
        dates::parse(&form.happened_on).and_then(|on| not_in_future(on, today)),
    );
    let description = errors.take(
        "description",
        validate::required_text(&form.description, 4000)
            .map_err(|_| "Opisz, co zrobiono (do 4000 znaków).".to_owned()),
    );
    let result = ActionResult::from_code(&form.result);
    let planned_action = form.planned_action.trim().parse::<i32>().ok();
    match kind {
        Some(RecordKind::Action) if result.is_none() => {
            errors.add("result", "Wybierz, czy działanie wykonano.")
        }
        Some(RecordKind::Referral) if form.record_type.trim().is_empty() => {
            errors.add("record_type", "Podaj rodzaj skierowania.")
        }
        Some(RecordKind::Referral) if form.addressee.trim().is_empty() => {
            errors.add("addressee", "Podaj, dokąd (do kogo) wydano skierowanie.")
        }
        Some(RecordKind::BenefitApplication) if form.record_type.trim().is_empty() => {
            errors.add("record_type", "Podaj, o jakie świadczenie wnioskowano.")
        }
        _ => {}
    }
    let record_type = optional(&form.record_type, 200, "record_type", &mut errors);
    let addressee = optional(&form.addressee, 300, "addressee", &mut errors);
    let (Some(kind), Some(on), Some(description), true) =
        (kind, on, description, errors.is_empty())
    else {
        return refused(&state, &user, id, form, NoteForm::default(), errors).await;
    };
    let (mut tx, d) = step::lock(&state, &user, &super::KIND, id, Action::RecordRealization)
        .await
        .map_err(|e| e.back_to(super::href(id)))?;
    super::admit(&mut tx, &d, ContractStep::Record).await?;
    let planned_count = db::in_force(&mut *tx, id)
        .await?
        .map_or(0, |(_, s)| Contract::from_sections(&s).actions.len());
    let is_action = kind == RecordKind::Action;
    let planned_action =
        planned_action.filter(|n| is_action && *n >= 1 && (*n as usize) <= planned_count);
    if is_action && !form.planned_action.trim().is_empty() && planned_action.is_none() {
        drop(tx);
        let mut errors = FieldErrors::new();
        errors.add("planned_action", "Wybierz działanie z listy planu.");
        return refused(&state, &user, id, form, NoteForm::default(), errors).await;
    }
    let record = NewRecord {
        kind,
        happened_on: on,
        description: &description,
        planned_action,
        result: if is_action { result } else { None },
        record_type: record_type.as_deref().filter(|_| !is_action),
        addressee: addressee
            .as_deref()
            .filter(|_| kind == RecordKind::Referral),
    };
    db::add_record(&mut *tx, user.centre_id, id, &record, user.user_id).await?;
    let audit = AuditEvent::new(Action::RecordRealization.code(), Outcome::Success)
        .on("document", id)
        .participant(d.facts.participant.participant_id)
        .detail(kind.code().to_owned());
    let message = format!("Zapisano: {}.", kind.label().to_lowercase());
    let back = format!("/contracts/{id}/realization");
    finish(tx, &user, audit, &message, &back).await
}

/// `POST /contracts/{id}/monitoring`: the quarterly note.
pub async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<NoteForm>,
) -> Result<Response> {
    let today = state.today();
    let mut errors = FieldErrors::new();
    let on = errors.take(
        "entry_on",
        dates::parse(&form.entry_on).and_then(|on| not_in_future(on, today)),
    );
    let course = errors.take(
        "course",
        validate::required_text(&form.course, 8000)
            .map_err(|_| "Opisz dotychczasowy przebieg kontraktu (do 8000 znaków).".to_owned()),
    );
    let planned = optional(&form.planned, 8000, "planned", &mut errors).unwrap_or_default();
    let changes = optional(&form.changes, 8000, "changes", &mut errors).unwrap_or_default();
    let (Some(on), Some(course), true) = (on, course, errors.is_empty()) else {
        return refused(&state, &user, id, RecordForm::default(), form, errors).await;
    };
    let (mut tx, d) = step::lock(&state, &user, &super::KIND, id, Action::AddMonitoring)
        .await
        .map_err(|e| e.back_to(super::href(id)))?;
    super::admit(&mut tx, &d, ContractStep::Record).await?;
    let (version, _) = db::in_force(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::add_note(
        &mut *tx,
        user.centre_id,
        id,
        version,
        on,
        &course,
        &planned,
        &changes,
        user.user_id,
    )
    .await?;
    let audit = AuditEvent::new(Action::AddMonitoring.code(), Outcome::Success)
        .on("document", id)
        .participant(d.facts.participant.participant_id)
        .detail(format!("quarterly:{}", dates::iso(on)));
    finish(
        tx,
        &user,
        audit,
        "Zapisano kwartalny monitoring kontraktu.",
        &format!("/contracts/{id}/realization"),
    )
    .await
}

async fn refused(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    record: RecordForm,
    note: NoteForm,
    errors: FieldErrors,
) -> Result<Response> {
    let page = page(state, user, id, record, note, errors)
        .await
        .map_err(|e| e.back_to(super::href(id)))?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
