//! The opinion vocabulary the policy reasons about (DOMAIN.md "IPZS"): which colleague's
//! opinion it is, and where it stands.

use super::{Role, vocabulary};

vocabulary! {
    /// Whose opinion feeds the IPZS: each kind is written by one role.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "opinion_kind", rename_all = "snake_case")]
    pub enum OpinionKind {
        /// The psychologist's: psychophysical abilities, motivation, recommendations.
        Psychologist = ("psychologist", "Opinia psychologa"),
        /// The career advisor's: vocational interests, aptitudes, recommended directions.
        CareerAdvisor = ("career_advisor", "Opinia doradcy zawodowego"),
        /// The workshop instructor's: practical skills, readiness for the workshop.
        Instructor = ("instructor", "Opinia instruktora zawodu"),
    }
}

impl OpinionKind {
    /// The role that writes opinions of this kind.
    pub fn author_role(self) -> Role {
        match self {
            OpinionKind::Psychologist => Role::Psychologist,
            OpinionKind::CareerAdvisor => Role::CareerAdvisor,
            OpinionKind::Instructor => Role::Instructor,
        }
    }
}

vocabulary! {
    /// Where one opinion stands. Signed off and withdrawn are final (the database refuses any
    /// change of such a row).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "opinion_status", rename_all = "snake_case")]
    pub enum OpinionStatus {
        /// Requested from its author, who writes it (a draft, saved any number of times).
        Requested = ("requested", "W przygotowaniu"),
        /// Signed off by its author: frozen, dated and attributed.
        SignedOff = ("signed_off", "Zatwierdzona"),
        /// The request was withdrawn (or replaced by a new request of the same kind).
        Withdrawn = ("withdrawn", "Wycofana"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_written_by_the_role_of_the_same_code() {
        // The database's guard compares the author's role and the kind by their codes.
        for kind in OpinionKind::ALL {
            assert_eq!(kind.author_role().code(), kind.code());
        }
    }
}
