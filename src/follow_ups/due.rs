//! When a follow-up item is due, as pure functions of dates (the lists, the timeline and the
//! recording of a contact all ask here, and the SQL of the lists and of `db::fulfil` spells out
//! the same bounds).
//!
//! One rule everywhere: a contact counts for an item from the day its window opens — `window`
//! days before the due date, or the first day of the due date's month when that comes sooner —
//! so everything a list shows as "due this month" is closed by a contact made today. An open
//! item (no contact yet) is *upcoming* before its window opens, *due* from then until
//! `due_on + window`, and *overdue* after that. A reached contact fulfils every open item whose
//! window has opened by its date (late ones included); an extra or closer item only when the
//! contact is not dated before the day the item was planned (`db::fulfil`). A graduate is under
//! follow-up while their status is graduate and `today` is not after `follow_up_until` (the last
//! due date's window included); after that they leave every list.

use time::{Date, Duration};

use crate::domain::Status;
use crate::domain::calendar::{self, days};
use crate::validate::dates;

/// Where an open item stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueState {
    /// Past its window: the contact is late.
    Overdue,
    /// Within its window: the contact is to be made now.
    Due,
    /// Its window has not opened yet.
    Upcoming,
}

/// The first day a contact counts for an item due on `due_on`: `window_days` before it, or the
/// first day of its month when that comes sooner.
pub fn window_opens(due_on: Date, window_days: i32) -> Date {
    (due_on - Duration::days(i64::from(window_days))).min(calendar::month_start(due_on))
}

/// The last day of the window around `due_on`.
pub fn window_closes(due_on: Date, window_days: i32) -> Date {
    due_on + Duration::days(i64::from(window_days))
}

/// Where an open item due on `due_on` stands on `today`.
pub fn state(due_on: Date, window_days: i32, today: Date) -> DueState {
    if today > window_closes(due_on, window_days) {
        DueState::Overdue
    } else if today >= window_opens(due_on, window_days) {
        DueState::Due
    } else {
        DueState::Upcoming
    }
}

/// Whether a graduate is still followed up on `today` (and so on the lists).
pub fn under_follow_up(status: Status, until: Option<Date>, today: Date) -> bool {
    status == Status::Graduate && until.is_some_and(|until| today <= until)
}

/// Whether a contact reached on `contacted_on` fulfils an open item due on `due_on`: every item
/// whose window has opened by then (late ones included), so also one due later in the contact's
/// month. (`db::fulfil` also keeps an extra or closer item open for a contact dated before the
/// item was planned.)
pub fn fulfils(due_on: Date, window_days: i32, contacted_on: Date) -> bool {
    window_opens(due_on, window_days) <= contacted_on
}

/// The item closer contact adds after `from` (a reached contact, or the day it was marked):
/// due `closer_days` later, when that comes before the next open item and within the
/// follow-up; otherwise none (the next item comes soon enough).
pub fn closer_item(
    from: Date,
    closer_days: i32,
    next_open: Option<Date>,
    until: Date,
) -> Option<Date> {
    let due = from + Duration::days(i64::from(closer_days));
    (due <= until && next_open.is_none_or(|next| due < next)).then_some(due)
}

/// The dates that split the lists on `today`, as the SQL of the lists binds them. A graduate
/// stands where their earliest open item does: overdue before `overdue_before`; due (this
/// month, or its window open) up to `due_by`; upcoming up to `horizon` (three months on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The day the lists are for.
    pub today: Date,
    /// An item due before this day is overdue.
    pub overdue_before: Date,
    /// An item due by this day has its window open (`window_opens`): it is due (this month, or
    /// within the window), and a contact today closes it.
    pub due_by: Date,
    /// The lists show items due by this day.
    pub horizon: Date,
}

impl Bounds {
    /// The bounds on `today` with the window in force.
    pub fn on(today: Date, window_days: i32) -> Self {
        let due_by = window_closes(today, window_days).max(calendar::month_end(today));
        Self {
            today,
            overdue_before: today - Duration::days(i64::from(window_days)),
            due_by,
            horizon: due_by.max(dates::add_months(today, 3)),
        }
    }

    /// Where a graduate whose earliest open item is due on `first_due` stands.
    pub fn group(&self, first_due: Date) -> DueState {
        if first_due < self.overdue_before {
            DueState::Overdue
        } else if first_due <= self.due_by {
            DueState::Due
        } else {
            DueState::Upcoming
        }
    }
}

/// An item's state in words on `today`, and whether it is overdue, as the timeline and the
/// participant's file show it: made, with the contact's day; after the follow-up (`followed`
/// false) simply not made; otherwise as [`in_words`].
pub fn item_state(
    due_on: Date,
    contacted_on: Option<Date>,
    window_days: i32,
    today: Date,
    followed: bool,
) -> (String, bool) {
    match contacted_on {
        Some(on) => (format!("wykonany – kontakt {}", dates::format(on)), false),
        None if !followed => ("niewykonany – monitoring zakończony".to_owned(), false),
        None => (
            in_words(due_on, window_days, today),
            state(due_on, window_days, today) == DueState::Overdue,
        ),
    }
}

