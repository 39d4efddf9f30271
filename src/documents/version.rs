//! The versions of one approvable document: an append-only history.
//!
//! Invariants, kept by [`History`] whatever its caller does:
//! - versions are numbered 1, 2, 3, … without gaps, and none is ever removed;
//! - only the newest ("current") version moves through the workflow or changes its text;
//! - only a current version in [`DocStatus::Draft`] may be edited: a submitted one must first
//!   be returned to its author, and a frozen one ([`DocStatus::is_frozen`]) never changes its
//!   text again, nor goes back to an editable status;
//! - an amendment (aneks) is a new draft version copied from a signed or running current one,
//!   so every version but the newest is frozen, and the earlier signed text stays in force
//!   until the amendment is signed.
//!
//! Which workflow step is allowed is [`super::workflow::check`]'s business; this module only
//! records its outcome with [`History::set_status`].

use super::workflow::DocStatus;

/// A document's text: named sections (key → text) in the order the document shows them.
///
/// A list rather than a map, because the order is the document's own (diagnosis before
/// goals, …), not the alphabet; the keys are unique all the same ([`Sections::set`] replaces
/// the text of an existing key in place).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sections(Vec<(String, String)>);

impl Sections {
    /// No sections.
    pub fn new() -> Self {
        Sections(Vec::new())
    }

    /// Sets a section's text: in place if the key exists, at the end otherwise.
    pub fn set(&mut self, key: impl Into<String>, text: impl Into<String>) {
        let (key, text) = (key.into(), text.into());
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, old)) => *old = text,
            None => self.0.push((key, text)),
        }
    }

    /// [`Sections::set`] as a builder.
    pub fn with(mut self, key: impl Into<String>, text: impl Into<String>) -> Self {
        self.set(key, text);
        self
    }

    /// A section's text.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, text)| text.as_str())
    }

    /// The sections in order, as (key, text).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, t)| (k.as_str(), t.as_str()))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// How many sections there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No sections at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

// Stored as a JSON array of `[key, text]` pairs, in order (`document_version.sections`).
impl serde::Serialize for Sections {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Sections {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<(String, String)>::deserialize(deserializer).map(Sections::from_iter)
    }
}

impl<K: Into<String>, T: Into<String>> FromIterator<(K, T)> for Sections {
    /// Collects with [`Sections::set`]: a repeated key keeps its first place and last text.
    fn from_iter<I: IntoIterator<Item = (K, T)>>(iter: I) -> Self {
        let mut sections = Sections::new();
        for (key, text) in iter {
            sections.set(key, text);
        }
        sections
    }
}

/// One version of a document.
///
/// The fields are public for reading; a [`History`] hands out only shared references, so
/// they change only through its methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// 1 for the original, then one more per amendment.
    pub number: u32,
    /// The text.
    pub sections: Sections,
    /// Where this version stands in the workflow. For an earlier version: the last status it
    /// reached before it was amended.
    pub status: DocStatus,
    /// The version this one amends, if it is an amendment.
    pub based_on: Option<u32>,
}

/// Why a version operation was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionError {
    /// The current version is submitted or frozen, so its text cannot be edited.
    NotEditable {
        /// The current version's number.
        number: u32,
        /// Its status.
        status: DocStatus,
    },
    /// An amendment needs a signed or running current version.
    NotAmendable {
        /// The current version's status.
        status: DocStatus,
    },
    /// A frozen version may not go back to an editable status.
    Unfreeze {
        /// The current version's status.
        from: DocStatus,
        /// The status asked for.
        to: DocStatus,
    },
    /// Stored versions do not form a valid history (none, a gap, or an unfrozen old one).
    Inconsistent {
        /// The first version found wrong (0 when there is none at all).
        number: u32,
    },
}

