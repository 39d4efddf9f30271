//! The end of every successful write (Post/Redirect/Get): the audit row goes into the same
//! transaction as the change, the flash message is left for the next page, the transaction
//! commits, and the browser is sent (303) to the page where the result shows.

use axum::response::{IntoResponse, Redirect, Response};
use sqlx::{Postgres, QueryBuilder, Transaction};

use crate::audit::{self, AuditEvent};
use crate::auth::session::{self, CurrentUser};
use crate::error::Result;

/// Appends `event` (by `user`), leaves `message` as a success flash, commits `tx` and redirects
/// to `to`.
pub async fn finish(
    mut tx: Transaction<'static, Postgres>,
    user: &CurrentUser,
    event: AuditEvent<'_>,
    message: &str,
    to: &str,
) -> Result<Response> {
    // The audit row and the flash in one statement (one round trip fewer on every write).
    let mut q = QueryBuilder::<Postgres>::new("");
    audit::push_write(&mut q, &user.meta, event.by(user.audit_actor()));
    session::push_set_flash(&mut q, &user.session_hash, "success", message);
    q.build().execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Redirect::to(to).into_response())
}
