//! What the benefit puts on the manager's "Do zrobienia": ended months with attendance recorded
//! and not closed yet (the last three), and the corrections waiting for the next list for the PUP.

use time::Date;

use super::db;
use super::month::month_code;
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::domain::calendar;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem};

/// The ended months looked back at.
const MONTHS_BACK: i32 = 3;

/// The benefit group of the manager's home page.
pub fn inbox_items<'a>(state: &'a AppState, user: &'a CurrentUser, today: Date) -> InboxFuture<'a> {
    Box::pin(async move {
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
                              and a.month = m.month) as "recorded!"
               from (select g::date as month from generate_series($2::date, $3::date, interval '1 month') g) as m
               order by m.month"#,
            user.centre_id,
            first,
            dates::add_months(this_month, -1)
        )
        .fetch_all(&state.db)
        .await?;
        let mut items: Vec<InboxItem> = rows
            .into_iter()
            .filter(|r| !r.closed && r.recorded)
            .map(|r| InboxItem {
                href: Some(format!("/benefits/{}", month_code(r.month))),
                title: format!("Zamknij miesiąc: {}", calendar::month_title(r.month)),
                detail: Some("obecność wpisana, rozliczenie niezamknięte".to_owned()),
                due: None,
                warning: Some("Miesiąc się skończył – rozliczenie czeka na zamknięcie.".to_owned()),
            })
            .collect();
        let pending = db::pending_corrections(&state.db, user.centre_id).await?;
        if pending > 0 {
            items.push(InboxItem {
                href: Some("/benefits".to_owned()),
                title: format!("Korekty do wysłania do PUP: {pending}"),
                detail: Some(
                    "trafią na listę miesiąca zamykanego po raz pierwszy jako następny".to_owned(),
                ),
                due: None,
                warning: None,
            });
        }
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let mut group = InboxGroup::new(format!("Świadczenia ({})", items.len()), items, "");
        group.empty = None;
        Ok(vec![group])
    })
}
