//! The reads of the file page beyond the record: status history, extension decisions,
//! recruitment documents and "who viewed this file".

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{Role, Status};
use crate::participants::model::DocumentKind;

/// One row of the status history.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub changed_on: Date,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub recorded_at: OffsetDateTime,
}

/// The status history, oldest first.
pub async fn history(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<StatusChange>> {
    sqlx::query_as!(
        StatusChange,
        r#"
        select c.from_status as "from_status: Status", c.to_status as "to_status: Status", c.changed_on, c.reason,
               u.full_name as "decided_by?", c.recorded_at
        from participant_status_change c left join staff_user u on u.staff_user_id = c.decided_by
        where c.participant_id = $1
        order by c.recorded_at, c.participant_status_change_id
        "#,
        id
    )
    .fetch_all(db)
    .await
}

/// One extension decision.
#[derive(Debug, Clone)]
pub struct Extension {
    pub decided_on: Date,
    pub decided_by: String,
    pub reason: String,
    pub previous_end_on: Date,
    pub new_end_on: Date,
}

/// Extension decisions, oldest first.
pub async fn extensions(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Extension>> {
    sqlx::query_as!(
        Extension,
        r#"
        select e.decided_on, u.full_name as decided_by, e.reason, e.previous_end_on, e.new_end_on
        from participation_extension e join staff_user u on u.staff_user_id = e.decided_by
        where e.participant_id = $1
        order by e.recorded_at
        "#,
        id
    )
    .fetch_all(db)
    .await
}

/// One recruitment document.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocumentKind,
    pub document_date: Date,
    pub content: String,
    pub author: String,
}

/// The recruitment documents, by kind and date.
pub async fn documents(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Document>> {
    sqlx::query_as!(
        Document,
        r#"
        select d.kind as "kind: DocumentKind", d.document_date, d.content, u.full_name as author
        from recruitment_document d join staff_user u on u.staff_user_id = d.author_id
        where d.participant_id = $1
        order by d.kind, d.document_date, d.created_at
        "#,
        id
    )
    .fetch_all(db)
    .await
}

/// One line of "who viewed this file".
#[derive(Debug, Clone)]
pub struct View {
    pub occurred_at: OffsetDateTime,
    pub viewer: Option<String>,
    pub role: Option<Role>,
    pub detail: Option<String>,
}

/// The latest views of the file, through `participant_file_views` (the app role cannot read
/// the audit log directly).
pub async fn views(db: impl PgExecutor<'_>, centre_id: Uuid, id: Uuid) -> sqlx::Result<Vec<View>> {
    sqlx::query_as!(
        View,
        r#"select occurred_at as "occurred_at!", viewer, actor_role as "role: Role", detail
           from participant_file_views($1, $2)"#,
        id,
        centre_id
    )
    .fetch_all(db)
    .await
}
