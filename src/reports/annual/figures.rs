//! The annual report's figures, computed from rows already cut "as at" the end of a day (see
//! `db`): pure functions, unit-tested without a database. The figures are saved with each
//! version as computed (JSON, codes rather than labels, so a saved version reads the same after
//! a label changes), and every later view, print and export shows exactly them.
//!
//! Rules (stated on the page too):
//! * staff: the accounts of the centre that held a role at some moment of the year while
//!   active, under each role they held (an account whose role changed counts under both; the
//!   total counts it once);
//! * participants: the people in the trial period or the programme at some day of the year;
//!   by category: each under every category of theirs, the total counts a person once;
//! * admitted, graduated (by outcome), terminated (by reason): as the effectiveness report
//!   counts them, for the calendar year;
//! * economically independent: the people who graduated in the year by taking up employment
//!   or starting a business, and the graduates (of any year) whose reached follow-up contact
//!   within the year found them employed (a contract, a social cooperative, supported
//!   employment) or self-employed; a person once;
//! * services: the hours present from attendance, split among the kinds of activity of the
//!   workshop's weekly programme for that weekday in proportion to their planned minutes
//!   (whole minutes, the remainder to the largest), or "outside the programme" when the
//!   workshop had none;
//! * benefits and bonuses: the statements frozen at each month's first close (the list sent
//!   to the labour office); the corrections of closed months separately.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{Category, Role};
use crate::participants::model::{GraduationOutcome, TerminationReason};
use crate::reports::figures::Moved;

/// A count under a code (a role, a category, an outcome, a reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub code: String,
    pub n: i64,
}

/// One kind of activity: its name when computed, the people who attended it and the minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    pub people: i64,
    pub minutes: i64,
}

/// A sum of money paid to people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paid {
    pub people: i64,
    pub grosze: i64,
}

/// Every figure of the annual report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Accounts per `Role::ALL` code (zeros kept).
    pub staff: Vec<Count>,
    pub staff_total: i64,
    /// People per `Category::ALL` code (zeros kept).
    pub by_category: Vec<Count>,
    pub participants: i64,
    pub admitted: i64,
    /// Graduates per `GraduationOutcome::ALL` code, then "unknown" when some have none.
    pub by_outcome: Vec<Count>,
    pub graduated: i64,
    /// Terminations per `TerminationReason::ALL` code.
    pub by_reason: Vec<Count>,
    pub terminated: i64,
    /// Economically independent: at graduation, and only at a follow-up contact.
    pub independent_at_graduation: i64,
    pub independent_at_follow_up: i64,
    pub services: Vec<Service>,
    /// Distinct people present at least once, and all minutes present.
    pub service_people: i64,
    pub service_minutes: i64,
    pub benefit: Paid,
    pub bonus: Paid,
    pub benefit_corrections: Paid,
    pub bonus_corrections: Paid,
}

/// A role an account was given, at a moment (`staff_role_change`).
#[derive(Clone, Debug)]
pub struct RoleChange {
    pub account: Uuid,
    pub role: Role,
    pub at: OffsetDateTime,
}

/// An account deactivated (`active` false) or reactivated, at a moment (from the audit log).
#[derive(Clone, Debug)]
pub struct Toggle {
    pub account: Uuid,
    pub active: bool,
    pub at: OffsetDateTime,
}

/// Present at a workshop's day for some minutes.
#[derive(Clone, Debug)]
pub struct Presence {
    pub participant_id: Uuid,
    pub day: Date,
    pub workshop_id: Option<Uuid>,
    pub minutes: i64,
}

/// A row of a workshop's weekly programme (`activity_plan`).
#[derive(Clone, Debug)]
pub struct PlanRow {
    pub workshop_id: Uuid,
    pub valid_from: Date,
    /// 1 = Monday.
    pub weekday: u8,
    pub activity: String,
    pub minutes: i64,
}

/// The name of the bucket for hours without a programme.
pub const OUTSIDE_PROGRAMME: &str = "Zajęcia poza tygodniowym programem pracowni";

