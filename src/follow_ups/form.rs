//! The follow-up forms as posted (raw strings) and their checks: a contact (seed 002's
//! questions), an extra contact to plan, closer contact marked or ended. Each check returns the
//! validated value or the Polish messages by field, so the page is shown again with the input.

use serde::Deserialize;
use time::Date;

use super::db::ContactData;
use super::model::{
    ContactForm, ContactPartner, GraduateContract, GraduateEmployment, SkillsMatch,
};
use crate::domain::Vocabulary;
use crate::validate::{self, dates};
use crate::web::forms::{FieldErrors, not_before, not_in_future};

/// Longest free text of a contact (the table's limit).
const TEXT_MAX: usize = 4000;

/// The contact form as posted (a checkbox is absent when unticked).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContactInput {
    #[serde(default)]
    pub contacted_on: String,
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub partner: String,
    #[serde(default)]
    pub partner_name: String,
    /// "yes" or "no".
    #[serde(default)]
    pub reached: String,
    #[serde(default)]
    pub employment: String,
    #[serde(default)]
    pub contract: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub skills_match: String,
    #[serde(default)]
    pub problems: String,
    #[serde(default)]
    pub actions: String,
    #[serde(default)]
    pub referred_to_ops: Option<String>,
}

/// A required choice from a closed vocabulary.
fn pick<T: Vocabulary>(value: &str, message: &str) -> Result<T, String> {
    T::from_code(value.trim()).ok_or_else(|| message.to_owned())
}

/// An optional choice: empty is none, anything else must be one of the vocabulary.
fn pick_optional<T: Vocabulary>(value: &str, message: &str) -> Result<Option<T>, String> {
    match value.trim() {
        "" => Ok(None),
        code => T::from_code(code)
            .map(Some)
            .ok_or_else(|| message.to_owned()),
    }
}

/// A required date not in the future and not before graduation.
fn contact_date(value: &str, graduated_on: Option<Date>, today: Date) -> Result<Date, String> {
    if value.trim().is_empty() {
        return Err("Wpisz datę kontaktu w formacie dd.mm.rrrr.".into());
    }
    dates::parse(value)
        .and_then(|d| not_in_future(d, today))
        .and_then(|d| not_before(d, graduated_on, "zakończenie udziału w CIS"))
}

impl ContactInput {
    /// The contact, or the messages. `graduated_on`: the end of participation.
    pub fn check(
        &self,
        graduated_on: Option<Date>,
        today: Date,
    ) -> Result<ContactData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let contacted_on = errors.take(
            "contacted_on",
            contact_date(&self.contacted_on, graduated_on, today),
        );
        let form = errors.take(
            "form",
            pick::<ContactForm>(&self.form, "Wybierz formę kontaktu z listy."),
        );
        let (partner, partner_name) = if form == Some(ContactForm::Partner) {
            let partner = errors.take(
                "partner",
                pick::<ContactPartner>(
                    &self.partner,
                    "Wybierz instytucję, od której pochodzi informacja.",
                ),
            );
            let named = if partner == Some(ContactPartner::Other) {
                errors.take(
                    "partner_name",
                    validate::required_line(&self.partner_name, 200)
                        .map_err(|_| "Wpisz nazwę instytucji.".to_owned())
                        .map(Some),
                )
            } else {
                errors.take(
                    "partner_name",
                    validate::optional_line(&self.partner_name, 200),
                )
            };
            (partner, named.flatten())
        } else {
            (None, None)
        };
        let reached = errors.take(
            "reached",
            match self.reached.trim() {
                "yes" => Ok(true),
                "no" => Ok(false),
                _ => Err("Zaznacz, czy udało się nawiązać kontakt.".to_owned()),
            },
        );
        let employment = errors.take(
            "employment",
            pick_optional::<GraduateEmployment>(
                &self.employment,
                "Wybierz sytuację zawodową z listy.",
            ),
        );
        let contract = errors.take(
            "contract",
            pick_optional::<GraduateContract>(&self.contract, "Wybierz rodzaj umowy z listy."),
        );
        let skills_match = errors.take(
            "skills_match",
            pick_optional::<SkillsMatch>(&self.skills_match, "Wybierz odpowiedź z listy."),
        );
        if reached == Some(true) {
            if employment.is_some_and(|e| e.is_none()) {
                errors.add(
                    "employment",
                    "Wybierz sytuację zawodową absolwenta (albo „Nie wiadomo”).",
                );
            }
            if employment == Some(Some(GraduateEmployment::Employed))
                && contract.is_some_and(|c| c.is_none())
            {
                errors.add("contract", "Wybierz rodzaj umowy zatrudnionego absolwenta.");
            }
        }
        let mut text = |field: &'static str, value: &str| {
            errors
                .take(field, validate::optional_text(value, TEXT_MAX))
                .flatten()
                .unwrap_or_default()
        };
        let community = text("community", &self.community);
        let skills = text("skills", &self.skills);
        let problems = text("problems", &self.problems);
        let actions = text("actions", &self.actions);
        if !errors.is_empty() {
            return Err(errors);
        }
        let (
            Some(contacted_on),
            Some(form),
            Some(reached),
            Some(employment),
            Some(contract),
            Some(skills_match),
        ) = (
            contacted_on,
            form,
            reached,
            employment,
            contract,
            skills_match,
        )
        else {
            return Err(errors);
        };
        // A missed contact learns nothing of the situation (the form says so; the table checks
        // it); the contract goes with employment.
        let employment = employment.filter(|_| reached);
        let situation = |text: String| if reached { text } else { String::new() };
        Ok(ContactData {
            contacted_on,
            reached,
            form,
            partner,
            partner_name,
            contract: contract.filter(|_| employment == Some(GraduateEmployment::Employed)),
            employment,
            community: situation(community),
            skills: situation(skills),
            skills_match: skills_match.filter(|_| reached),
            problems,
            actions,
            referred_to_ops: self.referred_to_ops.is_some(),
        })
    }
}

