//! The append-only audit log (`audit_event`).
//!
//! Rows are written with the same executor as the change they describe, so a rolled-back change
//! leaves no audit row and a failed audit insert rolls the change back. The application role may
//! only insert (screens read through SECURITY DEFINER functions); a trigger refuses UPDATE,
//! DELETE and TRUNCATE for everyone.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

pub mod labels;
pub mod meta;
pub mod seal;

use crate::domain::Role;
use meta::RequestMeta;

/// How an audited attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Success,
    /// Tried and failed (wrong password, validation).
    Failure,
    /// Refused by the policy, the rate limit or the CSRF check.
    Denied,
}

impl Outcome {
    fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// Who acted, when someone is signed in.
#[derive(Clone, Copy, Debug)]
pub struct AuditActor {
    /// Staff account id.
    pub user_id: Uuid,
    /// Role at the time of the event.
    pub role: Role,
    /// The actor's centre.
    pub centre_id: Uuid,
}

/// One audit row.
#[derive(Clone, Debug)]
pub struct AuditEvent<'a> {
    /// Stable dotted name, e.g. `login.failure`, `staff.create`.
    pub action: &'a str,
    /// How it ended.
    pub outcome: Outcome,
    /// The signed-in actor, if any.
    pub actor: Option<AuditActor>,
    /// The kind of object acted on, e.g. `staff_user`.
    pub object_type: Option<&'a str>,
    /// The object's id.
    pub object_id: Option<Uuid>,
    /// The participant whose file was touched, when there is one.
    pub participant_id: Option<Uuid>,
    /// Short machine-readable detail (never personal data beyond ids).
    pub detail: Option<String>,
    /// The centre, when no one signed in acts (a scheduled job); otherwise the actor's.
    pub centre_id: Option<Uuid>,
}

impl<'a> AuditEvent<'a> {
    /// An event with only the action and outcome set.
    pub fn new(action: &'a str, outcome: Outcome) -> Self {
        Self {
            action,
            outcome,
            actor: None,
            object_type: None,
            object_id: None,
            participant_id: None,
            detail: None,
            centre_id: None,
        }
    }

    /// Sets the centre of an event no signed-in actor caused (a scheduled job's).
    pub fn centre(mut self, centre_id: Uuid) -> Self {
        self.centre_id = Some(centre_id);
        self
    }

    /// Sets the actor.
    pub fn by(mut self, actor: AuditActor) -> Self {
        self.actor = Some(actor);
        self
    }

    /// Sets the object.
    pub fn on(mut self, object_type: &'a str, object_id: Uuid) -> Self {
        self.object_type = Some(object_type);
        self.object_id = Some(object_id);
        self
    }

    /// Sets the participant.
    pub fn participant(mut self, participant_id: Uuid) -> Self {
        self.participant_id = Some(participant_id);
        self
    }

    /// Sets the detail.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Whether a statement that writes an audit row waits for it to reach the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commit {
    /// Changes to data, refusals, logins: the commit waits for the write-ahead log.
    Synchronous,
    /// Reads (a file opened, a search made): see [`record_read`].
    Asynchronous,
}

/// Appends one row (in the caller's transaction, when it passes one).
pub async fn record(
    db: impl PgExecutor<'_>,
    meta: &RequestMeta,
    event: AuditEvent<'_>,
) -> sqlx::Result<()> {
    let mut q = QueryBuilder::new("");
    push_insert(&mut q, meta, event, Commit::Synchronous);
    q.build().execute(db).await?;
    Ok(())
}

