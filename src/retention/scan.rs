//! The daily retention scan: for every centre, the files whose period has passed (the rows in
//! force on the day of the scan) and that no hold keeps, recorded as due for review. Each file
//! is recorded in its own transaction with its audit row, and only once (`on conflict do
//! nothing` on the file's review row, which also stays after the anonymisation): rerunning the
//! scan changes nothing, and a scan stopped anywhere leaves every file either recorded or not.
//! The server runs it once a day (`crate::app` housekeeping); `teczka retention scan` runs it
//! by hand.

use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use super::RetentionClass;
use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditEvent, Outcome};
use crate::validate::dates;

/// The files of centre `$1` due for review on `$2` (`$3`: one participant, or null for all; the
/// filter is spelled per use, `and p.participant_id = $3` or `and $3::uuid is null`, so that
/// one file is found by its key rather than by reading the centre):
/// their class, the day the period runs from and the day it ended. A file of an active
/// participant has no class; a held, found or anonymised file is not listed; a class (or, for a
/// file with attendance or benefit records, the benefit records' class) without a period in
/// force leaves the file out.
macro_rules! due_query {
    ($filter:literal, $tail:literal) => {
        concat!(
            "with f as (
                select p.participant_id,
                       case when p.status = 'graduate' then 'graduate_file'::retention_class
                            when p.status = 'terminated' and p.admitted_on is not null then 'terminated_file'::retention_class
                            else 'candidate_file'::retention_class end as class,
                       greatest(p.ended_on, p.follow_up_until, p.created_at::date,
                                (select max(s.changed_on) from participant_status_change s where s.participant_id = p.participant_id),
                                (select max(c.contacted_on) from follow_up_contact c where c.participant_id = p.participant_id),
                                (select max(n.noted_on) from case_note n where n.participant_id = p.participant_id),
                                (select max(r.document_date) from recruitment_document r where r.participant_id = p.participant_id)
                       ) as reference_on,
                       greatest((select max(a.day) from attendance a where a.participant_id = p.participant_id),
                                (select (max(b.month) + interval '1 month' - interval '1 day')::date
                                 from benefit_statement b where b.participant_id = p.participant_id)
                       ) as records_on
                from participant p
                where p.centre_id = $1 and p.status in ('candidate', 'reserve', 'graduate', 'terminated')
                  ",
            $filter,
            "
                  and not exists (select 1 from retention_review r where r.participant_id = p.participant_id)
                  and not exists (select 1 from retention_holds_on($2) h where h.participant_id = p.participant_id)
             ),
             periods as (
                select f.*,
                       (select months from retention_rule where retention_rule_id = retention_rule_in_force($1, f.class, $2)) as file_months,
                       (select months from retention_rule where retention_rule_id = retention_rule_in_force($1, 'benefit_records', $2)) as records_months
                from f
             ),
             due as (
                select participant_id, class, reference_on,
                       greatest((reference_on + make_interval(months => file_months))::date,
                                (records_on + make_interval(months => records_months))::date) as due_on
                from periods
                where file_months is not null and (records_on is null or records_months is not null)
             )
             ",
            $tail
        )
    };
}

/// A file found due.
#[derive(Debug, sqlx::FromRow)]
struct Due {
    participant_id: Uuid,
    class: RetentionClass,
    due_on: Date,
}

/// What a scan did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanSummary {
    /// Centres scanned.
    pub centres: usize,
    /// Files newly recorded as due for review.
    pub found: usize,
}

