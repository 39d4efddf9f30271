//! The status machine of an approvable document, as one pure function, [`check`].
//!
//! ```text
//! draft ──submit──► submitted ──approve──► approved ──sign──► signed ──start──► in realization
//!   ▲                   │                                       │                    │
//!   └──────return───────┘                                       └──────close─────────┴──► closed
//! ```
//!
//! Closing is possible from every status but closed: a document that ends before it was signed
//! (the person left the centre) closes unsigned, and an amendment still open when the document
//! ends closes with it (the version signed before stays what was in force).
//!
//! Invariants: a step not drawn above is refused with [`Refusal::NotFromHere`]; the document's
//! author may neither approve nor return it (both are the reviewer's acts, so a submitted
//! document cannot be pulled back by its author: someone else must return it); returning needs
//! a comment and closing a reason, neither blank. Who may take a step at all (the manager
//! approves and signs, …) is the policy module's business, not this one's.

use crate::domain::vocabulary;

vocabulary! {
    /// Where an approvable document (one version of it) stands.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "document_status", rename_all = "snake_case")]
    pub enum DocStatus {
        /// Projekt: the author writes it.
        Draft = ("draft", "Projekt"),
        /// Przekazany do zatwierdzenia: waits for the reviewer.
        Submitted = ("submitted", "Przekazany do zatwierdzenia"),
        /// Zatwierdzony: approved, waits for signatures.
        Approved = ("approved", "Zatwierdzony"),
        /// Podpisany: the signature dates are recorded.
        Signed = ("signed", "Podpisany"),
        /// W realizacji: the programme or contract runs.
        InRealization = ("in_realization", "W realizacji"),
        /// Zamknięty: ended, with a reason.
        Closed = ("closed", "Zamknięty"),
    }
}

impl DocStatus {
    /// The text of a version in this status never changes again (approved and later).
    pub fn is_frozen(self) -> bool {
        matches!(
            self,
            DocStatus::Approved | DocStatus::Signed | DocStatus::InRealization | DocStatus::Closed
        )
    }
}

/// One step of the workflow, with the text some steps require.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Przekaż do zatwierdzenia.
    Submit,
    /// Zwróć do poprawy, saying what to fix.
    Return {
        /// What the author must fix; must not be blank.
        comment: String,
    },
    /// Zatwierdź.
    Approve,
    /// Zapisz podpisy (the paper signatures' dates are recorded by the caller).
    Sign,
    /// Rozpocznij realizację.
    StartRealization,
    /// Zamknij, saying why.
    Close {
        /// Why the document ends; must not be blank.
        reason: String,
    },
}

impl Step {
    /// Code used in forms, URLs and the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Return { .. } => "return",
            Step::Approve => "approve",
            Step::Sign => "sign",
            Step::StartRealization => "start_realization",
            Step::Close { .. } => "close",
        }
    }

    /// What the history says of a step recorded with `code` ("zatwierdzono"); `None` for a
    /// code this version does not know.
    pub fn history_label(code: &str) -> Option<&'static str> {
        Some(match code {
            "submit" => "przekazano do zatwierdzenia",
            "return" => "zwrócono do poprawy",
            "approve" => "zatwierdzono",
            "sign" => "zapisano podpisy",
            "start_realization" => "rozpoczęto realizację",
            "close" => "zamknięto",
            "create" => "rozpoczęto projekt",
            "amend" => "rozpoczęto aneks (nową wersję)",
            "sign_centre" => "zapisano podpis kierownika CIS",
            "evaluation_submit" => "przekazano ocenę (część II) do zatwierdzenia",
            "evaluation_return" => "zwrócono ocenę (część II) do poprawy",
            "evaluation_approve" => "zatwierdzono ocenę (część II)",
            _ => return None,
        })
    }

    /// Polish flash message shown once the step is done.
    pub fn done_message(&self) -> &'static str {
        match self {
            Step::Submit => "Dokument przekazano do zatwierdzenia.",
            Step::Return { .. } => "Dokument zwrócono do poprawy.",
            Step::Approve => "Dokument zatwierdzono.",
            Step::Sign => "Podpisy zostały zapisane.",
            Step::StartRealization => "Rozpoczęto realizację.",
            Step::Close { .. } => "Dokument zamknięto.",
        }
    }
}

/// The facts about the person taking a step that the machine itself needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepActor {
    /// The person wrote the document (its current version).
    pub is_author: bool,
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The step does not start from the document's status.
    NotFromHere {
        /// The status the document is in.
        from: DocStatus,
    },
    /// The author tried to approve or return their own document.
    AuthorMayNotApprove,
    /// Return without saying what to fix.
    CommentRequired,
    /// Close without a reason.
    ReasonRequired,
}

