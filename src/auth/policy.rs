//! Authorization: one place answers "may this actor do this action?".
//!
//! `authorize` denies by default: every `Action` is matched explicitly and there is no arm that
//! allows "everything else". Object scope (centre, caseload) is enforced by the queries, which
//! only ever load objects of the actor's centre, so an object outside the scope answers 404
//! exactly like a missing one. Adding an `Action` forces a decision here (the match is total) and
//! a row in the unit test below.

use uuid::Uuid;

use crate::domain::{Role, Status};

/// Something a signed-in user asks to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// See the home page (the inbox of one's role).
    ViewHome,
    /// Change one's own password.
    ChangeOwnPassword,
    /// List and open staff accounts of the centre.
    ViewStaff,
    /// Create a staff account.
    CreateStaff,
    /// Change the role of a staff account.
    ChangeStaffRole,
    /// Deactivate or reactivate a staff account.
    SetStaffActive,
    /// Issue a new one-time password for a staff account.
    ResetStaffPassword,
    /// Lift the temporary login lock of an account.
    UnlockStaff,
    /// See the participant list and search it.
    ListParticipants,
    /// Register a candidate.
    RegisterParticipant,
    /// Open a participant's file.
    ViewParticipant,
    /// Edit identity, contact, referral and eligibility data.
    EditParticipant,
    /// Candidate → reserve list.
    MoveToReserve,
    /// Reserve list → trial period (admission, with the OPS head's agreement).
    AdmitParticipant,
    /// Trial period → participant.
    ConfirmParticipant,
    /// → graduate.
    GraduateParticipant,
    /// → terminated.
    TerminateParticipant,
    /// Extend the planned end of participation.
    ExtendParticipation,
    /// Assign or reassign the social worker.
    AssignSocialWorker,
    /// Add a document to the recruitment file.
    AddRecruitmentDocument,
    /// Place the participant in a workshop.
    AssignWorkshop,
}

impl Action {
    /// Every action, for the policy table test.
    pub const ALL: [Action; 21] = [
        Action::ViewHome,
        Action::ChangeOwnPassword,
        Action::ViewStaff,
        Action::CreateStaff,
        Action::ChangeStaffRole,
        Action::SetStaffActive,
        Action::ResetStaffPassword,
        Action::UnlockStaff,
        Action::ListParticipants,
        Action::RegisterParticipant,
        Action::ViewParticipant,
        Action::EditParticipant,
        Action::MoveToReserve,
        Action::AdmitParticipant,
        Action::ConfirmParticipant,
        Action::GraduateParticipant,
        Action::TerminateParticipant,
        Action::ExtendParticipation,
        Action::AssignSocialWorker,
        Action::AddRecruitmentDocument,
        Action::AssignWorkshop,
    ];

    /// Stable name used in audit rows.
    pub fn code(self) -> &'static str {
        match self {
            Action::ViewHome => "home.view",
            Action::ChangeOwnPassword => "account.change_password",
            Action::ViewStaff => "staff.view",
            Action::CreateStaff => "staff.create",
            Action::ChangeStaffRole => "staff.change_role",
            Action::SetStaffActive => "staff.set_active",
            Action::ResetStaffPassword => "staff.reset_password",
            Action::UnlockStaff => "staff.unlock",
            Action::ListParticipants => "participant.list",
            Action::RegisterParticipant => "participant.register",
            Action::ViewParticipant => "participant.view",
            Action::EditParticipant => "participant.edit",
            Action::MoveToReserve => "participant.status.reserve",
            Action::AdmitParticipant => "participant.status.trial",
            Action::ConfirmParticipant => "participant.status.participant",
            Action::GraduateParticipant => "participant.status.graduate",
            Action::TerminateParticipant => "participant.status.terminated",
            Action::ExtendParticipation => "participant.extend",
            Action::AssignSocialWorker => "participant.assign_social_worker",
            Action::AddRecruitmentDocument => "participant.add_document",
            Action::AssignWorkshop => "participant.assign_workshop",
        }
    }
}

/// The facts about the actor the policy needs.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    /// The actor's account.
    pub user_id: Uuid,
    /// The actor's role in their centre.
    pub role: Role,
}

