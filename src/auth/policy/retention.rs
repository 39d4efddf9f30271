//! Retention with legal hold and the rectification history (issue 13, data protection items 3
//! and 4). Deciding how long files are kept, reviewing the files past their period, holding
//! them and anonymising them is the manager's: the centre's head answers for its archive. Who
//! changed a person's data is read by whoever reads who opened the file (the field table's
//! `FileAudit`: the manager, and the data-protection officer once that role is added there).
//!
//! The data-protection officer reads the review list and the holds too: adding `Role::Dpo` to
//! [`reads_retention`] is the one line it takes (their file scope is `sees_participant`'s).

use super::{Action, Actor, Target, participants};
use crate::domain::Role;

/// Who reads the review list, a file's retention page and the holds.
fn reads_retention(role: Role) -> bool {
    matches!(role, Role::Manager)
}

/// The retention and rectification actions (the participant's scope has been checked by the
/// caller).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    match (action, target) {
        (Action::ViewRetention, Target::Centre | Target::Participant(_)) => {
            reads_retention(actor.role)
        }
        (Action::ManageRetention, Target::Centre | Target::Participant(_)) => {
            actor.role == Role::Manager
        }
        (Action::ViewRectifications, Target::Participant(_)) => {
            participants::allows(actor, Action::ViewAccessLog, target)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::super::{ParticipantFacts, Refusal, check};
    use super::*;
    use crate::domain::Status;

    #[test]
    fn only_the_manager_reviews_holds_and_reads_the_data_history() {
        let file = ParticipantFacts {
            participant_id: Uuid::from_u128(9),
            social_worker_id: Some(Uuid::from_u128(1)),
            status: Status::Graduate,
            in_actor_workshop: false,
        };
        for role in Role::ALL {
            let actor = Actor {
                user_id: Uuid::from_u128(1),
                role,
            };
            for action in [
                Action::ViewRetention,
                Action::ManageRetention,
                Action::ViewRectifications,
            ] {
                let got = check(actor, action, Target::Participant(&file));
                let want = match role {
                    Role::Manager => Ok(()),
                    // The social worker's own graduate: in scope, not theirs to see.
                    Role::SocialWorker => Err(Refusal::Forbidden),
                    _ => Err(Refusal::NotFound),
                };
                assert_eq!(got, want, "{role:?} × {action:?}");
            }
            let centre = check(actor, Action::ManageRetention, Target::Centre);
            assert_eq!(centre.is_ok(), role == Role::Manager, "{role:?}");
        }
    }
}
