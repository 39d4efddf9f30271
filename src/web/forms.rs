//! The form kit every area uses: field errors with lookup by name, the options of a `<select>`
//! (from any closed vocabulary), and the common date checks. Forms are structs of raw strings;
//! validation turns them into domain values or into `FieldErrors`, and the page is shown again
//! with the user's input and the messages (status 422).

use std::borrow::Cow;

use time::Date;

use crate::domain::Vocabulary;
use crate::validate::dates;

/// Field name → Polish message shown next to that field, in the order the checks found them
/// (the form's order), which is the order of the error summary at the top of the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(Cow<'static, str>, String)>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The message for `field`, if any (templates: `errors.field("surname")`).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.as_str())
    }

    /// Whether `field` has a message.
    pub fn contains_key(&self, name: &str) -> bool {
        self.field(name).is_some()
    }

    /// Records `message` for `field` (replacing an earlier one, in its place).
    /// A field of a list row ("goal_3_due") is named at run time, hence the `Cow`.
    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message: impl Into<String>) {
        let (field, message) = (field.into(), message.into());
        match self.0.iter_mut().find(|(f, _)| *f == field) {
            Some((_, m)) => *m = message,
            None => self.0.push((field, message)),
        }
    }

    /// Records `message` for `field` unless it has one already (the first problem found).
    pub fn add_if_absent(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) {
        let field = field.into();
        if !self.contains_key(&field) {
            self.0.push((field, message.into()));
        }
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

    /// Every message of `other`, after these.
    pub fn merge(&mut self, other: &FieldErrors) {
        for (field, message) in &other.0 {
            self.add(field.clone(), message.clone());
        }
    }

    /// No field has a message.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields have a message.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// (field, message) in the form's order: the error summary's links.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_ref(), m.as_str()))
    }
}

/// `errors["field"]`: the message of a field that has one (tests; panics otherwise).
impl std::ops::Index<&str> for FieldErrors {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        self.field(name)
            .unwrap_or_else(|| panic!("no message for `{name}`"))
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
        errors.add("a", "Pierwszy.");
        errors.add_if_absent("b", "Inny.");
        errors.add("b", "Drugi.");
        // The summary keeps the order the checks found the problems in.
        assert_eq!(
            errors.iter().collect::<Vec<_>>(),
            [("b", "Drugi."), ("a", "Pierwszy.")]
        );
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
