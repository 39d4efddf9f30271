//! The participant's lifecycle as pure functions: a status change is a `Transition`, one variant
//! per target status carrying exactly the data that change needs, and [`check`] decides whether
//! it may happen now (the lifecycle's arrows, the dates, the rule in force). Extensions of the
//! planned end are checked by [`check_extension`] against the cap. Nothing here touches the
//! database; the SQL that applies a transition is a guarded `update … where status = <from>`.

use time::Date;

use super::model::{ContractType, GraduationOutcome, TerminationReason};
use super::rules::{ParticipationRules, Period};
use crate::domain::Status;
use crate::validate::dates;
use crate::web::forms::{FieldErrors, not_before, not_in_future};

/// Who at the OPS of the person's residence agreed to the admission, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpsAgreement {
    /// Name (and office) of the OPS head.
    pub name: String,
    /// Date of the agreement.
    pub on: Date,
}

/// How participation ended at graduation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graduation {
    /// Took up employment, under this kind of contract.
    Employment(ContractType),
    /// Started a business.
    OwnBusiness,
    /// The period elapsed with the programme completed.
    PeriodElapsed,
}

impl Graduation {
    /// The stored outcome.
    pub fn outcome(self) -> GraduationOutcome {
        match self {
            Graduation::Employment(_) => GraduationOutcome::Employment,
            Graduation::OwnBusiness => GraduationOutcome::OwnBusiness,
            Graduation::PeriodElapsed => GraduationOutcome::PeriodElapsed,
        }
    }

    /// The contract, for an employment.
    pub fn contract(self) -> Option<ContractType> {
        match self {
            Graduation::Employment(c) => Some(c),
            Graduation::OwnBusiness | Graduation::PeriodElapsed => None,
        }
    }
}

/// A status change, with the data it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// Candidate → reserve list.
    Reserve { on: Date },
    /// Reserve list → trial period, in agreement with the OPS head.
    Admit {
        on: Date,
        ops_agreement: OpsAgreement,
    },
    /// Trial period → participant.
    Confirm { on: Date },
    /// → graduate.
    Graduate { on: Date, graduation: Graduation },
    /// → terminated, for one of the three reasons.
    Terminate { on: Date, reason: TerminationReason },
}

impl Transition {
    /// The status this change leads to.
    pub fn target(&self) -> Status {
        match self {
            Transition::Reserve { .. } => Status::Reserve,
            Transition::Admit { .. } => Status::Trial,
            Transition::Confirm { .. } => Status::Participant,
            Transition::Graduate { .. } => Status::Graduate,
            Transition::Terminate { .. } => Status::Terminated,
        }
    }

    /// The date of the change.
    pub fn on(&self) -> Date {
        match self {
            Transition::Reserve { on }
            | Transition::Admit { on, .. }
            | Transition::Confirm { on }
            | Transition::Graduate { on, .. }
            | Transition::Terminate { on, .. } => *on,
        }
    }

    /// What the status history records about the decision (before the user's note).
    pub fn describe(&self) -> Option<String> {
        match self {
            Transition::Admit { ops_agreement, .. } => Some(format!(
                "Przyjęcie w uzgodnieniu z kierownikiem OPS: {} ({})",
                ops_agreement.name,
                dates::format(ops_agreement.on)
            )),
            Transition::Graduate { graduation, .. } => Some(match graduation {
                Graduation::Employment(c) => {
                    format!("{}: {}", GraduationOutcome::Employment.label(), c.label())
                }
                g => g.outcome().label().to_owned(),
            }),
            Transition::Terminate { reason, .. } => Some(reason.label().to_owned()),
            Transition::Reserve { .. } | Transition::Confirm { .. } => None,
        }
    }
}

/// What [`check`] needs to know about the participant now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    pub status: Status,
    pub admitted_on: Option<Date>,
    pub trial_ends_on: Option<Date>,
    pub planned_end_on: Option<Date>,
    pub cap_end_on: Option<Date>,
    /// The date of the latest status change.
    pub last_change: Option<Date>,
}

/// Why a change may not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The lifecycle has no such arrow (or the status changed meanwhile): 409.
    Impossible { from: Status, to: Status },
    /// Only an active participant's planned end can be extended: 409.
    NotExtendable,
    /// No participation rule is in force on the date: 409.
    NoRule,
    /// The dates do not fit: the form again, with these messages (422).
    Invalid(FieldErrors),
}

