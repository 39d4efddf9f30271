//! Resetting a person's second factor (a lost or changed phone). The account page links to the
//! confirmation page, which says what happens; only the POST carrying `confirm` removes the
//! factor and its recovery codes, ends every session and pending login of the person, and is
//! audited. The person sets a factor up again at the next login when their role requires one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::db::StaffAccount;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::Action;
use crate::auth::second_factor;
use crate::auth::session::{self, CurrentUser};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates::format_moment;
use crate::web::confirm::{ConfirmForm, ConfirmPage, confirmed};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

const OWN_ACCOUNT: &str =
    "Własnego drugiego składnika nie możesz zresetować – poproś o to innego administratora.";

/// What the account page says of the person's second factor.
pub(super) async fn state_label(state: &AppState, account: &StaffAccount) -> Result<String> {
    let found = second_factor::factor(&state.db, account.staff_user_id).await?;
    let required = state.config.requires_second_factor(account.role);
    Ok(match found.and_then(|f| f.confirmed_at) {
        Some(at) => format!("Włączony od {}", format_moment(at)),
        None if required => {
            "Nieskonfigurowany – ta osoba skonfiguruje go przy następnym logowaniu".to_owned()
        }
        None => "Nieskonfigurowany".to_owned(),
    })
}

fn confirmation(
    state: &AppState,
    user: &CurrentUser,
    account: &StaffAccount,
    factor: String,
) -> ConfirmPage {
    let title = format!("Reset drugiego składnika: {}", account.full_name);
    ConfirmPage::new(
        Layout::for_user(state, user, title, "/admin/users"),
        format!("/admin/users/{}/second-factor/reset", account.staff_user_id),
        format!("/admin/users/{}", account.staff_user_id),
        Vec::new(),
        "Tak, zresetuj drugi składnik",
    )
    .fact("Login", account.login.clone())
    .fact("Drugi składnik", factor)
    .consequence(
        "Aplikacja uwierzytelniająca tej osoby i jej kody odzyskiwania przestają działać.",
    )
    .consequence(
        "Wszystkie sesje tego konta kończą się od razu: osoba zostaje wylogowana na każdym urządzeniu.",
    )
    .consequence(
        "Przy następnym logowaniu, po haśle, osoba skonfiguruje drugi składnik od nowa (jeśli jej rola go wymaga) – upewnij się, że to ona prosi o reset.",
    )
}

/// `GET /admin/users/{id}/second-factor/confirm`: the confirmation page (changes nothing).
pub(super) async fn confirm_reset(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let account = super::load(&state, &user, id, Action::ResetStaffSecondFactor).await?;
    if id == user.user_id {
        return Err(AppError::conflict(OWN_ACCOUNT));
    }
    let factor = state_label(&state, &account).await?;
    render(&confirmation(&state, &user, &account, factor))
}

/// `POST /admin/users/{id}/second-factor/reset`: the reset, when confirmed; without `confirm`
/// the confirmation page again (422) and nothing changes.
pub(super) async fn reset(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ConfirmForm>,
) -> Result<Response> {
    let account = super::load(&state, &user, id, Action::ResetStaffSecondFactor).await?;
    if id == user.user_id {
        return Err(AppError::conflict(OWN_ACCOUNT));
    }
    if !confirmed(&form.confirm) {
        let factor = state_label(&state, &account).await?;
        let page = confirmation(&state, &user, &account, factor);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let mut tx = state.db.begin().await?;
    super::lock(&state, &user, &mut tx, id).await?;
    let removed = second_factor::remove(&mut tx, id).await?;
    session::delete_for_user(&mut *tx, id, None).await?;
    let event = AuditEvent::new(Action::ResetStaffSecondFactor.code(), Outcome::Success)
        .on("staff_user", id)
        .detail(if removed { "removed" } else { "none" });
    finish(
        tx,
        &user,
        event,
        "Drugi składnik został zresetowany, a wszystkie sesje tej osoby zakończone.",
        &format!("/admin/users/{id}"),
    )
    .await
}
