//! What the follow-up area puts on "Do zrobienia": for a social worker, the graduates of their
//! caseload whose next contact is due this month (or its window is open) or overdue, each
//! linking to the form that records the contact. Two statements whatever the number of
//! graduates: the open items are read by due date (`follow_up_due_idx`) up to `ITEMS_READ`,
//! each checked against its graduate by key, so a caseload of tens of thousands costs what
//! the first few hundred items cost.

use sqlx::PgConnection;
use time::Date;

use uuid::Uuid;

use super::due::{Bounds, DueState, in_words};
use super::schedule;
use crate::auth::policy::{Action, ListScope, Target, follow_up_scope};
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{
    InboxFuture, InboxGroup, InboxItem, InboxLink, InboxRead, ItemDue, SHOWN_ROWS, SMALL_CASELOAD,
    at_least,
};

/// Graduates shown; the heading gives the whole count.
const ITEMS: i64 = SHOWN_ROWS;
/// Open items read, earliest first: the graduates counted in the heading are those whose items
/// come first (past it the heading says "co najmniej").
const ITEMS_READ: i64 = 100;

/// The follow-up group of a social worker's home page. The manager follows the centre's
/// contacts by worker on `/follow-ups`: counting every graduate's open items on Start cost a
/// 100,000-participant centre's manager 0.2 s per page (scripts/bench), and the contacts are
/// the social workers' work.
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        if user.role != Role::SocialWorker || !user.can(Action::ViewFollowUps, Target::Centre) {
            return Ok(Vec::new());
        }
        let worker = match follow_up_scope(user.actor()) {
            ListScope::Caseload(worker) => worker,
            _ => return Ok(Vec::new()),
        };
        let timing = schedule::timing(&mut *conn, user.centre_id, today).await?;
        let bounds = Bounds::on(today, timing.window_days);
        let rows = due_now(&mut *conn, user.centre_id, worker, &bounds).await?;
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        let (total, more) = (first.graduates, first.items >= ITEMS_READ);
        // Overdue once the window after the due date has closed; the lateness is counted from
        // the due date, as the follow-up lists count it.
        let items = rows
            .into_iter()
            .map(|r| {
                let overdue = bounds.group(r.first_due) == DueState::Overdue;
                let item = InboxItem {
                    href: Some(format!(
                        "/participants/{}/follow-ups/contact",
                        r.participant_id
                    )),
                    title: format!("{} {}", r.surname, r.first_names),
                    detail: Some(if r.open_now > 1 {
                        format!("kontakty do wykonania: {}", r.open_now)
                    } else {
                        "kontakt do wykonania".to_owned()
                    }),
                    due: Some(if overdue {
                        format!("termin {}", dates::format(r.first_due))
                    } else {
                        format!(
                            "termin {} – {}",
                            dates::format(r.first_due),
                            in_words(r.first_due, timing.window_days, today)
                        )
                    }),
                    warning: None,
                };
                let due = ItemDue {
                    on: Some(r.first_due),
                    overdue,
                };
                (item, due)
            })
            .collect();
        let mut group = InboxGroup::dated(
            format!(
                "Kontakty z absolwentami – w tym miesiącu i zaległe ({})",
                at_least(total, more)
            ),
            items,
        );
        group.count = usize::try_from(total).unwrap_or(0);
        group.links = vec![InboxLink {
            href: "/follow-ups",
            label: "Wszystkie terminy monitoringu absolwentów",
        }];
        Ok(vec![group])
    })
}

/// A graduate due now or overdue, with the counts of the whole read.
struct DueNow {
    participant_id: Uuid,
    surname: String,
    first_names: String,
    first_due: Date,
    /// Open items whose window has opened.
    open_now: i64,
    /// Graduates among the items read.
    graduates: i64,
    /// Items read (`ITEMS_READ` at most).
    items: i64,
}

/// The first `ITEMS` graduates of `worker` by their earliest open item due by `bounds.due_by`.
/// A caseload of up to `SMALL_CASELOAD` people is read from the worker's graduates (found along the
/// caseload's index: `offset 0` keeps the planner from walking every graduate of the centre
/// instead), each one's open items by key (a lateral subquery, kept apart the same way, or the
/// planner would hash every open item of the centre). A larger caseload is read from the centre's open items by due date up
/// to `ITEMS_READ`, each graduate's conditions a subquery by key (as a join the planner would
/// hash every graduate of the centre first); from the items, a small caseload would walk the
/// whole centre's open items (23 ms for 60 people at 100,000 participants).
async fn due_now(
    conn: &mut PgConnection,
    centre_id: Uuid,
    worker: Uuid,
    bounds: &Bounds,
) -> sqlx::Result<Vec<DueNow>> {
    sqlx::query_as!(
        DueNow,
        r#"with size as (select count(*) as n from (select 1 from participant p
                                                     where p.centre_id = $1 and p.social_worker_id = $4
                                                     limit $7::bigint + 1) s),
           mine as materialized (
               select c.participant_id
               from (select p.participant_id, p.status, p.follow_up_until from participant p
                     where p.centre_id = $1 and p.social_worker_id = $4
                     offset 0) c
               where (select n from size) <= $7 and c.status = 'graduate' and c.follow_up_until >= $3),
           open as (
               (select f.participant_id, f.due_on
                from mine g
                cross join lateral (select f.participant_id, f.due_on from follow_up f
                                    where f.participant_id = g.participant_id
                                      and f.contacted_on is null and f.due_on <= $2
                                    offset 0) f
                where (select n from size) <= $7
                order by f.due_on
                limit $5)
               union all
               (select f.participant_id, f.due_on
                from follow_up f
                where (select n from size) > $7
                  and f.centre_id = $1 and f.contacted_on is null and f.due_on <= $2
                  and (select p.status = 'graduate' and p.follow_up_until >= $3
                              and p.social_worker_id = $4
                       from participant p where p.participant_id = f.participant_id)
                order by f.due_on
                limit $5)),
           firsts as (select participant_id, min(due_on) as first_due from open group by participant_id)
           select x.participant_id as "participant_id!", p.surname, p.first_names,
                  x.first_due as "first_due!",
                  (select count(*) from follow_up f where f.participant_id = x.participant_id
                     and f.contacted_on is null and f.due_on <= $2) as "open_now!",
                  (select count(*) from firsts) as "graduates!",
                  (select count(*) from open) as "items!"
           from (select * from firsts order by first_due, participant_id limit $6) x
           join participant p on p.participant_id = x.participant_id
           order by x.first_due, x.participant_id"#,
        centre_id,
        bounds.due_by,
        bounds.today,
        worker,
        ITEMS_READ,
        ITEMS,
        SMALL_CASELOAD,
    )
    .fetch_all(&mut *conn)
    .await
}
