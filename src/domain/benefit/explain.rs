//! The Polish wording of the statement: dates, day counts, durations and the calculation shown
//! in a line, with the one rounding rule named every time.

use time::{Date, Month};

pub(super) use super::super::calendar::weekday as weekday_name;
use super::super::calendar::{month_genitive, month_name};
use super::super::money::{format_pln, format_pln_exact, round_half_up};

/// The rounding rule, as every line that rounds names it.
pub(super) const ROUNDING: &str = "zaokrąglenie do pełnego grosza, od połowy w górę";

/// A day of a month: "16 stycznia".
pub(super) fn day_month(date: Date) -> String {
    format!("{} {}", date.day(), month_genitive(date.month()))
}

/// A full date: "16 stycznia 2026 r.".
pub(super) fn date_long(date: Date) -> String {
    format!("{} {} r.", day_month(date), date.year())
}

/// Joins items the Polish way: "a", "a i b", "a, b i c".
pub(super) fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} i {last}", init.join(", ")),
    }
}

/// Days of one month (sorted): "4, 5 i 18 listopada". Days of several months are grouped per
/// month: "30 i 31 grudnia, 2 stycznia".
pub(super) fn day_list(dates: &[Date]) -> String {
    let mut groups: Vec<(Month, Vec<String>)> = Vec::new();
    for date in dates {
        match groups.last_mut() {
            Some((month, days)) if *month == date.month() => days.push(date.day().to_string()),
            _ => groups.push((date.month(), vec![date.day().to_string()])),
        }
    }
    groups
        .iter()
        .map(|(month, days)| format!("{} {}", join(days), month_genitive(*month)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number of days: "1 dzień", "3 dni".
pub(super) use crate::domain::calendar::days;

/// A number of working days, declined: "1 dzień roboczy", "3 dni robocze", "5 dni roboczych".
pub(super) fn working_days(n: i64) -> String {
    let (tens, ones) = (n.abs() % 100, n.abs() % 10);
    if n == 1 {
        "1 dzień roboczy".to_string()
    } else if (2..=4).contains(&ones) && !(12..=14).contains(&tens) {
        format!("{n} dni robocze")
    } else {
        format!("{n} dni roboczych")
    }
}

/// A duration in minutes: "7 godz. 30 min", "10 godz.", "45 min".
pub(super) fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} godz."),
        (h, m) => format!("{h} godz. {m} min"),
    }
}

/// A week from Monday to Sunday: "3–9 listopada 2025 r.", "27 października – 2 listopada
/// 2025 r.", "29 grudnia 2025 r. – 4 stycznia 2026 r.".
pub(super) fn week(monday: Date, sunday: Date) -> String {
    if monday.year() != sunday.year() {
        format!("{} – {}", date_long(monday), date_long(sunday))
    } else if monday.month() != sunday.month() {
        format!("{} – {}", day_month(monday), date_long(sunday))
    } else {
        format!("{}–{}", monday.day(), date_long(sunday))
    }
}

/// A month: "styczeń 2026".
pub(super) fn month_long(date: Date) -> String {
    format!("{} {}", month_name(date.month()), date.year())
}

/// One calculation of a line: `expression` (already written out, e.g. "2 066,28 zł × 3 ×
/// 1/20"), its exact value `numerator / denominator` grosze, and the result rounded once by the
/// rounding rule: "2 066,28 zł × 3 × 1/20 = 309,942 zł → 309,94 zł (zaokrąglenie …)".
pub(super) fn calc(expression: &str, numerator: i128, denominator: i128) -> (String, i64) {
    let rounded = round_half_up(numerator, denominator);
    let exact = denominator > 0 && numerator % denominator == 0;
    let text = if exact {
        format!("{expression} = {} ({ROUNDING})", format_pln(rounded))
    } else {
        format!(
            "{expression} = {} → {} ({ROUNDING})",
            format_pln_exact(numerator, denominator),
            format_pln(rounded)
        )
    };
    (text, rounded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn polish_wording() {
        assert_eq!(working_days(1), "1 dzień roboczy");
        assert_eq!(working_days(3), "3 dni robocze");
        assert_eq!(working_days(5), "5 dni roboczych");
        assert_eq!(working_days(12), "12 dni roboczych");
        assert_eq!(working_days(22), "22 dni robocze");
        assert_eq!(days(1), "1 dzień");
        assert_eq!(days(16), "16 dni");
        assert_eq!(duration(450), "7 godz. 30 min");
        assert_eq!(duration(600), "10 godz.");
        assert_eq!(duration(45), "45 min");
        let dates = [
            date!(2025 - 11 - 04),
            date!(2025 - 11 - 05),
            date!(2025 - 11 - 18),
        ];
        assert_eq!(day_list(&dates), "4, 5 i 18 listopada");
        assert_eq!(day_list(&dates[..1]), "4 listopada");
        assert_eq!(
            week(date!(2025 - 12 - 29), date!(2026 - 01 - 04)),
            "29 grudnia 2025 r. – 4 stycznia 2026 r."
        );
        assert_eq!(
            week(date!(2025 - 10 - 27), date!(2025 - 11 - 02)),
            "27 października – 2 listopada 2025 r."
        );
        assert_eq!(
            week(date!(2025 - 11 - 03), date!(2025 - 11 - 09)),
            "3–9 listopada 2025 r."
        );
    }
}
