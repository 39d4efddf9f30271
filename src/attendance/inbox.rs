//! What attendance puts on "Do zrobienia": for an instructor their groups, for a social worker
//! their caseload's groups, with past working days (the last two weeks, in months still open)
//! on which someone has no entry (neither a holiday nor a day the centre was closed) — one
//! statement for all of them, which reads a caseload of tens from its people and otherwise
//! (an instructor, a caseload of thousands) from the groups: each group's day found by its
//! first member without an entry, the people missing counted (up to `MISSING_CAP`) only for
//! the items shown, so the work follows the groups and days, not the number of members. (A
//! day with everyone entered still checks each member once: cheap for real groups, ~0.1 s for
//! the benchmark's groups of thousands.)

use time::{Date, Duration};
use uuid::Uuid;

use crate::auth::policy::{AttendanceRows, attendance_rows};
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::domain::calendar;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{
    InboxFuture, InboxGroup, InboxItem, InboxLink, InboxRead, ItemDue, SHOWN_ROWS, SMALL_CASELOAD,
};

/// The days looked back at.
const DAYS_BACK: i64 = 14;
/// Items shown; the heading gives the whole count.
const ITEMS: i64 = SHOWN_ROWS;
/// The people missing from one group's day are counted up to this.
const MISSING_CAP: i64 = 30;

