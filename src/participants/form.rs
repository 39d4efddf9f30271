//! The registration/edit form: raw strings in, a validated `ParticipantData` out, or the
//! Polish messages per field (the form is then shown again with the user's input).

use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::identity::{PersonName, Phone, PostalCode};
use super::model::{Applicant, Referrer};
use super::pesel::{Pesel, Sex};
use super::record::ParticipantData;
use crate::domain::Category;
use crate::validate::{self, dates};
use crate::web::forms::{FieldErrors, past_date};

/// Default wording of the consent (GDPR art. 6, 9(2)(b), 10), editable per person.
pub const DEFAULT_CONSENT_SCOPE: &str = "Przetwarzanie danych osobowych, w tym danych szczególnych kategorii, w celu rekrutacji do Centrum Integracji Społecznej i realizacji zatrudnienia socjalnego oraz monitorowania losów absolwenta przez 3 lata.";

/// The form exactly as posted: every value a string, checkboxes optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantForm {
    pub surname: String,
    pub first_names: String,
    pub pesel: String,
    #[serde(default)]
    pub no_pesel: Option<String>,
    pub birth_date: String,
    #[serde(default)]
    pub sex: String,
    pub id_document: String,
    pub address_street: String,
    pub address_postal_code: String,
    pub address_city: String,
    pub responsible_ops: String,
    pub phone: String,
    #[serde(default)]
    pub cat_homeless: Option<String>,
    #[serde(default)]
    pub cat_alcohol: Option<String>,
    #[serde(default)]
    pub cat_drugs: Option<String>,
    #[serde(default)]
    pub cat_mental_illness: Option<String>,
    #[serde(default)]
    pub cat_long_term_unemployed: Option<String>,
    #[serde(default)]
    pub cat_prison: Option<String>,
    #[serde(default)]
    pub cat_refugee: Option<String>,
    #[serde(default)]
    pub cat_disability: Option<String>,
    #[serde(default)]
    pub cat_other: Option<String>,
    pub category_other: String,
    #[serde(default)]
    pub no_exclusion: Option<String>,
    pub no_exclusion_date: String,
    pub applicant: String,
    pub applicant_institution: String,
    pub referrer: String,
    pub referrer_institution: String,
    pub referral_date: String,
    pub consent_date: String,
    pub consent_scope: String,
    /// Registration by a manager: the social worker to assign (empty: none yet).
    #[serde(default)]
    pub social_worker: String,
    /// Edit only: the version the form was loaded at.
    #[serde(default)]
    pub version: String,
}

/// The checkbox field of each category (`cat_<code>`), written once for both accessors.
macro_rules! category_checkboxes {
    ($($category:ident => $field:ident),+ $(,)?) => {
        impl ParticipantForm {
            fn checkbox(&self, category: Category) -> &Option<String> {
                match category { $(Category::$category => &self.$field,)+ }
            }

            fn checkbox_mut(&mut self, category: Category) -> &mut Option<String> {
                match category { $(Category::$category => &mut self.$field,)+ }
            }
        }
    };
}

category_checkboxes! {
    Homeless => cat_homeless,
    Alcohol => cat_alcohol,
    Drugs => cat_drugs,
    MentalIllness => cat_mental_illness,
    LongTermUnemployed => cat_long_term_unemployed,
    Prison => cat_prison,
    Refugee => cat_refugee,
    Disability => cat_disability,
    Other => cat_other,
}

/// Field name → Polish message.
pub type Errors = FieldErrors;

impl ParticipantForm {
    /// A blank registration form with sensible defaults: the declaration and the consent are
    /// signed at registration (today), the referral date is the referral's and is typed in
    /// (it is rarely today), the consent's usual wording.
    pub fn blank(today: Date) -> Self {
        let today = dates::iso(today);
        Self {
            no_exclusion_date: today.clone(),
            consent_date: today,
            consent_scope: DEFAULT_CONSENT_SCOPE.into(),
            ..Self::default()
        }
    }

    /// Whether a category checkbox is ticked.
    pub fn has(&self, category: Category) -> bool {
        self.checkbox(category).is_some()
    }

    /// Ticks a category checkbox (filling the form from a stored record).
    pub fn set(&mut self, category: Category) {
        *self.checkbox_mut(category) = Some("on".to_owned());
    }

