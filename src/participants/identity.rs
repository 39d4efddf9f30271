//! Validated values of a participant's record: names, postal code and phone. They are parsed
//! once, from the form, and travel as these types to the database; what comes back from the
//! database was validated on the way in.

use std::fmt;

use crate::validate;

/// A surname or first name(s): letters (any alphabet), single spaces, hyphens, apostrophes,
/// dots; at most 100 characters.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a typed name (inner whitespace collapses to single spaces).
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = validate::required_line(value, 100)?;
        let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.');
        if !collapsed.chars().any(char::is_alphabetic) || !collapsed.chars().all(allowed) {
            return Err(
                "Wpisz samo imię lub nazwisko: litery, spacja, łącznik lub apostrof.".into(),
            );
        }
        Ok(Self(collapsed))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Polish postal code `00-000`, or empty (a homeless person may have none).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct PostalCode(String);

impl PostalCode {
    /// Parses a typed postal code.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let valid = value.is_empty()
            || (value.len() == 6
                && value.bytes().enumerate().all(|(i, b)| {
                    if i == 2 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                }));
        if valid {
            Ok(Self(value.to_owned()))
        } else {
            Err("Kod pocztowy ma postać 00-000.".into())
        }
    }

    /// The code, or an empty string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: 9–15 digits, with spaces, `+`, `-` and parentheses allowed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct Phone(String);

impl Phone {
    /// Parses a typed phone number; empty is `None`.
    pub fn parse(value: &str) -> Result<Option<Self>, String> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(None);
        }
        let digits = value.chars().filter(char::is_ascii_digit).count();
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if !allowed || !(9..=15).contains(&digits) || value.chars().count() > 30 {
            return Err("Numer telefonu: 9–15 cyfr, np. 601 234 567 lub +48 601 234 567.".into());
        }
        Ok(Some(Self(value.to_owned())))
    }

    /// The number as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! display_as_str {
    ($($t:ty),+) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}
display_as_str!(PersonName, PostalCode, Phone);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_letters_with_single_spaces() {
        assert_eq!(
            PersonName::parse("  Anna   Maria ").map(|n| n.to_string()),
            Ok("Anna Maria".into())
        );
        assert!(PersonName::parse("O'Neil-Łącka").is_ok());
        assert!(PersonName::parse("<script>").is_err());
        assert!(PersonName::parse("123").is_err());
        assert!(PersonName::parse(&"N".repeat(101)).is_err());
    }

    #[test]
    fn postal_codes_and_phones_have_their_shapes() {
        assert!(PostalCode::parse("05-506").is_ok());
        assert!(PostalCode::parse("").is_ok());
        assert!(PostalCode::parse("05506").is_err());
        assert_eq!(Phone::parse(""), Ok(None));
        assert!(Phone::parse("+48 601 234 567").is_ok_and(|p| p.is_some()));
        assert!(Phone::parse("12").is_err());
        assert!(Phone::parse("601-234-567 wew. 5").is_err());
    }
}
