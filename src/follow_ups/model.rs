//! The follow-up vocabularies (seed 002, schema part 22): the kind of a due item, how a contact
//! was made, the partner institution that informed, the graduate's employment situation and
//! contract, and whether the skills match what employers need. Each is a closed vocabulary with
//! its Polish label; the database keeps the codes.

use crate::domain::vocabulary;

vocabulary! {
    /// Where a due item comes from.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "follow_up_kind", rename_all = "snake_case")]
    pub enum FollowUpKind {
        /// From the schedule made at graduation.
        Scheduled = ("scheduled", "z harmonogramu"),
        /// Added by the social worker.
        Extra = ("extra", "dodatkowy"),
        /// Brought forward because the situation needs closer contact.
        Closer = ("closer", "częstszy kontakt"),
    }
}

vocabulary! {
    /// How the contact was made.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "contact_form", rename_all = "snake_case")]
    pub enum ContactForm {
        /// A visit (at home, at work, in the centre).
        Visit = ("visit", "Wizyta"),
        /// A phone call.
        Phone = ("phone", "Rozmowa telefoniczna"),
        /// A letter.
        Letter = ("letter", "List"),
        /// Information from a partner institution.
        Partner = ("partner", "Informacja z instytucji partnerskiej"),
    }
}

vocabulary! {
    /// The partner institution that informed about the graduate.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "contact_partner", rename_all = "snake_case")]
    pub enum ContactPartner {
        /// The social welfare centre.
        Ops = ("ops", "Ośrodek pomocy społecznej (OPS)"),
        /// The county labour office.
        Pup = ("pup", "Powiatowy urząd pracy (PUP)"),
        /// The municipal commission for solving alcohol problems.
        Gkrpa = ("gkrpa", "Gminna komisja rozwiązywania problemów alkoholowych (GKRPA)"),
        /// Another institution, named.
        Other = ("other", "Inna instytucja"),
    }
}

vocabulary! {
    /// The graduate's employment situation (seed 002: "sytuacja zatrudnieniowa").
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "graduate_employment", rename_all = "snake_case")]
    pub enum GraduateEmployment {
        /// Employed (the contract type is recorded).
        Employed = ("employed", "Zatrudniony na podstawie umowy"),
        /// Runs a business of their own.
        SelfEmployed = ("self_employed", "Własna działalność gospodarcza"),
        /// Works in a social cooperative.
        SocialCooperative = ("social_cooperative", "Praca w spółdzielni socjalnej"),
        /// Supported employment.
        SupportedEmployment = ("supported_employment", "Zatrudnienie wspierane"),
        /// Registered as unemployed at the labour office.
        RegisteredUnemployed = ("registered_unemployed", "Zarejestrowany jako bezrobotny"),
        /// Not working, not registered.
        NotWorking = ("not_working", "Nie pracuje"),
        /// Not known.
        Unknown = ("unknown", "Nie wiadomo"),
    }
}

vocabulary! {
    /// The contract of an employed graduate.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "graduate_contract", rename_all = "snake_case")]
    pub enum GraduateContract {
        /// Employment contract for an indefinite period.
        Permanent = ("permanent", "Umowa o pracę na czas nieokreślony"),
        /// Employment contract for a fixed term.
        FixedTerm = ("fixed_term", "Umowa o pracę na czas określony"),
        /// Mandate contract.
        Mandate = ("mandate", "Umowa zlecenia"),
        /// Contract for a specific work.
        SpecificWork = ("specific_work", "Umowa o dzieło"),
        /// Another contract.
        Other = ("other", "Inna umowa"),
    }
}

vocabulary! {
    /// Whether the skills acquired in the centre match what employers need.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "skills_match", rename_all = "snake_case")]
    pub enum SkillsMatch {
        /// Yes.
        Yes = ("yes", "Tak"),
        /// Partly.
        Partly = ("partly", "Częściowo"),
        /// No.
        No = ("no", "Nie"),
        /// Not known.
        Unknown = ("unknown", "Nie wiadomo"),
    }
}
