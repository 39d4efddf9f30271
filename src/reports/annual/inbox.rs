//! What the annual report puts on the manager's "Do zrobienia": from 1 January to 31 March,
//! the report for the year just ended while no version of it is saved (art. 5: due by
//! 31 March), in one statement.

use time::{Date, Month};

use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem, InboxRead, ItemDue};

/// The day the report is due in `today`'s year, when `today` is in the first quarter.
fn due_in_quarter(today: Date) -> Option<Date> {
    let due = Date::from_calendar_date(today.year(), Month::March, 31).ok()?;
    (today <= due).then_some(due)
}

/// The report group of the manager's home page.
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        let Some(due) = due_in_quarter(today).filter(|_| user.role == Role::Manager) else {
            return Ok(Vec::new());
        };
        let year = today.year() - 1;
        if super::db::has_version(&mut *conn, user.centre_id, year).await? {
            return Ok(Vec::new());
        }
        let item = InboxItem {
            href: Some(format!("{}?year={year}", super::PATH)),
            title: format!("Sprawozdanie roczne za {year} — termin 31 marca"),
            detail: Some("dla wojewody (art. 5 ustawy o zatrudnieniu socjalnym); nie zapisano jeszcze żadnej wersji".to_owned()),
            due: Some(dates::format(due)),
            warning: None,
        };
        Ok(vec![InboxGroup::dated(
            "Sprawozdania (1)",
            vec![(item, ItemDue::by(due, today))],
        )])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_reminder_runs_from_new_year_to_the_31st_of_march() {
        assert_eq!(
            due_in_quarter(date!(2026 - 01 - 01)),
            Some(date!(2026 - 03 - 31))
        );
        assert_eq!(
            due_in_quarter(date!(2026 - 03 - 31)),
            Some(date!(2026 - 03 - 31))
        );
        assert_eq!(due_in_quarter(date!(2026 - 04 - 01)), None);
        assert_eq!(due_in_quarter(date!(2026 - 12 - 01)), None);
    }
}