impl VersionError {
    /// Polish message for the user.
    pub fn message(&self) -> String {
        match self {
            VersionError::NotEditable {
                number,
                status: DocStatus::Submitted,
            } => format!(
                "Wersja {number} czeka na zatwierdzenie. Aby ją zmienić, trzeba ją najpierw \
                 zwrócić do poprawy."
            ),
            VersionError::NotEditable { number, status } => format!(
                "Wersja {number} ma stan „{}” i jej treść nie może się już zmienić. \
                 Zmianę wprowadza się aneksem (nową wersją).",
                status.label()
            ),
            VersionError::NotAmendable { status } => format!(
                "Aneks można sporządzić tylko do dokumentu podpisanego lub w realizacji, \
                 a ten ma stan „{}”.",
                status.label()
            ),
            VersionError::Unfreeze { from, to } => format!(
                "Dokumentu w stanie „{}” nie można przywrócić do stanu „{}”.",
                from.label(),
                to.label()
            ),
            VersionError::Inconsistent { number } => {
                format!("Historia wersji dokumentu jest niespójna (wersja {number}).")
            }
        }
    }
}

impl std::fmt::Display for VersionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for VersionError {}

/// All versions of one document, oldest first; append-only.
///
/// The newest version is kept apart from the earlier ones so that "there is always a current
/// version" holds by construction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    earlier: Vec<Version>,
    current: Version,
}

impl History {
    /// A new document: version 1, a draft with this text.
    pub fn new(sections: Sections) -> Self {
        History {
            earlier: Vec::new(),
            current: Version {
                number: 1,
                sections,
                status: DocStatus::Draft,
                based_on: None,
            },
        }
    }

    /// Rebuilds a history from stored versions (any order), checking its invariants.
    pub fn from_versions(mut versions: Vec<Version>) -> Result<Self, VersionError> {
        versions.sort_by_key(|v| v.number);
        let current = versions
            .pop()
            .ok_or(VersionError::Inconsistent { number: 0 })?;
        let all = versions.iter().chain(std::iter::once(&current));
        for (expected, version) in (1..).zip(all) {
            let is_current = version.number == current.number;
            let ok = version.number == expected
                && version.based_on.is_none_or(|b| b < version.number)
                && (is_current || version.status.is_frozen());
            if !ok {
                return Err(VersionError::Inconsistent { number: expected });
            }
        }
        Ok(History {
            earlier: versions,
            current,
        })
    }

    /// The newest version: the one the workflow acts on.
    pub fn current(&self) -> &Version {
        &self.current
    }

