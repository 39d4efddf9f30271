//! "Kto przeglądał teczkę": a file's successful views, newest first, a page at a time, read
//! through the `participant_file_view` view (the app role reads nothing else of the audit
//! log). The page's own read is audited by the same statement.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditEvent};
use crate::domain::Role;

/// Views per page.
pub const PAGE: i64 = 50;

/// One view of a file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    /// The cursor.
    pub audit_event_id: i64,
    pub occurred_at: OffsetDateTime,
    pub viewer: Option<String>,
    pub role: Option<Role>,
    /// The parts shown, as audit codes (`personal,contact,…`).
    pub detail: Option<String>,
    /// The file's participant and their name (the log of one staff member's views).
    pub participant_id: Uuid,
    pub participant: Option<String>,
}

/// Whose views: of one file, or by one staff member of the centre in a period.
#[derive(Debug, Clone, Copy)]
pub enum Whose {
    File(Uuid),
    Staff {
        centre_id: Uuid,
        actor_id: Uuid,
        from: OffsetDateTime,
        until: OffsetDateTime,
    },
}

impl Whose {
    /// `fv.… = …`: the rows of this log, over `alias` (the view).
    fn push(&self, q: &mut QueryBuilder<'_, Postgres>, alias: &str) {
        match *self {
            Whose::File(participant) => {
                q.push(format_args!("{alias}.participant_id = "))
                    .push_bind(participant);
            }
            Whose::Staff {
                centre_id,
                actor_id,
                from,
                until,
            } => {
                q.push(format_args!("{alias}.actor_id = "))
                    .push_bind(actor_id)
                    .push(format_args!(" and {alias}.occurred_at >= "))
                    .push_bind(from)
                    .push(format_args!(" and {alias}.occurred_at < "))
                    .push_bind(until)
                    .push(format_args!(
                        " and exists (select 1 from participant cp where cp.participant_id = \
                         {alias}.participant_id and cp.centre_id = "
                    ))
                    .push_bind(centre_id)
                    .push(")");
            }
        }
    }
}

/// Up to `PAGE + 1` views of `whose` log older than the view `before` (the first page without
/// it), and the audit row of this read (`event`).
pub async fn entries(
    db: impl PgExecutor<'_>,
    whose: Whose,
    before: Option<i64>,
    meta: &RequestMeta,
    event: AuditEvent<'_>,
) -> sqlx::Result<Vec<Entry>> {
    let mut q = QueryBuilder::<Postgres>::new("");
    audit::push_read(&mut q, meta, event);
    push_select(&mut q, whose, before, Some(PAGE + 1));
    q.build_query_as().fetch_all(db).await
}

/// Every view of one file, newest first, for a read that writes its own audit row (the
/// subject-access export, in the same transaction).
pub async fn whole_file(db: impl PgExecutor<'_>, participant: Uuid) -> sqlx::Result<Vec<Entry>> {
    let mut q = QueryBuilder::<Postgres>::new("");
    push_select(&mut q, Whose::File(participant), None, None);
    q.build_query_as().fetch_all(db).await
}

/// `select …` the views of `whose` log older than `before`, newest first, up to `limit`.
fn push_select(
    q: &mut QueryBuilder<'_, Postgres>,
    whose: Whose,
    before: Option<i64>,
    limit: Option<i64>,
) {
    q.push(
        "select fv.audit_event_id, fv.occurred_at, u.full_name as viewer, fv.actor_role as role, \
         fv.detail, fv.participant_id, \
         (select p.surname || ' ' || p.first_names from participant p \
          where p.participant_id = fv.participant_id) as participant \
         from participant_file_view fv left join staff_user u on u.staff_user_id = fv.actor_id \
         where ",
    );
    whose.push(q, "fv");
    if let Some(before) = before {
        q.push(
            " and (fv.occurred_at, fv.audit_event_id) < \
             (select c.occurred_at, c.audit_event_id from participant_file_view c where ",
        );
        whose.push(q, "c");
        q.push(" and c.audit_event_id = ")
            .push_bind(before)
            .push(")");
    }
    q.push(" order by fv.occurred_at desc, fv.audit_event_id desc");
    if let Some(limit) = limit {
        q.push(" limit ").push_bind(limit);
    }
}
