//! Status changes: candidate → reserve list → trial period → participant → graduate |
//! terminated. Each change is one transaction that locks the participant row, asks the policy,
//! checks the transition (`transition::check`: the arrows, the dates, the rule in force), applies
//! it with a guarded `update … where status = <from>` (a double or out-of-order post answers
//! 409), writes the history row and the audit row. Graduation creates the follow-up schedule in
//! the same transaction.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::access;
use super::db;
use super::model::{ContractType, GraduationOutcome, TerminationReason};
use super::record::Record;
use super::rules::{ParticipationRules, Period};
use super::transition::{self, Current, Graduation, Refusal, Transition};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::error::{AppError, Result};
use crate::follow_ups;
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::confirm::confirmed;
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, FieldErrors, choices};
use crate::web::page::{Layout, render, render_with_status};

mod admission;
mod ending;

pub use admission::{Admission, RecruitmentFile, admit_on_signature};

/// A status change the file offers: its target, the action the policy decides on, the button.
pub struct Step {
    pub target: Status,
    pub action: Action,
    pub button: &'static str,
    /// The form's heading, before the person's name ("Przyjęcie na okres próbny: …").
    pub heading: &'static str,
}

/// The status changes made on the file, in the order it lists them. Admission is not one of
/// them: it happens when the participant's first IPZS is signed (`ipzs`, [`admit_on_signature`]).
pub const STEPS: [Step; 4] = [
    Step {
        target: Status::Reserve,
        action: Action::MoveToReserve,
        button: "Wpisz na listę rezerwową",
        heading: "Wpis na listę rezerwową",
    },
    Step {
        target: Status::Participant,
        action: Action::ConfirmParticipant,
        button: "Zakończ okres próbny",
        heading: "Zakończenie okresu próbnego",
    },
    Step {
        target: Status::Graduate,
        action: Action::GraduateParticipant,
        button: "Zakończ udział – absolwent",
        heading: "Ukończenie udziału w CIS",
    },
    Step {
        target: Status::Terminated,
        action: Action::TerminateParticipant,
        button: "Przerwij udział",
        heading: "Przerwanie udziału w CIS",
    },
];

/// The `{id}` and `{target}` of a status route; anything unknown does not exist (404).
fn parse_path(id: &str, target: &str) -> Result<(Uuid, &'static Step)> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let step = STEPS
        .iter()
        .find(|s| s.target.code() == target)
        .ok_or(AppError::NotFound)?;
    Ok((id, step))
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::conflict(refusal.message())
    }
}

/// What the lifecycle check needs to know about the record now.
pub fn current(record: &Record, last_change: Option<time::Date>) -> Current {
    Current {
        status: record.status,
        admitted_on: record.admitted_on,
        trial_ends_on: record.trial_ends_on,
        planned_end_on: record.planned_end_on,
        cap_end_on: record.cap_end_on,
        last_change,
    }
}

/// The status-change form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TransitionForm {
    date: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    contract: String,
    #[serde(default)]
    reason: String,
    /// The confirmation page of an end of participation has been seen (`web::confirm`).
    #[serde(default)]
    confirm: String,
}

