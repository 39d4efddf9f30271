//! The table tests of the participant rules: scope, list, caseload, fields, actions.
use super::super::{Refusal, check};
use super::*;

const ME: Uuid = Uuid::from_u128(1);
const OTHER: Uuid = Uuid::from_u128(2);

fn actor(role: Role) -> Actor {
    Actor { user_id: ME, role }
}

fn participant(worker: Option<Uuid>, status: Status, workshop: bool) -> ParticipantFacts {
    ParticipantFacts {
        participant_id: Uuid::from_u128(99),
        social_worker_id: worker,
        status,
        in_actor_workshop: workshop,
    }
}

#[test]
fn the_list_scope_agrees_with_who_sees_a_file() {
    for role in Role::ALL {
        let scope = list_scope(actor(role));
        for status in Status::ALL {
            for workshop in [false, true] {
                let p = participant(Some(ME), status, workshop);
                let listed = match scope {
                    ListScope::Nobody => false,
                    ListScope::Centre => true,
                    ListScope::Caseload(id) => p.social_worker_id == Some(id),
                    ListScope::Active => status.is_active(),
                    ListScope::WorkshopsOf(id) => id == ME && workshop,
                };
                assert_eq!(
                    listed,
                    sees_participant(actor(role), &p),
                    "{role:?} {status:?}"
                );
            }
        }
    }
    // Social workers list others by name and status only.
    assert_eq!(
        row_view(actor(Role::SocialWorker), Some(OTHER)),
        RowView::NameAndStatus
    );
    assert_eq!(
        row_view(actor(Role::SocialWorker), None),
        RowView::NameAndStatus
    );
    assert_eq!(row_view(actor(Role::SocialWorker), Some(ME)), RowView::Full);
    assert_eq!(row_view(actor(Role::Manager), Some(OTHER)), RowView::Full);
}

/// (actor, requested, by workshop, by category, by PESEL) → result
type Row = (
    Actor,
    Option<CaseloadFilter>,
    bool,
    Option<Category>,
    bool,
    Result<CaseloadFilter, FilterRefusal>,
);

