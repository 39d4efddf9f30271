//! The workshops' queries: a workshop with the facts the policy needs, the list with its
//! instructors, members and weekly hours, the members of a workshop, the weekly programme and
//! the activity types. Other areas (attendance) may call them.

use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

pub use crate::participants::db::Named;

/// One workshop of the actor's centre.
#[derive(Debug, Clone)]
pub struct Workshop {
    /// Id.
    pub workshop_id: Uuid,
    /// Name.
    pub name: String,
    /// Not archived.
    pub active: bool,
    /// The actor is one of its instructors.
    pub instructs: bool,
}

/// The workshop `id` of `centre_id`, with whether `user_id` instructs it.
pub async fn find(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<Option<Workshop>> {
    sqlx::query_as!(
        Workshop,
        r#"select w.workshop_id, w.name, w.active,
                  exists(select 1 from workshop_instructor i
                         where i.workshop_id = w.workshop_id and i.staff_user_id = $3) as "instructs!"
           from workshop w where w.centre_id = $1 and w.workshop_id = $2"#,
        centre_id,
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Like [`find`], holding the workshop's row lock for the rest of the transaction.
pub async fn lock(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<Option<Workshop>> {
    sqlx::query_as!(
        Workshop,
        r#"select w.workshop_id, w.name, w.active,
                  exists(select 1 from workshop_instructor i
                         where i.workshop_id = w.workshop_id and i.staff_user_id = $3) as "instructs!"
           from workshop w where w.centre_id = $1 and w.workshop_id = $2 for update of w"#,
        centre_id,
        id,
        user_id
    )
    .fetch_optional(conn)
    .await
}

/// A row of the centre's workshop list.
#[derive(Debug, Clone)]
pub struct Row {
    /// Id.
    pub workshop_id: Uuid,
    /// Name.
    pub name: String,
    /// Not archived.
    pub active: bool,
    /// The instructors' names, comma-separated (empty: none).
    pub instructors: String,
    /// Members on `today`.
    pub members: i64,
    /// Weekly minutes of the programme in force on `today` (none: no programme).
    pub weekly_minutes: Option<i64>,
}

/// The centre's workshops, active first, with their instructors, members and weekly hours on
/// `today`.
pub async fn list(db: impl PgExecutor<'_>, centre_id: Uuid, today: Date) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as!(
        Row,
        r#"select w.workshop_id, w.name, w.active,
                  coalesce((select string_agg(s.full_name, ', ' order by s.full_name collate "pl-PL-x-icu")
                            from workshop_instructor i join staff_user s on s.staff_user_id = i.staff_user_id
                            where i.workshop_id = w.workshop_id), '') as "instructors!",
                  (select count(*) from workshop_membership m
                   where m.workshop_id = w.workshop_id and m.member_from <= $2
                     and (m.member_until is null or m.member_until >= $2)) as "members!",
                  (select sum(p.minutes) from activity_plan p
                   where p.workshop_id = w.workshop_id
                     and p.valid_from = (select max(q.valid_from) from activity_plan q
                                         where q.workshop_id = w.workshop_id and q.valid_from <= $2)) as "weekly_minutes"
           from workshop w where w.centre_id = $1
           order by w.active desc, w.name collate "pl-PL-x-icu""#,
        centre_id,
        today
    )
    .fetch_all(db)
    .await
}

/// The centre's active instructors (to choose a workshop's instructors from).
pub async fn instructors(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Vec<Named>> {
    crate::participants::db::staff_in_role(db, centre_id, crate::domain::Role::Instructor).await
}

/// The instructors of a workshop.
pub async fn instructors_of(
    db: impl PgExecutor<'_>,
    workshop_id: Uuid,
) -> sqlx::Result<Vec<Named>> {
    sqlx::query_as!(
        Named,
        r#"select s.staff_user_id as id, s.full_name as name
           from workshop_instructor i join staff_user s on s.staff_user_id = i.staff_user_id
           where i.workshop_id = $1 order by s.full_name collate "pl-PL-x-icu""#,
        workshop_id
    )
    .fetch_all(db)
    .await
}

/// Whether another workshop of the centre has this name (case and Polish letters aside).
pub async fn name_taken(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    name: &str,
    except: Option<Uuid>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from workshop where centre_id = $1 and lower(name) = lower($2)
                         and workshop_id is distinct from $3) as "taken!""#,
        centre_id,
        name,
        except
    )
    .fetch_one(db)
    .await
}

/// Creates a workshop; returns its id.
pub async fn insert(conn: &mut PgConnection, centre_id: Uuid, name: &str) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into workshop (centre_id, name) values ($1, $2) returning workshop_id",
        centre_id,
        name
    )
    .fetch_one(conn)
    .await
}

