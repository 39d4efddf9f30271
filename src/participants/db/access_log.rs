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

/// One view of the file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    /// The cursor.
    pub audit_event_id: i64,
    pub occurred_at: OffsetDateTime,
    pub viewer: Option<String>,
    pub role: Option<Role>,
    /// The parts shown, as audit codes (`personal,contact,…`).
    pub detail: Option<String>,
}

/// Up to `PAGE + 1` views of `participant_id` older than the view `before` (the first page
/// without it), and the audit row of this read (`event`).
pub async fn entries(
    db: impl PgExecutor<'_>,
    participant_id: Uuid,
    before: Option<i64>,
    meta: &RequestMeta,
    event: AuditEvent<'_>,
) -> sqlx::Result<Vec<Entry>> {
    let mut q = QueryBuilder::<Postgres>::new("");
    audit::push_read(&mut q, meta, event);
    q.push(
        "select fv.audit_event_id, fv.occurred_at, u.full_name as viewer, fv.actor_role as role, \
         fv.detail \
         from participant_file_view fv left join staff_user u on u.staff_user_id = fv.actor_id \
         where fv.participant_id = ",
    )
    .push_bind(participant_id);
    if let Some(before) = before {
        q.push(
            " and (fv.occurred_at, fv.audit_event_id) < \
             (select c.occurred_at, c.audit_event_id from participant_file_view c \
              where c.participant_id = ",
        )
        .push_bind(participant_id)
        .push(" and c.audit_event_id = ")
        .push_bind(before)
        .push(")");
    }
    q.push(" order by fv.occurred_at desc, fv.audit_event_id desc limit ")
        .push_bind(PAGE + 1);
    q.build_query_as().fetch_all(db).await
}
