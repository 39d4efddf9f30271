//! The attendance queries. Every read goes through the primary key (participant_id, day) or the
//! membership index (migration 0021 explains the sizes).

use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

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
    Ok(row.map(|r| Workshop {
        facts: WorkshopFacts {
            workshop_id: r.workshop_id,
            instructs: r.instructs,
        },
        name: r.name,
    }))
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
    /// The recorded status code, if recorded.
    pub status: Option<i8>,
    /// Recorded minutes.
    pub minutes: Option<i16>,
    /// The reason of a justified absence.
    pub reason: Option<String>,
    /// The entry has been corrected after the day.
    pub corrected: Option<bool>,
}

/// The members of workshop `workshop_id` on `day` whom `rows` shows (participating that day),
/// with their entries (a save takes `lock_day` first).
pub async fn day_rows(
    db: &mut PgConnection,
    workshop_id: Uuid,
    day: Date,
    rows: AttendanceRows,
) -> sqlx::Result<Vec<DayRow>> {
    sqlx::query_as!(
        DayRow,
        r#"select p.participant_id, p.surname as "surname!", p.first_names as "first_names!",
                  p.daily_limit_minutes, a.status as "status?", a.minutes as "minutes?",
                  a.reason as "reason?", a.corrected as "corrected?"
           from workshop_membership m
           join participant p on p.participant_id = m.participant_id
           left join attendance a on a.participant_id = p.participant_id and a.day = $2
           where m.workshop_id = $1 and m.member_from <= $2
             and (m.member_until is null or m.member_until >= $2)
             and p.admitted_on <= $2 and (p.ended_on is null or p.ended_on >= $2)
             and ($3::uuid is null or p.social_worker_id = $3)
           order by p.surname, p.first_names, p.participant_id"#,
        workshop_id,
        day,
        caseload(rows)
    )
    .fetch_all(db)
    .await
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

/// The facts of workshop `workshop_id`'s `day` in `centre_id`.
pub async fn day_facts(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    workshop_id: Uuid,
    day: Date,
) -> sqlx::Result<DayFacts> {
    let weekday = i16::from(day.weekday().number_from_monday());
    let row = sqlx::query!(
        r#"select
             (select coalesce(sum(minutes), 0)::bigint from activity_plan
              where workshop_id = $2 and weekday = $4
                and valid_from = (select max(valid_from) from activity_plan
                                  where workshop_id = $2 and valid_from <= $3)) as "planned!",
             (select reason from centre_closed_day where centre_id = $1 and day = $3) as closed_reason,
             coalesce((select closed from benefit_month where centre_id = $1
                       and month = date_trunc('month', $3::date)::date), false) as "month_closed!",
             array(select code from absence_reason order by sort) as "codes!",
             array(select name from absence_reason order by sort) as "names!""#,
        centre_id,
        workshop_id,
        day,
        weekday
    )
    .fetch_one(db)
    .await?;
    Ok(DayFacts {
        planned: row.planned,
        closed_reason: row.closed_reason,
        month_closed: row.month_closed,
        reasons: row.codes.into_iter().zip(row.names).collect(),
    })
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

/// Takes, in one statement, the two locks a save of a group's day holds for the rest of its
/// transaction: its month's, shared (see [`lock_month`]), and the group's day, alone, so that
/// saves of one group's day follow each other and a correction records what the day really
/// was before it.
pub async fn lock_group_day(
    conn: &mut PgConnection,
    centre_id: Uuid,
    workshop_id: Uuid,
    day: Date,
) -> sqlx::Result<()> {
    let month = format!(
        "attendance-month {centre_id} {}",
        crate::domain::calendar::month_start(day)
    );
    let group_day = format!("attendance-day {workshop_id} {day}");
    sqlx::query!(
        "select pg_advisory_xact_lock_shared(hashtextextended($1, 0)),
                pg_advisory_xact_lock(hashtextextended($2, 0))",
        month,
        group_day
    )
    .execute(conn)
    .await?;
    Ok(())
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

/// A member of a group during a month: their days in the group and in the centre.
#[derive(Debug, Clone)]
pub struct MonthMember {
    /// The participant.
    pub participant_id: Uuid,
    /// Surname.
    pub surname: String,
    /// First names.
    pub first_names: String,
    /// First day in the group this month.
    pub member_from: Date,
    /// Last day in the group, if it ended.
    pub member_until: Option<Date>,
    /// Admission.
    pub admitted_on: Date,
    /// End of participation, if ended.
    pub ended_on: Option<Date>,
}

impl MonthMember {
    /// Whether `day` is one of the member's days in the group and in the centre.
    pub fn in_group(&self, day: Date) -> bool {
        self.member_from <= day
            && self.member_until.is_none_or(|u| day <= u)
            && self.admitted_on <= day
            && self.ended_on.is_none_or(|e| day <= e)
    }
}

/// The members of `workshop_id` at any time from `first` to `last` whom `rows` shows.
pub async fn month_members(
    db: impl PgExecutor<'_>,
    workshop_id: Uuid,
    first: Date,
    last: Date,
    rows: AttendanceRows,
) -> sqlx::Result<Vec<MonthMember>> {
    sqlx::query_as!(
        MonthMember,
        r#"select p.participant_id, p.surname as "surname!", p.first_names as "first_names!",
                  min(m.member_from) as "member_from!",
                  case when bool_or(m.member_until is null) then null else max(m.member_until) end
                      as member_until,
                  p.admitted_on as "admitted_on!", p.ended_on
           from workshop_membership m
           join participant p on p.participant_id = m.participant_id
           where m.workshop_id = $1 and m.member_from <= $3
             and (m.member_until is null or m.member_until >= $2)
             and p.admitted_on <= $3 and (p.ended_on is null or p.ended_on >= $2)
             and ($4::uuid is null or p.social_worker_id = $4)
           group by p.participant_id
           order by p.surname, p.first_names, p.participant_id"#,
        workshop_id,
        first,
        last,
        caseload(rows)
    )
    .fetch_all(db)
    .await
}

/// One recorded day.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The participant.
    pub participant_id: Uuid,
    /// The day.
    pub day: Date,
    /// Status code.
    pub status: i8,
    /// Minutes present.
    pub minutes: i16,
    /// Reason of a justified absence (its name).
    pub reason: Option<String>,
    /// Corrected after the day.
    pub corrected: bool,
}

/// The recorded days of `ids` from `first` to `last` (one key range scan per participant).
pub async fn entries(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
    first: Date,
    last: Date,
) -> sqlx::Result<Vec<Recorded>> {
    sqlx::query_as!(
        Recorded,
        r#"select a.participant_id, a.day, a.status, a.minutes, r.name as "reason?", a.corrected
           from attendance a
           left join absence_reason r on r.code = a.reason
           where a.participant_id = any($1) and a.day between $2 and $3
           order by a.participant_id, a.day"#,
        ids,
        first,
        last
    )
    .fetch_all(db)
    .await
}

/// A correction as the participant's calendar lists it.
#[derive(Debug, Clone)]
pub struct Correction {
    /// The day corrected.
    pub day: Date,
    /// Before.
    pub old_status: Option<i8>,
    /// Before.
    pub old_minutes: Option<i16>,
    /// After.
    pub new_status: i8,
    /// After.
    pub new_minutes: i16,
    /// Why.
    pub reason: String,
    /// Who.
    pub changed_by: String,
    /// When.
    pub changed_at: time::OffsetDateTime,
}

/// The corrections of `participant_id`'s days from `first` to `last`.
pub async fn corrections(
    db: impl PgExecutor<'_>,
    participant_id: Uuid,
    first: Date,
    last: Date,
) -> sqlx::Result<Vec<Correction>> {
    sqlx::query_as!(
        Correction,
        r#"select c.day, c.old_status, c.old_minutes, c.new_status, c.new_minutes, c.reason,
                  s.full_name as changed_by, c.changed_at
           from attendance_change c join staff_user s on s.staff_user_id = c.changed_by
           where c.participant_id = $1 and c.day between $2 and $3
           order by c.day, c.changed_at"#,
        participant_id,
        first,
        last
    )
    .fetch_all(db)
    .await
}
