//! Registering a candidate and editing a participant's data. A second registration of a PESEL in
//! the centre is refused (and audited, with a link to the file only for whom it is open); an
//! edit made on a stale form shows what is stored now next to the user's input (409).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::access;
use super::db;
use super::form::{Errors, ParticipantForm};
use super::model::{Applicant, Referrer};
use super::pesel::Sex;
use super::record::ParticipantData;
use super::rectification;
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::{Category, Role};
use crate::error::Result;
use crate::state::AppState;
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, choices};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

#[derive(Template)]
#[template(path = "participants/form.html")]
struct FormPage {
    layout: Layout,
    /// `None`: registration; `Some(id)`: editing that participant.
    editing: Option<Uuid>,
    form: ParticipantForm,
    errors: Errors,
    existing: Option<Uuid>,
    categories: Vec<(Category, bool)>,
    applicants: Vec<Choice>,
    referrers: Vec<Choice>,
    sexes: Vec<Choice>,
    workers: Option<Vec<Choice>>,
    conflict: Vec<(&'static str, String, String)>,
}

/// What else the form shows besides the input: errors, the file of an already registered
/// PESEL, the differences of a conflicting edit.
#[derive(Default)]
struct Extras {
    errors: Errors,
    existing: Option<Uuid>,
    conflict: Vec<(&'static str, String, String)>,
}

impl Extras {
    /// Field errors only.
    fn errors(errors: Errors) -> Self {
        Self {
            errors,
            ..Self::default()
        }
    }
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<Uuid>,
    form: ParticipantForm,
    extras: Extras,
) -> Result<FormPage> {
    // A manager registering someone may assign the social worker at once.
    let workers = if editing.is_none() && user.role == Role::Manager {
        let list = db::social_workers(&state.db, user.centre_id).await?;
        Some(
            list.into_iter()
                .map(|w| Choice::new(w.id.to_string(), w.name, &form.social_worker))
                .collect(),
        )
    } else {
        None
    };
    let title = if editing.is_some() {
        "Edycja danych uczestnika"
    } else {
        "Rejestracja kandydata"
    };
    Ok(FormPage {
        layout: Layout::for_user(state, user, title, "/participants"),
        editing,
        categories: Category::ALL
            .into_iter()
            .map(|c| (c, form.has(c)))
            .collect(),
        applicants: choices::<Applicant>(&form.applicant),
        referrers: choices::<Referrer>(&form.referrer),
        sexes: choices::<Sex>(&form.sex),
        workers,
        form,
        errors: extras.errors,
        existing: extras.existing,
        conflict: extras.conflict,
    })
}

async fn invalid(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<Uuid>,
    form: ParticipantForm,
    extras: Extras,
) -> Result<Response> {
    let page = form_page(state, user, editing, form, extras).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `GET /participants/new`.
pub(super) async fn new_participant_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response> {
    user.authorize(&state, Action::RegisterParticipant, Target::Centre)
        .await?;
    let form = ParticipantForm::blank(state.today());
    render(&form_page(&state, &user, None, form, Extras::default()).await?)
}

/// `POST /participants`.
pub(super) async fn create_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<ParticipantForm>,
) -> Result<Response> {
    user.authorize(&state, Action::RegisterParticipant, Target::Centre)
        .await?;
    let mut errors = Errors::new();
    let data = form.validate(state.today()).map_err(|e| errors = e).ok();
    let social_worker = chosen_social_worker(&state, &user, &form, &mut errors).await?;
    let Some(data) = data.filter(|_| errors.is_empty()) else {
        return invalid(&state, &user, None, form, Extras::errors(errors)).await;
    };
    let mut tx = state.db.begin().await?;
    let inserted = db::insert(&mut tx, user.centre_id, &data, social_worker, user.user_id).await;
    let existing = match inserted {
        Ok(Ok(id)) => {
            let event = access::done(Action::RegisterParticipant, id);
            return access::finish(tx, &user, id, event, "Kandydat został zarejestrowany.").await;
        }
        Ok(Err(existing)) => Some(existing),
        // Two registrations of the same PESEL at once: the second loses on the unique index.
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("participant_pesel_key") => None,
        Err(e) => return Err(e.into()),
    };
    drop(tx);
    duplicate_pesel(&state, &user, form, &data, existing).await
}

/// The social worker a registration goes to: a social worker registers into their own
/// caseload; a manager may pick one of the centre's (or none yet).
async fn chosen_social_worker(
    state: &AppState,
    user: &CurrentUser,
    form: &ParticipantForm,
    errors: &mut Errors,
) -> Result<Option<Uuid>> {
    if user.role == Role::SocialWorker {
        return Ok(Some(user.user_id));
    }
    let Some(chosen) = errors
        .take("social_worker", form.social_worker_id())
        .flatten()
    else {
        return Ok(None);
    };
    let workers = db::social_workers(&state.db, user.centre_id).await?;
    if !workers.iter().any(|w| w.id == chosen) {
        errors.add("social_worker", "Wybierz pracownika socjalnego z listy.");
    }
    Ok(Some(chosen))
}

/// The refusal of a PESEL registered already: it confirms that the PESEL is registered here,
/// so it is audited, and the link to the file is shown only to whom the file is open.
async fn duplicate_pesel(
    state: &AppState,
    user: &CurrentUser,
    form: ParticipantForm,
    data: &ParticipantData,
    existing: Option<Uuid>,
) -> Result<Response> {
    let existing = match (existing, &data.pesel) {
        (Some(id), _) => Some(id),
        (None, Some(pesel)) => db::with_pesel(&state.db, user.centre_id, pesel).await?,
        (None, None) => None,
    };
    let mut event = AuditEvent::new(Action::RegisterParticipant.code(), Outcome::Failure)
        .by(user.audit_actor())
        .detail("duplicate_pesel");
    let mut link = None;
    if let Some(id) = existing {
        event = event.participant(id).on("participant", id);
        let facts = db::facts(&state.db, user.centre_id, id, user.user_id).await?;
        link = facts
            .filter(|f| policy::sees_participant(user.actor(), f))
            .map(|_| id);
    }
    audit::record(&state.db, &user.meta, event).await?;
    let mut errors = Errors::new();
    errors.add(
        "pesel",
        "Osoba o tym numerze PESEL jest już zarejestrowana w tym ośrodku.",
    );
    let extras = Extras {
        errors,
        existing: link,
        ..Extras::default()
    };
    invalid(state, user, None, form, extras).await
}

/// `GET /participants/{id}/edit`: the form, an audited read of the record.
pub(super) async fn edit_participant_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    access::authorized(&state, &user, id, Action::EditParticipant).await?;
    let record = access::read_audited(&state, &user, id, "edit_form").await?;
    let form = ParticipantForm::from_data(&record.data, record.version);
    render(&form_page(&state, &user, Some(id), form, Extras::default()).await?)
}

/// `POST /participants/{id}`.
pub(super) async fn update_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(mut form): SecureForm<ParticipantForm>,
) -> Result<Response> {
    let (mut tx, before) = access::lock(&state, &user, id, Action::EditParticipant).await?;
    form.social_worker.clear();
    let data = match form.validate(state.today()) {
        Ok(d) => d,
        Err(errors) => {
            drop(tx);
            return invalid(&state, &user, Some(id), form, Extras::errors(errors)).await;
        }
    };
    let version = crate::validate::version(&form.version);
    match db::update(&mut tx, user.centre_id, id, version, &data).await {
        Ok(true) => {
            let changed = rectification::record(&mut tx, &user, id, &before.data, &data).await?;
            let event =
                access::done(Action::EditParticipant, id).detail(format!("fields={changed}"));
            access::finish(tx, &user, id, event, "Zmiany zostały zapisane.").await
        }
        Ok(false) => {
            drop(tx);
            stale_edit(&state, &user, id, form, &data).await
        }
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("participant_pesel_key") => {
            drop(tx);
            let event = AuditEvent::new(Action::EditParticipant.code(), Outcome::Failure)
                .by(user.audit_actor())
                .on("participant", id)
                .participant(id)
                .detail("duplicate_pesel");
            audit::record(&state.db, &user.meta, event).await?;
            let mut errors = Errors::new();
            errors.add(
                "pesel",
                "Inna osoba o tym numerze PESEL jest już zarejestrowana w tym ośrodku.",
            );
            invalid(&state, &user, Some(id), form, Extras::errors(errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Someone saved first: show what is stored now next to the user's input, keep the input, and
/// let a deliberate second save overwrite (the form now carries the current version).
async fn stale_edit(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    mut form: ParticipantForm,
    mine: &ParticipantData,
) -> Result<Response> {
    let current = access::read_audited(state, user, id, "edit_conflict").await?;
    let conflict = current
        .data
        .describe()
        .into_iter()
        .zip(mine.describe())
        .filter(|((_, now), (_, typed))| now != typed)
        .map(|((label, now), (_, typed))| (label, now, typed))
        .collect();
    form.version = current.version.to_string();
    let extras = Extras {
        conflict,
        ..Extras::default()
    };
    let page = form_page(state, user, Some(id), form, extras).await?;
    render_with_status(StatusCode::CONFLICT, &page)
}
