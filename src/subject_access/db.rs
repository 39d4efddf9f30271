//! The reads of the export that no area had for one person's whole history: the person's
//! documents, every attendance day and correction, every benefit statement, correction and
//! bonus decision. One statement each, in the caller's transaction; every query takes the
//! centre. The rest of the export comes from the areas' own reads (`read`).

use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::documents::workflow::DocStatus;
use crate::domain::DocumentKind;

/// One of the person's approvable documents.
pub struct DocumentRow {
    pub document_id: Uuid,
    pub kind: DocumentKind,
    pub status: DocStatus,
}

/// The person's IPZS and social contracts, oldest first.
pub async fn documents(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as!(
        DocumentRow,
        r#"select document_id, kind as "kind: DocumentKind", status as "status: DocStatus"
           from document where centre_id = $1 and participant_id = $2
           order by created_at, document_id"#,
        centre_id,
        participant_id
    )
    .fetch_all(conn)
    .await
}

/// One day of attendance as recorded.
pub struct DayRow {
    pub day: Date,
    pub status: i8,
    pub minutes: i16,
    pub reason: Option<String>,
    pub workshop: Option<String>,
}

/// Every recorded day, oldest first.
pub async fn attendance(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<DayRow>> {
    sqlx::query_as!(
        DayRow,
        r#"select a.day, a.status, a.minutes, coalesce(r.name, a.reason) as reason,
                  w.name as "workshop?"
           from attendance a
           left join absence_reason r on r.code = a.reason
           left join workshop w on w.workshop_id = a.workshop_id
           where a.centre_id = $1 and a.participant_id = $2
           order by a.day"#,
        centre_id,
        participant_id
    )
    .fetch_all(conn)
    .await
}

/// A correction of a recorded day.
pub struct DayChange {
    pub day: Date,
    pub old_status: Option<i8>,
    pub old_minutes: Option<i16>,
    pub new_status: i8,
    pub new_minutes: i16,
    pub reason: String,
    pub changed_by: String,
    pub changed_at: OffsetDateTime,
}

/// Every correction of the person's attendance, oldest first.
pub async fn attendance_changes(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<DayChange>> {
    sqlx::query_as!(
        DayChange,
        r#"select c.day, c.old_status, c.old_minutes, c.new_status, c.new_minutes, c.reason,
                  u.full_name as changed_by, c.changed_at
           from attendance_change c join staff_user u on u.staff_user_id = c.changed_by
           where c.centre_id = $1 and c.participant_id = $2
           order by c.changed_at, c.attendance_change_id"#,
        centre_id,
        participant_id
    )
    .fetch_all(conn)
    .await
}

/// A month's statement (its latest revision).
pub struct StatementRow {
    pub month: Date,
    pub revision: i32,
    pub benefit_grosze: i32,
    pub bonus_grosze: i32,
}

/// The latest statement of every month, oldest first.
pub async fn statements(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<StatementRow>> {
    sqlx::query_as!(
        StatementRow,
        r#"select distinct on (month) month, revision, benefit_grosze, bonus_grosze
           from benefit_statement where centre_id = $1 and participant_id = $2
           order by month, revision desc"#,
        centre_id,
        participant_id
    )
    .fetch_all(conn)
    .await
}

/// A correction of a closed month.
pub struct CorrectionRow {
    pub month: Date,
    pub benefit_diff_grosze: i32,
    pub bonus_diff_grosze: i32,
    pub reason: String,
    pub created_at: OffsetDateTime,
}

/// Every benefit correction, oldest first.
pub async fn corrections(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<CorrectionRow>> {
    sqlx::query_as!(
        CorrectionRow,
        r#"select month, benefit_diff_grosze, bonus_diff_grosze, reason, created_at
           from benefit_correction where centre_id = $1 and participant_id = $2
           order by created_at, benefit_correction_id"#,
        centre_id,
        participant_id
    )
    .fetch_all(conn)
    .await
}

/// A bonus decision.
pub struct BonusRow {
    pub month: Date,
    pub amount_grosze: i32,
    pub granted: bool,
    pub justification: String,
    pub decided_by: String,
    pub decided_at: OffsetDateTime,
}

/// Every bonus decision, oldest first.
pub async fn bonuses(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<BonusRow>> {
    sqlx::query_as!(
        BonusRow,
        r#"select b.month, b.amount_grosze, b.granted, b.justification,
                  u.full_name as decided_by, b.decided_at
           from bonus_decision b join staff_user u on u.staff_user_id = b.decided_by
           where b.centre_id = $1 and b.participant_id = $2
           order by b.month, b.decided_at"#,
        centre_id,
        participant_id
    )
    .fetch_all(conn)
    .await
}
