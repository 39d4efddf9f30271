//! The effectiveness report's figures, computed from what the database knew at the end of the
//! "as at" day (the rows are read already cut there, see `db`): pure functions, so the rules
//! below are unit-tested without a database.
//!
//! Rules (stated on the page too):
//! * admitted: the first change of a person into the trial period (or straight into the
//!   programme) dated within the period; graduated and terminated: the change into that status
//!   dated within the period; by category: the same people counted under each of their
//!   categories (one person may have several);
//! * the graduates' situation at 3, 6, 12, 24 and 36 months: the cohort is the people who
//!   graduated within the period; a point counts a graduate only once it has passed by the
//!   "as at" date; their situation is read from the reached contact nearest the point within
//!   ±[`WINDOW_DAYS`] days (the later one on a tie), a contact with a known employment status
//!   before any with an unknown one (which counts only when no known one is in the window);
//!   without one it is "no data";
//! * usefulness of skills: each graduate of the cohort by their latest reached contact that
//!   answered the question.

use std::collections::HashMap;

use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::domain::Category;
use crate::participants::model::{GraduationOutcome, TerminationReason};
use crate::validate::dates;

/// The months after graduation at which the situation is measured.
pub const POINTS: [i32; 5] = [3, 6, 12, 24, 36];

/// How far from a point a contact may be to describe it (days, either side): half a quarter,
/// so that with the schedule's quarterly contacts every point has one in reach.
pub const WINDOW_DAYS: i64 = 45;

/// A person whose status changed within the period (as known at the end of the "as at" day).
#[derive(Clone, Debug)]
pub struct Moved {
    pub participant_id: Uuid,
    pub categories: Vec<Category>,
    pub termination_reason: Option<TerminationReason>,
    /// Why the person graduated (the annual report counts graduates by it).
    pub graduation_outcome: Option<GraduationOutcome>,
    /// The first change into the trial period or the programme.
    pub admitted_on: Option<Date>,
    pub graduated_on: Option<Date>,
    pub terminated_on: Option<Date>,
}

/// A reached follow-up contact (as known at the end of the "as at" day).
#[derive(Clone, Debug)]
pub struct Contact {
    pub participant_id: Uuid,
    pub contacted_on: Date,
    pub recorded_at: OffsetDateTime,
    /// `graduate_employment` as stored.
    pub employment: Option<String>,
    /// `skills_match` as stored.
    pub skills_match: Option<String>,
}

/// The period and the date the report is "as at".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    pub as_at: Date,
}

impl Period {
    fn contains(&self, day: Option<Date>) -> bool {
        day.is_some_and(|d| self.from <= d && d <= self.to)
    }
}

/// A graduate's situation at a point (the report's four columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Situation {
    /// Employed under a contract, in a social cooperative, or in supported employment.
    Employed,
    /// Running their own business.
    SelfEmployed,
    /// Registered as unemployed or not working.
    Unemployed,
    /// Not known, or no reached contact within the window.
    NoData,
}

impl Situation {
    pub const ALL: [Situation; 4] = [
        Situation::Employed,
        Situation::SelfEmployed,
        Situation::Unemployed,
        Situation::NoData,
    ];

    /// The column's heading.
    pub fn label(self) -> &'static str {
        match self {
            Situation::Employed => "zatrudnieni",
            Situation::SelfEmployed => "samozatrudnieni",
            Situation::Unemployed => "bezrobotni",
            Situation::NoData => "brak danych",
        }
    }

    /// The class of a stored `graduate_employment`.
    fn of(employment: Option<&str>) -> Situation {
        match employment {
            Some("employed" | "social_cooperative" | "supported_employment") => Situation::Employed,
            Some("self_employed") => Situation::SelfEmployed,
            Some("registered_unemployed" | "not_working") => Situation::Unemployed,
            _ => Situation::NoData,
        }
    }
}

/// The answers about the usefulness of skills acquired in the centre.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skills {
    Yes,
    Partly,
    No,
    NoData,
}

impl Skills {
    pub const ALL: [Skills; 4] = [Skills::Yes, Skills::Partly, Skills::No, Skills::NoData];

