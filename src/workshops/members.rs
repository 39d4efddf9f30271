//! A workshop's members: "Dodaj uczestnika" moves a participant into the workshop from a day
//! (their previous membership ends the day before — the file's placement function does it),
//! and "Zakończ" ends a membership on a day. A day before the admission or after the end of
//! participation is refused.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::{Date, Duration};
use uuid::Uuid;

use super::{done, locked, show_page};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::participants::db as participants;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::render_with_status;
use crate::web::path::IdPath;

/// The add-member form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AddForm {
    #[serde(default)]
    pub(super) participant: String,
    #[serde(default)]
    pub(super) from: String,
}

impl AddForm {
    /// The empty form, from today.
    pub(super) fn today(today: Date) -> Self {
        Self {
            participant: String::new(),
            from: dates::iso(today),
        }
    }
}

/// The end-of-membership form as posted (one per current member).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EndForm {
    #[serde(default)]
    participant: String,
    #[serde(default)]
    until: String,
}

/// The participation dates a membership must fall within.
struct Participation {
    name: String,
    admitted_on: Option<Date>,
    last_day: Option<Date>,
}

/// Locks the participant `id` of the centre if they take part (trial or participant).
async fn participation(
    conn: &mut sqlx::PgConnection,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Participation>> {
    sqlx::query_as!(
        Participation,
        r#"select surname || ' ' || first_names as "name!", admitted_on,
                  coalesce(ended_on, planned_end_on) as last_day
           from participant where centre_id = $1 and participant_id = $2
             and status in ('trial', 'participant') for update"#,
        centre_id,
        id
    )
    .fetch_optional(conn)
    .await
}

/// `date`, unless it is before the admission or after the end of participation.
fn within(date: Date, p: &Participation) -> std::result::Result<Date, String> {
    if let Some(admitted) = p.admitted_on.filter(|a| date < *a) {
        return Err(format!(
            "Data nie może być wcześniejsza niż przyjęcie do CIS ({}).",
            dates::format(admitted)
        ));
    }
    if let Some(last) = p.last_day.filter(|l| date > *l) {
        return Err(format!(
            "Data nie może być późniejsza niż koniec udziału w CIS ({}).",
            dates::format(last)
        ));
    }
    Ok(date)
}

fn participant_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw.trim()).ok()
}

/// `POST /workshops/{id}/members`.
pub(super) async fn add_member(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<AddForm>,
) -> Result<Response> {
    let (mut tx, w) = locked(&state, &user, id).await?;
    let mut errors = FieldErrors::new();
    let person = match participant_id(&form.participant) {
        Some(pid) => participation(&mut tx, user.centre_id, pid)
            .await?
            .map(|p| (pid, p)),
        None => None,
    };
    if person.is_none() {
        errors.add("participant", "Wybierz uczestnika z listy.");
    }
    let current = match &person {
        Some((pid, _)) => participants::current_membership(&mut *tx, *pid).await?,
        None => None,
    };
    if current.is_some_and(|c| c.workshop_id == id) {
        errors.add("participant", "Ta osoba jest już w tej pracowni.");
    }
    if !w.active {
        errors.add(
            "participant",
            "Pracownia jest zarchiwizowana – najpierw ją przywróć.",
        );
    }
    let from = errors.take(
        "from",
        dates::parse(&form.from).and_then(|d| match (&person, current) {
            (_, Some(c)) if d < c.member_from => Err(format!(
                "Data nie może być wcześniejsza niż początek obecnej pracowni tej osoby ({}).",
                dates::format(c.member_from)
            )),
            (Some((_, p)), _) => within(d, p),
            (None, _) => Ok(d),
        }),
    );
    let (Some((pid, p)), Some(from), true) = (person, from, errors.is_empty()) else {
        drop(tx);
        let page = show_page(&state, &user, &w, None, form, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    participants::move_to_workshop(&mut tx, user.centre_id, pid, current, Some(id), from).await?;
    let event = done("workshop.member_start", id)
        .participant(pid)
        .detail(format!("from:{}", dates::iso(from)));
    let message = format!("{} jest w pracowni od {}.", p.name, dates::format(from));
    finish(tx, &user, event, &message, &format!("/workshops/{id}")).await
}

/// `POST /workshops/{id}/members/end`.
pub(super) async fn end_member(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<EndForm>,
) -> Result<Response> {
    let (mut tx, w) = locked(&state, &user, id).await?;
    let pid = participant_id(&form.participant).ok_or(AppError::NotFound)?;
    let current = participants::current_membership(&mut *tx, pid)
        .await?
        .filter(|c| c.workshop_id == id)
        .ok_or(AppError::NotFound)?;
    let p = participation(&mut tx, user.centre_id, pid).await?;
    let field = format!("until-{pid}");
    let until = dates::parse(&form.until).and_then(|d| {
        if d < current.member_from {
            Err(format!(
                "Data nie może być wcześniejsza niż początek udziału w pracowni ({}).",
                dates::format(current.member_from)
            ))
        } else {
            p.as_ref().map_or(Ok(d), |p| within(d, p))
        }
    });
    let until = match until {
        Ok(until) => until,
        Err(message) => {
            drop(tx);
            let mut errors = FieldErrors::new();
            errors.add(field, message);
            let add = AddForm::today(state.today());
            let page = show_page(&state, &user, &w, None, add, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    // The placement function ends the open membership the day before the next one would start.
    participants::move_to_workshop(
        &mut tx,
        user.centre_id,
        pid,
        Some(current),
        None,
        until + Duration::days(1),
    )
    .await?;
    let event = done("workshop.member_end", id)
        .participant(pid)
        .detail(format!("until:{}", dates::iso(until)));
    let message = format!(
        "Zakończono udział w pracowni z dniem {}.",
        dates::format(until)
    );
    finish(tx, &user, event, &message, &format!("/workshops/{id}")).await
}
