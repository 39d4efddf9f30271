//! Who sees which participants and which parts of their files, and who may change them.
//!
//! The scope: the manager sees every participant of the centre; a social worker their own
//! caseload (and everyone else only by name and status in the list); the psychologist and the
//! career advisor the active participants; an instructor the members of their workshops; the
//! administrator nobody. The field table below says which parts of a file each reader sees.

use uuid::Uuid;

use super::{Action, Actor, Target};
use crate::domain::{Category, NoteVisibility, OpinionKind, Role, Sensitivity, Status};

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
        Role::Admin | Role::Dpo => false,
    }
}

/// The participant actions (the scope has been checked by the caller).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    let manager = actor.role == Role::Manager;
    match (action, target) {
        // Everyone working with participants has a list (scoped by `list_scope`).
        (Action::ListParticipants, _) => actor.role.works_with_participants(),
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
        // The manager reassigns several participants at once (each is asked about again).
        (Action::AssignSocialWorker, Target::Centre) => manager,
        // Whoever may open the file may add a note to it (of a visibility they read, which the
        // note's form and `Visibility::note_choices` keep to).
        (Action::AddCaseNote, Target::Participant(_)) => reader(actor.role).is_some(),
        // Whoever may read the file's audit part (the field table) sees who opened it.
        (Action::ViewAccessLog, Target::Participant(_)) => {
            reader(actor.role).is_some_and(|r| readers(Field::FileAudit).contains(&r))
        }
        // Participant actions need a participant; other actions are not decided here.
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The list

/// The participants a query may return for an actor (the list's rows, the file that opens),
/// as the query turns it into SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListScope {
    /// Nobody (the administrator).
    Nobody,
    /// Every participant of the centre (the manager; a social worker's list, which shows
    /// others' rows only by name and status, see [`row_view`]).
    Centre,
    /// The participants this social worker looks after.
    Caseload(Uuid),
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
        Role::Admin | Role::Dpo => ListScope::Nobody,
    }
}

/// The files `actor` may open, as SQL: exactly the participants [`sees_participant`] allows.
pub fn file_scope(actor: Actor) -> ListScope {
    match actor.role {
        Role::SocialWorker => ListScope::Caseload(actor.user_id),
        _ => list_scope(actor),
    }
}

