//! Who reads and who takes which step of an approvable document (IPZS, social contract). A
//! document belongs to a participant: outside the participant's scope it does not exist.
//!
//! The participant's social worker drafts it, edits the draft and starts amendments; the author
//! (the caseworker, or the manager) submits it; the manager returns, approves and closes it; the
//! signatures (on paper) are recorded by the manager or the caseworker; the caseworker or the
//! manager starts its realization. The programme is read by the manager, the caseworker, the
//! psychologist and the career advisor (it holds the diagnosis, which may reveal health data,
//! so not by instructors); the same readers add monitoring entries for their part. That the
//! author never approves their own version (segregation of duties) is the status machine's rule
//! (`documents::workflow`), checked in the same step, and the database's (a trigger).
//!
//! The social contract is the social worker's agreement with the client: the same readers read
//! it (the instructor does not), but only the caseworker writes in it while it runs (actions,
//! referrals, the quarterly note, the evaluation); the psychologist and the career advisor read
//! only. The centre's signature on a contract is the manager's own act.

use uuid::Uuid;

use super::participants::ParticipantFacts;
use super::{Action, Actor};
use crate::domain::{DocumentKind, Role, Status};

/// The facts about one document the policy needs.
#[derive(Clone, Copy, Debug)]
pub struct DocumentFacts {
    /// The document.
    pub document_id: Uuid,
    /// Its participant (the scope).
    pub participant: ParticipantFacts,
    /// Who drafted it.
    pub author_id: Uuid,
    /// What kind of document it is.
    pub kind: DocumentKind,
}

/// Whether `role` reads a participant's programme (within the participant's scope).
pub fn reads_programme(role: Role) -> bool {
    matches!(
        role,
        Role::Manager | Role::SocialWorker | Role::Psychologist | Role::CareerAdvisor
    )
}

fn caseworker(actor: Actor, participant: &ParticipantFacts) -> bool {
    actor.role == Role::SocialWorker && participant.social_worker_id == Some(actor.user_id)
}

/// Whether `actor` may start a participant's programme: their social worker, for a person on
/// the reserve list (whose signed programme admits them) or already in the centre (admitted
/// before the IPZS was kept here); not for a candidate, nor once participation has ended.
pub(super) fn may_draft(actor: Actor, participant: &ParticipantFacts) -> bool {
    caseworker(actor, participant)
        && matches!(
            participant.status,
            Status::Reserve | Status::Trial | Status::Participant
        )
}