    pub fn label(self) -> &'static str {
        match self {
            Skills::Yes => "przydatne",
            Skills::Partly => "częściowo przydatne",
            Skills::No => "nieprzydatne",
            Skills::NoData => "brak danych",
        }
    }

    /// A stored `skills_match` that answers the question ("unknown" does not).
    fn of(answer: Option<&str>) -> Option<Skills> {
        match answer {
            Some("yes") => Some(Skills::Yes),
            Some("partly") => Some(Skills::Partly),
            Some("no") => Some(Skills::No),
            _ => None,
        }
    }
}

/// One category's line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryLine {
    pub category: Category,
    pub admitted: i64,
    pub graduated: i64,
    pub terminated: i64,
}

/// The graduates' situation at one point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointLine {
    /// Months after graduation.
    pub months: i32,
    /// Graduates of the cohort for whom the point has passed by the "as at" date.
    pub counted: i64,
    /// People per [`Situation::ALL`].
    pub situations: [i64; 4],
}

/// Every figure of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    pub admitted: i64,
    pub graduated: i64,
    pub terminated: i64,
    /// People per `TerminationReason::ALL`.
    pub by_reason: Vec<(TerminationReason, i64)>,
    /// Only the categories the viewer may see.
    pub by_category: Vec<CategoryLine>,
    pub points: Vec<PointLine>,
    /// Graduates of the cohort per [`Skills::ALL`].
    pub skills: [i64; 4],
}

impl Figures {
    /// Nothing happened in the period.
    pub fn is_empty(&self) -> bool {
        self.admitted == 0 && self.graduated == 0 && self.terminated == 0
    }
}

fn count(people: &[Moved], pick: impl Fn(&Moved) -> bool) -> i64 {
    people.iter().filter(|p| pick(p)).count() as i64
}

/// The figures of `period` from the people who moved and the cohort's reached contacts, with
/// the categories `visible` to the viewer.
pub fn compute(
    period: Period,
    people: &[Moved],
    contacts: &[Contact],
    visible: &[Category],
) -> Figures {
    let admitted = |p: &Moved| period.contains(p.admitted_on);
    let graduated = |p: &Moved| period.contains(p.graduated_on);
    let terminated = |p: &Moved| period.contains(p.terminated_on);
    let by_reason = TerminationReason::ALL
        .iter()
        .map(|&r| {
            (
                r,
                count(people, |p| terminated(p) && p.termination_reason == Some(r)),
            )
        })
        .collect();
    let by_category = Category::ALL
        .into_iter()
        .filter(|c| visible.contains(c))
        .map(|category| {
            let has = |p: &Moved| p.categories.contains(&category);
            CategoryLine {
                category,
                admitted: count(people, |p| has(p) && admitted(p)),
                graduated: count(people, |p| has(p) && graduated(p)),
                terminated: count(people, |p| has(p) && terminated(p)),
            }
        })
        .collect();
    // The contacts by graduate, once: the points and the skills then read only each graduate's
    // own contacts, O(C) to group plus O(P × (G + C)) for P points, G graduates and C
    // contacts, instead of O(P × G × C) by scanning every contact for every graduate.
    let mut by_graduate: HashMap<Uuid, Vec<&Contact>> = HashMap::new();
    for c in contacts {
        by_graduate.entry(c.participant_id).or_default().push(c);
    }
    let of = |id: Uuid| by_graduate.get(&id).map_or(&[][..], Vec::as_slice);
    let cohort: Vec<(Uuid, Date)> = people
        .iter()
        .filter(|p| graduated(p))
        .filter_map(|p| Some((p.participant_id, p.graduated_on?)))
        .collect();
    let points = POINTS
        .iter()
        .map(|&months| {
            let mut line = PointLine {
                months,
                counted: 0,
                situations: [0; 4],
            };
            for &(id, graduated_on) in &cohort {
                let point = dates::add_months(graduated_on, months);
                if point > period.as_at {
                    continue;
                }
                line.counted += 1;
                let situation = nearest(of(id), point).map_or(Situation::NoData, |c| {
                    Situation::of(c.employment.as_deref())
                });
                line.situations[index(&Situation::ALL, situation)] += 1;
            }
            line
        })
        .collect();
    let mut skills = [0; 4];
    for &(id, _) in &cohort {
        let answer = of(id)
            .iter()
            .filter_map(|c| Skills::of(c.skills_match.as_deref()).map(|s| (c, s)))
            .max_by_key(|(c, _)| (c.contacted_on, c.recorded_at))
            .map_or(Skills::NoData, |(_, s)| s);
        skills[index(&Skills::ALL, answer)] += 1;
    }
    Figures {
        admitted: count(people, admitted),
        graduated: cohort.len() as i64,
        terminated: count(people, terminated),
        by_reason,
        by_category,
        points,
        skills,
    }
}

