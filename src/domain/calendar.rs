//! Polish public holidays (dni wolne od pracy), the ground of the centre's calendar (issue 11:
//! attendance is planned on working days; a holiday is neither a day present nor an absence).
//!
//! Source: ustawa z dnia 18 stycznia 1951 r. o dniach wolnych od pracy (Dz.U. 2020 poz. 1920
//! ze zm.): art. 1 lists the days. Two were added later and count only from the day they came
//! into force: Trzech Króli (6 January) from 2011, Wigilia Bożego Narodzenia (24 December) from
//! 2025. Easter Sunday is computed by the Gregorian computus (the anonymous "Meeus/Jones/
//! Butcher" algorithm); Easter Monday, Pentecost (49 days after Easter) and Corpus Christi (60
//! days after Easter) follow from it. Pentecost and Easter fall on a Sunday; they are listed all
//! the same, as the act lists them.

use time::{Date, Duration, Month, Weekday};

/// Easter Sunday of `year` (Gregorian calendar).
pub fn easter(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = if month == 3 {
        Month::March
    } else {
        Month::April
    };
    Date::from_calendar_date(year, month, day as u8).expect("Easter is a date in March or April")
}

/// The public holidays of `year`, in date order, each with its Polish name.
pub fn public_holidays(year: i32) -> Vec<(Date, &'static str)> {
    let on = |month: Month, day: u8| {
        Date::from_calendar_date(year, month, day).expect("a fixed holiday is a date")
    };
    let easter = easter(year);
    let mut days = vec![
        (on(Month::January, 1), "Nowy Rok"),
        (easter, "Wielkanoc"),
        (easter + Duration::days(1), "Poniedziałek Wielkanocny"),
        (on(Month::May, 1), "Święto Pracy"),
        (on(Month::May, 3), "Święto Konstytucji 3 Maja"),
        (easter + Duration::days(49), "Zesłanie Ducha Świętego"),
        (easter + Duration::days(60), "Boże Ciało"),
        (
            on(Month::August, 15),
            "Wniebowzięcie Najświętszej Maryi Panny",
        ),
        (on(Month::November, 1), "Wszystkich Świętych"),
        (on(Month::November, 11), "Narodowe Święto Niepodległości"),
        (on(Month::December, 25), "Boże Narodzenie (pierwszy dzień)"),
        (on(Month::December, 26), "Boże Narodzenie (drugi dzień)"),
    ];
    if year >= 2011 {
        days.push((on(Month::January, 6), "Święto Trzech Króli"));
    }
    if year >= 2025 {
        days.push((on(Month::December, 24), "Wigilia Bożego Narodzenia"));
    }
    days.sort_by_key(|(date, _)| *date);
    days
}

/// The holiday `date` is, if it is one.
pub fn holiday(date: Date) -> Option<&'static str> {
    public_holidays(date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, name)| name)
}

/// The working days from `from` to `to` (inclusive): Monday to Friday, neither a public holiday
/// nor one of `closed` (the days the centre is closed).
pub fn working_days(from: Date, to: Date, closed: &[Date]) -> Vec<Date> {
    let mut days = Vec::new();
    let mut holidays: Vec<Date> = Vec::new();
    let mut year = None;
    let mut day = from;
    while day <= to {
        if year != Some(day.year()) {
            year = Some(day.year());
            holidays = public_holidays(day.year())
                .into_iter()
                .map(|(d, _)| d)
                .collect();
        }
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        if !weekend && !holidays.contains(&day) && !closed.contains(&day) {
            days.push(day);
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    days
}

const MONTHS: [(&str, &str); 12] = [
    ("styczeń", "stycznia"),
    ("luty", "lutego"),
    ("marzec", "marca"),
    ("kwiecień", "kwietnia"),
    ("maj", "maja"),
    ("czerwiec", "czerwca"),
    ("lipiec", "lipca"),
    ("sierpień", "sierpnia"),
    ("wrzesień", "września"),
    ("październik", "października"),
    ("listopad", "listopada"),
    ("grudzień", "grudnia"),
];

const WEEKDAYS: [(&str, &str); 7] = [
    ("poniedziałek", "pn"),
    ("wtorek", "wt"),
    ("środa", "śr"),
    ("czwartek", "czw"),
    ("piątek", "pt"),
    ("sobota", "sob"),
    ("niedziela", "nd"),
];

/// "listopad": the month's name on its own.
pub fn month_name(month: Month) -> &'static str {
    MONTHS[usize::from(u8::from(month)) - 1].0
}

/// "listopada": the month's name after a day number.
pub fn month_genitive(month: Month) -> &'static str {
    MONTHS[usize::from(u8::from(month)) - 1].1
}

/// "wtorek": a weekday's name.
pub fn weekday(day: Weekday) -> &'static str {
    WEEKDAYS[usize::from(day.number_days_from_monday())].0
}

/// The last day of `day`'s month.
pub fn month_end(day: Date) -> Date {
    let last = time::util::days_in_month(day.month(), day.year());
    day.replace_day(last).unwrap_or(day)
}

/// The first day of `day`'s month.
pub fn month_start(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

/// `2026-11`: a month as URLs and forms carry it.
pub fn month_code(month: Date) -> String {
    format!("{:04}-{:02}", month.year(), u8::from(month.month()))
}

/// `2026-11` → the month's first day; anything else (or a year outside 2000–2100) is `None`.
pub fn parse_month(text: &str) -> Option<Date> {
    let (year, month) = text.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year, month, 1).ok()
}