/// The form of an extra contact.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExtraInput {
    #[serde(default)]
    pub extra_on: String,
    #[serde(default)]
    pub extra_note: String,
}

impl ExtraInput {
    /// (due date, note), or the messages: a date from today to the end of the follow-up.
    pub fn check(&self, today: Date, until: Date) -> Result<(Date, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = errors.take(
            "extra_on",
            dates::parse(&self.extra_on).and_then(|d| {
                crate::web::forms::between(d, today, until).map_err(|m| {
                    format!("{m} Dodatkowy kontakt planuje się od dziś do końca monitoringu.")
                })
            }),
        );
        let note = errors.take(
            "extra_note",
            validate::required_line(&self.extra_note, 500).map_err(|m| {
                if self.extra_note.trim().is_empty() {
                    "Napisz krótko, czego ma dotyczyć kontakt.".to_owned()
                } else {
                    m
                }
            }),
        );
        match (on, note) {
            (Some(on), Some(note)) if errors.is_empty() => Ok((on, note)),
            _ => Err(errors),
        }
    }
}

/// The form that marks closer contact (`set` = "on") or ends it ("off").
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CloserInput {
    #[serde(default)]
    pub set: String,
    #[serde(default)]
    pub closer_on: String,
    #[serde(default)]
    pub closer_reason: String,
}

