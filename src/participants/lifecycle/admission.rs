//! Admission is the signing of the participant's first IPZS (seed 000: "the manager admits the
//! person after signing the programme with them, in agreement with the head of the OPS"). The
//! IPZS area records the signatures and calls [`admit_on_signature`] in the same transaction:
//! the same lifecycle check as every status change (the arrow, the dates, the rule in force),
//! the recruitment file (missing documents confirmed by name, or refused when the centre
//! requires a complete file), the guarded update and the history row. The policy question is
//! the signature step's (who may record the signatures), asked by the caller.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use super::{RecruitmentFile, current};
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::error::{AppError, Result};
use crate::participants::db;
use crate::participants::rules::ParticipationRules;
use crate::participants::transition::{self, OpsAgreement, Refusal, Transition};
use crate::web::forms::FieldErrors;

/// What the signatures of a first IPZS bring to the admission.
#[derive(Debug, Clone)]
pub struct Admission {
    /// The participant's signature date: the first day of the trial period.
    pub on: Date,
    /// The OPS head's agreement, as the programme records it.
    pub ops_agreement: OpsAgreement,
    /// The recorder confirmed admitting with the recruitment documents that are missing.
    pub documents_confirmed: bool,
}

/// Admits `participant_id` into the trial period in `tx` (which the caller commits), or says
/// why not: the form's messages (`participant_signed_on` for the date, `ops` for the
/// agreement, `documents_confirmed` for the recruitment file). A participant not on the reserve
/// list cannot be admitted (409, naming the status).
pub async fn admit_on_signature(
    tx: &mut PgConnection,
    user: &CurrentUser,
    participant_id: Uuid,
    admission: Admission,
    today: Date,
) -> Result<std::result::Result<String, FieldErrors>> {
    db::lock(&mut *tx, user.centre_id, participant_id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let record = db::find(&mut *tx, user.centre_id, participant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if record.status != Status::Reserve {
        return Err(AppError::conflict(format!(
            "Przyjęcie do CIS następuje z listy rezerwowej, a {} ma status „{}”. Najpierw wpisz \
             tę osobę na listę rezerwową.",
            record.name(),
            record.status.label_for(record.data.female())
        )));
    }
    let last_change = db::latest_change(&mut *tx, participant_id).await?;
    let rules = ParticipationRules::load(&mut *tx, user.centre_id).await?;
    let transition = Transition::Admit {
        on: admission.on,
        ops_agreement: admission.ops_agreement,
    };
    let period = match transition::check(&current(&record, last_change), &transition, &rules, today)
    {
        Ok(period) => period,
        Err(Refusal::Invalid(found)) => {
            let mut errors = FieldErrors::new();
            for (field, message) in found.iter() {
                let ours = if field.starts_with("ops") {
                    "ops"
                } else {
                    "participant_signed_on"
                };
                errors.add_if_absent(ours, message.to_owned());
            }
            return Ok(Err(errors));
        }
        Err(other) => return Err(other.into()),
    };
    let file = RecruitmentFile::load(&mut *tx, user.centre_id, participant_id).await?;
    if let Err(errors) = file.admits_confirmed(admission.documents_confirmed, "documents_confirmed")
    {
        return Ok(Err(errors));
    }
    if !db::apply_transition(
        &mut *tx,
        participant_id,
        Status::Reserve,
        &transition,
        period,
    )
    .await?
    {
        return Err(Refusal::Impossible {
            from: Status::Reserve,
            to: Status::Trial,
        }
        .into());
    }
    let reason: Vec<String> = transition
        .describe()
        .into_iter()
        .chain(["Podpisanie IPZS przez uczestnika i kierownika CIS".to_owned()])
        .collect();
    let change = db::StatusRecord {
        centre_id: user.centre_id,
        participant_id,
        from: Some(Status::Reserve),
        to: Status::Trial,
        on: transition.on(),
        reason: Some(reason.join(". ")),
        decided_by: user.user_id,
    };
    db::record_status(&mut *tx, &change).await?;
    Ok(Ok(record.name()))
}
