//! The sections of each kind of opinion (what the role is asked about) and the part of the
//! field table each section belongs to: the health detail of the psychologist's opinion is a
//! part of its own, read only by those who read health data.

use crate::auth::policy::{Field, Visibility};
use crate::documents::version::Sections;
use crate::domain::OpinionKind;

/// Longest text of one section, in characters.
pub const MAX_SECTION: usize = 4000;

/// One section of an opinion's form.
#[derive(Debug)]
pub struct SectionDef {
    /// The key stored with the text (and the form field's name).
    pub key: &'static str,
    /// What the reader sees as its heading.
    pub label: &'static str,
    /// What the author is asked to write.
    pub hint: &'static str,
    /// The part of the field table that covers it.
    pub field: Field,
    /// Must be written before the opinion is signed off.
    pub required: bool,
}

const fn def(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    field: Field,
    required: bool,
) -> SectionDef {
    SectionDef {
        key,
        label,
        hint,
        field,
        required,
    }
}

const PSYCHOLOGIST: &[SectionDef] = &[
    def(
        "abilities",
        "Możliwości psychofizyczne",
        "Funkcjonowanie poznawcze i emocjonalne, odporność na stres, praca w grupie – w odniesieniu do pracy.",
        Field::OpinionPsychologist,
        true,
    ),
    def(
        "health",
        "Uwarunkowania zdrowotne",
        "Stan zdrowia, uzależnienie, leczenie – tylko w zakresie ważnym dla programu. Widzą to wyłącznie osoby uprawnione do danych o zdrowiu.",
        Field::OpinionPsychologistHealth,
        false,
    ),
    def(
        "motivation",
        "Motywacja",
        "Motywacja do zmiany i do podjęcia pracy, oczekiwania uczestnika.",
        Field::OpinionPsychologist,
        true,
    ),
    def(
        "recommendations",
        "Zalecenia",
        "Formy wsparcia psychologicznego i zalecenia do programu.",
        Field::OpinionPsychologist,
        true,
    ),
];

const CAREER_ADVISOR: &[SectionDef] = &[
    def(
        "interests",
        "Zainteresowania zawodowe",
        "Czym osoba chce się zajmować, dotychczasowa praca i nauka.",
        Field::OpinionCareerAdvisor,
        true,
    ),
    def(
        "aptitudes",
        "Predyspozycje i umiejętności",
        "Predyspozycje zawodowe, kwalifikacje, umiejętności miękkie.",
        Field::OpinionCareerAdvisor,
        true,
    ),
    def(
        "directions",
        "Zalecane kierunki",
        "Zalecane kierunki szkoleń, pracowni i zatrudnienia.",
        Field::OpinionCareerAdvisor,
        true,
    ),
];

const INSTRUCTOR: &[SectionDef] = &[
    def(
        "skills",
        "Umiejętności praktyczne",
        "Co osoba już potrafi w zawodzie pracowni, jak radzi sobie z narzędziami i materiałami.",
        Field::OpinionInstructor,
        true,
    ),
    def(
        "readiness",
        "Gotowość do pracy w pracowni",
        "Punktualność, przestrzeganie zasad BHP, praca w zespole, samodzielność.",
        Field::OpinionInstructor,
        true,
    ),
    def(
        "recommendations",
        "Zalecenia",
        "Zadania i etapy nauki zawodu, które instruktor zaleca.",
        Field::OpinionInstructor,
        false,
    ),
];

/// The sections of an opinion of `kind`, in the order the opinion shows them.
pub fn of(kind: OpinionKind) -> &'static [SectionDef] {
    match kind {
        OpinionKind::Psychologist => PSYCHOLOGIST,
        OpinionKind::CareerAdvisor => CAREER_ADVISOR,
        OpinionKind::Instructor => INSTRUCTOR,
    }
}

/// The sections of `stored` text a reader who `sees` may read, as (heading, text), in the
/// opinion's order (an empty section is left out), with the fields they belong to.
pub fn readable(
    kind: OpinionKind,
    stored: &Sections,
    sees: &Visibility,
) -> (Vec<(&'static str, String)>, Vec<Field>) {
    let mut shown = Vec::new();
    let mut fields = Vec::new();
    for def in of(kind).iter().filter(|d| sees.shows(d.field)) {
        if !fields.contains(&def.field) {
            fields.push(def.field);
        }
        if let Some(text) = stored.get(def.key).filter(|t| !t.is_empty()) {
            shown.push((def.label, text.to_owned()));
        }
    }
    (shown, fields)
}

/// The required sections of `stored` that are still empty.
pub fn missing(kind: OpinionKind, stored: &Sections) -> Vec<&'static SectionDef> {
    of(kind)
        .iter()
        .filter(|d| d.required && stored.get(d.key).is_none_or(str::is_empty))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::Actor;
    use crate::domain::Role;

    fn sees(role: Role) -> Visibility {
        Visibility::within_scope(Actor {
            user_id: uuid::Uuid::nil(),
            role,
        })
    }

    #[test]
    fn keys_are_unique_within_a_kind() {
        for kind in OpinionKind::ALL {
            let keys: Vec<_> = of(kind).iter().map(|d| d.key).collect();
            let mut unique = keys.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(keys.len(), unique.len(), "{kind:?}");
        }
    }

    #[test]
    fn the_health_detail_is_left_out_for_those_who_may_not_read_health() {
        let text = Sections::new()
            .with("abilities", "Dobra koncentracja.")
            .with("health", "Po terapii odwykowej.");
        let (manager, _) = readable(OpinionKind::Psychologist, &text, &sees(Role::Manager));
        assert_eq!(manager.len(), 2);
        let (instructor, fields) =
            readable(OpinionKind::Psychologist, &text, &sees(Role::Instructor));
        assert!(instructor.is_empty() && fields.is_empty());
        assert_eq!(
            missing(OpinionKind::Psychologist, &text)
                .iter()
                .map(|d| d.key)
                .collect::<Vec<_>>(),
            ["motivation", "recommendations"]
        );
    }
}
