//! The annual report's reads, cut "as at" the end of a day like the effectiveness report's
//! (`reports::db`): a row counts only if it was recorded by then and, where it has a date, is
//! dated within the year.
//! * status changes and reached follow-up contacts: only ever added;
//! * staff roles (`staff_role_change`, only added) and deactivations (the append-only audit
//!   log's `staff.deactivate` / `staff.reactivate`, through the view `staff_active_change`);
//! * attendance: a day corrected after the "as at" day reads as it was then (the first
//!   correction made later holds the earlier status and minutes); a day entered after it does
//!   not count. One case it cannot tell: a day first entered after the "as at" day and then
//!   corrected reads as entered (the correction's earlier value);
//! * benefits: the statements frozen at each month's first close, and the corrections, by when
//!   they were written.
//!
//! Exceptions (said on the page): the eligibility categories, the graduation outcome, the
//! termination reason and the weekly programmes of the workshops are read as they are now
//! (the schema keeps no history of them).
//!
//! Saved versions: only ever added (the database refuses the app's updates and deletions).

use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::figures::{Paid, PlanRow, Presence, RoleChange, Toggle};
use crate::domain::{Category, Role};
use crate::reports::db::cut_off;

/// The year and the day it is read "as at".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearAsAt {
    pub year: i32,
    pub from: Date,
    pub to: Date,
    pub as_at: Date,
}

/// The roles given to the centre's accounts by the end of the "as at" day.
pub async fn role_changes(
    db: &mut PgConnection,
    centre_id: Uuid,
    as_at: Date,
) -> sqlx::Result<Vec<RoleChange>> {
    let rows = sqlx::query!(
        r#"-- language=PostgreSQL
        select c.staff_user_id, c.to_role as "to_role: Role", c.changed_at
        from staff_role_change c join staff_user u on u.staff_user_id = c.staff_user_id
        where u.centre_id = $1 and c.changed_at < $2"#,
        centre_id,
        cut_off(as_at)
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoleChange {
            account: r.staff_user_id,
            role: r.to_role,
            at: r.changed_at,
        })
        .collect())
}

/// The deactivations and reactivations of the centre's accounts by the end of the "as at" day.
pub async fn toggles(
    db: &mut PgConnection,
    centre_id: Uuid,
    as_at: Date,
) -> sqlx::Result<Vec<Toggle>> {
    let rows = sqlx::query!(
        r#"-- language=PostgreSQL
        select a.staff_user_id as "staff_user_id!", a.active as "active!", a.occurred_at as "occurred_at!"
        from staff_user u
        join staff_active_change a on a.staff_user_id = u.staff_user_id
        where u.centre_id = $1 and a.occurred_at < $2"#,
        centre_id,
        cut_off(as_at)
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Toggle {
            account: r.staff_user_id,
            active: r.active,
            at: r.occurred_at,
        })
        .collect())
}

/// A person in the trial period or the programme at some day of the year.
pub struct InYear {
    pub participant_id: Uuid,
    pub categories: Vec<Category>,
}

/// The people in the trial period or the programme at some day of the year: in it on
/// 1 January (their last change dated before it), or moved into it within the year.
pub async fn in_year(
    db: &mut PgConnection,
    centre_id: Uuid,
    y: YearAsAt,
) -> sqlx::Result<Vec<InYear>> {
    let rows = sqlx::query!(
        r#"-- language=PostgreSQL
        with c as (
            select participant_id, to_status, changed_on, recorded_at
            from participant_status_change
            where centre_id = $1 and recorded_at < $2 and changed_on <= $4
        ), before as (
            select distinct on (participant_id) participant_id, to_status
            from c where changed_on < $3
            order by participant_id, changed_on desc, recorded_at desc
        ), inside as (
            select participant_id from before where to_status in ('trial', 'participant')
            union
            select participant_id from c
            where changed_on >= $3 and to_status in ('trial', 'participant')
        )
        select p.participant_id, p.categories::text[] as "categories!"
        from inside i join participant p on p.participant_id = i.participant_id
        where p.centre_id = $1"#,
        centre_id,
        cut_off(y.as_at),
        y.from,
        y.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InYear {
            participant_id: r.participant_id,
            categories: r
                .categories
                .iter()
                .filter_map(|c| Category::from_code(c))
                .collect(),
        })
        .collect())
}

