//! What the follow-up area puts on a social worker's "Do zrobienia": graduates of their
//! caseload whose follow-up contact falls due this month or is overdue, from the stored
//! schedule (recording the contacts comes with the follow-up screens).

use sqlx::{Postgres, QueryBuilder};
use time::{Date, Month};
use uuid::Uuid;

use crate::auth::policy;
use crate::auth::scope::push_scope;
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem};

/// Graduates shown; the heading gives the whole count.
const ITEMS: i64 = 10;

/// A graduate with open contacts due by the end of the month.
#[derive(Debug, sqlx::FromRow)]
struct DueGraduate {
    participant_id: Uuid,
    surname: String,
    first_names: String,
    /// The earliest open contact.
    first_due: Date,
    /// Open contacts due by the end of the month.
    open: i64,
    /// Graduates with such contacts.
    total: i64,
}

/// The last day of `today`'s month.
fn end_of_month(today: Date) -> Date {
    let (year, month) = match today.month() {
        Month::December => (today.year() + 1, Month::January),
        m => (today.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1)
        .map_or(today, |first| first.previous_day().unwrap_or(today))
}

/// The follow-up group of a social worker's home page.
pub fn inbox_items<'a>(state: &'a AppState, user: &'a CurrentUser, today: Date) -> InboxFuture<'a> {
    Box::pin(async move {
        if user.role != Role::SocialWorker {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Postgres>::new(
            "select p.participant_id, p.surname, p.first_names, min(f.due_on) as first_due, \
                    count(*) as open, count(*) over () as total \
             from participant p \
             left join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null \
             join follow_up f on f.participant_id = p.participant_id and f.contacted_on is null and f.due_on <= ",
        );
        q.push_bind(end_of_month(today))
            .push(" where p.status = 'graduate' and p.centre_id = ")
            .push_bind(user.centre_id);
        push_scope(&mut q, policy::file_scope(user.actor()));
        q.push(
            " group by p.participant_id, p.surname, p.first_names \
             order by first_due, p.participant_id limit ",
        )
        .push_bind(ITEMS);
        let rows: Vec<DueGraduate> = q.build_query_as().fetch_all(&state.db).await?;
        let total = rows.first().map_or(0, |r| r.total);
        let items = rows
            .into_iter()
            .map(|r| InboxItem {
                href: Some(format!("/participants/{}", r.participant_id)),
                title: format!("{} {}", r.surname, r.first_names),
                detail: Some(if r.open > 1 {
                    format!("kontakty do wykonania: {}", r.open)
                } else {
                    "kontakt do wykonania".to_owned()
                }),
                due: Some(format!("termin {}", dates::format(r.first_due))),
                warning: (r.first_due < today).then(|| "Kontakt zaległy.".to_owned()),
            })
            .collect();
        Ok(vec![InboxGroup {
            heading: format!("Kontakty z absolwentami – w tym miesiącu i zaległe ({total})"),
            count: usize::try_from(total).unwrap_or(0),
            items,
            ..InboxGroup::default()
        }])
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_month_ends_on_its_last_day() {
        assert_eq!(end_of_month(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(end_of_month(date!(2026 - 12 - 05)), date!(2026 - 12 - 31));
        assert_eq!(end_of_month(date!(2028 - 02 - 10)), date!(2028 - 02 - 29));
    }
}
