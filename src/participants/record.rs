//! The participant's record: the data a registration or an edit writes (`ParticipantData`, the
//! one place the field list is written) and the whole stored record (`Record`), which holds the
//! data plus what the lifecycle keeps.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::identity::{PersonName, Phone, PostalCode};
use super::model::{Applicant, ContractType, GraduationOutcome, Referrer, TerminationReason};
use super::pesel::{Pesel, Sex};
use crate::domain::{Category, Status};
use crate::validate::dates;

/// What a registration or an edit writes: validated, ready for the database. The columns have
/// the names of the fields (`db::DATA_COLUMNS`).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ParticipantData {
    pub surname: PersonName,
    pub first_names: PersonName,
    pub pesel: Option<Pesel>,
    pub birth_date: Date,
    pub sex: Option<Sex>,
    pub id_document: Option<String>,
    pub address_street: String,
    pub address_postal_code: PostalCode,
    pub address_city: String,
    pub responsible_ops: String,
    pub phone: Option<Phone>,
    pub categories: Vec<Category>,
    pub category_other: Option<String>,
    pub no_exclusion_declared_on: Date,
    pub applicant: Applicant,
    pub applicant_institution: Option<String>,
    pub referrer: Referrer,
    pub referrer_institution: String,
    pub referral_date: Date,
    pub consent_date: Date,
    pub consent_scope: String,
}

impl ParticipantData {
    /// "Surname First names".
    pub fn name(&self) -> String {
        format!("{} {}", self.surname, self.first_names)
    }

    /// Whether the person is a woman, for the words Polish puts in her gender; `None` when the
    /// sex is not recorded.
    pub fn female(&self) -> Option<bool> {
        self.sex.map(|s| s == Sex::Female)
    }

    /// Every field as (Polish label, value as shown), for the conflict page's side-by-side view.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("Nazwisko", self.surname.to_string()),
            ("Imiona", self.first_names.to_string()),
            (
                "PESEL",
                self.pesel
                    .as_ref()
                    .map(Pesel::to_string)
                    .unwrap_or_default(),
            ),
            ("Data urodzenia", dates::format(self.birth_date)),
            ("Dokument tożsamości", text(&self.id_document)),
            ("Ulica i numer", self.address_street.clone()),
            ("Kod pocztowy", self.address_postal_code.to_string()),
            ("Miejscowość", self.address_city.clone()),
            ("Właściwy OPS", self.responsible_ops.clone()),
            (
                "Telefon",
                self.phone
                    .as_ref()
                    .map(Phone::to_string)
                    .unwrap_or_default(),
            ),
            (
                "Kategorie",
                self.categories
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ("Opis innej sytuacji", text(&self.category_other)),
            (
                "Data oświadczenia (art. 1 ust. 3)",
                dates::format(self.no_exclusion_declared_on),
            ),
            ("Wniosek złożył", self.applicant.label().to_owned()),
            ("Instytucja wnioskująca", text(&self.applicant_institution)),
            ("Skierował", self.referrer.label().to_owned()),
            ("Instytucja kierująca", self.referrer_institution.clone()),
            ("Data skierowania", dates::format(self.referral_date)),
            ("Data zgody", dates::format(self.consent_date)),
            ("Zakres zgody", self.consent_scope.clone()),
        ]
    }
}

/// A participant's whole stored record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Record {
    pub participant_id: Uuid,
    #[sqlx(flatten)]
    pub data: ParticipantData,
    pub social_worker_id: Option<Uuid>,
    pub social_worker_name: Option<String>,
    pub workshop_name: Option<String>,
    pub status: Status,
    pub admitted_on: Option<Date>,
    pub ops_agreement_name: Option<String>,
    pub ops_agreement_date: Option<Date>,
    pub trial_ends_on: Option<Date>,
    pub planned_end_on: Option<Date>,
    pub cap_end_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub graduation_outcome: Option<GraduationOutcome>,
    pub employment_contract: Option<ContractType>,
    pub termination_reason: Option<TerminationReason>,
    pub version: i32,
    pub created_at: OffsetDateTime,
}

impl Record {
    /// "Surname First names".
    pub fn name(&self) -> String {
        self.data.name()
    }
}
