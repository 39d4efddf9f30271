//! The participant's closed vocabularies: status, eligibility categories, referral, recruitment
//! documents, graduation outcomes and termination reasons, with their Polish labels.

use serde::Serialize;

/// Where a participant is in the programme (DOMAIN.md "Participant lifecycle").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, Serialize)]
#[sqlx(type_name = "participant_status", rename_all = "snake_case")]
pub enum Status {
    /// Kandydat: referred or self-reported.
    Candidate,
    /// Lista rezerwowa: eligible, waiting for a place.
    Reserve,
    /// Okres próbny: admitted, first month.
    Trial,
    /// Uczestnik: the programme runs.
    Participant,
    /// Absolwent: completed (employment, business, or the period elapsed).
    Graduate,
    /// Zakończył (przerwał): ended early, with a reason.
    Terminated,
}

impl Status {
    /// Every status in lifecycle order.
    pub const ALL: [Status; 6] = [
        Status::Candidate,
        Status::Reserve,
        Status::Trial,
        Status::Participant,
        Status::Graduate,
        Status::Terminated,
    ];

    /// Code used in forms and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Status::Candidate => "candidate",
            Status::Reserve => "reserve",
            Status::Trial => "trial",
            Status::Participant => "participant",
            Status::Graduate => "graduate",
            Status::Terminated => "terminated",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Polish label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Candidate => "Kandydat",
            Status::Reserve => "Lista rezerwowa",
            Status::Trial => "Okres próbny",
            Status::Participant => "Uczestnik",
            Status::Graduate => "Absolwent",
            Status::Terminated => "Zakończył (przerwał)",
        }
    }

    /// In the programme now (the trial month counts): attends, gets the benefit.
    pub fn is_active(self) -> bool {
        matches!(self, Status::Trial | Status::Participant)
    }

    /// The lifecycle's arrows. Anything else is an impossible transition.
    pub fn can_move_to(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Candidate, Reserve)
                | (Reserve, Trial)
                | (Trial, Participant)
                | (Trial | Participant, Graduate)
                | (Candidate | Reserve | Trial | Participant, Terminated)
        )
    }
}

/// Eligibility under art. 1 ust. 2 of the act (more than one may apply).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, Serialize)]
#[sqlx(type_name = "eligibility_category", rename_all = "snake_case")]
pub enum Category {
    /// Bezdomni realizujący indywidualny program wychodzenia z bezdomności.
    Homeless,
    /// Uzależnieni od alkoholu.
    Alcohol,
    /// Uzależnieni od narkotyków lub innych środków odurzających.
    Drugs,
    /// Chorzy psychicznie.
    MentalIllness,
    /// Długotrwale bezrobotni.
    LongTermUnemployed,
    /// Zwalniani z zakładów karnych.
    Prison,
    /// Uchodźcy realizujący indywidualny program integracji.
    Refugee,
    /// Osoby niepełnosprawne.
    Disability,
    /// Inna sytuacja (the list in the act is "in particular"), with a description.
    Other,
}

/// How sensitive a category's label is (LAW.md "Who may take part").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitivity {
    /// Ordinary personal data.
    General,
    /// Reveals health, addiction, mental illness, disability or homelessness (GDPR art. 9).
    Health,
    /// Reveals a criminal record (GDPR art. 10).
    Criminal,
}

impl Category {
    /// Every category, in the order of the act.
    pub const ALL: [Category; 9] = [
        Category::Homeless,
        Category::Alcohol,
        Category::Drugs,
        Category::MentalIllness,
        Category::LongTermUnemployed,
        Category::Prison,
        Category::Refugee,
        Category::Disability,
        Category::Other,
    ];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Category::Homeless => "homeless",
            Category::Alcohol => "alcohol",
            Category::Drugs => "drugs",
            Category::MentalIllness => "mental_illness",
            Category::LongTermUnemployed => "long_term_unemployed",
            Category::Prison => "prison",
            Category::Refugee => "refugee",
            Category::Disability => "disability",
            Category::Other => "other",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Polish label (art. 1 ust. 2).
    pub fn label(self) -> &'static str {
        match self {
            Category::Homeless => {
                "Osoba bezdomna realizująca indywidualny program wychodzenia z bezdomności"
            }
            Category::Alcohol => "Osoba uzależniona od alkoholu",
            Category::Drugs => "Osoba uzależniona od narkotyków lub innych środków odurzających",
            Category::MentalIllness => "Osoba z zaburzeniami psychicznymi",
            Category::LongTermUnemployed => "Osoba długotrwale bezrobotna",
            Category::Prison => "Osoba zwolniona z zakładu karnego",
            Category::Refugee => "Uchodźca realizujący indywidualny program integracji",
            Category::Disability => "Osoba z niepełnosprawnością",
            Category::Other => "Inna sytuacja wykluczenia (opis)",
        }
    }

    /// Which data class the label belongs to.
    pub fn sensitivity(self) -> Sensitivity {
        match self {
            Category::Homeless
            | Category::Alcohol
            | Category::Drugs
            | Category::MentalIllness
            | Category::Disability => Sensitivity::Health,
            Category::Prison => Sensitivity::Criminal,
            Category::LongTermUnemployed | Category::Refugee | Category::Other => {
                Sensitivity::General
            }
        }
    }
}