impl ListScope {
    /// The files of this scope in words, as a sentence about the account that has it (the
    /// administrator's confirmation of a role change says what the change does to its reach).
    pub fn in_words(self) -> &'static str {
        match self {
            ListScope::Nobody => "Nie otwiera teczek i nie widzi żadnych danych uczestników.",
            ListScope::Centre => "Otwiera teczki wszystkich uczestników ośrodka.",
            ListScope::Caseload(_) => {
                "Otwiera tylko teczki uczestników, których prowadzi jako pracownik socjalny; pozostałych uczestników ośrodka widzi na liście tylko z imienia, nazwiska i statusu."
            }
            ListScope::Active => {
                "Otwiera teczki uczestników w okresie próbnym i w trakcie uczestnictwa (nie otwiera teczek kandydatów, osób z listy rezerwowej ani tych, których udział już się zakończył)."
            }
            ListScope::WorkshopsOf(_) => {
                "Otwiera tylko teczki uczestników pracowni, które prowadzi jako instruktor."
            }
        }
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
            (Role::Instructor | Role::Admin | Role::Dpo, _) => false,
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
    /// Case notes for the team (everyone who may open the file).
    NotesTeam,
    /// Case notes for social work (the manager and the file's social worker).
    NotesSocialWork,
    /// Therapy notes, for psychologists only.
    NotesTherapy,
    /// That a therapy note exists (its date and author), not what it says.
    NotesTherapyMarker,
    /// The psychologist's signed-off opinion for the IPZS (but its health detail).
    OpinionPsychologist,
    /// The health detail of the psychologist's opinion: follows the health data's rule.
    OpinionPsychologistHealth,
    /// The career advisor's signed-off opinion.
    OpinionCareerAdvisor,
    /// The instructor's signed-off opinion.
    OpinionInstructor,
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
            Field::NotesTeam => "notes.team",
            Field::NotesSocialWork => "notes.social_work",
            Field::NotesTherapy => "notes.psychologist",
            Field::NotesTherapyMarker => "notes.psychologist_marker",
            Field::OpinionPsychologist => "opinion.psychologist",
            Field::OpinionPsychologistHealth => "opinion.psychologist.health",
            Field::OpinionCareerAdvisor => "opinion.career_advisor",
            Field::OpinionInstructor => "opinion.instructor",
        }
    }

    /// What the part is called on screen (the access log names the parts a view showed).
    pub fn label(self) -> &'static str {
        match self {
            Field::Personal => "dane osobowe",
            Field::Contact => "kontakt",
            Field::Referral => "zgłoszenie, skierowanie i zgody",
            Field::CategoriesGeneral => "kategorie – ogólne",
            Field::CategoriesHealth => "kategorie – zdrowie",
            Field::CategoriesCriminal => "kategorie – karalność",
            Field::Participation => "udział w CIS",
            Field::StatusHistory => "historia statusu",
            Field::RecruitmentDocuments => "dokumenty rekrutacyjne",
            Field::FileAudit => "rejestr dostępu",
            Field::NotesTeam => "notatki – zespół",
            Field::NotesSocialWork => "notatki – praca socjalna",
            Field::NotesTherapy => "notatki psychologa",
            Field::NotesTherapyMarker => "notatki psychologa – tylko data i autor",
            Field::OpinionPsychologist => "opinia psychologa",
            Field::OpinionPsychologistHealth => "opinia psychologa – zdrowie",
            Field::OpinionCareerAdvisor => "opinia doradcy zawodowego",
            Field::OpinionInstructor => "opinia instruktora zawodu",
        }
    }

    /// Every part, in the file's order.
    pub const ALL: [Field; 18] = [
        Field::Personal,
        Field::Contact,
        Field::Referral,
        Field::CategoriesGeneral,
        Field::CategoriesHealth,
        Field::CategoriesCriminal,
        Field::Participation,
        Field::StatusHistory,
        Field::RecruitmentDocuments,
        Field::FileAudit,
        Field::NotesTeam,
        Field::NotesSocialWork,
        Field::NotesTherapy,
        Field::NotesTherapyMarker,
        Field::OpinionPsychologist,
        Field::OpinionPsychologistHealth,
        Field::OpinionCareerAdvisor,
        Field::OpinionInstructor,
    ];

    /// The part named `code` in an audit row.
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The field that covers categories of this sensitivity.
    pub fn for_categories(sensitivity: Sensitivity) -> Field {
        match sensitivity {
            Sensitivity::General => Field::CategoriesGeneral,
            Sensitivity::Health => Field::CategoriesHealth,
            Sensitivity::Criminal => Field::CategoriesCriminal,
        }
    }

    /// The field that covers notes of this visibility.
    pub fn for_note(visibility: NoteVisibility) -> Field {
        match visibility {
            NoteVisibility::Team => Field::NotesTeam,
            NoteVisibility::SocialWork => Field::NotesSocialWork,
            NoteVisibility::Psychologist => Field::NotesTherapy,
        }
    }

    /// The field that covers signed-off opinions of this kind.
    pub fn for_opinion(kind: OpinionKind) -> Field {
        match kind {
            OpinionKind::Psychologist => Field::OpinionPsychologist,
            OpinionKind::CareerAdvisor => Field::OpinionCareerAdvisor,
            OpinionKind::Instructor => Field::OpinionInstructor,
        }
    }

    /// Whether the part is shown on the file page itself (and recorded with its view): the
    /// access log and the opinions have pages of their own, audited on their own.
    pub fn on_file_page(self) -> bool {
        !matches!(
            self,
            Field::FileAudit
                | Field::OpinionPsychologist
                | Field::OpinionPsychologistHealth
                | Field::OpinionCareerAdvisor
                | Field::OpinionInstructor
        )
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
/// prison record (it is not shared with the psychologist or career advisor). Case notes: the
/// team's for everyone who opens the file, social work's for the manager and the caseworker,
/// therapy notes for the psychologist alone (the manager sees that one exists, to know that
/// therapy is documented, never its text). Signed-off opinions for the IPZS: the manager, the
/// caseworker, the psychologist and the career advisor read all three; the instructor the
/// instructor's and the career advisor's only; the health detail of the psychologist's opinion
/// goes to exactly the readers of health categories (a unit test holds the two rows equal).
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
    (Field::NotesTeam, &[Mg, Cw, Ps, Ca, In]),
    (Field::NotesSocialWork, &[Mg, Cw]),
    (Field::NotesTherapy, &[Ps]),
    (Field::NotesTherapyMarker, &[Mg]),
    (Field::OpinionPsychologist, &[Mg, Cw, Ps, Ca]),
    (Field::OpinionPsychologistHealth, &[Mg, Cw, Ps, Ca]),
    (Field::OpinionCareerAdvisor, &[Mg, Cw, Ps, Ca, In]),
    (Field::OpinionInstructor, &[Mg, Cw, Ps, Ca, In]),
];

fn reader(role: Role) -> Option<Reader> {
    match role {
        Role::Manager => Some(Mg),
        Role::SocialWorker => Some(Cw),
        Role::Psychologist => Some(Ps),
        Role::CareerAdvisor => Some(Ca),
        Role::Instructor => Some(In),
        Role::Admin | Role::Dpo => None,
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
    Visibility::within_scope(actor).fields
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

    /// What `actor` sees of any file within their [`file_scope`] (which parts of a file a
    /// reader sees depends on the reader alone, once the file is theirs to open).
    pub fn within_scope(actor: Actor) -> Self {
        let fields = match reader(actor.role) {
            Some(reader) => FIELD_RULES
                .iter()
                .filter(|(_, readers)| readers.contains(&reader))
                .map(|(field, _)| *field)
                .collect(),
            None => Vec::new(),
        };
        Self { fields }
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

    /// How much of a note of `visibility` is shown.
    pub fn note(&self, visibility: NoteVisibility) -> NoteAccess {
        if self.shows(Field::for_note(visibility)) {
            NoteAccess::Read
        } else if visibility == NoteVisibility::Psychologist
            && self.shows(Field::NotesTherapyMarker)
        {
            NoteAccess::Marker
        } else {
            NoteAccess::Hidden
        }
    }

    /// The visibilities a reader may give a note they write: those they read themselves.
    pub fn note_choices(&self) -> Vec<NoteVisibility> {
        NoteVisibility::ALL
            .into_iter()
            .filter(|v| self.note(*v) == NoteAccess::Read)
            .collect()
    }
}

/// How much of one case note a reader sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteAccess {
    /// All of it.
    Read,
    /// That it exists, when and by whom: not its kind, topic or text.
    Marker,
    /// Nothing: it is not on the reader's timeline.
    Hidden,
}

/// Whether `actor` may correct a note `author_id` wrote: only its author, and only while they
/// still read it (a correction is a new note of the same visibility).
pub fn may_correct_note(
    actor: Actor,
    sees: &Visibility,
    author_id: Uuid,
    visibility: NoteVisibility,
) -> bool {
    actor.user_id == author_id && sees.note(visibility) == NoteAccess::Read
}

#[cfg(test)]
mod tests;
