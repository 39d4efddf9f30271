//! The demo centres' workshop setup for attendance: every workshop's weekly programme from the
//! current month (7 hours Monday to Thursday, 6 on Friday: 34 a week), two days the centre is
//! closed in the demo year, and one PAI participant with a disability limit (7 h a day, 35 a
//! week).

use sqlx::PgConnection;
use time::{Date, Month, Weekday};
use uuid::Uuid;

use crate::domain::calendar::holiday;

/// Adds the programme, the closed days and the PAI participant to `centre_id`.
pub async fn seed(conn: &mut PgConnection, centre_id: Uuid, today: Date) -> anyhow::Result<()> {
    let month = today.replace_day(1)?;
    // Monday–Thursday: 6 h in the workshop and 1 h of group counselling; Friday: 6 h.
    sqlx::query!(
        "insert into activity_plan (workshop_id, centre_id, valid_from, weekday, activity_type_id, minutes)
         select w.workshop_id, w.centre_id, $2, d, t.activity_type_id,
                case when t.code = 'workshop' then 360 else 60 end
         from workshop w cross join generate_series(1, 5) d
         join activity_type t on t.centre_id is null
             and (t.code = 'workshop' or (t.code = 'counselling' and d <= 4))
         where w.centre_id = $1
         on conflict do nothing",
        centre_id,
        month
    )
    .execute(&mut *conn)
    .await?;
    let candidates = [
        (Month::May, 2),
        (Month::August, 14),
        (Month::November, 10),
        (Month::December, 31),
    ];
    let closed: Vec<Date> = candidates
        .into_iter()
        .filter_map(|(m, d)| Date::from_calendar_date(today.year(), m, d).ok())
        .filter(|d| {
            !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && holiday(*d).is_none()
        })
        .take(2)
        .collect();
    for day in closed {
        sqlx::query!(
            "insert into centre_closed_day (centre_id, day, reason, created_by)
             select $1, $2, 'Dzień wolny za święto przypadające w sobotę', staff_user_id
             from staff_user where centre_id = $1 and role = 'manager' order by login limit 1
             on conflict do nothing",
            centre_id,
            day
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!(
        "update participant set pai = true, daily_limit_minutes = 420, weekly_limit_minutes = 2100
         where participant_id = (select participant_id from participant
                                 where centre_id = $1 and status = 'participant'
                                 order by surname, participant_id limit 1)",
        centre_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