/// The graduates (of any year) whose reached contact dated within the year, recorded by the
/// end of the "as at" day, found them working or running a business (a person may repeat).
pub async fn working_at_contact(
    db: &mut PgConnection,
    centre_id: Uuid,
    y: YearAsAt,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        r#"-- language=PostgreSQL
        select participant_id from follow_up_contact
        where centre_id = $1 and contacted_on between $3 and $4 and recorded_at < $2 and reached
          and employment in ('employed', 'social_cooperative', 'supported_employment', 'self_employed')"#,
        centre_id,
        cut_off(y.as_at),
        y.from,
        y.to
    )
    .fetch_all(&mut *db)
    .await
}

/// The days of the year `people` were present, as known at the end of the "as at" day.
pub async fn presence(
    db: &mut PgConnection,
    centre_id: Uuid,
    people: &[Uuid],
    y: YearAsAt,
) -> sqlx::Result<Vec<Presence>> {
    let rows = sqlx::query!(
        r#"-- language=PostgreSQL
        select a.participant_id, a.day, a.workshop_id,
               coalesce(ch.old_status, a.status) as "status!",
               coalesce(ch.old_minutes, a.minutes)::int8 as "minutes!"
        from attendance a
        left join lateral (
            select c.old_status, c.old_minutes from attendance_change c
            where c.participant_id = a.participant_id and c.day = a.day and c.changed_at >= $2
            order by c.changed_at limit 1
        ) ch on true
        where a.participant_id = any($3) and a.day between $4 and $5 and a.centre_id = $1
          and (ch.old_status is not null or a.recorded_at < $2)"#,
        centre_id,
        cut_off(y.as_at),
        people,
        y.from,
        y.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.status == b'p' as i8)
        .map(|r| Presence {
            participant_id: r.participant_id,
            day: r.day,
            workshop_id: r.workshop_id,
            minutes: r.minutes,
        })
        .collect())
}

/// The weekly programmes of the centre's workshops in force within the year (the rows from
/// the last programme begun by 1 January on), with the activities' names.
pub async fn plans(
    db: &mut PgConnection,
    centre_id: Uuid,
    y: YearAsAt,
) -> sqlx::Result<Vec<PlanRow>> {
    let rows = sqlx::query!(
        r#"-- language=PostgreSQL
        select p.workshop_id, p.valid_from, p.weekday, t.name, p.minutes::int8 as "minutes!"
        from activity_plan p join activity_type t on t.activity_type_id = p.activity_type_id
        where p.centre_id = $1 and p.valid_from <= $3
          and p.valid_from >= coalesce((select max(q.valid_from) from activity_plan q
                                        where q.workshop_id = p.workshop_id and q.valid_from <= $2),
                                       p.valid_from)
        order by t.name"#,
        centre_id,
        y.from,
        y.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PlanRow {
            workshop_id: r.workshop_id,
            valid_from: r.valid_from,
            weekday: u8::try_from(r.weekday).unwrap_or(0),
            activity: r.name,
            minutes: r.minutes,
        })
        .collect())
}

/// The money of the year: (benefit, bonus) from the statements of each month's first close,
/// then (benefit, bonus) of the corrections of closed months; all written by the end of the
/// "as at" day. People: those with a non-zero amount.
pub async fn paid(db: &mut PgConnection, centre_id: Uuid, y: YearAsAt) -> sqlx::Result<[Paid; 4]> {
    let r = sqlx::query!(
        r#"-- language=PostgreSQL
        with s as (
            select participant_id, benefit_grosze, bonus_grosze from benefit_statement
            where centre_id = $1 and month between $3 and $4 and revision = 1 and created_at < $2
        ), c as (
            select participant_id, benefit_diff_grosze, bonus_diff_grosze from benefit_correction
            where centre_id = $1 and month between $3 and $4 and created_at < $2
        )
        select (select count(distinct participant_id) from s where benefit_grosze > 0) as "benefit_people!",
               (select coalesce(sum(benefit_grosze), 0)::int8 from s) as "benefit!",
               (select count(distinct participant_id) from s where bonus_grosze > 0) as "bonus_people!",
               (select coalesce(sum(bonus_grosze), 0)::int8 from s) as "bonus!",
               (select count(distinct participant_id) from c where benefit_diff_grosze <> 0) as "cb_people!",
               (select coalesce(sum(benefit_diff_grosze), 0)::int8 from c) as "cb!",
               (select count(distinct participant_id) from c where bonus_diff_grosze <> 0) as "cp_people!",
               (select coalesce(sum(bonus_diff_grosze), 0)::int8 from c) as "cp!""#,
        centre_id,
        cut_off(y.as_at),
        y.from,
        y.to
    )
    .fetch_one(&mut *db)
    .await?;
    let paid = |people, grosze| Paid { people, grosze };
    Ok([
        paid(r.benefit_people, r.benefit),
        paid(r.bonus_people, r.bonus),
        paid(r.cb_people, r.cb),
        paid(r.cp_people, r.cp),
    ])
}