impl Refusal {
    /// Polish message for the user.
    pub fn message(&self) -> String {
        match self {
            Refusal::NotFromHere { from } => format!(
                "Tej czynności nie można wykonać na dokumencie w stanie „{}”. Jeśli kliknięto \
                 dwa razy albo dokument zmieniono w innej karcie, czynność mogła już zostać \
                 wykonana – otwórz dokument ponownie, aby zobaczyć jego obecny stan.",
                from.label()
            ),
            Refusal::AuthorMayNotApprove => "Autor dokumentu nie może go zatwierdzić ani zwrócić \
                 do poprawy – robi to inna osoba (rozdział obowiązków)."
                .to_owned(),
            Refusal::CommentRequired => "Podaj, co trzeba poprawić.".to_owned(),
            Refusal::ReasonRequired => "Podaj przyczynę zamknięcia.".to_owned(),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Refusal {}

/// The status `step` leads to from `current`, or why it may not be taken.
///
/// Checks in this order: the arrow exists, then segregation of duties, then the step's text.
pub fn check(current: DocStatus, step: &Step, actor: StepActor) -> Result<DocStatus, Refusal> {
    use DocStatus::*;
    let to = match (current, step) {
        (Draft, Step::Submit) => Submitted,
        (Submitted, Step::Return { .. }) => Draft,
        (Submitted, Step::Approve) => Approved,
        (Approved, Step::Sign) => Signed,
        (Signed, Step::StartRealization) => InRealization,
        (Draft | Submitted | Approved | Signed | InRealization, Step::Close { .. }) => Closed,
        (from, _) => return Err(Refusal::NotFromHere { from }),
    };
    match step {
        Step::Approve | Step::Return { .. } if actor.is_author => Err(Refusal::AuthorMayNotApprove),
        Step::Return { comment } if comment.trim().is_empty() => Err(Refusal::CommentRequired),
        Step::Close { reason } if reason.trim().is_empty() => Err(Refusal::ReasonRequired),
        _ => Ok(to),
    }
}

#[cfg(test)]
mod tests {
    use super::DocStatus::*;
    use super::*;

    const AUTHOR: StepActor = StepActor { is_author: true };
    const OTHER: StepActor = StepActor { is_author: false };

    fn ret(comment: &str) -> Step {
        Step::Return {
            comment: comment.to_owned(),
        }
    }

    fn close(reason: &str) -> Step {
        Step::Close {
            reason: reason.to_owned(),
        }
    }

    #[test]
    fn every_status_step_and_actor_gives_the_expected_outcome() {
        // Not derived from `check`: written out by hand from DOMAIN.md "IPZS".
        type Outcome = Result<DocStatus, Refusal>;
        let nf = |from| Err(Refusal::NotFromHere { from });
        let seg: Outcome = Err(Refusal::AuthorMayNotApprove);
        let no_comment: Outcome = Err(Refusal::CommentRequired);
        let no_reason: Outcome = Err(Refusal::ReasonRequired);
        let steps = [
            Step::Submit,
            ret("Uzupełnij cele."),
            ret("  \n"),
            Step::Approve,
            Step::Sign,
            Step::StartRealization,
            close("Podjęcie zatrudnienia."),
            close(" "),
        ];
        // One row per status; one (other person, author) pair per step above.
        let table: [(DocStatus, [(Outcome, Outcome); 8]); 6] = [
            (
                Draft,
                [
                    (Ok(Submitted), Ok(Submitted)),
                    (nf(Draft), nf(Draft)),
                    (nf(Draft), nf(Draft)),
                    (nf(Draft), nf(Draft)),
                    (nf(Draft), nf(Draft)),
                    (nf(Draft), nf(Draft)),
                    (Ok(Closed), Ok(Closed)),
                    (no_reason.clone(), no_reason.clone()),
                ],
            ),
            (
                Submitted,
                [
                    (nf(Submitted), nf(Submitted)),
                    (Ok(Draft), seg.clone()),
                    (no_comment.clone(), seg.clone()),
                    (Ok(Approved), seg.clone()),
                    (nf(Submitted), nf(Submitted)),
                    (nf(Submitted), nf(Submitted)),
                    (Ok(Closed), Ok(Closed)),
                    (no_reason.clone(), no_reason.clone()),
                ],
            ),
            (
                Approved,
                [
                    (nf(Approved), nf(Approved)),
                    (nf(Approved), nf(Approved)),
                    (nf(Approved), nf(Approved)),
                    (nf(Approved), nf(Approved)),
                    (Ok(Signed), Ok(Signed)),
                    (nf(Approved), nf(Approved)),
                    (Ok(Closed), Ok(Closed)),
                    (no_reason.clone(), no_reason.clone()),
                ],
            ),
            (
                Signed,
                [
                    (nf(Signed), nf(Signed)),
                    (nf(Signed), nf(Signed)),
                    (nf(Signed), nf(Signed)),
                    (nf(Signed), nf(Signed)),
                    (nf(Signed), nf(Signed)),
                    (Ok(InRealization), Ok(InRealization)),
                    (Ok(Closed), Ok(Closed)),
                    (no_reason.clone(), no_reason.clone()),
                ],
            ),
            (
                InRealization,
                [
                    (nf(InRealization), nf(InRealization)),
                    (nf(InRealization), nf(InRealization)),
                    (nf(InRealization), nf(InRealization)),
                    (nf(InRealization), nf(InRealization)),
                    (nf(InRealization), nf(InRealization)),
                    (nf(InRealization), nf(InRealization)),
                    (Ok(Closed), Ok(Closed)),
                    (no_reason.clone(), no_reason),
                ],
            ),
            (
                Closed,
                [
                    (nf(Closed), nf(Closed)),
                    (nf(Closed), nf(Closed)),
                    (nf(Closed), nf(Closed)),
                    (nf(Closed), nf(Closed)),
                    (nf(Closed), nf(Closed)),
                    (nf(Closed), nf(Closed)),
                    (nf(Closed), nf(Closed)),
                    (nf(Closed), nf(Closed)),
                ],
            ),
        ];

        let covered: Vec<DocStatus> = table.iter().map(|(status, _)| *status).collect();
        assert_eq!(covered, DocStatus::ALL, "the table covers every status");
        let mut checked = 0;
        for (status, row) in &table {
            for (step, (for_other, for_author)) in steps.iter().zip(row) {
                assert_eq!(
                    &check(*status, step, OTHER),
                    for_other,
                    "{status:?} {step:?} by another person"
                );
                assert_eq!(
                    &check(*status, step, AUTHOR),
                    for_author,
                    "{status:?} {step:?} by the author"
                );
                checked += 2;
            }
        }
        assert_eq!(checked, 6 * 8 * 2);
    }

    #[test]
    fn happy_path_runs_from_draft_to_closed() {
        let path = [
            (Step::Submit, AUTHOR, Submitted),
            (ret("Popraw harmonogram."), OTHER, Draft),
            (Step::Submit, AUTHOR, Submitted),
            (Step::Approve, OTHER, Approved),
            (Step::Sign, OTHER, Signed),
            (Step::StartRealization, AUTHOR, InRealization),
            (close("Ukończenie programu."), OTHER, Closed),
        ];
        let mut status = Draft;
        for (step, actor, expected) in path {
            status = check(status, &step, actor).expect("each step of the happy path is allowed");
            assert_eq!(status, expected, "after {}", step.code());
        }
    }

    #[test]
    fn status_codes_round_trip_and_are_distinct() {
        for status in DocStatus::ALL {
            assert_eq!(DocStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(DocStatus::from_code("in_realization"), Some(InRealization));
        assert_eq!(DocStatus::from_code("InRealization"), None);
        assert_eq!(DocStatus::from_code(""), None);
        let mut codes: Vec<_> = DocStatus::ALL.iter().map(|s| s.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), DocStatus::ALL.len());
    }

    #[test]
    fn only_approved_and_later_statuses_are_frozen() {
        let frozen: Vec<_> = DocStatus::ALL
            .into_iter()
            .filter(|s| s.is_frozen())
            .collect();
        assert_eq!(frozen, [Approved, Signed, InRealization, Closed]);
    }

    #[test]
    fn refusal_messages_name_the_status_in_polish() {
        assert!(
            Refusal::NotFromHere { from: Approved }
                .message()
                .starts_with(
                    "Tej czynności nie można wykonać na dokumencie w stanie „Zatwierdzony”."
                )
        );
        assert_eq!(
            Refusal::ReasonRequired.to_string(),
            "Podaj przyczynę zamknięcia."
        );
        assert!(
            Refusal::AuthorMayNotApprove
                .message()
                .contains("rozdział obowiązków")
        );
    }

    #[test]
    fn step_codes_and_messages() {
        assert_eq!(ret("x").code(), "return");
        assert_eq!(Step::StartRealization.code(), "start_realization");
        assert_eq!(close("x").done_message(), "Dokument zamknięto.");
        assert_eq!(Step::Sign.done_message(), "Podpisy zostały zapisane.");
    }
}
