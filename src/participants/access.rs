//! How a participant handler gets to a participant: loaded within the actor's centre, asked of
//! the policy (refusals audited: 404 outside the scope, 403 otherwise), and, for a write,
//! locked for the rest of the transaction. Also the end of every successful write on a file.

use axum::response::Response;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use super::db;
use super::record::Record;
use crate::audit::{self, AuditEvent};
use crate::auth::participant;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::finish;

/// A transaction holding the participant's row lock.
pub type Tx = Transaction<'static, Postgres>;

pub use crate::auth::participant::{authorized, done, view_event};

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
    let (mut tx, _) = participant::lock_authorized(state, user, id, action).await?;
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
