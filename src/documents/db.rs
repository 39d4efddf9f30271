//! The document engine's queries: creating a document with its first version, locking one for
//! a step (with the facts the policy needs), the guarded status change and the history row.
//! Every query takes the actor's centre: a document of another centre answers 404.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::version::Sections;
use super::workflow::DocStatus;
use crate::auth::policy::{DocumentFacts, ParticipantFacts};
use crate::domain::{Status, vocabulary};

vocabulary! {
    /// The kinds of approvable documents.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "document_kind", rename_all = "snake_case")]
    pub enum DocumentKind {
        /// Indywidualny program zatrudnienia socjalnego.
        Ipzs = ("ipzs", "Indywidualny program zatrudnienia socjalnego (IPZS)"),
        /// Kontrakt socjalny.
        SocialContract = ("social_contract", "Kontrakt socjalny"),
    }
}

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

/// Locks the document row for the rest of the transaction and returns its facts; `None` when
/// the id is not a document of the centre.
pub async fn lock(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<Locked>> {
    let row = sqlx::query!(
        r#"
        select d.document_id, d.kind as "kind: DocumentKind", d.status as "status: DocStatus",
               d.current_version, d.author_id,
               p.participant_id, p.social_worker_id, p.status as "participant_status: Status",
               exists (select 1 from workshop_membership m join workshop w using (workshop_id)
                       where m.participant_id = p.participant_id and m.member_until is null
                         and w.instructor_id = $3) as "in_workshop!"
        from document d join participant p on p.participant_id = d.participant_id
        where d.centre_id = $1 and d.document_id = $2
        for update of d
        "#,
        centre_id,
        id,
        actor_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Locked {
        facts: DocumentFacts {
            document_id: r.document_id,
            participant: ParticipantFacts {
                participant_id: r.participant_id,
                social_worker_id: r.social_worker_id,
                status: r.participant_status,
                in_actor_workshop: r.in_workshop,
            },
            author_id: r.author_id,
        },
        kind: r.kind,
        status: r.status,
        version: r.current_version,
    }))
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
        r#"insert into document_event (document_id, centre_id, version, step, from_status, to_status, comment, decided_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
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
