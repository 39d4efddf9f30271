//! Who sees which participants and which parts of their files, and who may change them.
//!
//! The scope: the manager sees every participant of the centre; a social worker their own
//! caseload (and everyone else only by name and status in the list); the psychologist and the
//! career advisor the active participants; an instructor the members of their workshops; the
//! administrator nobody. The field table below says which parts of a file each reader sees.

use uuid::Uuid;

use super::{Action, Actor, Target};
use crate::domain::{Category, Role, Sensitivity, Status};

/// The facts about one participant (already known to be in the actor's centre).
#[derive(Clone, Copy, Debug)]
pub struct ParticipantFacts {
    /// The participant.
    pub participant_id: Uuid,
    /// The assigned social worker.
    pub social_worker_id: Option<Uuid>,
    /// Current status.
    pub status: Status,
    /// The participant is in a workshop the actor runs as instructor.
    pub in_actor_workshop: bool,
}

fn caseworker(actor: Actor, p: &ParticipantFacts) -> bool {
    actor.role == Role::SocialWorker && p.social_worker_id == Some(actor.user_id)
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

/// The participant actions (the scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    let manager = actor.role == Role::Manager;
    match (action, target) {
        // Everyone working with participants has a list (scoped by `list_scope`).
        (Action::ListParticipants, _) => actor.role != Role::Admin,
        (Action::RegisterParticipant, _) => {
            matches!(actor.role, Role::Manager | Role::SocialWorker)
        }
        (Action::ViewParticipant, Target::Participant(_)) => true,
        // The manager and the participant's own social worker keep the file.
        (
            Action::EditParticipant
            | Action::MoveToReserve
            | Action::AddRecruitmentDocument
            | Action::AssignWorkshop,
            Target::Participant(p),
        ) => manager || caseworker(actor, p),
        // The manager alone admits, graduates, terminates, extends and assigns caseloads.
        (
            Action::AdmitParticipant
            | Action::ConfirmParticipant
            | Action::GraduateParticipant
            | Action::TerminateParticipant
            | Action::ExtendParticipation
            | Action::AssignSocialWorker,
            Target::Participant(_),
        ) => manager,
        // Participant actions need a participant; other actions are not decided here.
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The list

/// The rows a role's list and search may contain, as the query turns it into SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListScope {
    /// Nobody (the administrator).
    Nobody,
    /// Every participant of the centre (the manager; a social worker, who sees others' rows
    /// only by name and status, see [`row_view`]).
    Centre,
    /// Participants in the trial period or the programme.
    Active,
    /// Current members of the workshops this instructor runs.
    WorkshopsOf(Uuid),
}

/// The list scope of `actor` (the same rule as [`sees_participant`], except that social workers
/// list every participant of the centre by name and status).
pub fn list_scope(actor: Actor) -> ListScope {
    match actor.role {
        Role::Manager | Role::SocialWorker => ListScope::Centre,
        Role::Psychologist | Role::CareerAdvisor => ListScope::Active,
        Role::Instructor => ListScope::WorkshopsOf(actor.user_id),
        Role::Admin => ListScope::Nobody,
    }
}

/// How much of a list row is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowView {
    /// Everything the list shows, with a link to the file.
    Full,
    /// Name and status only, no link (another social worker's participant).
    NameAndStatus,
}

/// How much of the row of a participant with `social_worker_id` the actor's list shows.
pub fn row_view(actor: Actor, social_worker_id: Option<Uuid>) -> RowView {
    if actor.role == Role::SocialWorker && social_worker_id != Some(actor.user_id) {
        RowView::NameAndStatus
    } else {
        RowView::Full
    }
}

/// Whose participants a list or search request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseloadFilter {
    /// Everyone in the scope.
    Any,
    /// The actor's own caseload.
    Own,
    /// Participants without a social worker.
    Unassigned,
    /// One social worker's caseload.
    Of(Uuid),
}

/// Why a list request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterRefusal {
    /// Who looks after whom is not a social worker's business beyond their own caseload.
    Caseload,
    /// Filtering by this category would reveal data the actor may not see.
    Category,
}

