//! View helpers shared by the participant pages: labels, dates and the "ends in N days" warning.

use time::Date;

use super::pesel::Sex;
use crate::domain::Status;
use crate::domain::calendar::days;
use crate::validate::dates;

/// Days before the planned end from which the file and the manager's view warn.
pub const ENDING_SOON_DAYS: i64 = 30;

/// The warning shown when an active participant's planned end is near or past.
pub fn ending_warning(status: Status, planned_end: Option<Date>, today: Date) -> Option<String> {
    let end = planned_end?;
    if !status.is_active() {
        return None;
    }
    let left = (end - today).whole_days();
    match left {
        l if l < 0 => Some(format!(
            "Planowany koniec udziału minął {} temu ({}) – zdecyduj o zakończeniu lub przedłużeniu.",
            days(-l),
            dates::format(end)
        )),
        0 => Some(format!("Udział kończy się dziś ({}).", dates::format(end))),
        l if l <= ENDING_SOON_DAYS => Some(format!(
            "Udział kończy się za {} ({}).",
            days(l),
            dates::format(end)
        )),
        _ => None,
    }
}

/// The status of a row read with the person's sex code (`K`, `M` or none), in the
/// grammatical gender Polish needs (see [`Status::label_for`]).
pub fn status_label(status: Status, sex: Option<&str>) -> &'static str {
    status.label_for(sex.and_then(Sex::from_code).map(|s| s == Sex::Female))
}

/// Optional date as `DD.MM.YYYY`, or an empty string.
pub fn opt_date(d: Option<Date>) -> String {
    d.map(dates::format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn warns_within_thirty_days_and_after_the_end() {
        let today = date!(2026 - 11 - 23);
        assert_eq!(
            ending_warning(Status::Participant, Some(date!(2027 - 01 - 23)), today),
            None
        );
        assert_eq!(
            ending_warning(Status::Participant, Some(date!(2026 - 12 - 01)), today).as_deref(),
            Some("Udział kończy się za 8 dni (01.12.2026).")
        );
        assert!(
            ending_warning(Status::Trial, Some(date!(2026 - 11 - 22)), today)
                .is_some_and(|w| w.contains("minął 1 dzień temu"))
        );
        assert_eq!(
            ending_warning(Status::Graduate, Some(date!(2026 - 11 - 24)), today),
            None
        );
    }
}
