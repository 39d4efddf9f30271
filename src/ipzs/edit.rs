//! Starting a programme and editing its draft. A draft saves at any time, even incomplete, but
//! never wrong (dates that are not dates, ranges out of order, a period past the legal
//! maximum: the form again with its messages, nothing saved). Saves are guarded by the draft's
//! revision: a save from a stale tab answers 409 with the user's text kept and what differs
//! from the saved text shown.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::content::{self, FormAction, Goal, Programme, Stage};
use super::db;
use super::view::Person;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, Event};
use crate::documents::diff::SectionDiff;
use crate::documents::pages;
use crate::documents::step;
use crate::documents::version::VersionError;
use crate::documents::workflow::DocStatus;
use crate::error::{AppError, Result};
use crate::opinions::{self, OpinionSummary};
use crate::participants;
use crate::participants::rules::ParticipationRules;
use crate::state::AppState;
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// Empty rows the form offers after the filled ones.
const BLANK_ROWS: usize = 2;

#[derive(Template)]
#[template(path = "ipzs/edit.html")]
struct EditPage {
    layout: Layout,
    id: Uuid,
    person: Person,
    number: i32,
    programme: Programme,
    goals: Vec<(usize, Goal)>,
    stages: Vec<(usize, Stage)>,
    revision: i32,
    rule: String,
    opinions: Vec<OpinionSummary>,
    opinions_href: String,
    errors: FieldErrors,
    /// After a lost race: the saved text against the user's.
    conflict: Vec<SectionDiff>,
    /// The manager's comment when the draft came back: (comment, who, when).
    returned: Option<(String, String, String)>,
}

impl EditPage {
    fn text<'a>(&'a self, key: &str) -> &'a str {
        self.programme.text(key)
    }
}

fn rows<T: Clone + Default>(filled: &[T]) -> Vec<(usize, T)> {
    filled
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(T::default(), BLANK_ROWS))
        .take(content::MAX_ROWS)
        .enumerate()
        .map(|(i, row)| (i + 1, row))
        .collect()
}

/// `POST /participants/{id}/ipzs`: the social worker starts the programme (one at a time).
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    let mut tx = state.db.begin().await?;
    let facts = participants::db::lock(&mut tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = Target::Participant(&facts);
    if let Err(refusal) = policy::check(user.actor(), Action::DraftDocument, target) {
        drop(tx);
        return Err(user
            .refused(&state, Action::DraftDocument, target, refusal)
            .await);
    }
    let open = db::programmes_of(&mut *tx, user.centre_id, id)
        .await?
        .into_iter()
        .find(|(_, status)| *status != DocStatus::Closed);
    if let Some((document, _)) = open {
        drop(tx);
        return Ok(Redirect::to(&super::href(document)).into_response());
    }
    let header = db::header(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let programme = Programme::new(
        header.workshop_name.as_deref().unwrap_or(""),
        &header.responsible_ops,
    );
    let document = db::create(
        &mut tx,
        user.centre_id,
        id,
        user.user_id,
        &programme.to_sections(),
    )
    .await?;
    let event = Event {
        centre_id: user.centre_id,
        document_id: document,
        version: 1,
        step: "create",
        from: DocStatus::Draft,
        to: DocStatus::Draft,
        comment: None,
        decided_by: user.user_id,
    };
    documents::record_event(&mut *tx, &event).await?;
    let audit = AuditEvent::new(Action::DraftDocument.code(), Outcome::Success)
        .on("document", document)
        .participant(id);
    let to = format!("/ipzs/{document}/edit");
    finish(tx, &user, audit, "Rozpoczęto projekt IPZS.", &to).await
}

/// The page of the draft of `document` with `programme` in the form.
#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    document: Uuid,
    participant: Uuid,
    number: i32,
    programme: Programme,
    revision: i32,
    errors: FieldErrors,
    conflict: Vec<SectionDiff>,
) -> Result<EditPage> {
    let header = db::header(&state.db, user.centre_id, participant)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = ParticipationRules::load(&state.db, user.centre_id).await?;
    let rule = rules
        .on(state.today())
        .map(|r| r.explain())
        .unwrap_or_default();
    let mut tx = state.db.begin().await?;
    let opinions =
        opinions::signed_off_read(&mut tx, user, participant, "opinions:ipzs_edit").await?;
    tx.commit().await?;
    let person = Person::of(&header);
    Ok(EditPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Projekt IPZS: {}", person.name),
            "/participants",
        ),
        id: document,
        number,
        goals: rows(&programme.goals),
        stages: rows(&programme.stages),
        programme,
        revision,
        rule,
        opinions_href: opinions::opinions_href(participant),
        opinions,
        errors,
        conflict,
        returned: None,
        person,
    })
}

