//! The policy's tables: actions without a participant, and the gates.

use super::*;

fn actor(role: Role) -> Actor {
    Actor {
        user_id: Uuid::from_u128(1),
        role,
    }
}

/// Function-level table: (action, roles allowed) for actions without a participant.
fn expected_centre(action: Action) -> &'static [Role] {
    use Role::*;
    match action {
        Action::ViewHome | Action::ChangeOwnPassword | Action::ManageOwnSecondFactor => &[
            Admin,
            Manager,
            SocialWorker,
            Psychologist,
            CareerAdvisor,
            Instructor,
            Dpo,
        ],
        Action::ViewStaff
        | Action::CreateStaff
        | Action::ChangeStaffRole
        | Action::SetStaffActive
        | Action::ResetStaffPassword
        | Action::UnlockStaff
        | Action::ResetStaffSecondFactor => &[Admin],
        Action::ListParticipants => &[
            Manager,
            SocialWorker,
            Psychologist,
            CareerAdvisor,
            Instructor,
        ],
        Action::RegisterParticipant => &[Manager, SocialWorker],
        Action::ViewStaffAccessLog | Action::ViewRetention => &[Manager, Dpo],
        Action::EditCentreSettings
        | Action::AssignSocialWorker
        | Action::ManageWorkshops
        | Action::ManageBenefits
        | Action::ExportBenefits
        | Action::ViewEffectivenessReport
        | Action::ExportEffectivenessReport
        | Action::ManageRetention
        | Action::ViewAnnualReport
        | Action::PrepareAnnualReport
        | Action::ExportAnnualReport => &[Manager],
        Action::ViewFollowUps => &[Manager, SocialWorker],
        Action::SearchAuditLog | Action::ExportAuditLog | Action::ViewAuditReports => &[Dpo],
        // Participant and document actions need their object: denied without one.
        _ => &[],
    }
}

#[test]
fn actions_without_a_participant_match_the_table() {
    for action in Action::ALL {
        for role in Role::ALL {
            let allowed = check(actor(role), action, Target::Centre).is_ok();
            assert_eq!(
                allowed,
                expected_centre(action).contains(&role),
                "{role:?} × {action:?}"
            );
        }
    }
}

#[test]
fn every_gate_lets_in_exactly_the_roles_it_names() {
    use Role::*;
    let everyone = &Role::ALL[..];
    let staff = &[
        Manager,
        SocialWorker,
        Psychologist,
        CareerAdvisor,
        Instructor,
    ][..];
    // (gate, roles let in, what the others get)
    let table = [
        (Gate::Anyone, everyone, Refusal::Forbidden),
        (Gate::Staff, everyone, Refusal::Forbidden),
        (Gate::Admin, &[Admin][..], Refusal::Forbidden),
        (Gate::ParticipantWork, staff, Refusal::Forbidden),
        (Gate::ParticipantFile, staff, Refusal::NotFound),
    ];
    for (g, allowed, refusal) in table {
        for role in Role::ALL {
            let want = if allowed.contains(&role) {
                Ok(())
            } else {
                Err(refusal)
            };
            assert_eq!(gate(role, g), want, "{role:?} × {g:?}");
        }
    }
}