    /// Fills the form from a stored record (edit).
    pub fn from_data(d: &ParticipantData, version: i32) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut form = Self {
            surname: d.surname.to_string(),
            first_names: d.first_names.to_string(),
            pesel: d.pesel.as_ref().map(Pesel::to_string).unwrap_or_default(),
            no_pesel: d.pesel.is_none().then(|| "on".to_owned()),
            birth_date: dates::iso(d.birth_date),
            sex: d.sex.map(|s| s.code().to_owned()).unwrap_or_default(),
            id_document: text(&d.id_document),
            address_street: d.address_street.clone(),
            address_postal_code: d.address_postal_code.to_string(),
            address_city: d.address_city.clone(),
            responsible_ops: d.responsible_ops.clone(),
            phone: d.phone.as_ref().map(Phone::to_string).unwrap_or_default(),
            category_other: text(&d.category_other),
            no_exclusion: Some("on".into()),
            no_exclusion_date: dates::iso(d.no_exclusion_declared_on),
            applicant: d.applicant.code().into(),
            applicant_institution: text(&d.applicant_institution),
            referrer: d.referrer.code().into(),
            referrer_institution: d.referrer_institution.clone(),
            referral_date: dates::iso(d.referral_date),
            consent_date: dates::iso(d.consent_date),
            consent_scope: d.consent_scope.clone(),
            version: version.to_string(),
            ..Self::default()
        };
        for c in &d.categories {
            form.set(*c);
        }
        form
    }

    /// Validates everything; `today` is the date in Poland.
    pub fn validate(&self, today: Date) -> Result<ParticipantData, Errors> {
        let mut errors = Errors::new();
        let surname = errors.take("surname", PersonName::parse(&self.surname));
        let first_names = errors.take("first_names", PersonName::parse(&self.first_names));
        let identity = self.identity(&mut errors, today);

        // Address of residence (or stay) and the OPS responsible for it.
        let address_street = errors.take(
            "address_street",
            validate::optional_line(&self.address_street, 200).map(Option::unwrap_or_default),
        );
        let address_city = errors.take(
            "address_city",
            validate::required_line(&self.address_city, 100),
        );
        let address_postal_code = errors.take(
            "address_postal_code",
            PostalCode::parse(&self.address_postal_code),
        );
        let responsible_ops = errors
            .take(
                "responsible_ops",
                validate::optional_line(&self.responsible_ops, 200),
            )
            .map(|ops| match (ops, &address_city) {
                (Some(ops), _) => ops,
                (None, Some(city)) => format!("Ośrodek pomocy społecznej właściwy dla: {city}"),
                (None, None) => String::new(),
            });
        let phone = errors.take("phone", Phone::parse(&self.phone));

        // Eligibility (art. 1 ust. 2) and the declaration of art. 1 ust. 3.
        let categories: Vec<Category> =
            Category::ALL.into_iter().filter(|c| self.has(*c)).collect();
        if categories.is_empty() {
            errors.add(
                "categories",
                "Zaznacz co najmniej jedną kategorię (art. 1 ust. 2 ustawy).",
            );
        }
        let other = self.has(Category::Other);
        let category_other = errors
            .take(
                "category_other",
                validate::optional_text(&self.category_other, 500).and_then(|v| match v {
                    None if other => Err("Opisz sytuację osoby (wybrano „Inna sytuacja”).".into()),
                    v => Ok(v.filter(|_| other)),
                }),
            )
            .flatten();
        if self.no_exclusion.is_none() {
            errors.add(
                "no_exclusion",
                "Bez oświadczenia, że osobie nie przysługuje zasiłek dla bezrobotnych, świadczenie ani emerytura lub renta (art. 1 ust. 3), nie można jej zarejestrować.",
            );
        }
        let no_exclusion_declared_on = errors.take(
            "no_exclusion_date",
            past_date(&self.no_exclusion_date, today),
        );

        // Referral (art. 12).
        let applicant = errors.take(
            "applicant",
            Applicant::from_code(&self.applicant)
                .ok_or_else(|| "Wybierz, kto złożył wniosek.".to_owned()),
        );
        let by_person = applicant == Some(Applicant::Person);
        let applicant_institution = errors
            .take(
                "applicant_institution",
                validate::optional_line(&self.applicant_institution, 200).and_then(|v| match v {
                    None if applicant.is_some() && !by_person => {
                        Err("Podaj nazwę instytucji, która złożyła wniosek.".into())
                    }
                    v => Ok(v.filter(|_| !by_person)),
                }),
            )
            .flatten();
        let referrer = errors.take(
            "referrer",
            match Referrer::from_code(&self.referrer) {
                None => Err("Wybierz, kto skierował osobę.".to_owned()),
                Some(Referrer::Pup) if !categories.contains(&Category::LongTermUnemployed) => Err("Powiatowy urząd pracy kieruje osoby długotrwale bezrobotne – zaznacz tę kategorię albo wybierz OPS.".into()),
                Some(r) => Ok(r),
            },
        );
        let referrer_institution = errors.take(
            "referrer_institution",
            validate::required_line(&self.referrer_institution, 200),
        );
        let referral_date = errors.take("referral_date", past_date(&self.referral_date, today));
        let consent_date = errors.take("consent_date", past_date(&self.consent_date, today));
        let consent_scope = errors.take(
            "consent_scope",
            validate::required_text(&self.consent_scope, 1000),
        );

        let complete = || {
            let (pesel, birth_date, sex, id_document) = identity?;
            Some(ParticipantData {
                surname: surname?,
                first_names: first_names?,
                pesel,
                birth_date,
                sex,
                id_document,
                address_street: address_street?,
                address_postal_code: address_postal_code?,
                address_city: address_city?,
                responsible_ops: responsible_ops?,
                phone: phone?,
                categories,
                category_other,
                no_exclusion_declared_on: no_exclusion_declared_on?,
                applicant: applicant?,
                applicant_institution,
                referrer: referrer?,
                referrer_institution: referrer_institution?,
                referral_date: referral_date?,
                consent_date: consent_date?,
                consent_scope: consent_scope?,
            })
        };
        match complete() {
            Some(data) if errors.is_empty() => Ok(data),
            _ => {
                if errors.is_empty() {
                    errors.add("form", "Formularz zawiera błędy.");
                }
                Err(errors)
            }
        }
    }

    /// Identity: PESEL, or (for a person without one) birth date and a document number; the
    /// person must be an adult. Returns (PESEL, birth date, sex, document).
    #[expect(
        clippy::type_complexity,
        reason = "a tuple used once, by `validate`, right above"
    )]
    fn identity(
        &self,
        errors: &mut Errors,
        today: Date,
    ) -> Option<(Option<Pesel>, Date, Option<Sex>, Option<String>)> {
        let typed_birth =
            (!self.birth_date.trim().is_empty()).then(|| dates::parse(&self.birth_date));
        let typed_sex = match self.sex.as_str() {
            "" => Ok(None),
            code => Sex::from_code(code)
                .map(Some)
                .ok_or_else(|| "Wybierz płeć z listy.".to_owned()),
        };
        if let Err(e) = &typed_sex {
            errors.add("sex", e.clone());
        }
        let document = validate::optional_line(&self.id_document, 50);
        let (pesel, birth_date, sex, id_document) = if self.no_pesel.is_some() {
            if !self.pesel.trim().is_empty() {
                errors.add(
                    "pesel",
                    "Zaznaczono, że osoba nie ma numeru PESEL – usuń numer albo odznacz to pole.",
                );
            }
            let birth = errors.take(
                "birth_date",
                typed_birth.unwrap_or_else(|| Err("Bez numeru PESEL podaj datę urodzenia.".into())),
            );
            let document = errors.take(
                "id_document",
                document.and_then(|d| d.ok_or_else(|| "Bez numeru PESEL podaj rodzaj i numer dokumentu tożsamości (np. karta pobytu).".to_owned())),
            );
            (None, birth, typed_sex.ok().flatten(), document)
        } else {
            let document = errors.take("id_document", document).flatten();
            match Pesel::parse(&self.pesel) {
                Ok(p) => {
                    match typed_birth {
                        Some(Ok(d)) if d != p.birth_date() => errors.add("birth_date", format!("Data urodzenia nie zgadza się z numerem PESEL (z PESEL wynika {}).", dates::format(p.birth_date()))),
                        Some(Err(e)) => errors.add("birth_date", e),
                        _ => {}
                    }
                    if let Ok(Some(s)) = typed_sex
                        && s != p.sex()
                    {
                        errors.add(
                            "sex",
                            format!(
                                "Płeć nie zgadza się z numerem PESEL (z PESEL wynika: {}).",
                                p.sex().label()
                            ),
                        );
                    }
                    let (born, sex) = (p.birth_date(), p.sex());
                    (Some(p), Some(born), Some(sex), document)
                }
                Err(_) if self.pesel.trim().is_empty() => {
                    errors.add(
                        "pesel",
                        "Podaj numer PESEL albo zaznacz, że osoba go nie ma.",
                    );
                    (None, None, None, document)
                }
                Err(e) => {
                    errors.add("pesel", e.message());
                    (None, None, None, document)
                }
            }
        };
        if let Some(born) = birth_date {
            let field = if errors.contains_key("pesel") || self.no_pesel.is_some() {
                "birth_date"
            } else {
                "pesel"
            };
            let problem = if born > today {
                Some("Data urodzenia nie może być z przyszłości.")
            } else if dates::age(born, today) < 18 {
                Some("Uczestnikiem CIS może zostać osoba pełnoletnia.")
            } else if dates::age(born, today) > 100 {
                Some("Sprawdź datę urodzenia – osoba miałaby ponad 100 lat.")
            } else {
                None
            };
            if let Some(problem) = problem {
                errors.add_if_absent(field, problem);
            }
        }
        Some((pesel, birth_date?, sex, id_document))
    }

    /// The social worker chosen by a manager (`None`: not assigned yet).
    pub fn social_worker_id(&self) -> Result<Option<Uuid>, String> {
        match self.social_worker.trim() {
            "" => Ok(None),
            raw => Uuid::parse_str(raw)
                .map(Some)
                .map_err(|_| "Wybierz pracownika socjalnego z listy.".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn valid() -> ParticipantForm {
        let mut f = ParticipantForm::blank(TODAY);
        f.surname = "Wiśniewska-Kowal".into();
        f.first_names = "Anna Maria".into();
        f.pesel = Pesel::generate(date!(1985 - 04 - 12), 321, Sex::Female);
        f.address_city = "Lesznowola".into();
        f.cat_long_term_unemployed = Some("on".into());
        f.no_exclusion = Some("on".into());
        f.applicant = "ops".into();
        f.applicant_institution = "GOPS w Lesznowoli".into();
        f.referrer = "pup".into();
        f.referrer_institution = "PUP w Piasecznie".into();
        f.referral_date = "2026-11-16".into();
        f
    }

    #[test]
    fn a_complete_form_validates_and_derives_birth_date_sex_and_ops() {
        let data = valid().validate(TODAY).expect("valid");
        assert_eq!(data.birth_date, date!(1985 - 04 - 12));
        assert_eq!(data.sex, Some(Sex::Female));
        assert_eq!(
            data.responsible_ops,
            "Ośrodek pomocy społecznej właściwy dla: Lesznowola"
        );
        assert_eq!(data.categories, vec![Category::LongTermUnemployed]);
    }

    #[test]
    fn pesel_must_match_the_typed_birth_date_and_sex() {
        let mut f = valid();
        f.birth_date = "1985-04-13".into();
        f.sex = "M".into();
        let errors = f.validate(TODAY).expect_err("mismatch");
        assert!(errors["birth_date"].contains("12.04.1985"));
        assert!(errors["sex"].contains("kobieta"));
        let mut f = valid();
        f.pesel = "85041232100".into();
        assert!(f.validate(TODAY).expect_err("bad checksum")["pesel"].contains("cyfra kontrolna"));
    }

    #[test]
    fn a_person_without_pesel_needs_a_birth_date_and_a_document() {
        let mut f = valid();
        f.pesel.clear();
        f.no_pesel = Some("on".into());
        let errors = f.validate(TODAY).expect_err("incomplete");
        assert!(errors.contains_key("birth_date") && errors.contains_key("id_document"));
        f.birth_date = "1990-01-02".into();
        f.id_document = "karta pobytu RP1234567".into();
        let data = f.validate(TODAY).expect("valid");
        assert_eq!(data.pesel, None);
        assert_eq!(data.birth_date, date!(1990 - 01 - 02));
    }

    #[test]
    fn future_birth_dates_minors_and_future_referrals_are_refused() {
        let mut f = valid();
        f.pesel.clear();
        f.no_pesel = Some("on".into());
        f.id_document = "paszport X".into();
        f.birth_date = "2030-01-01".into();
        assert!(f.validate(TODAY).expect_err("future")["birth_date"].contains("przyszłości"));
        f.birth_date = "2015-01-01".into();
        assert!(f.validate(TODAY).expect_err("minor")["birth_date"].contains("pełnoletnia"));
        let mut f = valid();
        f.referral_date = "2027-01-01".into();
        assert!(f.validate(TODAY).expect_err("future")["referral_date"].contains("przyszłości"));
    }

    #[test]
    fn names_lengths_categories_referrer_and_declaration_are_checked() {
        let mut f = valid();
        f.surname = "N".repeat(10_000);
        f.first_names = "<script>alert(1)</script>".into();
        f.cat_long_term_unemployed = None;
        f.no_exclusion = None;
        let errors = f.validate(TODAY).expect_err("invalid");
        assert!(errors["surname"].contains("100"));
        assert!(errors["first_names"].contains("litery"));
        assert!(errors.contains_key("categories"));
        assert!(errors["referrer"].contains("długotrwale bezrobotne"));
        assert!(errors.contains_key("no_exclusion"));
    }

    #[test]
    fn other_needs_a_description_and_phones_are_plausible() {
        let mut f = valid();
        f.cat_other = Some("on".into());
        f.phone = "12".into();
        let errors = f.validate(TODAY).expect_err("invalid");
        assert!(errors.contains_key("category_other"));
        assert!(errors.contains_key("phone"));
    }

    #[test]
    fn editing_round_trips_through_the_form() {
        let data = valid().validate(TODAY).expect("valid");
        let again = ParticipantForm::from_data(&data, 3)
            .validate(TODAY)
            .expect("valid");
        assert_eq!(again, data);
    }
}
