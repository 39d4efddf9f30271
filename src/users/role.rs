//! Changing an account's role. The account page's form (a GET) opens the confirmation page,
//! which says from which role to which and what that changes about whose files the account
//! opens; only its POST, carrying `confirm`, changes the role, adds the role-history entry and
//! audits it, in one transaction. Both check the same things against the account as it is: not
//! one's own account, a role from the list and different from the current one, the form's
//! version still current.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::db::{self, StaffAccount};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Actor, Target, file_scope};
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate;
use crate::web::confirm::{ConfirmPage, confirmed};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The role form: the account page's query, then the confirmation page's POST.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    confirm: String,
}

/// The role `form` asks `account` to get. `Err` ends the request (one's own account, a form
/// opened before someone else changed the account); `Ok(Err(message))` is a choice to correct
/// on the account page.
fn vet(
    user: &CurrentUser,
    account: &StaffAccount,
    form: &RoleForm,
) -> Result<std::result::Result<Role, &'static str>> {
    if account.staff_user_id == user.user_id {
        return Err(AppError::conflict(
            "Nie możesz zmienić własnej roli – poproś o to innego administratora.",
        ));
    }
    let Some(role) = Role::from_code(&form.role) else {
        return Ok(Err("Wybierz rolę z listy."));
    };
    if validate::version(&form.version) != account.version {
        return Err(AppError::conflict(
            "Ktoś inny zmienił to konto, gdy formularz był otwarty. Otwórz konto ponownie, sprawdź jego aktualny stan i powtórz zmianę.",
        ));
    }
    if role == account.role {
        return Ok(Err(
            "To konto ma już tę rolę – wybierz inną albo wróć do listy pracowników.",
        ));
    }
    Ok(Ok(role))
}

/// The account page again (422) with `message` at the role field.
async fn invalid_role(
    state: &AppState,
    user: &CurrentUser,
    account: StaffAccount,
    message: &str,
) -> Result<Response> {
    let page = super::show_page(state, user, account, Some(message)).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// What giving `account` the role `to` does, to be confirmed.
fn confirmation(
    state: &AppState,
    user: &CurrentUser,
    account: &StaffAccount,
    to: Role,
) -> ConfirmPage {
    let from = account.role;
    let reach = |role| {
        file_scope(Actor {
            user_id: account.staff_user_id,
            role,
        })
        .in_words()
    };
    let title = format!("Zmiana roli: {}", account.full_name);
    let mut page = ConfirmPage::new(
        Layout::for_user(state, user, title, "/admin/users"),
        format!("/admin/users/{}/role", account.staff_user_id),
        format!("/admin/users/{}", account.staff_user_id),
        vec![
            ("role", to.code().to_owned()),
            ("version", account.version.to_string()),
        ],
        "Tak, zmień rolę",
    )
    .fact("Obecna rola", from.label())
    .fact("Nowa rola", to.label())
    .fact("Teczki uczestników teraz", reach(from))
    .fact("Teczki uczestników po zmianie", reach(to))
    .consequence(
        "Nowa rola obowiązuje od następnego kliknięcia tej osoby w Teczce – bez ponownego logowania. Od tej chwili widzi i może zrobić tylko to, na co pozwala nowa rola.",
    );
    if from == Role::SocialWorker {
        page = page.consequence(
            "Uczestnicy, których ta osoba prowadzi jako pracownik socjalny, pozostają do niej przypisani. Jeśli ma ich już nie prowadzić, kierownik CIS przydzieli im innego pracownika socjalnego.",
        );
    }
    if to == Role::Admin {
        page = page.consequence(
            "Konto administratora zakłada konta pracowników ośrodka, zmienia ich role, dezaktywuje je i wydaje hasła jednorazowe – także innym administratorom.",
        );
    }
    if from == Role::Admin {
        page = page.consequence("To konto traci dostęp do administracji kontami pracowników.");
    }
    page.consequence(
        "Zmiana trafi do historii ról konta i do dziennika zdarzeń. Można ją cofnąć, zmieniając rolę ponownie.",
    )
}

/// `GET /admin/users/{id}/role/confirm?role=…&version=…`: the confirmation page (changes
/// nothing).
pub(super) async fn confirm_role_change(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(form): Query<RoleForm>,
) -> Result<Response> {
    let account = super::load(&state, &user, id, Action::ChangeStaffRole).await?;
    match vet(&user, &account, &form)? {
        Ok(role) => render(&confirmation(&state, &user, &account, role)),
        Err(message) => invalid_role(&state, &user, account, message).await,
    }
}

/// `POST /admin/users/{id}/role`: the change, when confirmed; without `confirm` the
/// confirmation page again (422) and nothing changes.
pub(super) async fn change_role(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<RoleForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ChangeStaffRole, Target::Centre)
        .await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let account = super::lock(&state, &user, &mut tx, id).await?;
    let role = match vet(&user, &account, &form)? {
        Ok(role) => role,
        Err(message) => {
            drop(tx);
            return invalid_role(&state, &user, account, message).await;
        }
    };
    if !confirmed(&form.confirm) {
        drop(tx);
        let page = confirmation(&state, &user, &account, role);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let change = db::RoleChange {
        id,
        from: account.role,
        to: role,
        by: user.user_id,
        at: now,
    };
    db::set_role(&mut tx, user.centre_id, &change).await?;
    let event = AuditEvent::new(Action::ChangeStaffRole.code(), Outcome::Success)
        .on("staff_user", id)
        .detail(format!("{}->{role}", account.role));
    let message = format!("Zmieniono rolę na: {}.", role.label());
    finish(tx, &user, event, &message, &format!("/admin/users/{id}")).await
}
