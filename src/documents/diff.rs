//! What changed between two versions of a document, word by word, for the history view.
//!
//! Invariants: the pieces of a diff, read in order, spell the old text when the added ones are
//! skipped and the new text when the removed ones are skipped (whitespace and line breaks
//! included); two neighbouring pieces never have the same mark. Built on the `similar` crate
//! (Myers' algorithm over words and runs of whitespace).

use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use super::version::Sections;

/// Past this, `similar` stops looking for the smallest diff and returns a correct but coarser
/// one, so an enormous pasted text cannot hold a request up.
const DIFF_TIMEOUT: Duration = Duration::from_millis(500);

/// Whether a piece of text is in both versions or in only one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// In both versions.
    Same,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

impl Mark {
    /// Code for templates (a CSS class, say).
    pub fn code(self) -> &'static str {
        match self {
            Mark::Same => "same",
            Mark::Added => "added",
            Mark::Removed => "removed",
        }
    }
}

/// A run of text with one mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// In both versions, or in which one.
    pub mark: Mark,
    /// The text, whitespace and line breaks included.
    pub text: String,
}

/// One section compared across two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionDiff {
    /// The section's key.
    pub key: String,
    /// Its text as a diff; all `Added` if the section is new, all `Removed` if it is gone.
    pub pieces: Vec<Piece>,
    /// Anything changed in this section.
    pub changed: bool,
}

/// Word-level diff of two texts. Empty when both are empty.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let mark = match change.tag() {
            ChangeTag::Equal => Mark::Same,
            ChangeTag::Insert => Mark::Added,
            ChangeTag::Delete => Mark::Removed,
        };
        match pieces.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(change.value()),
            _ => pieces.push(Piece {
                mark,
                text: change.value().to_owned(),
            }),
        }
    }
    pieces
}

/// Section-by-section diff of two versions' texts, covering the sections of either.
///
/// Sections come in the new version's order; a section the new version dropped appears where
/// it stood in the old one (after the section that preceded it there).
pub fn sections(old: &Sections, new: &Sections) -> Vec<SectionDiff> {
    let mut order: Vec<&str> = new.keys().collect();
    let mut previous: Option<&str> = None;
    for key in old.keys() {
        if new.get(key).is_none() {
            let at = previous
                .and_then(|p| order.iter().position(|k| *k == p))
                .map_or(0, |i| i + 1);
            order.insert(at, key);
        }
        previous = Some(key);
    }
    order
        .into_iter()
        .map(|key| {
            let pieces = words(old.get(key).unwrap_or(""), new.get(key).unwrap_or(""));
            let changed = pieces.iter().any(|p| p.mark != Mark::Same)
                || old.get(key).is_some() != new.get(key).is_some();
            SectionDiff {
                key: key.to_owned(),
                pieces,
                changed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Mark::*;
    use super::*;

    fn p(mark: Mark, text: &str) -> Piece {
        Piece {
            mark,
            text: text.to_owned(),
        }
    }

    /// The invariant in the module header.
    fn spells_both_texts(pieces: &[Piece], old: &str, new: &str) {
        let side = |skip| {
            pieces
                .iter()
                .filter(|p| p.mark != skip)
                .map(|p| p.text.as_str())
                .collect::<String>()
        };
        assert_eq!(side(Added), old);
        assert_eq!(side(Removed), new);
        assert!(pieces.windows(2).all(|w| w[0].mark != w[1].mark));
    }

    #[test]
    fn a_changed_last_word() {
        let pieces = words("Ala ma kota", "Ala ma psa");
        assert_eq!(
            pieces,
            [p(Same, "Ala ma "), p(Removed, "kota"), p(Added, "psa")]
        );
        spells_both_texts(&pieces, "Ala ma kota", "Ala ma psa");
    }

    #[test]
    fn polish_letters_are_whole_words() {
        let (old, new) = (
            "Uczestnik źle znosi pracę zespołową.",
            "Uczestnik dobrze znosi pracę zespołową.",
        );
        let pieces = words(old, new);
        assert_eq!(
            pieces,
            [
                p(Same, "Uczestnik "),
                p(Removed, "źle"),
                p(Added, "dobrze"),
                p(Same, " znosi pracę zespołową."),
            ]
        );
        spells_both_texts(&pieces, old, new);
    }

    #[test]
    fn line_breaks_are_kept() {
        let (old, new) = (
            "Etap 1: teoria\nEtap 2: BHP",
            "Etap 1: teoria\nEtap 2: rysunek\nEtap 3: BHP",
        );
        let pieces = words(old, new);
        assert_eq!(
            pieces,
            [
                p(Same, "Etap 1: teoria\nEtap 2: "),
                p(Added, "rysunek\nEtap 3: "),
                p(Same, "BHP"),
            ]
        );
        spells_both_texts(&pieces, old, new);
    }

    #[test]
    fn empty_texts() {
        assert_eq!(words("", ""), []);
        assert_eq!(words("", "Nowy cel."), [p(Added, "Nowy cel.")]);
        assert_eq!(words("Stary cel.", ""), [p(Removed, "Stary cel.")]);
    }

    #[test]
    fn identical_texts_are_one_same_piece() {
        let text = "Zatrudnienie w gastronomii.\nDo końca roku.";
        assert_eq!(words(text, text), [p(Same, text)]);
    }

    #[test]
    fn sections_cover_both_versions_in_a_stable_order() {
        let old = Sections::new()
            .with("diagnosis", "Bezrobotny.")
            .with("opinion", "Pozytywna.")
            .with("goals", "Praca.")
            .with("schedule", "Rok.");
        let new = Sections::new()
            .with("diagnosis", "Bezrobotny.")
            .with("goals", "Praca w kuchni.")
            .with("schedule", "Rok.")
            .with("workshop", "Gastronomia.");

        let diffs = sections(&old, &new);
        let summary: Vec<(&str, bool)> =
            diffs.iter().map(|d| (d.key.as_str(), d.changed)).collect();
        assert_eq!(
            summary,
            [
                ("diagnosis", false),
                ("opinion", true),
                ("goals", true),
                ("schedule", false),
                ("workshop", true),
            ]
        );
        assert_eq!(diffs[1].pieces, [p(Removed, "Pozytywna.")]);
        // Words are split at whitespace only, so "Praca." is one word.
        assert_eq!(
            diffs[2].pieces,
            [p(Removed, "Praca."), p(Added, "Praca w kuchni.")]
        );
        assert_eq!(diffs[4].pieces, [p(Added, "Gastronomia.")]);
    }

    #[test]
    fn an_empty_section_added_or_removed_still_counts_as_a_change() {
        let old = Sections::new().with("goals", "");
        let new = Sections::new().with("notes", "");
        let diffs = sections(&old, &new);
        let summary: Vec<(&str, bool, usize)> = diffs
            .iter()
            .map(|d| (d.key.as_str(), d.changed, d.pieces.len()))
            .collect();
        assert_eq!(summary, [("goals", true, 0), ("notes", true, 0)]);
    }

    #[test]
    fn identical_versions_have_no_changed_section() {
        let text = Sections::new().with("goals", "Praca.").with("schedule", "");
        assert!(sections(&text, &text).iter().all(|d| !d.changed));
        assert_eq!(sections(&Sections::new(), &Sections::new()), []);
    }
}
