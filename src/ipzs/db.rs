//! The IPZS's own queries (the engine's tables are `documents::db`'s): which programme a
//! participant has, the participant's header, the monitoring entries and when one is due.
//! Every query takes the actor's centre.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::documents::db::DocumentKind;
use crate::documents::workflow::DocStatus;
use crate::domain::vocabulary;

/// A participant's programmes, newest first: (document, status).
pub async fn programmes_of(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<(Uuid, DocStatus)>> {
    let rows = sqlx::query!(
        r#"select document_id, status as "status: DocStatus" from document
           where centre_id = $1 and participant_id = $2 and kind = 'ipzs'
           order by created_at desc"#,
        centre_id,
        participant_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.document_id, r.status))
        .collect())
}

pub use crate::documents::view::{Header, header};

/// Starts a programme: the document in draft with its first version.
pub async fn create(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
    author_id: Uuid,
    sections: &crate::documents::version::Sections,
) -> sqlx::Result<Uuid> {
    crate::documents::db::create(
        conn,
        centre_id,
        participant_id,
        DocumentKind::Ipzs,
        author_id,
        sections,
    )
    .await
}

vocabulary! {
    /// When in the programme a monitoring entry was made (seed 002).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "monitoring_phase", rename_all = "snake_case")]
    pub enum Phase {
        /// Na początku: the situation at the start.
        Start = ("start", "Na początku realizacji"),
        /// W trakcie.
        During = ("during", "W trakcie realizacji"),
        /// Na zakończenie: the final evaluation.
        End = ("end", "Ocena końcowa"),
    }
}

vocabulary! {
    /// How a goal is progressing.
    pub enum Assessment {
        /// Zbliża się do celu.
        Approaching = ("approaching", "zbliża się do celu"),
        /// Nie zbliża się do celu.
        NotApproaching = ("not_approaching", "nie zbliża się do celu"),
        /// Cel zmieniony.
        Changed = ("changed", "cel zmieniony"),
    }
}

/// One goal's assessment in a monitoring entry, as stored.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GoalAssessment {
    /// The goal's key in the version (`goal.2`).
    pub goal: String,
    /// The goal's text when assessed.
    pub text: String,
    /// An [`Assessment`] code.
    pub assessment: String,
    pub comment: String,
}

/// One monitoring entry, as shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub version: i32,
    pub phase: Phase,
    pub entry_on: Date,
    pub situation: String,
    pub goals: Json<Vec<GoalAssessment>>,
    pub author_name: String,
    pub created_at: OffsetDateTime,
}

/// A new monitoring entry.
pub struct NewEntry<'a> {
    pub centre_id: Uuid,
    pub document_id: Uuid,
    pub version: i32,
    pub phase: Phase,
    pub entry_on: Date,
    pub situation: &'a str,
    pub goals: &'a [GoalAssessment],
    pub author_id: Uuid,
}

/// Appends a monitoring entry.
pub async fn add_entry(db: impl PgExecutor<'_>, e: &NewEntry<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into document_monitoring (document_id, centre_id, version, phase, entry_on, situation, goals, author_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        e.document_id,
        e.centre_id,
        e.version,
        e.phase as Phase,
        e.entry_on,
        e.situation,
        Json(e.goals) as _,
        e.author_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A programme's monitoring entries, newest first.
pub async fn entries(db: impl PgExecutor<'_>, document_id: Uuid) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select e.version, e.phase as "phase: Phase", e.entry_on, e.situation,
                  e.goals as "goals: Json<Vec<GoalAssessment>>", s.full_name as author_name, e.created_at
           from document_monitoring e join staff_user s on s.staff_user_id = e.author_id
           where e.document_id = $1 order by e.entry_on desc, e.created_at desc"#,
        document_id
    )
    .fetch_all(db)
    .await
}

pub use crate::documents::db::{MonitoringRule, monitoring_rules};