/// `GET /ipzs/{id}/edit`.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (d, (versions, history)) = super::read(
        &state,
        &user,
        id,
        Action::EditDocument,
        "edit",
        async |tx, _| {
            Ok((
                documents::versions(&mut *tx, id).await?,
                documents::history(&mut *tx, id).await?,
            ))
        },
    )
    .await?;
    let current = versions
        .into_iter()
        .find(|v| v.number == d.version)
        .ok_or(AppError::NotFound)?;
    if current.status != DocStatus::Draft {
        return Err(not_editable(d.version, current.status));
    }
    let mut page = edit_page(
        &state,
        &user,
        id,
        d.facts.participant.participant_id,
        d.version,
        Programme::from_sections(&current.sections),
        current.revision,
        FieldErrors::new(),
        Vec::new(),
    )
    .await?;
    page.returned = super::view::open_return(&history, d.status);
    render(&page)
}

fn not_editable(number: i32, status: DocStatus) -> AppError {
    let number = u32::try_from(number).unwrap_or_default();
    AppError::conflict(VersionError::NotEditable { number, status }.message())
}

/// `POST /ipzs/{id}/edit`: saves the draft.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(pairs): SecureForm<Vec<(String, String)>>,
) -> Result<Response> {
    let d = super::found(&state, &user, id, Action::EditDocument).await?;
    let posted = content::parse_form(pairs).map_err(|content::UnknownField(name)| {
        AppError::bad_request(format!(
            "Formularz programu nie ma pola „{name}” (nieznany cel, etap lub pole)."
        ))
    })?;
    let participant = d.facts.participant.participant_id;
    let rules = ParticipationRules::load(&state.db, user.centre_id).await?;
    let errors = content::check_draft(&posted.programme, |from| {
        rules.on(from).map(|r| r.period(from).cap_end_on)
    });
    if !errors.is_empty() {
        let page = edit_page(
            &state,
            &user,
            id,
            participant,
            d.version,
            posted.programme,
            posted.revision,
            errors,
            Vec::new(),
        )
        .await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let programme = posted.programme.normalized();
    let sections = programme.to_sections();
    let saved = step::save_draft(
        &state,
        &user,
        &super::KIND,
        id,
        posted.version,
        posted.revision,
        &sections,
    )
    .await?;
    let Some((tx, audit)) = saved else {
        return conflict(&state, &user, id, participant, programme).await;
    };
    let to = match posted.action {
        FormAction::Save => super::href(id),
        FormAction::AddGoal => format!("/ipzs/{id}/edit#goal_{}_text", programme.goals.len() + 1),
        FormAction::AddStage => {
            format!("/ipzs/{id}/edit#stage_{}_name", programme.stages.len() + 1)
        }
    };
    finish(tx, &user, audit, "Zapisano projekt programu.", &to).await
}

/// The 409 page of a save that lost the race: the user's text in the form (with the saved
/// revision, so saving again overwrites knowingly) and what differs from the saved text.
async fn conflict(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    participant: Uuid,
    mine: Programme,
) -> Result<Response> {
    let (saved, differences, errors) = pages::conflict(
        state,
        user,
        &super::KIND,
        id,
        &mine.labelled(),
        |sections| Programme::from_sections(sections).labelled(),
    )
    .await?;
    let page = edit_page(
        state,
        user,
        id,
        participant,
        saved.number,
        mine,
        saved.revision,
        errors,
        differences,
    )
    .await?;
    render_with_status(StatusCode::CONFLICT, &page)
}
