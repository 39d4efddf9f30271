//! The attendance queries. Every read goes through the primary key (participant_id, day) or the
//! membership index (migration 0021 explains the sizes).

use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use crate::audit::AuditEvent;
use crate::audit::meta::RequestMeta;
use crate::auth::policy::{AttendanceRows, WorkshopFacts};
use crate::domain::benefit::DayStatus;

/// The one-byte code a status is stored as.
pub fn status_char(status: DayStatus) -> i8 {
    let code = match status {
        DayStatus::Present => b'p',
        DayStatus::Sick => b's',
        DayStatus::Justified => b'j',
        DayStatus::Unjustified => b'u',
        DayStatus::DayOff => b'o',
    };
    code as i8
}

/// The status a stored code stands for.
pub fn status_of(code: i8) -> Option<DayStatus> {
    DayStatus::ALL.into_iter().find(|s| status_char(*s) == code)
}

/// A workshop as the attendance screens need it.
#[derive(Debug, Clone)]
pub struct Workshop {
    /// The policy's facts.
    pub facts: WorkshopFacts,
    /// Its name.
    pub name: String,
}

impl Workshop {
    fn new(workshop_id: Uuid, name: String, instructs: bool) -> Self {
        Self {
            facts: WorkshopFacts {
                workshop_id,
                instructs,
            },
            name,
        }
    }
}

/// The workshop `id` of `centre_id`, with whether `actor` instructs it.
pub async fn workshop(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    actor: Uuid,
) -> sqlx::Result<Option<Workshop>> {
    let row = sqlx::query!(
        r#"select w.workshop_id, w.name,
                  exists (select 1 from workshop_instructor i
                          where i.workshop_id = w.workshop_id and i.staff_user_id = $3) as "instructs!"
           from workshop w where w.centre_id = $1 and w.workshop_id = $2"#,
        centre_id,
        id,
        actor
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Workshop::new(r.workshop_id, r.name, r.instructs)))
}

/// A group the actor keeps attendance for, with how many of its current members they see.
#[derive(Debug, Clone)]
pub struct Group {
    /// The workshop.
    pub workshop_id: Uuid,
    /// Its name.
    pub name: String,
    /// Current members the actor records.
    pub members: i64,
}

/// The active workshops whose attendance `actor` keeps: the manager all, an instructor theirs,
/// a social worker those with members of their caseload.
pub async fn groups(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    actor: Uuid,
    instructor_only: bool,
    rows: AttendanceRows,
) -> sqlx::Result<Vec<Group>> {
    let caseload = caseload(rows);
    sqlx::query_as!(
        Group,
        r#"select w.workshop_id, w.name,
                  (select count(*) from workshop_membership m join participant p using (participant_id)
                   where m.workshop_id = w.workshop_id and m.member_until is null
                     and p.status in ('trial', 'participant')
                     and ($4::uuid is null or p.social_worker_id = $4)) as "members!"
           from workshop w
           where w.centre_id = $1 and w.active
             and (not $3 or exists (select 1 from workshop_instructor i
                                    where i.workshop_id = w.workshop_id and i.staff_user_id = $2))
           order by w.name"#,
        centre_id,
        actor,
        instructor_only,
        caseload
    )
    .fetch_all(db)
    .await
    .map(|groups| {
        groups
            .into_iter()
            .filter(|g| caseload.is_none() || g.members > 0)
            .collect()
    })
}

fn caseload(rows: AttendanceRows) -> Option<Uuid> {
    match rows {
        AttendanceRows::All => None,
        AttendanceRows::Caseload(worker) => Some(worker),
    }
}

/// One member of a group on one day, with what is recorded for the day.
#[derive(Debug, Clone)]
pub struct DayRow {
    /// The participant.
    pub participant_id: Uuid,
    /// Surname.
    pub surname: String,
    /// First names.
    pub first_names: String,
    /// Their own daily limit (disability), in minutes.
    pub daily_limit_minutes: Option<i16>,
    /// Their own weekly limit (disability), in minutes.
    pub weekly_limit_minutes: Option<i16>,
    /// With a weekly limit: the minutes recorded on the other days of the day's week (Monday to
    /// Sunday).
    pub week_minutes: Option<i64>,
    /// The recorded status code, if recorded.
    pub status: Option<i8>,
    /// Recorded minutes.
    pub minutes: Option<i16>,
    /// The reason of a justified absence.
    pub reason: Option<String>,
    /// The entry has been corrected after the day.
    pub corrected: Option<bool>,
}

