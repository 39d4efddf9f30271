//! The centre's settings ("Ustawienia CIS"), decided by its manager. The first: whether
//! admission requires a complete recruitment file (otherwise the manager admits with documents
//! missing only after confirming, by name, which are missing). Changes are audited with the old
//! and the new value.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::page::{Layout, render};
use crate::web::route::Route;

/// `GET /settings` and `POST /settings`.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/settings", Gate::Staff, settings_form),
        Route::post("/settings", Gate::Staff, save_settings),
    ]
}

#[derive(Template)]
#[template(path = "settings/index.html")]
struct SettingsPage {
    layout: Layout,
    require_recruitment_documents: bool,
}

/// The settings form as posted (a checkbox is absent when unticked).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsForm {
    #[serde(default)]
    require_recruitment_documents: Option<String>,
}

async fn settings_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::EditCentreSettings, Target::Centre)
        .await?;
    let require_recruitment_documents: bool =
        sqlx::query_scalar("select require_recruitment_documents from centre where centre_id = $1")
            .bind(user.centre_id)
            .fetch_one(&state.db)
            .await?;
    render(&SettingsPage {
        layout: Layout::for_user(&state, &user, "Ustawienia CIS", "/settings"),
        require_recruitment_documents,
    })
}

async fn save_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<SettingsForm>,
) -> Result<Response> {
    user.authorize(&state, Action::EditCentreSettings, Target::Centre)
        .await?;
    let required = form.require_recruitment_documents.is_some();
    let mut tx = state.db.begin().await?;
    let before: bool = sqlx::query_scalar(
        "select require_recruitment_documents from centre where centre_id = $1 for update",
    )
    .bind(user.centre_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("update centre set require_recruitment_documents = $2 where centre_id = $1")
        .bind(user.centre_id)
        .bind(required)
        .execute(&mut *tx)
        .await?;
    let event = AuditEvent::new(Action::EditCentreSettings.code(), Outcome::Success)
        .on("centre", user.centre_id)
        .detail(format!(
            "require_recruitment_documents:{before}->{required}"
        ));
    finish(tx, &user, event, "Zapisano ustawienia.", "/settings").await
}
