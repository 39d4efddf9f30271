//! Hours as people write them ("7", "6,5", "7:30") and as they are stored (whole minutes, in
//! quarters of an hour).

/// Parses hours into minutes: a whole or decimal number of hours ("7", "6,5", "7.25") or
/// hours and minutes ("7:30"), from 0 to 24, in quarters of an hour.
pub fn parse(text: &str) -> Result<i16, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Podaj liczbę godzin.".into());
    }
    if text.starts_with('-') {
        return Err("Liczba godzin nie może być ujemna.".into());
    }
    let minutes = match text.split_once(':') {
        Some((h, m)) => whole(h)
            .zip(whole(m).filter(|m| *m < 60))
            .map(|(h, m)| h * 60 + m),
        None => decimal(&text.replace(',', ".")),
    }
    .ok_or_else(|| "Podaj liczbę godzin, np. 7 albo 6,5.".to_owned())?;
    if minutes > 24 * 60 {
        return Err("Liczba godzin w ciągu dnia nie może przekroczyć 24.".into());
    }
    if minutes % 15 != 0 {
        return Err("Podaj godziny z dokładnością do kwadransa, np. 6,25 albo 6:15.".into());
    }
    i16::try_from(minutes).map_err(|_| "Liczba godzin jest za duża.".into())
}

fn whole(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// "6.25" → 375 minutes; at most two decimals.
fn decimal(text: &str) -> Option<i64> {
    let (h, fraction) = text.split_once('.').unwrap_or((text, ""));
    let hours = whole(h)?;
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hundredths: i64 = format!("{fraction:0<2}").parse().ok()?;
    // Not a whole minute (6,1 h): one minute off a quarter, so the caller's quarter check
    // refuses it with its message.
    if hundredths * 60 % 100 != 0 {
        return Some(hours * 60 + 1);
    }
    Some(hours * 60 + hundredths * 60 / 100)
}

/// Minutes as hours the way they were typed: 420 → "7", 390 → "6,5", 375 → "6,25".
pub fn format(minutes: i64) -> String {
    let hours = minutes / 60;
    match minutes % 60 {
        0 => hours.to_string(),
        rest => {
            let hundredths = rest * 100 / 60;
            let fraction = format!("{hundredths:02}");
            format!("{hours},{}", fraction.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_parse_in_every_way_people_write_them() {
        assert_eq!(parse("7"), Ok(420));
        assert_eq!(parse(" 6,5 "), Ok(390));
        assert_eq!(parse("6.25"), Ok(375));
        assert_eq!(parse("7:30"), Ok(450));
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("24"), Ok(1440));
        assert!(parse("24,25").unwrap_err().contains("24"));
        assert!(parse("-1").unwrap_err().contains("ujemna"));
        assert!(parse("6,1").unwrap_err().contains("kwadransa"));
        assert!(parse("7:10").unwrap_err().contains("kwadransa"));
        assert!(parse("siedem").is_err());
        assert!(parse("").is_err());
        assert!(parse("6,255").is_err());
        assert!(parse("7:75").is_err());
    }

    #[test]
    fn minutes_show_as_they_are_typed() {
        assert_eq!(format(420), "7");
        assert_eq!(format(390), "6,5");
        assert_eq!(format(375), "6,25");
        assert_eq!(format(405), "6,75");
        assert_eq!(format(0), "0");
        for minutes in (0..=1440).step_by(15) {
            assert_eq!(parse(&format(minutes)), Ok(minutes as i16));
        }
    }
}
