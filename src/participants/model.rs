//! The participant's closed vocabularies beyond those the policy reasons about (status and
//! categories live in `crate::domain`): referral, recruitment documents, graduation outcomes,
//! contract types and termination reasons, with their Polish labels.

use crate::domain::vocabulary;

vocabulary! {
    /// Who applied for admission (art. 12 ust. 1).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "referral_applicant", rename_all = "snake_case")]
    pub enum Applicant {
        /// The person (or their legal representative).
        Person = ("person", "Osoba zainteresowana (lub jej przedstawiciel ustawowy)"),
        /// Ośrodek pomocy społecznej.
        Ops = ("ops", "Ośrodek pomocy społecznej"),
        /// Powiatowe centrum pomocy rodzinie.
        Pcpr = ("pcpr", "Powiatowe centrum pomocy rodzinie"),
        /// A facility treating addiction.
        AddictionFacility = ("addiction_facility", "Podmiot leczniczy (leczenie uzależnień)"),
        /// A non-governmental organisation.
        Ngo = ("ngo", "Organizacja pozarządowa"),
        /// Klub integracji społecznej.
        Kis = ("kis", "Klub integracji społecznej"),
    }
}

vocabulary! {
    /// Who formally referred the person (art. 12 ust. 2).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "referral_referrer", rename_all = "snake_case")]
    pub enum Referrer {
        /// The OPS of the place of residence.
        Ops = ("ops", "Ośrodek pomocy społecznej właściwy dla miejsca zamieszkania"),
        /// The county labour office (long-term unemployed only).
        Pup = ("pup", "Powiatowy urząd pracy (osoby długotrwale bezrobotne)"),
    }
}

vocabulary! {
    /// The documents of the recruitment file (seed 001).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "recruitment_document_kind", rename_all = "snake_case")]
    pub enum DocumentKind {
        /// Ankieta rekrutacyjna.
        RecruitmentSurvey = ("recruitment_survey", "Ankieta rekrutacyjna"),
        /// Zgoda na przetwarzanie danych osobowych.
        GdprConsent = ("gdpr_consent", "Zgoda na przetwarzanie danych osobowych"),
        /// Deklaracja uczestnictwa.
        ParticipationDeclaration = ("participation_declaration", "Deklaracja uczestnictwa"),
        /// Karta danych osobowych.
        PersonalDataCard = ("personal_data_card", "Karta danych osobowych"),
        /// Oświadczenie o kwalifikowalności.
        EligibilityStatement = ("eligibility_statement", "Oświadczenie o kwalifikowalności"),
        /// Wywiad środowiskowy.
        EnvironmentalInterview = ("environmental_interview", "Wywiad środowiskowy"),
    }
}

vocabulary! {
    /// Why a participant graduated (art. 16; seed 000).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "graduation_outcome", rename_all = "snake_case")]
    pub enum GraduationOutcome {
        /// Took up employment.
        Employment = ("employment", "Podjęcie zatrudnienia"),
        /// Started a business.
        OwnBusiness = ("own_business", "Podjęcie działalności gospodarczej"),
        /// The participation period elapsed with the programme completed.
        PeriodElapsed = ("period_elapsed", "Upływ okresu uczestnictwa – program zrealizowany"),
    }
}

vocabulary! {
    /// Kind of employment taken up at graduation.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "employment_contract", rename_all = "snake_case")]
    pub enum ContractType {
        /// Umowa o pracę na czas nieokreślony.
        Permanent = ("permanent", "Umowa o pracę na czas nieokreślony"),
        /// Umowa o pracę na czas określony.
        FixedTerm = ("fixed_term", "Umowa o pracę na czas określony"),
        /// Zatrudnienie wspierane (art. 15a–16).
        SupportedEmployment = ("supported_employment", "Zatrudnienie wspierane"),
        /// Praca w spółdzielni socjalnej.
        SocialCooperative = ("social_cooperative", "Praca w spółdzielni socjalnej"),
    }
}

vocabulary! {
    /// Why participation ended early (seed 000: the three cases that stop the programme).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "termination_reason", rename_all = "snake_case")]
    pub enum TerminationReason {
        /// The manager found persistent violation of the programme.
        PersistentViolation = ("persistent_violation", "Kierownik stwierdził uporczywe naruszanie postanowień programu uniemożliwiające jego dalszą realizację"),
        /// The participant permanently left the centre's activities.
        LeftPermanently = ("left_permanently", "Uczestnik trwale opuścił zajęcia w Centrum"),
        /// The participant declared withdrawal from the programme.
        Withdrawal = ("withdrawal", "Uczestnik złożył oświadczenie o odstąpieniu od realizacji programu"),
    }
}

/// The recruitment documents a file still lacks: every kind without a document on file,
/// except the consent to data processing once the consent was recorded at registration (it
/// is the same consent, seed 001).
pub fn missing_documents(
    on_file: impl Fn(DocumentKind) -> bool,
    consent_recorded: bool,
) -> Vec<DocumentKind> {
    DocumentKind::ALL
        .iter()
        .copied()
        .filter(|&kind| !on_file(kind))
        .filter(|&kind| !(kind == DocumentKind::GdprConsent && consent_recorded))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Vocabulary;

    fn round_trips<T: Vocabulary + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::from_code(v.code()), Some(*v));
            assert!(!v.label().is_empty());
        }
        assert_eq!(T::from_code("nonsense"), None);
    }

    #[test]
    fn codes_round_trip() {
        round_trips::<Applicant>();
        round_trips::<Referrer>();
        round_trips::<DocumentKind>();
        round_trips::<GraduationOutcome>();
        round_trips::<ContractType>();
        round_trips::<TerminationReason>();
    }

    #[test]
    fn the_consent_given_at_registration_counts_as_the_consent_document() {
        let none = |_: DocumentKind| false;
        assert_eq!(missing_documents(none, false).len(), 6);
        let missing = missing_documents(none, true);
        assert_eq!(missing.len(), 5);
        assert!(!missing.contains(&DocumentKind::GdprConsent));
        let survey = |k: DocumentKind| k == DocumentKind::RecruitmentSurvey;
        assert_eq!(
            missing_documents(survey, true),
            vec![
                DocumentKind::ParticipationDeclaration,
                DocumentKind::PersonalDataCard,
                DocumentKind::EligibilityStatement,
                DocumentKind::EnvironmentalInterview,
            ]
        );
        let all = |_: DocumentKind| true;
        assert!(missing_documents(all, false).is_empty());
    }
}

vocabulary! {
    /// What a case note records.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "case_note_kind", rename_all = "snake_case")]
    pub enum NoteKind {
        /// A conversation with the person.
        Conversation = ("conversation", "Rozmowa"),
        /// A visit at the person's home.
        HomeVisit = ("home_visit", "Wizyta w miejscu zamieszkania"),
        /// A phone call.
        PhoneCall = ("phone_call", "Rozmowa telefoniczna"),
        /// A contact with an institution (OPS, PUP, court, therapy facility…).
        Institution = ("institution", "Kontakt z instytucją"),
        /// Anything else.
        Other = ("other", "Inne"),
    }
}