impl Refusal {
    /// The Polish sentence of a 409.
    pub fn message(&self) -> String {
        match self {
            Refusal::Impossible { from, to } => format!(
                "Nie można zmienić statusu z „{}” na „{}”. Status mógł zostać już zmieniony – otwórz teczkę ponownie.",
                from.label(),
                to.label()
            ),
            Refusal::NotExtendable => {
                "Przedłużyć można tylko udział osoby w okresie próbnym lub uczestnika.".into()
            }
            Refusal::NoRule => "Brak zasad okresu uczestnictwa obowiązujących w tej dacie.".into(),
            Refusal::Invalid(_) => "Formularz zawiera błędy.".into(),
        }
    }
}

/// Whether the lifecycle has an arrow from `from` to `to`.
pub fn allowed(from: Status, to: Status) -> Result<(), Refusal> {
    if from.can_move_to(to) {
        Ok(())
    } else {
        Err(Refusal::Impossible { from, to })
    }
}

/// Decides whether `transition` may happen to a participant in `current` state on `today`;
/// an admission returns the participation period the rule in force sets.
pub fn check(
    current: &Current,
    transition: &Transition,
    rules: &ParticipationRules,
    today: Date,
) -> Result<Option<Period>, Refusal> {
    allowed(current.status, transition.target())?;
    let on = transition.on();
    let mut errors = FieldErrors::new();
    let mut date = |check: Result<Date, String>| {
        if let Err(message) = check {
            errors.add_if_absent("date", message);
        }
    };
    date(not_in_future(on, today));
    date(not_before(
        on,
        current.last_change,
        "ostatnia zmiana statusu",
    ));
    match transition {
        Transition::Confirm { .. } => {
            if let Some(end) = current.trial_ends_on.filter(|end| on < *end) {
                date(Err(format!(
                    "Okres próbny kończy się {}; wcześniej nie można go zakończyć.",
                    dates::format(end)
                )));
            }
        }
        Transition::Graduate { .. } | Transition::Terminate { .. } => {
            date(not_before(on, current.admitted_on, "przyjęcie"));
        }
        Transition::Admit { ops_agreement, .. } => {
            let agreed = if ops_agreement.on > on {
                Err(
                    "Zgoda kierownika OPS musi poprzedzać przyjęcie (albo być z tego samego dnia)."
                        .to_owned(),
                )
            } else {
                not_in_future(ops_agreement.on, today)
            };
            errors.take("ops_agreement_date", agreed);
        }
        Transition::Reserve { .. } => {}
    }
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    match transition {
        Transition::Admit { on, .. } => {
            let rule = rules.on(*on).ok_or(Refusal::NoRule)?;
            Ok(Some(rule.period(*on)))
        }
        _ => Ok(None),
    }
}

/// An extension of the planned end, as decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension {
    /// Date of the decision.
    pub decided_on: Date,
    /// The new planned end.
    pub new_end: Date,
}

/// The planned end and the cap of a participant whose end can be extended.
pub fn extendable(current: &Current) -> Result<(Date, Date), Refusal> {
    match (
        current.status.is_active(),
        current.planned_end_on,
        current.cap_end_on,
    ) {
        (true, Some(end), Some(cap)) => Ok((end, cap)),
        _ => Err(Refusal::NotExtendable),
    }
}

/// Decides whether `extension` may be recorded: a decision not in the future, a new end after
/// the current one and not past the cap of the rule in force at admission.
pub fn check_extension(
    current: &Current,
    extension: &Extension,
    rules: &ParticipationRules,
    today: Date,
) -> Result<(), Refusal> {
    let (end, cap) = extendable(current)?;
    let mut errors = FieldErrors::new();
    errors.take("decided_on", not_in_future(extension.decided_on, today));
    if extension.new_end <= end {
        errors.add(
            "new_end",
            format!(
                "Nowy termin musi być późniejszy niż obecny ({}).",
                dates::format(end)
            ),
        );
    } else if extension.new_end > cap {
        let rule = rules
            .on(current.admitted_on.unwrap_or(today))
            .ok_or(Refusal::NoRule)?;
        errors.add(
            "new_end",
            format!(
                "Łączny okres uczestnictwa po okresie próbnym nie może przekroczyć {} miesięcy – najpóźniej do {} ({}).",
                rule.cap_months,
                dates::format(cap),
                rule.source
            ),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Invalid(errors))
    }
}

#[cfg(test)]
mod tests;
