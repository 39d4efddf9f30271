//! What the opinions area puts on Start: "Opinie do napisania", the open requests addressed to
//! the user (whatever their role: an opinion requested before a role change still shows, and
//! its page says it may no longer be written). One query.

use time::{Date, Duration};
use uuid::Uuid;

use crate::auth::session::CurrentUser;
use crate::domain::{OpinionKind, Role};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem, InboxRead, ItemDue, SHOWN_ROWS};

/// Requests shown; the heading gives the whole count.
const ITEMS: i64 = SHOWN_ROWS;

/// An opinion is expected within this many days of the request; later it is marked overdue.
const LATE_DAYS: i64 = 14;

/// The "Opinie do napisania" group of the user's home page.
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        // Only the roles that write opinions have them to write (no statement for the others).
        if !matches!(
            user.role,
            Role::Psychologist | Role::CareerAdvisor | Role::Instructor
        ) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query!(
            r#"select o.opinion_id, o.kind as "kind: OpinionKind", o.requested_at,
                      p.surname, p.first_names, r.full_name as requested_by,
                      count(*) over () as "total!"
               from opinion o join participant p on p.participant_id = o.participant_id
               join staff_user r on r.staff_user_id = o.requested_by
               where o.author_id = $1 and o.centre_id = $2 and o.status = 'requested'
               order by o.requested_at, o.opinion_id limit $3"#,
            user.user_id,
            user.centre_id,
            ITEMS
        )
        .fetch_all(&mut *conn)
        .await?;
        let Some(total) = rows.first().map(|r| r.total) else {
            return Ok(Vec::new());
        };
        let items = rows
            .into_iter()
            .map(|r| {
                let requested = dates::polish_time(r.requested_at).date();
                let item = InboxItem {
                    href: Some(opinion_href(r.opinion_id)),
                    title: format!("{} {}", r.surname, r.first_names),
                    detail: Some(format!("{} – zleca {}", r.kind.label(), r.requested_by)),
                    due: Some(format!(
                        "zlecono {}, termin {}",
                        dates::format(requested),
                        dates::format(requested + Duration::days(LATE_DAYS))
                    )),
                    warning: None,
                };
                (
                    item,
                    ItemDue::by(requested + Duration::days(LATE_DAYS), today),
                )
            })
            .collect();
        let mut group = InboxGroup::dated(format!("Opinie do napisania ({total})"), items);
        group.count = usize::try_from(total).unwrap_or(0);
        Ok(vec![group])
    })
}

/// An opinion's page.
pub fn opinion_href(id: Uuid) -> String {
    format!("/opinions/{id}")
}
