//! Authorization: the one place that answers "may this actor do this?".
//!
//! Two entry points decide access: [`gate`], the coarse check every route declares (who may
//! enter at all: anyone, any staff, the administrator, staff who work with participants), which
//! the router applies as a route layer; and [`check`], the decision on one action on one object,
//! which every handler asks after loading the object in scope. Both deny by default: every
//! `Action` and every `Gate` is matched explicitly, with no arm that allows "everything else",
//! so adding one forces a decision here and a row in the unit tests.
//!
//! What the rest of the code needs to know about who sees what is decided here too and handed
//! out as values: the list scope a query turns into SQL ([`ListScope`]), the caseload a list may
//! show, the categories a role may filter by, and which parts of a file are shown
//! ([`Visibility`]). Queries and templates never re-decide it.
//!
//! Object scope by centre is enforced by the queries, which only ever load objects of the
//! actor's centre: an object outside the scope answers 404 exactly like a missing one.

mod attendance;
mod data_protection;
mod documents;
mod follow_ups;
mod opinions;
mod participants;
mod reports;
mod retention;
mod staff;
mod subject_access;

use uuid::Uuid;

pub use attendance::{AttendanceRows, WorkshopFacts, attendance_rows};
pub use documents::{DocumentFacts, reads_programme};
pub use follow_ups::follow_up_scope;
pub use opinions::{OpinionFacts, readable_opinions, reads_opinion};
pub use participants::{
    CaseloadFilter, Field, FilterRefusal, ListScope, NoteAccess, ParticipantFacts, RowView,
    Visibility, file_scope, filterable_categories, list_scope, may_correct_note,
    may_search_by_pesel, narrow_caseload, row_view, sees_participant, visible_fields,
};
pub use reports::report_categories;
pub use subject_access::{Release, note_reads, release_note, release_opinion};

use crate::domain::Role;

/// Something a signed-in user asks to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// See the home page (the inbox of one's role).
    ViewHome,
    /// Change one's own password.
    ChangeOwnPassword,
    /// Set up one's own second factor (and see its state).
    ManageOwnSecondFactor,
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
    /// Remove the second factor of a staff account (it is set up again at the next login).
    ResetStaffSecondFactor,
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
    /// See who opened a participant's file ("Kto przeglądał teczkę").
    ViewAccessLog,
    /// Add a case note to a participant's file (or correct one's own).
    AddCaseNote,
    /// Change the centre's settings (what admission requires).
    EditCentreSettings,
    /// See which files one staff member opened in a period ("Rejestr dostępu").
    ViewStaffAccessLog,
    /// Submit a drafted document for approval.
    SubmitDocument,
    /// Return a submitted document to its author with a comment.
    ReturnDocument,
    /// Approve a submitted document.
    ApproveDocument,
    /// Record the signatures of an approved document.
    SignDocument,
    /// Start the realization of a signed document.
    StartDocumentRealization,
    /// Close a document, with a reason.
    CloseDocument,
    /// Read a document (its versions, history, diff) and download its scans.
    ViewDocument,
    /// Print a version of a document.
    PrintDocument,
    /// Start a new document (the first draft) for a participant.
    DraftDocument,
    /// Edit the text of a document's draft version.
    EditDocument,
    /// Start an amendment (aneks): a new draft version of a signed document.
    AmendDocument,
    /// Add a monitoring and evaluation entry to a programme in realization.
    AddMonitoring,
    /// Record the centre's signature (the manager's) of a social contract.
    SignDocumentForCentre,
    /// Record what was done while a social contract runs (actions, referrals, applications,
    /// group meetings).
    RecordRealization,
    /// Write the evaluation (Part II) of a social contract.
    EvaluateDocument,
    /// Request an opinion for the IPZS from a colleague (or request it again).
    RequestOpinion,
    /// Read a file's opinions, or one opinion.
    ViewOpinion,
    /// Write (save the draft of) an opinion requested from oneself.
    WriteOpinion,
    /// Sign off an opinion requested from oneself (it is frozen from then on).
    SignOffOpinion,
    /// Withdraw an open request for an opinion.
    WithdrawOpinion,
    /// Set up the centre's workshops: instructors, members, the weekly programme.
    ManageWorkshops,
    /// Record (or correct) a group's attendance, and see its month grid.
    RecordAttendance,
    /// See one participant's attendance calendar.
    ViewParticipantAttendance,
    /// Read (and print) one participant's monthly benefit statement.
    ViewBenefitStatement,
    /// The monthly close of the benefit: statements, bonus decisions, close, reopen,
    /// corrections, and the benefit rules.
    ManageBenefits,
    /// Export the lists for the labour office (PUP) and the payroll.
    ExportBenefits,
    /// See the follow-up lists (due, overdue, upcoming) and a graduate's follow-up timeline.
    ViewFollowUps,
    /// Record a contact with a graduate (reached or not).
    RecordFollowUpContact,
    /// Add an extra contact to a graduate's schedule, mark or unmark closer contact.
    ManageFollowUp,
    /// See (and print) the centre's effectiveness report.
    ViewEffectivenessReport,
    /// Export the effectiveness report (CSV, XLSX).
    ExportEffectivenessReport,
    /// See the files past their retention period, a file's retention and its holds.
    ViewRetention,
    /// Set the retention periods, place and lift legal holds, anonymise a file past its period.
    ManageRetention,
    /// See the history of changes of a participant's data ("Historia zmian danych").
    ViewRectifications,
    /// See and print the subject-access export of a participant's data (GDPR art. 15).
    ViewSubjectAccess,
    /// Download the subject-access export as a machine-readable archive (JSON with the scans).
    ExportSubjectAccess,
    /// Search the centre's audit log ("Dziennik zdarzeń").
    SearchAuditLog,
    /// Export the audit log's search results (CSV).
    ExportAuditLog,
    /// See the data-protection reports built on the audit log.
    ViewAuditReports,
    /// See the annual report's figures and its saved versions (page, print, comparison).
    ViewAnnualReport,
    /// Save a version of the annual report.
    PrepareAnnualReport,
    /// Export a version of the annual report (CSV, XLSX).
    ExportAnnualReport,
}

