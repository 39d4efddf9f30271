//! Reading the month's attendance record (rule 9 of the module doc): which entries count, what
//! they add up to, and the warnings for the manager — entries outside the month or the
//! participation (ignored), several entries of one day (the kindest counts), minutes out of
//! range, entries on days that are not working days (counted, noted), working days without an
//! entry (nothing deducted, reported) and PAI weeks below the minimum.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use time::{Date, Duration};

use super::explain::{date_long, day_list, day_month, duration, join, month_long, week};
use super::explain::{weekday_name, working_days};
use super::{Counts, DayEntry, DayStatus, MonthInput};

/// The most minutes a day can hold.
const DAY_MINUTES: i64 = 24 * 60;

/// The entries that count and the working days, both within the participation part of the month.
pub(super) struct Record {
    /// One entry per day, within the participation.
    days: BTreeMap<Date, DayEntry>,
    /// The centre's working days within the participation.
    working: BTreeSet<Date>,
}

impl Record {
    /// Reads `input`'s entries and working days for the participation from `start` to `end`
    /// within the month from `month` to `month_end`, adding the warnings of the record.
    pub(super) fn read(
        input: &MonthInput,
        (month, month_end): (Date, Date),
        (start, end): (Date, Date),
        warnings: &mut Vec<String>,
    ) -> Record {
        let mut sorted: Vec<&DayEntry> = input.entries.iter().collect();
        sorted.sort_by_key(|e| (e.day, e.status.kindness(), std::cmp::Reverse(e.minutes)));
        let mut days = BTreeMap::new();
        let (mut outside_month, mut outside_part) = (Vec::new(), Vec::new());
        let (mut doubled, mut odd_minutes) = (Vec::new(), Vec::new());
        for entry in sorted {
            if entry.day < month || entry.day > month_end {
                outside_month.push(entry.day);
            } else if entry.day < start || entry.day > end {
                outside_part.push(entry.day);
            } else if let Entry::Vacant(slot) = days.entry(entry.day) {
                let minutes = entry.minutes.clamp(0, DAY_MINUTES);
                if minutes != entry.minutes {
                    odd_minutes.push(entry.day);
                }
                slot.insert(DayEntry {
                    minutes,
                    ..entry.clone()
                });
            } else {
                doubled.push(entry.day);
            }
        }
        for list in [&mut outside_month, &mut outside_part, &mut doubled] {
            list.dedup();
        }
        if !outside_month.is_empty() {
            let dates: Vec<String> = outside_month.iter().map(|d| date_long(*d)).collect();
            warnings.push(format!(
                "Pominięto {} spoza miesiąca ({}): {}.",
                entries_word(dates.len()),
                month_long(month),
                join(&dates)
            ));
        }
        if !outside_part.is_empty() {
            let period = if end < start {
                "w tym miesiącu brak dni uczestnictwa".to_string()
            } else {
                format!(
                    "uczestnictwo w tym miesiącu od {} do {}",
                    day_month(start),
                    day_month(end)
                )
            };
            warnings.push(format!(
                "Pominięto {} spoza okresu uczestnictwa ({period}): {}.",
                entries_word(outside_part.len()),
                day_list(&outside_part)
            ));
        }
        if !doubled.is_empty() {
            warnings.push(format!(
                "Więcej niż jeden wpis na dzień: {} – uwzględniono po jednym, najkorzystniejszym \
                 dla uczestnika (kolejno: obecność, nieobecność usprawiedliwiona, dzień wolny, \
                 zwolnienie lekarskie, nieobecność nieusprawiedliwiona).",
                day_list(&doubled)
            ));
        }
        if !odd_minutes.is_empty() {
            warnings.push(format!(
                "Liczba minut spoza zakresu 0–{DAY_MINUTES}: {} – przyjęto najbliższą wartość z \
                 tego zakresu.",
                day_list(&odd_minutes)
            ));
        }
        let working: BTreeSet<Date> = input
            .working_days
            .iter()
            .copied()
            .filter(|d| *d >= start && *d <= end)
            .collect();
        let record = Record { days, working };
        record.warn_missing_and_off_days(warnings);
        record
    }

