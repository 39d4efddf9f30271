//! The writes of the lifecycle: status changes as guarded updates (zero rows means the status
//! changed under us), the history row, extensions, the caseload, workshop placement and the
//! recruitment documents. Each runs inside the caller's transaction.

use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

use crate::domain::Status;
use crate::participants::model::{
    ContractType, DocumentKind, GraduationOutcome, TerminationReason,
};
use crate::participants::rules::Period;
use crate::participants::transition::{Extension, Transition};

/// Applies `transition` if the participant is still `from` (a guarded update); returns whether
/// it did. Ending participation ends the workshop placement too (and the instructor's view).
pub async fn apply_transition(
    conn: &mut PgConnection,
    id: Uuid,
    from: Status,
    transition: &Transition,
    period: Option<Period>,
) -> sqlx::Result<bool> {
    let updated = match transition {
        Transition::Admit { on, ops_agreement } => {
            // `check` computes the period of every admission; without one, nothing is written.
            let Some(period) = period else {
                return Ok(false);
            };
            sqlx::query!(
            r#"update participant
               set status = 'trial', admitted_on = $3, ops_agreement_name = $4, ops_agreement_date = $5,
                   trial_ends_on = $6, planned_end_on = $7, cap_end_on = $8, version = version + 1
               where participant_id = $1 and status = $2"#,
            id,
            from as Status,
            on,
            ops_agreement.name,
            ops_agreement.on,
            period.trial_ends_on,
            period.planned_end_on,
            period.cap_end_on
            )
            .execute(&mut *conn)
            .await?
        }
        Transition::Graduate { on, graduation } => sqlx::query!(
            r#"update participant
               set status = 'graduate', ended_on = $3, graduation_outcome = $4, employment_contract = $5, version = version + 1
               where participant_id = $1 and status = $2"#,
            id,
            from as Status,
            on,
            graduation.outcome() as GraduationOutcome,
            graduation.contract() as Option<ContractType>
        )
        .execute(&mut *conn)
        .await?,
        Transition::Terminate { on, reason } => sqlx::query!(
            r#"update participant
               set status = 'terminated', ended_on = $3, termination_reason = $4, version = version + 1
               where participant_id = $1 and status = $2"#,
            id,
            from as Status,
            on,
            *reason as TerminationReason
        )
        .execute(&mut *conn)
        .await?,
        // The reserve list and the end of the trial change the status only.
        Transition::Reserve { .. } | Transition::Confirm { .. } => sqlx::query!(
            "update participant set status = $3, version = version + 1 where participant_id = $1 and status = $2",
            id,
            from as Status,
            transition.target() as Status
        )
        .execute(&mut *conn)
        .await?,
    };
    if updated.rows_affected() != 1 {
        return Ok(false);
    }
    if transition.target().has_ended() {
        sqlx::query!(
            "update workshop_membership set member_until = greatest(member_from, $2) where participant_id = $1 and member_until is null",
            id,
            transition.on()
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// A row of the status history.
#[derive(Debug, Clone)]
pub struct StatusRecord {
    pub centre_id: Uuid,
    pub participant_id: Uuid,
    pub from: Option<Status>,
    pub to: Status,
    pub on: Date,
    pub reason: Option<String>,
    pub decided_by: Uuid,
}

/// Appends a row to the status history.
pub async fn record_status(db: impl PgExecutor<'_>, r: &StatusRecord) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into participant_status_change (participant_id, centre_id, from_status, to_status, changed_on, reason, decided_by)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
        r.participant_id,
        r.centre_id,
        r.from as Option<Status>,
        r.to as Status,
        r.on,
        r.reason,
        r.decided_by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Moves the planned end from `current_end` to `new_end` (guarded: zero rows means it moved
/// meanwhile) and records the decision; returns whether it did.
pub async fn extend(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    current_end: Date,
    extension: &Extension,
    reason: &str,
    decided_by: Uuid,
) -> sqlx::Result<bool> {
    let Extension {
        decided_on,
        new_end,
    } = *extension;
    let updated = sqlx::query!(
        r#"update participant set planned_end_on = $2, version = version + 1
           where participant_id = $1 and planned_end_on = $3 and status in ('trial', 'participant')"#,
        id,
        new_end,
        current_end
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated != 1 {
        return Ok(false);
    }
    sqlx::query!(
        r#"insert into participation_extension (participant_id, centre_id, decided_on, decided_by, reason, previous_end_on, new_end_on)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
        id,
        centre_id,
        decided_on,
        decided_by,
        reason,
        current_end,
        new_end
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// Assigns `worker` to the participants `ids` of the centre (one or many), with a history row
/// for each whose social worker changes, in one statement; the rows the change touched (the
/// participant and the social worker before), for their audit rows. The caller holds the
/// participants' row locks, so "before" is what the change replaces.
pub async fn assign_social_worker(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    ids: &[Uuid],
    worker: Uuid,
    decided_by: Uuid,
) -> sqlx::Result<Vec<(Uuid, Option<Uuid>)>> {
    sqlx::query_as(
        "with before as (
             select participant_id, social_worker_id from participant
             where participant_id = any($1) and centre_id = $2 and social_worker_id is distinct from $3
         ), changed as (
             update participant p set social_worker_id = $3, version = p.version + 1
             from before b where p.participant_id = b.participant_id
             returning p.participant_id
         ), history as (
             insert into social_worker_change (participant_id, centre_id, from_worker, to_worker, changed_by)
             select b.participant_id, $2, b.social_worker_id, $3, $4
             from before b join changed c using (participant_id)
         )
         select b.participant_id, b.social_worker_id from before b join changed c using (participant_id)",
    )
    .bind(ids.to_vec())
    .bind(centre_id)
    .bind(worker)
    .bind(decided_by)
    .fetch_all(db)
    .await
}

/// Forgets the work count kept with the sessions of `users` (their work lists changed: a
/// caseload moved to or from them), so their navigation does not show a stale count.
pub async fn forget_work_counts(db: impl PgExecutor<'_>, users: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query(
        "update session set work_count = null where user_id = any($1) and work_count is not null",
    )
    .bind(users.to_vec())
    .execute(db)
    .await?;
    Ok(())
}

/// The open workshop placement.
#[derive(Debug, Clone, Copy)]
pub struct Membership {
    pub workshop_membership_id: Uuid,
    pub workshop_id: Uuid,
    pub member_from: Date,
}

/// The participant's open workshop placement, if any.
pub async fn current_membership(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<Membership>> {
    sqlx::query_as!(
        Membership,
        "select workshop_membership_id, workshop_id, member_from from workshop_membership where participant_id = $1 and member_until is null",
        id
    )
    .fetch_optional(db)
    .await
}

/// Ends the open placement (the day before `from`, or on its first day) and opens one in
/// `workshop`, if given, from `from`. A move on the open placement's first day corrects that
/// placement instead: a person is never in two workshops on one day (attendance is one entry
/// per person and day).
pub async fn move_to_workshop(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    current: Option<Membership>,
    workshop: Option<Uuid>,
    from: Date,
) -> sqlx::Result<()> {
    if let (Some(c), Some(workshop)) = (current, workshop)
        && from <= c.member_from
    {
        sqlx::query!(
            "update workshop_membership set workshop_id = $2 where workshop_membership_id = $1",
            c.workshop_membership_id,
            workshop
        )
        .execute(&mut *conn)
        .await?;
        return Ok(());
    }
    if let Some(c) = current {
        let until = (from - time::Duration::days(1)).max(c.member_from);
        sqlx::query!(
            "update workshop_membership set member_until = $2 where workshop_membership_id = $1",
            c.workshop_membership_id,
            until
        )
        .execute(&mut *conn)
        .await?;
    }
    if let Some(workshop) = workshop {
        sqlx::query!(
            "insert into workshop_membership (workshop_id, participant_id, centre_id, member_from) values ($1, $2, $3, $4)",
            workshop,
            id,
            centre_id,
            from
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Adds a document to the recruitment file; returns its id.
pub async fn add_document(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    kind: DocumentKind,
    date: Date,
    content: &str,
    author: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
           values ($1, $2, $3, $4, $5, $6) returning recruitment_document_id"#,
        id,
        centre_id,
        kind as DocumentKind,
        date,
        content,
        author
    )
    .fetch_one(db)
    .await
}

/// The kinds of recruitment document on the participant's file.
pub async fn document_kinds(
    db: impl PgExecutor<'_>,
    participant_id: Uuid,
) -> sqlx::Result<Vec<DocumentKind>> {
    sqlx::query_scalar(
        "select distinct kind from recruitment_document where participant_id = $1 order by kind",
    )
    .bind(participant_id)
    .fetch_all(db)
    .await
}

/// Whether the centre admits only with a complete recruitment file.
pub async fn documents_required(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar("select require_recruitment_documents from centre where centre_id = $1")
        .bind(centre_id)
        .fetch_one(db)
        .await
}

/// The participant's programme (IPZS) that ending participation closes, whatever its status
/// (a draft or an unsigned one closes too): (document, signed, its final evaluation recorded).
/// `None` when there is none open.
pub async fn programme_to_close(
    db: impl PgExecutor<'_>,
    participant_id: Uuid,
) -> sqlx::Result<Option<(Uuid, bool, bool)>> {
    let row = sqlx::query!(
        r#"select d.document_id,
                  exists (select 1 from document_signature g where g.document_id = d.document_id) as "signed!",
                  exists (select 1 from document_monitoring m
                          where m.document_id = d.document_id and m.phase = 'end') as "evaluated!"
           from document d
           where d.participant_id = $1 and d.kind = 'ipzs' and d.status <> 'closed'"#,
        participant_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.document_id, r.signed, r.evaluated)))
}

/// The participant's social contract not yet closed, if any: (document, status). Ending
/// participation does not close it (its evaluation is the social worker's).
pub async fn open_contract(
    db: impl PgExecutor<'_>,
    participant_id: Uuid,
) -> sqlx::Result<Option<(Uuid, crate::documents::workflow::DocStatus)>> {
    let row = sqlx::query!(
        r#"select document_id, status as "status: crate::documents::workflow::DocStatus" from document
           where participant_id = $1 and kind = 'social_contract' and status <> 'closed'
           order by created_at desc limit 1"#,
        participant_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.document_id, r.status)))
}