/// The document actions (the participant's scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, document: &DocumentFacts) -> bool {
    let manager = actor.role == Role::Manager;
    let caseworker = caseworker(actor, &document.participant);
    match action {
        // The participant's social worker submits (also a draft a colleague began before the
        // caseload moved); the manager only what they wrote.
        Action::SubmitDocument => caseworker || (manager && document.author_id == actor.user_id),
        Action::ReturnDocument | Action::ApproveDocument | Action::CloseDocument => manager,
        Action::SignDocument | Action::StartDocumentRealization => manager || caseworker,
        Action::EditDocument | Action::AmendDocument => caseworker,
        Action::ViewDocument | Action::PrintDocument => reads_programme(actor.role),
        Action::AddMonitoring => match document.kind {
            DocumentKind::Ipzs => reads_programme(actor.role),
            DocumentKind::SocialContract => caseworker,
        },
        Action::SignDocumentForCentre => manager,
        Action::RecordRealization | Action::EvaluateDocument => caseworker,
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
            kind: DocumentKind::Ipzs,
        }
    }

    fn contract(worker: Uuid, author: Uuid) -> DocumentFacts {
        DocumentFacts {
            kind: DocumentKind::SocialContract,
            ..document(worker, author)
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
            (SocialWorker, mine_by_other, Action::SubmitDocument, ok),
            (SocialWorker, theirs, Action::SubmitDocument, missing),
            (SocialWorker, mine_by_me, Action::ApproveDocument, forbidden),
            (SocialWorker, mine_by_me, Action::ReturnDocument, forbidden),
            (SocialWorker, mine_by_me, Action::SignDocument, ok),
            (SocialWorker, mine_by_other, Action::EditDocument, ok),
            (SocialWorker, mine_by_me, Action::AmendDocument, ok),
            (SocialWorker, mine_by_me, Action::ViewDocument, ok),
            (SocialWorker, theirs, Action::ViewDocument, missing),
            (Manager, theirs, Action::EditDocument, forbidden),
            (Manager, theirs, Action::AmendDocument, forbidden),
            (Manager, theirs, Action::PrintDocument, ok),
            (Psychologist, theirs, Action::ViewDocument, ok),
            (Psychologist, theirs, Action::AddMonitoring, ok),
            (Psychologist, theirs, Action::EditDocument, forbidden),
            (CareerAdvisor, theirs, Action::PrintDocument, ok),
            (Instructor, theirs, Action::ViewDocument, missing),
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

    #[test]
    fn contracts_are_written_by_the_caseworker_and_only_read_by_the_specialists() {
        use Role::*;
        let mine = contract(ME, ME);
        let theirs = contract(OTHER, OTHER);
        let ok = Ok(());
        let forbidden = Err(Refusal::Forbidden);
        let missing = Err(Refusal::NotFound);
        // (role, contract, action, expected), written out from the rules.
        let table = [
            (SocialWorker, mine, Action::ViewDocument, ok),
            (SocialWorker, mine, Action::EditDocument, ok),
            (SocialWorker, mine, Action::SubmitDocument, ok),
            (SocialWorker, mine, Action::RecordRealization, ok),
            (SocialWorker, mine, Action::AddMonitoring, ok),
            (SocialWorker, mine, Action::EvaluateDocument, ok),
            (SocialWorker, mine, Action::SignDocument, ok),
            (SocialWorker, mine, Action::SignDocumentForCentre, forbidden),
            (SocialWorker, mine, Action::ApproveDocument, forbidden),
            (SocialWorker, theirs, Action::ViewDocument, missing),
            (SocialWorker, theirs, Action::RecordRealization, missing),
            (Manager, theirs, Action::ViewDocument, ok),
            (Manager, theirs, Action::PrintDocument, ok),
            (Manager, theirs, Action::ApproveDocument, ok),
            (Manager, theirs, Action::ReturnDocument, ok),
            (Manager, theirs, Action::SignDocumentForCentre, ok),
            (Manager, theirs, Action::SignDocument, ok),
            (Manager, theirs, Action::RecordRealization, forbidden),
            (Manager, theirs, Action::AddMonitoring, forbidden),
            (Manager, theirs, Action::EvaluateDocument, forbidden),
            (Manager, theirs, Action::EditDocument, forbidden),
            (Psychologist, theirs, Action::ViewDocument, ok),
            (Psychologist, theirs, Action::PrintDocument, ok),
            (Psychologist, theirs, Action::AddMonitoring, forbidden),
            (Psychologist, theirs, Action::RecordRealization, forbidden),
            (Psychologist, theirs, Action::EvaluateDocument, forbidden),
            (Psychologist, theirs, Action::EditDocument, forbidden),
            (Psychologist, theirs, Action::SignDocument, forbidden),
            (CareerAdvisor, theirs, Action::ViewDocument, ok),
            (CareerAdvisor, theirs, Action::AddMonitoring, forbidden),
            (CareerAdvisor, theirs, Action::RecordRealization, forbidden),
            (CareerAdvisor, theirs, Action::ApproveDocument, forbidden),
            (Instructor, theirs, Action::ViewDocument, missing),
            (Instructor, theirs, Action::PrintDocument, missing),
            (Instructor, theirs, Action::RecordRealization, missing),
            (Admin, theirs, Action::ViewDocument, missing),
        ];
        for (role, doc, action, want) in table {
            let actor = Actor { user_id: ME, role };
            assert_eq!(
                check(actor, action, Target::Document(&doc)),
                want,
                "{role:?} × {action:?} on a contract"
            );
        }
    }
}