    /// A version by number.
    pub fn get(&self, number: u32) -> Option<&Version> {
        self.versions().find(|v| v.number == number)
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> impl DoubleEndedIterator<Item = &Version> {
        self.earlier.iter().chain(std::iter::once(&self.current))
    }

    /// The version that binds now: the newest signed, running or closed one. While an
    /// amendment is drafted, that is still the earlier signed version; `None` before the
    /// first signature.
    pub fn in_force(&self) -> Option<&Version> {
        self.versions().rev().find(|v| {
            matches!(
                v.status,
                DocStatus::Signed | DocStatus::InRealization | DocStatus::Closed
            )
        })
    }

    /// Replaces the current version's text; only a draft may be edited.
    pub fn edit(&mut self, sections: Sections) -> Result<(), VersionError> {
        if self.current.status != DocStatus::Draft {
            return Err(VersionError::NotEditable {
                number: self.current.number,
                status: self.current.status,
            });
        }
        self.current.sections = sections;
        Ok(())
    }

    /// Starts an amendment (aneks): a new draft version with the current text, based on the
    /// current version, which must be signed or in realization. Returns the new number.
    pub fn amend(&mut self) -> Result<u32, VersionError> {
        if !matches!(
            self.current.status,
            DocStatus::Signed | DocStatus::InRealization
        ) {
            return Err(VersionError::NotAmendable {
                status: self.current.status,
            });
        }
        let draft = Version {
            number: self.current.number + 1,
            sections: self.current.sections.clone(),
            status: DocStatus::Draft,
            based_on: Some(self.current.number),
        };
        let number = draft.number;
        self.earlier
            .push(std::mem::replace(&mut self.current, draft));
        Ok(number)
    }

    /// Records the current version's new status, once [`super::workflow::check`] allowed the
    /// step. Refuses only what would break the frozen-text invariant: going from a frozen
    /// status back to an editable one.
    pub fn set_status(&mut self, status: DocStatus) -> Result<(), VersionError> {
        if self.current.status.is_frozen() && !status.is_frozen() {
            return Err(VersionError::Unfreeze {
                from: self.current.status,
                to: status,
            });
        }
        self.current.status = status;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(goals: &str) -> Sections {
        Sections::new()
            .with("diagnosis", "Długotrwale bezrobotny.")
            .with("goals", goals)
    }

    /// A history whose version 1 went through the workflow up to `status`.
    fn at(status: DocStatus) -> History {
        let mut history = History::new(text("Zatrudnienie."));
        let path = [
            DocStatus::Submitted,
            DocStatus::Approved,
            DocStatus::Signed,
            DocStatus::InRealization,
            DocStatus::Closed,
        ];
        if status != DocStatus::Draft {
            for step in path {
                history.set_status(step).expect("a forward step");
                if step == status {
                    break;
                }
            }
        }
        assert_eq!(history.current().status, status);
        history
    }

    #[test]
    fn a_new_history_is_version_one_in_draft() {
        let history = History::new(text("Zatrudnienie."));
        let v1 = history.current();
        assert_eq!(v1.number, 1);
        assert_eq!(v1.status, DocStatus::Draft);
        assert_eq!(v1.based_on, None);
        assert_eq!(v1.sections.get("goals"), Some("Zatrudnienie."));
        assert_eq!(history.versions().count(), 1);
        assert_eq!(history.in_force(), None);
    }

    #[test]
    fn a_draft_can_be_edited() {
        let mut history = History::new(text("Zatrudnienie."));
        history.edit(text("Praca w gastronomii.")).expect("draft");
        assert_eq!(
            history.current().sections.get("goals"),
            Some("Praca w gastronomii.")
        );
    }

    #[test]
    fn a_submitted_version_is_edited_only_after_it_is_returned() {
        let mut history = at(DocStatus::Submitted);
        let refused = history.edit(text("Inny cel."));
        assert_eq!(
            refused,
            Err(VersionError::NotEditable {
                number: 1,
                status: DocStatus::Submitted
            })
        );
        assert!(
            refused
                .err()
                .is_some_and(|e| e.message().contains("zwrócić do poprawy"))
        );
        history.set_status(DocStatus::Draft).expect("returned");
        history.edit(text("Inny cel.")).expect("draft again");
        assert_eq!(history.current().sections.get("goals"), Some("Inny cel."));
    }

    #[test]
    fn a_frozen_version_keeps_its_text() {
        for status in [
            DocStatus::Approved,
            DocStatus::Signed,
            DocStatus::InRealization,
            DocStatus::Closed,
        ] {
            let mut history = at(status);
            assert_eq!(
                history.edit(text("Zmieniony cel.")),
                Err(VersionError::NotEditable { number: 1, status })
            );
            assert_eq!(history.current().sections, text("Zatrudnienie."));
        }
    }

    #[test]
    fn a_frozen_version_never_becomes_editable_again() {
        let mut history = at(DocStatus::Approved);
        for to in [DocStatus::Draft, DocStatus::Submitted] {
            assert_eq!(
                history.set_status(to),
                Err(VersionError::Unfreeze {
                    from: DocStatus::Approved,
                    to
                })
            );
        }
        assert_eq!(history.current().status, DocStatus::Approved);
    }

    #[test]
    fn amending_adds_a_draft_copy_and_keeps_the_old_version_intact() {
        let mut history = at(DocStatus::InRealization);
        let before = history.current().clone();

        let number = history.amend().expect("a running document may be amended");
        assert_eq!(number, 2);
        history.edit(text("Własna działalność.")).expect("draft");

        assert_eq!(history.get(1), Some(&before));
        let v2 = history.current();
        assert_eq!(v2.number, 2);
        assert_eq!(v2.status, DocStatus::Draft);
        assert_eq!(v2.based_on, Some(1));
        assert_eq!(v2.sections.get("goals"), Some("Własna działalność."));
        assert_eq!(
            v2.sections.get("diagnosis"),
            Some("Długotrwale bezrobotny.")
        );

        for status in [DocStatus::Submitted, DocStatus::Approved, DocStatus::Signed] {
            history.set_status(status).expect("forward");
        }
        assert_eq!(history.amend(), Ok(3));
        let numbers: Vec<u32> = history.versions().map(|v| v.number).collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert_eq!(history.get(1), Some(&before));
        assert_eq!(history.get(4), None);
    }

    #[test]
    fn only_a_signed_or_running_document_can_be_amended() {
        for status in [DocStatus::Draft, DocStatus::Submitted, DocStatus::Approved] {
            let mut history = at(status);
            assert_eq!(history.amend(), Err(VersionError::NotAmendable { status }));
            assert_eq!(history.versions().count(), 1);
        }
        let mut closed = at(DocStatus::Closed);
        assert_eq!(
            closed.amend(),
            Err(VersionError::NotAmendable {
                status: DocStatus::Closed
            })
        );
        assert_eq!(at(DocStatus::Signed).amend(), Ok(2));
    }

    #[test]
    fn the_signed_version_stays_in_force_while_the_amendment_is_drafted() {
        let mut history = at(DocStatus::InRealization);
        history.amend().expect("amendable");
        history.edit(text("Własna działalność.")).expect("draft");
        history.set_status(DocStatus::Submitted).expect("forward");
        history.set_status(DocStatus::Approved).expect("forward");
        let in_force = history.in_force().map(|v| (v.number, v.status));
        assert_eq!(in_force, Some((1, DocStatus::InRealization)));

        history.set_status(DocStatus::Signed).expect("forward");
        let in_force = history.in_force().map(|v| (v.number, v.status));
        assert_eq!(in_force, Some((2, DocStatus::Signed)));
    }

    #[test]
    fn stored_versions_rebuild_the_same_history() {
        let mut history = at(DocStatus::Signed);
        history.amend().expect("amendable");
        let mut stored: Vec<Version> = history.versions().cloned().collect();
        stored.reverse();
        assert_eq!(History::from_versions(stored), Ok(history));
    }

    #[test]
    fn inconsistent_stored_versions_are_refused() {
        let v = |number, status| Version {
            number,
            sections: text("Cel."),
            status,
            based_on: None,
        };
        let refused = |versions| History::from_versions(versions).err();
        assert_eq!(
            refused(vec![]),
            Some(VersionError::Inconsistent { number: 0 })
        );
        assert_eq!(
            refused(vec![v(1, DocStatus::Signed), v(3, DocStatus::Draft)]),
            Some(VersionError::Inconsistent { number: 2 })
        );
        assert_eq!(
            refused(vec![v(1, DocStatus::Draft), v(2, DocStatus::Draft)]),
            Some(VersionError::Inconsistent { number: 1 })
        );
        let mut ahead = v(1, DocStatus::Draft);
        ahead.based_on = Some(1);
        assert_eq!(
            refused(vec![ahead]),
            Some(VersionError::Inconsistent { number: 1 })
        );
    }

    #[test]
    fn sections_keep_their_order_and_unique_keys() {
        let sections: Sections = [("goals", "A"), ("diagnosis", "B"), ("goals", "C")]
            .into_iter()
            .collect();
        let pairs: Vec<_> = sections.iter().collect();
        assert_eq!(pairs, [("goals", "C"), ("diagnosis", "B")]);
        assert_eq!(sections.len(), 2);
        assert_eq!(sections.get("schedule"), None);
    }
}
