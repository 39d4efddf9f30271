//! Subject access (GDPR art. 15): who may produce the export of everything the centre holds
//! about one person, and what of it is released to the person. This is the one place that
//! decides what is released: the printed export and the JSON archive are both built from the
//! one value the export area assembles by these rules, so they cannot differ.
//!
//! Released in full: identity, categories, participation and status history, recruitment
//! documents, the IPZS and social contracts with every version, signature and scan, the
//! signed-off opinions, the case notes of the team and of social work, attendance, benefits,
//! follow-up contacts, and who opened the file. Listed but not released: therapy notes (their
//! date and author, that they exist; the text only on the psychologist's decision, art. 15
//! ust. 4 RODO, rights of others) and opinions not signed off (a working draft of the author,
//! not yet a statement of the centre).

use super::{Action, Actor, Target};
use crate::domain::{NoteVisibility, OpinionStatus, Role};

/// Who may produce a subject-access export: the manager (their files) and the data-protection
/// officer (every participant of the centre, for this alone: `data_protection_reach`).
const PRODUCERS: &[Role] = &[Role::Manager, Role::Dpo];

/// The subject-access actions (the scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    match (action, target) {
        (Action::ViewSubjectAccess | Action::ExportSubjectAccess, Target::Participant(_)) => {
            PRODUCERS.contains(&actor.role)
        }
        _ => false,
    }
}

/// How much of one record the person receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// All of it.
    Full,
    /// That it exists (when, who, what kind), with why its content is withheld.
    Listed(&'static str),
}

impl Release {
    /// Whether the content is released.
    pub fn is_full(self) -> bool {
        self == Release::Full
    }

    /// Why the content is withheld, when it is.
    pub fn withheld(self) -> Option<&'static str> {
        match self {
            Release::Full => None,
            Release::Listed(why) => Some(why),
        }
    }
}

/// What of a case note of `visibility` is released.
pub fn release_note(visibility: NoteVisibility) -> Release {
    match visibility {
        NoteVisibility::Team | NoteVisibility::SocialWork => Release::Full,
        NoteVisibility::Psychologist => Release::Listed(
            "Notatka terapeutyczna – treść udostępniana wyłącznie decyzją psychologa.",
        ),
    }
}

/// What of an opinion for the IPZS in `status` is released.
pub fn release_opinion(status: OpinionStatus) -> Release {
    match status {
        OpinionStatus::SignedOff => Release::Full,
        OpinionStatus::Requested | OpinionStatus::Withdrawn => Release::Listed(
            "Opinia niepodpisana – robocza wersja autora, nie stanowisko CIS; treść nie jest udostępniana.",
        ),
    }
}

/// The note visibilities whose text an export reads, and those it lists only (the timeline's
/// read asks for exactly these, so a withheld text is never even read).
pub fn note_reads() -> (Vec<NoteVisibility>, Vec<NoteVisibility>) {
    NoteVisibility::ALL
        .into_iter()
        .partition(|v| release_note(*v).is_full())
}

#[cfg(test)]
mod tests {
    use super::super::{ParticipantFacts, Refusal, check};
    use super::*;
    use crate::domain::Status;
    use uuid::Uuid;

    #[test]
    fn the_manager_and_the_dpo_produce_an_export_of_a_file_in_scope() {
        for role in Role::ALL {
            let actor = Actor {
                user_id: Uuid::from_u128(7),
                role,
            };
            // A file every role but the administrator may open.
            let p = ParticipantFacts {
                participant_id: Uuid::from_u128(1),
                social_worker_id: Some(actor.user_id),
                status: Status::Participant,
                in_actor_workshop: true,
            };
            let want = match role {
                // The data-protection officer reaches every participant for this alone.
                Role::Manager | Role::Dpo => Ok(()),
                Role::Admin => Err(Refusal::NotFound),
                _ => Err(Refusal::Forbidden),
            };
            for action in [Action::ViewSubjectAccess, Action::ExportSubjectAccess] {
                assert_eq!(
                    check(actor, action, Target::Participant(&p)),
                    want,
                    "{role:?}"
                );
                assert!(check(actor, action, Target::Centre).is_err(), "{role:?}");
            }
        }
    }

    #[test]
    fn therapy_notes_and_unsigned_opinions_are_listed_the_rest_released() {
        assert_eq!(release_note(NoteVisibility::Team), Release::Full);
        assert_eq!(release_note(NoteVisibility::SocialWork), Release::Full);
        assert!(
            release_note(NoteVisibility::Psychologist)
                .withheld()
                .is_some()
        );
        assert_eq!(release_opinion(OpinionStatus::SignedOff), Release::Full);
        assert!(!release_opinion(OpinionStatus::Requested).is_full());
        let (read, listed) = note_reads();
        assert_eq!(read, vec![NoteVisibility::Team, NoteVisibility::SocialWork]);
        assert_eq!(listed, vec![NoteVisibility::Psychologist]);
    }
}
