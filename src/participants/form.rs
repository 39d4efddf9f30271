//! The registration/edit form: raw strings in, a validated `ParticipantData` out, or the
//! Polish messages per field (the form is then shown again with the user's input).

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::model::{Applicant, Referrer};
use super::pesel::{Pesel, Sex};
use crate::domain::Category;
use crate::validate::{self, dates};

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

/// A validated participant record.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantData {
    pub surname: String,
    pub first_names: String,
    pub pesel: Option<String>,
    pub birth_date: Date,
    pub sex: Option<Sex>,
    pub id_document: Option<String>,
    pub address_street: String,
    pub address_postal_code: String,
    pub address_city: String,
    pub responsible_ops: String,
    pub phone: Option<String>,
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

/// Field name → Polish message.
pub type Errors = BTreeMap<&'static str, String>;

impl ParticipantForm {
    /// A blank registration form with sensible defaults (today's dates, consent wording).
    pub fn blank(today: Date) -> Self {
        let today = dates::iso(today);
        Self {
            no_exclusion_date: today.clone(),
            referral_date: today.clone(),
            consent_date: today,
            consent_scope: DEFAULT_CONSENT_SCOPE.into(),
            ..Self::default()
        }
    }

    /// Whether a category checkbox is ticked.
    pub fn has(&self, category: Category) -> bool {
        let field = match category {
            Category::Homeless => &self.cat_homeless,
            Category::Alcohol => &self.cat_alcohol,
            Category::Drugs => &self.cat_drugs,
            Category::MentalIllness => &self.cat_mental_illness,
            Category::LongTermUnemployed => &self.cat_long_term_unemployed,
            Category::Prison => &self.cat_prison,
            Category::Refugee => &self.cat_refugee,
            Category::Disability => &self.cat_disability,
            Category::Other => &self.cat_other,
        };
        field.is_some()
    }

    /// Ticks a category checkbox (filling the form from a stored record).
    pub fn set(&mut self, category: Category) {
        let on = Some("on".to_owned());
        match category {
            Category::Homeless => self.cat_homeless = on,
            Category::Alcohol => self.cat_alcohol = on,
            Category::Drugs => self.cat_drugs = on,
            Category::MentalIllness => self.cat_mental_illness = on,
            Category::LongTermUnemployed => self.cat_long_term_unemployed = on,
            Category::Prison => self.cat_prison = on,
            Category::Refugee => self.cat_refugee = on,
            Category::Disability => self.cat_disability = on,
            Category::Other => self.cat_other = on,
        }
    }