/// Who applied for admission (art. 12 ust. 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "referral_applicant", rename_all = "snake_case")]
pub enum Applicant {
    /// The person (or their legal representative).
    Person,
    /// Ośrodek pomocy społecznej.
    Ops,
    /// Powiatowe centrum pomocy rodzinie.
    Pcpr,
    /// A facility treating addiction.
    AddictionFacility,
    /// A non-governmental organisation.
    Ngo,
    /// Klub integracji społecznej.
    Kis,
}

impl Applicant {
    /// Every applicant.
    pub const ALL: [Applicant; 6] = [
        Applicant::Person,
        Applicant::Ops,
        Applicant::Pcpr,
        Applicant::AddictionFacility,
        Applicant::Ngo,
        Applicant::Kis,
    ];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Applicant::Person => "person",
            Applicant::Ops => "ops",
            Applicant::Pcpr => "pcpr",
            Applicant::AddictionFacility => "addiction_facility",
            Applicant::Ngo => "ngo",
            Applicant::Kis => "kis",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Applicant> {
        Applicant::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Polish label.
    pub fn label(self) -> &'static str {
        match self {
            Applicant::Person => "Osoba zainteresowana (lub jej przedstawiciel ustawowy)",
            Applicant::Ops => "Ośrodek pomocy społecznej",
            Applicant::Pcpr => "Powiatowe centrum pomocy rodzinie",
            Applicant::AddictionFacility => "Podmiot leczniczy (leczenie uzależnień)",
            Applicant::Ngo => "Organizacja pozarządowa",
            Applicant::Kis => "Klub integracji społecznej",
        }
    }
}

/// Who formally referred the person (art. 12 ust. 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "referral_referrer", rename_all = "snake_case")]
pub enum Referrer {
    /// The OPS of the place of residence.
    Ops,
    /// The county labour office (long-term unemployed only).
    Pup,
}

impl Referrer {
    /// Every referrer.
    pub const ALL: [Referrer; 2] = [Referrer::Ops, Referrer::Pup];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Referrer::Ops => "ops",
            Referrer::Pup => "pup",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Referrer> {
        Referrer::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Polish label.
    pub fn label(self) -> &'static str {
        match self {
            Referrer::Ops => "Ośrodek pomocy społecznej właściwy dla miejsca zamieszkania",
            Referrer::Pup => "Powiatowy urząd pracy (osoby długotrwale bezrobotne)",
        }
    }
}

/// The documents of the recruitment file (seed 001).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "recruitment_document_kind", rename_all = "snake_case")]
pub enum DocumentKind {
    /// Ankieta rekrutacyjna.
    RecruitmentSurvey,
    /// Zgoda na przetwarzanie danych osobowych.
    GdprConsent,
    /// Deklaracja uczestnictwa.
    ParticipationDeclaration,
    /// Karta danych osobowych.
    PersonalDataCard,
    /// Oświadczenie o kwalifikowalności.
    EligibilityStatement,
    /// Wywiad środowiskowy.
    EnvironmentalInterview,
}

impl DocumentKind {
    /// Every document of the file, in the order of the procedure.
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::RecruitmentSurvey,
        DocumentKind::GdprConsent,
        DocumentKind::ParticipationDeclaration,
        DocumentKind::PersonalDataCard,
        DocumentKind::EligibilityStatement,
        DocumentKind::EnvironmentalInterview,
    ];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::RecruitmentSurvey => "recruitment_survey",
            DocumentKind::GdprConsent => "gdpr_consent",
            DocumentKind::ParticipationDeclaration => "participation_declaration",
            DocumentKind::PersonalDataCard => "personal_data_card",
            DocumentKind::EligibilityStatement => "eligibility_statement",
            DocumentKind::EnvironmentalInterview => "environmental_interview",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Polish label.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::RecruitmentSurvey => "Ankieta rekrutacyjna",
            DocumentKind::GdprConsent => "Zgoda na przetwarzanie danych osobowych",
            DocumentKind::ParticipationDeclaration => "Deklaracja uczestnictwa",
            DocumentKind::PersonalDataCard => "Karta danych osobowych",
            DocumentKind::EligibilityStatement => "Oświadczenie o kwalifikowalności",
            DocumentKind::EnvironmentalInterview => "Wywiad środowiskowy",
        }
    }
}

/// Why a participant graduated (art. 16; seed 000).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "graduation_outcome", rename_all = "snake_case")]
pub enum GraduationOutcome {
    /// Took up employment.
    Employment,
    /// Started a business.
    OwnBusiness,
    /// The participation period elapsed with the programme completed.
    PeriodElapsed,
}

