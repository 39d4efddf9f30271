//! Money in integer grosze: formatting and parsing Polish amounts, and the one rounding rule.
//!
//! Every amount is an `i64` number of grosze (1 zł = 100 gr); no floating point anywhere.
//!
//! **The rounding rule.** Whenever a calculation yields a fraction of a grosz, the exact value is
//! a fraction `numerator / denominator` of grosze (an `i128` product over an `i128` divisor), and
//! [`round_half_up`] rounds it once to the nearest grosz, a half grosz upwards: 103,314 zł gives
//! 103,31 zł, 258,285 zł gives 258,29 zł. Nothing else in the domain rounds.
//!
//! Formatting follows Polish usage: a comma before the grosze, a no-break space (U+00A0) between
//! groups of thousands and before "zł", and a true minus sign (U+2212) for negative amounts:
//! `1 994,40 zł`, `−12,50 zł`.

/// The no-break space between thousands and before the currency.
const NBSP: char = '\u{a0}';

/// The minus sign (U+2212) of a negative amount.
const MINUS: char = '\u{2212}';

/// The message for an empty or unreadable amount.
const ASK: &str = "Podaj kwotę w złotych, np. 250,00.";

/// Rounds the non-negative fraction `numerator / denominator` of grosze to the nearest grosz, a
/// half grosz upwards (half up): 10331,4 gr gives 10331 gr and 25828,5 gr gives 25829 gr.
///
/// This is the one rounding rule of the whole benefit calculation. A negative denominator flips
/// the signs of both; a negative value rounds towards plus infinity on a half (−0,5 gr gives 0);
/// a zero denominator yields 0 (the calculator never divides by zero: it validates its
/// fractions first). A result beyond the range of `i64` saturates.
pub fn round_half_up(numerator: i128, denominator: i128) -> i64 {
    if denominator == 0 {
        return 0;
    }
    let (n, d) = if denominator < 0 {
        (numerator.saturating_neg(), denominator.saturating_neg())
    } else {
        (numerator, denominator)
    };
    let quotient = n.div_euclid(d);
    let remainder = n.rem_euclid(d);
    // The remainder is in [0, d): round up when it is at least half of d (no overflow: r < d).
    let rounded = if remainder >= d - remainder {
        quotient.saturating_add(1)
    } else {
        quotient
    };
    i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
}

/// Groups the digits of `whole` in threes, separated by no-break spaces: 1994 gives "1 994".
fn group_thousands(whole: u128) -> String {
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}

/// Formats grosze as Polish złoty: 199440 gives "1 994,40 zł" (no-break spaces), −1250 gives
/// "−12,50 zł" (with the minus sign U+2212).
pub fn format_pln(grosze: i64) -> String {
    let sign = if grosze < 0 {
        MINUS.to_string()
    } else {
        String::new()
    };
    let abs = u128::from(grosze.unsigned_abs());
    format!(
        "{sign}{},{:02}{NBSP}zł",
        group_thousands(abs / 100),
        abs % 100
    )
}

/// Formats the exact value of the non-negative fraction `numerator / denominator` of grosze as
/// złoty, with as many decimals as it has (up to seven; a longer or endless expansion is cut and
/// ends in "…"), so that a line can show the value before rounding: 1033140/100 gr gives
/// "103,314 zł". A whole number of grosze is shown with two decimals, like [`format_pln`].
pub fn format_pln_exact(numerator: i128, denominator: i128) -> String {
    if denominator <= 0 || numerator < 0 {
        return format_pln(round_half_up(numerator, denominator));
    }
    // Value in złoty = numerator / (denominator × 100).
    let den = denominator.saturating_mul(100);
    let whole = numerator / den;
    let mut rem = numerator % den;
    let mut decimals = String::new();
    while decimals.len() < 7 && (rem != 0 || decimals.len() < 2) {
        rem = rem.saturating_mul(10);
        let digit = rem / den;
        rem %= den;
        decimals.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
    }
    let ellipsis = if rem != 0 { "…" } else { "" };
    format!(
        "{},{decimals}{ellipsis}{NBSP}zł",
        group_thousands(u128::try_from(whole).unwrap_or(0))
    )
}

/// Whether `c` is a space that may separate groups of thousands.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}')
}

/// Reads the whole złoty of an amount: digits, optionally in groups of three separated by
/// spaces ("1 994"). `None` if it is not that.
fn parse_whole(text: &str) -> Option<Vec<u8>> {
    let groups: Vec<&str> = text.split(is_group_space).collect();
    let well_formed = groups.iter().enumerate().all(|(i, g)| {
        !g.is_empty()
            && g.bytes().all(|b| b.is_ascii_digit())
            && (groups.len() == 1 || if i == 0 { g.len() <= 3 } else { g.len() == 3 })
    });
    well_formed.then(|| groups.concat().bytes().map(|b| b - b'0').collect())
}

