//! The contract's own steps on top of the engine's status machine, as one pure function,
//! [`check`]: which of them the contract's state admits (the order of seed 001: the centre signs
//! before the client; realization, amendments and the evaluation only while it runs; the
//! renewal only after an approved "new goals" evaluation). Who may take a step is the policy's
//! business; the engine's steps (submit, return, accept, close) are `documents::workflow`'s.

use super::db::Outcome;
use crate::documents::workflow::DocStatus;

/// A step of the contract beyond the engine's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContractStep {
    /// The manager's signature for the centre.
    SignForCentre,
    /// The client's signature (starts the realization).
    SignByClient,
    /// An entry of the realization log or a quarterly note.
    Record,
    /// An amendment (aneks) that keeps the goals.
    Amend,
    /// Writing (saving) Part II.
    Evaluate,
    /// A new contract after an evaluation with new goals.
    Renew,
    /// Closing a contract the client never signed (withdrawn, refused), with a reason.
    CloseUnsigned,
}

/// The facts of a contract the steps depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    pub status: DocStatus,
    /// The manager's signature of the current version is recorded.
    pub centre_signed: bool,
    /// A version the client signed binds (also while an amendment is on its way).
    pub in_force: bool,
    /// Part II: its status and outcome, once written.
    pub evaluation: Option<(DocStatus, Outcome)>,
    /// A contract of the participant was started after this one (its renewal, or another).
    pub renewed: bool,
}

/// Whether `step` may be taken on a contract in `state`; otherwise the Polish reason.
pub fn check(step: ContractStep, state: State) -> Result<(), &'static str> {
    use ContractStep::*;
    let running = state.status == DocStatus::InRealization;
    let evaluation = state.evaluation.map(|(status, _)| status);
    match step {
        SignForCentre if state.status != DocStatus::Approved => {
            Err("Kierownik podpisuje kontrakt zatwierdzony, przed klientem.")
        }
        SignForCentre if state.centre_signed => Err("Podpis kierownika CIS jest już zapisany."),
        SignByClient if state.status != DocStatus::Approved => Err(
            "Podpis klienta zapisuje się w kontrakcie zatwierdzonym i podpisanym przez kierownika.",
        ),
        SignByClient if !state.centre_signed => Err(
            "Klient podpisuje kontrakt po kierowniku CIS: najpierw kierownik zapisuje swój \
             podpis (procedura kontraktów, etap III.7).",
        ),
        // The realization goes on under the version in force while an amendment is drafted.
        Record if !state.in_force || state.status == DocStatus::Closed => {
            Err("Realizację zapisuje się w kontrakcie w realizacji.")
        }
        Amend if !running => Err("Aneks zmienia kontrakt w realizacji."),
        Amend if evaluation.is_some() => {
            Err("Kontrakt ma już ocenę (część II): nie zmienia się go aneksem.")
        }
        // Part II may end a contract whose amendment is still on its way (the client broke off).
        Evaluate if !state.in_force || state.status == DocStatus::Closed => {
            Err("Ocenę (część II) pisze się w kontrakcie w realizacji.")
        }
        Evaluate if evaluation.is_some_and(|s| s != DocStatus::Draft) => {
            Err("Ocena jest już przekazana kierownikowi albo zatwierdzona: nie zmienia się jej.")
        }
        Renew
            if state.status != DocStatus::Closed
                || state.evaluation != Some((DocStatus::Approved, Outcome::NewGoals)) =>
        {
            Err(
                "Nowy kontrakt z treścią poprzedniego zaczyna się po zatwierdzonej ocenie „nowe cele”.",
            )
        }
        Renew if state.renewed => Err("Po tym kontrakcie rozpoczęto już nowy."),
        CloseUnsigned if state.status == DocStatus::Closed => Err("Kontrakt jest już zamknięty."),
        CloseUnsigned if state.in_force => Err(
            "Kontrakt podpisany przez klienta kończy się oceną (część II), nie zamknięciem bez \
             oceny.",
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::ContractStep::*;
    use super::*;
    use DocStatus::*;

    fn state(status: DocStatus) -> State {
        State {
            status,
            centre_signed: false,
            in_force: matches!(status, InRealization | Closed),
            evaluation: None,
            renewed: false,
        }
    }

    #[test]
    fn every_state_admits_exactly_its_steps() {
        // Written out by hand from seed 001 and the issue: (state, steps admitted).
        let signed = State {
            centre_signed: true,
            ..state(Approved)
        };
        let evaluated = |s: DocStatus, o: Outcome| State {
            evaluation: Some((s, o)),
            ..state(InRealization)
        };
        let closed = |o: Outcome, renewed: bool| State {
            evaluation: Some((Approved, o)),
            renewed,
            ..state(Closed)
        };
        let table: Vec<(State, Vec<ContractStep>)> = vec![
            (state(Draft), vec![CloseUnsigned]),
            (state(Submitted), vec![CloseUnsigned]),
            (state(Approved), vec![SignForCentre, CloseUnsigned]),
            (signed, vec![SignByClient, CloseUnsigned]),
            (state(InRealization), vec![Record, Amend, Evaluate]),
            // An amendment on its way: the signed version still binds.
            (
                State {
                    in_force: true,
                    ..state(Draft)
                },
                vec![Record, Evaluate],
            ),
            (
                State {
                    in_force: true,
                    ..state(Approved)
                },
                vec![SignForCentre, Record, Evaluate],
            ),
            (evaluated(Draft, Outcome::Positive), vec![Record, Evaluate]),
            (evaluated(Submitted, Outcome::Broken), vec![Record]),
            (closed(Outcome::Positive, false), vec![]),
            (closed(Outcome::Broken, false), vec![]),
            (closed(Outcome::NewGoals, false), vec![Renew]),
            (closed(Outcome::NewGoals, true), vec![]),
            (
                State {
                    evaluation: Some((Submitted, Outcome::NewGoals)),
                    ..state(Closed)
                },
                vec![],
            ),
        ];
        let all = [
            SignForCentre,
            SignByClient,
            Record,
            Amend,
            Evaluate,
            Renew,
            CloseUnsigned,
        ];
        for (s, admitted) in &table {
            for step in all {
                assert_eq!(
                    check(step, *s).is_ok(),
                    admitted.contains(&step),
                    "{step:?} in {s:?}"
                );
            }
        }
    }

    #[test]
    fn the_client_signs_after_the_centre_and_the_reason_says_so() {
        let refused = check(SignByClient, state(Approved)).unwrap_err();
        assert!(refused.contains("po kierowniku"));
        let twice = State {
            centre_signed: true,
            ..state(Approved)
        };
        assert_eq!(
            check(SignForCentre, twice),
            Err("Podpis kierownika CIS jest już zapisany.")
        );
    }
}
