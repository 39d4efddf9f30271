//! What the follow-up area puts on "Do zrobienia": for a social worker, the graduates of their
//! caseload whose next contact is due this month (or its window is open) or overdue, each
//! linking to the form that records the contact. A few queries whatever the number of
//! graduates.

use time::Date;

use super::db::{self, ListOf};
use super::due::{Bounds, DueState, in_words};
use super::schedule;
use crate::auth::policy::{Action, Target, follow_up_scope};
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem, InboxLink, ItemDue};

/// Graduates shown; the heading gives the whole count.
const ITEMS: i64 = 10;

/// The follow-up group of a social worker's home page. The manager follows the centre's
/// contacts by worker on `/follow-ups`: counting every graduate's open items on Start cost a
/// 100,000-participant centre's manager 0.2 s per page (scripts/bench), and the contacts are
/// the social workers' work.
pub fn inbox_items<'a>(state: &'a AppState, user: &'a CurrentUser, today: Date) -> InboxFuture<'a> {
    Box::pin(async move {
        if user.role != Role::SocialWorker || !user.can(Action::ViewFollowUps, Target::Centre) {
            return Ok(Vec::new());
        }
        let timing = schedule::timing(&state.db, user.centre_id, today).await?;
        let bounds = Bounds::on(today, timing.window_days);
        let of = ListOf {
            centre_id: user.centre_id,
            scope: follow_up_scope(user.actor()),
            worker: None,
        };
        let counts = db::counts(&state.db, of, &bounds).await?;
        let total: i64 = counts.iter().map(|c| c.overdue + c.due).sum();
        if total == 0 {
            return Ok(Vec::new());
        }
        // Only what is due now or late: the list's rows up to the end of the "due" group.
        let due_now = Bounds {
            horizon: bounds.due_by,
            ..bounds
        };
        let rows = db::graduates(&state.db, of, &due_now, ITEMS).await?;
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
            format!("Kontakty z absolwentami – w tym miesiącu i zaległe ({total})"),
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
