//! Field validators shared by every form. Each returns the cleaned value or the Polish message
//! shown next to the field.

/// A required single-line text of at most `max` characters, trimmed.
pub fn required_line(value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("To pole jest wymagane.".into());
    }
    optional_line(value, max).map(|v| v.unwrap_or_default())
}

/// An optional single-line text of at most `max` characters, trimmed; empty becomes `None`.
pub fn optional_line(value: &str, max: usize) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(format!(
            "Najwyżej {max} znaków (wpisano {}).",
            value.chars().count()
        ));
    }
    if value.chars().any(char::is_control) {
        return Err("Pole zawiera niedozwolone znaki sterujące.".into());
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// An optional multi-line text of at most `max` characters; line breaks and tabs are allowed.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(format!(
            "Najwyżej {max} znaków (wpisano {}).",
            value.chars().count()
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err("Pole zawiera niedozwolone znaki sterujące.".into());
    }
    Ok((!value.is_empty()).then(|| value.replace("\r\n", "\n")))
}

/// A required multi-line text.
pub fn required_text(value: &str, max: usize) -> Result<String, String> {
    match optional_text(value, max)? {
        Some(v) => Ok(v),
        None => Err("To pole jest wymagane.".into()),
    }
}

/// The form value of a version field (optimistic concurrency); garbage means "stale".
pub fn version(value: &str) -> i32 {
    value.trim().parse().unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(required_line("  Anna ", 10), Ok("Anna".into()));
        assert!(required_line("   ", 10).is_err());
        assert!(required_line(&"a".repeat(11), 10).is_err());
        assert!(required_line("a\u{7}b", 10).is_err());
        assert_eq!(optional_line("", 10), Ok(None));
    }

    #[test]
    fn texts_keep_line_breaks() {
        assert_eq!(optional_text("a\r\nb", 10), Ok(Some("a\nb".into())));
    }
}

/// Dates: forms send `YYYY-MM-DD` (a date input) or `DD.MM.YYYY` (typed by hand); pages show
/// `DD.MM.YYYY`; "today" is the date in Poland.
pub mod dates {
    use time::{Date, Month, OffsetDateTime, UtcOffset};

    /// Parses a form date; the message is shown next to the field.
    pub fn parse(value: &str) -> Result<Date, String> {
        let value = value.trim();
        if value.is_empty() {
            return Err("Podaj datę.".into());
        }
        let parts: Vec<&str> = if value.contains('-') {
            value.split('-').collect()
        } else {
            value.split('.').rev().collect()
        };
        let invalid = || "Nieprawidłowa data – wpisz np. 15.03.2026.".to_owned();
        let [y, m, d] = parts.as_slice() else {
            return Err(invalid());
        };
        let year: i32 = y.parse().map_err(|_| invalid())?;
        let month: u8 = m.parse().map_err(|_| invalid())?;
        let day: u8 = d.parse().map_err(|_| invalid())?;
        if !(1900..=2200).contains(&year) {
            return Err(invalid());
        }
        let month = Month::try_from(month).map_err(|_| invalid())?;
        Date::from_calendar_date(year, month, day).map_err(|_| invalid())
    }

    /// `DD.MM.YYYY`.
    pub fn format(date: Date) -> String {
        format!(
            "{:02}.{:02}.{}",
            date.day(),
            u8::from(date.month()),
            date.year()
        )
    }

