//! Workshops, attendance and the monthly benefit (issue 11).
//!
//! A workshop exists for everyone who works with participants, except an instructor who does
//! not run it (for them it answers 404, like a file outside their workshops). The manager runs
//! the centre's workshops, its calendar and the monthly close of the benefit. Attendance of a
//! group is kept by the manager, the workshop's instructors, and the social workers — each
//! social worker for the members of their own caseload only ([`attendance_rows`]).

use uuid::Uuid;

use super::{Action, Actor, Target};
use crate::domain::Role;

/// The facts about one workshop (already known to be in the actor's centre).
#[derive(Clone, Copy, Debug)]
pub struct WorkshopFacts {
    /// The workshop.
    pub workshop_id: Uuid,
    /// The actor is one of its instructors.
    pub instructs: bool,
}

/// Whether the workshop exists for `actor`.
pub(super) fn in_scope(actor: Actor, w: &WorkshopFacts) -> bool {
    match actor.role {
        Role::Instructor => w.instructs,
        Role::Admin | Role::Dpo => false,
        Role::Manager | Role::SocialWorker | Role::Psychologist | Role::CareerAdvisor => true,
    }
}

/// Which members of a group a person keeping its attendance sees and records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttendanceRows {
    /// Every member.
    All,
    /// The members whose social worker is this one.
    Caseload(Uuid),
}

/// The rows of a group's attendance `actor` keeps (asked after `RecordAttendance` is allowed).
pub fn attendance_rows(actor: Actor) -> AttendanceRows {
    match actor.role {
        Role::SocialWorker => AttendanceRows::Caseload(actor.user_id),
        Role::Manager
        | Role::Instructor
        | Role::Psychologist
        | Role::CareerAdvisor
        | Role::Admin
        | Role::Dpo => AttendanceRows::All,
    }
}

/// The attendance and benefit actions (the scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    let manager = actor.role == Role::Manager;
    match (action, target) {
        // The manager sets up workshops, instructors, members and the weekly programme.
        (Action::ManageWorkshops, Target::Centre | Target::Workshop(_)) => manager,
        // Attendance of a group: the manager, its instructors, the social workers.
        (Action::RecordAttendance, Target::Workshop(w)) => match actor.role {
            Role::Manager | Role::SocialWorker => true,
            Role::Instructor => w.instructs,
            Role::Psychologist | Role::CareerAdvisor | Role::Admin | Role::Dpo => false,
        },
        // One participant's attendance: whoever may open the file (its scope is checked).
        (Action::ViewParticipantAttendance, Target::Participant(_)) => {
            actor.role.works_with_participants()
        }
        // The statement of one participant's month: the manager and the social worker.
        (Action::ViewBenefitStatement, Target::Participant(p)) => {
            manager
                || (actor.role == Role::SocialWorker && p.social_worker_id == Some(actor.user_id))
        }
        // The monthly close, bonus decisions, the benefit rules and the lists for the PUP.
        (Action::ManageBenefits | Action::ExportBenefits, Target::Centre) => manager,
        _ => false,
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

    #[test]
    fn a_workshop_is_kept_by_the_manager_its_instructors_and_the_social_workers() {
        use Role::*;
        let mine = WorkshopFacts {
            workshop_id: OTHER,
            instructs: true,
        };
        let theirs = WorkshopFacts {
            workshop_id: OTHER,
            instructs: false,
        };
        // (role, workshop, record, manage)
        let table = [
            (Manager, theirs, Ok(()), Ok(())),
            (SocialWorker, theirs, Ok(()), Err(Refusal::Forbidden)),
            (Instructor, mine, Ok(()), Err(Refusal::Forbidden)),
            (
                Instructor,
                theirs,
                Err(Refusal::NotFound),
                Err(Refusal::NotFound),
            ),
            (
                Psychologist,
                theirs,
                Err(Refusal::Forbidden),
                Err(Refusal::Forbidden),
            ),
            (
                CareerAdvisor,
                theirs,
                Err(Refusal::Forbidden),
                Err(Refusal::Forbidden),
            ),
            (
                Admin,
                theirs,
                Err(Refusal::NotFound),
                Err(Refusal::NotFound),
            ),
        ];
        for (role, w, record, manage) in table {
            let a = actor(role);
            assert_eq!(
                check(a, Action::RecordAttendance, Target::Workshop(&w)),
                record,
                "{role:?}"
            );
            assert_eq!(
                check(a, Action::ManageWorkshops, Target::Workshop(&w)),
                manage,
                "{role:?}"
            );
        }
        assert_eq!(
            attendance_rows(actor(SocialWorker)),
            AttendanceRows::Caseload(ME)
        );
        assert_eq!(attendance_rows(actor(Instructor)), AttendanceRows::All);
    }

    #[test]
    fn a_statement_is_read_by_the_manager_and_the_participants_social_worker() {
        let p = |worker| ParticipantFacts {
            participant_id: OTHER,
            social_worker_id: Some(worker),
            status: Status::Participant,
            in_actor_workshop: true,
        };
        let statement = |role, worker| {
            check(
                actor(role),
                Action::ViewBenefitStatement,
                Target::Participant(&p(worker)),
            )
        };
        assert_eq!(statement(Role::Manager, OTHER), Ok(()));
        assert_eq!(statement(Role::SocialWorker, ME), Ok(()));
        assert_eq!(statement(Role::SocialWorker, OTHER), Err(Refusal::NotFound));
        assert_eq!(statement(Role::Instructor, OTHER), Err(Refusal::Forbidden));
        let calendar = check(
            actor(Role::Instructor),
            Action::ViewParticipantAttendance,
            Target::Participant(&p(OTHER)),
        );
        assert_eq!(calendar, Ok(()));
    }
}