impl DayRow {
    /// The most minutes the person may be present on the day: within their daily limit and
    /// what their weekly limit leaves after the week's other days.
    pub fn most_minutes(&self) -> Option<i64> {
        let daily = self.daily_limit_minutes.map(i64::from);
        let weekly = self
            .weekly_limit_minutes
            .map(|w| (i64::from(w) - self.week_minutes.unwrap_or(0)).max(0));
        match (daily, weekly) {
            (Some(d), Some(w)) => Some(d.min(w)),
            (d, w) => d.or(w),
        }
    }
}

/// What a group's day needs besides its rows, in one statement: the minutes the workshop's
/// programme in force plans for that weekday, why the centre is closed that day (if it is),
/// whether the day's month is closed, and the reasons of other justified absences.
#[derive(Debug, Clone)]
pub struct DayFacts {
    /// Planned minutes.
    pub planned: i64,
    /// The centre is closed that day, for this reason.
    pub closed_reason: Option<String>,
    /// The month is closed.
    pub month_closed: bool,
    /// (code, name) of the reasons of other justified absences.
    pub reasons: Vec<(String, String)>,
}

/// A group's day in one statement: the members of workshop `workshop_id` on `day` whom `rows`
/// shows (participating that day) with their entries, and the day's facts. With `audit`, the
/// same statement first writes the read's audit row. A save calls it after
/// [`workshop_for_day`]'s locks, so that what it reads (the entries, whether the month is
/// closed) is what the save changes.
pub async fn day_sheet(
    conn: &mut PgConnection,
    audit: Option<(&RequestMeta, AuditEvent<'_>)>,
    (centre_id, workshop_id): (Uuid, Uuid),
    day: Date,
    rows: AttendanceRows,
) -> sqlx::Result<(Vec<DayRow>, DayFacts)> {
    #[derive(sqlx::FromRow)]
    struct Line {
        planned: i64,
        closed_reason: Option<String>,
        month_closed: bool,
        codes: Vec<String>,
        names: Vec<String>,
        participant_id: Option<Uuid>,
        surname: Option<String>,
        first_names: Option<String>,
        daily_limit_minutes: Option<i16>,
        weekly_limit_minutes: Option<i16>,
        week_minutes: Option<i64>,
        status: Option<i8>,
        minutes: Option<i16>,
        reason: Option<String>,
        corrected: Option<bool>,
    }
    let weekday = i16::from(day.weekday().number_from_monday());
    let mut q = QueryBuilder::<Postgres>::new("");
    match audit {
        Some((meta, event)) => {
            crate::audit::push_read(&mut q, meta, event);
            q.push(", ");
        }
        None => {
            q.push("with ");
        }
    }
    q.push(
        "facts as (select \
           (select coalesce(sum(minutes), 0)::bigint from activity_plan \
            where workshop_id = ",
    )
    .push_bind(workshop_id)
    .push(" and weekday = ")
    .push_bind(weekday)
    .push(" and valid_from = (select max(valid_from) from activity_plan where workshop_id = ")
    .push_bind(workshop_id)
    .push(" and valid_from <= ")
    .push_bind(day)
    .push(")) as planned, (select reason from centre_closed_day where centre_id = ")
    .push_bind(centre_id)
    .push(" and day = ")
    .push_bind(day)
    .push(") as closed_reason, coalesce((select closed from benefit_month where centre_id = ")
    .push_bind(centre_id)
    .push(" and month = date_trunc('month', ")
    .push_bind(day)
    .push(
        "::date)::date), false) as month_closed, \
         array(select code from absence_reason order by sort) as codes, \
         array(select name from absence_reason order by sort) as names), \
         members as (select p.participant_id, p.surname, p.first_names, \
                p.daily_limit_minutes, p.weekly_limit_minutes, \
                case when p.weekly_limit_minutes is not null then \
                    (select coalesce(sum(w.minutes), 0)::bigint from attendance w \
                     where w.participant_id = p.participant_id and w.day <> ",
    )
    .push_bind(day)
    .push(" and w.day between date_trunc('week', ")
    .push_bind(day)
    .push("::date)::date and date_trunc('week', ")
    .push_bind(day)
    .push(
        "::date)::date + 6) end as week_minutes, \
                a.status, a.minutes, a.reason, a.corrected \
             from workshop_membership m \
             join participant p on p.participant_id = m.participant_id \
             left join attendance a on a.participant_id = p.participant_id and a.day = ",
    )
    .push_bind(day)
    .push(" where m.workshop_id = ")
    .push_bind(workshop_id)
    .push(" and m.member_from <= ")
    .push_bind(day)
    .push(" and (m.member_until is null or m.member_until >= ")
    .push_bind(day)
    .push(") and p.admitted_on <= ")
    .push_bind(day)
    .push(" and (p.ended_on is null or p.ended_on >= ")
    .push_bind(day)
    .push(") and (")
    .push_bind(caseload(rows))
    .push("::uuid is null or p.social_worker_id = ")
    .push_bind(caseload(rows))
    .push(
        ")) \
         select f.*, m.* from facts f left join members m on true \
         order by m.surname, m.first_names, m.participant_id",
    );
    let lines: Vec<Line> = q.build_query_as().fetch_all(conn).await?;
    let first = lines.first().ok_or(sqlx::Error::RowNotFound)?;
    let facts = DayFacts {
        planned: first.planned,
        closed_reason: first.closed_reason.clone(),
        month_closed: first.month_closed,
        reasons: first
            .codes
            .iter()
            .cloned()
            .zip(first.names.iter().cloned())
            .collect(),
    };
    let rows = lines
        .into_iter()
        .filter_map(|l| {
            Some(DayRow {
                participant_id: l.participant_id?,
                surname: l.surname?,
                first_names: l.first_names?,
                daily_limit_minutes: l.daily_limit_minutes,
                weekly_limit_minutes: l.weekly_limit_minutes,
                week_minutes: l.week_minutes,
                status: l.status,
                minutes: l.minutes,
                reason: l.reason,
                corrected: l.corrected,
            })
        })
        .collect();
    Ok((rows, facts))
}

/// Takes the lock of `centre_id`'s `month` for the rest of the transaction: shared by every
/// attendance write of the month, exclusive while the month is closed or reopened. Only that
/// centre's month waits; nothing else does.
pub async fn lock_month(
    conn: &mut PgConnection,
    centre_id: Uuid,
    month: Date,
    exclusive: bool,
) -> sqlx::Result<()> {
    let key = format!("attendance-month {centre_id} {month}");
    if exclusive {
        sqlx::query!("select pg_advisory_xact_lock(hashtextextended($1, 0))", key)
            .execute(conn)
            .await?;
    } else {
        sqlx::query!(
            "select pg_advisory_xact_lock_shared(hashtextextended($1, 0))",
            key
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// [`workshop`] for a write of its `day`: when the workshop is found, the same statement takes
/// the shared lock of the centre's month (see [`lock_month`]) and the exclusive lock of the
/// group's day, both for the rest of the transaction, so that two saves of one group's day
/// queue (the second sees the first's rows, and records a correction of them), while saves of
/// other groups and days run side by side. Members with a weekly hour limit are also locked
/// for the day's week (in the order of their ids), so that two saves of different days cannot
/// both fill what is left of one person's week. What the caller reads about the day (its rows,
/// the week's other hours, whether the month is closed) it reads in a later statement, after
/// the locks.
pub async fn workshop_for_day(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    actor: Uuid,
    day: Date,
) -> sqlx::Result<Option<Workshop>> {
    let month = format!(
        "attendance-month {centre_id} {}",
        crate::domain::calendar::month_start(day)
    );
    let group_day = format!("attendance-day {id} {day}");
    let monday = day - time::Duration::days(i64::from(day.weekday().number_days_from_monday()));
    let row = sqlx::query!(
        r#"select w.workshop_id, w.name,
                  exists (select 1 from workshop_instructor i
                          where i.workshop_id = w.workshop_id and i.staff_user_id = $3) as "instructs!",
                  pg_advisory_xact_lock_shared(hashtextextended($4, 0)) is not null as "month_locked!",
                  pg_advisory_xact_lock(hashtextextended($5, 0)) is not null as "day_locked!",
                  (select count(pg_advisory_xact_lock(hashtextextended('attendance-week ' || x.participant_id::text || ' ' || $6, 0)))
                   from (select p.participant_id from workshop_membership m
                         join participant p on p.participant_id = m.participant_id
                         where m.workshop_id = w.workshop_id and m.member_from <= $7
                           and (m.member_until is null or m.member_until >= $7)
                           and p.weekly_limit_minutes is not null
                         order by p.participant_id) x) as "week_locks!"
           from workshop w where w.centre_id = $1 and w.workshop_id = $2"#,
        centre_id,
        id,
        actor,
        month,
        group_day,
        monday.to_string(),
        day
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Workshop::new(r.workshop_id, r.name, r.instructs)))
}

/// Whether `centre_id`'s `month` is closed.
pub async fn month_closed(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    month: Date,
) -> sqlx::Result<bool> {
    let closed = sqlx::query_scalar!(
        "select closed from benefit_month where centre_id = $1 and month = $2",
        centre_id,
        month
    )
    .fetch_optional(db)
    .await?;
    Ok(closed.unwrap_or(false))
}

/// One participant's entry for a day, as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The participant.
    pub participant_id: Uuid,
    /// The status.
    pub status: DayStatus,
    /// Minutes present (0 for an absence).
    pub minutes: i16,
    /// The reason of a justified absence.
    pub reason: Option<String>,
    /// Changes an entry made earlier, after the day.
    pub corrected: bool,
}

/// Saves a group's `entries` for `day` in one statement; rows that did not change are left
/// alone. Returns how many rows were written.
pub async fn save(
    conn: &mut PgConnection,
    centre_id: Uuid,
    workshop_id: Uuid,
    day: Date,
    recorded_by: Uuid,
    entries: &[Entry],
) -> sqlx::Result<u64> {
    let ids: Vec<Uuid> = entries.iter().map(|e| e.participant_id).collect();
    let statuses: Vec<i8> = entries.iter().map(|e| status_char(e.status)).collect();
    let minutes: Vec<i16> = entries.iter().map(|e| e.minutes).collect();
    let reasons: Vec<Option<String>> = entries.iter().map(|e| e.reason.clone()).collect();
    let corrected: Vec<bool> = entries.iter().map(|e| e.corrected).collect();
    let done = sqlx::query!(
        r#"insert into attendance (participant_id, day, centre_id, workshop_id, status, minutes,
                                   reason, recorded_by, corrected)
           select u.id, $1, $2, $3, u.status, u.minutes, u.reason, $4, u.corrected
           from unnest($5::uuid[], $6::"char"[], $7::int2[], $8::text[], $9::bool[])
                as u(id, status, minutes, reason, corrected)
           on conflict (participant_id, day) do update
           set status = excluded.status, minutes = excluded.minutes, reason = excluded.reason,
               workshop_id = excluded.workshop_id, recorded_by = excluded.recorded_by,
               recorded_at = now(), corrected = attendance.corrected or excluded.corrected
           where (attendance.status, attendance.minutes, attendance.reason)
                 is distinct from (excluded.status, excluded.minutes, excluded.reason)"#,
        day,
        centre_id,
        workshop_id,
        recorded_by,
        &ids,
        &statuses,
        &minutes,
        &reasons as &[Option<String>],
        &corrected
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A correction: what a day was and what it became.
#[derive(Debug, Clone)]
pub struct Change {
    /// The participant.
    pub participant_id: Uuid,
    /// The earlier status and minutes.
    pub old: (DayStatus, i16),
    /// The new ones.
    pub new: (DayStatus, i16),
}

/// Records `changes` of `day` with their `reason`, in one statement.
pub async fn record_changes(
    conn: &mut PgConnection,
    centre_id: Uuid,
    day: Date,
    changed_by: Uuid,
    reason: &str,
    changes: &[Change],
) -> sqlx::Result<()> {
    let ids: Vec<Uuid> = changes.iter().map(|c| c.participant_id).collect();
    let old_status: Vec<i8> = changes.iter().map(|c| status_char(c.old.0)).collect();
    let old_minutes: Vec<i16> = changes.iter().map(|c| c.old.1).collect();
    let new_status: Vec<i8> = changes.iter().map(|c| status_char(c.new.0)).collect();
    let new_minutes: Vec<i16> = changes.iter().map(|c| c.new.1).collect();
    sqlx::query!(
        r#"insert into attendance_change (participant_id, day, centre_id, old_status, old_minutes,
                                          new_status, new_minutes, reason, changed_by)
           select u.id, $1, $2, u.os, u.om, u.ns, u.nm, $3, $4
           from unnest($5::uuid[], $6::"char"[], $7::int2[], $8::"char"[], $9::int2[])
                as u(id, os, om, ns, nm)"#,
        day,
        centre_id,
        reason,
        changed_by,
        &ids,
        &old_status,
        &old_minutes,
        &new_status,
        &new_minutes
    )
    .execute(conn)
    .await?;
    Ok(())
}

mod month;
pub use month::*;