    /// `YYYY-MM-DD`, the value of a date input.
    pub fn iso(date: Date) -> String {
        format!(
            "{}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    }

    /// The calendar date in Poland at the instant `now` (see [`polish_time`]).
    pub fn polish_today(now: OffsetDateTime) -> Date {
        polish_time(now).date()
    }

    /// The instant at which `date` begins in Poland (00:00 Polish time).
    pub fn polish_midnight(date: Date) -> OffsetDateTime {
        let utc_midnight = date.midnight().assume_utc();
        // 00:00 in Poland is 23:00 (winter) or 22:00 (summer) UTC of the day before.
        [1, 2]
            .into_iter()
            .map(|h| utc_midnight - time::Duration::hours(h))
            .find(|at| polish_time(*at) == date.midnight())
            .unwrap_or(utc_midnight)
    }

    /// `DD.MM.YYYY HH:MM`, the instant `at` in Polish local time.
    pub fn format_moment(at: OffsetDateTime) -> String {
        let local = polish_time(at);
        format!(
            "{} {:02}:{:02}",
            format(local.date()),
            local.hour(),
            local.minute()
        )
    }

    /// The wall-clock time in Poland (CET, CEST from the last Sunday of March to the last
    /// Sunday of October, switching at 01:00 UTC) at the instant `now`.
    pub fn polish_time(now: OffsetDateTime) -> time::PrimitiveDateTime {
        let utc = now.to_offset(UtcOffset::UTC);
        let year = utc.year();
        let switch = |month: Month| {
            let last = Date::from_calendar_date(year, month, 31).unwrap_or(Date::MIN);
            let back = last.weekday().number_days_from_sunday();
            (last - time::Duration::days(i64::from(back)))
                .with_hms(1, 0, 0)
                .map(|t| t.assume_utc())
        };
        let summer = match (switch(Month::March), switch(Month::October)) {
            (Ok(start), Ok(end)) => utc >= start && utc < end,
            _ => false,
        };
        let offset = if summer { 2 } else { 1 };
        let local = utc + time::Duration::hours(offset);
        time::PrimitiveDateTime::new(local.date(), local.time())
    }

    /// `date` plus whole months, clamped to the last day of the target month
    /// (31 January + 1 month = 28/29 February). A trial from 1 January ends 1 February.
    pub fn add_months(date: Date, months: i32) -> Date {
        let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
        let year = total.div_euclid(12);
        let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
            .unwrap_or(Month::January);
        let last_day = time::util::days_in_month(month, year);
        Date::from_calendar_date(year, month, date.day().min(last_day)).unwrap_or(date)
    }

    /// Whole years between `birth` and `on`.
    pub fn age(birth: Date, on: Date) -> i32 {
        let mut years = on.year() - birth.year();
        if (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day()) {
            years -= 1;
        }
        years
    }

    #[cfg(test)]
    mod tests {
        use time::macros::{date, datetime};

        use super::*;

        #[test]
        fn moments_are_shown_in_polish_local_time() {
            assert_eq!(
                format_moment(datetime!(2026-07-01 22:30 UTC)),
                "02.07.2026 00:30"
            );
            assert_eq!(
                format_moment(datetime!(2026-11-30 09:05 UTC)),
                "30.11.2026 10:05"
            );
            // CEST starts at 01:00 UTC on the last Sunday of March (29 March 2026).
            assert_eq!(
                format_moment(datetime!(2026-03-29 00:59 UTC)),
                "29.03.2026 01:59"
            );
            assert_eq!(
                format_moment(datetime!(2026-03-29 01:00 UTC)),
                "29.03.2026 03:00"
            );
        }

        #[test]
        fn a_polish_day_begins_at_local_midnight() {
            assert_eq!(
                polish_midnight(date!(2026 - 12 - 01)),
                datetime!(2026-11-30 23:00 UTC)
            );
            assert_eq!(
                polish_midnight(date!(2026 - 07 - 02)),
                datetime!(2026-07-01 22:00 UTC)
            );
            // The day summer time begins still begins in winter time.
            assert_eq!(
                polish_midnight(date!(2026 - 03 - 29)),
                datetime!(2026-03-28 23:00 UTC)
            );
        }

        #[test]
        fn parses_both_input_styles_and_refuses_nonsense() {
            assert_eq!(parse("2026-03-15"), Ok(date!(2026 - 03 - 15)));
            assert_eq!(parse("15.03.2026"), Ok(date!(2026 - 03 - 15)));
            for bad in [
                "",
                "2026-02-30",
                "jutro",
                "15/03/2026",
                "0015-03-15",
                "99999-01-01",
            ] {
                assert!(parse(bad).is_err(), "{bad}");
            }
            assert_eq!(format(date!(2026 - 03 - 05)), "05.03.2026");
        }

        #[test]
        fn months_are_added_the_way_the_act_counts_them() {
            assert_eq!(add_months(date!(2026 - 01 - 01), 1), date!(2026 - 02 - 01));
            assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
            assert_eq!(add_months(date!(2026 - 11 - 15), 14), date!(2028 - 01 - 15));
        }

        #[test]
        fn today_follows_polish_time() {
            assert_eq!(
                polish_today(datetime!(2026-01-10 23:30 UTC)),
                date!(2026 - 01 - 11)
            );
            assert_eq!(
                polish_today(datetime!(2026-07-10 21:30 UTC)),
                date!(2026 - 07 - 10)
            );
            assert_eq!(
                polish_today(datetime!(2026-07-10 22:30 UTC)),
                date!(2026 - 07 - 11)
            );
        }

        #[test]
        fn age_counts_completed_years() {
            assert_eq!(age(date!(2000 - 06 - 15), date!(2018 - 06 - 14)), 17);
            assert_eq!(age(date!(2000 - 06 - 15), date!(2018 - 06 - 15)), 18);
        }
    }
}

/// Hours as forms take them ("6", "6,5", "6.25") and pages show them ("6,5 h"): whole quarters
/// of an hour, kept as minutes.
pub mod hours {
    /// Parses hours typed into a form into minutes, a multiple of 15, from `min` to `max`
    /// minutes; the message says how to write it.
    pub fn parse(value: &str, min: i32, max: i32) -> Result<i16, String> {
        let range = || {
            format!(
                "Podaj od {} do {} godzin.",
                format(min.into()),
                format(max.into())
            )
        };
        let value = value.trim();
        if value.starts_with('-') {
            return Err("Liczba godzin nie może być ujemna.".to_owned());
        }
        // "7:30": hours and minutes.
        let text = match value.split_once(':') {
            Some((h, m)) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let m: i32 = m.parse().unwrap_or(60);
                if m >= 60 {
                    return Err("Wpisz liczbę godzin, np. 6 albo 6,5.".to_owned());
                }
                format!("{h}.{:02}", m * 100 / 60 + i32::from(m * 100 % 60 != 0))
            }
            _ => value.replace(',', "."),
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(fraction.is_empty() || digits(fraction)) {
            return Err("Wpisz liczbę godzin, np. 6 albo 6,5.".to_owned());
        }
        let whole: i32 = whole.parse().map_err(|_| range())?;
        let hundredths: i32 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i32>().unwrap_or(0) * 10,
            _ => fraction.parse().unwrap_or(0),
        };
        let total = whole * 6000 + hundredths * 60;
        if total % 1500 != 0 {
            return Err(
                "Godziny podaje się w pełnych kwadransach: 0,25, 0,5 albo 0,75 godziny.".to_owned(),
            );
        }
        let minutes = total / 100;
        if minutes < min || minutes > max {
            return Err(range());
        }
        i16::try_from(minutes).map_err(|_| range())
    }

    /// Minutes as hours with a decimal comma and no trailing zeros ("6", "6,5", "7,25").
    pub fn format(minutes: i64) -> String {
        let whole = minutes / 60;
        match minutes % 60 {
            0 => whole.to_string(),
            rest => {
                let hundredths = rest * 100 / 60;
                let text = format!("{whole},{hundredths:02}");
                text.trim_end_matches('0').to_owned()
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn hours_are_parsed_in_quarters_and_shown_with_a_comma() {
            assert_eq!(parse("6", 15, 720), Ok(360));
            assert_eq!(parse("6,5", 15, 720), Ok(390));
            assert_eq!(parse(" 7.25 ", 15, 720), Ok(435));
            assert_eq!(parse("0,75", 15, 720), Ok(45));
            assert!(parse("6,1", 15, 720).is_err_and(|e| e.contains("kwadransach")));
            assert!(parse("13", 60, 720).is_err_and(|e| e == "Podaj od 1 do 12 godzin."));
            assert!(parse("sześć", 15, 720).is_err());
            assert!(parse("-1", 15, 720).is_err());
            assert_eq!(format(360), "6");
            assert_eq!(format(390), "6,5");
            assert_eq!(format(435), "7,25");
            assert_eq!(format(2100), "35");
            assert_eq!(parse("7:30", 0, 1440), Ok(450));
            assert_eq!(parse("7:15", 0, 1440), Ok(435));
            assert!(parse("7:10", 0, 1440).is_err_and(|e| e.contains("kwadransach")));
            assert!(parse("-2", 0, 1440).is_err_and(|e| e.contains("ujemna")));
            assert!(parse("24,25", 0, 1440).is_err_and(|e| e.contains("24")));
            assert_eq!(parse("24", 0, 1440), Ok(1440));
            for minutes in (0..=1440).step_by(15) {
                assert_eq!(parse(&format(minutes), 0, 1440), Ok(minutes as i16));
            }
        }
    }
}
