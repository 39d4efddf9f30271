//! The contract's workflow steps in the order of seed 001, each one transaction through
//! `documents::step`: submit (refused, with every missing part linked, until Part I is
//! complete), return with a comment, accept (the manager, never the author), the manager's
//! signature for the centre, the client's signature (which starts the realization; at most one
//! contract runs per participant) and an amendment. A form's mistakes show on the contract page
//! (422) and change nothing; a step out of order answers 409 and leads back to the contract.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::show::{self, Forms};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, Locked};
use crate::documents::paper::{self, Party};
use crate::documents::step;
use crate::documents::workflow::{DocStatus, Step};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::confirm::{ConfirmPage, confirmed};
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::{FieldErrors, not_before, not_in_future};
use crate::web::page::{Layout, render};
use crate::web::path::IdPath;

use super::content::Contract;
use super::flow::{self, ContractStep};

/// The contract page with `message` at `field` (422), once the policy allowed `action`.
async fn field_refused(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
    forms: Forms,
    field: &'static str,
    message: &str,
) -> Result<Response> {
    super::found(state, user, id, action).await?;
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    show::refused(state, user, id, forms, errors, FieldErrors::new()).await
}

/// `POST /contracts/{id}/submit`.
async fn submit_step(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<Response> {
    let missing = async |_: &mut sqlx::PgConnection, _: &Locked, text| {
        let mut missing = FieldErrors::new();
        for (field, message) in Contract::from_sections(&text).missing().iter() {
            missing.add(format!("/contracts/{id}/edit#{field}"), message.to_owned());
        }
        Ok(missing)
    };
    let message = "Kontrakt przekazano do zatwierdzenia kierownikowi CIS.";
    match step::submit(state, user, &super::KIND, id, missing, message).await? {
        Ok(done) => Ok(done),
        Err(missing) => {
            let errors = FieldErrors::new();
            show::refused(state, user, id, Forms::default(), errors, missing).await
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

/// The signature forms (one date).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureForm {
    #[serde(default)]
    signed_on: String,
}

/// The amendment form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmendForm {
    #[serde(default)]
    reason: String,
}

/// `POST /contracts/{id}/sign-centre`: the manager's signature for the centre (seed 001, III.7:
/// the accepted contract is signed by the management before it goes back to the social worker
/// for the client's signature). The contract stays accepted until the client signs.
async fn sign_for_centre_step(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: SignatureForm,
) -> Result<Response> {
    let forms = Forms {
        signed_on: form.signed_on.clone(),
        ..Forms::default()
    };
    let (mut tx, d) =
        step::lock(state, user, &super::KIND, id, Action::SignDocumentForCentre).await?;
    super::admit(&mut tx, &d, ContractStep::SignForCentre).await?;
    let accepted = dates::polish_today(documents::approved_at(&mut tx, id, d.version).await?);
    let checked = dates::parse(&form.signed_on)
        .and_then(|on| not_in_future(on, state.today()))
        .and_then(|on| not_before(on, Some(accepted), "data zatwierdzenia kontraktu"));
    let on = match checked {
        Ok(on) => on,
        Err(message) => {
            drop(tx);
            let mut errors = FieldErrors::new();
            errors.add("signed_on", message);
            return show::refused(state, user, id, forms, errors, FieldErrors::new()).await;
        }
    };
    paper::record_signature(
        &mut tx,
        user.centre_id,
        id,
        d.version,
        Party::Manager,
        on,
        user.user_id,
    )
    .await?;
    let action = Action::SignDocumentForCentre;
    let detail = format!("version:{},manager", d.version);
    let audit = step::note(&mut tx, user, &d, "sign_centre", None, action, detail).await?;
    finish(
        tx,
        user,
        audit,
        "Zapisano podpis kierownika CIS. Kontrakt czeka na podpis klienta.",
        &super::href(id),
    )
    .await
}

/// The date `party` signed the current version of `d`, if recorded.
async fn signed(
    tx: &mut sqlx::PgConnection,
    d: &Locked,
    party: Party,
) -> Result<Option<time::Date>> {
    Ok(paper::signatures(&mut *tx, d.facts.document_id)
        .await?
        .into_iter()
        .find(|s| s.version == d.version && s.party == party)
        .map(|s| s.signed_on))
}

/// `POST /contracts/{id}/sign-client`: the client's signature, after the centre's; the
/// contract goes into realization (an amendment replaces the version that was in force).
async fn sign_by_client_step(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: SignatureForm,
) -> Result<Response> {
    let forms = Forms {
        signed_on: form.signed_on.clone(),
        ..Forms::default()
    };
    let (mut tx, d) = step::lock(state, user, &super::KIND, id, Action::SignDocument).await?;
    super::admit(&mut tx, &d, ContractStep::SignByClient).await?;
    let centre_on = signed(&mut tx, &d, Party::Manager)
        .await?
        .ok_or(AppError::NotFound)?;
    let participant = d.facts.participant.participant_id;
    let running = sqlx::query_scalar!(
        r#"select document_id from document
           where participant_id = $1 and kind = 'social_contract' and status = 'in_realization'
             and document_id <> $2"#,
        participant,
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if running.is_some() {
        return Err(AppError::conflict(
            "Ta osoba ma już inny kontrakt w realizacji. W realizacji może być jeden kontrakt \
             naraz: najpierw oceń i zamknij tamten (część II).",
        ));
    }
    let checked = dates::parse(&form.signed_on)
        .and_then(|on| not_in_future(on, state.today()))
        .and_then(|on| not_before(on, Some(centre_on), "data podpisu kierownika CIS"));
    let on = match checked {
        Ok(on) => on,
        Err(message) => {
            drop(tx);
            let mut errors = FieldErrors::new();
            errors.add("signed_on", message);
            return show::refused(state, user, id, forms, errors, FieldErrors::new()).await;
        }
    };
    let mut audits = vec![step::apply(&mut tx, user, &d, &Step::Sign).await?];
    paper::record_signature(
        &mut tx,
        user.centre_id,
        id,
        d.version,
        Party::Participant,
        on,
        user.user_id,
    )
    .await?;
    if d.version > 1 {
        documents::supersede(&mut tx, id, d.version).await?;
    }
    let signed = Locked {
        status: DocStatus::Signed,
        ..d
    };
    audits.push(step::apply(&mut tx, user, &signed, &Step::StartRealization).await?);
    let last = audits.pop().expect("the signature's audit rows");
    for event in audits {
        crate::audit::record(&mut *tx, &user.meta, event.by(user.audit_actor())).await?;
    }
    finish(
        tx,
        user,
        last,
        "Zapisano podpis klienta. Kontrakt jest w realizacji.",
        &super::href(id),
    )
    .await
}

/// `POST /contracts/{id}/amend`: a new draft version of the running contract, with the reason
/// (the specific goals stay: new goals need a new contract).
async fn amend_step(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: AmendForm,
) -> Result<Response> {
    let Ok(reason) = validate::required_text(&form.reason, 2000) else {
        let forms = Forms {
            reason: form.reason,
            ..Forms::default()
        };
        let message = "Podaj, kto wnosi o zmianę i dlaczego (do 2000 znaków).";
        return field_refused(
            state,
            user,
            id,
            Action::AmendDocument,
            forms,
            "reason",
            message,
        )
        .await;
    };
    let admitted = async |tx: &mut sqlx::PgConnection, d: &Locked| {
        super::admit(tx, d, ContractStep::Amend).await.map(|_| ())
    };
    let note = " Cele szczegółowe zostają – nowe cele wymagają nowego kontraktu.";
    step::amend(state, user, &super::KIND, id, &reason, admitted, note).await
}

/// `POST /contracts/{id}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    submit_step(&state, &user, id)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `POST /contracts/{id}/return`: back to the author with what to fix.
pub async fn give_back(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ReturnForm>,
) -> Result<Response> {
    let Ok(comment) = validate::required_text(&form.comment, 4000) else {
        let forms = Forms {
            comment: form.comment,
            ..Forms::default()
        };
        let message = "Napisz, co autor ma poprawić (do 4000 znaków).";
        return field_refused(
            &state,
            &user,
            id,
            Action::ReturnDocument,
            forms,
            "comment",
            message,
        )
        .await
        .map_err(|e| e.back_to(super::href(id)));
    };
    step::take(&state, &user, &super::KIND, id, Step::Return { comment })
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `POST /contracts/{id}/approve`: the manager accepts the contract.
pub async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(NoFields {}): SecureForm<NoFields>,
) -> Result<Response> {
    async {
        let (mut tx, d) =
            step::lock(&state, &user, &super::KIND, id, Action::ApproveDocument).await?;
        let audit = step::apply(&mut tx, &user, &d, &Step::Approve).await?;
        let message = "Kontrakt zatwierdzono. Podpisz go za CIS i zapisz datę podpisu.";
        finish(tx, &user, audit, message, &super::href(id)).await
    }
    .await
    .map_err(|e| e.back_to(super::href(id)))
}

/// `POST /contracts/{id}/sign-centre`.
pub async fn sign_for_centre(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<SignatureForm>,
) -> Result<Response> {
    sign_for_centre_step(&state, &user, id, form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `POST /contracts/{id}/sign-client`.
pub async fn sign_by_client(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<SignatureForm>,
) -> Result<Response> {
    sign_by_client_step(&state, &user, id, form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// `POST /contracts/{id}/amend`.
pub async fn amend(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<AmendForm>,
) -> Result<Response> {
    amend_step(&state, &user, id, form)
        .await
        .map_err(|e| e.back_to(super::href(id)))
}

/// The form that closes a contract the client never signed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseForm {
    #[serde(default)]
    close_reason: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /contracts/{id}/close`: the manager closes a contract the client never signed (the
/// client refused, the person left before signing), with the reason, after the confirmation
/// page; its text and history stay, and a new contract may be started.
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<CloseForm>,
) -> Result<Response> {
    let Ok(reason) = validate::required_text(&form.close_reason, 2000) else {
        let forms = Forms {
            reason: form.close_reason,
            ..Forms::default()
        };
        let message = "Podaj przyczynę zamknięcia kontraktu (do 2000 znaków).";
        return field_refused(
            &state,
            &user,
            id,
            Action::CloseDocument,
            forms,
            "close_reason",
            message,
        )
        .await
        .map_err(|e| e.back_to(super::href(id)));
    };
    async {
        if !confirmed(&form.confirm) {
            let d = super::found(&state, &user, id, Action::CloseDocument).await?;
            let mut conn = state.db.acquire().await?;
            let facts = super::db::flow_state(&mut *conn, id, d.status).await?;
            flow::check(ContractStep::CloseUnsigned, facts).map_err(AppError::conflict)?;
            let name = crate::documents::view::header(
                &mut *conn,
                user.centre_id,
                d.facts.participant.participant_id,
            )
            .await?
            .map(|h| h.name)
            .unwrap_or_default();
            let layout = Layout::for_user(
                &state,
                &user,
                format!("Zamknąć kontrakt socjalny bez realizacji: {name}?"),
                "/participants",
            );
            let page = ConfirmPage::new(
                layout,
                format!("/contracts/{id}/close"),
                super::href(id),
                vec![("close_reason", reason.clone())],
                "Zamknij kontrakt",
            )
            .fact("Stan kontraktu", d.status.label())
            .fact("Przyczyna", reason)
            .consequence("Kontrakt zostanie zamknięty bez podpisu klienta i bez oceny (część II).")
            .consequence(
                "Jego treść, wersje i historia zostają w teczce; zamknięcia nie można cofnąć.",
            )
            .consequence("Z tą osobą będzie można zawrzeć nowy kontrakt.");
            return render(&page);
        }
        let (mut tx, d) =
            step::lock(&state, &user, &super::KIND, id, Action::CloseDocument).await?;
        super::admit(&mut tx, &d, ContractStep::CloseUnsigned).await?;
        let audit = step::apply(&mut tx, &user, &d, &Step::Close { reason }).await?;
        finish(
            tx,
            &user,
            audit,
            "Kontrakt zamknięto bez realizacji.",
            &super::href(id),
        )
        .await
    }
    .await
    .map_err(|e| e.back_to(super::href(id)))
}