/// The staff per role and in total: accounts that held a role, while active, at some moment
/// in `[start, end)`.
pub fn staff(
    start: OffsetDateTime,
    end: OffsetDateTime,
    changes: &[RoleChange],
    toggles: &[Toggle],
) -> (Vec<Count>, i64) {
    /// What happened to an account at a moment.
    enum Event {
        Given(Role),
        Active(bool),
    }
    // Per account, its events (put in time order below).
    let mut events: HashMap<Uuid, Vec<(OffsetDateTime, Event)>> = HashMap::new();
    for c in changes {
        events
            .entry(c.account)
            .or_default()
            .push((c.at, Event::Given(c.role)));
    }
    for t in toggles {
        events
            .entry(t.account)
            .or_default()
            .push((t.at, Event::Active(t.active)));
    }
    let mut held: BTreeMap<&'static str, HashSet<Uuid>> = BTreeMap::new();
    let mut anyone: HashSet<Uuid> = HashSet::new();
    for (account, mut list) in events {
        list.sort_by_key(|(at, _)| *at);
        let mut role: Option<Role> = None;
        let mut active = true;
        for (i, (at, event)) in list.iter().enumerate() {
            match event {
                Event::Given(r) => role = Some(*r),
                Event::Active(a) => active = *a,
            }
            // The state holds from `at` until the next event.
            let until = list.get(i + 1).map(|(next, _)| *next);
            let overlaps = *at < end && until.is_none_or(|u| u > start && u > *at);
            if let (Some(r), true, true) = (role, active, overlaps) {
                held.entry(r.code()).or_default().insert(account);
                anyone.insert(account);
            }
        }
    }
    let counts = Role::ALL
        .iter()
        .map(|r| Count {
            code: r.code().to_owned(),
            n: held.get(r.code()).map_or(0, |s| s.len() as i64),
        })
        .collect();
    (counts, anyone.len() as i64)
}

/// Each category's people (zeros kept) and the people in all.
pub fn categories(people: &[Vec<Category>]) -> (Vec<Count>, i64) {
    let counts = Category::ALL
        .iter()
        .map(|c| Count {
            code: c.code().to_owned(),
            n: people.iter().filter(|p| p.contains(c)).count() as i64,
        })
        .collect();
    (counts, people.len() as i64)
}

/// The hours present per kind of activity (by name), the distinct people present and all the minutes.
pub fn services(present: &[Presence], plans: &[PlanRow]) -> (Vec<Service>, i64, i64) {
    // A workshop's programme rows by (valid_from, weekday), newest valid_from first.
    let mut by_workshop: HashMap<Uuid, Vec<&PlanRow>> = HashMap::new();
    for row in plans {
        by_workshop.entry(row.workshop_id).or_default().push(row);
    }
    for rows in by_workshop.values_mut() {
        rows.sort_by_key(|r| std::cmp::Reverse(r.valid_from));
    }
    let mut minutes: Vec<(String, i64, HashSet<Uuid>)> = Vec::new();
    let mut add = |name: &str, m: i64, who: Uuid| {
        if m <= 0 {
            return;
        }
        match minutes.iter_mut().find(|(n, _, _)| n == name) {
            Some((_, total, people)) => {
                *total += m;
                people.insert(who);
            }
            None => minutes.push((name.to_owned(), m, HashSet::from([who]))),
        }
    };
    let mut people: HashSet<Uuid> = HashSet::new();
    let mut total = 0;
    for p in present.iter().filter(|p| p.minutes > 0) {
        people.insert(p.participant_id);
        total += p.minutes;
        let weekday = p.day.weekday().number_from_monday();
        let day_plan: Vec<&PlanRow> = p
            .workshop_id
            .and_then(|w| by_workshop.get(&w))
            .and_then(|rows| {
                // The programme in force: the latest valid_from on or before the day.
                let from = rows.iter().find(|r| r.valid_from <= p.day)?.valid_from;
                Some(
                    rows.iter()
                        .filter(|r| r.valid_from == from && r.weekday == weekday)
                        .copied()
                        .collect(),
                )
            })
            .unwrap_or_default();
        for (name, m) in split(p.minutes, &day_plan) {
            add(name, m, p.participant_id);
        }
    }
    // By name, so that the order does not depend on the order the rows were read in.
    minutes.sort_by(|a, b| a.0.cmp(&b.0));
    let services = minutes
        .into_iter()
        .map(|(name, minutes, people)| Service {
            name,
            people: people.len() as i64,
            minutes,
        })
        .collect();
    (services, people.len() as i64, total)
}

