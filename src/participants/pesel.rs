//! PESEL, the Polish national identification number: 11 digits encoding the birth date (with
//! the century in the month), a serial number whose last digit gives the sex, and a check digit.

use std::fmt;

use time::{Date, Month};

use crate::domain::vocabulary;

vocabulary! {
    /// Sex as encoded in PESEL (and recorded for people without one).
    pub enum Sex {
        /// Kobieta.
        Female = ("K", "kobieta"),
        /// Mężczyzna.
        Male = ("M", "mężczyzna"),
    }
}

/// A PESEL whose checksum and date are valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pesel {
    digits: String,
    birth_date: Date,
    sex: Sex,
}

/// Why a PESEL was refused (the Polish message is `message()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeselError {
    /// Not 11 digits.
    Format,
    /// The check digit does not match.
    Checksum,
    /// The encoded date does not exist.
    Date,
}

impl PeselError {
    /// Polish message for the form.
    pub fn message(self) -> &'static str {
        match self {
            PeselError::Format => "PESEL ma 11 cyfr.",
            PeselError::Checksum => {
                "Nieprawidłowy PESEL – cyfra kontrolna się nie zgadza. Sprawdź, czy nie ma literówki."
            }
            PeselError::Date => "Nieprawidłowy PESEL – zapisana w nim data urodzenia nie istnieje.",
        }
    }
}

const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// The check digit for the first ten digits.
pub fn check_digit(first_ten: &[u32]) -> u32 {
    let sum: u32 = first_ten.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    (10 - sum % 10) % 10
}

impl Pesel {
    /// Parses and checks a PESEL (spaces are ignored).
    pub fn parse(input: &str) -> Result<Pesel, PeselError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PeselError::Format);
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        if check_digit(&d[..10]) != d[10] {
            return Err(PeselError::Checksum);
        }
        let yy = i32::try_from(d[0] * 10 + d[1]).map_err(|_| PeselError::Date)?;
        let mm = d[2] * 10 + d[3];
        let dd = u8::try_from(d[4] * 10 + d[5]).map_err(|_| PeselError::Date)?;
        let (century, month) = match mm {
            81..=92 => (1800, mm - 80),
            1..=12 => (1900, mm),
            21..=32 => (2000, mm - 20),
            41..=52 => (2100, mm - 40),
            61..=72 => (2200, mm - 60),
            _ => return Err(PeselError::Date),
        };
        let month = Month::try_from(u8::try_from(month).map_err(|_| PeselError::Date)?)
            .map_err(|_| PeselError::Date)?;
        let birth_date =
            Date::from_calendar_date(century + yy, month, dd).map_err(|_| PeselError::Date)?;
        let sex = if d[9] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        };
        Ok(Pesel {
            digits,
            birth_date,
            sex,
        })
    }

    /// Builds a valid PESEL for a birth date, serial (0–999) and sex (fictional data).
    pub fn generate(birth_date: Date, serial: u32, sex: Sex) -> String {
        let year = birth_date.year();
        let offset = match year {
            1800..=1899 => 80,
            2000..=2099 => 20,
            2100..=2199 => 40,
            2200..=2299 => 60,
            _ => 0,
        };
        let yy = u32::try_from(year.rem_euclid(100)).unwrap_or(0);
        let mm = u32::from(u8::from(birth_date.month())) + offset;
        let dd = u32::from(birth_date.day());
        let serial = serial % 1000;
        let sex_digit = match sex {
            Sex::Male => (serial % 5) * 2 + 1,
            Sex::Female => (serial % 5) * 2,
        };
        let mut d = vec![
            yy / 10,
            yy % 10,
            mm / 10,
            mm % 10,
            dd / 10,
            dd % 10,
            serial / 100,
            (serial / 10) % 10,
            serial % 10,
            sex_digit,
        ];
        d.push(check_digit(&d));
        d.iter()
            .map(|x| char::from_digit(*x, 10).unwrap_or('0'))
            .collect()
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The encoded birth date.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The encoded sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
}

impl fmt::Display for Pesel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl std::error::Error for PeselError {}

impl fmt::Display for PeselError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

// Stored as text; what comes back from the database is parsed again (a stored PESEL that does
// not parse is a fault in the data, answered with an error rather than shown).
crate::text_column!(Pesel, |s| Ok(Pesel::parse(s)?), |p| p.as_str());
crate::text_column!(
    Sex,
    |s| Sex::from_code(s).ok_or_else(|| format!("unknown sex code `{s}`").into()),
    |s| s.code()
);

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn accepts_valid_numbers_and_decodes_date_and_sex() {
        // 44051401359: the example from the Ministry's documentation (man, 14 May 1944).
        let p = Pesel::parse("44051401359").expect("valid");
        assert_eq!(p.birth_date(), date!(1944 - 05 - 14));
        assert_eq!(p.sex(), Sex::Male);
        let p = Pesel::parse("02270803624").expect("valid");
        assert_eq!(p.birth_date(), date!(2002 - 07 - 08));
        assert_eq!(p.sex(), Sex::Female);
    }

    #[test]
    fn refuses_bad_length_letters_checksum_and_dates() {
        assert_eq!(Pesel::parse("4405140135"), Err(PeselError::Format));
        assert_eq!(Pesel::parse("4405140135a"), Err(PeselError::Format));
        assert_eq!(Pesel::parse("44051401358"), Err(PeselError::Checksum));
        // Month 13 with a correct check digit.
        let mut d: Vec<u32> = "4413140135"
            .chars()
            .map(|c| c.to_digit(10).unwrap_or(0))
            .collect();
        d.push(check_digit(&d));
        let s: String = d
            .iter()
            .map(|x| char::from_digit(*x, 10).unwrap_or('0'))
            .collect();
        assert_eq!(Pesel::parse(&s), Err(PeselError::Date));
    }

    #[test]
    fn generated_numbers_parse_back() {
        for (day, serial, sex) in [
            (date!(1985 - 02 - 28), 123, Sex::Female),
            (date!(2001 - 12 - 01), 7, Sex::Male),
            (date!(1999 - 12 - 31), 999, Sex::Male),
        ] {
            let p =
                Pesel::parse(&Pesel::generate(day, serial, sex)).expect("generated PESEL is valid");
            assert_eq!((p.birth_date(), p.sex()), (day, sex));
        }
    }
}
