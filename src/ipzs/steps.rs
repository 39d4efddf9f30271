//! The programme's workflow steps, each one transaction through `documents::step`: submit
//! (refused, with every missing part linked, until the programme is complete and the opinions
//! the centre requires are signed off), return with a comment, approve, record the signatures
//! (which, on the first programme of a participant on the reserve list, admit them) and start
//! an amendment. A form's mistakes show on the programme page (422) and change nothing.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::content::Programme;
use super::show::{self, SignForm};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, Locked};
use crate::documents::paper::{self, Party};
use crate::documents::step;
use crate::documents::workflow::{DocStatus, Step};
use crate::domain::Status;
use crate::error::{AppError, Result};
use crate::opinions;
use crate::participants::lifecycle::{Admission, admit_on_signature};
use crate::participants::transition::OpsAgreement;
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::{FieldErrors, not_before, not_in_future};
use crate::web::path::IdPath;

/// The current version's programme, read in the step's transaction.
async fn current(tx: &mut sqlx::PgConnection, d: &Locked) -> Result<Programme> {
    let text = documents::sections(tx, d.facts.document_id, d.version).await?;
    Ok(Programme::from_sections(&text))
}

/// The programme page with `message` at `field` (422), once the policy allowed `action`.
async fn field_refused(
    state: &AppState,
    user: &CurrentUser,
    id: uuid::Uuid,
    action: Action,
    field: &'static str,
    message: &str,
) -> Result<Response> {
    super::found(state, user, id, action).await?;
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    show::refused(
        state,
        user,
        id,
        SignForm::default(),
        errors,
        FieldErrors::new(),
    )
    .await
}

/// `POST /ipzs/{id}/submit`.
async fn submit_step(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    let today = state.today();
    let centre = user.centre_id;
    let missing = async |tx: &mut sqlx::PgConnection, d: &Locked, text| {
        let participant = d.facts.participant.participant_id;
        let programme = Programme::from_sections(&text);
        let mut missing = FieldErrors::new();
        for (field, message) in programme.missing().iter() {
            missing.add(format!("/ipzs/{id}/edit#{field}"), message.to_owned());
        }
        // The OPS head's agreement precedes admission, so it is not a date still to come.
        if let Ok(agreed) = dates::parse(programme.text("ops_date"))
            && agreed > today
        {
            missing.add(
                format!("/ipzs/{id}/edit#ops_date"),
                format!(
                    "Data uzgodnienia z kierownikiem OPS ({}) jest w przyszłości – program \
                     przekazuje się po uzgodnieniu.",
                    dates::format(agreed)
                ),
            );
        }
        let opinions_href = opinions::opinions_href(participant);
        for kind in opinions::missing_required(&mut *tx, centre, participant).await? {
            missing.add(
                format!("{opinions_href}#kind-{}", kind.code()),
                format!(
                    "Brak zatwierdzonej opinii: {}.",
                    kind.label().to_lowercase()
                ),
            );
        }
        Ok(missing)
    };
    let message = Step::Submit.done_message();
    match step::submit(&state, &user, &super::KIND, id, missing, message).await? {
        Ok(done) => Ok(done),
        Err(missing) => {
            let (form, errors) = (SignForm::default(), FieldErrors::new());
            show::refused(&state, &user, id, form, errors, missing).await
        }
    }
}

/// The return form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnForm {
    #[serde(default)]
    comment: String,
}

/// `POST /ipzs/{id}/return`: back to the author with what to fix.
async fn give_back_step(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ReturnForm>,
) -> Result<Response> {
    let Ok(comment) = validate::required_text(&form.comment, 4000) else {
        let message = "Napisz, co autor ma poprawić (do 4000 znaków).";
        return field_refused(
            &state,
            &user,
            id,
            Action::ReturnDocument,
            "comment",
            message,
        )
        .await;
    };
    step::take(&state, &user, &super::KIND, id, Step::Return { comment }).await
}

/// `POST /ipzs/{id}/approve`.
async fn approve_step(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    step::take(&state, &user, &super::KIND, id, Step::Approve).await
}

/// The signatures form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignaturesForm {
    #[serde(default)]
    participant_signed_on: String,
    #[serde(default)]
    manager_signed_on: String,
    /// Admission with recruitment documents missing, confirmed (a checkbox).
    #[serde(default)]
    documents_confirmed: Option<String>,
}

