//! The one transaction every workflow step of every document kind goes through:
//! begin → lock the document → ask the policy → check the transition (the status machine, with
//! segregation of duties) → guarded update → history row → audit row → commit → flash →
//! redirect. A kind's handler parses its form into a [`Step`] and calls [`take`].

use axum::response::Response;
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

use super::access::Kind;
use super::db::{self, Event, Locked};
use super::version::VersionError;
use super::workflow::{self, DocStatus, Refusal, Step, StepActor};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::finish::finish;

/// The action the policy decides on for `step`.
pub fn action(step: &Step) -> Action {
    match step {
        Step::Submit => Action::SubmitDocument,
        Step::Return { .. } => Action::ReturnDocument,
        Step::Approve => Action::ApproveDocument,
        Step::Sign => Action::SignDocument,
        Step::StartRealization => Action::StartDocumentRealization,
        Step::Close { .. } => Action::CloseDocument,
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::conflict(refusal.message())
    }
}

/// Takes `step` on document `id` of `kind` for `user` and redirects to its page with the step's
/// flash message. Outside the user's scope the document does not exist (404); a step the
/// policy refuses is 403; a step the status machine refuses (wrong status, the author approving,
/// a blank comment) or one that lost a race is 409. Every refusal by the policy is audited.
pub async fn take(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    step: Step,
) -> Result<Response> {
    let (mut tx, document) = lock(state, user, kind, id, action(&step)).await?;
    let audit = apply(&mut tx, user, &document, &step).await?;
    finish(tx, user, audit, step.done_message(), &kind.href(id)).await
}

/// Begins a write on document `id` of `kind`: locks it and asks the policy about `action`
/// (404 outside the scope or for a document of another kind, 403 audited otherwise).
pub async fn lock(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    action: Action,
) -> Result<(Transaction<'static, Postgres>, Locked)> {
    let mut tx = state.db.begin().await?;
    let document = db::lock(&mut tx, user.centre_id, id, user.user_id)
        .await?
        .filter(|d| d.kind == kind.kind)
        .ok_or(AppError::NotFound)?;
    let target = Target::Document(&document.facts);
    if let Err(refusal) = policy::check(user.actor(), action, target) {
        drop(tx);
        return Err(user.refused(state, action, target, refusal).await);
    }
    Ok((tx, document))
}

/// Takes `step` on a document locked in `tx` (whose policy check the caller made): the status
/// machine, the guarded update, the history row. Returns the step's audit row, for the caller
/// to record (several steps of one action record each theirs). `document.status` is updated.
pub async fn apply(
    tx: &mut PgConnection,
    user: &CurrentUser,
    document: &Locked,
    step: &Step,
) -> Result<AuditEvent<'static>> {
    let actor = StepActor {
        is_author: document.facts.author_id == user.user_id,
    };
    let next = workflow::check(document.status, step, actor)?;
    if !db::move_status(
        &mut *tx,
        document.facts.document_id,
        document.version,
        document.status,
        next,
    )
    .await?
    {
        return Err(Refusal::NotFromHere {
            from: document.status,
        }
        .into());
    }
    let comment = match step {
        Step::Return { comment } => Some(comment.trim()),
        Step::Close { reason } => Some(reason.trim()),
        _ => None,
    };
    let event = Event {
        centre_id: user.centre_id,
        document_id: document.facts.document_id,
        version: document.version,
        step: step.code(),
        from: document.status,
        to: next,
        comment,
        decided_by: user.user_id,
    };
    db::record_event(&mut *tx, &event).await?;
    // A document that ends ends every version that was in force (an amendment still open
    // closes unsigned; the version signed before stays what was in force, now closed).
    if next == DocStatus::Closed {
        db::supersede(&mut *tx, document.facts.document_id, document.version + 1).await?;
    }
    Ok(AuditEvent::new(action(step).code(), Outcome::Success)
        .on("document", document.facts.document_id)
        .participant(document.facts.participant.participant_id)
        .detail(format!("{}->{}", document.status.code(), next.code())))
}