/// Appends the row of a read (a file opened, a search made) without making the read wait for
/// the write-ahead log to reach the disk: the statement sets `synchronous_commit = off` for its
/// own transaction (the one it runs in, or its implicit one). The row is still written before
/// anything is shown and commits with the read, so a read whose row cannot be written shows
/// nothing; what is traded is durability in one case only: if PostgreSQL itself crashes within
/// a fraction of a second after the commit (three times `wal_writer_delay`, 0.6 s by default),
/// the row of that read may be lost. Changes to data keep synchronous commit (README, security
/// notes). Pages that read in one statement write the row in that statement with
/// [`push_read`] instead.
pub async fn record_read(
    db: impl PgExecutor<'_>,
    meta: &RequestMeta,
    event: AuditEvent<'_>,
) -> sqlx::Result<()> {
    let mut q = QueryBuilder::new("");
    push_insert(&mut q, meta, event, Commit::Asynchronous);
    q.build().execute(db).await?;
    Ok(())
}

/// Starts a read's statement with `with read_audit as (<insert>)`: the read's audit row is
/// written by the same statement (one implicit transaction: if the row cannot be written,
/// nothing is read), with the commit of [`record_read`]. The caller writes the read after it.
pub fn push_read<'a>(
    q: &mut QueryBuilder<'a, Postgres>,
    meta: &'a RequestMeta,
    event: AuditEvent<'a>,
) {
    push_read_where(q, meta, event, |q| {
        q.push("true");
    });
}

/// [`push_read`] for a read that happens only when `condition` (SQL the caller writes) holds:
/// the row is written only then, so a read that returns nothing leaves no success behind.
pub fn push_read_where<'a>(
    q: &mut QueryBuilder<'a, Postgres>,
    meta: &'a RequestMeta,
    event: AuditEvent<'a>,
    condition: impl FnOnce(&mut QueryBuilder<'a, Postgres>),
) {
    q.push("with read_audit as (");
    push_insert(q, meta, event, Commit::Asynchronous);
    q.push(" where ");
    condition(q);
    q.push(" returning 1) ");
}

/// Starts a write's closing statement with `with write_audit as (<insert>)`: the change's
/// audit row rides on the statement the caller appends (e.g. the flash of [`crate::web::finish`]),
/// in the caller's transaction, with synchronous commit like [`record`].
pub fn push_write<'a>(
    q: &mut QueryBuilder<'a, Postgres>,
    meta: &'a RequestMeta,
    event: AuditEvent<'a>,
) {
    q.push("with write_audit as (");
    push_insert(q, meta, event, Commit::Synchronous);
    q.push(" returning 1) ");
}

/// `insert into audit_event … select …`: the one place the audit row's columns are written.
fn push_insert<'a>(
    q: &mut QueryBuilder<'a, Postgres>,
    meta: &'a RequestMeta,
    event: AuditEvent<'a>,
    commit: Commit,
) {
    q.push(
        "insert into audit_event (actor_id, actor_role, centre_id, action, object_type, \
         object_id, participant_id, request_id, client_ip, outcome, detail) select ",
    );
    let mut values = q.separated(", ");
    values
        .push_bind(event.actor.map(|a| a.user_id))
        .push_unseparated("::uuid")
        .push_bind(event.actor.map(|a| a.role))
        .push_unseparated("::staff_role")
        .push_bind(event.actor.map(|a| a.centre_id).or(event.centre_id))
        .push_unseparated("::uuid")
        .push_bind(event.action)
        .push_bind(event.object_type)
        .push_bind(event.object_id)
        .push_unseparated("::uuid")
        .push_bind(event.participant_id)
        .push_unseparated("::uuid")
        .push_bind(meta.request_id.as_str())
        .push_bind(meta.client_ip.map(ipnet::IpNet::from))
        .push_unseparated("::inet")
        .push_bind(event.outcome.code())
        .push_bind(event.detail);
    // The commit mode rides on the statement itself (no extra round trip): `set_config(…, true)`
    // lasts until the end of the statement's transaction.
    q.push(match commit {
        // Explicitly on: a read earlier in the same transaction may have turned it off.
        Commit::Synchronous => {
            " from (select set_config('synchronous_commit', 'on', true)) as commit_mode"
        }
        Commit::Asynchronous => {
            " from (select set_config('synchronous_commit', 'off', true)) as commit_mode"
        }
    });
}
