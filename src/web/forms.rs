//! The form kit every area uses: field errors with lookup by name, the options of a `<select>`
//! (from any closed vocabulary), and the common date checks. Forms are structs of raw strings;
//! validation turns them into domain values or into `FieldErrors`, and the page is shown again
//! with the user's input and the messages (status 422).

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

use time::Date;

use crate::domain::Vocabulary;
use crate::validate::dates;

/// Field name → Polish message shown next to that field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The message for `field`, if any (templates: `errors.field("surname")`).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Records `message` for `field` (replacing an earlier one).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.insert(field, message.into());
    }

    /// The value of a check, or `None` with its message recorded for `field`.
    pub fn take<T>(&mut self, field: &'static str, checked: Result<T, String>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }
}

impl Deref for FieldErrors {
    type Target = BTreeMap<&'static str, String>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for FieldErrors {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// An option of a `<select>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// What the user reads.
    pub label: String,
    /// Pre-selected.
    pub selected: bool,
}

impl Choice {
    /// One option; `selected` when `value` is the current input.
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Self {
        let value = value.into();
        Self {
            selected: value == current,
            label: label.into(),
            value,
        }
    }
}

/// Every value of a closed vocabulary as options, `current` pre-selected.
pub fn choices<T: Vocabulary>(current: &str) -> Vec<Choice> {
    choices_of(T::ALL, current)
}

/// Some values of a closed vocabulary as options, `current` pre-selected.
pub fn choices_of<T: Vocabulary>(values: &[T], current: &str) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice::new(v.code(), v.label(), current))
        .collect()
}

/// A date typed into a form that must not be after `today`.
pub fn past_date(value: &str, today: Date) -> Result<Date, String> {
    dates::parse(value).and_then(|d| not_in_future(d, today))
}

/// `date`, unless it is after `today`.
pub fn not_in_future(date: Date, today: Date) -> Result<Date, String> {
    if date > today {
        Err("Data nie może być z przyszłości.".into())
    } else {
        Ok(date)
    }
}

/// `date`, unless it is before `earliest`; the message names what it may not precede.
pub fn not_before(date: Date, earliest: Option<Date>, what: &str) -> Result<Date, String> {
    match earliest {
        Some(earliest) if date < earliest => Err(format!(
            "Data nie może być wcześniejsza niż {what} ({}).",
            dates::format(earliest)
        )),
        _ => Ok(date),
    }
}

/// `date`, unless it falls outside `first..=last` (a month of attendance, a contract's period);
/// the message names the range.
pub fn between(date: Date, first: Date, last: Date) -> Result<Date, String> {
    if (first..=last).contains(&date) {
        Ok(date)
    } else {
        Err(format!(
            "Podaj datę od {} do {}.",
            dates::format(first),
            dates::format(last)
        ))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::domain::Status;

    #[test]
    fn errors_are_found_by_field_and_taken_from_checks() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.take("a", Ok::<_, String>(1)), Some(1));
        assert_eq!(errors.take::<i32>("b", Err("Zło.".into())), None);
        assert_eq!(errors.field("b"), Some("Zło."));
        assert_eq!(errors.field("a"), None);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn choices_come_from_the_vocabulary_with_the_input_selected() {
        let options = choices::<Status>("trial");
        assert_eq!(options.len(), Status::ALL.len());
        assert!(
            options
                .iter()
                .any(|o| o.selected && o.label == "Okres próbny")
        );
        assert_eq!(options.iter().filter(|o| o.selected).count(), 1);
    }

    #[test]
    fn dates_are_checked_against_today_and_a_lower_bound() {
        let today = date!(2026 - 11 - 23);
        assert_eq!(past_date("23.11.2026", today), Ok(today));
        assert!(past_date("2026-11-24", today).is_err_and(|e| e.contains("przyszłości")));
        assert!(past_date("jutro", today).is_err());
        let admitted = date!(2026 - 01 - 05);
        assert!(
            not_before(date!(2026 - 01 - 04), Some(admitted), "przyjęcie")
                .is_err_and(|e| e == "Data nie może być wcześniejsza niż przyjęcie (05.01.2026).")
        );
        assert_eq!(
            not_before(admitted, Some(admitted), "przyjęcie"),
            Ok(admitted)
        );
        assert_eq!(not_before(admitted, None, "przyjęcie"), Ok(admitted));
        let (first, last) = (date!(2026 - 11 - 01), date!(2026 - 11 - 30));
        assert_eq!(between(first, first, last), Ok(first));
        assert_eq!(between(last, first, last), Ok(last));
        assert_eq!(
            between(date!(2026 - 12 - 01), first, last),
            Err("Podaj datę od 01.11.2026 do 30.11.2026.".into())
        );
    }
}
