//! Staff administration (administrator only): list accounts, create an account with a role,
//! change the role, deactivate and reactivate, issue a one-time password, lift a login lock.
//!
//! Invariants: an administrator acts only on accounts of their own centre (others answer 404);
//! they cannot demote or deactivate themselves (a centre must not lose its last administrator
//! by accident); deactivation and password resets end every session of the account; every
//! change is audited in the same transaction. The administrator sees no participant data.

mod db;
mod inbox;

pub use inbox::inbox_items;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::{self, CurrentUser};
use crate::auth::{normalize_login, throttle, valid_login};
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::security::password;
use crate::state::AppState;
use crate::validate;
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::{Choice, choices};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;
use crate::web::route::Route;
use db::StaffAccount;

/// The staff administration routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/admin/users", Gate::Admin, list_staff),
        Route::get("/admin/users/new", Gate::Admin, new_staff_form),
        Route::post("/admin/users", Gate::Admin, create_staff),
        Route::get("/admin/users/{id}", Gate::Admin, show_staff),
        Route::post("/admin/users/{id}/role", Gate::Admin, change_role),
        Route::post(
            "/admin/users/{id}/deactivate",
            Gate::Admin,
            deactivate_staff,
        ),
        Route::post(
            "/admin/users/{id}/reactivate",
            Gate::Admin,
            reactivate_staff,
        ),
        Route::post(
            "/admin/users/{id}/reset-password",
            Gate::Admin,
            reset_password,
        ),
        Route::post("/admin/users/{id}/unlock", Gate::Admin, unlock_staff),
    ]
}

/// An account row as the list shows it.
struct StaffRow {
    account: StaffAccount,
    role_label: &'static str,
    status: &'static str,
}

fn status_label(a: &StaffAccount) -> &'static str {
    match (a.active, a.locked, a.must_change_password) {
        (false, _, _) => "Nieaktywne",
        (true, true, _) => "Zablokowane (nieudane logowania)",
        (true, false, true) => "Czeka na zmianę hasła jednorazowego",
        (true, false, false) => "Aktywne",
    }
}

#[derive(Template)]
#[template(path = "users/index.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<StaffRow>,
}

async fn list_staff(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ViewStaff, Target::Centre)
        .await?;
    let rows = db::list(&state.db, user.centre_id, state.clock.now())
        .await?
        .into_iter()
        .map(|account| StaffRow {
            role_label: account.role.label(),
            status: status_label(&account),
            account,
        })
        .collect();
    render(&ListPage {
        layout: Layout::for_user(&state, &user, "Pracownicy", "/admin/users"),
        rows,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StaffForm {
    login: String,
    full_name: String,
    role: String,
}

#[derive(Debug, Default)]
struct StaffFormErrors {
    login: Option<String>,
    full_name: Option<String>,
    role: Option<String>,
}

#[derive(Template)]
#[template(path = "users/new.html")]
struct NewPage {
    layout: Layout,
    form: StaffForm,
    errors: StaffFormErrors,
    roles: Vec<Choice>,
}

async fn new_staff_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::CreateStaff, Target::Centre)
        .await?;
    render(&NewPage {
        layout: Layout::for_user(&state, &user, "Nowe konto pracownika", "/admin/users"),
        form: StaffForm::default(),
        errors: StaffFormErrors::default(),
        roles: choices::<Role>(""),
    })
}

async fn create_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<StaffForm>,
) -> Result<Response> {
    user.authorize(&state, Action::CreateStaff, Target::Centre)
        .await?;
    let mut errors = StaffFormErrors::default();
    let login = normalize_login(&form.login);
    if !valid_login(&login) {
        errors.login = Some("Login: 3–40 znaków – małe litery bez polskich znaków, cyfry, kropka, myślnik lub podkreślenie.".into());
    }
    let full_name = validate::required_line(&form.full_name, 200)
        .map_err(|e| errors.full_name = Some(e))
        .ok();
    let role = Role::from_code(&form.role);
    if role.is_none() {
        errors.role = Some("Wybierz rolę z listy.".into());
    }
    let rerender = |errors: StaffFormErrors, form: StaffForm| {
        render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewPage {
                layout: Layout::for_user(&state, &user, "Nowe konto pracownika", "/admin/users"),
                roles: choices::<Role>(&form.role),
                form,
                errors,
            },
        )
    };
    let (Some(full_name), Some(role), None) = (full_name, role, &errors.login) else {
        return rerender(errors, form);
    };

    let one_time = password::one_time_password();
    let hash = state.passwords.hash(one_time.clone()).await?;
    let expires_at = state.clock.now() + state.config.one_time_password_ttl;
    let mut tx = state.db.begin().await?;
    let inserted = db::insert(
        &mut *tx,
        &db::NewStaff {
            centre_id: user.centre_id,
            login: &login,
            full_name: &full_name,
            role,
            password_hash: &hash,
            expires_at,
        },
    )
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("staff_user_login_key") => {
            errors.login = Some("Ten login jest już zajęty.".into());
            return rerender(errors, form);
        }
        Err(e) => return Err(e.into()),
    };
    finish(
        tx,
        &user,
        AuditEvent::new(Action::CreateStaff.code(), Outcome::Success)
            .on("staff_user", id)
            .detail(role.code()),
        &one_time_message(&login, &one_time, &state),
        &format!("/admin/users/{id}"),
    )
    .await
}

fn one_time_message(login: &str, one_time: &str, state: &AppState) -> String {
    let hours = state.config.one_time_password_ttl.as_secs() / 3600;
    format!(
        "Hasło jednorazowe dla „{login}”: {one_time} — pokazujemy je tylko teraz. Przekaż je osobiście; wygasa za {hours} h, a przy pierwszym logowaniu trzeba je zmienić."
    )
}

