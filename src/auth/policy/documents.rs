//! Who takes which step of an approvable document (IPZS, social contract). A document belongs to
//! a participant: outside the participant's scope it does not exist. The author (the
//! caseworker, or the manager) submits it; the manager returns, approves, records the
//! signatures and closes it; the caseworker or the manager starts its realization. That the
//! author never approves their own document (segregation of duties) is the status machine's
//! rule (`documents::workflow`), checked in the same step.

use uuid::Uuid;

use super::participants::ParticipantFacts;
use super::{Action, Actor};
use crate::domain::Role;

/// The facts about one document the policy needs.
#[derive(Clone, Copy, Debug)]
pub struct DocumentFacts {
    /// The document.
    pub document_id: Uuid,
    /// Its participant (the scope).
    pub participant: ParticipantFacts,
    /// Who drafted it.
    pub author_id: Uuid,
}

/// The document actions (the participant's scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, document: &DocumentFacts) -> bool {
    let manager = actor.role == Role::Manager;
    let caseworker = actor.role == Role::SocialWorker
        && document.participant.social_worker_id == Some(actor.user_id);
    match action {
        Action::SubmitDocument => document.author_id == actor.user_id && (manager || caseworker),
        Action::ReturnDocument
        | Action::ApproveDocument
        | Action::SignDocument
        | Action::CloseDocument => manager,
        Action::StartDocumentRealization => manager || caseworker,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Refusal, Target, check};
    use super::*;
    use crate::domain::Status;

    const ME: Uuid = Uuid::from_u128(1);
    const OTHER: Uuid = Uuid::from_u128(2);

    fn document(worker: Uuid, author: Uuid) -> DocumentFacts {
        DocumentFacts {
            document_id: Uuid::from_u128(50),
            participant: ParticipantFacts {
                participant_id: Uuid::from_u128(99),
                social_worker_id: Some(worker),
                status: Status::Participant,
                in_actor_workshop: false,
            },
            author_id: author,
        }
    }

    #[test]
    fn every_role_takes_exactly_its_steps() {
        use Role::*;
        let mine_by_me = document(ME, ME);
        let mine_by_other = document(ME, OTHER);
        let theirs = document(OTHER, OTHER);
        let ok = Ok(());
        let forbidden = Err(Refusal::Forbidden);
        let missing = Err(Refusal::NotFound);
        // (role, document, action, expected), written out.
        let table = [
            (SocialWorker, mine_by_me, Action::SubmitDocument, ok),
            (
                SocialWorker,
                mine_by_other,
                Action::SubmitDocument,
                forbidden,
            ),
            (SocialWorker, theirs, Action::SubmitDocument, missing),
            (SocialWorker, mine_by_me, Action::ApproveDocument, forbidden),
            (SocialWorker, mine_by_me, Action::ReturnDocument, forbidden),
            (SocialWorker, mine_by_me, Action::SignDocument, forbidden),
            (
                SocialWorker,
                mine_by_me,
                Action::StartDocumentRealization,
                ok,
            ),
            (SocialWorker, mine_by_me, Action::CloseDocument, forbidden),
            (Manager, theirs, Action::SubmitDocument, forbidden),
            (Manager, mine_by_me, Action::SubmitDocument, ok),
            (Manager, theirs, Action::ApproveDocument, ok),
            (Manager, theirs, Action::ReturnDocument, ok),
            (Manager, theirs, Action::SignDocument, ok),
            (Manager, theirs, Action::StartDocumentRealization, ok),
            (Manager, theirs, Action::CloseDocument, ok),
            (Psychologist, theirs, Action::ApproveDocument, forbidden),
            (CareerAdvisor, theirs, Action::SubmitDocument, forbidden),
            (Instructor, theirs, Action::ApproveDocument, missing),
            (Admin, theirs, Action::ApproveDocument, missing),
        ];
        for (role, doc, action, want) in table {
            let actor = Actor { user_id: ME, role };
            assert_eq!(
                check(actor, action, Target::Document(&doc)),
                want,
                "{role:?} × {action:?}"
            );
        }
    }
}