impl Action {
    /// Every action, for the policy table test.
    pub const ALL: [Action; 69] = [
        Action::ViewHome,
        Action::ChangeOwnPassword,
        Action::ManageOwnSecondFactor,
        Action::ViewStaff,
        Action::CreateStaff,
        Action::ChangeStaffRole,
        Action::SetStaffActive,
        Action::ResetStaffPassword,
        Action::UnlockStaff,
        Action::ResetStaffSecondFactor,
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
        Action::ViewAccessLog,
        Action::AddCaseNote,
        Action::EditCentreSettings,
        Action::ViewStaffAccessLog,
        Action::SubmitDocument,
        Action::ReturnDocument,
        Action::ApproveDocument,
        Action::SignDocument,
        Action::StartDocumentRealization,
        Action::CloseDocument,
        Action::ViewDocument,
        Action::PrintDocument,
        Action::DraftDocument,
        Action::EditDocument,
        Action::AmendDocument,
        Action::AddMonitoring,
        Action::SignDocumentForCentre,
        Action::RecordRealization,
        Action::EvaluateDocument,
        Action::RequestOpinion,
        Action::ViewOpinion,
        Action::WriteOpinion,
        Action::SignOffOpinion,
        Action::WithdrawOpinion,
        Action::ManageWorkshops,
        Action::RecordAttendance,
        Action::ViewParticipantAttendance,
        Action::ViewBenefitStatement,
        Action::ManageBenefits,
        Action::ExportBenefits,
        Action::ViewFollowUps,
        Action::RecordFollowUpContact,
        Action::ManageFollowUp,
        Action::ViewEffectivenessReport,
        Action::ExportEffectivenessReport,
        Action::ViewRetention,
        Action::ManageRetention,
        Action::ViewRectifications,
        Action::ViewSubjectAccess,
        Action::ExportSubjectAccess,
        Action::SearchAuditLog,
        Action::ExportAuditLog,
        Action::ViewAuditReports,
        Action::ViewAnnualReport,
        Action::PrepareAnnualReport,
        Action::ExportAnnualReport,
    ];

