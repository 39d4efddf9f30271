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