/// The facts about one participant (already known to be in the actor's centre).
#[derive(Clone, Copy, Debug)]
pub struct ParticipantFacts {
    /// The assigned social worker.
    pub social_worker_id: Option<Uuid>,
    /// Current status.
    pub status: Status,
    /// The participant is in a workshop the actor runs as instructor.
    pub in_actor_workshop: bool,
}

/// What an action is done to.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// Nothing in particular (a list, a form for something new).
    Centre,
    /// One participant of the actor's centre.
    Participant(&'a ParticipantFacts),
}

/// The policy said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied;

fn caseworker(actor: Actor, target: Target<'_>) -> bool {
    matches!(target, Target::Participant(p) if actor.role == Role::SocialWorker && p.social_worker_id == Some(actor.user_id))
}

/// Whether the participant is within the actor's scope at all. Outside the scope the file
/// answers 404, exactly like a participant that does not exist.
pub fn sees_participant(actor: Actor, participant: &ParticipantFacts) -> bool {
    match actor.role {
        Role::Manager => true,
        Role::SocialWorker => participant.social_worker_id == Some(actor.user_id),
        Role::Psychologist | Role::CareerAdvisor => participant.status.is_active(),
        Role::Instructor => participant.in_actor_workshop,
        Role::Admin => false,
    }
}

/// Decides whether `actor` may perform `action` on `target`. Deny by default: no wildcard
/// allows, and participant actions without a participant are denied.
pub fn authorize(actor: Actor, action: Action, target: Target<'_>) -> Result<(), Denied> {
    let in_scope = match target {
        Target::Participant(p) => sees_participant(actor, p),
        Target::Centre => false,
    };
    let manager = actor.role == Role::Manager;
    let allowed = match action {
        // Every signed-in role has a home page and its own password.
        Action::ViewHome | Action::ChangeOwnPassword => true,
        // Staff administration belongs to the administrator alone.
        Action::ViewStaff
        | Action::CreateStaff
        | Action::ChangeStaffRole
        | Action::SetStaffActive
        | Action::ResetStaffPassword
        | Action::UnlockStaff => actor.role == Role::Admin,
        // Everyone working with participants has a list (scoped by role in the query).
        Action::ListParticipants => matches!(
            actor.role,
            Role::Manager
                | Role::SocialWorker
                | Role::Psychologist
                | Role::CareerAdvisor
                | Role::Instructor
        ),
        Action::RegisterParticipant => matches!(actor.role, Role::Manager | Role::SocialWorker),
        Action::ViewParticipant => in_scope,
        // The manager and the participant's own social worker keep the file.
        Action::EditParticipant
        | Action::MoveToReserve
        | Action::AddRecruitmentDocument
        | Action::AssignWorkshop => in_scope && (manager || caseworker(actor, target)),
        // The manager alone admits, graduates, terminates, extends and assigns caseloads.
        Action::AdmitParticipant
        | Action::ConfirmParticipant
        | Action::GraduateParticipant
        | Action::TerminateParticipant
        | Action::ExtendParticipation
        | Action::AssignSocialWorker => in_scope && manager,
    };
    if allowed { Ok(()) } else { Err(Denied) }
}

/// Parts of a participant's file, for field-level access (SECURITY.md 8.2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// PESEL, birth date, sex, document number, address, responsible OPS.
    Personal,
    /// Phone.
    Contact,
    /// Who applied and referred, consent, the art. 1 ust. 3 declaration.
    Referral,
    /// Eligibility categories that are ordinary personal data.
    CategoriesGeneral,
    /// Categories revealing health, addiction, mental illness, disability, homelessness (art. 9).
    CategoriesHealth,
    /// The category revealing a prison record (art. 10).
    CategoriesCriminal,
    /// Admission, trial, planned end, extensions.
    Participation,
    /// Status history with reasons, graduation and termination details.
    StatusHistory,
    /// The recruitment documents.
    RecruitmentDocuments,
    /// Who viewed the file.
    FileAudit,
}

/// Who, for the field table: the social worker counts only for their own caseload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reader {
    Manager,
    Caseworker,
    Psychologist,
    CareerAdvisor,
    Instructor,
}

use Reader::{
    CareerAdvisor as Ca, Caseworker as Cw, Instructor as In, Manager as Mg, Psychologist as Ps,
};