impl TransitionForm {
    /// The change to `target` this form asks for, and the user's note for the history.
    fn parse(&self, target: Status) -> Result<(Transition, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = errors.take("date", dates::parse(&self.date));
        // 1500 leaves room for the reason's fixed part in the 2000-character history column.
        let note = errors
            .take("note", validate::optional_text(&self.note, 1500))
            .flatten();
        let transition = match target {
            // Admission is the signing of the IPZS, not a form of its own.
            Status::Trial => None,
            Status::Graduate => {
                let graduation = match GraduationOutcome::from_code(&self.outcome) {
                    None => Err("Wybierz, jak zakończył się udział.".to_owned()),
                    Some(GraduationOutcome::Employment) => ContractType::from_code(&self.contract)
                        .map(Graduation::Employment)
                        .ok_or_else(|| "Wybierz formę zatrudnienia.".to_owned()),
                    Some(GraduationOutcome::OwnBusiness) => Ok(Graduation::OwnBusiness),
                    Some(GraduationOutcome::PeriodElapsed) => Ok(Graduation::PeriodElapsed),
                };
                let field = if self.outcome == "employment" {
                    "contract"
                } else {
                    "outcome"
                };
                let graduation = errors.take(field, graduation);
                on.zip(graduation)
                    .map(|(on, graduation)| Transition::Graduate { on, graduation })
            }
            Status::Terminated => {
                let reason = errors.take(
                    "reason",
                    TerminationReason::from_code(&self.reason).ok_or_else(|| {
                        "Wybierz jedną z trzech przyczyn przerwania udziału.".to_owned()
                    }),
                );
                on.zip(reason)
                    .map(|(on, reason)| Transition::Terminate { on, reason })
            }
            Status::Participant => on.map(|on| Transition::Confirm { on }),
            Status::Reserve | Status::Candidate => on.map(|on| Transition::Reserve { on }),
        };
        match transition {
            Some(t) if errors.is_empty() => Ok((t, note)),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "participants/status.html")]
struct StatusPage {
    layout: Layout,
    id: Uuid,
    from: &'static str,
    target: Status,
    form: TransitionForm,
    errors: FieldErrors,
    trial_end: Option<String>,
    /// Ending: the form of the final evaluation the running IPZS still needs.
    final_evaluation: Option<String>,
    /// Ending participation: the open social contract, which it does not close (its Part II is
    /// the social worker's): (link, its state).
    open_contract: Option<(String, &'static str)>,
    outcomes: Vec<Choice>,
    contracts: Vec<Choice>,
    reasons: Vec<Choice>,
}

impl StatusPage {
    fn is(&self, target: &str) -> bool {
        self.target.code() == target
    }
}

/// The heading of the form that moves a participant to `target`.
fn heading(target: Status) -> &'static str {
    STEPS
        .iter()
        .find(|s| s.target == target)
        .map_or(target.label(), |s| s.heading)
}

async fn status_page(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    target: Status,
    form: TransitionForm,
    errors: FieldErrors,
) -> Result<StatusPage> {
    Ok(StatusPage {
        layout: Layout::for_user(
            state,
            user,
            format!("{}: {}", heading(target), record.name()),
            "/participants",
        ),
        id: record.participant_id,
        from: record.status.label_for(record.data.female()),
        target,
        trial_end: record.trial_ends_on.map(dates::format),
        final_evaluation: if matches!(target, Status::Graduate | Status::Terminated) {
            db::programme_to_close(&state.db, record.participant_id)
                .await?
                .filter(|(_, signed, evaluated)| *signed && !evaluated)
                .map(|(document, _, _)| format!("/ipzs/{document}/monitoring"))
        } else {
            None
        },
        open_contract: if matches!(target, Status::Graduate | Status::Terminated) {
            db::open_contract(&state.db, record.participant_id)
                .await?
                .map(|(document, status)| (format!("/contracts/{document}"), status.label()))
        } else {
            None
        },
        outcomes: choices::<GraduationOutcome>(&form.outcome),
        contracts: choices::<ContractType>(&form.contract),
        reasons: choices::<TerminationReason>(&form.reason),
        form,
        errors,
    })
}

/// `GET /participants/{id}/status/{target}`.
pub(super) async fn status_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<Response> {
    let (id, step) = parse_path(&id, &target)?;
    let record = access::load(&state, &user, id, step.action).await?;
    transition::allowed(record.status, step.target)?;
    // The trial period ends on its own date: confirming it is dated then (or today, if the
    // manager confirms before it is over).
    let date = match (step.target, record.trial_ends_on) {
        (Status::Participant, Some(end)) => end.min(state.today()),
        _ => state.today(),
    };
    let form = TransitionForm {
        date: dates::iso(date),
        ..TransitionForm::default()
    };
    let page = status_page(
        &state,
        &user,
        &record,
        step.target,
        form,
        FieldErrors::new(),
    )
    .await?;
    render(&page)
}

/// `POST /participants/{id}/status/{target}`.
pub(super) async fn change_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, target)): Path<(String, String)>,
    SecureForm(form): SecureForm<TransitionForm>,
) -> Result<Response> {
    let (id, step) = parse_path(&id, &target)?;
    let (mut tx, record) = access::lock(&state, &user, id, step.action).await?;
    transition::allowed(record.status, step.target)?;
    let last_change = db::latest_change(&mut *tx, id).await?;
    let rules = ParticipationRules::load(&mut *tx, user.centre_id).await?;
    let now = current(&record, last_change);
    let Checked {
        transition,
        note,
        period,
    } = match checked(&form, step.target, &now, &rules, &state)? {
        Ok(checked) => checked,
        Err(errors) => {
            drop(tx);
            let page = status_page(&state, &user, &record, step.target, form, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    // Ending participation closes the participant's programme, once its final evaluation is
    // recorded.
    let programme = if matches!(step.target, Status::Graduate | Status::Terminated) {
        db::programme_to_close(&mut *tx, id).await?
    } else {
        None
    };
    if let Some((_, true, false)) = programme {
        drop(tx);
        let mut errors = FieldErrors::new();
        errors.add(
            "ipzs",
            "Przed zakończeniem udziału zapisz ocenę końcową IPZS (wpis monitoringu „Ocena końcowa”).",
        );
        let page = status_page(&state, &user, &record, step.target, form, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    // Ending participation is not undone: it is confirmed on a page that says what happens.
    if matches!(step.target, Status::Graduate | Status::Terminated) && !confirmed(&form.confirm) {
        drop(tx);
        let page = ending::confirmation(&state, &user, &record, step, &transition, &form);
        return render(&page);
    }
    let from = record.status;
    if !db::apply_transition(&mut tx, id, from, &transition, period).await? {
        return Err(Refusal::Impossible {
            from,
            to: step.target,
        }
        .into());
    }
    if let Transition::Graduate { on, .. } = transition {
        follow_ups::schedule::create(&mut tx, user.centre_id, id, on).await?;
    }
    if let Some((document, _, _)) = programme {
        close_programme(&mut tx, &user, document, &transition).await?;
    }
    let reason: Vec<String> = transition.describe().into_iter().chain(note).collect();
    let change = db::StatusRecord {
        centre_id: user.centre_id,
        participant_id: id,
        from: Some(from),
        to: step.target,
        on: transition.on(),
        reason: (!reason.is_empty()).then(|| reason.join(". ")),
        decided_by: user.user_id,
    };
    db::record_status(&mut *tx, &change).await?;
    let event =
        access::done(step.action, id).detail(format!("{}->{}", from.code(), step.target.code()));
    let message = format!("Nowy status: {}.", step.target.label());
    access::finish(tx, &user, id, event, &message).await
}

/// Closes the participant's programme with the reason participation ended, in the ending's
/// transaction (its audit row recorded there too): a running one after its final evaluation,
/// an unsigned one as it stands, an open amendment with it (the version signed before stays
/// the one that was in force).
async fn close_programme(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    document: Uuid,
    transition: &Transition,
) -> Result<()> {
    use crate::documents::{db as documents, step, workflow};
    let locked = documents::lock(&mut *tx, user.centre_id, document, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = transition
        .describe()
        .unwrap_or_else(|| transition.target().label().to_owned());
    // Closing ends the version in force too (signed earlier, if an amendment was still open).
    let event = step::apply(&mut *tx, user, &locked, &workflow::Step::Close { reason }).await?;
    crate::audit::record(&mut *tx, &user.meta, event.by(user.audit_actor())).await?;
    Ok(())
}

/// A change that passed the checks.
struct Checked {
    transition: Transition,
    /// The user's note for the history.
    note: Option<String>,
    /// The period an admission sets.
    period: Option<Period>,
}

/// The change the form asks for, checked against the participant's state; or the form's
/// messages. A refusal that is no fault of the form (no rule in force) is the outer error.
fn checked(
    form: &TransitionForm,
    target: Status,
    now: &Current,
    rules: &ParticipationRules,
    state: &AppState,
) -> Result<std::result::Result<Checked, FieldErrors>> {
    let (transition, note) = match form.parse(target) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Err(errors)),
    };
    match transition::check(now, &transition, rules, state.today()) {
        Ok(period) => Ok(Ok(Checked {
            transition,
            note,
            period,
        })),
        Err(Refusal::Invalid(errors)) => Ok(Err(errors)),
        Err(other) => Err(other.into()),
    }
}