impl GraduationOutcome {
    /// Every outcome.
    pub const ALL: [GraduationOutcome; 3] = [
        GraduationOutcome::Employment,
        GraduationOutcome::OwnBusiness,
        GraduationOutcome::PeriodElapsed,
    ];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            GraduationOutcome::Employment => "employment",
            GraduationOutcome::OwnBusiness => "own_business",
            GraduationOutcome::PeriodElapsed => "period_elapsed",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<GraduationOutcome> {
        GraduationOutcome::ALL
            .into_iter()
            .find(|o| o.code() == code)
    }

    /// Polish label.
    pub fn label(self) -> &'static str {
        match self {
            GraduationOutcome::Employment => "Podjęcie zatrudnienia",
            GraduationOutcome::OwnBusiness => "Podjęcie działalności gospodarczej",
            GraduationOutcome::PeriodElapsed => "Upływ okresu uczestnictwa – program zrealizowany",
        }
    }
}

/// Kind of employment taken up at graduation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "employment_contract", rename_all = "snake_case")]
pub enum ContractType {
    /// Umowa o pracę na czas nieokreślony.
    Permanent,
    /// Umowa o pracę na czas określony.
    FixedTerm,
    /// Zatrudnienie wspierane (art. 15a–16).
    SupportedEmployment,
    /// Praca w spółdzielni socjalnej.
    SocialCooperative,
}

impl ContractType {
    /// Every contract type.
    pub const ALL: [ContractType; 4] = [
        ContractType::Permanent,
        ContractType::FixedTerm,
        ContractType::SupportedEmployment,
        ContractType::SocialCooperative,
    ];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            ContractType::Permanent => "permanent",
            ContractType::FixedTerm => "fixed_term",
            ContractType::SupportedEmployment => "supported_employment",
            ContractType::SocialCooperative => "social_cooperative",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<ContractType> {
        ContractType::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Polish label.
    pub fn label(self) -> &'static str {
        match self {
            ContractType::Permanent => "Umowa o pracę na czas nieokreślony",
            ContractType::FixedTerm => "Umowa o pracę na czas określony",
            ContractType::SupportedEmployment => "Zatrudnienie wspierane",
            ContractType::SocialCooperative => "Praca w spółdzielni socjalnej",
        }
    }
}

/// Why participation ended early (seed 000: the three cases that stop the programme).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "termination_reason", rename_all = "snake_case")]
pub enum TerminationReason {
    /// The manager found persistent violation of the programme.
    PersistentViolation,
    /// The participant permanently left the centre's activities.
    LeftPermanently,
    /// The participant declared withdrawal from the programme.
    Withdrawal,
}

impl TerminationReason {
    /// Every reason.
    pub const ALL: [TerminationReason; 3] = [
        TerminationReason::PersistentViolation,
        TerminationReason::LeftPermanently,
        TerminationReason::Withdrawal,
    ];

    /// Code used in forms.
    pub fn code(self) -> &'static str {
        match self {
            TerminationReason::PersistentViolation => "persistent_violation",
            TerminationReason::LeftPermanently => "left_permanently",
            TerminationReason::Withdrawal => "withdrawal",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<TerminationReason> {
        TerminationReason::ALL
            .into_iter()
            .find(|r| r.code() == code)
    }

    /// Polish label (seed 000).
    pub fn label(self) -> &'static str {
        match self {
            TerminationReason::PersistentViolation => {
                "Kierownik stwierdził uporczywe naruszanie postanowień programu uniemożliwiające jego dalszą realizację"
            }
            TerminationReason::LeftPermanently => "Uczestnik trwale opuścił zajęcia w Centrum",
            TerminationReason::Withdrawal => {
                "Uczestnik złożył oświadczenie o odstąpieniu od realizacji programu"
            }
        }
    }

    /// Whether the ending counts as a success in reports (none of these does).
    pub fn is_success(self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_allows_exactly_the_documented_arrows() {
        use Status::*;
        let allowed = [
            (Candidate, Reserve),
            (Reserve, Trial),
            (Trial, Participant),
            (Trial, Graduate),
            (Participant, Graduate),
            (Candidate, Terminated),
            (Reserve, Terminated),
            (Trial, Terminated),
            (Participant, Terminated),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(c));
        }
        for d in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(d.code()), Some(d));
        }
    }

    #[test]
    fn health_and_criminal_categories_are_marked_special() {
        assert_eq!(Category::Alcohol.sensitivity(), Sensitivity::Health);
        assert_eq!(Category::Homeless.sensitivity(), Sensitivity::Health);
        assert_eq!(Category::Prison.sensitivity(), Sensitivity::Criminal);
        assert_eq!(
            Category::LongTermUnemployed.sensitivity(),
            Sensitivity::General
        );
    }
}