/// The caseload a request may show. `requested` is what the user asked for (`None`: nothing,
/// the role's default); a filter by workshop, by a category or a PESEL search reveals what
/// only the caseworker sees, so for a social worker it narrows to their own caseload.
pub fn narrow_caseload(
    actor: Actor,
    requested: Option<CaseloadFilter>,
    by_workshop: bool,
    by_category: Option<Category>,
    by_pesel: bool,
) -> Result<CaseloadFilter, FilterRefusal> {
    if let Some(category) = by_category
        && !filterable_categories(actor.role).contains(&category)
    {
        return Err(FilterRefusal::Category);
    }
    if actor.role != Role::SocialWorker {
        return Ok(requested.unwrap_or(CaseloadFilter::Any));
    }
    match requested {
        Some(CaseloadFilter::Unassigned | CaseloadFilter::Of(_)) => Err(FilterRefusal::Caseload),
        _ if by_workshop || by_category.is_some() || by_pesel => Ok(CaseloadFilter::Own),
        None | Some(CaseloadFilter::Own) => Ok(CaseloadFilter::Own),
        Some(CaseloadFilter::Any) => Ok(CaseloadFilter::Any),
    }
}

/// The categories a role may filter the list by (filtering by a category reveals it).
pub fn filterable_categories(role: Role) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| match (role, c.sensitivity()) {
            (Role::Manager | Role::SocialWorker, _) => true,
            (Role::Psychologist | Role::CareerAdvisor, s) => s != Sensitivity::Criminal,
            (Role::Instructor | Role::Admin, _) => false,
        })
        .collect()
}

/// Whether a role may search by PESEL: a prefix that finds someone confirms digits of their
/// PESEL, so only roles that read personal data (`Field::Personal`) may (a social worker within
/// their caseload, see [`narrow_caseload`]).
pub fn may_search_by_pesel(role: Role) -> bool {
    reader(role).is_some_and(|r| readers(Field::Personal).contains(&r))
}

// ---------------------------------------------------------------------------------------------
// The file

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

    /// The field that covers categories of this sensitivity.
    pub fn for_categories(sensitivity: Sensitivity) -> Field {
        match sensitivity {
            Sensitivity::General => Field::CategoriesGeneral,
            Sensitivity::Health => Field::CategoriesHealth,
            Sensitivity::Criminal => Field::CategoriesCriminal,
        }
    }
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

fn reader(role: Role) -> Option<Reader> {
    match role {
        Role::Manager => Some(Mg),
        Role::SocialWorker => Some(Cw),
        Role::Psychologist => Some(Ps),
        Role::CareerAdvisor => Some(Ca),
        Role::Instructor => Some(In),
        Role::Admin => None,
    }
}

fn readers(field: Field) -> &'static [Reader] {
    FIELD_RULES
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, r)| *r)
        .unwrap_or(&[])
}

/// The parts of the file `actor` may read; empty when the file is outside their scope.
pub fn visible_fields(actor: Actor, participant: &ParticipantFacts) -> Vec<Field> {
    if !sees_participant(actor, participant) {
        return Vec::new();
    }
    let Some(reader) = reader(actor.role) else {
        return Vec::new();
    };
    FIELD_RULES
        .iter()
        .filter(|(_, readers)| readers.contains(&reader))
        .map(|(field, _)| *field)
        .collect()
}

/// What one actor may see of one file. Pages are built through [`Visibility::reveal`], so a
/// page struct holds a part only when the policy allows it: a template cannot show a forbidden
/// field even by mistake.
#[derive(Clone, Debug)]
pub struct Visibility {
    fields: Vec<Field>,
}

impl Visibility {
    /// The visibility of `participant`'s file to `actor`.
    pub fn of(actor: Actor, participant: &ParticipantFacts) -> Self {
        Self {
            fields: visible_fields(actor, participant),
        }
    }

    /// Whether `field` is shown.
    pub fn shows(&self, field: Field) -> bool {
        self.fields.contains(&field)
    }

    /// `make()` when `field` is shown, else `None`.
    pub fn reveal<T>(&self, field: Field, make: impl FnOnce() -> T) -> Option<T> {
        self.shows(field).then(make)
    }

    /// The fields shown, in the order of the rule table (for the audit row).
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
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
        assert!(Visibility::of(actor(Role::Admin), &p).fields().is_empty());
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