/// `minutes` split among the day's programme rows in proportion to their planned minutes, in
/// whole minutes that add up to `minutes` (the remainder goes to the largest share, the first
/// on a tie); all outside the programme when the day has none.
fn split<'a>(minutes: i64, plan: &[&'a PlanRow]) -> Vec<(&'a str, i64)> {
    let planned: i64 = plan.iter().map(|r| r.minutes).sum();
    if planned <= 0 {
        return vec![(OUTSIDE_PROGRAMME, minutes)];
    }
    let mut shares: Vec<(&str, i64)> = plan
        .iter()
        .map(|r| (r.activity.as_str(), minutes * r.minutes / planned))
        .collect();
    let rest = minutes - shares.iter().map(|(_, m)| m).sum::<i64>();
    if let Some(largest) =
        (0..shares.len()).max_by_key(|&i| (plan[i].minutes, std::cmp::Reverse(i)))
    {
        shares[largest].1 += rest;
    }
    shares
}

/// The movement of the year: admitted, graduates by outcome, terminations by reason; from
/// the people the effectiveness report's read returns for the year.
pub struct Movement {
    pub admitted: i64,
    pub by_outcome: Vec<Count>,
    pub graduated: i64,
    pub by_reason: Vec<Count>,
    pub terminated: i64,
    /// The people who graduated in the year by employment or a business.
    pub independent_at_graduation: HashSet<Uuid>,
}

/// See [`Movement`]; `from`..=`to` is the year.
pub fn movement(from: Date, to: Date, people: &[Moved]) -> Movement {
    let within = |d: Option<Date>| d.is_some_and(|d| from <= d && d <= to);
    let graduates: Vec<&Moved> = people.iter().filter(|p| within(p.graduated_on)).collect();
    let terminated: Vec<&Moved> = people.iter().filter(|p| within(p.terminated_on)).collect();
    let mut by_outcome: Vec<Count> = GraduationOutcome::ALL
        .iter()
        .map(|o| Count {
            code: o.code().to_owned(),
            n: graduates
                .iter()
                .filter(|p| p.graduation_outcome == Some(*o))
                .count() as i64,
        })
        .collect();
    let unknown = graduates
        .iter()
        .filter(|p| p.graduation_outcome.is_none())
        .count() as i64;
    if unknown > 0 {
        by_outcome.push(Count {
            code: UNKNOWN.to_owned(),
            n: unknown,
        });
    }
    Movement {
        admitted: people.iter().filter(|p| within(p.admitted_on)).count() as i64,
        by_outcome,
        graduated: graduates.len() as i64,
        by_reason: TerminationReason::ALL
            .iter()
            .map(|r| Count {
                code: r.code().to_owned(),
                n: terminated
                    .iter()
                    .filter(|p| p.termination_reason == Some(*r))
                    .count() as i64,
            })
            .collect(),
        terminated: terminated.len() as i64,
        independent_at_graduation: graduates
            .iter()
            .filter(|p| {
                matches!(
                    p.graduation_outcome,
                    Some(GraduationOutcome::Employment | GraduationOutcome::OwnBusiness)
                )
            })
            .map(|p| p.participant_id)
            .collect(),
    }
}

/// The code of graduates without a recorded outcome.
pub const UNKNOWN: &str = "unknown";

