//! The audit log's reads, through the `centre_audit_event` view (migration 0027; the app role
//! cannot read `audit_event` itself). Every read names its centre; a page's own audit row is
//! written by the same statement ([`audit::push_read`]) or, for an export or the reports, in
//! the same transaction by the caller.

use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditEvent};
use crate::domain::Role;
use crate::domain::fold::{fold, prefix_end};

/// Events per page of the search.
pub const PAGE: i64 = 50;

/// The most rows an export or a report section holds (the newest; the page says so).
pub const EXPORT_LIMIT: i64 = 20_000;
pub const REPORT_LIMIT: i64 = 200;

/// The participants a lookup by surname or PESEL offers at most (one more: "too many").
pub const PEOPLE_LIMIT: i64 = 20;

/// Which actions a search keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actions {
    Any,
    /// One action code (from `audit::labels::ACTIONS`).
    One(&'static str),
    /// Exports and prints: an action ending in `.export` or `.print`, or a read whose detail
    /// starts with `print` (a printed file, a printed benefit statement).
    ExportsAndPrints,
}

/// What a search or a report section reads: one centre's events in `[from, until)`.
#[derive(Clone, Copy, Debug)]
pub struct Filter {
    pub centre_id: Uuid,
    pub participant: Option<Uuid>,
    pub actor: Option<Uuid>,
    pub actions: Actions,
    /// `success`, `failure` or `denied`.
    pub outcome: Option<&'static str>,
    pub from: OffsetDateTime,
    pub until: OffsetDateTime,
}

impl Filter {
    /// `a.centre_id = … and …` over the view aliased `a`.
    fn push<'a>(&self, q: &mut QueryBuilder<'a, Postgres>) {
        q.push("a.centre_id = ")
            .push_bind(self.centre_id)
            .push(" and a.occurred_at >= ")
            .push_bind(self.from)
            .push(" and a.occurred_at < ")
            .push_bind(self.until);
        if let Some(participant) = self.participant {
            q.push(" and a.participant_id = ").push_bind(participant);
        }
        if let Some(actor) = self.actor {
            q.push(" and a.actor_id = ").push_bind(actor);
        }
        match self.actions {
            Actions::Any => {}
            Actions::One(code) => {
                q.push(" and a.action = ").push_bind(code);
            }
            Actions::ExportsAndPrints => {
                q.push(
                    " and (a.action like '%.export' or a.action like '%.print' \
                     or a.detail like 'print%')",
                );
            }
        }
        if let Some(outcome) = self.outcome {
            q.push(" and a.outcome = ").push_bind(outcome);
        }
    }
}

/// One event as the search shows it: who, what, on whom; `detail` only for what the page
/// names from it (the parts of a file a view showed), never shown as free text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Event {
    pub audit_event_id: i64,
    pub occurred_at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub actor: Option<String>,
    pub actor_role: Option<Role>,
    pub action: String,
    pub object_type: Option<String>,
    pub participant_id: Option<Uuid>,
    /// "Surname First names", when the participant is of the centre.
    pub participant: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

/// The newest `limit` events of `filter` older than the event `before` (the first page
/// without it). With `read`, the statement also writes that audit row (the page's read).
pub async fn events<'a>(
    db: impl PgExecutor<'_>,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
    read: Option<(&'a RequestMeta, AuditEvent<'a>)>,
) -> sqlx::Result<Vec<Event>> {
    let mut q = QueryBuilder::<Postgres>::new("");
    if let Some((meta, event)) = read {
        audit::push_read(&mut q, meta, event);
    }
    q.push(
        "select a.audit_event_id, a.occurred_at, a.actor_id, u.full_name as actor, a.actor_role, \
         a.action, a.object_type, a.participant_id, \
         p.surname || ' ' || p.first_names as participant, a.outcome, a.detail \
         from centre_audit_event a \
         left join staff_user u on u.staff_user_id = a.actor_id \
         left join participant p on p.participant_id = a.participant_id and p.centre_id = a.centre_id \
         where ",
    );
    filter.push(&mut q);
    if let Some(before) = before {
        q.push(
            " and (a.occurred_at, a.audit_event_id) < \
             (select c.occurred_at, c.audit_event_id from centre_audit_event c \
              where c.audit_event_id = ",
        )
        .push_bind(before)
        .push(" and c.centre_id = ")
        .push_bind(filter.centre_id)
        .push(")");
    }
    q.push(" order by a.occurred_at desc, a.audit_event_id desc limit ")
        .push_bind(limit);
    q.build_query_as().fetch_all(db).await
}

/// A participant of the centre, by identity only (what the search's choice shows).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub participant_id: Uuid,
    pub name: String,
    pub pesel: Option<String>,
}

