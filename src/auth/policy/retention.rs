//! Retention with legal hold and the rectification history (issue 13, data protection items 3
//! and 4). Deciding how long files are kept, reviewing the files past their period, holding
//! them and anonymising them is the manager's: the centre's head answers for its archive. Who
//! changed a person's data is read by whoever reads who opened the file (the field table's
//! `FileAudit`: the manager, and the data-protection officer once that role is added there).
//!
//! The data-protection officer reads the review list, a file's retention and holds, and the
//! data history too (their reach: `data_protection_reach` in the policy), but changes nothing.

use super::{Action, Actor, Target, participants};
use crate::domain::Role;

/// Who reads the review list, a file's retention page and the holds.
fn reads_retention(role: Role) -> bool {
    matches!(role, Role::Manager | Role::Dpo)
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
            actor.role == Role::Dpo || participants::allows(actor, Action::ViewAccessLog, target)
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
    fn the_manager_reviews_and_holds_and_the_dpo_reads_the_review_and_the_data_history() {
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
                let want = match (role, action) {
                    (Role::Manager, _) => Ok(()),
                    // The data-protection officer reads (the policy's reach) and changes
                    // nothing; the file itself stays out of their scope.
                    (Role::Dpo, Action::ManageRetention) => Err(Refusal::NotFound),
                    (Role::Dpo, _) => Ok(()),
                    // The social worker's own graduate: in scope, not theirs to see.
                    (Role::SocialWorker, _) => Err(Refusal::Forbidden),
                    _ => Err(Refusal::NotFound),
                };
                assert_eq!(got, want, "{role:?} × {action:?}");
            }
            let centre = check(actor, Action::ManageRetention, Target::Centre);
            assert_eq!(centre.is_ok(), role == Role::Manager, "{role:?}");
            let review = check(actor, Action::ViewRetention, Target::Centre);
            assert_eq!(
                review.is_ok(),
                matches!(role, Role::Manager | Role::Dpo),
                "{role:?}"
            );
            // The file itself stays out of the data-protection officer's scope.
            if role == Role::Dpo {
                let file_read = check(actor, Action::ViewParticipant, Target::Participant(&file));
                assert_eq!(file_read, Err(Refusal::NotFound));
            }
        }
    }
}