/// Parses an amount in złoty typed by a person into grosze: "1994,40", "1 994,40", "1994.40",
/// "1994", "1994,4" (= 1994,40 zł), optionally followed by "zł". Refuses an empty text,
/// negative amounts, more than two decimals, anything else and amounts too large, each with a
/// Polish message for the form.
pub fn parse_pln(text: &str) -> Result<i64, String> {
    let trimmed = text.trim();
    let number = ["zł", "ZŁ", "Zł", "zŁ"]
        .iter()
        .find_map(|suffix| trimmed.strip_suffix(suffix))
        .map_or(trimmed, str::trim_end);
    if number.is_empty() {
        return Err(ASK.to_string());
    }
    let garbage = || format!("„{trimmed}” nie jest kwotą. {ASK}");
    if number.starts_with(['-', MINUS]) {
        return Err("Kwota nie może być ujemna.".to_string());
    }
    let mut parts = number.splitn(2, [',', '.']);
    let whole_text = parts.next().unwrap_or_default();
    let fraction_text = parts.next();
    let whole = parse_whole(whole_text).ok_or_else(garbage)?;
    let fraction: Vec<u8> = match fraction_text {
        None => Vec::new(),
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            if f.len() > 2 {
                return Err(
                    "Kwota może mieć najwyżej dwa miejsca po przecinku (grosze), np. 250,99."
                        .to_string(),
                );
            }
            f.bytes().map(|b| b - b'0').collect()
        }
        Some(_) => return Err(garbage()),
    };
    let too_large = || "Kwota jest za duża.".to_string();
    let mut grosze: i64 = 0;
    for digit in whole {
        grosze = grosze
            .checked_mul(10)
            .and_then(|g| g.checked_add(i64::from(digit)))
            .ok_or_else(too_large)?;
    }
    let tens = fraction.first().copied().unwrap_or(0);
    let ones = fraction.get(1).copied().unwrap_or(0);
    grosze
        .checked_mul(100)
        .and_then(|g| g.checked_add(i64::from(tens * 10 + ones)))
        .ok_or_else(too_large)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_to_the_grosz() {
        // 206628 / 20 = 10331,4 gr → 10331 gr (103,31 zł)
        assert_eq!(round_half_up(206_628, 20), 10_331);
        // 206628 × 5 / 40 = 25828,5 gr → 25829 gr: a half goes up
        assert_eq!(round_half_up(206_628 * 5, 40), 25_829);
        // 0,49 gr → 0, 0,5 gr → 1, exact values stay
        assert_eq!(round_half_up(49, 100), 0);
        assert_eq!(round_half_up(1, 2), 1);
        assert_eq!(round_half_up(300, 3), 100);
        assert_eq!(round_half_up(0, 7), 0);
    }

    #[test]
    fn rounding_edge_cases_do_not_panic() {
        assert_eq!(round_half_up(5, 0), 0);
        assert_eq!(round_half_up(-1, -2), 1);
        assert_eq!(round_half_up(-1, 2), 0);
        assert_eq!(round_half_up(-3, 2), -1);
        assert_eq!(round_half_up(i128::MAX, 1), i64::MAX);
        assert_eq!(round_half_up(i128::MIN, 1), i64::MIN);
        assert_eq!(round_half_up(i128::MAX, i128::MAX), 1);
    }

    #[test]
    fn formats_polish_amounts() {
        assert_eq!(format_pln(199_440), "1\u{a0}994,40\u{a0}zł");
        assert_eq!(format_pln(0), "0,00\u{a0}zł");
        assert_eq!(format_pln(5), "0,05\u{a0}zł");
        assert_eq!(format_pln(25_000), "250,00\u{a0}zł");
        assert_eq!(format_pln(123_456_789), "1\u{a0}234\u{a0}567,89\u{a0}zł");
        assert_eq!(format_pln(-1_250), "\u{2212}12,50\u{a0}zł");
        assert_eq!(
            format_pln(i64::MIN),
            "\u{2212}92\u{a0}233\u{a0}720\u{a0}368\u{a0}547\u{a0}758,08\u{a0}zł"
        );
    }

    #[test]
    fn formats_exact_values_before_rounding() {
        // 206628 / 20 gr = 103,314 zł
        assert_eq!(format_pln_exact(206_628, 20), "103,314\u{a0}zł");
        assert_eq!(format_pln_exact(206_628 * 16, 30), "1\u{a0}102,016\u{a0}zł");
        assert_eq!(format_pln_exact(10_000, 1), "100,00\u{a0}zł");
        // 1/3 gr = 0,003333… zł, cut after seven decimals
        assert_eq!(format_pln_exact(1, 3), "0,0033333…\u{a0}zł");
    }

    #[test]
    fn parses_polish_amounts() {
        assert_eq!(parse_pln("1994,40"), Ok(199_440));
        assert_eq!(parse_pln("1 994,40"), Ok(199_440));
        assert_eq!(parse_pln("1\u{a0}994,40\u{a0}zł"), Ok(199_440));
        assert_eq!(parse_pln("1994.40"), Ok(199_440));
        assert_eq!(parse_pln("1994"), Ok(199_400));
        assert_eq!(parse_pln("1994,4"), Ok(199_440));
        assert_eq!(parse_pln("  250,00 zł "), Ok(25_000));
        assert_eq!(parse_pln("250 ZŁ"), Ok(25_000));
        assert_eq!(parse_pln("0,05"), Ok(5));
        assert_eq!(parse_pln("1 234 567,89"), Ok(123_456_789));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        let ask = "Podaj kwotę w złotych, np. 250,00.".to_string();
        assert_eq!(parse_pln(""), Err(ask.clone()));
        assert_eq!(parse_pln("  zł"), Err(ask));
        assert_eq!(
            parse_pln("12,345"),
            Err("Kwota może mieć najwyżej dwa miejsca po przecinku (grosze), np. 250,99.".into())
        );
        assert_eq!(parse_pln("-5"), Err("Kwota nie może być ujemna.".into()));
        assert_eq!(parse_pln("−5,00"), Err("Kwota nie może być ujemna.".into()));
        for garbage in [
            "abc", "12a", "1,2,3", "1.994,40", "19 94", ",50", "5,", "+5", "1 2345",
        ] {
            let err = parse_pln(garbage).expect_err(garbage);
            assert!(err.contains("nie jest kwotą"), "{garbage}: {err}");
        }
        assert_eq!(
            parse_pln("92233720368547758,08"),
            Err("Kwota jest za duża.".into())
        );
        assert_eq!(parse_pln("92233720368547758,07"), Ok(i64::MAX));
    }
}