/// An open item's state in words, as the lists and the timeline show it.
pub fn in_words(due_on: Date, window_days: i32, today: Date) -> String {
    match state(due_on, window_days, today) {
        DueState::Overdue => format!(
            "zaległy – po terminie od {}",
            days((today - due_on).whole_days())
        ),
        DueState::Due if today <= due_on => format!(
            "do wykonania – termin {}",
            if today == due_on {
                "dziś".to_owned()
            } else {
                format!("za {}", days((due_on - today).whole_days()))
            }
        ),
        DueState::Due => format!(
            "do wykonania – {} po terminie, okno kontaktu do {}",
            days((today - due_on).whole_days()),
            dates::format(window_closes(due_on, window_days))
        ),
        DueState::Upcoming => format!(
            "zaplanowany – okno kontaktu od {}",
            dates::format(window_opens(due_on, window_days))
        ),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::super::schedule::{FollowUpRules, standard};
    use super::*;

    #[test]
    fn a_graduation_on_31_january_clamps_to_month_ends_and_ends_after_three_years() {
        let rules = FollowUpRules::new(vec![standard()]);
        let graduated = date!(2026 - 01 - 31);
        let rule = rules.on(graduated).unwrap();
        assert_eq!(
            rule.due_dates(graduated),
            vec![
                date!(2026 - 04 - 30),
                date!(2026 - 07 - 31),
                date!(2026 - 10 - 31),
                date!(2027 - 01 - 31),
                date!(2027 - 07 - 31),
                date!(2028 - 01 - 31),
                date!(2028 - 07 - 31),
                date!(2029 - 01 - 31),
            ]
        );
        // The last due date's window (14 days) included.
        let until = rule.until(graduated);
        assert_eq!(until, date!(2029 - 02 - 14));
        assert!(under_follow_up(Status::Graduate, Some(until), until));
        assert!(!under_follow_up(
            Status::Graduate,
            Some(until),
            date!(2029 - 02 - 15)
        ));
    }

    #[test]
    fn a_graduation_on_29_february_clamps_to_28_february_in_common_years() {
        let rules = FollowUpRules::new(vec![standard()]);
        let graduated = date!(2028 - 02 - 29);
        let rule = rules.on(graduated).unwrap();
        assert_eq!(
            rule.due_dates(graduated),
            vec![
                date!(2028 - 05 - 29),
                date!(2028 - 08 - 29),
                date!(2028 - 11 - 29),
                date!(2029 - 02 - 28),
                date!(2029 - 08 - 29),
                date!(2030 - 02 - 28),
                date!(2030 - 08 - 29),
                date!(2031 - 02 - 28),
            ]
        );
        assert_eq!(rule.until(graduated), date!(2031 - 03 - 14));
    }

    #[test]
    fn an_item_is_upcoming_then_due_within_its_window_then_overdue() {
        let due_on = date!(2026 - 04 - 20);
        // The window: from 1 April (the due date's month; 14 days before is 6 April) to 4 May.
        assert_eq!(window_opens(due_on, 14), date!(2026 - 04 - 01));
        assert_eq!(state(due_on, 14, date!(2026 - 03 - 31)), DueState::Upcoming);
        assert_eq!(state(due_on, 14, date!(2026 - 04 - 01)), DueState::Due);
        assert_eq!(state(due_on, 14, date!(2026 - 05 - 04)), DueState::Due);
        assert_eq!(state(due_on, 14, date!(2026 - 05 - 05)), DueState::Overdue);
        // Early in a month the 14 days reach into the month before.
        let due_on = date!(2026 - 05 - 05);
        assert_eq!(window_opens(due_on, 14), date!(2026 - 04 - 21));
        let due_on = date!(2026 - 04 - 30);
        // The window: 1 April (the due date's month) to 14 May.
        assert_eq!(state(due_on, 14, date!(2026 - 03 - 31)), DueState::Upcoming);
        assert_eq!(state(due_on, 14, date!(2026 - 04 - 01)), DueState::Due);
        assert_eq!(state(due_on, 14, date!(2026 - 05 - 14)), DueState::Due);
        assert_eq!(state(due_on, 14, date!(2026 - 05 - 15)), DueState::Overdue);
        // Without a window the due day alone.
        assert_eq!(state(due_on, 0, date!(2026 - 04 - 30)), DueState::Due);
        assert_eq!(state(due_on, 0, date!(2026 - 05 - 01)), DueState::Overdue);
        assert_eq!(
            in_words(due_on, 14, date!(2026 - 05 - 15)),
            "zaległy – po terminie od 15 dni"
        );
        assert_eq!(
            in_words(due_on, 14, date!(2026 - 04 - 29)),
            "do wykonania – termin za 1 dzień"
        );
        assert_eq!(
            in_words(due_on, 14, date!(2026 - 05 - 02)),
            "do wykonania – 2 dni po terminie, okno kontaktu do 14.05.2026"
        );
        assert_eq!(
            in_words(due_on, 14, date!(2026 - 03 - 01)),
            "zaplanowany – okno kontaktu od 01.04.2026"
        );
        assert_eq!(
            in_words(due_on, 14, date!(2026 - 04 - 01)),
            "do wykonania – termin za 29 dni"
        );
    }

    #[test]
    fn the_lists_split_on_the_window_and_the_end_of_the_month() {
        let bounds = Bounds::on(date!(2026 - 12 - 01), 14);
        assert_eq!(bounds.overdue_before, date!(2026 - 11 - 17));
        assert_eq!(bounds.due_by, date!(2026 - 12 - 31));
        assert_eq!(bounds.horizon, date!(2027 - 03 - 01));
        assert_eq!(bounds.group(date!(2026 - 11 - 16)), DueState::Overdue);
        assert_eq!(bounds.group(date!(2026 - 11 - 17)), DueState::Due);
        assert_eq!(bounds.group(date!(2026 - 12 - 31)), DueState::Due);
        assert_eq!(bounds.group(date!(2027 - 01 - 01)), DueState::Upcoming);
        // Late in a month the window reaches into the next one.
        let late = Bounds::on(date!(2026 - 12 - 28), 14);
        assert_eq!(late.due_by, date!(2027 - 01 - 11));
        assert_eq!(late.group(date!(2027 - 01 - 11)), DueState::Due);
        // One rule: the groups are the state of the item itself, and what a contact today
        // closes is exactly what is overdue or due (so an item "due this month" leaves the list
        // after today's contact).
        for today in [bounds.today, late.today, date!(2026 - 12 - 15)] {
            let bounds = Bounds::on(today, 14);
            for offset in -60..60 {
                let due_on = today + Duration::days(offset);
                let item = state(due_on, 14, today);
                assert_eq!(bounds.group(due_on), item, "{today} {due_on}");
                assert_eq!(
                    fulfils(due_on, 14, today),
                    item != DueState::Upcoming,
                    "{today} {due_on}"
                );
            }
        }
    }

    #[test]
    fn only_graduates_within_their_follow_up_are_followed() {
        let until = Some(date!(2029 - 01 - 31));
        let today = date!(2026 - 12 - 01);
        assert!(under_follow_up(Status::Graduate, until, today));
        assert!(!under_follow_up(Status::Terminated, until, today));
        assert!(!under_follow_up(Status::Graduate, None, today));
    }

    #[test]
    fn a_contact_fulfils_the_items_whose_window_has_opened() {
        // On 1 December an item due on 31 December is due this month: a contact closes it.
        assert!(fulfils(date!(2026 - 12 - 31), 14, date!(2026 - 12 - 01)));
        assert_eq!(
            state(date!(2026 - 12 - 31), 14, date!(2026 - 12 - 01)),
            DueState::Due
        );
        assert!(!fulfils(date!(2027 - 01 - 01), 14, date!(2026 - 12 - 01)));
        let contacted = date!(2026 - 04 - 20);
        assert!(fulfils(date!(2026 - 04 - 30), 14, contacted));
        assert!(fulfils(date!(2026 - 01 - 31), 14, contacted));
        assert!(fulfils(date!(2026 - 05 - 04), 14, contacted));
        assert!(!fulfils(date!(2026 - 05 - 05), 14, contacted));
        assert!(!fulfils(date!(2026 - 07 - 31), 14, contacted));
    }

    #[test]
    fn closer_contact_brings_the_next_contact_forward_only_when_sooner() {
        let until = date!(2029 - 01 - 31);
        let from = date!(2026 - 05 - 02);
        // 30 days on is 1 June, before the next item (31 July): added.
        assert_eq!(
            closer_item(from, 30, Some(date!(2026 - 07 - 31)), until),
            Some(date!(2026 - 06 - 01))
        );
        // The next item comes first anyway: nothing added.
        assert_eq!(
            closer_item(from, 30, Some(date!(2026 - 06 - 01)), until),
            None
        );
        // No next item: within the follow-up only.
        assert_eq!(
            closer_item(from, 30, None, until),
            Some(date!(2026 - 06 - 01))
        );
        assert_eq!(closer_item(date!(2029 - 01 - 15), 30, None, until), None);
    }

    #[test]
    fn an_items_state_is_made_late_only_past_its_window_and_not_made_after_the_end() {
        let today = date!(2026 - 12 - 02);
        let due = date!(2026 - 11 - 22);
        assert_eq!(
            item_state(due, Some(date!(2026 - 11 - 20)), 14, today, true),
            ("wykonany – kontakt 20.11.2026".to_owned(), false)
        );
        // Ten days late, within a window of 14: to be made, not overdue.
        assert_eq!(
            item_state(due, None, 14, today, true),
            (
                "do wykonania – 10 dni po terminie, okno kontaktu do 06.12.2026".to_owned(),
                false
            )
        );
        assert_eq!(
            item_state(due, None, 7, today, true),
            ("zaległy – po terminie od 10 dni".to_owned(), true)
        );
        assert_eq!(
            item_state(due, None, 7, today, false),
            ("niewykonany – monitoring zakończony".to_owned(), false)
        );
    }
}
