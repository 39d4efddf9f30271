//! Queries on opinions. Every query takes the actor's centre: an opinion or a participant of
//! another centre is never loaded, so it answers 404 like a missing one. Writes run in the
//! caller's transaction, after it locked the row (`lock` / `lock_participant`) and asked the
//! policy; status changes are guarded updates (`where status = 'requested'`).

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::policy::{OpinionFacts, ParticipantFacts};
use crate::documents::version::Sections;
use crate::domain::{OpinionKind, OpinionStatus, Role, Status};

/// One opinion with what its pages show.
#[derive(Debug, Clone)]
pub struct Stored {
    pub opinion_id: Uuid,
    pub participant_id: Uuid,
    pub kind: OpinionKind,
    pub status: OpinionStatus,
    pub author_id: Uuid,
    pub author_name: String,
    pub requested_by_name: String,
    pub requested_at: OffsetDateTime,
    pub signed_off_at: Option<OffsetDateTime>,
    pub withdrawn_at: Option<OffsetDateTime>,
    pub withdrawn_by_name: Option<String>,
    pub sections: Json<Sections>,
    pub revision: i32,
    pub surname: String,
    pub first_names: String,
    pub social_worker_id: Option<Uuid>,
    pub participant_status: Status,
    pub in_actor_workshop: bool,
}

impl Stored {
    /// The facts the policy needs.
    pub fn facts(&self) -> OpinionFacts {
        OpinionFacts {
            opinion_id: self.opinion_id,
            participant: ParticipantFacts {
                participant_id: self.participant_id,
                social_worker_id: self.social_worker_id,
                status: self.participant_status,
                in_actor_workshop: self.in_actor_workshop,
            },
            kind: self.kind,
            author_id: self.author_id,
        }
    }

    /// The participant's name as the pages show it.
    pub fn participant_name(&self) -> String {
        format!("{} {}", self.first_names, self.surname)
    }
}

