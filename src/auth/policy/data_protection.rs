//! The data-protection officer's tools (issue 13): the centre's audit log, its export and the
//! reports built on it are the DPO's alone. The log names who opened which file and when (never
//! the file's content), so it is personal data about staff and participants both; the manager
//! keeps the oversight they had (a file's "Kto przeglądał teczkę" and the staff access log),
//! but the whole log, which records the manager's own actions too, is for the person who
//! audits everyone.

use super::{Action, Actor, Target};
use crate::domain::Role;

/// The audit-log actions (on the centre only).
pub(super) fn allows(actor: Actor, action: Action, target: Target<'_>) -> bool {
    match (action, target) {
        (
            Action::SearchAuditLog | Action::ExportAuditLog | Action::ViewAuditReports,
            Target::Centre,
        ) => actor.role == Role::Dpo,
        _ => false,
    }
}
