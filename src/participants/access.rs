//! How a participant handler gets to a participant: loaded within the actor's centre, asked of
//! the policy (refusals audited: 404 outside the scope, 403 otherwise), and, for a write,
//! locked for the rest of the transaction. Also the end of every successful write on a file.

use axum::response::Response;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use super::db;
use super::record::Record;
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{self, Action, ParticipantFacts, Target};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::finish;

/// A transaction holding the participant's row lock.
pub type Tx = Transaction<'static, Postgres>;

/// The participant's facts, once the policy has allowed `action` on them.
pub async fn authorized(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<ParticipantFacts> {
    let facts = db::facts(&state.db, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    user.authorize(state, action, Target::Participant(&facts))
        .await?;
    Ok(facts)
}

/// Loads the participant for a form (a GET): the policy's answer on `action`, then the record.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<Record> {
    authorized(state, user, id, action).await?;
    db::find(&state.db, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Begins a write on one participant: locks the row, asks the policy, loads the record. A
/// refusal ends the transaction before it is audited on a fresh connection, so a request never
/// holds two connections while it waits for the pool.
pub async fn lock(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<(Tx, Record)> {
    let mut tx = state.db.begin().await?;
    let facts = db::lock(&mut tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = Target::Participant(&facts);
    if let Err(refusal) = policy::check(user.actor(), action, target) {
        drop(tx);
        return Err(user.refused(state, action, target, refusal).await);
    }
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((tx, record))
}

/// Reads the whole record for an editor's screen (the edit form, the conflict page), writing
/// the view's audit row first in the same transaction, like the file page does.
pub async fn read_audited(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    screen: &str,
) -> Result<Record> {
    let mut tx = state.db.begin().await?;
    audit::record_read(
        &mut *tx,
        &user.meta,
        view_event(user, id).detail(screen.to_owned()),
    )
    .await?;
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(record)
}

/// The audit row of a successful read of `id`'s file.
pub fn view_event(user: &CurrentUser, id: Uuid) -> AuditEvent<'static> {
    AuditEvent::new(Action::ViewParticipant.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id)
}

/// Ends a successful write on a participant's file: the audit row (`action` on `id`, with
/// `detail`), the flash message, commit, and back to the file.
pub async fn finish(
    tx: Tx,
    user: &CurrentUser,
    id: Uuid,
    event: AuditEvent<'_>,
    message: &str,
) -> Result<Response> {
    let event = event.participant(id);
    finish::finish(tx, user, event, message, &format!("/participants/{id}")).await
}

/// The success event of `action` on participant `id`.
pub fn done(action: Action, id: Uuid) -> AuditEvent<'static> {
    AuditEvent::new(action.code(), Outcome::Success).on("participant", id)
}