/// The opinion `id` of the centre, read for `actor_id` (whether the participant is in their
/// workshop is a fact of the scope).
pub async fn find(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<Stored>> {
    sqlx::query_as!(
        Stored,
        r#"select o.opinion_id, o.participant_id, o.kind as "kind: OpinionKind",
                  o.status as "status: OpinionStatus", o.author_id, a.full_name as author_name,
                  r.full_name as requested_by_name, o.requested_at, o.signed_off_at, o.withdrawn_at,
                  w.full_name as "withdrawn_by_name?", o.sections as "sections: Json<Sections>",
                  o.revision, p.surname, p.first_names, p.social_worker_id,
                  p.status as "participant_status: Status",
                  exists (select 1 from workshop_membership m join workshop_instructor ws using (workshop_id)
                          where m.participant_id = p.participant_id and m.member_until is null
                            and ws.staff_user_id = $3) as "in_actor_workshop!"
           from opinion o join participant p on p.participant_id = o.participant_id
           join staff_user a on a.staff_user_id = o.author_id
           join staff_user r on r.staff_user_id = o.requested_by
           left join staff_user w on w.staff_user_id = o.withdrawn_by
           where o.centre_id = $1 and o.opinion_id = $2"#,
        centre_id,
        id,
        actor_id
    )
    .fetch_optional(db)
    .await
}

/// Locks the opinion's row for the rest of the transaction (the participant's row is not
/// locked: an opinion's steps never change the participant).
pub async fn lock(conn: &mut PgConnection, centre_id: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let found = sqlx::query_scalar!(
        "select opinion_id from opinion where centre_id = $1 and opinion_id = $2 for update",
        centre_id,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// A participant as the opinions pages need them: the policy's facts and the name.
#[derive(Debug, Clone)]
pub struct Participant {
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    pub social_worker_id: Option<Uuid>,
    pub status: Status,
    pub in_actor_workshop: bool,
}

impl Participant {
    /// The facts the policy needs.
    pub fn facts(&self) -> ParticipantFacts {
        ParticipantFacts {
            participant_id: self.participant_id,
            social_worker_id: self.social_worker_id,
            status: self.status,
            in_actor_workshop: self.in_actor_workshop,
        }
    }

    /// The name as the pages show it.
    pub fn name(&self) -> String {
        format!("{} {}", self.first_names, self.surname)
    }
}

/// The participant `id` of the centre; with `lock`, its row is locked for the transaction (a
/// request of an opinion serializes with the other writes on the file).
pub async fn participant(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
    lock: bool,
) -> sqlx::Result<Option<Participant>> {
    // The two statements differ only in the lock (a query macro takes a literal).
    macro_rules! read {
        ($tail:literal) => {
            sqlx::query_as!(
                Participant,
                r#"select p.participant_id, p.surname, p.first_names, p.social_worker_id,
                          p.status as "status: Status",
                          exists (select 1 from workshop_membership m join workshop_instructor w using (workshop_id)
                                  where m.participant_id = p.participant_id and m.member_until is null
                                    and w.staff_user_id = $3) as "in_actor_workshop!"
                   from participant p where p.centre_id = $1 and p.participant_id = $2"#
                    + $tail,
                centre_id,
                id,
                actor_id
            )
            .fetch_optional(conn)
            .await
        };
    }
    if lock {
        read!(" for update of p")
    } else {
        read!("")
    }
}

/// One row of a participant's opinions list.
#[derive(Debug, Clone)]
pub struct Row {
    pub opinion_id: Uuid,
    pub kind: OpinionKind,
    pub status: OpinionStatus,
    pub author_name: String,
    pub requested_by_name: String,
    pub requested_at: OffsetDateTime,
    pub signed_off_at: Option<OffsetDateTime>,
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// Every opinion of the participant of `kinds`, per kind newest first.
pub async fn list(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
    kinds: &[OpinionKind],
) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as!(
        Row,
        r#"select o.opinion_id, o.kind as "kind: OpinionKind", o.status as "status: OpinionStatus",
                  a.full_name as author_name, r.full_name as requested_by_name, o.requested_at,
                  o.signed_off_at, o.withdrawn_at
           from opinion o join staff_user a on a.staff_user_id = o.author_id
           join staff_user r on r.staff_user_id = o.requested_by
           where o.centre_id = $1 and o.participant_id = $2 and o.kind = any($3::opinion_kind[])
           order by o.kind, o.requested_at desc, o.opinion_id"#,
        centre_id,
        participant_id,
        kinds as &[OpinionKind]
    )
    .fetch_all(db)
    .await
}

/// A colleague who may be asked for an opinion.
#[derive(Debug, Clone)]
pub struct Colleague {
    pub staff_user_id: Uuid,
    pub full_name: String,
    pub role: Role,
}

/// The centre's active psychologists, career advisors and instructors, by name.
pub async fn colleagues(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Vec<Colleague>> {
    sqlx::query_as!(
        Colleague,
        r#"select staff_user_id, full_name, role as "role: Role" from staff_user
           where centre_id = $1 and active and role in ('psychologist', 'career_advisor', 'instructor')
           order by role, full_name, staff_user_id"#,
        centre_id
    )
    .fetch_all(db)
    .await
}

/// Withdraws the open opinion of `kind` of the participant, if any; its id and author.
pub async fn withdraw_open(
    conn: &mut PgConnection,
    participant_id: Uuid,
    kind: OpinionKind,
    by: Uuid,
) -> sqlx::Result<Option<(Uuid, Uuid)>> {
    let row = sqlx::query!(
        "update opinion set status = 'withdrawn', withdrawn_at = now(), withdrawn_by = $3
         where participant_id = $1 and kind = $2 and status = 'requested'
         returning opinion_id, author_id",
        participant_id,
        kind as OpinionKind,
        by
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.opinion_id, r.author_id)))
}

/// Requests an opinion of `kind` about the participant from `author`; its id.
pub async fn request(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
    kind: OpinionKind,
    author: Uuid,
    by: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into opinion (centre_id, participant_id, kind, author_id, requested_by)
         values ($1, $2, $3, $4, $5) returning opinion_id",
        centre_id,
        participant_id,
        kind as OpinionKind,
        author,
        by
    )
    .fetch_one(conn)
    .await
}

/// Saves the draft made from `revision`; the new revision, or `None` when the opinion is no
/// longer open or was saved since.
pub async fn save(
    conn: &mut PgConnection,
    id: Uuid,
    revision: i32,
    sections: &Sections,
) -> sqlx::Result<Option<i32>> {
    sqlx::query_scalar!(
        "update opinion set sections = $3, revision = revision + 1
         where opinion_id = $1 and revision = $2 and status = 'requested' returning revision",
        id,
        revision,
        Json(sections) as _
    )
    .fetch_optional(conn)
    .await
}

/// Signs off the opinion as saved at `revision`; false when it is no longer open or changed.
pub async fn sign_off(conn: &mut PgConnection, id: Uuid, revision: i32) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update opinion set status = 'signed_off', signed_off_at = now()
         where opinion_id = $1 and revision = $2 and status = 'requested'",
        id,
        revision
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws the open opinion `id`; false when it is no longer open.
pub async fn withdraw(conn: &mut PgConnection, id: Uuid, by: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update opinion set status = 'withdrawn', withdrawn_at = now(), withdrawn_by = $2
         where opinion_id = $1 and status = 'requested'",
        id,
        by
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the work count kept with the sessions of `users` (their "Opinie do napisania"
/// changed), so their navigation never shows a stale count.
pub async fn forget_work_counts(db: impl PgExecutor<'_>, users: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query!(
        "update session set work_count = null where user_id = any($1) and work_count is not null",
        users
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The current signed-off opinion of each kind (the newest), of `kinds`.
pub async fn current_signed_off(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
    kinds: &[OpinionKind],
) -> sqlx::Result<Vec<Signed>> {
    sqlx::query_as!(
        Signed,
        r#"select distinct on (o.kind) o.opinion_id, o.kind as "kind: OpinionKind",
                  a.full_name as author_name, o.signed_off_at as "signed_off_at!",
                  o.sections as "sections: Json<Sections>"
           from opinion o join staff_user a on a.staff_user_id = o.author_id
           where o.centre_id = $1 and o.participant_id = $2 and o.status = 'signed_off'
             and o.kind = any($3::opinion_kind[])
           order by o.kind, o.signed_off_at desc, o.opinion_id"#,
        centre_id,
        participant_id,
        kinds as &[OpinionKind]
    )
    .fetch_all(db)
    .await
}

/// A signed-off opinion as stored.
#[derive(Debug, Clone)]
pub struct Signed {
    pub opinion_id: Uuid,
    pub kind: OpinionKind,
    pub author_name: String,
    pub signed_off_at: OffsetDateTime,
    pub sections: Json<Sections>,
}

/// The kinds the centre requires.
pub async fn required(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Vec<OpinionKind>> {
    sqlx::query_scalar!(
        r#"select required_opinions as "kinds: Vec<OpinionKind>" from centre where centre_id = $1"#,
        centre_id
    )
    .fetch_one(db)
    .await
}

/// The kinds the centre requires that have no signed-off opinion about the participant yet.
pub async fn missing_required(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<OpinionKind>> {
    sqlx::query_scalar!(
        r#"select k as "kind!: OpinionKind"
           from centre c cross join lateral unnest(c.required_opinions) with ordinality as r(k, n)
           where c.centre_id = $1 and not exists (
               select 1 from opinion o where o.centre_id = c.centre_id and o.participant_id = $2
                 and o.kind = r.k and o.status = 'signed_off')
           order by r.k"#,
        centre_id,
        participant_id
    )
    .fetch_all(db)
    .await
}
