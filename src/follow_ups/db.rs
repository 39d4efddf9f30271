//! The follow-up queries: a graduate's items and contacts, recording a contact and what it
//! fulfils, extra and closer items, and the lists of graduates by where their next contact
//! stands (one statement for the rows, one for the counts, whatever the number of graduates).

use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::due::Bounds;
use super::model::{
    ContactForm, ContactPartner, FollowUpKind, GraduateContract, GraduateEmployment, SkillsMatch,
};
use crate::auth::policy::ListScope;
use crate::auth::scope::push_scope;
use crate::domain::Status;

/// The follow-up facts of one participant.
#[derive(Debug, Clone, Copy)]
pub struct Followed {
    /// The end of participation (graduation).
    pub ended_on: Option<Date>,
    /// The last day of the follow-up (none: never graduated).
    pub until: Option<Date>,
    /// Closer contact since.
    pub closer_since: Option<Date>,
}

/// Reads `id`'s follow-up facts (in the caller's transaction, after the row is locked).
pub async fn followed(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Followed> {
    sqlx::query_as!(
        Followed,
        "select ended_on, follow_up_until as until, follow_up_closer_since as closer_since
         from participant where participant_id = $1",
        id
    )
    .fetch_one(db)
    .await
}

/// One item of a graduate's schedule.
#[derive(Debug, Clone)]
pub struct Item {
    pub follow_up_id: Uuid,
    pub kind: FollowUpKind,
    pub due_on: Date,
    pub contacted_on: Option<Date>,
    pub note: Option<String>,
    pub added_by: Option<String>,
}

/// The schedule of `id`, by due date.
pub async fn items(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as!(
        Item,
        r#"select f.follow_up_id, f.kind as "kind: FollowUpKind", f.due_on, f.contacted_on, f.note,
                  u.full_name as "added_by?"
           from follow_up f left join staff_user u on u.staff_user_id = f.added_by
           where f.participant_id = $1 order by f.due_on, f.sequence"#,
        id
    )
    .fetch_all(db)
    .await
}

/// A contact as recorded.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Contact {
    pub follow_up_contact_id: Uuid,
    #[sqlx(flatten)]
    pub data: ContactData,
    pub recorded_by: String,
    pub recorded_at: OffsetDateTime,
}