/// The centre's participants whose PESEL (digits) or folded surname starts with `text`, by
/// surname; at most `PEOPLE_LIMIT + 1`.
pub async fn people(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    text: &str,
) -> sqlx::Result<Vec<Person>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select participant_id, surname || ' ' || first_names as name, pesel from participant \
         where centre_id = ",
    );
    q.push_bind(centre_id);
    let key = if text.chars().all(|c| c.is_ascii_digit()) {
        q.push(" and pesel >= ");
        text.to_owned()
    } else {
        q.push(" and surname_folded >= ");
        fold(text)
    };
    let end = prefix_end(&key);
    q.push_bind(key);
    if text.chars().all(|c| c.is_ascii_digit()) {
        q.push(" and pesel < ");
    } else {
        q.push(" and surname_folded < ");
    }
    q.push_bind(end)
        .push(" order by surname_folded, first_names_folded, participant_id limit ")
        .push_bind(PEOPLE_LIMIT + 1);
    q.build_query_as().fetch_all(db).await
}

/// One participant of the centre by id.
pub async fn person(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Person>> {
    sqlx::query_as(
        "select participant_id, surname || ' ' || first_names as name, pesel from participant \
         where centre_id = $1 and participant_id = $2",
    )
    .bind(centre_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A file opened outside the caseload (the rule: `reports.rs`, `OUTSIDE_RULE`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutsideView {
    pub occurred_at: OffsetDateTime,
    pub day: Date,
    pub actor_id: Option<Uuid>,
    pub actor: Option<String>,
    pub actor_role: Option<Role>,
    pub participant_id: Uuid,
    pub participant: Option<String>,
}

/// The successful file views of the period by someone who, at that moment, was not the
/// participant's social worker (the latest `social_worker_change` at or before it; before the
/// first change on record, the worker that change took the file from; for a file with no
/// history at all, its current worker), not the
/// instructor of a workshop the participant was a member of on that (Polish) day, and not
/// the manager. The psychologist and the career advisor have no caseload (they work with
/// every participant in the trial period or the programme) and are not listed.
pub async fn outside_caseload(
    db: &mut PgConnection,
    filter: &Filter,
) -> sqlx::Result<Vec<OutsideView>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select a.occurred_at, (a.occurred_at at time zone 'Europe/Warsaw')::date as day, \
         a.actor_id, u.full_name as actor, a.actor_role, a.participant_id, \
         p.surname || ' ' || p.first_names as participant \
         from centre_audit_event a \
         left join staff_user u on u.staff_user_id = a.actor_id \
         left join participant p on p.participant_id = a.participant_id and p.centre_id = a.centre_id \
         where ",
    );
    filter.push(&mut q);
    q.push(
        " and a.participant_id is not null and case a.actor_role \
           when 'manager' then false \
           when 'psychologist' then false \
           when 'career_advisor' then false \
           when 'social_worker' then coalesce( \
                (select w.to_worker from social_worker_change w \
                 where w.participant_id = a.participant_id and w.changed_at <= a.occurred_at \
                 order by w.changed_at desc limit 1), \
                (select w.from_worker from social_worker_change w \
                 where w.participant_id = a.participant_id and w.changed_at > a.occurred_at \
                 order by w.changed_at limit 1), \
                (select p.social_worker_id where not exists (select 1 from social_worker_change w \
                 where w.participant_id = a.participant_id))) is distinct from a.actor_id \
           when 'instructor' then not exists (select 1 from workshop_membership m \
                join workshop_instructor i on i.workshop_id = m.workshop_id \
                where m.participant_id = a.participant_id and i.staff_user_id = a.actor_id \
                  and m.member_from <= (a.occurred_at at time zone 'Europe/Warsaw')::date \
                  and (m.member_until is null \
                       or m.member_until >= (a.occurred_at at time zone 'Europe/Warsaw')::date)) \
           else true end \
         order by a.occurred_at desc, a.audit_event_id desc limit ",
    )
    .push_bind(REPORT_LIMIT + 1);
    q.build_query_as().fetch_all(db).await
}

/// A staff member's day with more distinct files opened than the threshold.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BusyDay {
    pub actor_id: Uuid,
    pub actor: Option<String>,
    pub actor_role: Option<Role>,
    pub day: Date,
    pub files: i64,
}

/// The (staff member, Polish day) pairs of the period with more than `threshold` distinct
/// files opened (successful `participant.view`), newest day first.
pub async fn busy_days(
    db: &mut PgConnection,
    filter: &Filter,
    threshold: i64,
) -> sqlx::Result<Vec<BusyDay>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select a.actor_id, min(u.full_name) as actor, min(a.actor_role::text)::staff_role as actor_role, \
         (a.occurred_at at time zone 'Europe/Warsaw')::date as day, \
         count(distinct a.participant_id) as files \
         from centre_audit_event a left join staff_user u on u.staff_user_id = a.actor_id \
         where ",
    );
    filter.push(&mut q);
    q.push(" and a.actor_id is not null group by a.actor_id, day having count(distinct a.participant_id) > ")
        .push_bind(threshold)
        .push(" order by day desc, files desc, a.actor_id limit ")
        .push_bind(REPORT_LIMIT + 1);
    q.build_query_as().fetch_all(db).await
}
