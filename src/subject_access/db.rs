//! The reads of the export that no area had for one person's whole history: the person's
//! attendance days, every benefit statement, correction and bonus decision.
//! One statement each, in the caller's transaction; every query takes the centre. The rest of
//! the export comes from the areas' own reads (`read`, `documents`).

use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

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