/// The field-level rule table: who may read each part of a file they can open. Instructors
/// never see health, addiction or prison data; only the manager and the caseworker see the
/// prison record (it is not shared with the psychologist or career advisor).
const FIELD_RULES: &[(Field, &[Reader])] = &[
    (Field::Personal, &[Mg, Cw, Ps, Ca]),
    (Field::Contact, &[Mg, Cw, Ps, Ca, In]),
    (Field::Referral, &[Mg, Cw]),
    (Field::CategoriesGeneral, &[Mg, Cw, Ps, Ca]),
    (Field::CategoriesHealth, &[Mg, Cw, Ps, Ca]),
    (Field::CategoriesCriminal, &[Mg, Cw]),
    (Field::Participation, &[Mg, Cw, Ps, Ca, In]),
    (Field::StatusHistory, &[Mg, Cw]),
    (Field::RecruitmentDocuments, &[Mg, Cw]),
    (Field::FileAudit, &[Mg]),
];

/// The parts of the file `actor` may read; empty when the file is outside their scope.
pub fn visible_fields(actor: Actor, participant: &ParticipantFacts) -> Vec<Field> {
    if !sees_participant(actor, participant) {
        return Vec::new();
    }
    let reader = match actor.role {
        Role::Manager => Mg,
        Role::SocialWorker => Cw,
        Role::Psychologist => Ps,
        Role::CareerAdvisor => Ca,
        Role::Instructor => In,
        Role::Admin => return Vec::new(),
    };
    FIELD_RULES
        .iter()
        .filter(|(_, readers)| readers.contains(&reader))
        .map(|(field, _)| *field)
        .collect()
}

/// Whether a role may search by PESEL: a prefix that finds someone confirms digits of their
/// PESEL, so only roles that read personal data (`Field::Personal`) may (a social worker within
/// their caseload, which the query enforces).
pub fn may_search_by_pesel(role: Role) -> bool {
    let reader = match role {
        Role::Manager => Mg,
        Role::SocialWorker => Cw,
        Role::Psychologist => Ps,
        Role::CareerAdvisor => Ca,
        Role::Instructor => In,
        Role::Admin => return false,
    };
    FIELD_RULES
        .iter()
        .any(|(field, readers)| *field == Field::Personal && readers.contains(&reader))
}

impl Field {
    /// Name used in audit rows ("what was shown").
    pub fn code(self) -> &'static str {
        match self {
            Field::Personal => "personal",
            Field::Contact => "contact",
            Field::Referral => "referral",
            Field::CategoriesGeneral => "categories.general",
            Field::CategoriesHealth => "categories.health",
            Field::CategoriesCriminal => "categories.criminal",
            Field::Participation => "participation",
            Field::StatusHistory => "status_history",
            Field::RecruitmentDocuments => "recruitment_documents",
            Field::FileAudit => "file_audit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: Uuid = Uuid::from_u128(1);
    const OTHER: Uuid = Uuid::from_u128(2);

    fn actor(role: Role) -> Actor {
        Actor { user_id: ME, role }
    }

    fn participant(worker: Option<Uuid>, status: Status, workshop: bool) -> ParticipantFacts {
        ParticipantFacts {
            social_worker_id: worker,
            status,
            in_actor_workshop: workshop,
        }
    }

    /// Function-level table: (action, roles allowed) for actions without a participant.
    fn expected_centre(action: Action) -> &'static [Role] {
        use Role::*;
        match action {
            Action::ViewHome | Action::ChangeOwnPassword => &[
                Admin,
                Manager,
                SocialWorker,
                Psychologist,
                CareerAdvisor,
                Instructor,
            ],
            Action::ViewStaff
            | Action::CreateStaff
            | Action::ChangeStaffRole
            | Action::SetStaffActive
            | Action::ResetStaffPassword
            | Action::UnlockStaff => &[Admin],
            Action::ListParticipants => &[
                Manager,
                SocialWorker,
                Psychologist,
                CareerAdvisor,
                Instructor,
            ],
            Action::RegisterParticipant => &[Manager, SocialWorker],
            // Participant actions need a participant: denied without one.
            _ => &[],
        }
    }

