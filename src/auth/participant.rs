//! Getting to one participant on an actor's behalf, for every area that acts on one: the facts
//! the policy needs, loaded within the actor's centre (or with the row locked for a write), the
//! policy's answer (refusals audited: 404 outside the scope, 403 otherwise), and the audit row
//! of a successful read of the file. `participants::access` builds its file loading on this;
//! areas below `participants` (the follow-up) use it directly.

use sqlx::{PgConnection, PgExecutor, Postgres, Transaction};
use uuid::Uuid;

use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{self, Action, ParticipantFacts, Target};
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// The facts the policy needs about one participant, for `facts` and `lock`.
macro_rules! facts_query {
    ($tail:literal) => {
        concat!(
            "select p.participant_id, p.social_worker_id, p.status, \
                    exists (select 1 from workshop_membership m join workshop_instructor w using (workshop_id) \
                            where m.participant_id = p.participant_id and m.member_until is null \
                              and w.staff_user_id = $3) as in_actor_workshop \
             from participant p where p.centre_id = $1 and p.participant_id = $2",
            $tail
        )
    };
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    participant_id: Uuid,
    social_worker_id: Option<Uuid>,
    status: Status,
    in_actor_workshop: bool,
}

impl From<FactsRow> for ParticipantFacts {
    fn from(r: FactsRow) -> Self {
        ParticipantFacts {
            participant_id: r.participant_id,
            social_worker_id: r.social_worker_id,
            status: r.status,
            in_actor_workshop: r.in_actor_workshop,
        }
    }
}

/// Loads the facts the policy needs; `None` when the id is not a participant of the centre.
pub async fn facts(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<ParticipantFacts>> {
    let row: Option<FactsRow> = sqlx::query_as(facts_query!(""))
        .bind(centre_id)
        .bind(id)
        .bind(actor_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Into::into))
}

/// Locks the participant row for the rest of the transaction and returns its facts (one
/// statement: `for update of p` locks only the participant row).
pub async fn lock(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<ParticipantFacts>> {
    let row: Option<FactsRow> = sqlx::query_as(facts_query!(" for update of p"))
        .bind(centre_id)
        .bind(id)
        .bind(actor_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Into::into))
}

/// The participant's facts, once the policy has allowed `action` on them.
pub async fn authorized(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<ParticipantFacts> {
    let facts = facts(&state.db, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    user.authorize(state, action, Target::Participant(&facts))
        .await?;
    Ok(facts)
}

/// Begins a write on one participant: locks the row and asks the policy. A refusal ends the
/// transaction before it is audited on a fresh connection, so a request never holds two
/// connections while it waits for the pool.
pub async fn lock_authorized(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<(Transaction<'static, Postgres>, ParticipantFacts)> {
    let mut tx = state.db.begin().await?;
    let facts = lock(&mut tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = Target::Participant(&facts);
    if let Err(refusal) = policy::check(user.actor(), action, target) {
        drop(tx);
        return Err(user.refused(state, action, target, refusal).await);
    }
    Ok((tx, facts))
}

/// The audit row of a successful read of `id`'s file.
pub fn view_event(user: &CurrentUser, id: Uuid) -> AuditEvent<'static> {
    AuditEvent::new(Action::ViewParticipant.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id)
}

/// The success event of `action` on participant `id`.
pub fn done(action: Action, id: Uuid) -> AuditEvent<'static> {
    AuditEvent::new(action.code(), Outcome::Success).on("participant", id)
}
