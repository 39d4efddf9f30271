//! Deactivating and reactivating an account. Deactivation asks first: the account page links to
//! its confirmation page, which says what happens (signed out at once, no login, the data and
//! history stay), and only the POST carrying `confirm` deactivates the account and ends its
//! sessions. Reactivation gives access back and needs no confirmation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::db::{self, StaffAccount};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::{self, CurrentUser};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::confirm::{ConfirmForm, ConfirmPage, confirmed};
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

const OWN_ACCOUNT: &str = "Nie możesz dezaktywować własnego konta.";
const INACTIVE_ALREADY: &str = "To konto jest już nieaktywne.";

/// What deactivating `account` does, to be confirmed.
fn confirmation(state: &AppState, user: &CurrentUser, account: &StaffAccount) -> ConfirmPage {
    let title = format!("Dezaktywacja konta: {}", account.full_name);
    ConfirmPage::new(
        Layout::for_user(state, user, title, "/admin/users"),
        format!("/admin/users/{}/deactivate", account.staff_user_id),
        format!("/admin/users/{}", account.staff_user_id),
        Vec::new(),
        "Tak, dezaktywuj konto",
    )
    .fact("Login", account.login.clone())
    .fact("Rola", account.role.label())
    .consequence(
        "Wszystkie sesje tego konta kończą się od razu: osoba zostaje wylogowana na każdym urządzeniu, a niezapisane zmiany w otwartych formularzach przepadają.",
    )
    .consequence(
        "Nie da się zalogować na to konto, dopóki administrator nie aktywuje go ponownie.",
    )
    .consequence(
        "Nic nie jest usuwane: dane konta, jego historia ról i wszystko, co ta osoba wpisała (notatki, dokumenty, zdarzenia w dzienniku), zostają bez zmian.",
    )
    .consequence(
        "Konto można w każdej chwili aktywować ponownie przyciskiem „Aktywuj ponownie” na stronie konta.",
    )
}

/// `GET /admin/users/{id}/deactivate/confirm`: the confirmation page (changes nothing).
pub(super) async fn confirm_deactivation(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let account = super::load(&state, &user, id, Action::SetStaffActive).await?;
    if id == user.user_id {
        return Err(AppError::conflict(OWN_ACCOUNT));
    }
    if !account.active {
        return Err(AppError::conflict(INACTIVE_ALREADY));
    }
    render(&confirmation(&state, &user, &account))
}

/// `POST /admin/users/{id}/deactivate`: deactivation, when confirmed; without `confirm` the
/// confirmation page again (422) and nothing changes.
pub(super) async fn deactivate_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ConfirmForm>,
) -> Result<Response> {
    set_active(state, user, id, false, confirmed(&form.confirm)).await
}

/// `POST /admin/users/{id}/reactivate`.
pub(super) async fn reactivate_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    set_active(state, user, id, true, true).await
}

async fn set_active(
    state: AppState,
    user: CurrentUser,
    id: Uuid,
    active: bool,
    confirmed: bool,
) -> Result<Response> {
    user.authorize(&state, Action::SetStaffActive, Target::Centre)
        .await?;
    let mut tx = state.db.begin().await?;
    let account = super::lock(&state, &user, &mut tx, id).await?;
    if id == user.user_id {
        return Err(AppError::conflict(OWN_ACCOUNT));
    }
    // (audit action, message when done, message when it is so already)
    let (action, done, already) = if active {
        (
            "staff.reactivate",
            "Konto zostało ponownie aktywowane.",
            "To konto jest już aktywne.",
        )
    } else {
        (
            "staff.deactivate",
            "Konto zostało dezaktywowane, a wszystkie jego sesje zakończone.",
            INACTIVE_ALREADY,
        )
    };
    if account.active == active {
        return Err(AppError::conflict(already));
    }
    if !confirmed {
        drop(tx);
        let page = confirmation(&state, &user, &account);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    db::set_active(&mut *tx, user.centre_id, id, active).await?;
    if !active {
        session::delete_for_user(&mut *tx, id, None).await?;
    }
    let event = AuditEvent::new(action, Outcome::Success).on("staff_user", id);
    finish(tx, &user, event, done, &format!("/admin/users/{id}")).await
}
