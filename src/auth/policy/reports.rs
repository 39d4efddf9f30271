//! The centre's reports (issue 12): the effectiveness report is the manager's (DOMAIN.md: the
//! manager "reports"). It shows aggregated figures only, never a person, but it is built from
//! every file of the centre, lifecycle and follow-up alike, so no other role sees it: a social
//! worker sees their own graduates' contacts on their files, and the counts per eligibility
//! category would reveal special categories (GDPR art. 9 and 10) of the whole centre.
//!
//! The annual report to the voivode (issue 13) is the manager's for the same reasons: seeing
//! its figures and versions, saving a version, and exporting one.
//!
//! Which category counts a report shows is decided here too ([`report_categories`]): the
//! categories the viewer may read on a file, so that if the report is ever opened to another
//! role, it does not show them counts of categories they may not see.

use super::{Action, Actor, Target, filterable_categories};
use crate::domain::{Category, Role};

/// The report actions (on the centre only).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    match (action, target) {
        (
            Action::ViewEffectivenessReport
            | Action::ExportEffectivenessReport
            | Action::ViewAnnualReport
            | Action::PrepareAnnualReport
            | Action::ExportAnnualReport,
            Target::Centre,
        ) => actor.role == Role::Manager,
        _ => false,
    }
}

/// The eligibility categories whose counts a report shows to `role`: those the role may read
/// on a file (and so filter the list by).
pub fn report_categories(role: Role) -> Vec<Category> {
    filterable_categories(role)
}

#[cfg(test)]
mod tests {
    use super::super::{Refusal, check};
    use super::*;
    use crate::domain::Sensitivity;
    use uuid::Uuid;

    #[test]
    fn only_the_manager_views_and_exports_the_report() {
        for role in Role::ALL {
            let actor = Actor {
                user_id: Uuid::from_u128(1),
                role,
            };
            let want = if role == Role::Manager {
                Ok(())
            } else {
                Err(Refusal::Forbidden)
            };
            for action in [
                Action::ViewEffectivenessReport,
                Action::ExportEffectivenessReport,
                Action::ViewAnnualReport,
                Action::PrepareAnnualReport,
                Action::ExportAnnualReport,
            ] {
                assert_eq!(check(actor, action, Target::Centre), want, "{role:?}");
            }
        }
    }

    #[test]
    fn special_categories_are_counted_only_for_roles_that_read_them() {
        assert_eq!(report_categories(Role::Manager), Category::ALL.to_vec());
        assert!(
            report_categories(Role::Psychologist)
                .iter()
                .all(|c| c.sensitivity() != Sensitivity::Criminal)
        );
        assert!(report_categories(Role::Instructor).is_empty());
        assert!(report_categories(Role::Admin).is_empty());
        assert!(report_categories(Role::Dpo).is_empty());
    }
}
