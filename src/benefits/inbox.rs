//! What the benefit puts on the manager's "Do zrobienia": ended months with attendance recorded
//! and not closed yet (the last three), and the corrections waiting for the next list for the PUP,
//! in one statement.

use time::Date;

use super::month::month_code;
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::domain::calendar;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem, InboxRead, ItemDue};

/// The ended months looked back at.
const MONTHS_BACK: i32 = 3;

/// The benefit group of the manager's home page.
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        if user.role != Role::Manager {
            return Ok(Vec::new());
        }
        let this_month = today.replace_day(1).unwrap_or(today);
        let first = dates::add_months(this_month, -MONTHS_BACK);
        let rows = sqlx::query!(
            r#"select m.month::date as "month!",
                      exists (select 1 from benefit_month b where b.centre_id = $1
                              and b.month = m.month and b.closed) as "closed!",
                      exists (select 1 from attendance_month a where a.centre_id = $1
                              and a.month = m.month) as "recorded!",
                      (select count(*) from benefit_correction c
                       where c.centre_id = $1 and c.pup_month is null) as "pending!"
               from (select g::date as month from generate_series($2::date, $3::date, interval '1 month') g) as m
               order by m.month"#,
            user.centre_id,
            first,
            dates::add_months(this_month, -1)
        )
        .fetch_all(&mut *conn)
        .await?;
        // The corrections waiting come with every month's row (one statement for the page).
        let pending = rows.first().map_or(0, |r| r.pending);
        // A month is to be closed from the day after it ends (no later deadline is set).
        let mut items: Vec<(InboxItem, ItemDue)> = rows
            .into_iter()
            .filter(|r| !r.closed && r.recorded)
            .map(|r| {
                let item = InboxItem {
                    href: Some(format!("/benefits/{}", month_code(r.month))),
                    title: format!("Zamknij miesiąc: {}", calendar::month_title(r.month)),
                    detail: Some("obecność wpisana, rozliczenie niezamknięte".to_owned()),
                    due: None,
                    warning: Some(
                        "Miesiąc się skończył – rozliczenie czeka na zamknięcie.".to_owned(),
                    ),
                };
                (item, ItemDue::since(dates::add_months(r.month, 1)))
            })
            .collect();
        if pending > 0 {
            let item = InboxItem {
                href: Some("/benefits".to_owned()),
                title: format!("Korekty do wysłania do PUP: {pending}"),
                detail: Some(
                    "trafią na listę miesiąca zamykanego po raz pierwszy jako następny".to_owned(),
                ),
                due: None,
                warning: None,
            };
            items.push((item, ItemDue::default()));
        }
        if items.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![InboxGroup::dated(
            format!("Świadczenia ({})", items.len()),
            items,
        )])
    })
}