/// A saved version.
#[derive(Clone, Debug)]
pub struct Version {
    pub annual_report_id: Uuid,
    pub year: i32,
    pub version: i32,
    pub as_at: Date,
    pub figures: Value,
    pub financial_plan: String,
    pub forecast: String,
    pub remarks: String,
    pub prepared_by: String,
    pub prepared_at: OffsetDateTime,
}

/// The version `id` of the centre (`None`: none, or another centre's).
pub async fn version(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Version>> {
    sqlx::query_as!(
        Version,
        r#"-- language=PostgreSQL
        select r.annual_report_id, r.year::int4 as "year!", r.version, r.as_at, r.figures,
               r.financial_plan, r.forecast, r.remarks, s.full_name as prepared_by, r.prepared_at
        from annual_report r join staff_user s on s.staff_user_id = r.prepared_by
        where r.centre_id = $1 and r.annual_report_id = $2"#,
        centre_id,
        id
    )
    .fetch_optional(db)
    .await
}

/// A version as listed.
#[derive(Clone, Debug)]
pub struct Listed {
    pub annual_report_id: Uuid,
    pub year: i32,
    pub version: i32,
    pub as_at: Date,
    pub prepared_by: String,
    pub prepared_at: OffsetDateTime,
}

/// The centre's versions, the newest year first, then the newest version.
pub async fn versions(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as!(
        Listed,
        r#"-- language=PostgreSQL
        select r.annual_report_id, r.year::int4 as "year!", r.version, r.as_at,
               s.full_name as prepared_by, r.prepared_at
        from annual_report r join staff_user s on s.staff_user_id = r.prepared_by
        where r.centre_id = $1
        order by r.year desc, r.version desc"#,
        centre_id
    )
    .fetch_all(db)
    .await
}

/// What a new version holds.
pub struct NewVersion<'a> {
    pub year: i32,
    pub as_at: Date,
    pub figures: Value,
    pub financial_plan: &'a str,
    pub forecast: &'a str,
    pub remarks: &'a str,
}

/// Saves the next version of the year; returns (id, number). The centre's versions of the
/// year are numbered under a transaction-level lock of the centre and year, so two saves at
/// once get consecutive numbers.
pub async fn save(
    db: &mut PgConnection,
    centre_id: Uuid,
    prepared_by: Uuid,
    new: NewVersion<'_>,
) -> sqlx::Result<(Uuid, i32)> {
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('annual_report:' || $1::text || ':' || $2::text, 0))",
        centre_id.to_string(),
        new.year.to_string()
    )
    .execute(&mut *db)
    .await?;
    let r = sqlx::query!(
        r#"-- language=PostgreSQL
        insert into annual_report (centre_id, year, version, as_at, figures, financial_plan,
                                   forecast, remarks, prepared_by)
        select $1, $2::int2, coalesce(max(version), 0) + 1, $3, $4, $5, $6, $7, $8
        from annual_report where centre_id = $1 and year = $2::int2
        returning annual_report_id, version"#,
        centre_id,
        i16::try_from(new.year).unwrap_or(i16::MAX),
        new.as_at,
        new.figures,
        new.financial_plan,
        new.forecast,
        new.remarks,
        prepared_by
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((r.annual_report_id, r.version))
}

/// Whether the centre has saved a version for `year` (the Start page's reminder).
pub async fn has_version(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    year: i32,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from annual_report where centre_id = $1 and year = $2::int2) as "e!""#,
        centre_id,
        i16::try_from(year).unwrap_or(i16::MAX)
    )
    .fetch_one(db)
    .await
}
