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
            errors.entry("date").or_insert(message);
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
mod tests {
    use time::Duration;
    use time::macros::date;

    use super::*;
    use crate::participants::rules::Rule;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn rules() -> ParticipationRules {
        let rule = |valid_from, cap_months, source: &str| Rule {
            centre_id: None,
            valid_from,
            trial_months: 1,
            base_months: 11,
            cap_months,
            source: source.into(),
        };
        ParticipationRules::new(vec![
            rule(date!(2003 - 06 - 13), 18, "art. 13 (przed 2022)"),
            rule(date!(2022 - 02 - 15), 24, "art. 13"),
        ])
    }

    fn days(n: i64) -> Date {
        TODAY - Duration::days(n)
    }

    fn current(status: Status) -> Current {
        let active = status.is_active() || status.has_ended();
        Current {
            status,
            admitted_on: active.then(|| days(100)),
            trial_ends_on: active.then(|| days(70)),
            planned_end_on: active.then(|| days(-230)),
            cap_end_on: active.then(|| days(-630)),
            last_change: Some(days(80)),
        }
    }

    fn admit(on: Date, agreed: Date) -> Transition {
        Transition::Admit {
            on,
            ops_agreement: OpsAgreement {
                name: "Anna Nowak, GOPS".into(),
                on: agreed,
            },
        }
    }

    /// What a row expects: allowed, refused as impossible, or refused with a message on a field.
    #[derive(Debug, PartialEq)]
    enum Want {
        Ok,
        Impossible,
        Field(&'static str, &'static str),
    }