impl CloserInput {
    /// (on, from date, reason), or the messages: a date from graduation to today.
    pub fn check(
        &self,
        graduated_on: Option<Date>,
        today: Date,
    ) -> Result<(bool, Date, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = match self.set.as_str() {
            "on" => Some(true),
            "off" => Some(false),
            _ => {
                errors.add(
                    "closer_on",
                    "Nieznane polecenie – odśwież stronę i spróbuj ponownie.",
                );
                None
            }
        };
        let date = errors.take(
            "closer_on",
            contact_date(&self.closer_on, graduated_on, today)
                .map_err(|m| m.replace("datę kontaktu", "datę")),
        );
        let reason = errors.take(
            "closer_reason",
            validate::required_line(&self.closer_reason, 200).map_err(|m| {
                if self.closer_reason.trim().is_empty() {
                    "Podaj powód w kilku słowach.".to_owned()
                } else {
                    m
                }
            }),
        );
        match (on, date, reason) {
            (Some(on), Some(date), Some(reason)) if errors.is_empty() => Ok((on, date, reason)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const GRADUATED: Option<Date> = Some(date!(2026 - 01 - 31));
    const TODAY: Date = date!(2026 - 12 - 01);

    fn reached_by_phone() -> ContactInput {
        ContactInput {
            contacted_on: "20.11.2026".into(),
            form: "phone".into(),
            reached: "yes".into(),
            employment: "employed".into(),
            contract: "fixed_term".into(),
            skills_match: "partly".into(),
            community: "Mieszka samodzielnie.".into(),
            ..ContactInput::default()
        }
    }

    #[test]
    fn a_reached_contact_becomes_a_contact() {
        let c = reached_by_phone().check(GRADUATED, TODAY).unwrap();
        assert_eq!(c.contacted_on, date!(2026 - 11 - 20));
        assert!(c.reached);
        assert_eq!(c.employment, Some(GraduateEmployment::Employed));
        assert_eq!(c.contract, Some(GraduateContract::FixedTerm));
        assert_eq!(c.skills_match, Some(SkillsMatch::Partly));
        assert_eq!(c.partner, None);
        assert!(!c.referred_to_ops);
    }

    #[test]
    fn a_missed_contact_keeps_no_situation() {
        let input = ContactInput {
            reached: "no".into(),
            employment: String::new(),
            contract: String::new(),
            ..reached_by_phone()
        };
        let c = input.check(GRADUATED, TODAY).unwrap();
        assert!(!c.reached);
        assert_eq!(
            (c.employment, c.contract, c.skills_match),
            (None, None, None)
        );
        // The community text of the reached call is not kept either.
        assert_eq!((c.community.as_str(), c.skills.as_str()), ("", ""));
    }

    #[test]
    fn dates_before_graduation_or_in_the_future_are_refused() {
        let early = ContactInput {
            contacted_on: "30.01.2026".into(),
            ..reached_by_phone()
        };
        let errors = early.check(GRADUATED, TODAY).unwrap_err();
        assert_eq!(
            &errors["contacted_on"],
            "Data nie może być wcześniejsza niż zakończenie udziału w CIS (31.01.2026)."
        );
        let future = ContactInput {
            contacted_on: "2026-12-02".into(),
            ..reached_by_phone()
        };
        let errors = future.check(GRADUATED, TODAY).unwrap_err();
        assert_eq!(&errors["contacted_on"], "Data nie może być z przyszłości.");
    }

    #[test]
    fn unknown_codes_and_missing_answers_are_refused_in_polish() {
        let input = ContactInput {
            form: "telepathy".into(),
            employment: "astronaut".into(),
            ..reached_by_phone()
        };
        let errors = input.check(GRADUATED, TODAY).unwrap_err();
        assert_eq!(&errors["form"], "Wybierz formę kontaktu z listy.");
        assert_eq!(&errors["employment"], "Wybierz sytuację zawodową z listy.");
        let input = ContactInput {
            form: "partner".into(),
            partner: "other".into(),
            reached: String::new(),
            employment: String::new(),
            ..reached_by_phone()
        };
        let errors = input.check(GRADUATED, TODAY).unwrap_err();
        assert_eq!(&errors["partner_name"], "Wpisz nazwę instytucji.");
        assert_eq!(
            &errors["reached"],
            "Zaznacz, czy udało się nawiązać kontakt."
        );
        let employed_without_contract = ContactInput {
            contract: String::new(),
            ..reached_by_phone()
        };
        let errors = employed_without_contract
            .check(GRADUATED, TODAY)
            .unwrap_err();
        assert_eq!(
            &errors["contract"],
            "Wybierz rodzaj umowy zatrudnionego absolwenta."
        );
    }

    #[test]
    fn an_extra_contact_is_planned_within_the_follow_up() {
        let until = date!(2029 - 01 - 31);
        let ok = ExtraInput {
            extra_on: "15.12.2026".into(),
            extra_note: "Rozmowa po zmianie pracy.".into(),
        };
        assert_eq!(
            ok.check(TODAY, until),
            Ok((
                date!(2026 - 12 - 15),
                "Rozmowa po zmianie pracy.".to_owned()
            ))
        );
        let past = ExtraInput {
            extra_on: "30.11.2026".into(),
            extra_note: String::new(),
        };
        let errors = past.check(TODAY, until).unwrap_err();
        assert!(errors["extra_on"].starts_with("Podaj datę od 01.12.2026 do 31.01.2029."));
        assert_eq!(
            &errors["extra_note"],
            "Napisz krótko, czego ma dotyczyć kontakt."
        );
    }
}