    /// Fills the form from a stored record (edit).
    pub fn from_data(d: &ParticipantData, version: i32) -> Self {
        let mut form = Self {
            surname: d.surname.clone(),
            first_names: d.first_names.clone(),
            pesel: d.pesel.clone().unwrap_or_default(),
            no_pesel: d.pesel.is_none().then(|| "on".to_owned()),
            birth_date: dates::iso(d.birth_date),
            sex: d.sex.map(|s| s.code().to_owned()).unwrap_or_default(),
            id_document: d.id_document.clone().unwrap_or_default(),
            address_street: d.address_street.clone(),
            address_postal_code: d.address_postal_code.clone(),
            address_city: d.address_city.clone(),
            responsible_ops: d.responsible_ops.clone(),
            phone: d.phone.clone().unwrap_or_default(),
            category_other: d.category_other.clone().unwrap_or_default(),
            no_exclusion: Some("on".into()),
            no_exclusion_date: dates::iso(d.no_exclusion_declared_on),
            applicant: d.applicant.code().into(),
            applicant_institution: d.applicant_institution.clone().unwrap_or_default(),
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
        let mut take = |field: &'static str, result: Result<String, String>| match result {
            Ok(v) => Some(v),
            Err(e) => {
                errors.insert(field, e);
                None
            }
        };
        let surname = take("surname", person_name(&self.surname));
        let first_names = take("first_names", person_name(&self.first_names));

        // Identity: PESEL, or (for a person without one) birth date and a document number.
        let mut pesel = None;
        let mut birth_date = None;
        let mut sex = None;
        let mut id_document = None;
        let typed_birth =
            (!self.birth_date.trim().is_empty()).then(|| dates::parse(&self.birth_date));
        let typed_sex = match self.sex.as_str() {
            "" => Ok(None),
            code => Sex::from_code(code)
                .map(Some)
                .ok_or_else(|| "Wybierz płeć z listy.".to_owned()),
        };
        if let Err(e) = &typed_sex {
            errors.insert("sex", e.clone());
        }
        if self.no_pesel.is_some() {
            if !self.pesel.trim().is_empty() {
                errors.insert(
                    "pesel",
                    "Zaznaczono, że osoba nie ma numeru PESEL – usuń numer albo odznacz to pole."
                        .into(),
                );
            }
            match typed_birth {
                None => {
                    errors.insert(
                        "birth_date",
                        "Bez numeru PESEL podaj datę urodzenia.".into(),
                    );
                }
                Some(Err(e)) => {
                    errors.insert("birth_date", e);
                }
                Some(Ok(d)) => birth_date = Some(d),
            }
            match validate::optional_line(&self.id_document, 50) {
                Ok(Some(doc)) => id_document = Some(doc),
                Ok(None) => {
                    errors.insert("id_document", "Bez numeru PESEL podaj rodzaj i numer dokumentu tożsamości (np. karta pobytu).".into());
                }
                Err(e) => {
                    errors.insert("id_document", e);
                }
            }
            sex = typed_sex.ok().flatten();
        } else {
            match Pesel::parse(&self.pesel) {
                Ok(p) => {
                    match typed_birth {
                        Some(Ok(d)) if d != p.birth_date() => {
                            errors.insert("birth_date", format!("Data urodzenia nie zgadza się z numerem PESEL (z PESEL wynika {}).", dates::format(p.birth_date())));
                        }
                        Some(Err(e)) => {
                            errors.insert("birth_date", e);
                        }
                        _ => {}
                    }
                    if let Ok(Some(s)) = typed_sex
                        && s != p.sex()
                    {
                        errors.insert(
                            "sex",
                            format!(
                                "Płeć nie zgadza się z numerem PESEL (z PESEL wynika: {}).",
                                p.sex().label()
                            ),
                        );
                    }
                    birth_date = Some(p.birth_date());
                    sex = Some(p.sex());
                    pesel = Some(p.as_str().to_owned());
                }
                Err(_) if self.pesel.trim().is_empty() => {
                    errors.insert(
                        "pesel",
                        "Podaj numer PESEL albo zaznacz, że osoba go nie ma.".into(),
                    );
                }
                Err(e) => {
                    errors.insert("pesel", e.message().into());
                }
            }
            match validate::optional_line(&self.id_document, 50) {
                Ok(doc) => id_document = doc,
                Err(e) => {
                    errors.insert("id_document", e);
                }
            }
        }
        if let Some(born) = birth_date {
            let field = if errors.contains_key("pesel") || self.no_pesel.is_some() {
                "birth_date"
            } else {
                "pesel"
            };
            if born > today {
                errors
                    .entry(field)
                    .or_insert_with(|| "Data urodzenia nie może być z przyszłości.".into());
            } else if dates::age(born, today) < 18 {
                errors
                    .entry(field)
                    .or_insert_with(|| "Uczestnikiem CIS może zostać osoba pełnoletnia.".into());
            } else if dates::age(born, today) > 100 {
                errors.entry(field).or_insert_with(|| {
                    "Sprawdź datę urodzenia – osoba miałaby ponad 100 lat.".into()
                });
            }
        }

        // Address of residence (or stay) and the OPS responsible for it.
        let mut take = |field: &'static str, result: Result<String, String>| match result {
            Ok(v) => Some(v),
            Err(e) => {
                errors.insert(field, e);
                None
            }
        };
        let address_street = take(
            "address_street",
            validate::optional_line(&self.address_street, 200).map(Option::unwrap_or_default),
        );
        let address_city = take(
            "address_city",
            validate::required_line(&self.address_city, 100),
        );
        let postal = self.address_postal_code.trim();
        let postal_ok = postal.is_empty()
            || (postal.len() == 6
                && postal.bytes().enumerate().all(|(i, b)| {
                    if i == 2 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                }));
        let address_postal_code = if postal_ok {
            Some(postal.to_owned())
        } else {
            errors.insert(
                "address_postal_code",
                "Kod pocztowy ma postać 00-000.".into(),
            );
            None
        };
        let mut take = |field: &'static str, result: Result<String, String>| match result {
            Ok(v) => Some(v),
            Err(e) => {
                errors.insert(field, e);
                None
            }
        };
        let responsible_ops = take(
            "responsible_ops",
            validate::optional_line(&self.responsible_ops, 200).map(Option::unwrap_or_default),
        )
        .map(|ops| match (&address_city, ops.is_empty()) {
            (Some(city), true) => format!("Ośrodek pomocy społecznej właściwy dla: {city}"),
            _ => ops,
        });
        let phone = take("phone", phone(&self.phone).map(Option::unwrap_or_default))
            .map(|p| (!p.is_empty()).then_some(p));

        // Eligibility (art. 1 ust. 2) and the declaration of art. 1 ust. 3.
        let categories: Vec<Category> =
            Category::ALL.into_iter().filter(|c| self.has(*c)).collect();
        if categories.is_empty() {
            errors.insert(
                "categories",
                "Zaznacz co najmniej jedną kategorię (art. 1 ust. 2 ustawy).".into(),
            );
        }
        let category_other = match validate::optional_text(&self.category_other, 500) {
            Ok(v) if self.has(Category::Other) && v.is_none() => {
                errors.insert(
                    "category_other",
                    "Opisz sytuację osoby (wybrano „Inna sytuacja”).".into(),
                );
                None
            }
            Ok(v) => v.filter(|_| self.has(Category::Other)),
            Err(e) => {
                errors.insert("category_other", e);
                None
            }
        };
        if self.no_exclusion.is_none() {
            errors.insert(
                "no_exclusion",
                "Bez oświadczenia, że osobie nie przysługuje zasiłek dla bezrobotnych, świadczenie ani emerytura lub renta (art. 1 ust. 3), nie można jej zarejestrować.".into(),
            );
        }
        let no_exclusion_declared_on = past_date(
            &mut errors,
            "no_exclusion_date",
            &self.no_exclusion_date,
            today,
        );

        // Referral (art. 12).
        let applicant = Applicant::from_code(&self.applicant);
        if applicant.is_none() {
            errors.insert("applicant", "Wybierz, kto złożył wniosek.".into());
        }
        let applicant_institution = match validate::optional_line(&self.applicant_institution, 200)
        {
            Ok(None) if applicant.is_some_and(|a| a != Applicant::Person) => {
                errors.insert(
                    "applicant_institution",
                    "Podaj nazwę instytucji, która złożyła wniosek.".into(),
                );
                None
            }
            Ok(v) => v.filter(|_| applicant != Some(Applicant::Person)),
            Err(e) => {
                errors.insert("applicant_institution", e);
                None
            }
        };
        let referrer = Referrer::from_code(&self.referrer);
        match referrer {
            None => {
                errors.insert("referrer", "Wybierz, kto skierował osobę.".into());
            }
            Some(Referrer::Pup) if !categories.contains(&Category::LongTermUnemployed) => {
                errors.insert("referrer", "Powiatowy urząd pracy kieruje osoby długotrwale bezrobotne – zaznacz tę kategorię albo wybierz OPS.".into());
            }
            Some(_) => {}
        }
        let referrer_institution = match validate::required_line(&self.referrer_institution, 200) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.insert("referrer_institution", e);
                None
            }
        };
        let referral_date = past_date(&mut errors, "referral_date", &self.referral_date, today);
        let consent_date = past_date(&mut errors, "consent_date", &self.consent_date, today);
        let consent_scope = match validate::required_text(&self.consent_scope, 1000) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.insert("consent_scope", e);
                None
            }
        };

        if !errors.is_empty() {
            return Err(errors);
        }
        match (
            surname,
            first_names,
            birth_date,
            address_street,
            address_postal_code,
            address_city,
            responsible_ops,
            phone,
            no_exclusion_declared_on,
            applicant,
            referrer,
            referrer_institution,
            referral_date,
            consent_date,
            consent_scope,
        ) {
            (
                Some(surname),
                Some(first_names),
                Some(birth_date),
                Some(address_street),
                Some(address_postal_code),
                Some(address_city),
                Some(responsible_ops),
                Some(phone),
                Some(no_exclusion_declared_on),
                Some(applicant),
                Some(referrer),
                Some(referrer_institution),
                Some(referral_date),
                Some(consent_date),
                Some(consent_scope),
            ) => Ok(ParticipantData {
                surname,
                first_names,
                pesel,
                birth_date,
                sex,
                id_document,
                address_street,
                address_postal_code,
                address_city,
                responsible_ops,
                phone,
                categories,
                category_other,
                no_exclusion_declared_on,
                applicant,
                applicant_institution,
                referrer,
                referrer_institution,
                referral_date,
                consent_date,
                consent_scope,
            }),
            _ => {
                let mut e = Errors::new();
                e.insert("form", "Formularz zawiera błędy.".into());
                Err(e)
            }
        }
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

fn past_date(errors: &mut Errors, field: &'static str, value: &str, today: Date) -> Option<Date> {
    match dates::parse(value) {
        Ok(d) if d > today => {
            errors.insert(field, "Data nie może być z przyszłości.".into());
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert(field, e);
            None
        }
    }
}

/// A surname or first name(s): letters (any alphabet), spaces, hyphens, apostrophes, dots.
fn person_name(value: &str) -> Result<String, String> {
    let value = validate::required_line(value, 100)?;
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if !collapsed.chars().any(char::is_alphabetic)
        || !collapsed
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '’' || c == '.')
    {
        return Err("Wpisz samo imię lub nazwisko: litery, spacja, łącznik lub apostrof.".into());
    }
    Ok(collapsed)
}

fn phone(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(9..=15).contains(&digits) || value.chars().count() > 30 {
        return Err("Numer telefonu: 9–15 cyfr, np. 601 234 567 lub +48 601 234 567.".into());
    }
    Ok(Some(value.to_owned()))
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
