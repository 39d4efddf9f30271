//! Part II, the evaluation of a contract at its end (seed 001, part VI): the outcome
//! (positive; broken – the client did not act and does not want to continue; new goals – a new,
//! full contract follows), what the client gained and whether the actions brought the main goal
//! closer. The social worker writes it (a draft saves at any time, guarded by its revision) and
//! submits it; the manager approves it or returns it with a comment – the engine's status
//! machine on Part II's own status, so the author never approves it (the database agrees).
//! Approval closes the contract (the engine's close step) and freezes Part II.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, EvaluationText, Outcome};
use super::flow::ContractStep;
use super::show::{self, Forms};
use crate::audit::{AuditEvent, Outcome as AuditOutcome};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, Locked};
use crate::documents::step;
use crate::documents::view::{self, Person};
use crate::documents::workflow::{self, DocStatus, Step, StepActor};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors, choices, not_in_future};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The evaluation form.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    evaluated_on: String,
    #[serde(default)]
    gained: String,
    #[serde(default)]
    towards_goal: String,
    #[serde(default)]
    revision: String,
}

#[derive(Template)]
#[template(path = "contracts/evaluation.html")]
struct EvaluationPage {
    layout: Layout,
    id: Uuid,
    person: Person,
    outcomes: Vec<Choice>,
    form: EvaluationForm,
    revision: i32,
    main_goal: String,
    returned: Option<(String, String, String)>,
    errors: FieldErrors,
}

/// The form's page once the policy allowed writing Part II of a running contract.
async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: Option<EvaluationForm>,
    errors: FieldErrors,
) -> Result<EvaluationPage> {
    let (d, (header, stored, in_force, history)) = super::read(
        state,
        user,
        id,
        Action::EvaluateDocument,
        "evaluation",
        async |conn, d| {
            Ok((
                view::header(
                    &mut *conn,
                    user.centre_id,
                    d.facts.participant.participant_id,
                )
                .await?
                .ok_or(AppError::NotFound)?,
                db::evaluation(&mut *conn, id).await?,
                db::in_force(&mut *conn, id).await?,
                documents::history(&mut *conn, id).await?,
            ))
        },
    )
    .await?;
    let facts = super::flow::State {
        status: d.status,
        centre_signed: true,
        in_force: in_force.is_some(),
        evaluation: stored.as_ref().map(|e| (e.status, e.outcome)),
        renewed: false,
    };
    super::flow::check(ContractStep::Evaluate, facts).map_err(AppError::conflict)?;
    let revision = stored.as_ref().map_or(0, |e| e.revision);
    let form = form.unwrap_or_else(|| match &stored {
        Some(e) => EvaluationForm {
            outcome: e.outcome.code().to_owned(),
            evaluated_on: dates::iso(e.evaluated_on),
            gained: e.gained.clone(),
            towards_goal: e.towards_goal.clone(),
            revision: e.revision.to_string(),
        },
        None => EvaluationForm {
            evaluated_on: dates::iso(state.today()),
            ..EvaluationForm::default()
        },
    });
    // The comment of the manager's last return of Part II, while it is a draft again.
    let returned = history
        .first()
        .filter(|h| h.step == "evaluation_return")
        .map(|h| {
            (
                h.comment.clone().unwrap_or_default(),
                h.decided_by_name.clone(),
                view::moment(h.occurred_at),
            )
        });
    let person = Person::of(&header);
    Ok(EvaluationPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Ocena kontraktu (część II): {}", person.name),
            "/participants",
        ),
        id,
        person,
        outcomes: choices::<Outcome>(&form.outcome),
        form,
        revision,
        main_goal: in_force
            .map(|(_, s)| {
                super::content::Contract::from_sections(&s)
                    .text("main_goal")
                    .to_owned()
            })
            .unwrap_or_default(),
        returned,
        errors,
    })
}

/// `GET /contracts/{id}/evaluation`.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let page = page(&state, &user, id, None, FieldErrors::new())
        .await
        .map_err(|e| e.back_to(super::href(id)))?;
    render(&page)
}

