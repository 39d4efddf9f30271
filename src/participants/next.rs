//! What the file offers its reader to do next: one primary step where the participant's
//! situation calls for one (a candidate: complete the recruitment documents, then the reserve
//! list; the reserve list: the IPZS, whose signing admits; a trial period that is over: confirm
//! or end; participation ending within 30 days: graduate), the other steps as secondary, and
//! ending participation as a danger action, last. Only what the policy allows the reader is
//! offered.

use time::{Date, Duration};

use super::lifecycle::STEPS;
use super::model::DocumentKind;
use super::record::Record;
use crate::auth::policy::Action;
use crate::domain::Status;
use crate::validate::dates;

/// A link to a step on the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAction {
    pub href: String,
    pub label: String,
}

/// The file's steps for one reader.
#[derive(Debug, Default)]
pub struct NextSteps {
    pub primary: Option<FileAction>,
    /// Why the expected step is not offered yet (a trial period not over).
    pub hint: Option<String>,
    pub others: Vec<FileAction>,
    /// Ending participation early.
    pub danger: Vec<FileAction>,
}

impl NextSteps {
    /// Nothing to offer.
    pub fn is_empty(&self) -> bool {
        self.primary.is_none() && self.others.is_empty() && self.danger.is_empty()
    }
}

/// The steps `p`'s file offers a reader who `can` take the given actions; `missing` are the
/// recruitment documents missing (when the reader sees them).
pub fn next_steps(
    p: &Record,
    missing: &[DocumentKind],
    can: impl Fn(Action) -> bool,
    reads_programme: bool,
    today: Date,
) -> NextSteps {
    let id = p.participant_id;
    let link = |path: &str, label: &str| FileAction {
        href: format!("/participants/{id}{path}"),
        label: label.to_owned(),
    };
    let mut next = NextSteps::default();
    let trial_over = p.trial_ends_on.is_some_and(|end| end <= today);
    let mut steps: Vec<(Status, FileAction)> = Vec::new();
    for step in STEPS
        .iter()
        .filter(|s| p.status.can_move_to(s.target) && can(s.action))
    {
        let action = link(&format!("/status/{}", step.target.code()), step.button);
        match step.target {
            Status::Terminated => next.danger.push(action),
            Status::Participant if !trial_over => {
                next.hint = p.trial_ends_on.map(|end| {
                    format!(
                        "Okres próbny kończy się {}: wtedy potwierdzisz udział albo go przerwiesz.",
                        dates::format(end)
                    )
                });
            }
            target => steps.push((target, action)),
        }
    }
    let documents = missing
        .first()
        .filter(|_| can(Action::AddRecruitmentDocument));
    let primary_target = match p.status {
        Status::Candidate if documents.is_some() => None,
        Status::Candidate => Some(Status::Reserve),
        // Admission is the signing of the IPZS: the programme is the step.
        Status::Reserve => None,
        Status::Trial => Some(Status::Participant),
        Status::Participant
            if p.planned_end_on
                .is_some_and(|end| end <= today + Duration::days(30)) =>
        {
            Some(Status::Graduate)
        }
        _ => None,
    };
    if let (Status::Candidate, Some(kind)) = (p.status, documents) {
        next.primary = Some(link(
            &format!("/documents/new?kind={}", kind.code()),
            &format!("Uzupełnij dokumenty: {}", kind.label().to_lowercase()),
        ));
    }
    let programme = link("/ipzs", "Indywidualny program (IPZS)");
    if p.status == Status::Reserve && can(Action::DraftDocument) {
        next.primary = Some(link(
            "/ipzs",
            "Przygotuj IPZS – jego podpisanie oznacza przyjęcie do CIS",
        ));
    } else if p.status == Status::Reserve && reads_programme {
        next.hint = Some("Przyjęcie do CIS następuje przez podpisanie IPZS.".to_owned());
        next.primary = Some(programme.clone());
    } else if reads_programme && p.status != Status::Candidate {
        next.others.push(programme);
    }
    for (target, action) in steps {
        if next.primary.is_none() && Some(target) == primary_target {
            next.primary = Some(action);
        } else {
            next.others.push(action);
        }
    }
    if can(Action::EditParticipant) {
        next.others.insert(0, link("/edit", "Edytuj dane"));
    }
    if can(Action::ExtendParticipation) && p.status.is_active() && p.planned_end_on.is_some() {
        next.others.push(link("/extension", "Przedłuż udział"));
    }
    if can(Action::AssignSocialWorker) {
        next.others
            .push(link("/social-worker", "Przydziel pracownika socjalnego"));
    }
    if can(Action::AssignWorkshop) && !p.status.has_ended() {
        next.others.push(link("/workshop", "Zmień pracownię"));
    }
    if can(Action::EditParticipant) && p.status.is_active() {
        next.others.push(link("/hours", "Limity godzin i PAI"));
    }
    next
}