#[derive(Template)]
#[template(path = "users/show.html")]
struct ShowPage {
    layout: Layout,
    account: StaffAccount,
    role_label: &'static str,
    status: &'static str,
    is_self: bool,
    roles: Vec<Choice>,
    role_error: Option<String>,
}

async fn show_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    user.authorize(&state, Action::ViewStaff, Target::Centre)
        .await?;
    let account = db::find(&state.db, user.centre_id, id, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    render(&show_page(&state, &user, account, None))
}

fn show_page(
    state: &AppState,
    user: &CurrentUser,
    account: StaffAccount,
    role_error: Option<String>,
) -> ShowPage {
    ShowPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Konto: {}", account.full_name),
            "/admin/users",
        ),
        role_label: account.role.label(),
        status: status_label(&account),
        is_self: account.staff_user_id == user.user_id,
        roles: choices::<Role>(account.role.code()),
        role_error,
        account,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleForm {
    role: String,
    version: String,
}

async fn change_role(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<RoleForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ChangeStaffRole, Target::Centre)
        .await?;
    let mut tx = state.db.begin().await?;
    let (_, old_role, _, version) = db::lock(&mut tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if id == user.user_id {
        return Err(AppError::conflict(
            "Nie możesz zmienić własnej roli – poproś o to innego administratora.",
        ));
    }
    let Some(role) = Role::from_code(&form.role) else {
        drop(tx);
        let account = db::find(&state.db, user.centre_id, id, state.clock.now())
            .await?
            .ok_or(AppError::NotFound)?;
        return render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &show_page(&state, &user, account, Some("Wybierz rolę z listy.".into())),
        );
    };
    if validate::version(&form.version) != version {
        return Err(AppError::conflict(
            "Ktoś inny zmienił to konto, gdy formularz był otwarty. Otwórz konto ponownie, sprawdź jego aktualny stan i powtórz zmianę.",
        ));
    }
    sqlx::query!(
        "update staff_user set role = $3, version = version + 1 where centre_id = $1 and staff_user_id = $2",
        user.centre_id,
        id,
        role as Role
    )
    .execute(&mut *tx)
    .await?;
    finish(
        tx,
        &user,
        AuditEvent::new(Action::ChangeStaffRole.code(), Outcome::Success)
            .on("staff_user", id)
            .detail(format!("{old_role}->{role}")),
        &format!("Zmieniono rolę na: {}.", role.label()),
        &format!("/admin/users/{id}"),
    )
    .await
}

async fn deactivate_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    set_active(state, user, id, false).await
}

async fn reactivate_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    set_active(state, user, id, true).await
}

async fn set_active(
    state: AppState,
    user: CurrentUser,
    id: uuid::Uuid,
    active: bool,
) -> Result<Response> {
    user.authorize(&state, Action::SetStaffActive, Target::Centre)
        .await?;
    let mut tx = state.db.begin().await?;
    let (_, _, was_active, _) = db::lock(&mut tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if id == user.user_id {
        return Err(AppError::conflict(
            "Nie możesz dezaktywować własnego konta.",
        ));
    }
    if was_active == active {
        let message = if active {
            "To konto jest już aktywne."
        } else {
            "To konto jest już nieaktywne."
        };
        return Err(AppError::conflict(message));
    }
    sqlx::query!(
        "update staff_user set active = $3, version = version + 1 where centre_id = $1 and staff_user_id = $2",
        user.centre_id,
        id,
        active
    )
    .execute(&mut *tx)
    .await?;
    if !active {
        session::delete_for_user(&mut *tx, id, None).await?;
    }
    let action = if active {
        "staff.reactivate"
    } else {
        "staff.deactivate"
    };
    let message = if active {
        "Konto zostało ponownie aktywowane."
    } else {
        "Konto zostało dezaktywowane, a wszystkie jego sesje zakończone."
    };
    let event = AuditEvent::new(action, Outcome::Success).on("staff_user", id);
    finish(tx, &user, event, message, &format!("/admin/users/{id}")).await
}

async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    user.authorize(&state, Action::ResetStaffPassword, Target::Centre)
        .await?;
    if id == user.user_id {
        return Err(AppError::conflict(
            "Własne hasło zmienisz na stronie „Zmiana hasła”.",
        ));
    }
    let one_time = password::one_time_password();
    let hash = state.passwords.hash(one_time.clone()).await?;
    let expires_at = state.clock.now() + state.config.one_time_password_ttl;
    let mut tx = state.db.begin().await?;
    let (login, _, _, _) = db::lock(&mut tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    sqlx::query!(
        r#"update staff_user
           set password_hash = $3, must_change_password = true, one_time_password_expires_at = $4, version = version + 1
           where centre_id = $1 and staff_user_id = $2"#,
        user.centre_id,
        id,
        hash,
        expires_at
    )
    .execute(&mut *tx)
    .await?;
    session::delete_for_user(&mut *tx, id, None).await?;
    throttle::reset(&mut tx, &login).await?;
    finish(
        tx,
        &user,
        AuditEvent::new(Action::ResetStaffPassword.code(), Outcome::Success).on("staff_user", id),
        &one_time_message(&login, &one_time, &state),
        &format!("/admin/users/{id}"),
    )
    .await
}

async fn unlock_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    user.authorize(&state, Action::UnlockStaff, Target::Centre)
        .await?;
    let mut tx = state.db.begin().await?;
    let (login, _, _, _) = db::lock(&mut tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    throttle::reset(&mut tx, &login).await?;
    finish(
        tx,
        &user,
        AuditEvent::new(Action::UnlockStaff.code(), Outcome::Success).on("staff_user", id),
        "Blokada logowania została zdjęta.",
        &format!("/admin/users/{id}"),
    )
    .await
}