/// The people independent only by a follow-up contact: those of `working` (graduates found
/// working at a contact in the year) not already independent at graduation.
pub fn independent_at_follow_up(at_graduation: &HashSet<Uuid>, working: &[Uuid]) -> i64 {
    let only: HashSet<&Uuid> = working
        .iter()
        .filter(|p| !at_graduation.contains(p))
        .collect();
    only.len() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn plan(activity: &str, minutes: i64) -> PlanRow {
        PlanRow {
            workshop_id: Uuid::from_u128(9),
            valid_from: date!(2024 - 01 - 01),
            weekday: 1,
            activity: activity.into(),
            minutes,
        }
    }

    #[test]
    fn a_day_splits_by_the_planned_minutes_and_adds_up() {
        let (w, c) = (plan("Pracownia", 240), plan("Poradnictwo", 120));
        // 360 of 360 planned: as planned; 180: half of each; 100: 66 + 33 = 99, the rest to
        // the larger share → 67 + 33.
        assert_eq!(
            split(360, &[&w, &c]),
            [("Pracownia", 240), ("Poradnictwo", 120)]
        );
        assert_eq!(
            split(180, &[&w, &c]),
            [("Pracownia", 120), ("Poradnictwo", 60)]
        );
        assert_eq!(
            split(100, &[&w, &c]),
            [("Pracownia", 67), ("Poradnictwo", 33)]
        );
        assert_eq!(split(100, &[]), [(OUTSIDE_PROGRAMME, 100)]);
    }

    #[test]
    fn the_programme_in_force_on_the_day_applies() {
        let mut old = plan("Pracownia", 300);
        old.valid_from = date!(2023 - 06 - 01);
        let new = plan("Poradnictwo", 300);
        // Monday 2023-12-04 (old programme) and Monday 2024-01-08 (new), a Tuesday without
        // a programme row, and a day without a workshop.
        let at = |day: Date, workshop: bool| Presence {
            participant_id: Uuid::from_u128(1),
            day,
            workshop_id: workshop.then(|| Uuid::from_u128(9)),
            minutes: 60,
        };
        let present = [
            at(date!(2023 - 12 - 04), true),
            at(date!(2024 - 01 - 08), true),
            at(date!(2024 - 01 - 09), true),
            at(date!(2024 - 01 - 10), false),
        ];
        let (services, people, minutes) = services(&present, &[old, new]);
        assert_eq!((people, minutes), (1, 240));
        let got: Vec<(&str, i64)> = services
            .iter()
            .map(|s| (s.name.as_str(), s.minutes))
            .collect();
        assert_eq!(
            got,
            [
                ("Poradnictwo", 60),
                ("Pracownia", 60),
                (OUTSIDE_PROGRAMME, 120)
            ]
        );
    }

    #[test]
    fn staff_count_the_roles_held_while_active_in_the_year() {
        let (a, b, c, d) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let start = datetime!(2024-01-01 0:00 UTC);
        let end = datetime!(2025-01-01 0:00 UTC);
        let changes = [
            // a: instructor, then career advisor in June: under both, once in the total.
            RoleChange {
                account: a,
                role: Role::Instructor,
                at: datetime!(2023-01-01 0:00 UTC),
            },
            RoleChange {
                account: a,
                role: Role::CareerAdvisor,
                at: datetime!(2024-06-01 0:00 UTC),
            },
            // b: created after the year.
            RoleChange {
                account: b,
                role: Role::Manager,
                at: datetime!(2025-01-02 0:00 UTC),
            },
            // c: deactivated before the year, never back.
            RoleChange {
                account: c,
                role: Role::SocialWorker,
                at: datetime!(2022-01-01 0:00 UTC),
            },
            // d: deactivated before the year, reactivated in it.
            RoleChange {
                account: d,
                role: Role::Psychologist,
                at: datetime!(2022-01-01 0:00 UTC),
            },
        ];
        let toggles = [
            Toggle {
                account: c,
                active: false,
                at: datetime!(2023-05-01 0:00 UTC),
            },
            Toggle {
                account: d,
                active: false,
                at: datetime!(2023-05-01 0:00 UTC),
            },
            Toggle {
                account: d,
                active: true,
                at: datetime!(2024-03-01 0:00 UTC),
            },
        ];
        let (counts, total) = staff(start, end, &changes, &toggles);
        let n = |r: Role| counts.iter().find(|c| c.code == r.code()).unwrap().n;
        assert_eq!(n(Role::Instructor), 1);
        assert_eq!(n(Role::CareerAdvisor), 1);
        assert_eq!(n(Role::Manager), 0);
        assert_eq!(n(Role::SocialWorker), 0);
        assert_eq!(n(Role::Psychologist), 1);
        assert_eq!(total, 2);
    }
}
