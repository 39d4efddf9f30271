//! Workshop placement: the participant's current workshop (pracownia), which also opens the
//! file to that workshop's instructor. A placement ends the day before the next one starts;
//! participation that has ended has no placement.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::access;
use super::db;
use super::record::Record;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The placement form as posted (an empty workshop ends the current placement).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorkshopForm {
    workshop: String,
    from: String,
}

#[derive(Template)]
#[template(path = "participants/workshop.html")]
struct WorkshopPage {
    layout: Layout,
    id: Uuid,
    name: String,
    current: String,
    workshops: Vec<Choice>,
    form: WorkshopForm,
    errors: FieldErrors,
}

async fn workshop_page(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    form: WorkshopForm,
    errors: FieldErrors,
) -> Result<WorkshopPage> {
    let workshops = db::workshops(&state.db, user.centre_id)
        .await?
        .into_iter()
        .map(|w| Choice::new(w.id.to_string(), w.name, &form.workshop))
        .collect();
    Ok(WorkshopPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Pracownia: {}", record.name()),
            "/participants",
        ),
        id: record.participant_id,
        name: record.name(),
        current: record
            .workshop_name
            .clone()
            .unwrap_or_else(|| "brak".into()),
        workshops,
        form,
        errors,
    })
}

/// `GET /participants/{id}/workshop`.
pub(super) async fn workshop_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let record = access::load(&state, &user, id, Action::AssignWorkshop).await?;
    let form = WorkshopForm {
        from: dates::iso(state.today()),
        ..WorkshopForm::default()
    };
    render(&workshop_page(&state, &user, &record, form, FieldErrors::new()).await?)
}

/// `POST /participants/{id}/workshop`.
pub(super) async fn assign_workshop(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<WorkshopForm>,
) -> Result<Response> {
    let (mut tx, record) = access::lock(&state, &user, id, Action::AssignWorkshop).await?;
    if record.status.has_ended() {
        return Err(AppError::conflict("Udział tej osoby już się zakończył."));
    }
    let workshops = db::workshops(&mut *tx, user.centre_id).await?;
    let current = db::current_membership(&mut *tx, id).await?;
    let (chosen, from) = match form.placement(&workshops, current) {
        Ok(placement) => placement,
        Err(errors) => {
            drop(tx);
            let page = workshop_page(&state, &user, &record, form, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let workshop = chosen.map(|w| w.id);
    db::move_to_workshop(&mut tx, user.centre_id, id, current, workshop, from).await?;
    let message = match chosen {
        Some(w) => format!("Przydzielono do pracowni: {}.", w.name),
        None => "Zakończono udział w pracowni.".to_owned(),
    };
    let event = access::done(Action::AssignWorkshop, id)
        .detail(workshop.map_or_else(|| "none".to_owned(), |w| w.to_string()));
    access::finish(tx, &user, id, event, &message).await
}

impl WorkshopForm {
    /// The workshop chosen (none: end the current placement) and the first day, checked
    /// against the current placement; or the form's messages.
    fn placement<'w>(
        &self,
        workshops: &'w [db::Named],
        current: Option<db::Membership>,
    ) -> std::result::Result<(Option<&'w db::Named>, Date), FieldErrors> {
        let mut errors = FieldErrors::new();
        let chosen = match self.workshop.trim() {
            "" => None,
            raw => errors.take(
                "workshop",
                Uuid::parse_str(raw)
                    .ok()
                    .and_then(|w| workshops.iter().find(|o| o.id == w))
                    .ok_or_else(|| "Wybierz pracownię z listy.".to_owned()),
            ),
        };
        let started = current.map(|c| c.member_from);
        let from = errors.take(
            "from",
            dates::parse(&self.from).and_then(|d| match started {
                Some(start) if d < start => Err(
                    "Data nie może być wcześniejsza niż początek obecnego przydziału.".to_owned(),
                ),
                _ => Ok(d),
            }),
        );
        if chosen.is_some_and(|w| Some(w.id) == current.map(|c| c.workshop_id)) {
            errors.add("workshop", "Osoba jest już w tej pracowni.");
        }
        if chosen.is_none() && current.is_none() && errors.is_empty() {
            errors.add("workshop", "Osoba nie jest w żadnej pracowni.");
        }
        match from {
            Some(from) if errors.is_empty() => Ok((chosen, from)),
            _ => Err(errors),
        }
    }
}