#[test]
fn the_file_scope_is_exactly_who_sees_a_file_and_what_they_see_of_it() {
    for role in Role::ALL {
        let scope = file_scope(actor(role));
        for status in Status::ALL {
            for worker in [Some(ME), Some(OTHER), None] {
                for workshop in [false, true] {
                    let p = participant(worker, status, workshop);
                    let opens = match scope {
                        ListScope::Nobody => false,
                        ListScope::Centre => true,
                        ListScope::Caseload(id) => worker == Some(id),
                        ListScope::Active => status.is_active(),
                        ListScope::WorkshopsOf(id) => id == ME && workshop,
                    };
                    let sees = sees_participant(actor(role), &p);
                    assert_eq!(opens, sees, "{role:?} {status:?} {worker:?} {workshop}");
                    if sees {
                        assert_eq!(
                            Visibility::within_scope(actor(role)).fields(),
                            Visibility::of(actor(role), &p).fields()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn requests_are_narrowed_to_what_the_role_may_see() {
    use CaseloadFilter::*;
    let sw = actor(Role::SocialWorker);
    let narrow =
        |a, req, workshop, category, pesel| narrow_caseload(a, req, workshop, category, pesel);
    // (actor, requested, by workshop, by category, by PESEL) → result
    let table: &[Row] = &[
        (sw, None, false, None, false, Ok(Own)),
        (sw, Some(Any), false, None, false, Ok(Any)),
        (sw, Some(Own), false, None, false, Ok(Own)),
        (
            sw,
            Some(Unassigned),
            false,
            None,
            false,
            Err(FilterRefusal::Caseload),
        ),
        (
            sw,
            Some(Of(OTHER)),
            false,
            None,
            false,
            Err(FilterRefusal::Caseload),
        ),
        (sw, Some(Any), true, None, false, Ok(Own)),
        (
            sw,
            Some(Any),
            false,
            Some(Category::Alcohol),
            false,
            Ok(Own),
        ),
        (sw, Some(Any), false, None, true, Ok(Own)),
        (
            actor(Role::Manager),
            None,
            true,
            Some(Category::Prison),
            true,
            Ok(Any),
        ),
        (
            actor(Role::Manager),
            Some(Unassigned),
            false,
            None,
            false,
            Ok(Unassigned),
        ),
        (
            actor(Role::Psychologist),
            None,
            false,
            Some(Category::Alcohol),
            false,
            Ok(Any),
        ),
        (
            actor(Role::Psychologist),
            None,
            false,
            Some(Category::Prison),
            false,
            Err(FilterRefusal::Category),
        ),
        (
            actor(Role::Instructor),
            None,
            false,
            Some(Category::LongTermUnemployed),
            false,
            Err(FilterRefusal::Category),
        ),
    ];
    for (a, req, workshop, category, pesel, want) in table {
        assert_eq!(
            narrow(*a, *req, *workshop, *category, *pesel),
            *want,
            "{:?} {req:?} {workshop} {category:?} {pesel}",
            a.role
        );
    }
}

#[test]
fn visibility_reveals_only_allowed_parts() {
    let p = participant(Some(OTHER), Status::Participant, true);
    let v = Visibility::of(actor(Role::Instructor), &p);
    assert_eq!(v.reveal(Field::Personal, || "PESEL"), None);
    assert_eq!(
        v.reveal(Field::Contact, || "601 234 567"),
        Some("601 234 567")
    );
    for role in [Role::Admin, Role::Dpo] {
        assert!(Visibility::of(actor(role), &p).fields().is_empty());
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
        assert!(!sees_participant(actor(Role::Dpo), p));
    }
}

#[test]
fn only_the_manager_moves_participants_beyond_the_reserve_list() {
    let mine = participant(Some(ME), Status::Reserve, true);
    let manager_only = |action| {
        matches!(
            action,
            Action::AdmitParticipant
                | Action::ConfirmParticipant
                | Action::GraduateParticipant
                | Action::TerminateParticipant
                | Action::ExtendParticipation
                | Action::AssignSocialWorker
        )
    };
    for action in Action::ALL.into_iter().filter(|a| manager_only(*a)) {
        for role in Role::ALL {
            let allowed = check(actor(role), action, Target::Participant(&mine)).is_ok();
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
        for (role, target, allowed) in [
            (Role::Manager, &theirs, true),
            (Role::SocialWorker, &mine, true),
            (Role::SocialWorker, &theirs, false),
            (Role::Psychologist, &mine, false),
            (Role::CareerAdvisor, &mine, false),
            (Role::Instructor, &mine, false),
            (Role::Admin, &mine, false),
        ] {
            let outcome = check(actor(role), action, Target::Participant(target));
            assert_eq!(outcome.is_ok(), allowed, "{role:?} × {action:?}");
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
    assert!(sees(Role::Instructor, Field::Contact) && sees(Role::Instructor, Field::Participation));
    assert!(visible_fields(actor(Role::Admin), &p).is_empty());
    assert!(visible_fields(actor(Role::Dpo), &p).is_empty());
    assert!(sees(Role::Manager, Field::FileAudit) && !sees(Role::SocialWorker, Field::FileAudit));
    let theirs = participant(Some(OTHER), Status::Participant, false);
    assert!(visible_fields(actor(Role::SocialWorker), &theirs).is_empty());
    assert!(!may_search_by_pesel(Role::Instructor) && !may_search_by_pesel(Role::Admin));
    assert!(!may_search_by_pesel(Role::Dpo));
    assert!(may_search_by_pesel(Role::Manager) && may_search_by_pesel(Role::Psychologist));
}

#[test]
fn only_the_manager_sees_who_opened_a_file() {
    let mine = participant(Some(ME), Status::Participant, true);
    for role in Role::ALL {
        let allowed = check(
            actor(role),
            Action::ViewAccessLog,
            Target::Participant(&mine),
        );
        let expected = match role {
            Role::Manager => Ok(()),
            // Those who may open the file are refused the log; the rest never find the file.
            Role::SocialWorker | Role::Psychologist | Role::CareerAdvisor | Role::Instructor => {
                Err(Refusal::Forbidden)
            }
            Role::Admin | Role::Dpo => Err(Refusal::NotFound),
        };
        assert_eq!(allowed, expected, "{role:?}");
    }
    assert_eq!(
        Field::from_code("categories.health"),
        Some(Field::CategoriesHealth)
    );
    assert!(
        Field::ALL
            .iter()
            .all(|f| Field::from_code(f.code()) == Some(*f))
    );
}

#[test]
fn case_notes_are_read_written_and_corrected_per_the_table() {
    use NoteAccess::{Hidden as H, Marker as M, Read as R};
    use NoteVisibility::{Psychologist as Psy, SocialWork as Sw, Team};
    // A participant every role but the administrator may open.
    let p = participant(Some(ME), Status::Participant, true);
    // role → what it sees of a note for the team, for social work, for the psychologist;
    // the visibilities it may give a note it writes.
    let table: [(Role, [NoteAccess; 3], &[NoteVisibility]); 7] = [
        (Role::Manager, [R, R, M], &[Team, Sw]),
        (Role::SocialWorker, [R, R, H], &[Team, Sw]),
        (Role::Psychologist, [R, H, R], &[Team, Psy]),
        (Role::CareerAdvisor, [R, H, H], &[Team]),
        (Role::Instructor, [R, H, H], &[Team]),
        (Role::Admin, [H, H, H], &[]),
        (Role::Dpo, [H, H, H], &[]),
    ];
    for (role, access, choices) in table {
        let sees = Visibility::of(actor(role), &p);
        for (visibility, want) in [Team, Sw, Psy].into_iter().zip(access) {
            assert_eq!(sees.note(visibility), want, "{role:?} × {visibility:?}");
        }
        assert_eq!(sees.note_choices(), choices, "{role:?}");
        let adds = check(actor(role), Action::AddCaseNote, Target::Participant(&p));
        let want = if !role.works_with_participants() {
            Err(Refusal::NotFound)
        } else {
            Ok(())
        };
        assert_eq!(adds, want, "{role:?}");
        // Only the author corrects, and only a note they still read.
        for visibility in [Team, Sw, Psy] {
            let reads = sees.note(visibility) == R;
            assert_eq!(
                may_correct_note(actor(role), &sees, ME, visibility),
                reads,
                "{role:?} × {visibility:?}"
            );
            assert!(!may_correct_note(actor(role), &sees, OTHER, visibility));
        }
    }
    // A social worker's view of another's participant: no file, so no notes.
    let theirs = participant(Some(OTHER), Status::Participant, false);
    let sw = Visibility::of(actor(Role::SocialWorker), &theirs);
    assert_eq!(sw.note(Team), H);
    assert_eq!(
        check(
            actor(Role::SocialWorker),
            Action::AddCaseNote,
            Target::Participant(&theirs)
        ),
        Err(Refusal::NotFound)
    );
}