/// `POST /contracts/{id}/evaluation`: saves Part II as a draft.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<EvaluationForm>,
) -> Result<Response> {
    let mut errors = FieldErrors::new();
    let outcome = Outcome::from_code(&form.outcome);
    if outcome.is_none() {
        errors.add("outcome", "Wybierz ocenę realizacji kontraktu z listy.");
    }
    let on = errors.take(
        "evaluated_on",
        dates::parse(&form.evaluated_on).and_then(|on| not_in_future(on, state.today())),
    );
    let gained = errors.take(
        "gained",
        validate::required_text(&form.gained, 8000).map_err(|_| {
            "Opisz, jakie korzyści odniósł klient i co udało mu się zrealizować (do 8000 \
             znaków)."
                .to_owned()
        }),
    );
    let towards = errors.take(
        "towards_goal",
        validate::required_text(&form.towards_goal, 8000).map_err(|_| {
            "Napisz, czy podjęte działania zbliżyły klienta do celu głównego (do 8000 znaków)."
                .to_owned()
        }),
    );
    let revision = form.revision.trim().parse::<i32>().ok();
    let (Some(outcome), Some(on), Some(gained), Some(towards), Some(revision)) =
        (outcome, on, gained, towards, revision)
    else {
        if revision.is_none() && errors.is_empty() {
            return Err(AppError::bad_request("Formularz oceny nie ma pola wersji."));
        }
        let page = page(&state, &user, id, Some(form), errors)
            .await
            .map_err(|e| e.back_to(super::href(id)))?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let (mut tx, d) = step::lock(&state, &user, &super::KIND, id, Action::EvaluateDocument)
        .await
        .map_err(|e| e.back_to(super::href(id)))?;
    super::admit(&mut tx, &d, ContractStep::Evaluate).await?;
    let text = EvaluationText {
        outcome,
        evaluated_on: on,
        gained: &gained,
        towards_goal: &towards,
    };
    if !db::save_evaluation(&mut tx, user.centre_id, id, revision, &text, user.user_id).await? {
        return Err(AppError::conflict(
            "Ocena zmieniła się w międzyczasie (zapisano ją w innej karcie albo przekazano \
             kierownikowi). Twoje zmiany nie zostały zapisane – otwórz ocenę ponownie.",
        )
        .back_to(format!("/contracts/{id}/evaluation")));
    }
    let audit = AuditEvent::new(Action::EvaluateDocument.code(), AuditOutcome::Success)
        .on("document", id)
        .participant(d.facts.participant.participant_id)
        .detail(format!("outcome:{}", outcome.code()));
    finish(
        tx,
        &user,
        audit,
        "Zapisano ocenę kontraktu (część II). Przekaż ją kierownikowi, gdy będzie gotowa.",
        &super::href(id),
    )
    .await
}

/// Takes `step` on Part II of the contract locked for `action`: the engine's status machine on
/// Part II's status (the author of Part II neither approves nor returns it), the guarded move,
/// the history row (`code`). Returns Part II's outcome and the step's audit row.
async fn evaluation_step(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    d: &Locked,
    step: &Step,
    code: &'static str,
    action: Action,
) -> Result<(Outcome, AuditEvent<'static>)> {
    let id = d.facts.document_id;
    let stored = db::evaluation(&mut *tx, id)
        .await?
        .ok_or_else(|| AppError::conflict("Kontrakt nie ma jeszcze oceny (część II)."))?;
    let actor = StepActor {
        is_author: stored.author_id == user.user_id,
    };
    let next = workflow::check(stored.status, step, actor)?;
    let approver = (next == DocStatus::Approved).then_some(user.user_id);
    if d.status == DocStatus::Closed
        || !db::move_evaluation(&mut *tx, id, stored.status, next, approver).await?
    {
        return Err(workflow::Refusal::NotFromHere {
            from: stored.status,
        }
        .into());
    }
    let comment = match step {
        Step::Return { comment } => Some(comment.trim()),
        _ => None,
    };
    let detail = format!("evaluation:{}:{}", step.code(), stored.outcome.code());
    let audit = step::note(tx, user, d, code, comment, action, detail).await?;
    Ok((stored.outcome, audit))
}

/// `POST /contracts/{id}/evaluation/submit`: Part II goes to the manager.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    async {
        let (mut tx, d) =
            step::lock(&state, &user, &super::KIND, id, Action::EvaluateDocument).await?;
        let action = Action::EvaluateDocument;
        let (_, audit) = evaluation_step(
            &mut tx,
            &user,
            &d,
            &Step::Submit,
            "evaluation_submit",
            action,
        )
        .await?;
        let message = "Ocenę przekazano kierownikowi CIS do zatwierdzenia.";
        finish(tx, &user, audit, message, &super::href(id)).await
    }
    .await
    .map_err(|e| e.back_to(super::href(id)))
}

/// The return form of Part II.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnForm {
    #[serde(default)]
    evaluation_comment: String,
}

/// `POST /contracts/{id}/evaluation/return`: back to the social worker with a comment.
pub async fn give_back(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ReturnForm>,
) -> Result<Response> {
    let Ok(comment) = validate::required_text(&form.evaluation_comment, 4000) else {
        super::found(&state, &user, id, Action::ReturnDocument).await?;
        let mut errors = FieldErrors::new();
        errors.add(
            "evaluation_comment",
            "Napisz, co w ocenie trzeba poprawić (do 4000 znaków).",
        );
        let forms = Forms {
            evaluation_comment: form.evaluation_comment,
            ..Forms::default()
        };
        return show::refused(&state, &user, id, forms, errors, FieldErrors::new()).await;
    };
    async {
        let (mut tx, d) =
            step::lock(&state, &user, &super::KIND, id, Action::ReturnDocument).await?;
        let step = Step::Return { comment };
        let action = Action::ReturnDocument;
        let (_, audit) =
            evaluation_step(&mut tx, &user, &d, &step, "evaluation_return", action).await?;
        let message = "Ocenę zwrócono do poprawy.";
        finish(tx, &user, audit, message, &super::href(id)).await
    }
    .await
    .map_err(|e| e.back_to(super::href(id)))
}

/// `POST /contracts/{id}/evaluation/approve`: the manager approves Part II, which closes the
/// contract with the outcome as its reason.
pub async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    async {
        let (mut tx, d) =
            step::lock(&state, &user, &super::KIND, id, Action::ApproveDocument).await?;
        let action = Action::ApproveDocument;
        let (outcome, first) = evaluation_step(
            &mut tx,
            &user,
            &d,
            &Step::Approve,
            "evaluation_approve",
            action,
        )
        .await?;
        let reason = format!("Ocena realizacji kontraktu: {}.", outcome.label());
        crate::audit::record(&mut *tx, &user.meta, first.by(user.audit_actor())).await?;
        let close = step::apply(&mut tx, &user, &d, &Step::Close { reason }).await?;
        let message = match outcome {
            Outcome::NewGoals => {
                "Zatwierdzono ocenę; kontrakt zamknięto. Pracownik socjalny może rozpocząć nowy \
                 kontrakt z nowymi celami."
            }
            _ => "Zatwierdzono ocenę; kontrakt zamknięto.",
        };
        finish(tx, &user, close, message, &super::href(id)).await
    }
    .await
    .map_err(|e| e.back_to(super::href(id)))
}
