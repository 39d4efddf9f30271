//! Starting a contract (or the renewal of one whose evaluation set new goals) and editing its
//! draft. A draft saves at any time, even incomplete, never wrong (the form again with its
//! messages, nothing saved); an amendment keeps the specific goals of the version in force (new
//! goals need a new contract). Saves are guarded by the draft's revision: a stale tab's save
//! answers 409 with the user's text kept and what differs from the saved text shown.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::content::{self, Contract, FormAction, Party, Planned};
use super::db;
use super::flow::{self, ContractStep};
use crate::audit::{AuditEvent, Outcome as AuditOutcome};
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, Event};
use crate::documents::diff::SectionDiff;
use crate::documents::pages;
use crate::documents::step;
use crate::documents::version::VersionError;
use crate::documents::view::{self, Person};
use crate::documents::workflow::DocStatus;
use crate::error::{AppError, Result};
use crate::participants;
use crate::state::AppState;
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors, choices};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// Empty rows the form offers after the filled ones.
const BLANK_ROWS: usize = 2;

/// An action's row of the form.
struct ActionRow {
    n: usize,
    action: Planned,
    parties: Vec<Choice>,
}

impl ActionRow {
    fn parties(&self) -> &[Choice] {
        &self.parties
    }
}

#[derive(Template)]
#[template(path = "contracts/edit.html")]
struct EditPage {
    layout: Layout,
    id: Uuid,
    person: Person,
    number: i32,
    contract: Contract,
    goals: Vec<(usize, String)>,
    actions: Vec<ActionRow>,
    revision: i32,
    /// An amendment: the goals stay those of the version in force.
    amendment: bool,
    errors: FieldErrors,
    conflict: Vec<SectionDiff>,
    returned: Option<(String, String, String)>,
}

impl EditPage {
    fn text<'a>(&'a self, key: &str) -> &'a str {
        self.contract.text(key)
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

/// Starts a contract of participant `id` in one transaction: the policy, the rule of one open
/// contract at a time, the document, its history row; `from` is the contract a renewal follows.
async fn start(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    from: Option<(Uuid, Contract)>,
) -> Result<Response> {
    let mut tx = state.db.begin().await?;
    let facts = participants::db::lock(&mut tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = Target::Participant(&facts);
    if let Err(refusal) = policy::check(user.actor(), Action::DraftDocument, target) {
        drop(tx);
        return Err(user
            .refused(state, Action::DraftDocument, target, refusal)
            .await);
    }
    let open = db::contracts_of(&mut *tx, user.centre_id, id)
        .await?
        .into_iter()
        .find(|c| c.status != DocStatus::Closed);
    if let Some(open) = open {
        return Err(AppError::conflict(format!(
            "Ta osoba ma już kontrakt „{}”. Nowy kontrakt zaczyna się dopiero po ocenie i \
             zamknięciu obecnego (część II); zmiany bez nowych celów wprowadza się aneksem.",
            open.status.label()
        ))
        .back_to(super::href(open.document_id)));
    }
    let (follows, contract) = match from {
        Some((old, text)) => (Some(old), Contract::renewal_of(&text)),
        None => (None, Contract::new()),
    };
    let document = db::create(
        &mut tx,
        user.centre_id,
        id,
        user.user_id,
        &contract.to_sections(),
        follows,
    )
    .await?;
    let event = Event {
        centre_id: user.centre_id,
        document_id: document,
        version: 1,
        step: "create",
        from: DocStatus::Draft,
        to: DocStatus::Draft,
        comment: follows.map(|_| "Nowy kontrakt po ocenie poprzedniego: nowe cele."),
        decided_by: user.user_id,
    };
    documents::record_event(&mut *tx, &event).await?;
    let mut audit = AuditEvent::new(Action::DraftDocument.code(), AuditOutcome::Success)
        .on("document", document)
        .participant(id);
    if let Some(old) = follows {
        audit = audit.detail(format!("follows:{old}"));
    }
    let to = format!("/contracts/{document}/edit");
    let message = if follows.is_some() {
        "Rozpoczęto nowy kontrakt z treścią poprzedniego: wpisz nowe cele szczegółowe, terminy \
         działań i okres."
    } else {
        "Rozpoczęto projekt kontraktu socjalnego."
    };
    finish(tx, user, audit, message, &to).await
}

/// `POST /participants/{id}/contracts`: the social worker starts a contract.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    start(&state, &user, id, None).await
}

/// `POST /contracts/{id}/renew`: the new, full contract after an evaluation that set new
/// goals, linked to it and pre-filled with its text.
pub async fn renew(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    // Only whoever may start a contract of the participant renews one (403, audited), before
    // anything is read or the contract's state is told.
    let found = super::found(&state, &user, id, Action::ViewDocument).await?;
    user.authorize(
        &state,
        Action::DraftDocument,
        Target::Participant(&found.facts.participant),
    )
    .await?;
    // The renewal is read from the contract it follows (its text): a read of that contract.
    let (d, (facts, versions, signatures)) = super::read(
        &state,
        &user,
        id,
        Action::ViewDocument,
        "renew",
        async |conn, d| {
            Ok((
                db::flow_state(&mut *conn, id, d.status).await?,
                documents::versions(&mut *conn, id).await?,
                crate::documents::paper::signatures(&mut *conn, id).await?,
            ))
        },
    )
    .await?;
    if facts.renewed {
        // Renewed once already: the way on is the continuation.
        let next = db::contracts_of(
            &state.db,
            user.centre_id,
            d.facts.participant.participant_id,
        )
        .await?
        .into_iter()
        .find(|c| c.follows == Some(id))
        .map_or_else(|| super::href(id), |c| super::href(c.document_id));
        return Err(AppError::conflict(
            "Ten kontrakt ma już kontynuację (nowy kontrakt po ocenie „nowe cele”): otwórz ją.",
        )
        .back_to(next));
    }
    flow::check(ContractStep::Renew, facts)
        .map_err(|reason| AppError::conflict(reason).back_to(super::href(id)))?;
    let text = super::signed_text(&versions, &signatures);
    let participant = d.facts.participant.participant_id;
    start(&state, &user, participant, Some((id, text))).await
}