/// "listopad 2026": a month as a heading names it.
pub fn month_title(month: Date) -> String {
    format!("{} {}", month_name(month.month()), month.year())
}

/// "1 grudnia 2026": a date in words.
pub fn day_in_words(day: Date) -> String {
    format!(
        "{} {} {}",
        day.day(),
        month_genitive(day.month()),
        day.year()
    )
}

/// "1 dzień", "2 dni", "5 dni": a number of days (the one wording every area uses).
pub fn days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} dzień")
    } else {
        format!("{n} dni")
    }
}

/// "wtorek": the weekday's name.
pub fn weekday_name(day: Date) -> &'static str {
    weekday(day.weekday())
}

/// "wt": the weekday's abbreviation (column headings).
pub fn weekday_short(day: Date) -> &'static str {
    WEEKDAYS[usize::from(day.weekday().number_days_from_monday())].1
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_number_of_days_is_said_once_for_every_area() {
        assert_eq!(days(1), "1 dzień");
        assert_eq!(days(-1), "-1 dzień");
        assert_eq!(days(2), "2 dni");
        assert_eq!(days(0), "0 dni");
        assert_eq!(days(22), "22 dni");
    }

    #[test]
    fn easter_falls_on_the_published_dates() {
        // The dates of Easter Sunday as the Church's calendar publishes them.
        let known = [
            (2008, date!(2008 - 03 - 23)),
            (2011, date!(2011 - 04 - 24)),
            (2019, date!(2019 - 04 - 21)),
            (2024, date!(2024 - 03 - 31)),
            (2025, date!(2025 - 04 - 20)),
            (2026, date!(2026 - 04 - 05)),
            (2027, date!(2027 - 03 - 28)),
            (2038, date!(2038 - 04 - 25)),
        ];
        for (year, sunday) in known {
            assert_eq!(easter(year), sunday, "{year}");
            assert_eq!(sunday.weekday(), time::Weekday::Sunday);
        }
    }

    #[test]
    fn the_holidays_of_2026_are_the_fourteen_of_the_act() {
        let days: Vec<Date> = public_holidays(2026).into_iter().map(|(d, _)| d).collect();
        assert_eq!(
            days,
            [
                date!(2026 - 01 - 01),
                date!(2026 - 01 - 06),
                date!(2026 - 04 - 05),
                date!(2026 - 04 - 06),
                date!(2026 - 05 - 01),
                date!(2026 - 05 - 03),
                date!(2026 - 05 - 24),
                date!(2026 - 06 - 04),
                date!(2026 - 08 - 15),
                date!(2026 - 11 - 01),
                date!(2026 - 11 - 11),
                date!(2026 - 12 - 24),
                date!(2026 - 12 - 25),
                date!(2026 - 12 - 26),
            ]
        );
        assert_eq!(holiday(date!(2026 - 06 - 04)), Some("Boże Ciało"));
        assert_eq!(holiday(date!(2026 - 06 - 05)), None);
    }

    #[test]
    fn the_later_holidays_count_from_their_year() {
        assert_eq!(holiday(date!(2010 - 01 - 06)), None);
        assert_eq!(holiday(date!(2011 - 01 - 06)), Some("Święto Trzech Króli"));
        assert_eq!(holiday(date!(2024 - 12 - 24)), None);
        assert_eq!(
            holiday(date!(2025 - 12 - 24)),
            Some("Wigilia Bożego Narodzenia")
        );
        assert_eq!(public_holidays(2010).len(), 12);
        assert_eq!(public_holidays(2024).len(), 13);
        assert_eq!(public_holidays(2025).len(), 14);
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_closed_days() {
        // November 2026: 30 days, 9 weekend days (1, 7, 8, 14, 15, 21, 22, 28, 29), the
        // holidays 1 (a Sunday) and 11 November (a Wednesday); the centre closed on the 2nd.
        let days = working_days(
            date!(2026 - 11 - 01),
            date!(2026 - 11 - 30),
            &[date!(2026 - 11 - 02)],
        );
        assert_eq!(days.len(), 30 - 9 - 1 - 1);
        assert!(!days.contains(&date!(2026 - 11 - 11)));
        assert!(!days.contains(&date!(2026 - 11 - 02)));
        assert_eq!(days.first(), Some(&date!(2026 - 11 - 03)));
        assert_eq!(days.last(), Some(&date!(2026 - 11 - 30)));
    }

    #[test]
    fn dates_read_in_polish() {
        assert_eq!(month_title(date!(2026 - 11 - 01)), "listopad 2026");
        assert_eq!(day_in_words(date!(2026 - 12 - 01)), "1 grudnia 2026");
        assert_eq!(weekday_name(date!(2026 - 12 - 01)), "wtorek");
        assert_eq!(weekday_short(date!(2026 - 12 - 06)), "nd");
        assert_eq!(month_code(date!(2026 - 03 - 01)), "2026-03");
        assert_eq!(parse_month("2026-03"), Some(date!(2026 - 03 - 01)));
        for bad in ["2026-3", "2026-13", "26-03", "1999-12", "x"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        assert_eq!(month_start(date!(2026 - 03 - 17)), date!(2026 - 03 - 01));
    }
}
