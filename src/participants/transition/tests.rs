//! The table tests of the module: every move, allowed or refused.
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
                .map(|(f, m)| (f.to_owned(), m.to_owned()))
                .unwrap_or_default();
            // Leak is fine in a test: the table holds &'static str.
            (
                Want::Field(
                    Box::leak(field.into_boxed_str()),
                    Box::leak(message.into_boxed_str()),
                ),
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
        // Graduation is from the programme, never during the trial period (issue 8).
        (
            Trial,
            Transition::Graduate {
                on: days(1),
                graduation: employment,
            },
            Want::Impossible,
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
        field(extend(days(0), end), "new_end").is_some_and(|m| m.contains("późniejszy niż obecny"))
    );
    assert!(
        field(extend(days(0), cap + Duration::days(1)), "new_end")
            .is_some_and(|m| m.contains("nie może przekroczyć 24 miesięcy"))
    );
    assert!(field(extend(days(-1), cap), "decided_on").is_some_and(|m| m.contains("przyszłości")));
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
