//! Graduate follow-up (issue 12): the social worker keeps contact with the graduates of their
//! caseload for three years; the manager oversees the whole centre (and may record a contact
//! too). Nobody else: the psychologist, the career advisor and the instructor work with people
//! in the programme (a graduate is outside their scope anyway), and the administrator sees no
//! participant data.

use uuid::Uuid;

use super::{Action, Actor, ListScope, Target};
use crate::domain::Role;

/// The follow-up actions (the participant's scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    let manager = actor.role == Role::Manager;
    let caseworker =
        |worker: Option<Uuid>| actor.role == Role::SocialWorker && worker == Some(actor.user_id);
    match (action, target) {
        // The lists: the manager's of the centre, a social worker's of their caseload.
        (Action::ViewFollowUps, Target::Centre) => {
            matches!(actor.role, Role::Manager | Role::SocialWorker)
        }
        // One graduate's timeline, contacts, extra items and closer contact.
        (
            Action::ViewFollowUps | Action::RecordFollowUpContact | Action::ManageFollowUp,
            Target::Participant(p),
        ) => manager || caseworker(p.social_worker_id),
        _ => false,
    }
}

/// The graduates whose follow-up `actor` sees in the lists (asked after `ViewFollowUps`).
pub fn follow_up_scope(actor: Actor) -> ListScope {
    match actor.role {
        Role::Manager => ListScope::Centre,
        Role::SocialWorker => ListScope::Caseload(actor.user_id),
        Role::Psychologist | Role::CareerAdvisor | Role::Instructor | Role::Admin | Role::Dpo => {
            ListScope::Nobody
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ParticipantFacts, Refusal, check};
    use super::*;
    use crate::domain::Status;

    const ME: Uuid = Uuid::from_u128(1);
    const OTHER: Uuid = Uuid::from_u128(2);

    fn actor(role: Role) -> Actor {
        Actor { user_id: ME, role }
    }

    fn graduate(worker: Uuid) -> ParticipantFacts {
        ParticipantFacts {
            participant_id: OTHER,
            social_worker_id: Some(worker),
            status: Status::Graduate,
            in_actor_workshop: false,
        }
    }

    #[test]
    fn a_graduates_follow_up_is_the_caseworkers_and_the_managers() {
        use Role::*;
        let actions = [
            Action::ViewFollowUps,
            Action::RecordFollowUpContact,
            Action::ManageFollowUp,
        ];
        // (role, the graduate's social worker, answer)
        let table = [
            (Manager, OTHER, Ok(())),
            (SocialWorker, ME, Ok(())),
            (SocialWorker, OTHER, Err(Refusal::NotFound)),
            (Psychologist, OTHER, Err(Refusal::NotFound)),
            (CareerAdvisor, OTHER, Err(Refusal::NotFound)),
            (Instructor, OTHER, Err(Refusal::NotFound)),
            (Admin, OTHER, Err(Refusal::NotFound)),
        ];
        for (role, worker, want) in table {
            for action in actions {
                assert_eq!(
                    check(actor(role), action, Target::Participant(&graduate(worker))),
                    want,
                    "{role:?} × {action:?}"
                );
            }
        }
        // An instructor who still sees the person (in their workshop) is refused all the same.
        let member = ParticipantFacts {
            in_actor_workshop: true,
            status: Status::Participant,
            ..graduate(OTHER)
        };
        assert_eq!(
            check(
                actor(Instructor),
                Action::ViewFollowUps,
                Target::Participant(&member)
            ),
            Err(Refusal::Forbidden)
        );
    }

    #[test]
    fn the_lists_scope_follows_the_role() {
        assert_eq!(follow_up_scope(actor(Role::Manager)), ListScope::Centre);
        assert_eq!(
            follow_up_scope(actor(Role::SocialWorker)),
            ListScope::Caseload(ME)
        );
        for role in [
            Role::Psychologist,
            Role::CareerAdvisor,
            Role::Instructor,
            Role::Admin,
            Role::Dpo,
        ] {
            assert_eq!(follow_up_scope(actor(role)), ListScope::Nobody);
        }
    }
}