/// The page of the draft of `document` with `contract` in the form.
#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    document: Uuid,
    participant: Uuid,
    number: i32,
    contract: Contract,
    revision: i32,
    errors: FieldErrors,
    conflict: Vec<SectionDiff>,
) -> Result<EditPage> {
    let header = view::header(&state.db, user.centre_id, participant)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = Person::of(&header);
    Ok(EditPage {
        layout: Layout::for_user(
            state,
            user,
            if number > 1 {
                format!("Aneks do kontraktu socjalnego: {}", person.name)
            } else {
                format!("Projekt kontraktu socjalnego: {}", person.name)
            },
            "/participants",
        ),
        id: document,
        number,
        // An amendment keeps the goals: shown, not offered for editing (nor blank rows).
        goals: if number > 1 {
            contract
                .goals
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, g)| (i + 1, g))
                .collect()
        } else {
            rows(&contract.goals)
        },
        actions: rows(&contract.actions)
            .into_iter()
            .map(|(n, action)| ActionRow {
                n,
                parties: choices::<Party>(&action.party),
                action,
            })
            .collect(),
        contract,
        revision,
        amendment: number > 1,
        errors,
        conflict,
        returned: None,
        person,
    })
}

/// `GET /contracts/{id}/edit`.
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
        async |conn, _| {
            Ok((
                documents::versions(&mut *conn, id).await?,
                documents::history(&mut *conn, id).await?,
            ))
        },
    )
    .await?;
    let current = versions
        .into_iter()
        .find(|v| v.number == d.version)
        .ok_or(AppError::NotFound)?;
    if current.status != DocStatus::Draft {
        let number = u32::try_from(d.version).unwrap_or_default();
        return Err(AppError::conflict(
            VersionError::NotEditable {
                number,
                status: current.status,
            }
            .message(),
        )
        .back_to(super::href(id)));
    }
    let mut page = edit_page(
        &state,
        &user,
        id,
        d.facts.participant.participant_id,
        d.version,
        Contract::from_sections(&current.sections),
        current.revision,
        FieldErrors::new(),
        Vec::new(),
    )
    .await?;
    page.returned = view::open_return(&history, d.status);
    render(&page)
}

/// `POST /contracts/{id}/edit`: saves the draft.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(pairs): SecureForm<Vec<(String, String)>>,
) -> Result<Response> {
    let d = super::found(&state, &user, id, Action::EditDocument).await?;
    let posted = content::parse_form(pairs).map_err(|content::UnknownField(name)| {
        AppError::bad_request(format!(
            "Formularz kontraktu nie ma pola „{name}” (nieznany cel, działanie lub pole)."
        ))
    })?;
    let participant = d.facts.participant.participant_id;
    let mut errors = content::check_draft(&posted.contract, state.today());
    // An amendment keeps the goals of the version it amends (seed 001, part VI).
    // Checked against the version the form was read at: the save goes into that version or
    // nowhere (a stale tab of another version is refused as a conflict).
    let number = posted.version.unwrap_or(d.version);
    if number > 1 {
        let versions = documents::versions(&state.db, id).await?;
        let based_on = versions
            .iter()
            .find(|v| v.number == number)
            .and_then(|v| v.based_on)
            .and_then(|b| versions.iter().find(|v| v.number == b))
            .map(|v| Contract::from_sections(&v.sections));
        if let Some(before) = based_on
            && before.goal_texts() != posted.contract.goal_texts()
        {
            errors.add(
                "goal_1",
                "Aneks nie zmienia celów szczegółowych. Nowe cele wymagają nowego, pełnego \
                 kontraktu: oceń obecny (część II) z wynikiem „nowe cele”.",
            );
        }
    }
    if !errors.is_empty() {
        let page = edit_page(
            &state,
            &user,
            id,
            participant,
            d.version,
            posted.contract,
            posted.revision,
            errors,
            Vec::new(),
        )
        .await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let contract = posted.contract.normalized();
    let sections = contract.to_sections();
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
        return conflict(&state, &user, id, participant, contract).await;
    };
    let to = match posted.action {
        FormAction::Save => super::href(id),
        FormAction::AddGoal => format!("/contracts/{id}/edit#goal_{}", contract.goals.len() + 1),
        FormAction::AddAction => format!(
            "/contracts/{id}/edit#action_{}_text",
            contract.actions.len() + 1
        ),
    };
    finish(tx, &user, audit, "Zapisano projekt kontraktu.", &to).await
}

/// The 409 page of a save that lost the race: the user's text in the form (with the saved
/// revision, so saving again overwrites knowingly) and what differs from the saved text.
async fn conflict(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    participant: Uuid,
    mine: Contract,
) -> Result<Response> {
    let (saved, differences, errors) = pages::conflict(
        state,
        user,
        &super::KIND,
        id,
        &mine.labelled(),
        |sections| Contract::from_sections(sections).labelled(),
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
