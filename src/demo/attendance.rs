//! Demo attendance and benefits: three months of daily attendance for every workshop member of
//! both demo centres (mostly present, with sick leave, justified and unjustified absences and
//! days off), yesterday left unentered in one group (on "Do zrobienia"), a weekly programme for
//! every workshop; in the first centre the month three back and the month two back closed with
//! bonus decisions, the latter reopened, corrected and closed again (a correction waiting for
//! the PUP list), one participant forfeiting last month by unjustified absences, and last month
//! left for the manager to close. Written through the app's own close. Added once.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{PgConnection, PgPool};
use time::Date;
use uuid::Uuid;

use crate::attendance::db::{lock_month, status_char};
use crate::benefits::close::{close_month, reopen_month};
use crate::domain::benefit::DayStatus;
use crate::domain::calendar;
use crate::validate::dates;

/// The reasons of other justified absences the demo uses.
const REASONS: [&str; 3] = ["family_care", "summons", "medical"];

/// Seeds both demo centres' attendance (once).
pub async fn seed(db: &PgPool, today: Date) -> anyhow::Result<()> {
    let exists: bool = sqlx::query_scalar!(r#"select exists (select 1 from attendance) as "e!""#)
        .fetch_one(db)
        .await?;
    if exists {
        return Ok(());
    }
    for (index, (name, _)) in super::CENTRES.iter().enumerate() {
        let mut tx = db.begin().await?;
        let centre_id = sqlx::query_scalar!("select centre_id from centre where name = $1", name)
            .fetch_one(&mut *tx)
            .await?;
        centre(&mut tx, centre_id, today, index).await?;
        tx.commit().await?;
    }
    sqlx::query!("analyze attendance").execute(db).await?;
    Ok(())
}

/// A weekly programme for each workshop from `from` (6 h in the workshop Monday to Friday,
/// group counselling on Tuesdays and the self-help group on Thursdays, 1 h each).
async fn plan(conn: &mut PgConnection, centre_id: Uuid, from: Date) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into activity_plan (workshop_id, centre_id, valid_from, weekday, activity_type_id, minutes)
         select w.workshop_id, w.centre_id, $2, d.weekday, t.activity_type_id, d.minutes
         from workshop w
         cross join (values (1, 'workshop', 360), (2, 'workshop', 360), (2, 'counselling', 60),
                            (3, 'workshop', 360), (4, 'workshop', 360), (4, 'self_help', 60),
                            (5, 'workshop', 360)) as d(weekday, code, minutes)
         join activity_type t on t.code = d.code and t.centre_id is null
         where w.centre_id = $1
         on conflict do nothing",
        centre_id,
        from
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn centre(
    conn: &mut PgConnection,
    centre_id: Uuid,
    today: Date,
    index: usize,
) -> anyhow::Result<()> {
    let stories = index == 0;
    let this_month = today.replace_day(1).unwrap_or(today);
    let start = dates::add_months(this_month, -3);
    plan(&mut *conn, centre_id, start).await?;
    let Some(yesterday) = today.previous_day() else {
        return Ok(());
    };
    let closed: Vec<Date> =
        crate::attendance::calendar::closed_days(&mut *conn, centre_id, start, yesterday)
            .await?
            .into_iter()
            .map(|(d, _)| d)
            .collect();
    let days = calendar::working_days(start, yesterday, &closed);
    let members = sqlx::query!(
        r#"select m.workshop_id, m.participant_id, m.member_from, m.member_until,
                  p.admitted_on as "admitted_on!", p.ended_on, p.daily_limit_minutes,
                  coalesce((select i.staff_user_id from workshop_instructor i
                            where i.workshop_id = m.workshop_id order by i.staff_user_id limit 1),
                           p.social_worker_id,
                           (select staff_user_id from staff_user where centre_id = $1
                            and role = 'manager' order by login limit 1)) as "recorder!",
                  (m.workshop_id = (select workshop_id from workshop where centre_id = $1
                                    order by name limit 1)) as "first!"
           from workshop_membership m join participant p using (participant_id)
           where m.centre_id = $1 and p.admitted_on is not null
           order by p.surname, p.participant_id"#,
        centre_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rng = StdRng::seed_from_u64(11 + index as u64);
    let forfeit_month = dates::add_months(this_month, -1);
    for (n, m) in members.iter().enumerate() {
        let reliable = rng.random_range(0.90..0.99);
        let mut sick_left = 0;
        let (mut d, mut s, mut mins, mut r) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut forfeits = 0;
        for &day in &days {
            let member = m.member_from <= day && m.member_until.is_none_or(|u| day <= u);
            let active = m.admitted_on <= day && m.ended_on.is_none_or(|e| day <= e);
            // Yesterday is left to enter in the first group (work on Start).
            if !member || !active || (stories && m.first && day == yesterday) {
                continue;
            }
            let planned: i16 = if day.weekday().number_from_monday() == 2
                || day.weekday().number_from_monday() == 4
            {
                420
            } else {
                360
            };
            let planned = m.daily_limit_minutes.map_or(planned, |l| planned.min(l));
            let status = if stories
                && n == 1
                && day.replace_day(1).ok() == Some(forfeit_month)
                && forfeits < 4
            {
                forfeits += 1;
                DayStatus::Unjustified
            } else if sick_left > 0 {
                sick_left -= 1;
                DayStatus::Sick
            } else {
                let x: f64 = rng.random();
                if x < reliable {
                    DayStatus::Present
                } else if x < reliable + 0.012 {
                    sick_left = rng.random_range(2..8);
                    DayStatus::Sick
                } else if x < reliable + 0.02 {
                    DayStatus::DayOff
                } else if x < reliable + 0.03 {
                    DayStatus::Justified
                } else {
                    DayStatus::Unjustified
                }
            };
            d.push(day);
            s.push(status_char(status));
            mins.push(if status == DayStatus::Present {
                if rng.random_bool(0.1) {
                    planned - 60
                } else {
                    planned
                }
            } else {
                0
            });
            r.push(
                (status == DayStatus::Justified)
                    .then(|| REASONS[rng.random_range(0..REASONS.len())].to_owned()),
            );
        }
        sqlx::query!(
            r#"insert into attendance (participant_id, day, centre_id, workshop_id, status, minutes, reason, recorded_by, recorded_at)
               select $1, u.day, $2, $3, u.status, u.minutes, u.reason, $4, u.day + time '15:30'
               from unnest($5::date[], $6::"char"[], $7::int2[], $8::text[]) as u(day, status, minutes, reason)
               on conflict do nothing"#,
            m.participant_id,
            centre_id,
            m.workshop_id,
            m.recorder,
            &d,
            &s,
            &mins,
            &r as &[Option<String>]
        )
        .execute(&mut *conn)
        .await?;
    }
    if stories {
        months(conn, centre_id, this_month, today).await?;
    }
    Ok(())
}

/// The first centre's closed months, bonuses and a correction.
async fn months(
    conn: &mut PgConnection,
    centre_id: Uuid,
    this_month: Date,
    today: Date,
) -> anyhow::Result<()> {
    let manager = sqlx::query_scalar!(
        "select staff_user_id from staff_user where centre_id = $1 and role = 'manager' order by login limit 1",
        centre_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let instructor = sqlx::query_scalar!(
        "select staff_user_id from staff_user where centre_id = $1 and role = 'instructor' order by login limit 1",
        centre_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(manager);
    let two_back = dates::add_months(this_month, -2);
    let one_back = dates::add_months(this_month, -1);
    // Bonuses: for two participants past their trial two months back and one last month; one
    // proposal refused.
    let people = sqlx::query_scalar!(
        "select participant_id from participant
         where centre_id = $1 and status = 'participant' and trial_ends_on <= $2
         order by surname, participant_id limit 4",
        centre_id,
        dates::add_months(this_month, -3)
    )
    .fetch_all(&mut *conn)
    .await?;
    let bonuses = [
        (
            two_back,
            0,
            40000,
            true,
            "Wzorowa frekwencja, samodzielnie prowadzi zaopatrzenie pracowni.",
        ),
        (
            two_back,
            1,
            25000,
            true,
            "Duże postępy w pracy zespołowej, ukończony kurs BHP.",
        ),
        (
            two_back,
            2,
            30000,
            false,
            "Wniosek instruktora; kierownik odmawia – dwa spóźnienia bez usprawiedliwienia.",
        ),
        (
            one_back,
            0,
            50000,
            true,
            "Przygotował stanowisko pracy dla nowych uczestników, pomaga w grupie.",
        ),
    ];
    for (month, who, amount, granted, why) in bonuses {
        if let Some(p) = people.get(who) {
            sqlx::query!(
                "insert into bonus_decision (participant_id, month, centre_id, amount_grosze, justification, proposed_by, granted, decided_by)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing",
                p,
                month,
                centre_id,
                amount,
                why,
                instructor,
                granted,
                manager
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    for month in [dates::add_months(this_month, -3), two_back] {
        lock_month(&mut *conn, centre_id, month, true).await?;
        close_month(&mut *conn, centre_id, month, today, manager).await?;
    }
    // Two months back: a sick note brought late. Reopened, the day corrected, closed again:
    // the difference waits for the next list for the PUP.
    let late = sqlx::query!(
        r#"select participant_id, day from attendance
           where centre_id = $1 and day between $2 and $3 and status = 'u'
           order by day, participant_id limit 1"#,
        centre_id,
        two_back,
        calendar::month_end(two_back)
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(late) = late {
        let reason = "Zwolnienie lekarskie dostarczone po zamknięciu miesiąca";
        reopen_month(&mut *conn, centre_id, two_back, manager, reason).await?;
        sqlx::query!(
            r#"update attendance set status = 's', corrected = true, recorded_by = $3
               where participant_id = $1 and day = $2"#,
            late.participant_id,
            late.day,
            manager
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"insert into attendance_change (participant_id, day, centre_id, old_status, old_minutes,
                                              new_status, new_minutes, reason, changed_by)
               values ($1, $2, $3, 'u', 0, 's', 0, $4, $5)"#,
            late.participant_id,
            late.day,
            centre_id,
            reason,
            manager
        )
        .execute(&mut *conn)
        .await?;
        close_month(&mut *conn, centre_id, two_back, today, manager).await?;
    }
    Ok(())
}
