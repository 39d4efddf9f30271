//! Who requests, writes, signs off, withdraws and reads the opinions that feed an IPZS.
//!
//! The participant's own social worker and the manager request an opinion from a named
//! colleague and withdraw an open request. Only that colleague, and only while their role is
//! the opinion's kind, writes it and signs it off. Whether the opinion is still open is the
//! status machine's business (a signed-off or withdrawn one answers 409, not 403), checked in
//! the same guarded update.
//!
//! The scope: an opinion is written before admission too (for candidates and the reserve
//! list), when the psychologist, the career advisor or the instructor cannot open the file, so
//! its author always reaches their own opinion; everyone else reaches it only within their
//! participant scope and when the field table lets them read its kind (otherwise it answers
//! 404, like a missing one).

use uuid::Uuid;

use super::participants::{Field, ParticipantFacts, Visibility, sees_participant};
use super::{Action, Actor, Target};
use crate::domain::{OpinionKind, Role};

/// The facts about one opinion the policy needs.
#[derive(Clone, Copy, Debug)]
pub struct OpinionFacts {
    /// The opinion.
    pub opinion_id: Uuid,
    /// Its participant.
    pub participant: ParticipantFacts,
    /// Whose opinion it is.
    pub kind: OpinionKind,
    /// The colleague it was requested from.
    pub author_id: Uuid,
}

/// Whether `actor` may read signed-off opinions of `kind` on files they open (the field table).
pub fn reads_opinion(actor: Actor, kind: OpinionKind) -> bool {
    Visibility::within_scope(actor).shows(Field::for_opinion(kind))
}

/// The kinds of opinion `actor` reads on files they open.
pub fn readable_opinions(actor: Actor) -> Vec<OpinionKind> {
    OpinionKind::ALL
        .into_iter()
        .filter(|k| reads_opinion(actor, *k))
        .collect()
}

/// Whether the opinion exists for `actor` at all: its author always reaches it; anyone else
/// within their participant scope, when they read its kind.
pub(super) fn in_scope(actor: Actor, opinion: &OpinionFacts) -> bool {
    opinion.author_id == actor.user_id
        || (sees_participant(actor, &opinion.participant) && reads_opinion(actor, opinion.kind))
}