/// Starts an amendment (aneks) of signed or running document `id` of `kind`, with `reason`
/// (validated by the caller): the policy, `check` (the kind's own refusal, if any), a new draft
/// version with the current text, its history and audit rows, then the edit form with a
/// message (`note` added to it).
pub async fn amend(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    reason: &str,
    check: impl AsyncFnOnce(&mut PgConnection, &Locked) -> Result<()>,
    note: &str,
) -> Result<Response> {
    let (mut tx, d) = lock(state, user, kind, id, Action::AmendDocument).await?;
    check(&mut tx, &d).await?;
    let Some(number) = db::amend(&mut tx, id, d.version, reason, user.user_id).await? else {
        return Err(AppError::conflict(
            VersionError::NotAmendable { status: d.status }.message(),
        ));
    };
    let event = Event {
        centre_id: user.centre_id,
        document_id: id,
        version: number,
        step: "amend",
        from: d.status,
        to: DocStatus::Draft,
        comment: Some(reason),
        decided_by: user.user_id,
    };
    db::record_event(&mut *tx, &event).await?;
    let audit = AuditEvent::new(Action::AmendDocument.code(), Outcome::Success)
        .on("document", id)
        .participant(d.facts.participant.participant_id)
        .detail(format!("version:{number}"));
    let message = format!(
        "Rozpoczęto aneks: wersja {number} (projekt). Wersja {} obowiązuje do podpisania aneksu.{note}",
        d.version
    );
    finish(
        tx,
        user,
        audit,
        &message,
        &format!("{}/edit", kind.href(id)),
    )
    .await
}

/// Saves `sections` as the text of the draft of document `id` of `kind` that the form read at
/// `version` and `revision` (the policy's edit check first). Returns the open transaction and
/// the save's audit row for the caller to finish, or `None` when the save lost the race (the
/// draft was saved since, submitted, or a newer version began): nothing is written.
pub async fn save_draft(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    version: Option<i32>,
    revision: i32,
    sections: &super::version::Sections,
) -> Result<Option<(Transaction<'static, Postgres>, AuditEvent<'static>)>> {
    let (mut tx, d) = lock(state, user, kind, id, Action::EditDocument).await?;
    let same_version = version.is_none_or(|v| v == d.version);
    if d.status != DocStatus::Draft
        || !same_version
        || !db::save_draft(&mut tx, id, d.version, revision, sections).await?
    {
        return Ok(None);
    }
    let audit = AuditEvent::new(Action::EditDocument.code(), Outcome::Success)
        .on("document", id)
        .participant(d.facts.participant.participant_id)
        .detail(format!("version:{}", d.version));
    Ok(Some((tx, audit)))
}

/// Submits draft `id` of `kind` for approval unless `missing` (what its current text, given
/// as sections and read in the step's transaction, still needs: each a link to its field and a
/// Polish message) lists anything; then nothing changes and the list is returned for the kind
/// to show (`Ok(Err(missing))`). The flash says `message`.
pub async fn submit(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    missing: impl AsyncFnOnce(
        &mut PgConnection,
        &Locked,
        super::version::Sections,
    ) -> Result<crate::web::forms::FieldErrors>,
    message: &str,
) -> Result<std::result::Result<Response, crate::web::forms::FieldErrors>> {
    let (mut tx, d) = lock(state, user, kind, id, Action::SubmitDocument).await?;
    if d.status != DocStatus::Draft {
        return Err(Refusal::NotFromHere { from: d.status }.into());
    }
    let text = db::sections(&mut tx, id, d.version).await?;
    let missing = missing(&mut tx, &d, text).await?;
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    let audit = apply(&mut tx, user, &d, &Step::Submit).await?;
    Ok(Ok(finish(tx, user, audit, message, &kind.href(id)).await?))
}

/// Records on document `d` (locked, its policy checked) a step that leaves its status as it is
/// – a kind's own step, `code` in the history with `comment` – and returns its audit row as
/// `action` with `detail`, for the caller to record.
pub async fn note(
    tx: &mut PgConnection,
    user: &CurrentUser,
    d: &Locked,
    code: &'static str,
    comment: Option<&str>,
    action: Action,
    detail: String,
) -> Result<AuditEvent<'static>> {
    let event = Event {
        centre_id: user.centre_id,
        document_id: d.facts.document_id,
        version: d.version,
        step: code,
        from: d.status,
        to: d.status,
        comment,
        decided_by: user.user_id,
    };
    db::record_event(&mut *tx, &event).await?;
    Ok(AuditEvent::new(action.code(), Outcome::Success)
        .on("document", d.facts.document_id)
        .participant(d.facts.participant.participant_id)
        .detail(detail))
}