/// Renames a workshop and sets whether it is active.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
    active: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update workshop set name = $2, active = $3 where workshop_id = $1",
        id,
        name,
        active
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the workshop's instructors with `staff` (ids of the centre's instructors).
pub async fn set_instructors(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    staff: &[Uuid],
) -> sqlx::Result<()> {
    sqlx::query!("delete from workshop_instructor where workshop_id = $1", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "insert into workshop_instructor (workshop_id, staff_user_id, centre_id)
         select $1, s, $2 from unnest($3::uuid[]) as s",
        id,
        centre_id,
        staff
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A membership of a workshop, with the member.
#[derive(Debug, Clone)]
pub struct Member {
    /// The participant.
    pub participant_id: Uuid,
    /// "Surname First names".
    pub name: String,
    /// First day.
    pub member_from: Date,
    /// Last day (none: open).
    pub member_until: Option<Date>,
}

/// The workshop's memberships current on `today` or ended since `since`, current first, by name.
pub async fn members(
    db: impl PgExecutor<'_>,
    workshop_id: Uuid,
    today: Date,
    since: Date,
) -> sqlx::Result<Vec<Member>> {
    sqlx::query_as!(
        Member,
        r#"select m.participant_id, p.surname || ' ' || p.first_names as "name!", m.member_from, m.member_until
           from workshop_membership m join participant p on p.participant_id = m.participant_id
           where m.workshop_id = $1 and (m.member_until is null or m.member_until >= $3)
           order by (m.member_until is null or m.member_until >= $2) desc,
                    p.surname collate "pl-PL-x-icu", p.first_names collate "pl-PL-x-icu", m.member_from desc"#,
        workshop_id,
        today,
        since
    )
    .fetch_all(db)
    .await
}

/// The centre's active participants (trial or participant) not currently in `workshop_id`.
pub async fn candidates(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    workshop_id: Uuid,
) -> sqlx::Result<Vec<Named>> {
    sqlx::query_as!(
        Named,
        r#"select p.participant_id as id, p.surname || ' ' || p.first_names as "name!"
           from participant p
           where p.centre_id = $1 and p.status in ('trial', 'participant')
             and not exists(select 1 from workshop_membership m where m.participant_id = p.participant_id
                            and m.workshop_id = $2 and m.member_until is null)
           order by p.surname collate "pl-PL-x-icu", p.first_names collate "pl-PL-x-icu""#,
        centre_id,
        workshop_id
    )
    .fetch_all(db)
    .await
}

/// How many members the workshop has on `today` or later (an archive waits until none).
pub async fn current_members(
    db: impl PgExecutor<'_>,
    workshop_id: Uuid,
    today: Date,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from workshop_membership
           where workshop_id = $1 and (member_until is null or member_until >= $2)"#,
        workshop_id,
        today
    )
    .fetch_one(db)
    .await
}

/// An activity type the centre may plan: the installation's and its own.
#[derive(Debug, Clone)]
pub struct ActivityType {
    /// Id.
    pub activity_type_id: Uuid,
    /// Machine code.
    pub code: String,
    /// Polish name.
    pub name: String,
    /// A group activity (not individual).
    pub group_activity: bool,
    /// The centre's own (not the installation's).
    pub own: bool,
}

/// The activity types of `centre_id`: the installation's first, then the centre's, by name.
pub async fn activity_types(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
) -> sqlx::Result<Vec<ActivityType>> {
    sqlx::query_as!(
        ActivityType,
        r#"select activity_type_id, code, name, group_activity, centre_id is not null as "own!"
           from activity_type where centre_id is null or centre_id = $1
           order by centre_id is not null, name collate "pl-PL-x-icu""#,
        centre_id
    )
    .fetch_all(db)
    .await
}

/// One cell of a weekly programme: minutes of one activity on one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanCell {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i16,
    /// The activity type.
    pub activity_type_id: Uuid,
    /// Minutes.
    pub minutes: i16,
}

/// The workshop's programme in force on `on`: its first month and its cells (none: no
/// programme yet).
pub async fn plan_in_force(
    db: &mut PgConnection,
    workshop_id: Uuid,
    on: Date,
) -> sqlx::Result<Option<(Date, Vec<PlanCell>)>> {
    let from = sqlx::query_scalar!(
        "select max(valid_from) from activity_plan where workshop_id = $1 and valid_from <= $2",
        workshop_id,
        on
    )
    .fetch_one(&mut *db)
    .await?;
    let Some(from) = from else {
        return Ok(None);
    };
    let cells = sqlx::query_as!(
        PlanCell,
        "select weekday, activity_type_id, minutes from activity_plan
         where workshop_id = $1 and valid_from = $2 order by weekday",
        workshop_id,
        from
    )
    .fetch_all(db)
    .await?;
    Ok(Some((from, cells)))
}

/// Replaces the programme in force from `valid_from` (the first of a month) with `cells`.
pub async fn save_plan(
    conn: &mut PgConnection,
    centre_id: Uuid,
    workshop_id: Uuid,
    valid_from: Date,
    cells: &[PlanCell],
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from activity_plan where workshop_id = $1 and valid_from = $2",
        workshop_id,
        valid_from
    )
    .execute(&mut *conn)
    .await?;
    let weekdays: Vec<i16> = cells.iter().map(|c| c.weekday).collect();
    let types: Vec<Uuid> = cells.iter().map(|c| c.activity_type_id).collect();
    let minutes: Vec<i16> = cells.iter().map(|c| c.minutes).collect();
    sqlx::query!(
        "insert into activity_plan (workshop_id, centre_id, valid_from, weekday, activity_type_id, minutes)
         select $1, $2, $3, d, t, m from unnest($4::smallint[], $5::uuid[], $6::smallint[]) as c(d, t, m)",
        workshop_id,
        centre_id,
        valid_from,
        &weekdays,
        &types,
        &minutes
    )
    .execute(conn)
    .await?;
    Ok(())
}
