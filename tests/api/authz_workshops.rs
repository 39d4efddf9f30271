//! The authorization matrix's entries for the workshop screens, the activity types, the
//! centre's calendar and a participant's hour limits (called from `authz_matrix::expected`).

use reqwest::Method;
use teczka::domain::Role;

use crate::authz_matrix::{
    Principal, Scope, manager_only, participant_in_scope, participant_staff_roles,
};

/// One workshop: the manager of its centre; for an instructor who does not run it, for the
/// administrator and for another centre it does not exist.
fn workshop_in_scope(who: Principal, scope: Scope, ok: u16) -> u16 {
    match (who, scope) {
        (Principal::Staff(_), Scope::Other) | (Principal::Staff(Role::Admin | Role::Dpo), _) => 404,
        (Principal::Staff(Role::Manager), Scope::Own) => ok,
        (Principal::Staff(_), Scope::Own) => 403,
        _ => 303,
    }
}

/// What a principal gets from a route of these screens; `None`: not one of them.
pub(crate) fn expected(method: &Method, path: &str, who: Principal, scope: Scope) -> Option<u16> {
    Some(match (method.as_str(), path) {
        ("GET", "/workshops" | "/activity-types") => manager_only(who, 200),
        ("POST", "/workshops" | "/activity-types" | "/calendar") => manager_only(who, 422),
        // No closed day to remove in the fixtures.
        ("POST", "/calendar/remove") => manager_only(who, 404),
        ("GET", "/calendar") => participant_staff_roles(who, 200),
        ("GET", "/workshops/{id}" | "/workshops/{id}/plan") => workshop_in_scope(who, scope, 200),
        (
            "POST",
            "/workshops/{id}"
            | "/workshops/{id}/members"
            | "/workshops/{id}/members/end"
            | "/workshops/{id}/plan",
        ) => workshop_in_scope(who, scope, 422),
        ("GET", "/participants/{id}/hours") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 200)
        }
        ("POST", "/participants/{id}/hours") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 303)
        }
        _ => return None,
    })
}

/// Form fields a route of these screens needs (besides the token).
pub(crate) fn body_for(path: &str, participant: uuid::Uuid) -> Vec<(String, String)> {
    match path {
        // The member of the workshop, with no date: the form's message.
        "/workshops/{id}/members/end" => vec![
            ("participant".into(), participant.to_string()),
            ("until".into(), String::new()),
        ],
        _ => Vec::new(),
    }
}
