//! Staff roles (DOMAIN.md "People and roles").

use std::fmt;

use super::vocabulary;

vocabulary! {
    /// The one role a staff account has in its centre.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "staff_role", rename_all = "snake_case")]
    pub enum Role {
        /// Staff accounts and settings; sees no participant data.
        Admin = ("admin", "Administrator"),
        /// Kierownik CIS: approves, signs, admits, ends participation.
        Manager = ("manager", "Kierownik CIS"),
        /// Pracownik socjalny: owns a caseload, drafts documents.
        SocialWorker = ("social_worker", "Pracownik socjalny"),
        /// Psycholog-terapeuta.
        Psychologist = ("psychologist", "Psycholog-terapeuta"),
        /// Doradca zawodowy.
        CareerAdvisor = ("career_advisor", "Doradca zawodowy"),
        /// Instruktor zawodu: runs a workshop.
        Instructor = ("instructor", "Instruktor zawodu"),
        /// Inspektor ochrony danych: the centre's audit log and data-protection tools; sees
        /// no case content.
        Dpo = ("dpo", "Inspektor ochrony danych"),
    }
}

impl Role {
    /// Whether the role works with participants at all (opens files, keeps attendance...).
    /// The administrator and the data-protection officer do not: they see no case content.
    pub fn works_with_participants(self) -> bool {
        !matches!(self, Role::Admin | Role::Dpo)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
