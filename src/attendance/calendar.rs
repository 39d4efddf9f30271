//! The centre's calendar: the working days of a period are Monday to Friday, except the public
//! holidays (`domain::calendar`) and the days the centre is closed (`centre_closed_day`, set by
//! the manager on the calendar screen).

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use crate::domain::calendar;

/// The days `centre_id` is closed from `from` to `to` (inclusive), with their reasons, in order.
pub async fn closed_days(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    from: Date,
    to: Date,
) -> sqlx::Result<Vec<(Date, String)>> {
    let rows = sqlx::query!(
        "select day, reason from centre_closed_day
         where centre_id = $1 and day between $2 and $3 order by day",
        centre_id,
        from,
        to
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.reason)).collect())
}

/// The centre's working days from `from` to `to` (inclusive).
pub async fn working_days(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    from: Date,
    to: Date,
) -> sqlx::Result<Vec<Date>> {
    let closed: Vec<Date> = closed_days(db, centre_id, from, to)
        .await?
        .into_iter()
        .map(|(day, _)| day)
        .collect();
    Ok(calendar::working_days(from, to, &closed))
}
