//! Authorization: one place answers "may this actor do this action?".
//!
//! `authorize` denies by default: every `Action` is matched explicitly and there is no arm that
//! allows "everything else". Object scope (centre, caseload) is enforced by the queries, which
//! only ever load objects of the actor's centre, so an object outside the scope answers 404
//! exactly like a missing one. Adding an `Action` forces a decision here (the match is total) and
//! a row in the unit test below.

use std::fmt;

use serde::Serialize;

/// The one role a staff account has in its centre (DOMAIN.md "People and roles").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, Serialize)]
#[sqlx(type_name = "staff_role", rename_all = "snake_case")]
pub enum Role {
    /// Staff accounts and settings; sees no participant data.
    Admin,
    /// Kierownik CIS: approves, signs, admits, ends participation.
    Manager,
    /// Pracownik socjalny: owns a caseload, drafts documents.
    SocialWorker,
    /// Psycholog-terapeuta.
    Psychologist,
    /// Doradca zawodowy.
    CareerAdvisor,
    /// Instruktor zawodu: runs a workshop.
    Instructor,
}

impl Role {
    /// Every role, in the order the UI lists them.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Manager,
        Role::SocialWorker,
        Role::Psychologist,
        Role::CareerAdvisor,
        Role::Instructor,
    ];

    /// The code stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::SocialWorker => "social_worker",
            Role::Psychologist => "psychologist",
            Role::CareerAdvisor => "career_advisor",
            Role::Instructor => "instructor",
        }
    }

    /// The Polish label shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Manager => "Kierownik CIS",
            Role::SocialWorker => "Pracownik socjalny",
            Role::Psychologist => "Psycholog-terapeuta",
            Role::CareerAdvisor => "Doradca zawodowy",
            Role::Instructor => "Instruktor zawodu",
        }
    }

    /// Parses a form value; `None` for anything that is not a role code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Something a signed-in user asks to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// See the home page (the inbox of one's role).
    ViewHome,
    /// Change one's own password.
    ChangeOwnPassword,
    /// List and open staff accounts of the centre.
    ViewStaff,
    /// Create a staff account.
    CreateStaff,
    /// Change the role of a staff account.
    ChangeStaffRole,
    /// Deactivate or reactivate a staff account.
    SetStaffActive,
    /// Issue a new one-time password for a staff account.
    ResetStaffPassword,
    /// Lift the temporary login lock of an account.
    UnlockStaff,
}

impl Action {
    /// Every action, for the policy table test.
    pub const ALL: [Action; 8] = [
        Action::ViewHome,
        Action::ChangeOwnPassword,
        Action::ViewStaff,
        Action::CreateStaff,
        Action::ChangeStaffRole,
        Action::SetStaffActive,
        Action::ResetStaffPassword,
        Action::UnlockStaff,
    ];

    /// Stable name used in audit rows.
    pub fn code(self) -> &'static str {
        match self {
            Action::ViewHome => "home.view",
            Action::ChangeOwnPassword => "account.change_password",
            Action::ViewStaff => "staff.view",
            Action::CreateStaff => "staff.create",
            Action::ChangeStaffRole => "staff.change_role",
            Action::SetStaffActive => "staff.set_active",
            Action::ResetStaffPassword => "staff.reset_password",
            Action::UnlockStaff => "staff.unlock",
        }
    }
}

/// The facts about the actor the policy needs.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    /// The actor's role in their centre.
    pub role: Role,
}

/// The policy said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied;

/// Decides whether `actor` may perform `action`. Deny by default: no wildcard allows.
pub fn authorize(actor: Actor, action: Action) -> Result<(), Denied> {
    let allowed = match action {
        // Every signed-in role has a home page and its own password.
        Action::ViewHome | Action::ChangeOwnPassword => true,
        // Staff administration belongs to the administrator alone.
        Action::ViewStaff
        | Action::CreateStaff
        | Action::ChangeStaffRole
        | Action::SetStaffActive
        | Action::ResetStaffPassword
        | Action::UnlockStaff => actor.role == Role::Admin,
    };
    if allowed { Ok(()) } else { Err(Denied) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole policy as a table: (action, roles allowed).
    fn expected(action: Action) -> &'static [Role] {
        use Role::*;
        match action {
            Action::ViewHome | Action::ChangeOwnPassword => &[
                Admin,
                Manager,
                SocialWorker,
                Psychologist,
                CareerAdvisor,
                Instructor,
            ],
            Action::ViewStaff
            | Action::CreateStaff
            | Action::ChangeStaffRole
            | Action::SetStaffActive
            | Action::ResetStaffPassword
            | Action::UnlockStaff => &[Admin],
        }
    }

    #[test]
    fn every_role_and_action_matches_the_table() {
        for action in Action::ALL {
            for role in Role::ALL {
                let allowed = authorize(Actor { role }, action).is_ok();
                assert_eq!(
                    allowed,
                    expected(action).contains(&role),
                    "{role:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
