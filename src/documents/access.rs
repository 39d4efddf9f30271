//! Reading a document of one kind: the policy first (404 outside the scope or when the id is
//! not a document of that kind in the centre, 403 audited otherwise), then the reads on one
//! connection, then their audit row. Every kind's pages, prints and downloads go through
//! [`read`]; its forms through [`found`].

use uuid::Uuid;

use super::db::{self, DocumentKind, Locked};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// What the shared pages and handlers need to know of a kind.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub kind: DocumentKind,
    /// Where its documents live: `/ipzs`, `/contracts`.
    pub base: &'static str,
    /// The stem of a downloaded file's name: `ipzs`, `kontrakt`.
    pub file_stem: &'static str,
    /// "programu", "kontraktu": whose scan, whose version.
    pub genitive: &'static str,
}

impl Kind {
    /// The document's page.
    pub fn href(&self, id: Uuid) -> String {
        format!("{}/{id}", self.base)
    }
}

/// Document `id` of `kind` once the policy allowed `action` (no audit of a success: the caller
/// records what it does).
pub async fn found(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    action: Action,
) -> Result<Locked> {
    let document = db::find(&state.db, user.centre_id, id, user.user_id)
        .await?
        .filter(|d| d.kind == kind.kind)
        .ok_or(AppError::NotFound)?;
    user.authorize(state, action, Target::Document(&document.facts))
        .await?;
    Ok(document)
}

/// Loads document `id` of `kind` for a read by `user`, asking the policy about `action`, runs
/// `read` and records its audit row with `detail` (what was read) once it succeeded.
pub async fn read<T>(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    action: Action,
    detail: &str,
    read: impl AsyncFnOnce(&mut sqlx::PgConnection, &Locked) -> Result<T>,
) -> Result<(Locked, T)> {
    let document = found(state, user, kind, id, action).await?;
    // The reads first, on one connection, then their audit row: a read that fails (an unknown
    // version or scan) leaves no row, and when the row cannot be written nothing is shown. No
    // transaction: two round trips fewer per page.
    let mut conn = state.db.acquire().await?;
    let value = read(&mut conn, &document).await?;
    audit::record_read(
        &mut *conn,
        &user.meta,
        AuditEvent::new(action.code(), Outcome::Success)
            .by(user.audit_actor())
            .on("document", id)
            .participant(document.facts.participant.participant_id)
            .detail(detail.to_owned()),
    )
    .await?;
    Ok((document, value))
}