/// The attendance group of an instructor's or a social worker's home page.
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        if !matches!(user.role, Role::Instructor | Role::SocialWorker) {
            return Ok(Vec::new());
        }
        let from = today - Duration::days(DAYS_BACK);
        let Some(yesterday) = today.previous_day() else {
            return Ok(Vec::new());
        };
        // The weekdays without holidays; the centre's own closed days are left out by the
        // statement below (one statement for the group).
        let days = calendar::working_days(from, yesterday, &[]);
        let caseload = match attendance_rows(user.actor()) {
            AttendanceRows::All => None,
            AttendanceRows::Caseload(worker) => Some(worker),
        };
        // Every (group, day) with someone missing. A caseload of up to `SMALL_CASELOAD` people
        // is read from its people: their placements and days, each person's entry looked up
        // by key, the number missing counted exactly. Otherwise (an instructor's groups, a
        // caseload of thousands) from the groups: each (group, day) found by its first missing
        // member (a subquery with `limit 1`: as `exists` the planner would hash the whole
        // caseload), and the number missing counted, up to `MISSING_CAP`, only for the items
        // shown. Which branch runs is decided once per statement (a one-time filter on the
        // caseload's capped size).
        let rows = sqlx::query!(
            r#"with size as (select count(*) as n from (select 1 from participant p
                                                          where p.centre_id = $1 and p.social_worker_id = $5
                                                          limit $8::bigint + 1) s),
               mine as materialized (
                   select p.participant_id, p.admitted_on, p.ended_on,
                          array(select a.day from attendance a
                                where a.participant_id = p.participant_id
                                  and a.day >= ($3::date[])[1]
                                  and a.day <= ($3::date[])[cardinality($3::date[])]) as recorded
                   from participant p
                   where $5::uuid is not null and (select n from size) <= $8
                     and p.centre_id = $1 and p.social_worker_id = $5),
               open_days as materialized (
                   select d.day from unnest($3::date[]) as d(day)
                   where not exists (select 1 from centre_closed_day c where c.centre_id = $1 and c.day = d.day)
                     and not exists (select 1 from benefit_month b where b.centre_id = $1
                                     and b.month = date_trunc('month', d.day)::date and b.closed)),
               gaps as (
                   select m.workshop_id, w.name, d.day, least(count(*), $6) as missing
                   from mine p
                   cross join lateral (select m.workshop_id, m.member_from, m.member_until
                                       from workshop_membership m
                                       where m.participant_id = p.participant_id
                                       offset 0) m
                   join workshop w on w.workshop_id = m.workshop_id
                   join open_days d on m.member_from <= d.day and (m.member_until is null or m.member_until >= d.day)
                   where $5::uuid is not null and (select n from size) <= $8
                     and w.centre_id = $1 and w.active
                     and p.admitted_on <= d.day and (p.ended_on is null or p.ended_on >= d.day)
                     and d.day <> all(p.recorded)
                   group by m.workshop_id, w.name, d.day
                   union all
                   select w.workshop_id, w.name, d.day, null
                   from workshop w
                   cross join unnest($3::date[]) as d(day)
                   where ($5::uuid is null or (select n from size) > $8)
                     and w.centre_id = $1 and w.active
                     and not exists (select 1 from centre_closed_day c where c.centre_id = w.centre_id and c.day = d.day)
                     and not exists (select 1 from benefit_month b where b.centre_id = w.centre_id
                                     and b.month = date_trunc('month', d.day)::date and b.closed)
                     and ($4 or exists (select 1 from workshop_instructor i
                                        where i.workshop_id = w.workshop_id and i.staff_user_id = $2))
                     and (select true from workshop_membership m
                          join participant p on p.participant_id = m.participant_id
                          where m.workshop_id = w.workshop_id and m.member_from <= d.day
                            and (m.member_until is null or m.member_until >= d.day)
                            and p.admitted_on <= d.day and (p.ended_on is null or p.ended_on >= d.day)
                            and ($5::uuid is null or p.social_worker_id = $5)
                            and not exists (select 1 from attendance a
                                            where a.participant_id = p.participant_id and a.day = d.day)
                          limit 1))
               select g.workshop_id as "workshop_id!", g.name as "name!", g.day as "day!",
                      coalesce(g.missing, (select count(*) from (
                           select 1 from workshop_membership m
                           join participant p on p.participant_id = m.participant_id
                           where m.workshop_id = g.workshop_id and m.member_from <= g.day
                             and (m.member_until is null or m.member_until >= g.day)
                             and p.admitted_on <= g.day and (p.ended_on is null or p.ended_on >= g.day)
                             and ($5::uuid is null or p.social_worker_id = $5)
                             and not exists (select 1 from attendance a
                                             where a.participant_id = p.participant_id and a.day = g.day)
                           limit $6) counted)) as "missing!",
                      (select count(*) from gaps) as "total!"
               from (select * from gaps order by day, name limit $7) g
               order by g.day, g.name"#,
            user.centre_id,
            user.user_id,
            &days,
            user.role != Role::Instructor,
            caseload as Option<Uuid>,
            MISSING_CAP + 1,
            ITEMS,
            SMALL_CASELOAD,
        )
        .fetch_all(&mut *conn)
        .await?;
        let Some(total) = rows.first().map(|r| r.total) else {
            return Ok(Vec::new());
        };
        let items = rows
            .into_iter()
            .map(|r| {
                let item = InboxItem {
                    href: Some(format!(
                        "/attendance/{}/{}",
                        r.workshop_id,
                        dates::iso(r.day)
                    )),
                    title: r.name,
                    detail: Some(if r.missing > MISSING_CAP {
                        format!("brak wpisu obecności: ponad {MISSING_CAP} os.")
                    } else {
                        format!("brak wpisu obecności: {} os.", r.missing)
                    }),
                    due: Some(format!(
                        "{}, {}",
                        calendar::weekday_name(r.day),
                        dates::format(r.day)
                    )),
                    // The day has passed: the page says so by the overdue mark.
                    warning: None,
                };
                (item, ItemDue::by(r.day, today))
            })
            .collect();
        let mut group = InboxGroup::dated(format!("Obecność do wpisania ({total})"), items);
        group.count = usize::try_from(total).unwrap_or(0);
        if total > ITEMS {
            group.links.push(InboxLink {
                href: "/attendance",
                label: "Obecność we wszystkich grupach",
            });
        }
        Ok(vec![group])
    })
}