fn index<T: PartialEq>(all: &[T], value: T) -> usize {
    all.iter().position(|v| *v == value).unwrap_or(0)
}

/// Of one graduate's reached `contacts`, the one that describes `point`: within the window, one
/// with a known employment status before one without (a nearer "unknown" must not hide a known
/// status), then the nearest, then the later (then the one recorded later).
fn nearest<'a>(contacts: &[&'a Contact], point: Date) -> Option<&'a Contact> {
    let window = Duration::days(WINDOW_DAYS);
    contacts
        .iter()
        .copied()
        .filter(|c| (c.contacted_on - point).abs() <= window)
        .min_by_key(|c| {
            (
                Situation::of(c.employment.as_deref()) == Situation::NoData,
                (c.contacted_on - point).abs(),
                std::cmp::Reverse((c.contacted_on, c.recorded_at)),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn moved(n: u128, admitted: Option<Date>, graduated: Option<Date>) -> Moved {
        Moved {
            participant_id: Uuid::from_u128(n),
            categories: vec![Category::LongTermUnemployed],
            termination_reason: None,
            graduation_outcome: None,
            admitted_on: admitted,
            graduated_on: graduated,
            terminated_on: None,
        }
    }

    fn contact(n: u128, on: Date, employment: &str) -> Contact {
        Contact {
            participant_id: Uuid::from_u128(n),
            contacted_on: on,
            recorded_at: datetime!(2030-01-01 0:00 UTC),
            employment: Some(employment.to_owned()),
            skills_match: None,
        }
    }

    const YEAR: Period = Period {
        from: date!(2024 - 01 - 01),
        to: date!(2024 - 12 - 31),
        as_at: date!(2025 - 12 - 31),
    };

    #[test]
    fn the_nearest_contact_within_45_days_describes_a_point_and_ties_go_to_the_later() {
        let point = date!(2024 - 06 - 15);
        let before = contact(1, date!(2024 - 06 - 05), "employed");
        let after = contact(1, date!(2024 - 06 - 25), "not_working");
        let far = contact(1, date!(2024 - 08 - 01), "self_employed");
        // 10 days either side: the later wins.
        assert_eq!(
            nearest(&[&before, &after, &far], point).map(|c| c.contacted_on),
            Some(after.contacted_on)
        );
        // 47 days away is out of the window; 45 is in.
        assert!(nearest(&[&far], point).is_none());
        let edge = contact(1, date!(2024 - 07 - 30), "employed");
        assert!(nearest(&[&edge], point).is_some());
        assert!(nearest(&[], point).is_none());
    }

    #[test]
    fn a_known_status_in_the_window_beats_a_nearer_unknown_one() {
        let point = date!(2024 - 06 - 15);
        let unknown = contact(1, date!(2024 - 06 - 15), "unknown");
        let mut blank = contact(1, date!(2024 - 06 - 16), "unknown");
        blank.employment = None;
        let known = contact(1, date!(2024 - 07 - 20), "self_employed");
        let outside = contact(1, date!(2024 - 08 - 01), "employed");
        // The unknown ones are on the point; the known one 35 days after it wins.
        assert_eq!(
            nearest(&[&unknown, &blank, &known, &outside], point).map(|c| c.contacted_on),
            Some(known.contacted_on)
        );
        // No known status within the window (the employed one is 47 days away): the nearest
        // unknown one describes the point, as "no data".
        assert_eq!(
            nearest(&[&blank, &unknown, &outside], point).map(|c| c.contacted_on),
            Some(unknown.contacted_on)
        );
        // Through `compute`: graduated 2024-03-15, 3-month point 2024-06-15 → self-employed.
        let people = [moved(1, None, Some(date!(2024 - 03 - 15)))];
        let f = compute(YEAR, &people, &[unknown, known, outside], &[]);
        assert_eq!(f.points[0].situations, [0, 1, 0, 0]);
    }

    #[test]
    fn each_graduate_is_described_by_their_own_contacts_only() {
        // Two graduates on the same day; only the second has a contact at 3 months.
        let people = [
            moved(1, None, Some(date!(2024 - 03 - 15))),
            moved(2, None, Some(date!(2024 - 03 - 15))),
        ];
        let contacts = [contact(2, date!(2024 - 06 - 15), "employed")];
        let f = compute(YEAR, &people, &contacts, &[]);
        assert_eq!(f.points[0].counted, 2);
        assert_eq!(f.points[0].situations, [1, 0, 0, 1]);
    }

    #[test]
    fn employment_is_grouped_into_the_four_columns() {
        use Situation::*;
        for (code, want) in [
            ("employed", Employed),
            ("social_cooperative", Employed),
            ("supported_employment", Employed),
            ("self_employed", SelfEmployed),
            ("registered_unemployed", Unemployed),
            ("not_working", Unemployed),
            ("unknown", NoData),
        ] {
            assert_eq!(Situation::of(Some(code)), want, "{code}");
        }
        assert_eq!(Situation::of(None), NoData);
    }

    #[test]
    fn a_point_counts_only_once_it_has_passed_by_the_as_at_date() {
        // Graduated 2024-03-31 and 2024-11-30; as at 2025-03-31: the 3-month point has passed
        // for both (2024-06-30, 2025-02-28), the 6-month for the first only (2024-09-30; the
        // second's is 2025-05-30), the 12-month for the first (2025-03-31 = as at) only.
        let period = Period {
            as_at: date!(2025 - 03 - 31),
            ..YEAR
        };
        let people = [
            moved(1, None, Some(date!(2024 - 03 - 31))),
            moved(2, None, Some(date!(2024 - 11 - 30))),
        ];
        let contacts = [
            contact(1, date!(2024 - 07 - 10), "employed"),
            contact(2, date!(2025 - 03 - 01), "self_employed"),
        ];
        let f = compute(period, &people, &contacts, &Category::ALL);
        let counted: Vec<i64> = f.points.iter().map(|p| p.counted).collect();
        assert_eq!(counted, [2, 1, 1, 0, 0]);
        assert_eq!(f.points[0].situations, [1, 1, 0, 0]);
        assert_eq!(f.points[1].situations, [0, 0, 0, 1]);
        assert_eq!(f.graduated, 2);
    }

    #[test]
    fn only_visible_categories_are_listed_and_people_count_under_each_of_theirs() {
        let mut p = moved(1, Some(date!(2024 - 02 - 01)), None);
        p.categories = vec![Category::Prison, Category::LongTermUnemployed];
        let f = compute(YEAR, &[p], &[], &[Category::LongTermUnemployed]);
        assert_eq!(f.by_category.len(), 1);
        assert_eq!(f.by_category[0].category, Category::LongTermUnemployed);
        assert_eq!(f.by_category[0].admitted, 1);
        let f = compute(YEAR, &[moved(1, None, None)], &[], &Category::ALL);
        assert!(f.is_empty());
    }

    #[test]
    fn skills_come_from_the_latest_answer() {
        let people = [moved(1, None, Some(date!(2024 - 01 - 31)))];
        let mut early = contact(1, date!(2024 - 04 - 30), "employed");
        early.skills_match = Some("no".into());
        let mut late = contact(1, date!(2024 - 07 - 31), "employed");
        late.skills_match = Some("yes".into());
        let mut unknown = contact(1, date!(2024 - 10 - 31), "employed");
        unknown.skills_match = Some("unknown".into());
        let f = compute(YEAR, &people, &[early, late, unknown], &[]);
        assert_eq!(f.skills, [1, 0, 0, 0]);
        let f = compute(YEAR, &people, &[], &[]);
        assert_eq!(f.skills, [0, 0, 0, 1]);
    }
}