    /// Stable name used in audit rows.
    pub fn code(self) -> &'static str {
        match self {
            Action::ViewHome => "home.view",
            Action::ChangeOwnPassword => "account.change_password",
            Action::ManageOwnSecondFactor => "account.second_factor",
            Action::ViewStaff => "staff.view",
            Action::CreateStaff => "staff.create",
            Action::ChangeStaffRole => "staff.change_role",
            Action::SetStaffActive => "staff.set_active",
            Action::ResetStaffPassword => "staff.reset_password",
            Action::UnlockStaff => "staff.unlock",
            Action::ResetStaffSecondFactor => "staff.reset_second_factor",
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
            Action::ViewAccessLog => "participant.access_log",
            Action::AddCaseNote => "participant.add_note",
            Action::EditCentreSettings => "centre.settings",
            Action::ViewStaffAccessLog => "staff.access_log",
            Action::SubmitDocument => "document.submit",
            Action::ReturnDocument => "document.return",
            Action::ApproveDocument => "document.approve",
            Action::SignDocument => "document.sign",
            Action::StartDocumentRealization => "document.start_realization",
            Action::CloseDocument => "document.close",
            Action::ViewDocument => "document.view",
            Action::PrintDocument => "document.print",
            Action::DraftDocument => "document.create",
            Action::EditDocument => "document.edit",
            Action::AmendDocument => "document.amend",
            Action::AddMonitoring => "document.monitoring",
            Action::SignDocumentForCentre => "document.sign_for_centre",
            Action::RecordRealization => "document.record",
            Action::EvaluateDocument => "document.evaluate",
            Action::RequestOpinion => "opinion.request",
            Action::ViewOpinion => "opinion.view",
            Action::WriteOpinion => "opinion.write",
            Action::SignOffOpinion => "opinion.sign_off",
            Action::WithdrawOpinion => "opinion.withdraw",
            Action::ManageWorkshops => "workshop.manage",
            Action::RecordAttendance => "attendance.record",
            Action::ViewParticipantAttendance => "attendance.view",
            Action::ViewBenefitStatement => "benefit.statement",
            Action::ManageBenefits => "benefit.manage",
            Action::ExportBenefits => "benefit.export",
            Action::ViewFollowUps => "follow_up.view",
            Action::RecordFollowUpContact => "follow_up.contact",
            Action::ManageFollowUp => "follow_up.manage",
            Action::ViewEffectivenessReport => "report.view",
            Action::ExportEffectivenessReport => "report.export",
            Action::ViewRetention => "retention.view",
            Action::ManageRetention => "retention.manage",
            Action::ViewRectifications => "participant.rectifications",
            Action::ViewSubjectAccess => "subject_access.print",
            Action::ExportSubjectAccess => "subject_access.export",
            Action::SearchAuditLog => "audit.search",
            Action::ExportAuditLog => "audit.export",
            Action::ViewAuditReports => "audit.report",
            Action::ViewAnnualReport => "annual_report.view",
            Action::PrepareAnnualReport => "annual_report.save",
            Action::ExportAnnualReport => "annual_report.export",
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

/// What an action is done to.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// Nothing in particular (a list, a form for something new).
    Centre,
    /// One participant of the actor's centre.
    Participant(&'a ParticipantFacts),
    /// One document of a participant of the actor's centre.
    Document(&'a DocumentFacts),
    /// One opinion about a participant of the actor's centre.
    Opinion(&'a OpinionFacts),
    /// One workshop of the actor's centre.
    Workshop(&'a WorkshopFacts),
}

impl Target<'_> {
    /// The participant the target belongs to, if any (its scope is the target's scope).
    pub fn participant(&self) -> Option<&ParticipantFacts> {
        match self {
            Target::Centre | Target::Workshop(_) => None,
            Target::Participant(p) => Some(p),
            Target::Document(d) => Some(&d.participant),
            Target::Opinion(o) => Some(&o.participant),
        }
    }

    /// Whether the target exists for `actor`: a participant's things within the participant's
    /// scope; an opinion also for its author, and for others only of a kind they read.
    fn in_scope(&self, actor: Actor) -> bool {
        match self {
            Target::Opinion(o) => opinions::in_scope(actor, o),
            Target::Workshop(w) => attendance::in_scope(actor, w),
            _ => self
                .participant()
                .is_none_or(|p| sees_participant(actor, p)),
        }
    }
}

/// Why the policy said no: the object is outside the actor's scope (it answers 404, exactly
/// like a missing one), or it is in scope but the action is not the actor's to take (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Outside the scope: "there is no such thing".
    NotFound,
    /// In scope, but not allowed.
    Forbidden,
}

/// Who may enter a route at all; every route of the registry declares one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Anyone, signed in or not (login page, probes, static files).
    Anyone,
    /// Any signed-in staff member.
    Staff,
    /// The administrator only.
    Admin,
    /// Staff who work with participants (everyone but the administrator); a collection route,
    /// so others are refused (403).
    ParticipantWork,
    /// One participant's file or a form on it; for whoever cannot see files at all the file
    /// does not exist (404).
    ParticipantFile,
}

/// The data-protection officer reaches every participant of their centre (the loader reads
/// within the actor's centre) for the data-protection tools alone: the subject-access export,
/// the history of changes of the person's data and the file's retention. The file itself, its
/// documents and notes stay out of their scope (404).
fn data_protection_reach(actor: Actor, action: Action) -> bool {
    actor.role == Role::Dpo
        && matches!(
            action,
            Action::ViewSubjectAccess
                | Action::ExportSubjectAccess
                | Action::ViewRectifications
                | Action::ViewRetention
        )
}

/// The files whose subject-access export `actor` produces: the data-protection officer's are
/// the centre's (see `data_protection_reach`), everyone else's those they may open.
pub fn subject_access_scope(actor: Actor) -> ListScope {
    match actor.role {
        Role::Dpo => ListScope::Centre,
        _ => file_scope(actor),
    }
}

/// Whether a signed-in `role` may enter a route behind `gate`.
pub fn gate(role: Role, gate: Gate) -> Result<(), Refusal> {
    let works_with_participants = role.works_with_participants();
    match gate {
        Gate::Anyone | Gate::Staff => Ok(()),
        Gate::Admin if role == Role::Admin => Ok(()),
        Gate::Admin => Err(Refusal::Forbidden),
        Gate::ParticipantWork if works_with_participants => Ok(()),
        Gate::ParticipantWork => Err(Refusal::Forbidden),
        Gate::ParticipantFile if works_with_participants => Ok(()),
        Gate::ParticipantFile => Err(Refusal::NotFound),
    }
}

/// Decides whether `actor` may perform `action` on `target`. A participant outside the actor's
/// scope (an opinion: see `opinions`) is `NotFound` whatever the action; participant actions
/// without a participant are denied.
pub fn check(actor: Actor, action: Action, target: Target<'_>) -> Result<(), Refusal> {
    if !target.in_scope(actor) && !data_protection_reach(actor, action) {
        return Err(Refusal::NotFound);
    }
    let allowed = match action {
        // Every signed-in role has a home page, its own password and its own second factor.
        Action::ViewHome | Action::ChangeOwnPassword | Action::ManageOwnSecondFactor => true,
        // The manager runs the centre's programme and decides its rules.
        Action::EditCentreSettings => actor.role == Role::Manager,
        // Who opened which files is the manager's oversight (like a file's access log) and
        // the data-protection officer's.
        Action::ViewStaffAccessLog => matches!(actor.role, Role::Manager | Role::Dpo),
        Action::ViewStaff
        | Action::CreateStaff
        | Action::ChangeStaffRole
        | Action::SetStaffActive
        | Action::ResetStaffPassword
        | Action::UnlockStaff
        | Action::ResetStaffSecondFactor => staff::allows(actor.role),
        Action::ListParticipants
        | Action::RegisterParticipant
        | Action::ViewParticipant
        | Action::EditParticipant
        | Action::MoveToReserve
        | Action::AdmitParticipant
        | Action::ConfirmParticipant
        | Action::GraduateParticipant
        | Action::TerminateParticipant
        | Action::ExtendParticipation
        | Action::AssignSocialWorker
        | Action::AddRecruitmentDocument
        | Action::AssignWorkshop
        | Action::ViewAccessLog
        | Action::AddCaseNote => participants::allows(actor, action, target),
        Action::SubmitDocument
        | Action::ReturnDocument
        | Action::ApproveDocument
        | Action::SignDocument
        | Action::StartDocumentRealization
        | Action::CloseDocument
        | Action::ViewDocument
        | Action::PrintDocument
        | Action::EditDocument
        | Action::AmendDocument
        | Action::AddMonitoring
        | Action::SignDocumentForCentre
        | Action::RecordRealization
        | Action::EvaluateDocument => match target {
            Target::Document(d) => documents::allows(actor, action, d),
            Target::Centre | Target::Participant(_) | Target::Opinion(_) | Target::Workshop(_) => {
                false
            }
        },
        Action::DraftDocument => match target {
            Target::Participant(p) => documents::may_draft(actor, p),
            Target::Centre | Target::Document(_) | Target::Opinion(_) | Target::Workshop(_) => {
                false
            }
        },
        Action::RequestOpinion
        | Action::ViewOpinion
        | Action::WriteOpinion
        | Action::SignOffOpinion
        | Action::WithdrawOpinion => opinions::allows(actor, action, target),
        Action::ManageWorkshops
        | Action::RecordAttendance
        | Action::ViewParticipantAttendance
        | Action::ViewBenefitStatement
        | Action::ManageBenefits
        | Action::ExportBenefits => attendance::allows(actor, action, target),
        Action::ViewFollowUps | Action::RecordFollowUpContact | Action::ManageFollowUp => {
            follow_ups::allows(actor, action, target)
        }
        Action::ViewEffectivenessReport
        | Action::ExportEffectivenessReport
        | Action::ViewAnnualReport
        | Action::PrepareAnnualReport
        | Action::ExportAnnualReport => reports::allows(actor, action, target),
        Action::ViewRetention | Action::ManageRetention | Action::ViewRectifications => {
            retention::allows(actor, action, target)
        }
        Action::ViewSubjectAccess | Action::ExportSubjectAccess => {
            subject_access::allows(actor, action, target)
        }
        Action::SearchAuditLog | Action::ExportAuditLog | Action::ViewAuditReports => {
            data_protection::allows(actor, action, target)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
    }
}

#[cfg(test)]
mod tests;