/// Scans every centre on `today`.
pub async fn scan_all(db: &PgPool, today: Date) -> sqlx::Result<ScanSummary> {
    // Each centre under its own setting (row-level security, db::rls); the list of centres
    // comes through the database's door for it, as no single centre's setting shows them all.
    let centres = sqlx::query_scalar!(r#"select centre_ids as "centre_id!" from centre_ids()"#)
        .fetch_all(db)
        .await?;
    let mut summary = ScanSummary::default();
    for centre in centres {
        summary.centres += 1;
        summary.found += crate::db::rls::scope(centre, scan_centre(db, centre, today)).await?;
    }
    Ok(summary)
}

/// Scans one centre; returns how many files it recorded.
pub async fn scan_centre(db: &PgPool, centre_id: Uuid, today: Date) -> sqlx::Result<usize> {
    let candidates: Vec<Due> = sqlx::query_as(due_query!(
        "and $3::uuid is null",
        "select participant_id, class, due_on from due where due_on <= $2 order by due_on, participant_id"
    ))
    .bind(centre_id)
    .bind(today)
    .bind(None::<Uuid>)
    .fetch_all(db)
    .await?;
    let mut found = 0;
    for candidate in candidates {
        if record_one(db, centre_id, candidate.participant_id, today).await? {
            found += 1;
        }
    }
    Ok(found)
}

/// Records one file as due, in its own transaction, asking again under the participant's row
/// lock (a hold placed or a record added meanwhile is seen); `false` when it is not due (any
/// more) or was recorded already.
async fn record_one(db: &PgPool, centre_id: Uuid, id: Uuid, today: Date) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "select 1 as locked from participant where participant_id = $1 and centre_id = $2 for update",
        id,
        centre_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let inserted: Option<Due> = sqlx::query_as(due_query!(
        "and p.participant_id = $3",
        "insert into retention_review (participant_id, centre_id, class, reference_on, due_on)
         select participant_id, $1, class, reference_on, due_on from due where due_on <= $2
         on conflict (participant_id) do nothing
         returning participant_id, class, due_on"
    ))
    .bind(centre_id)
    .bind(today)
    .bind(Some(id))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(due) = inserted else {
        tx.rollback().await?;
        return Ok(false);
    };
    let meta = RequestMeta {
        request_id: "retention-scan".into(),
        client_ip: None,
    };
    // The scan acts for the centre, with no one signed in.
    let event = AuditEvent::new("retention.found", Outcome::Success)
        .centre(centre_id)
        .on("participant", due.participant_id)
        .participant(due.participant_id)
        .detail(format!(
            "class={} due_on={}",
            due.class.code(),
            dates::iso(due.due_on)
        ));
    audit::record(&mut *tx, &meta, event).await?;
    tx.commit().await?;
    Ok(true)
}

/// When a file would be due, or why it is not: for a file's retention page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// The file is due on the day (or was, if that is past).
    On {
        /// The class.
        class: RetentionClass,
        /// The day the period runs from.
        reference_on: Date,
        /// The day it ends.
        due_on: Date,
    },
    /// No period (of its class, or of its benefit records) is in force.
    NoPeriod,
    /// An active participant's file, a file found already, or a held one.
    NotApplicable,
}

/// The schedule of one file on `today`.
pub async fn schedule(
    db: impl sqlx::PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    today: Date,
) -> sqlx::Result<Schedule> {
    #[derive(sqlx::FromRow)]
    struct Row {
        class: RetentionClass,
        file_months: Option<i32>,
        records_months: Option<i32>,
        has_records: bool,
        reference_on: Date,
        due_on: Option<Date>,
    }
    let row: Option<Row> = sqlx::query_as(due_query!(
        "and p.participant_id = $3",
        "select p.class, p.file_months, p.records_months, p.records_on is not null as has_records,
                p.reference_on, d.due_on
         from periods p left join due d using (participant_id)"
    ))
    .bind(centre_id)
    .bind(today)
    .bind(Some(id))
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => Schedule::NotApplicable,
        Some(Row {
            class,
            reference_on,
            due_on: Some(due_on),
            ..
        }) => Schedule::On {
            class,
            reference_on,
            due_on,
        },
        Some(r) if r.file_months.is_none() || (r.has_records && r.records_months.is_none()) => {
            Schedule::NoPeriod
        }
        Some(_) => Schedule::NotApplicable,
    })
}
