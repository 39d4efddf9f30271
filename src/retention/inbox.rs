//! What retention puts on the manager's "Do zrobienia": the files past their retention period
//! waiting for review (not held, not anonymised), the longest waiting first, in one statement.

use time::Date;

use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{
    InboxFuture, InboxGroup, InboxItem, InboxLink, InboxRead, ItemDue, SHOWN_ROWS, capped,
};

/// Files shown; the heading gives the whole count, up to `COUNT_CAP` (read by due date from
/// `retention_review_pending_idx`, so the work stops there).
const ITEMS: i64 = SHOWN_ROWS;
const COUNT_CAP: i64 = 100;

/// The retention group of the home page (for whoever may review the files).
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        if policy::check(user.actor(), Action::ViewRetention, Target::Centre).is_err() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query!(
            r#"with waiting as (
                   select r.participant_id, r.due_on from retention_review r
                   where r.centre_id = $1 and r.anonymised_at is null
                     and not exists (select 1 from retention_holds_on($2) h where h.participant_id = r.participant_id)
                   order by r.due_on, r.participant_id
                   limit $4)
               select w.participant_id as "participant_id!", w.due_on as "due_on!", p.surname,
                      p.first_names, (select count(*) from waiting) as "total!"
               from (select * from waiting order by due_on, participant_id limit $3) w
               join participant p using (participant_id)
               order by w.due_on, w.participant_id"#,
            user.centre_id,
            today,
            ITEMS,
            COUNT_CAP + 1
        )
        .fetch_all(&mut *conn)
        .await?;
        let Some(total) = rows.first().map(|r| r.total) else {
            return Ok(Vec::new());
        };
        let items = rows
            .into_iter()
            .map(|r| {
                let item = InboxItem {
                    href: Some(format!("/participants/{}/retention", r.participant_id)),
                    title: format!("{} {}", r.surname, r.first_names),
                    detail: Some("okres przechowywania minął – przejrzyj i zdecyduj".to_owned()),
                    due: Some(dates::format(r.due_on)),
                    warning: None,
                };
                (item, ItemDue::since(r.due_on))
            })
            .collect();
        let mut group = InboxGroup::dated(
            format!(
                "Teczki po okresie przechowywania ({})",
                capped(total, COUNT_CAP)
            ),
            items,
        );
        group.count = usize::try_from(total).unwrap_or(usize::MAX);
        group.links.push(InboxLink {
            href: "/retention",
            label: "Wszystkie teczki do przeglądu",
        });
        Ok(vec![group])
    })
}
