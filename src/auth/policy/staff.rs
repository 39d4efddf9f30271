//! Staff administration belongs to the administrator alone.

use crate::domain::Role;

/// Whether `role` may administer staff accounts (list, create, change role, deactivate, reset
/// passwords, lift locks).
pub(super) fn allows(role: Role) -> bool {
    role == Role::Admin
}
