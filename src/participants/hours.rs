//! The participant's own limits of hours in the centre and the PAI programme: for a significant
//! or moderate disability the rehabilitation act's limits apply (art. 14 ust. 1 ustawy o
//! zatrudnieniu socjalnym; usually 7 hours a day and 35 a week), and a PAI participant needs at
//! least 10 hours of group activities a week (seed 003). Set by the manager or the
//! participant's social worker (`EditParticipant`); audited.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::access;
use super::record::Record;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::hours;
use crate::web::extract::SecureForm;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The form as posted (hours; empty: no limit; `pai` a ticked checkbox).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HoursForm {
    #[serde(default)]
    daily: String,
    #[serde(default)]
    weekly: String,
    #[serde(default)]
    pai: String,
}

#[derive(Template)]
#[template(path = "participants/hours.html")]
struct HoursPage {
    layout: Layout,
    id: Uuid,
    name: String,
    form: HoursForm,
    errors: FieldErrors,
}

fn page(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    form: HoursForm,
    errors: FieldErrors,
) -> HoursPage {
    HoursPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Limity godzin: {}", record.name()),
            "/participants",
        ),
        id: record.participant_id,
        name: record.name(),
        form,
        errors,
    }
}

/// The limits as stored.
struct Limits {
    daily: Option<i16>,
    weekly: Option<i16>,
    pai: bool,
}

async fn limits(db: impl sqlx::PgExecutor<'_>, id: Uuid) -> sqlx::Result<Limits> {
    sqlx::query_as!(
        Limits,
        "select daily_limit_minutes as daily, weekly_limit_minutes as weekly, pai from participant where participant_id = $1",
        id
    )
    .fetch_one(db)
    .await
}

/// `GET /participants/{id}/hours`.
pub(super) async fn hours_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let record = access::load(&state, &user, id, Action::EditParticipant).await?;
    let now = limits(&state.db, id).await?;
    let form = HoursForm {
        daily: now
            .daily
            .map(|m| hours::format(m.into()))
            .unwrap_or_default(),
        weekly: now
            .weekly
            .map(|m| hours::format(m.into()))
            .unwrap_or_default(),
        pai: if now.pai { "on".into() } else { String::new() },
    };
    render(&page(&state, &user, &record, form, FieldErrors::new()))
}

/// An optional limit: empty is none.
fn optional(value: &str, min: i32, max: i32) -> std::result::Result<Option<i16>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        hours::parse(value, min, max).map(Some)
    }
}

/// `POST /participants/{id}/hours`.
pub(super) async fn save_hours(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<HoursForm>,
) -> Result<Response> {
    let (mut tx, record) = access::lock(&state, &user, id, Action::EditParticipant).await?;
    let mut errors = FieldErrors::new();
    let daily = errors.take("daily", optional(&form.daily, 60, 720));
    let weekly = errors.take("weekly", optional(&form.weekly, 300, 2400));
    let (Some(daily), Some(weekly)) = (daily, weekly) else {
        drop(tx);
        let page = page(&state, &user, &record, form, errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let pai = form.pai == "on";
    let before = limits(&mut *tx, id).await?;
    sqlx::query!(
        "update participant set daily_limit_minutes = $2, weekly_limit_minutes = $3, pai = $4 where participant_id = $1",
        id,
        daily,
        weekly,
        pai
    )
    .execute(&mut *tx)
    .await?;
    let show = |m: Option<i16>| m.map_or_else(|| "-".to_owned(), |m| m.to_string());
    let event = access::done(Action::EditParticipant, id).detail(format!(
        "hours:daily_limit_minutes:{}->{},weekly_limit_minutes:{}->{},pai:{}->{pai}",
        show(before.daily),
        show(daily),
        show(before.weekly),
        show(weekly),
        before.pai
    ));
    access::finish(
        tx,
        &user,
        id,
        event,
        "Zapisano limity godzin i udział w PAI.",
    )
    .await
}
