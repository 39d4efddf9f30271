//! The caseload: the manager assigns or reassigns a participant's social worker, and access
//! follows the assignment.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::access;
use super::db;
use super::record::Record;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The assignment form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorkerForm {
    social_worker: String,
}

#[derive(Template)]
#[template(path = "participants/worker.html")]
struct WorkerPage {
    layout: Layout,
    id: Uuid,
    name: String,
    current: String,
    workers: Vec<Choice>,
    errors: FieldErrors,
}

async fn worker_page(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    selected: &str,
    errors: FieldErrors,
) -> Result<WorkerPage> {
    let workers = db::social_workers(&state.db, user.centre_id)
        .await?
        .into_iter()
        .map(|w| Choice::new(w.id.to_string(), w.name, selected))
        .collect();
    Ok(WorkerPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Pracownik socjalny: {}", record.name()),
            "/participants",
        ),
        id: record.participant_id,
        name: record.name(),
        current: record
            .social_worker_name
            .clone()
            .unwrap_or_else(|| "nie przydzielono".into()),
        workers,
        errors,
    })
}

/// `GET /participants/{id}/social-worker`.
pub(super) async fn social_worker_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let record = access::load(&state, &user, id, Action::AssignSocialWorker).await?;
    let selected = record
        .social_worker_id
        .map(|w| w.to_string())
        .unwrap_or_default();
    render(&worker_page(&state, &user, &record, &selected, FieldErrors::new()).await?)
}

/// `POST /participants/{id}/social-worker`.
pub(super) async fn assign_social_worker(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<WorkerForm>,
) -> Result<Response> {
    let (mut tx, record) = access::lock(&state, &user, id, Action::AssignSocialWorker).await?;
    let workers = db::social_workers(&mut *tx, user.centre_id).await?;
    let chosen = Uuid::parse_str(form.social_worker.trim())
        .ok()
        .and_then(|w| workers.iter().find(|o| o.id == w));
    let Some(worker) = chosen else {
        drop(tx);
        let mut errors = FieldErrors::new();
        errors.add("social_worker", "Wybierz pracownika socjalnego z listy.");
        let page = worker_page(&state, &user, &record, &form.social_worker, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    db::assign_social_worker(&mut *tx, user.centre_id, &[id], worker.id, user.user_id).await?;
    let moved: Vec<Uuid> = record
        .social_worker_id
        .into_iter()
        .chain([worker.id])
        .collect();
    db::forget_work_counts(&mut *tx, &moved).await?;
    let event = access::done(Action::AssignSocialWorker, id).detail(worker.id.to_string());
    let message = format!("Przydzielono pracownika socjalnego: {}.", worker.name);
    access::finish(tx, &user, id, event, &message).await
}
