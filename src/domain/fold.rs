//! Names folded for search: "Urbańska", "URBANSKA" and "urbanska" fold alike, so a search typed
//! without Polish letters (or on a keyboard without them) finds the person. The database folds
//! with `fold_name()` (migration 0007), which its search indexes are built on; it maps exactly
//! the letters of [`FOLDED`], and an integration test compares the two.

/// Each letter with a diacritic and the letter it folds to, in lower case (text is lowered
/// first): Polish, and the Latin letters of the names of neighbours and newcomers.
pub const FOLDED: [(char, char); 55] = [
    ('ą', 'a'),
    ('ć', 'c'),
    ('ę', 'e'),
    ('ł', 'l'),
    ('ń', 'n'),
    ('ó', 'o'),
    ('ś', 's'),
    ('ź', 'z'),
    ('ż', 'z'),
    ('á', 'a'),
    ('à', 'a'),
    ('â', 'a'),
    ('ä', 'a'),
    ('ã', 'a'),
    ('å', 'a'),
    ('ā', 'a'),
    ('ç', 'c'),
    ('č', 'c'),
    ('ď', 'd'),
    ('é', 'e'),
    ('è', 'e'),
    ('ê', 'e'),
    ('ë', 'e'),
    ('ě', 'e'),
    ('ē', 'e'),
    ('í', 'i'),
    ('ì', 'i'),
    ('î', 'i'),
    ('ï', 'i'),
    ('ī', 'i'),
    ('ľ', 'l'),
    ('ĺ', 'l'),
    ('ň', 'n'),
    ('ñ', 'n'),
    ('ô', 'o'),
    ('ö', 'o'),
    ('õ', 'o'),
    ('ő', 'o'),
    ('ø', 'o'),
    ('ŕ', 'r'),
    ('ř', 'r'),
    ('š', 's'),
    ('ş', 's'),
    ('ť', 't'),
    ('ú', 'u'),
    ('ù', 'u'),
    ('û', 'u'),
    ('ü', 'u'),
    ('ů', 'u'),
    ('ű', 'u'),
    ('ū', 'u'),
    ('ý', 'y'),
    ('ÿ', 'y'),
    ('ž', 'z'),
    ('ğ', 'g'),
];

/// `text` in lower case without diacritics, as `fold_name()` gives it.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| {
            FOLDED
                .iter()
                .find(|(from, _)| *from == c)
                .map_or(c, |(_, to)| *to)
        })
        .collect()
}

/// The `'kowal'` → `'kowam'` upper bound of a prefix range (byte order): `key >= prefix and
/// key < prefix_end(prefix)` reads one range of a `collate "C"` index (names, PESEL).
pub fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    if let Some(last) = chars.pop() {
        let next = char::from_u32(u32::from(last) + 1).unwrap_or(char::MAX);
        chars.push(next);
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefix_ranges_end_just_after_the_prefix() {
        use super::prefix_end;
        assert_eq!(prefix_end("kowal"), "kowam");
        assert_eq!(prefix_end("żó"), "żô");
        assert_eq!(prefix_end("8501"), "8502");
        assert_eq!(prefix_end("8509"), "850:");
    }

    use super::*;

    #[test]
    fn names_fold_without_polish_letters_and_case() {
        assert_eq!(fold("Urbańska"), "urbanska");
        assert_eq!(fold("KRÓL"), "krol");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Żółć-Gęślą"), "zolc-gesla");
        assert_eq!(fold("Müller Dvořák"), "muller dvorak");
        assert_eq!(fold("kowal"), "kowal");
    }

    #[test]
    fn every_folded_letter_is_lower_case_and_maps_to_a_plain_ascii_letter() {
        for (from, to) in FOLDED {
            assert!(from.is_lowercase() && !from.is_ascii(), "{from}");
            assert!(to.is_ascii_lowercase(), "{to}");
            assert_eq!(fold(&from.to_uppercase().to_string()), to.to_string());
        }
        let distinct: std::collections::BTreeSet<char> = FOLDED.iter().map(|(f, _)| *f).collect();
        assert_eq!(distinct.len(), FOLDED.len());
    }
}