/// `POST /ipzs/{id}/signatures`: records both paper signatures of the approved version; the
/// programme goes into realization; a first programme admits the participant.
async fn sign_step(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<SignaturesForm>,
) -> Result<Response> {
    let today = state.today();
    let shown = SignForm {
        participant_signed_on: form.participant_signed_on.clone(),
        manager_signed_on: form.manager_signed_on.clone(),
        documents_confirmed: form.documents_confirmed.is_some(),
    };
    let (mut tx, d) = step::lock(&state, &user, &super::KIND, id, Action::SignDocument).await?;
    if d.status != DocStatus::Approved {
        return Err(AppError::conflict(
            crate::documents::workflow::Refusal::NotFromHere { from: d.status }.message(),
        ));
    }
    let status = d.facts.participant.status;
    if !matches!(
        status,
        Status::Reserve | Status::Trial | Status::Participant
    ) {
        return Err(AppError::conflict(format!(
            "Podpisy programu zapisuje się dla osoby z listy rezerwowej (jej podpisanie oznacza \
             przyjęcie do CIS) albo już uczestniczącej w zajęciach; ta osoba ma status „{}”.",
            status.label()
        )));
    }
    let approved_on = dates::polish_today(documents::approved_at(&mut tx, id, d.version).await?);
    let mut errors = FieldErrors::new();
    let mut date = |field: &'static str, value: &str| {
        let checked = dates::parse(value)
            .and_then(|on| not_in_future(on, today))
            .and_then(|on| not_before(on, Some(approved_on), "data zatwierdzenia programu"));
        errors.take(field, checked)
    };
    let participant_on = date("participant_signed_on", &form.participant_signed_on);
    let manager_on = date("manager_signed_on", &form.manager_signed_on);
    let (Some(participant_on), Some(manager_on)) = (participant_on, manager_on) else {
        drop(tx);
        return show::refused(&state, &user, id, shown, errors, FieldErrors::new()).await;
    };
    let mut audits = vec![step::apply(&mut tx, &user, &d, &Step::Sign).await?];
    for (party, on) in [
        (Party::Participant, participant_on),
        (Party::Manager, manager_on),
    ] {
        paper::record_signature(
            &mut tx,
            user.centre_id,
            id,
            d.version,
            party,
            on,
            user.user_id,
        )
        .await?;
    }
    // An amendment, once signed, replaces the version that was in force.
    if d.version > 1 {
        documents::supersede(&mut tx, id, d.version).await?;
    }
    let signed = Locked {
        status: DocStatus::Signed,
        ..d
    };
    audits.push(step::apply(&mut tx, &user, &signed, &Step::StartRealization).await?);
    let participant = d.facts.participant.participant_id;
    let mut message = "Zapisano podpisy. Program jest w realizacji.".to_owned();
    if d.version == 1 && status == Status::Reserve {
        let programme = current(&mut tx, &d).await?;
        let admission = Admission {
            on: participant_on,
            ops_agreement: OpsAgreement {
                name: [
                    programme.text("ops_name"),
                    programme.text("ops_institution"),
                ]
                .map(str::trim)
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
                on: dates::parse(programme.text("ops_date")).unwrap_or(participant_on),
            },
            documents_confirmed: form.documents_confirmed.is_some(),
        };
        match admit_on_signature(&mut tx, &user, participant, admission, today).await? {
            Ok(name) => {
                message = format!(
                    "Zapisano podpisy. {name} – przyjęcie do CIS na okres próbny od {}.",
                    dates::format(participant_on)
                );
                audits.push(
                    AuditEvent::new(Action::AdmitParticipant.code(), Outcome::Success)
                        .on("participant", participant)
                        .participant(participant)
                        .detail("reserve->trial:ipzs".to_owned()),
                );
            }
            Err(errors) => {
                drop(tx);
                return show::refused(&state, &user, id, shown, errors, FieldErrors::new()).await;
            }
        }
    }
    let last = audits.pop().expect("the signature's audit rows");
    for event in audits {
        audit::record(&mut *tx, &user.meta, event.by(user.audit_actor())).await?;
    }
    finish(tx, &user, last, &message, &super::href(id)).await
}

/// The amendment form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmendForm {
    #[serde(default)]
    reason: String,
}

/// `POST /ipzs/{id}/amend`: a new draft version of the signed programme, with the reason.
async fn amend_step(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<AmendForm>,
) -> Result<Response> {
    let Ok(reason) = validate::required_text(&form.reason, 2000) else {
        let message = "Podaj, kto wnosi o zmianę i dlaczego (do 2000 znaków).";
        return field_refused(&state, &user, id, Action::AmendDocument, "reason", message).await;
    };
    step::amend(
        &state,
        &user,
        &super::KIND,
        id,
        &reason,
        async |_, _| Ok(()),
        "",
    )
    .await
}

/// `submit`'s step; a conflict points back to the programme.
pub async fn submit(
    state: State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    form: SecureForm<NoFields>,
) -> Result<Response> {
    submit_step(state, user, IdPath(id), form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `give_back`'s step; a conflict points back to the programme.
pub async fn give_back(
    state: State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    form: SecureForm<ReturnForm>,
) -> Result<Response> {
    give_back_step(state, user, IdPath(id), form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `approve`'s step; a conflict points back to the programme.
pub async fn approve(
    state: State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    form: SecureForm<NoFields>,
) -> Result<Response> {
    approve_step(state, user, IdPath(id), form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `sign`'s step; a conflict points back to the programme.
pub async fn sign(
    state: State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    form: SecureForm<SignaturesForm>,
) -> Result<Response> {
    sign_step(state, user, IdPath(id), form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `amend`'s step; a conflict points back to the programme.
pub async fn amend(
    state: State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    form: SecureForm<AmendForm>,
) -> Result<Response> {
    amend_step(state, user, IdPath(id), form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}
