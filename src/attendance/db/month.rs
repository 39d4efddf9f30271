//! The month of a group or of one participant: its members, recorded days and corrections.

use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use super::caseload;
use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditEvent};
use crate::auth::policy::AttendanceRows;

/// A member of a group during a month: their days in the group and in the centre.
#[derive(Debug, Clone, sqlx::FromRow)]
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

/// A group's month as the grid shows it.
pub struct MonthSheet {
    /// The members (those of the reader's rows).
    pub members: Vec<MonthMember>,
    /// Their recorded days of the month.
    pub entries: Vec<Recorded>,
    /// The days of the month the centre is closed, with why (empty when nobody is listed).
    pub closed: Vec<(Date, String)>,
}

/// A group's month: the members of workshop `workshop_id` of centre `centre_id` between
/// `first` and `last` (those of `rows`) with the centre's closed days, read by the statement
/// that writes the read's audit row (`event`), then their recorded days of the month (one key
/// range scan each).
pub async fn month_sheet(
    conn: &mut PgConnection,
    (meta, event): (&RequestMeta, AuditEvent<'_>),
    (centre_id, workshop_id): (Uuid, Uuid),
    (first, last): (Date, Date),
    rows: AttendanceRows,
) -> sqlx::Result<MonthSheet> {
    #[derive(sqlx::FromRow)]
    struct Line {
        #[sqlx(flatten)]
        member: MonthMember,
        closed_days: Vec<Date>,
        closed_reasons: Vec<String>,
    }
    let mut q = QueryBuilder::<Postgres>::new("");
    audit::push_read(&mut q, meta, event);
    q.push(
        "select p.participant_id, p.surname, p.first_names, min(m.member_from) as member_from, \
                case when bool_or(m.member_until is null) then null else max(m.member_until) end \
                    as member_until, \
                p.admitted_on, p.ended_on, \
                array(select c.day from centre_closed_day c where c.centre_id = ",
    )
    .push_bind(centre_id)
    .push(" and c.day between ")
    .push_bind(first)
    .push(" and ")
    .push_bind(last)
    .push(
        " order by c.day) as closed_days, \
                array(select c.reason from centre_closed_day c where c.centre_id = ",
    )
    .push_bind(centre_id)
    .push(" and c.day between ")
    .push_bind(first)
    .push(" and ")
    .push_bind(last)
    .push(
        " order by c.day) as closed_reasons \
         from workshop_membership m \
         join participant p on p.participant_id = m.participant_id \
         where m.workshop_id = ",
    )
    .push_bind(workshop_id)
    .push(" and m.member_from <= ")
    .push_bind(last)
    .push(" and (m.member_until is null or m.member_until >= ")
    .push_bind(first)
    .push(") and p.admitted_on <= ")
    .push_bind(last)
    .push(" and (p.ended_on is null or p.ended_on >= ")
    .push_bind(first)
    .push(") and (")
    .push_bind(caseload(rows))
    .push("::uuid is null or p.social_worker_id = ")
    .push_bind(caseload(rows))
    .push(
        ") group by p.participant_id \
         order by p.surname, p.first_names, p.participant_id",
    );
    let lines: Vec<Line> = q.build_query_as().fetch_all(&mut *conn).await?;
    let closed = lines
        .first()
        .map(|l| {
            l.closed_days
                .iter()
                .copied()
                .zip(l.closed_reasons.iter().cloned())
                .collect()
        })
        .unwrap_or_default();
    let members: Vec<MonthMember> = lines.into_iter().map(|l| l.member).collect();
    let ids: Vec<Uuid> = members.iter().map(|m| m.participant_id).collect();
    let entries = entries(&mut *conn, &ids, first, last).await?;
    Ok(MonthSheet {
        members,
        entries,
        closed,
    })
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