    /// Warns of working days without an entry and of entries on other days.
    fn warn_missing_and_off_days(&self, warnings: &mut Vec<String>) {
        let missing: Vec<Date> = self
            .working
            .iter()
            .copied()
            .filter(|d| !self.days.contains_key(d))
            .collect();
        if !missing.is_empty() {
            warnings.push(format!(
                "Brak wpisu obecności: {} ({}). {}",
                working_days(i64::try_from(missing.len()).unwrap_or(i64::MAX)),
                day_list(&missing),
                if missing.len() == 1 {
                    "Za ten dzień niczego nie potrącono; uzupełnij wpis."
                } else {
                    "Za te dni niczego nie potrącono; uzupełnij wpisy."
                }
            ));
        }
        let off: Vec<String> = self
            .days
            .keys()
            .filter(|d| !self.working.contains(d))
            .map(|d| format!("{} ({})", day_month(*d), weekday_name(d.weekday())))
            .collect();
        if !off.is_empty() {
            warnings.push(format!(
                "{}: {} – {}",
                if off.len() == 1 {
                    "Wpis na dzień, który nie jest dniem roboczym ośrodka"
                } else {
                    "Wpisy na dni, które nie są dniami roboczymi ośrodka"
                },
                join(&off),
                if off.len() == 1 {
                    "uwzględniono go tak, jak go wpisano; sprawdź, czy to właściwy dzień."
                } else {
                    "uwzględniono je tak, jak je wpisano; sprawdź, czy to właściwe dni."
                }
            ));
        }
    }

    /// The counts of the record (the counts of the rules are filled in by the caller).
    pub(super) fn counts(&self) -> Counts {
        let count = |status: DayStatus| {
            let n = self.days.values().filter(|e| e.status == status).count();
            i64::try_from(n).unwrap_or(i64::MAX)
        };
        let len = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        Counts {
            working_days: len(self.working.len()),
            missing_entries: len(self
                .working
                .iter()
                .filter(|d| !self.days.contains_key(d))
                .count()),
            present: count(DayStatus::Present),
            minutes_present: self.minutes_present(None),
            sick: count(DayStatus::Sick),
            justified: count(DayStatus::Justified),
            unjustified: count(DayStatus::Unjustified),
            days_off: count(DayStatus::DayOff),
            ..Counts::default()
        }
    }

    /// Minutes present, in the whole record or in the week from `from` to `to`.
    fn minutes_present(&self, week: Option<(Date, Date)>) -> i64 {
        self.days
            .values()
            .filter(|e| e.status == DayStatus::Present)
            .filter(|e| week.is_none_or(|(from, to)| e.day >= from && e.day <= to))
            .map(|e| e.minutes)
            .fold(0i64, i64::saturating_add)
    }

    /// PAI: for each week (Monday to Sunday) overlapping the participation from `start` to
    /// `end` with k ≥ 1 working days in it, warns when the minutes present are below
    /// `min_weekly` × k / 5.
    pub(super) fn warn_pai(
        &self,
        min_weekly: i64,
        (start, end): (Date, Date),
        out: &mut Vec<String>,
    ) {
        let back = i64::from(start.weekday().number_days_from_monday());
        let mut monday = start.checked_sub(Duration::days(back));
        while let Some(from) = monday.filter(|m| *m <= end) {
            let Some(to) = from.checked_add(Duration::days(6)) else {
                break;
            };
            let k = i64::try_from(self.working.range(from..=to).count()).unwrap_or(i64::MAX);
            let minutes = self.minutes_present(Some((from, to)));
            let required = i128::from(min_weekly) * i128::from(k);
            if k >= 1 && i128::from(minutes) * 5 < required {
                let required_minutes = i64::try_from((required + 4) / 5).unwrap_or(i64::MAX);
                out.push(format!(
                    "PAI: w tygodniu {} obecność {}, a wymagane jest co najmniej {} ({} \
                     tygodniowo przy 5 dniach roboczych; w tym tygodniu {} w okresie \
                     uczestnictwa).",
                    week(from, to),
                    duration(minutes),
                    duration(required_minutes),
                    duration(min_weekly),
                    working_days(k)
                ));
            }
            monday = to.checked_add(Duration::days(1));
        }
    }
}

/// "wpis" or "wpisy", for entries of `n` days.
fn entries_word(n: usize) -> &'static str {
    if n == 1 { "wpis" } else { "wpisy" }
}
