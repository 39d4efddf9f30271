//! The document engine's queries: creating a document with its first version, locking one for
//! a step (with the facts the policy needs), the guarded status change and the history row.
//! Every query takes the actor's centre: a document of another centre answers 404.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::version::Sections;
use super::workflow::DocStatus;
use crate::auth::policy::{DocumentFacts, ParticipantFacts};
use crate::domain::Status;
use crate::domain::effective::{Rules, effective_dated};
use time::Date;

pub use crate::domain::DocumentKind;

/// A document locked for a step.
#[derive(Debug, Clone, Copy)]
pub struct Locked {
    /// The policy's facts (scope, author).
    pub facts: DocumentFacts,
    /// What kind of document.
    pub kind: DocumentKind,
    /// Its status now.
    pub status: DocStatus,
    /// The version the step applies to.
    pub version: i32,
}

/// Creates a document in draft with its first version; returns its id.
pub async fn create(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
    kind: DocumentKind,
    author_id: Uuid,
    sections: &Sections,
) -> sqlx::Result<Uuid> {
    let id = sqlx::query_scalar!(
        r#"insert into document (centre_id, participant_id, kind, author_id)
           values ($1, $2, $3, $4) returning document_id"#,
        centre_id,
        participant_id,
        kind as DocumentKind,
        author_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        r#"insert into document_version (document_id, number, sections, created_by)
           values ($1, 1, $2, $3)"#,
        id,
        Json(sections) as _,
        author_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The facts of a document and its participant, as [`lock`] and [`find`] read them (`$tail`:
/// the lock, or nothing); the author is the current version's (an amendment's author may
/// differ from the first version's).
macro_rules! facts_query {
    ($tail:literal) => {
        concat!(
            "select d.document_id, d.kind, d.status, d.current_version, v.created_by as author_id, \
                    p.participant_id, p.social_worker_id, p.status as participant_status, \
                    exists (select 1 from workshop_membership m join workshop_instructor w using (workshop_id) \
                            where m.participant_id = p.participant_id and m.member_until is null \
                              and w.staff_user_id = $3) as in_workshop \
             from document d join participant p on p.participant_id = d.participant_id \
             join document_version v on v.document_id = d.document_id and v.number = d.current_version \
             where d.centre_id = $1 and d.document_id = $2",
            $tail
        )
    };
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    document_id: Uuid,
    kind: DocumentKind,
    status: DocStatus,
    current_version: i32,
    author_id: Uuid,
    participant_id: Uuid,
    social_worker_id: Option<Uuid>,
    participant_status: Status,
    in_workshop: bool,
}

impl From<FactsRow> for Locked {
    fn from(r: FactsRow) -> Self {
        Locked {
            facts: DocumentFacts {
                document_id: r.document_id,
                participant: ParticipantFacts {
                    participant_id: r.participant_id,
                    social_worker_id: r.social_worker_id,
                    status: r.participant_status,
                    in_actor_workshop: r.in_workshop,
                },
                author_id: r.author_id,
                kind: r.kind,
            },
            kind: r.kind,
            status: r.status,
            version: r.current_version,
        }
    }
}

/// Locks the document row for the rest of the transaction and returns its facts; `None` when
/// the id is not a document of the centre.
pub async fn lock(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<Locked>> {
    let row: Option<FactsRow> = sqlx::query_as(facts_query!(" for update of d"))
        .bind(centre_id)
        .bind(id)
        .bind(actor_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Locked::from))
}

/// The document's facts for a page (no lock); `None` outside the centre.
pub async fn find(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<Locked>> {
    let row: Option<FactsRow> = sqlx::query_as(facts_query!(""))
        .bind(centre_id)
        .bind(id)
        .bind(actor_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Locked::from))
}

/// Moves the document and its current version from `from` to `to` if the document is still
/// `from` (a guarded update); returns whether it did.
pub async fn move_status(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    from: DocStatus,
    to: DocStatus,
) -> sqlx::Result<bool> {
    let moved = sqlx::query!(
        "update document set status = $3 where document_id = $1 and status = $2",
        id,
        from as DocStatus,
        to as DocStatus
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved != 1 {
        return Ok(false);
    }
    sqlx::query!(
        "update document_version set status = $3 where document_id = $1 and number = $2",
        id,
        version,
        to as DocStatus
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// Closes the versions before `number` that were signed or running: an amendment signed
/// replaces them (their text stays; they show as replaced).
pub async fn supersede(conn: &mut PgConnection, id: Uuid, number: i32) -> sqlx::Result<()> {
    sqlx::query!(
        r#"update document_version set status = 'closed'
           where document_id = $1 and number < $2 and status in ('signed', 'in_realization')"#,
        id,
        number
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One step of the history, as recorded.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub centre_id: Uuid,
    pub document_id: Uuid,
    pub version: i32,
    pub step: &'a str,
    pub from: DocStatus,
    pub to: DocStatus,
    pub comment: Option<&'a str>,
    pub decided_by: Uuid,
}

/// Appends a row to the document's history.
pub async fn record_event(db: impl PgExecutor<'_>, e: &Event<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into document_event (document_id, centre_id, version, step, from_status, to_status, comment, decided_by, occurred_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())"#,
        e.document_id,
        e.centre_id,
        e.version,
        e.step,
        e.from as DocStatus,
        e.to as DocStatus,
        e.comment,
        e.decided_by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One stored version, as the pages show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredVersion {
    pub number: i32,
    pub based_on: Option<i32>,
    pub status: DocStatus,
    pub sections: Json<Sections>,
    /// Why an amendment was made.
    pub reason: Option<String>,
    /// Bumped by every save of a draft (optimistic concurrency).
    pub revision: i32,
    pub created_by_name: String,
    pub created_at: time::OffsetDateTime,
}

/// Every version of a document, oldest first.
pub async fn versions(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<StoredVersion>> {
    sqlx::query_as!(
        StoredVersion,
        r#"select v.number, v.based_on, v.status as "status: DocStatus",
                  v.sections as "sections: Json<Sections>", v.reason, v.revision,
                  s.full_name as created_by_name, v.created_at
           from document_version v join staff_user s on s.staff_user_id = v.created_by
           where v.document_id = $1 order by v.number"#,
        id
    )
    .fetch_all(db)
    .await
}

/// Saves the text of draft version `number` if nobody saved it since `revision` (and it is
/// still a draft); returns whether it did.
pub async fn save_draft(
    conn: &mut PgConnection,
    id: Uuid,
    number: i32,
    revision: i32,
    sections: &Sections,
) -> sqlx::Result<bool> {
    let saved = sqlx::query!(
        r#"update document_version set sections = $4, revision = revision + 1
           where document_id = $1 and number = $2 and revision = $3 and status = 'draft'"#,
        id,
        number,
        revision,
        Json(sections) as _
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if saved == 1 {
        sqlx::query!(
            "update document set updated_at = now() where document_id = $1",
            id
        )
        .execute(conn)
        .await?;
    }
    Ok(saved == 1)
}

/// Starts an amendment of a signed or running document: version `current + 1`, a draft with
/// the current text, based on it, with `reason`; the document goes back to draft. Returns the
/// new number, or `None` if the document was not signed or running any more.
pub async fn amend(
    conn: &mut PgConnection,
    id: Uuid,
    current: i32,
    reason: &str,
    by: Uuid,
) -> sqlx::Result<Option<i32>> {
    let moved = sqlx::query!(
        r#"update document set status = 'draft', current_version = $2 + 1
           where document_id = $1 and current_version = $2 and status in ('signed', 'in_realization')"#,
        id,
        current
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved != 1 {
        return Ok(None);
    }
    sqlx::query!(
        r#"insert into document_version (document_id, number, based_on, sections, reason, created_by)
           select document_id, number + 1, number, sections, $3, $4
           from document_version where document_id = $1 and number = $2"#,
        id,
        current,
        reason,
        by
    )
    .execute(conn)
    .await?;
    Ok(Some(current + 1))
}

/// The text of version `number` of document `id`.
pub async fn sections(conn: &mut PgConnection, id: Uuid, number: i32) -> sqlx::Result<Sections> {
    let text = sqlx::query_scalar!(
        r#"select sections as "sections: Json<Sections>" from document_version
           where document_id = $1 and number = $2"#,
        id,
        number
    )
    .fetch_one(conn)
    .await?;
    Ok(text.0)
}

/// When version `number` of document `id` was approved (the latest approval of it).
pub async fn approved_at(
    conn: &mut PgConnection,
    id: Uuid,
    number: i32,
) -> sqlx::Result<time::OffsetDateTime> {
    sqlx::query_scalar!(
        r#"select max(occurred_at) as "at!" from document_event
           where document_id = $1 and version = $2 and step = 'approve'"#,
        id,
        number
    )
    .fetch_one(conn)
    .await
}

/// One step of a document's history, as shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub version: i32,
    pub step: String,
    pub from_status: DocStatus,
    pub to_status: DocStatus,
    pub comment: Option<String>,
    pub decided_by_name: String,
    pub occurred_at: time::OffsetDateTime,
}

/// The document's history, newest first.
pub async fn history(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<HistoryRow>> {
    sqlx::query_as!(
        HistoryRow,
        r#"select e.version, e.step, e.from_status as "from_status: DocStatus",
                  e.to_status as "to_status: DocStatus", e.comment,
                  s.full_name as decided_by_name, e.occurred_at
           from document_event e join staff_user s on s.staff_user_id = e.decided_by
           where e.document_id = $1 order by e.occurred_at desc, e.document_event_id"#,
        id
    )
    .fetch_all(db)
    .await
}

/// One row of `monitoring_rule`.
#[derive(Debug, Clone)]
pub struct MonitoringRule {
    pub centre_id: Option<Uuid>,
    pub valid_from: Date,
    /// A monitoring entry is due at least this often.
    pub months: i32,
}

effective_dated!(MonitoringRule);

/// Loads the monitoring interval's rules of `centre_id` (a handful of rows): how often a
/// running document of any kind needs a monitoring entry.
pub async fn monitoring_rules(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
) -> sqlx::Result<Rules<MonitoringRule>> {
    let rows = sqlx::query_as!(
        MonitoringRule,
        "select centre_id, valid_from, months from monitoring_rule where centre_id = $1 or centre_id is null",
        centre_id
    )
    .fetch_all(db)
    .await?;
    Ok(Rules::new(rows))
}
