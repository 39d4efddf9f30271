//! Staff administration (administrator only): list accounts, create an account with a role,
//! change the role, deactivate and reactivate, issue a one-time password, lift a login lock;
//! each account's page shows its role history and last login.
//!
//! Invariants: an administrator acts only on accounts of their own centre (others answer 404);
//! they cannot demote or deactivate themselves (a centre must not lose its last administrator
//! by accident); a role change and a deactivation happen only when posted from their
//! confirmation page (`confirm`), which a GET shows and which changes nothing; deactivation and
//! password resets end every session of the account; every change is audited in the same
//! transaction, and every role an account is given (its creation included) is in its role
//! history. The administrator sees no participant data.

mod active;
mod db;
mod inbox;
mod role;
mod second_factor;

pub use db::choices as staff_choices;
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
use crate::validate::dates::format_moment;
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors, choices};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;
use crate::web::route::Route;
use db::StaffAccount;
use uuid::Uuid;

/// The staff administration routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/admin/users", Gate::Admin, list_staff),
        Route::get("/admin/users/new", Gate::Admin, new_staff_form),
        Route::post("/admin/users", Gate::Admin, create_staff),
        Route::get("/admin/users/{id}", Gate::Admin, show_staff),
        Route::get(
            "/admin/users/{id}/role/confirm",
            Gate::Admin,
            role::confirm_role_change,
        ),
        Route::post("/admin/users/{id}/role", Gate::Admin, role::change_role),
        Route::get(
            "/admin/users/{id}/deactivate/confirm",
            Gate::Admin,
            active::confirm_deactivation,
        ),
        Route::post(
            "/admin/users/{id}/deactivate",
            Gate::Admin,
            active::deactivate_staff,
        ),
        Route::post(
            "/admin/users/{id}/reactivate",
            Gate::Admin,
            active::reactivate_staff,
        ),
        Route::post(
            "/admin/users/{id}/reset-password",
            Gate::Admin,
            reset_password,
        ),
        Route::post("/admin/users/{id}/unlock", Gate::Admin, unlock_staff),
        Route::get(
            "/admin/users/{id}/second-factor/confirm",
            Gate::Admin,
            second_factor::confirm_reset,
        ),
        Route::post(
            "/admin/users/{id}/second-factor/reset",
            Gate::Admin,
            second_factor::reset,
        ),
    ]
}

/// An account row as the list shows it.
struct StaffRow {
    account: StaffAccount,
    role_label: &'static str,
    status: &'static str,
    last_login: String,
}

/// The last login as the screens say it: local time, or "nigdy".
fn last_login(a: &StaffAccount) -> String {
    a.last_login_at
        .map_or_else(|| "nigdy".to_owned(), format_moment)
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
            last_login: last_login(&account),
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

impl StaffForm {
    /// The login (normalised), the name and the role of the new account; or the form's
    /// messages.
    fn validate(&self) -> std::result::Result<(String, String, Role), FieldErrors> {
        let mut errors = FieldErrors::new();
        let login = normalize_login(&self.login);
        if !valid_login(&login) {
            errors.add("login", "Login: 3–40 znaków – małe litery bez polskich znaków, cyfry, kropka, myślnik lub podkreślenie.");
        }
        let full_name = errors.take("full_name", validate::required_line(&self.full_name, 200));
        let role = errors.take(
            "role",
            Role::from_code(&self.role).ok_or_else(|| "Wybierz rolę z listy.".to_owned()),
        );
        match (full_name, role) {
            (Some(full_name), Some(role)) if errors.is_empty() => Ok((login, full_name, role)),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "users/new.html")]
struct NewPage {
    layout: Layout,
    form: StaffForm,
    errors: FieldErrors,
    roles: Vec<Choice>,
}

fn new_page(state: &AppState, user: &CurrentUser, form: StaffForm, errors: FieldErrors) -> NewPage {
    NewPage {
        layout: Layout::for_user(state, user, "Nowe konto pracownika", "/admin/users"),
        roles: choices::<Role>(&form.role),
        form,
        errors,
    }
}

async fn new_staff_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::CreateStaff, Target::Centre)
        .await?;
    render(&new_page(
        &state,
        &user,
        StaffForm::default(),
        FieldErrors::new(),
    ))
}