    fn outcome(result: Result<Option<Period>, Refusal>) -> (Want, Option<Period>) {
        match result {
            Ok(period) => (Want::Ok, period),
            Err(Refusal::Impossible { .. }) => (Want::Impossible, None),
            Err(Refusal::Invalid(errors)) => {
                let (field, message) = errors
                    .iter()
                    .next()
                    .map(|(f, m)| (*f, m.clone()))
                    .unwrap_or_default();
                // Leak is fine in a test: the table holds &'static str.
                (
                    Want::Field(field, Box::leak(message.into_boxed_str())),
                    None,
                )
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn every_status_change_is_allowed_or_refused_as_the_lifecycle_and_dates_say() {
        use Status::*;
        let employment = Graduation::Employment(ContractType::Permanent);
        let table: Vec<(Status, Transition, Want)> = vec![
            // The arrows.
            (Candidate, Transition::Reserve { on: days(1) }, Want::Ok),
            (
                Reserve,
                Transition::Reserve { on: days(1) },
                Want::Impossible,
            ),
            (Candidate, admit(days(1), days(2)), Want::Impossible),
            (Reserve, admit(days(1), days(2)), Want::Ok),
            (Trial, admit(days(1), days(2)), Want::Impossible),
            (
                Candidate,
                Transition::Confirm { on: days(1) },
                Want::Impossible,
            ),
            (Trial, Transition::Confirm { on: days(1) }, Want::Ok),
            (
                Participant,
                Transition::Confirm { on: days(1) },
                Want::Impossible,
            ),
            (
                Candidate,
                Transition::Graduate {
                    on: days(1),
                    graduation: employment,
                },
                Want::Impossible,
            ),
            (
                Reserve,
                Transition::Graduate {
                    on: days(1),
                    graduation: Graduation::OwnBusiness,
                },
                Want::Impossible,
            ),
            (
                Trial,
                Transition::Graduate {
                    on: days(1),
                    graduation: employment,
                },
                Want::Ok,
            ),
            (
                Participant,
                Transition::Graduate {
                    on: days(1),
                    graduation: Graduation::PeriodElapsed,
                },
                Want::Ok,
            ),
            (
                Graduate,
                Transition::Graduate {
                    on: days(1),
                    graduation: employment,
                },
                Want::Impossible,
            ),
            (
                Candidate,
                Transition::Terminate {
                    on: days(1),
                    reason: TerminationReason::Withdrawal,
                },
                Want::Ok,
            ),
            (
                Reserve,
                Transition::Terminate {
                    on: days(1),
                    reason: TerminationReason::Withdrawal,
                },
                Want::Ok,
            ),
            (
                Trial,
                Transition::Terminate {
                    on: days(1),
                    reason: TerminationReason::LeftPermanently,
                },
                Want::Ok,
            ),
            (
                Participant,
                Transition::Terminate {
                    on: days(1),
                    reason: TerminationReason::PersistentViolation,
                },
                Want::Ok,
            ),
            (
                Graduate,
                Transition::Terminate {
                    on: days(1),
                    reason: TerminationReason::Withdrawal,
                },
                Want::Impossible,
            ),
            (
                Terminated,
                Transition::Terminate {
                    on: days(1),
                    reason: TerminationReason::Withdrawal,
                },
                Want::Impossible,
            ),
            (
                Terminated,
                Transition::Reserve { on: days(1) },
                Want::Impossible,
            ),
            // The dates.
            (
                Candidate,
                Transition::Reserve { on: days(-1) },
                Want::Field("date", "Data nie może być z przyszłości."),
            ),
            (
                Candidate,
                Transition::Reserve { on: days(81) },
                Want::Field(
                    "date",
                    "Data nie może być wcześniejsza niż ostatnia zmiana statusu (04.09.2026).",
                ),
            ),
            (Candidate, Transition::Reserve { on: days(80) }, Want::Ok),
            (
                Reserve,
                admit(days(1), days(0)),
                Want::Field(
                    "ops_agreement_date",
                    "Zgoda kierownika OPS musi poprzedzać przyjęcie (albo być z tego samego dnia).",
                ),
            ),
            (Reserve, admit(days(1), days(1)), Want::Ok),
            (
                Trial,
                Transition::Confirm { on: days(71) },
                Want::Field(
                    "date",
                    "Okres próbny kończy się 14.09.2026; wcześniej nie można go zakończyć.",
                ),
            ),
            (Trial, Transition::Confirm { on: days(70) }, Want::Ok),
            (
                Participant,
                Transition::Graduate {
                    on: days(0),
                    graduation: employment,
                },
                Want::Ok,
            ),
            (
                Participant,
                Transition::Terminate {
                    on: days(-3),
                    reason: TerminationReason::Withdrawal,
                },
                Want::Field("date", "Data nie może być z przyszłości."),
            ),
        ];
        for (from, transition, want) in table {
            let (got, _) = outcome(check(&current(from), &transition, &rules(), TODAY));
            assert_eq!(got, want, "{from:?} {transition:?}");
        }
    }

    #[test]
    fn a_date_before_admission_is_refused_at_the_end_of_participation() {
        let mut now = current(Status::Participant);
        now.last_change = None;
        let early = Transition::Terminate {
            on: days(101),
            reason: TerminationReason::Withdrawal,
        };
        assert_eq!(
            outcome(check(&now, &early, &rules(), TODAY)).0,
            Want::Field(
                "date",
                "Data nie może być wcześniejsza niż przyjęcie (15.08.2026)."
            )
        );
    }

    #[test]
    fn admission_sets_the_period_of_the_rule_in_force_on_the_admission_date() {
        let mut now = current(Status::Reserve);
        now.last_change = None;
        // Since 15 February 2022: 1 + 11 months, cap 24 months after the trial.
        let (_, period) = outcome(check(
            &now,
            &admit(date!(2026 - 01 - 31), date!(2026 - 01 - 30)),
            &rules(),
            TODAY,
        ));
        assert_eq!(
            period,
            Some(Period {
                trial_ends_on: date!(2026 - 02 - 28),
                planned_end_on: date!(2027 - 01 - 28),
                cap_end_on: date!(2028 - 02 - 28),
            })
        );
        // Before: the cap was 18 months.
        let (_, period) = outcome(check(
            &now,
            &admit(date!(2021 - 03 - 01), date!(2021 - 03 - 01)),
            &rules(),
            TODAY,
        ));
        assert_eq!(period.map(|p| p.cap_end_on), Some(date!(2022 - 10 - 01)));
        // Before the act, no rule applies.
        assert_eq!(
            check(
                &now,
                &admit(date!(2003 - 01 - 01), date!(2003 - 01 - 01)),
                &rules(),
                TODAY
            ),
            Err(Refusal::NoRule)
        );
    }

    #[test]
    fn extensions_stay_between_the_current_end_and_the_cap() {
        let now = current(Status::Participant);
        let (end, cap) = (days(-230), days(-630));
        let extend = |decided_on, new_end| {
            check_extension(
                &now,
                &Extension {
                    decided_on,
                    new_end,
                },
                &rules(),
                TODAY,
            )
        };
        assert_eq!(extend(days(0), end + Duration::days(1)), Ok(()));
        assert_eq!(extend(days(0), cap), Ok(()));
        let field = |r: Result<(), Refusal>, f: &str| match r {
            Err(Refusal::Invalid(e)) => e.field(f).map(str::to_owned),
            _ => None,
        };
        assert!(
            field(extend(days(0), end), "new_end")
                .is_some_and(|m| m.contains("późniejszy niż obecny"))
        );
        assert!(
            field(extend(days(0), cap + Duration::days(1)), "new_end")
                .is_some_and(|m| m.contains("nie może przekroczyć 24 miesięcy"))
        );
        assert!(
            field(extend(days(-1), cap), "decided_on").is_some_and(|m| m.contains("przyszłości"))
        );
        assert_eq!(
            check_extension(
                &current(Status::Graduate),
                &Extension {
                    decided_on: days(0),
                    new_end: cap
                },
                &rules(),
                TODAY
            ),
            Err(Refusal::NotExtendable)
        );
    }
}
