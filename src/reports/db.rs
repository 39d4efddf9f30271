//! The report's reads, cut "as at" the end of a day: a status change counts only if it was
//! recorded by then (`recorded_at` before the next Polish midnight) and is dated by then; a
//! contact likewise. The app only ever adds to both tables (for contacts the database also
//! refuses the app's updates and deletions), so the same period and date read the same rows
//! later, whatever arrives meanwhile.
//! The one exception: the eligibility categories are the file's current ones (the schema keeps
//! no history of them), so correcting a person's categories changes the by-category table of
//! an earlier report too; the page says so.

use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::figures::{Contact, Moved, Period};
use crate::domain::Category;
use crate::participants::model::{GraduationOutcome, TerminationReason};
use crate::validate::dates;

/// The instant the "as at" day ends (the next day's Polish midnight).
pub fn cut_off(as_at: Date) -> OffsetDateTime {
    dates::polish_midnight(as_at.next_day().unwrap_or(as_at))
}

/// The people of `centre_id` admitted, graduated or terminated within the period: those with a
/// change dated within it (`participant_status_change_centre_idx`), by all their changes.
pub async fn moved(
    db: &mut PgConnection,
    centre_id: Uuid,
    period: Period,
) -> sqlx::Result<Vec<Moved>> {
    let rows = sqlx::query!(
        r#"-- language=PostgreSQL
        with changed as (
            select distinct participant_id from participant_status_change
            where centre_id = $1 and changed_on between $4 and $5 and changed_on <= $3
              and recorded_at < $2 and to_status in ('trial', 'participant', 'graduate', 'terminated')
        ), moved as (
            select c.participant_id,
                   min(c.changed_on) filter (where c.to_status in ('trial', 'participant')) as admitted_on,
                   min(c.changed_on) filter (where c.to_status = 'graduate') as graduated_on,
                   min(c.changed_on) filter (where c.to_status = 'terminated') as terminated_on
            from changed k join participant_status_change c on c.participant_id = k.participant_id
            where c.recorded_at < $2 and c.changed_on <= $3
              and c.to_status in ('trial', 'participant', 'graduate', 'terminated')
            group by c.participant_id
        )
        select p.participant_id, p.categories::text[] as "categories!",
               p.termination_reason::text as termination_reason,
               p.graduation_outcome::text as graduation_outcome,
               m.admitted_on, m.graduated_on, m.terminated_on
        from moved m join participant p on p.participant_id = m.participant_id and p.centre_id = $1
        where m.admitted_on between $4 and $5
           or m.graduated_on between $4 and $5
           or m.terminated_on between $4 and $5"#,
        centre_id,
        cut_off(period.as_at),
        period.as_at,
        period.from,
        period.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Moved {
            participant_id: r.participant_id,
            categories: r
                .categories
                .iter()
                .filter_map(|c| Category::from_code(c))
                .collect(),
            termination_reason: r
                .termination_reason
                .as_deref()
                .and_then(TerminationReason::from_code),
            graduation_outcome: r
                .graduation_outcome
                .as_deref()
                .and_then(GraduationOutcome::from_code),
            admitted_on: r.admitted_on,
            graduated_on: r.graduated_on,
            terminated_on: r.terminated_on,
        })
        .collect())
}

/// The reached contacts with `graduates`, as known at the end of the "as at" day.
pub async fn contacts(
    db: &mut PgConnection,
    centre_id: Uuid,
    graduates: &[Uuid],
    as_at: Date,
) -> sqlx::Result<Vec<Contact>> {
    if graduates.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query!(
        r#"-- language=PostgreSQL
        select participant_id, contacted_on, recorded_at,
               employment::text as employment, skills_match::text as skills_match
        from follow_up_contact
        where centre_id = $1 and participant_id = any($2) and reached
          and recorded_at < $3 and contacted_on <= $4"#,
        centre_id,
        graduates,
        cut_off(as_at),
        as_at
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Contact {
            participant_id: r.participant_id,
            contacted_on: r.contacted_on,
            recorded_at: r.recorded_at,
            employment: r.employment,
            skills_match: r.skills_match,
        })
        .collect())
}