async fn create_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<StaffForm>,
) -> Result<Response> {
    user.authorize(&state, Action::CreateStaff, Target::Centre)
        .await?;
    let invalid = |form, errors| {
        render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&state, &user, form, errors),
        )
    };
    let (login, full_name, role) = match form.validate() {
        Ok(valid) => valid,
        Err(errors) => return invalid(form, errors),
    };
    let one_time = password::one_time_password();
    let hash = state.passwords.hash(one_time.clone()).await?;
    let new = db::NewStaff {
        centre_id: user.centre_id,
        login: &login,
        full_name: &full_name,
        role,
        password_hash: &hash,
        expires_at: state.clock.now() + state.config.one_time_password_ttl,
        created_by: user.user_id,
        now: state.clock.now(),
    };
    let mut tx = state.db.begin().await?;
    let id = match db::insert(&mut tx, &new).await {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("staff_user_login_key") => {
            let mut errors = FieldErrors::new();
            errors.add("login", "Ten login jest już zajęty.");
            return invalid(form, errors);
        }
        Err(e) => return Err(e.into()),
    };
    let event = AuditEvent::new(Action::CreateStaff.code(), Outcome::Success)
        .on("staff_user", id)
        .detail(role.code());
    let message = one_time_message(&login, &one_time, &state);
    finish(tx, &user, event, &message, &format!("/admin/users/{id}")).await
}

fn one_time_message(login: &str, one_time: &str, state: &AppState) -> String {
    let hours = state.config.one_time_password_ttl.as_secs() / 3600;
    format!(
        "Hasło jednorazowe dla „{login}”: {one_time} — pokazujemy je tylko teraz. Przekaż je osobiście; wygasa za {hours} h, a przy pierwszym logowaniu trzeba je zmienić."
    )
}

/// An entry of the role history as the account page shows it.
struct HistoryRow {
    when: String,
    change: String,
    by: String,
}

impl From<db::RoleHistoryEntry> for HistoryRow {
    fn from(e: db::RoleHistoryEntry) -> Self {
        let change = match e.from_role {
            None => format!("Utworzenie konta z rolą: {}", e.to_role.label()),
            Some(from) => format!("{} → {}", from.label(), e.to_role.label()),
        };
        HistoryRow {
            when: format_moment(e.changed_at),
            change,
            by: e.changed_by.unwrap_or_else(|| "nie odnotowano".to_owned()),
        }
    }
}

#[derive(Template)]
#[template(path = "users/show.html")]
struct ShowPage {
    layout: Layout,
    account: StaffAccount,
    role_label: &'static str,
    status: &'static str,
    last_login: String,
    second_factor: String,
    history: Vec<HistoryRow>,
    is_self: bool,
    roles: Vec<Choice>,
    role_errors: FieldErrors,
}

async fn show_staff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let account = load(&state, &user, id, Action::ViewStaff).await?;
    render(&show_page(&state, &user, account, None).await?)
}

/// The account `id` of the user's centre, once the user may do `action` (another centre's
/// account answers 404 like a missing one).
async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<StaffAccount> {
    user.authorize(state, action, Target::Centre).await?;
    db::find(&state.db, user.centre_id, id, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)
}

/// The account `id` of the user's centre, locked for the rest of `tx` (404 if there is none).
async fn lock(
    state: &AppState,
    user: &CurrentUser,
    tx: &mut sqlx::PgConnection,
    id: Uuid,
) -> Result<StaffAccount> {
    db::lock(tx, user.centre_id, id, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)
}

/// The account page; `role_error` is the message of a role choice that cannot be made.
async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    account: StaffAccount,
    role_error: Option<&str>,
) -> Result<ShowPage> {
    let history = db::role_history(&state.db, user.centre_id, account.staff_user_id).await?;
    let mut role_errors = FieldErrors::new();
    if let Some(message) = role_error {
        role_errors.add("role", message);
    }
    Ok(ShowPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Konto: {}", account.full_name),
            "/admin/users",
        ),
        role_label: account.role.label(),
        status: status_label(&account),
        last_login: last_login(&account),
        second_factor: second_factor::state_label(state, &account).await?,
        history: history.into_iter().map(HistoryRow::from).collect(),
        is_self: account.staff_user_id == user.user_id,
        roles: choices::<Role>(account.role.code()),
        role_errors,
        account,
    })
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
    let login = lock(&state, &user, &mut tx, id).await?.login;
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
    let login = lock(&state, &user, &mut tx, id).await?.login;
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