/// The opinion actions (the scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    let keeper = |p: &ParticipantFacts| {
        actor.role == Role::Manager
            || (actor.role == Role::SocialWorker && p.social_worker_id == Some(actor.user_id))
    };
    match (action, target) {
        (Action::RequestOpinion, Target::Participant(p)) => keeper(p),
        // The list of a file's opinions: whoever reads some kind (its rows are filtered).
        (Action::ViewOpinion, Target::Participant(_)) => !readable_opinions(actor).is_empty(),
        (Action::ViewOpinion, Target::Opinion(_)) => true,
        (Action::WithdrawOpinion, Target::Opinion(o)) => keeper(&o.participant),
        (Action::WriteOpinion | Action::SignOffOpinion, Target::Opinion(o)) => {
            o.author_id == actor.user_id && actor.role == o.kind.author_role()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Refusal, check};
    use super::*;
    use crate::domain::Status;

    const ME: Uuid = Uuid::from_u128(1);
    const OTHER: Uuid = Uuid::from_u128(2);

    fn opinion(kind: OpinionKind, author: Uuid, worker: Uuid, status: Status) -> OpinionFacts {
        OpinionFacts {
            opinion_id: Uuid::from_u128(70),
            participant: ParticipantFacts {
                participant_id: Uuid::from_u128(99),
                social_worker_id: Some(worker),
                status,
                in_actor_workshop: false,
            },
            kind,
            author_id: author,
        }
    }

    #[test]
    fn every_role_takes_exactly_its_steps_on_an_opinion() {
        use OpinionKind::{CareerAdvisor as Career, Instructor as Instr, Psychologist as Psych};
        use Role::*;
        let ok = Ok(());
        let forbidden = Err(Refusal::Forbidden);
        let missing = Err(Refusal::NotFound);
        // A candidate (outside the scope of psychologists, advisors and instructors).
        let candidate = Status::Candidate;
        let active = Status::Participant;
        // (role, opinion, action, expected), written out.
        let table = [
            // The requested author writes and signs off, even for a candidate.
            (
                Psychologist,
                opinion(Psych, ME, OTHER, candidate),
                Action::WriteOpinion,
                ok,
            ),
            (
                Psychologist,
                opinion(Psych, ME, OTHER, candidate),
                Action::SignOffOpinion,
                ok,
            ),
            (
                Psychologist,
                opinion(Psych, ME, OTHER, candidate),
                Action::ViewOpinion,
                ok,
            ),
            (
                Psychologist,
                opinion(Psych, ME, OTHER, candidate),
                Action::WithdrawOpinion,
                forbidden,
            ),
            (
                CareerAdvisor,
                opinion(Career, ME, OTHER, candidate),
                Action::WriteOpinion,
                ok,
            ),
            (
                Instructor,
                opinion(Instr, ME, OTHER, candidate),
                Action::SignOffOpinion,
                ok,
            ),
            // Another psychologist: not theirs; outside the scope, it does not exist.
            (
                Psychologist,
                opinion(Psych, OTHER, OTHER, candidate),
                Action::WriteOpinion,
                missing,
            ),
            (
                Psychologist,
                opinion(Psych, OTHER, OTHER, active),
                Action::WriteOpinion,
                forbidden,
            ),
            (
                Psychologist,
                opinion(Psych, OTHER, OTHER, active),
                Action::ViewOpinion,
                ok,
            ),
            // An author whose role no longer matches the kind reads, but does not write.
            (
                CareerAdvisor,
                opinion(Psych, ME, OTHER, active),
                Action::WriteOpinion,
                forbidden,
            ),
            // The caseworker and the manager request-side steps, never the writing.
            (
                SocialWorker,
                opinion(Psych, OTHER, ME, candidate),
                Action::WithdrawOpinion,
                ok,
            ),
            (
                SocialWorker,
                opinion(Psych, OTHER, ME, candidate),
                Action::ViewOpinion,
                ok,
            ),
            (
                SocialWorker,
                opinion(Psych, OTHER, ME, candidate),
                Action::WriteOpinion,
                forbidden,
            ),
            (
                SocialWorker,
                opinion(Psych, OTHER, ME, candidate),
                Action::SignOffOpinion,
                forbidden,
            ),
            (
                SocialWorker,
                opinion(Psych, OTHER, OTHER, candidate),
                Action::ViewOpinion,
                missing,
            ),
            (
                SocialWorker,
                opinion(Psych, OTHER, OTHER, active),
                Action::WithdrawOpinion,
                missing,
            ),
            (
                Manager,
                opinion(Instr, OTHER, OTHER, candidate),
                Action::WithdrawOpinion,
                ok,
            ),
            (
                Manager,
                opinion(Instr, OTHER, OTHER, candidate),
                Action::WriteOpinion,
                forbidden,
            ),
            // Field rules: the instructor never reads the psychologist's opinion.
            (
                Instructor,
                opinion(Psych, OTHER, OTHER, active),
                Action::ViewOpinion,
                missing,
            ),
            (
                CareerAdvisor,
                opinion(Psych, OTHER, OTHER, active),
                Action::ViewOpinion,
                ok,
            ),
            (
                Admin,
                opinion(Psych, OTHER, OTHER, active),
                Action::ViewOpinion,
                missing,
            ),
        ];
        for (role, o, action, want) in table {
            let actor = Actor { user_id: ME, role };
            assert_eq!(
                check(actor, action, Target::Opinion(&o)),
                want,
                "{role:?} × {action:?} × {:?}",
                o.kind
            );
        }
    }

    #[test]
    fn the_instructor_sees_only_the_instructors_and_the_career_advisors_opinion() {
        let reads = |role| readable_opinions(Actor { user_id: ME, role });
        use OpinionKind::*;
        assert_eq!(reads(Role::Instructor), [CareerAdvisor, Instructor]);
        for role in [
            Role::Manager,
            Role::SocialWorker,
            Role::Psychologist,
            Role::CareerAdvisor,
        ] {
            assert_eq!(reads(role), OpinionKind::ALL, "{role:?}");
        }
        assert!(reads(Role::Admin).is_empty() && reads(Role::Dpo).is_empty());
    }

    #[test]
    fn the_health_detail_follows_the_health_data_rule() {
        for role in Role::ALL {
            let sees = Visibility::within_scope(Actor { user_id: ME, role });
            assert_eq!(
                sees.shows(Field::OpinionPsychologistHealth),
                sees.shows(Field::CategoriesHealth) && sees.shows(Field::OpinionPsychologist),
                "{role:?}"
            );
        }
    }

    #[test]
    fn only_the_keepers_of_the_file_request_opinions() {
        let p = ParticipantFacts {
            participant_id: Uuid::from_u128(99),
            social_worker_id: Some(ME),
            status: Status::Candidate,
            in_actor_workshop: true,
        };
        for role in Role::ALL {
            let allowed = check(
                Actor { user_id: ME, role },
                Action::RequestOpinion,
                Target::Participant(&p),
            )
            .is_ok();
            assert_eq!(
                allowed,
                matches!(role, Role::Manager | Role::SocialWorker),
                "{role:?}"
            );
        }
    }
}
