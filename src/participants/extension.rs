//! Extending the planned end of participation: a decision record (who, when, why, from which
//! end to which), refused past the cap of the rule in force at admission.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::access;
use super::db;
use super::lifecycle::current;
use super::record::Record;
use super::rules::ParticipationRules;
use super::transition::{self, Current, Extension, Refusal};
use super::views::opt_date;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The extension form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExtensionForm {
    decided_on: String,
    new_end: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "participants/extension.html")]
struct ExtensionPage {
    layout: Layout,
    id: Uuid,
    name: String,
    planned_end: String,
    cap_end: String,
    form: ExtensionForm,
    errors: FieldErrors,
}

fn extension_page(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    form: ExtensionForm,
    errors: FieldErrors,
) -> ExtensionPage {
    ExtensionPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Przedłużenie udziału: {}", record.name()),
            "/participants",
        ),
        id: record.participant_id,
        name: record.name(),
        planned_end: opt_date(record.planned_end_on),
        cap_end: opt_date(record.cap_end_on),
        form,
        errors,
    }
}

/// `GET /participants/{id}/extension`.
pub(super) async fn extension_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let record = access::load(&state, &user, id, Action::ExtendParticipation).await?;
    transition::extendable(&current(&record, None))?;
    let form = ExtensionForm {
        decided_on: dates::iso(state.today()),
        ..ExtensionForm::default()
    };
    render(&extension_page(
        &state,
        &user,
        &record,
        form,
        FieldErrors::new(),
    ))
}

/// `POST /participants/{id}/extension`.
pub(super) async fn extend_participation(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ExtensionForm>,
) -> Result<Response> {
    let (mut tx, record) = access::lock(&state, &user, id, Action::ExtendParticipation).await?;
    let now = current(&record, None);
    let (current_end, _) = transition::extendable(&now)?;
    let rules = ParticipationRules::load(&mut *tx, user.centre_id).await?;
    let (extension, reason) = match form.checked(&now, &rules, state.today())? {
        Ok(checked) => checked,
        Err(errors) => {
            drop(tx);
            let page = extension_page(&state, &user, &record, form, errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (centre, by) = (user.centre_id, user.user_id);
    if !db::extend(&mut tx, centre, id, current_end, &extension, &reason, by).await? {
        return Err(AppError::conflict(
            "Termin zakończenia zmienił się w międzyczasie – otwórz teczkę ponownie.",
        ));
    }
    let new_end = extension.new_end;
    let event = access::done(Action::ExtendParticipation, id).detail(format!(
        "{}->{}",
        dates::iso(current_end),
        dates::iso(new_end)
    ));
    let message = format!("Udział przedłużono do {}.", dates::format(new_end));
    access::finish(tx, &user, id, event, &message).await
}

impl ExtensionForm {
    /// The extension this form decides, checked against the participant's clock, and its
    /// reason; or the form's messages. A refusal that is no fault of the form is the outer
    /// error.
    fn checked(
        &self,
        now: &Current,
        rules: &ParticipationRules,
        today: Date,
    ) -> Result<std::result::Result<(Extension, String), FieldErrors>> {
        let mut errors = FieldErrors::new();
        let decided_on = errors.take("decided_on", dates::parse(&self.decided_on));
        let new_end = errors.take("new_end", dates::parse(&self.new_end));
        let reason = errors.take("reason", validate::required_text(&self.reason, 2000));
        let (Some(decided_on), Some(new_end)) = (decided_on, new_end) else {
            return Ok(Err(errors));
        };
        let extension = Extension {
            decided_on,
            new_end,
        };
        match transition::check_extension(now, &extension, rules, today) {
            Ok(()) => {}
            Err(Refusal::Invalid(found)) => errors.merge(&found),
            Err(other) => return Err(other.into()),
        }
        match reason {
            Some(reason) if errors.is_empty() => Ok(Ok((extension, reason))),
            _ => Ok(Err(errors)),
        }
    }
}
