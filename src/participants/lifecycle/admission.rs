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

use super::current;
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::error::{AppError, Result};
use crate::participants::db;
use crate::participants::model::{DocumentKind, missing_documents};
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

/// The recruitment file as admission sees it: which documents are missing and whether the
/// centre admits only with a complete file.
#[derive(Debug, Default)]
pub struct RecruitmentFile {
    /// The kinds not on file.
    pub missing: Vec<DocumentKind>,
    /// The centre admits only with a complete file.
    pub required: bool,
}

impl RecruitmentFile {
    /// The file of `participant_id` and the centre's setting.
    pub async fn load(
        db: &mut sqlx::PgConnection,
        centre_id: Uuid,
        participant_id: Uuid,
    ) -> Result<RecruitmentFile> {
        let on_file = db::document_kinds(&mut *db, participant_id).await?;
        // The consent is recorded at registration (it is a required field there).
        let missing = missing_documents(|k| on_file.contains(&k), true);
        let required = db::documents_required(&mut *db, centre_id).await?;
        Ok(RecruitmentFile { missing, required })
    }

    /// The checklist: every kind of recruitment document with whether it is on file.
    pub fn checklist(&self) -> Vec<(&'static str, bool)> {
        DocumentKind::ALL
            .into_iter()
            .map(|k| (k.label(), !self.missing.contains(&k)))
            .collect()
    }

    /// The missing documents' names.
    pub fn missing_names(&self) -> Vec<&'static str> {
        self.missing.iter().map(|k| k.label()).collect()
    }

    /// Whether admission may go ahead with this file: complete, or with the missing documents
    /// confirmed by name in the form's `field` (unless the centre requires a complete file).
    fn admits_confirmed(
        &self,
        confirmed: bool,
        field: &'static str,
    ) -> std::result::Result<(), FieldErrors> {
        if self.missing.is_empty() {
            return Ok(());
        }
        let names = self
            .missing
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(", ");
        let mut errors = FieldErrors::new();
        if self.required {
            errors.add(
                "documents",
                format!("Ośrodek przyjmuje tylko z kompletem dokumentów rekrutacyjnych. Brakuje: {names}."),
            );
        } else if !confirmed {
            errors.add(
                field,
                format!("Brakuje: {names}. Zaznacz, że przyjmujesz mimo braków, albo najpierw uzupełnij dokumenty."),
            );
        } else {
            return Ok(());
        }
        Err(errors)
    }
}