    #[test]
    fn actions_without_a_participant_match_the_table() {
        for action in Action::ALL {
            for role in Role::ALL {
                let allowed = authorize(actor(role), action, Target::Centre).is_ok();
                assert_eq!(
                    allowed,
                    expected_centre(action).contains(&role),
                    "{role:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn participant_scope_per_role() {
        let mine = participant(Some(ME), Status::Candidate, false);
        let theirs = participant(Some(OTHER), Status::Participant, false);
        let in_workshop = participant(Some(OTHER), Status::Participant, true);
        let candidate = participant(Some(OTHER), Status::Candidate, true);
        assert!(sees_participant(actor(Role::Manager), &theirs));
        assert!(sees_participant(actor(Role::SocialWorker), &mine));
        assert!(!sees_participant(actor(Role::SocialWorker), &theirs));
        assert!(sees_participant(actor(Role::Psychologist), &theirs));
        assert!(
            !sees_participant(actor(Role::Psychologist), &mine),
            "candidates are not active"
        );
        assert!(sees_participant(actor(Role::CareerAdvisor), &theirs));
        assert!(!sees_participant(actor(Role::Instructor), &theirs));
        assert!(sees_participant(actor(Role::Instructor), &in_workshop));
        assert!(sees_participant(actor(Role::Instructor), &candidate));
        for p in [&mine, &theirs, &in_workshop] {
            assert!(!sees_participant(actor(Role::Admin), p));
        }
    }

    #[test]
    fn only_the_manager_moves_participants_beyond_the_reserve_list() {
        let mine = participant(Some(ME), Status::Reserve, true);
        for action in [
            Action::AdmitParticipant,
            Action::ConfirmParticipant,
            Action::GraduateParticipant,
            Action::TerminateParticipant,
            Action::ExtendParticipation,
            Action::AssignSocialWorker,
        ] {
            for role in Role::ALL {
                let allowed = authorize(actor(role), action, Target::Participant(&mine)).is_ok();
                assert_eq!(allowed, role == Role::Manager, "{role:?} × {action:?}");
            }
        }
    }

    #[test]
    fn the_caseworker_and_the_manager_keep_the_file() {
        let mine = participant(Some(ME), Status::Participant, true);
        let theirs = participant(Some(OTHER), Status::Participant, true);
        for action in [
            Action::EditParticipant,
            Action::MoveToReserve,
            Action::AddRecruitmentDocument,
            Action::AssignWorkshop,
        ] {
            assert!(authorize(actor(Role::Manager), action, Target::Participant(&theirs)).is_ok());
            assert!(
                authorize(
                    actor(Role::SocialWorker),
                    action,
                    Target::Participant(&mine)
                )
                .is_ok()
            );
            assert!(
                authorize(
                    actor(Role::SocialWorker),
                    action,
                    Target::Participant(&theirs)
                )
                .is_err()
            );
            for role in [
                Role::Psychologist,
                Role::CareerAdvisor,
                Role::Instructor,
                Role::Admin,
            ] {
                assert!(
                    authorize(actor(role), action, Target::Participant(&mine)).is_err(),
                    "{role:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn special_category_fields_follow_the_rule_table() {
        let p = participant(Some(ME), Status::Participant, true);
        let sees = |role: Role, field: Field| visible_fields(actor(role), &p).contains(&field);
        for role in [Role::Manager, Role::SocialWorker] {
            assert!(sees(role, Field::CategoriesHealth) && sees(role, Field::CategoriesCriminal));
        }
        for role in [Role::Psychologist, Role::CareerAdvisor] {
            assert!(sees(role, Field::CategoriesHealth), "{role:?}");
            assert!(!sees(role, Field::CategoriesCriminal), "{role:?}");
            assert!(!sees(role, Field::Referral), "{role:?}");
        }
        for field in [
            Field::CategoriesGeneral,
            Field::CategoriesHealth,
            Field::CategoriesCriminal,
            Field::Personal,
            Field::Referral,
        ] {
            assert!(!sees(Role::Instructor, field), "{field:?}");
        }
        assert!(
            sees(Role::Instructor, Field::Contact) && sees(Role::Instructor, Field::Participation)
        );
        assert!(visible_fields(actor(Role::Admin), &p).is_empty());
        assert!(
            sees(Role::Manager, Field::FileAudit) && !sees(Role::SocialWorker, Field::FileAudit)
        );
        let theirs = participant(Some(OTHER), Status::Participant, false);
        assert!(visible_fields(actor(Role::SocialWorker), &theirs).is_empty());
        assert!(!may_search_by_pesel(Role::Instructor) && !may_search_by_pesel(Role::Admin));
        assert!(may_search_by_pesel(Role::Manager) && may_search_by_pesel(Role::Psychologist));
    }
}
