//! Attendance history for the benchmark (`teczka seed --attendance-centres K`): the named
//! centre and K − 1 new ones, each with seven workshops and 200 participants at a time over
//! five years (a thousand people, each for twelve months), and an attendance row for every
//! working day of every participation — some 12 million rows for 50 centres. Written in SQL,
//! one centre per transaction, in day order as a centre would have written it.

use anyhow::Context;
use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use crate::domain::calendar;
use crate::validate::dates;

/// Participants at a time in each centre.
const AT_A_TIME: i64 = 200;
/// Workshops per centre.
const WORKSHOPS: i64 = 7;

/// Adds the history: `centres` centres (the first is `first`, an existing centre's name or id)
/// over `years` years up to yesterday.
pub async fn attendance(
    pool: &PgPool,
    first: &str,
    centres: usize,
    years: i32,
    today: Date,
) -> anyhow::Result<()> {
    let start = dates::add_months(today.replace_day(1).unwrap_or(today), -12 * years);
    let mut holidays = Vec::new();
    for year in start.year()..=today.year() {
        holidays.extend(calendar::public_holidays(year).into_iter().map(|(d, _)| d));
    }
    let first_id: Uuid = sqlx::query_scalar!(
        "select centre_id from centre where name = $1 or centre_id::text = $1",
        first
    )
    .fetch_optional(pool)
    .await?
    .with_context(|| format!("no centre named `{first}`"))?;
    let count = AT_A_TIME * i64::from(years);
    let spacing = f64::from(years) * 365.0 / count as f64;
    for c in 0..centres {
        let mut tx = pool.begin().await?;
        let centre_id = if c == 0 {
            first_id
        } else {
            sqlx::query_scalar!(
                "insert into centre (name, city) values ($1, $2)
                 on conflict (name) do update set city = excluded.city returning centre_id",
                format!("CIS Historia {c:02}"),
                format!("Miasto {c:02}")
            )
            .fetch_one(&mut *tx)
            .await?
        };
        // The centre's instructor records the attendance (the first centre's own, if it has one).
        let instructor: Uuid = sqlx::query_scalar!(
            r#"with found as (select staff_user_id from staff_user where centre_id = $1
                              and role = 'instructor' order by login limit 1),
                    made as (insert into staff_user (centre_id, login, full_name, role, password_hash)
                             select $1, $2, 'Instruktor historyczny', 'instructor', '!'
                             where not exists (select 1 from found) returning staff_user_id)
               select staff_user_id as "id!" from found union all select staff_user_id from made"#,
            centre_id,
            format!("historia{c:02}.instruktor")
        )
        .fetch_one(&mut *tx)
        .await?;
        let workshops: Vec<Uuid> = sqlx::query_scalar!(
            r#"with w as (insert into workshop (centre_id, name)
                          select $1, 'Pracownia ' || k || ' (historia)' from generate_series(1, $3::int) k
                          returning workshop_id),
                    i as (insert into workshop_instructor (workshop_id, staff_user_id, centre_id)
                          select workshop_id, $2, $1 from w),
                    p as (insert into activity_plan (workshop_id, centre_id, valid_from, weekday, activity_type_id, minutes)
                          select w.workshop_id, $1, $4, d, t.activity_type_id, 360
                          from w, generate_series(1, 5) d, activity_type t
                          where t.code = 'workshop' and t.centre_id is null)
               select workshop_id as "id!" from w"#,
            centre_id,
            instructor,
            WORKSHOPS as i32,
            start
        )
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query!(
            r#"with s as (select i, ($3::date + (i * $4::float8)::int) as admitted
                          from generate_series(0, $2::int - 1) i),
                    p as (insert into participant (centre_id, surname, first_names, pesel, birth_date, sex,
                              categories, no_exclusion_declared_on, applicant, referrer, referrer_institution,
                              referral_date, consent_date, consent_scope, status, admitted_on, trial_ends_on,
                              planned_end_on, cap_end_on, ended_on, graduation_outcome)
                          select $1, 'Historyczny', 'Uczestnik ' || i, lpad((80000000000 + $7::bigint * 10000 + i)::text, 11, '0'),
                              date '1980-01-01' + (i % 7000), case when i % 2 = 0 then 'M' else 'K' end,
                              '{long_term_unemployed}', admitted - 30, 'person', 'ops', 'MOPS',
                              admitted - 30, admitted - 30, 'Rekrutacja', 
                              case when admitted + 365 <= $5 then 'graduate' else 'participant' end::participant_status,
                              admitted, admitted + interval '1 month', admitted + 365, admitted + 730,
                              case when admitted + 365 <= $5 then admitted + 364 end,
                              case when admitted + 365 <= $5 then 'period_elapsed' end::graduation_outcome
                          from s returning participant_id, admitted_on, ended_on, pesel)
               insert into workshop_membership (workshop_id, participant_id, centre_id, member_from, member_until)
               select ($6::uuid[])[1 + (substr(pesel, 8)::int % array_length($6::uuid[], 1))], participant_id, $1,
                      admitted_on, ended_on
               from p"#,
            centre_id,
            count as i32,
            start,
            spacing,
            today,
            &workshops,
            c as i64
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            r#"insert into attendance (participant_id, day, centre_id, workshop_id, status, minutes, reason, recorded_by, recorded_at)
               select m.participant_id, d.day, $1, m.workshop_id, r.status, 
                      case when r.status = 'p' then 360 else 0 end,
                      case when r.status = 'j' then 'family_care' end, $2, d.day + time '15:00'
               from workshop_membership m
               cross join lateral generate_series(m.member_from, least(coalesce(m.member_until, $3), $3), interval '1 day') g
               cross join lateral (select g::date as day) d
               cross join lateral (select case when x < 0.92 then 'p' when x < 0.95 then 's' when x < 0.97 then 'o'
                                               when x < 0.98 then 'j' else 'u' end::"char" as status
                                   from (select random() as x) z) r
               where m.workshop_id = any($4) and extract(isodow from d.day) < 6 and d.day <> all($5)
               order by d.day, m.participant_id"#,
            centre_id,
            instructor,
            today - time::Duration::days(1),
            &workshops,
            &holidays
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        eprintln!("attendance history: centre {} of {centres}", c + 1);
    }
    sqlx::query!("vacuum analyze attendance, participant, workshop_membership")
        .execute(pool)
        .await?;
    Ok(())
}