/// The contacts with `id`, newest first.
pub async fn contacts(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Contact>> {
    sqlx::query_as(
        "select c.follow_up_contact_id, c.contacted_on, c.reached, c.form, c.partner, c.partner_name,
                c.employment, c.contract, c.community, c.skills, c.skills_match, c.problems,
                c.actions, c.referred_to_ops, u.full_name as recorded_by, c.recorded_at
         from follow_up_contact c join staff_user u on u.staff_user_id = c.recorded_by
         where c.participant_id = $1 order by c.contacted_on desc, c.recorded_at desc",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// What a contact records (validated).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ContactData {
    pub contacted_on: Date,
    pub reached: bool,
    pub form: ContactForm,
    pub partner: Option<ContactPartner>,
    pub partner_name: Option<String>,
    pub employment: Option<GraduateEmployment>,
    pub contract: Option<GraduateContract>,
    pub community: String,
    pub skills: String,
    pub skills_match: Option<SkillsMatch>,
    pub problems: String,
    pub actions: String,
    pub referred_to_ops: bool,
}

/// Who records a contact, and when (the app's clock: reports read contacts "as at" a moment).
#[derive(Debug, Clone, Copy)]
pub struct Recording {
    pub centre_id: Uuid,
    pub participant_id: Uuid,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

/// Inserts the contact; returns its id.
pub async fn insert_contact(
    conn: &mut PgConnection,
    r: Recording,
    c: &ContactData,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"insert into follow_up_contact (participant_id, centre_id, contacted_on, reached, form,
               partner, partner_name, employment, contract, community, skills, skills_match,
               problems, actions, referred_to_ops, recorded_by, recorded_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
           returning follow_up_contact_id"#,
        r.participant_id,
        r.centre_id,
        c.contacted_on,
        c.reached,
        c.form as ContactForm,
        c.partner as Option<ContactPartner>,
        c.partner_name,
        c.employment as Option<GraduateEmployment>,
        c.contract as Option<GraduateContract>,
        c.community,
        c.skills,
        c.skills_match as Option<SkillsMatch>,
        c.problems,
        c.actions,
        c.referred_to_ops,
        r.recorded_by,
        r.recorded_at
    )
    .fetch_one(conn)
    .await
}

/// Marks every open item of `id` whose window has opened by `contacted_on` (`due::fulfils`:
/// `window_days` before the due date, or the first day of its month) as fulfilled by
/// `contact`, except an extra or closer item planned after `contacted_on` (a contact cannot
/// answer an item that did not exist yet); returns how many.
pub async fn fulfil(
    conn: &mut PgConnection,
    id: Uuid,
    contact: Uuid,
    contacted_on: Date,
    window_days: i32,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "update follow_up set contacted_on = $3, follow_up_contact_id = $4
         where participant_id = $1 and contacted_on is null
           and least(due_on - $2::int, due_on - extract(day from due_on)::int + 1) <= $3
           and (kind = 'scheduled' or (created_at at time zone 'Europe/Warsaw')::date <= $3)",
        id,
        window_days,
        contacted_on,
        contact
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The due date of `id`'s next open item.
pub async fn next_open(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Date>> {
    sqlx::query_scalar!(
        "select min(due_on) from follow_up where participant_id = $1 and contacted_on is null",
        id
    )
    .fetch_one(db)
    .await
}

/// An item added by a person (an extra contact, or one of closer contact).
pub struct NewItem<'a> {
    pub kind: FollowUpKind,
    pub due_on: Date,
    pub note: Option<&'a str>,
    pub added_by: Uuid,
    /// When it was planned (the app's clock): no contact dated before that day fulfils it.
    pub created_at: OffsetDateTime,
}

/// Adds an item to `id`'s schedule, numbered after the others (the participant row is locked).
pub async fn add_item(
    conn: &mut PgConnection,
    (centre_id, id): (Uuid, Uuid),
    item: &NewItem<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into follow_up (participant_id, centre_id, sequence, due_on, kind, note, added_by, created_at)
         select $1, $2, coalesce(max(sequence), 0) + 1, $3, $4, $5, $6, $7
         from follow_up where participant_id = $1
         returning follow_up_id",
        id,
        centre_id,
        item.due_on,
        item.kind as FollowUpKind,
        item.note,
        item.added_by,
        item.created_at
    )
    .fetch_one(conn)
    .await
}

/// Sets (or, with `None`, ends) closer contact.
pub async fn set_closer(
    conn: &mut PgConnection,
    id: Uuid,
    since: Option<Date>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update participant set follow_up_closer_since = $2 where participant_id = $1",
        id,
        since
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A marking or end of closer contact, as recorded.
pub struct CloserEntry<'a> {
    /// Marked (true) or ended (false).
    pub closer: bool,
    /// From when it is marked, or the day it ended.
    pub effective_on: Date,
    /// The reason in the social worker's words.
    pub reason: &'a str,
}

/// Adds a row to `id`'s history of closer contact.
pub async fn insert_closer(
    conn: &mut PgConnection,
    (centre_id, id, by): (Uuid, Uuid, Uuid),
    entry: &CloserEntry<'_>,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into follow_up_closer (participant_id, centre_id, closer, effective_on, reason,
             recorded_by, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        centre_id,
        entry.closer,
        entry.effective_on,
        entry.reason,
        by,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A row of the history of closer contact, as the timeline shows it.
#[derive(Debug, Clone)]
pub struct CloserRecord {
    pub closer: bool,
    pub effective_on: Date,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: OffsetDateTime,
}

/// `id`'s history of closer contact, oldest first.
pub async fn closer_history(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<CloserRecord>> {
    sqlx::query_as!(
        CloserRecord,
        "select c.closer, c.effective_on, c.reason, u.full_name as recorded_by, c.recorded_at
         from follow_up_closer c join staff_user u on u.staff_user_id = c.recorded_by
         where c.participant_id = $1 order by c.recorded_at, c.follow_up_closer_id",
        id
    )
    .fetch_all(db)
    .await
}

/// The date of `id`'s latest reached contact.
pub async fn last_reached(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Date>> {
    sqlx::query_scalar!(
        "select max(contacted_on) from follow_up_contact where participant_id = $1 and reached",
        id
    )
    .fetch_one(db)
    .await
}

/// Removes `id`'s open items of closer contact (it has ended); returns their due dates.
pub async fn remove_open_closer_items(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Vec<Date>> {
    let mut removed = sqlx::query_scalar!(
        "delete from follow_up where participant_id = $1 and kind = 'closer' and contacted_on is null
         returning due_on",
        id
    )
    .fetch_all(conn)
    .await?;
    removed.sort_unstable();
    Ok(removed)
}

// ---------------------------------------------------------------------------------------------
// The lists

/// Whose graduates a list reads.
#[derive(Debug, Clone, Copy)]
pub struct ListOf {
    pub centre_id: Uuid,
    /// The policy's answer (`follow_up_scope`).
    pub scope: ListScope,
    /// The manager's filter by social worker.
    pub worker: Option<Uuid>,
}

/// `from … where … group by`: the graduates under follow-up on `bounds.today` in `of`, with their
/// earliest open item due by `bounds.horizon`.
fn push_graduates<'a>(q: &mut QueryBuilder<'a, Postgres>, of: ListOf, bounds: &Bounds) {
    q.push(
        " from participant p \
          join follow_up f on f.participant_id = p.participant_id and f.contacted_on is null \
               and f.due_on <= ",
    )
    .push_bind(bounds.horizon)
    .push(" where p.centre_id = ")
    .push_bind(of.centre_id)
    .push(" and p.status = 'graduate' and p.follow_up_until >= ")
    .push_bind(bounds.today);
    push_scope(q, of.scope);
    if let Some(worker) = of.worker {
        q.push(" and p.social_worker_id = ").push_bind(worker);
    }
    q.push(" group by p.participant_id");
}

/// A graduate of a list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Graduate {
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    pub social_worker_id: Option<Uuid>,
    pub worker_name: Option<String>,
    /// The earliest open item.
    pub first_due: Date,
    /// Its kind.
    pub kind: FollowUpKind,
    /// Open items whose window has opened.
    pub open_now: i64,
    /// Closer contact is on.
    pub closer: bool,
}

/// The graduates of `of` by their earliest open item, at most `limit`.
pub async fn graduates(
    db: impl PgExecutor<'_>,
    of: ListOf,
    bounds: &Bounds,
    limit: i64,
) -> sqlx::Result<Vec<Graduate>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select g.participant_id, p.surname, p.first_names, p.social_worker_id, \
                u.full_name as worker_name, g.first_due, \
                (select f.kind from follow_up f where f.participant_id = g.participant_id \
                 and f.contacted_on is null order by f.due_on, f.sequence limit 1) as kind, \
                g.open_now, p.follow_up_closer_since is not null as closer \
         from (select p.participant_id, min(f.due_on) as first_due, \
                      count(*) filter (where f.due_on <= ",
    );
    q.push_bind(bounds.due_by).push(") as open_now");
    push_graduates(&mut q, of, bounds);
    q.push(
        ") g join participant p on p.participant_id = g.participant_id \
         left join staff_user u on u.staff_user_id = p.social_worker_id \
         order by g.first_due, p.surname, p.participant_id limit ",
    )
    .push_bind(limit);
    q.build_query_as().fetch_all(db).await
}

/// How many graduates of one social worker stand where.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkerCounts {
    pub social_worker_id: Option<Uuid>,
    pub worker_name: Option<String>,
    pub overdue: i64,
    pub due: i64,
    pub upcoming: i64,
}

/// The counts of `of`, by social worker (by name).
pub async fn counts(
    db: impl PgExecutor<'_>,
    of: ListOf,
    bounds: &Bounds,
) -> sqlx::Result<Vec<WorkerCounts>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select g.social_worker_id, u.full_name as worker_name, \
                count(*) filter (where g.first_due < ",
    );
    q.push_bind(bounds.overdue_before)
        .push(") as overdue, count(*) filter (where g.first_due >= ")
        .push_bind(bounds.overdue_before)
        .push(" and g.first_due <= ")
        .push_bind(bounds.due_by)
        .push(") as due, count(*) filter (where g.first_due > ")
        .push_bind(bounds.due_by)
        .push(
            ") as upcoming \
             from (select p.participant_id, p.social_worker_id, min(f.due_on) as first_due",
        );
    push_graduates(&mut q, of, bounds);
    q.push(
        ") g left join staff_user u on u.staff_user_id = g.social_worker_id \
         group by g.social_worker_id, u.full_name order by u.full_name nulls last",
    );
    q.build_query_as().fetch_all(db).await
}

/// A graduate as the follow-up pages name them.
#[derive(Debug, Clone)]
pub struct Person {
    pub surname: String,
    pub first_names: String,
    pub female: Option<bool>,
    pub status: Status,
    pub ended_on: Option<Date>,
    pub until: Option<Date>,
    pub closer_since: Option<Date>,
    pub worker_name: Option<String>,
}

/// Reads `id` of `centre_id` (in the caller's transaction, after the read's audit row).
pub async fn person(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Person>> {
    sqlx::query_as!(
        Person,
        r#"select p.surname, p.first_names, case when p.sex is null then null else p.sex = 'K' end as female,
                  p.status as "status: Status", p.ended_on, p.follow_up_until as until,
                  p.follow_up_closer_since as closer_since, u.full_name as "worker_name?"
           from participant p left join staff_user u on u.staff_user_id = p.social_worker_id
           where p.centre_id = $1 and p.participant_id = $2"#,
        centre_id,
        id
    )
    .fetch_optional(db)
    .await
}
