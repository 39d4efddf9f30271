//! Changes to a graduate's schedule besides contacts: an extra contact the social worker plans
//! (`POST /participants/{id}/follow-ups/extra`), and closer contact marked or ended with a date
//! and a reason (`POST /participants/{id}/follow-ups/closer`); marking it brings the next
//! contact forward by the centre's interval. Each is one transaction on the locked participant,
//! with its audit row.

use axum::extract::State;
use axum::response::Response;
use sqlx::{Postgres, Transaction};
use time::Date;
use uuid::Uuid;

use super::db::{self, Followed, NewItem};
use super::due;
use super::form::{CloserInput, ExtraInput};
use super::model::FollowUpKind;
use super::schedule;
use super::timeline;
use crate::audit::AuditEvent;
use crate::auth::participant;
use crate::auth::policy::{Action, ParticipantFacts};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::path::IdPath;

/// A graduate locked for a change of their follow-up.
pub(super) struct Open {
    pub tx: Transaction<'static, Postgres>,
    pub facts: ParticipantFacts,
    pub followed: Followed,
    /// The last day of the follow-up.
    pub until: Date,
}

/// The page of a graduate's follow-up.
pub(super) fn page_of(id: Uuid) -> String {
    format!("/participants/{id}/follow-ups")
}

/// Begins a change of `id`'s follow-up: locks the row, asks the policy about `action`, and
/// refuses (409) a person who is not a graduate under follow-up today.
pub(super) async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<Open> {
    let (mut tx, facts) = participant::lock_authorized(state, user, id, action).await?;
    let followed = db::followed(&mut *tx, id).await?;
    match followed.until {
        Some(until) if due::under_follow_up(facts.status, Some(until), state.today()) => {
            Ok(Open {
                tx,
                facts,
                followed,
                until,
            })
        }
        _ => Err(AppError::ConflictAt {
            message: "Ta osoba nie jest objęta monitoringiem absolwentów (nie jest absolwentem albo monitoring już się zakończył)."
                .to_owned(),
            back: page_of(id),
        }),
    }
}

/// Ends a successful change of the follow-up: the audit row (on the participant), the flash
/// message, commit, and back to the graduate's follow-up page.
pub(super) async fn done(
    open: Open,
    user: &CurrentUser,
    event: AuditEvent<'_>,
    message: &str,
) -> Result<Response> {
    let id = open.facts.participant_id;
    finish(open.tx, user, event.participant(id), message, &page_of(id)).await
}

/// Adds the closer item after `from` when it comes before the next open item; returns its date.
pub(super) async fn add_closer_item(
    open: &mut Open,
    user: &CurrentUser,
    from: Date,
    closer_days: Option<i32>,
) -> Result<Option<Date>> {
    let Some(closer_days) = closer_days else {
        return Ok(None);
    };
    let id = open.facts.participant_id;
    let next = db::next_open(&mut *open.tx, id).await?;
    let Some(due_on) = due::closer_item(from, closer_days, next, open.until) else {
        return Ok(None);
    };
    let item = NewItem {
        kind: FollowUpKind::Closer,
        due_on,
        note: Some("Częstszy kontakt"),
        added_by: user.user_id,
    };
    db::add_item(&mut open.tx, (user.centre_id, id), &item).await?;
    Ok(Some(due_on))
}

/// `POST /participants/{id}/follow-ups/extra`.
pub(super) async fn add_extra(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ExtraInput>,
) -> Result<Response> {
    let mut open = open(&state, &user, id, Action::ManageFollowUp).await?;
    let (due_on, note) = match form.check(state.today(), open.until) {
        Ok(checked) => checked,
        Err(errors) => {
            let facts = open.facts;
            drop(open);
            let forms = (form, CloserInput::default());
            return timeline::page(&state, &user, (id, &facts), forms, errors).await;
        }
    };
    let item = NewItem {
        kind: FollowUpKind::Extra,
        due_on,
        note: Some(&note),
        added_by: user.user_id,
    };
    let item_id = db::add_item(&mut open.tx, (user.centre_id, id), &item).await?;
    let event = participant::done(Action::ManageFollowUp, id)
        .on("follow_up", item_id)
        .detail(format!("extra due_on={}", dates::iso(due_on)));
    let message = format!("Dodano dodatkowy kontakt na {}.", dates::format(due_on));
    done(open, &user, event, &message).await
}

/// `POST /participants/{id}/follow-ups/closer`.
pub(super) async fn set_closer(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<CloserInput>,
) -> Result<Response> {
    let mut open = open(&state, &user, id, Action::ManageFollowUp).await?;
    let today = state.today();
    let checked = form
        .check(open.followed.ended_on, today)
        .and_then(|(on, date, reason)| {
            if on == open.followed.closer_since.is_some() {
                let mut errors = FieldErrors::new();
                errors.add(
                    "closer_on",
                    if on {
                        "Częstszy kontakt jest już oznaczony – odśwież stronę."
                    } else {
                        "Częstszy kontakt nie jest oznaczony – odśwież stronę."
                    },
                );
                Err(errors)
            } else {
                Ok((on, date, reason))
            }
        });
    let (on, date, reason) = match checked {
        Ok(checked) => checked,
        Err(errors) => {
            let facts = open.facts;
            drop(open);
            let forms = (ExtraInput::default(), form);
            return timeline::page(&state, &user, (id, &facts), forms, errors).await;
        }
    };
    db::set_closer(&mut open.tx, id, on.then_some(date)).await?;
    let (detail, message) = if on {
        let timing = schedule::timing(&mut *open.tx, user.centre_id, today).await?;
        let added = add_closer_item(&mut open, &user, today, timing.closer_days).await?;
        let message = match added {
            Some(due_on) => format!(
                "Oznaczono potrzebę częstszego kontaktu; następny kontakt: {}.",
                dates::format(due_on)
            ),
            None => {
                "Oznaczono potrzebę częstszego kontaktu; najbliższy termin już wypada wcześniej."
                    .to_owned()
            }
        };
        (
            format!(
                "closer on since={} item={} reason={reason}",
                dates::iso(date),
                added.map_or_else(|| "-".to_owned(), dates::iso)
            ),
            message,
        )
    } else {
        (
            format!("closer off on={} reason={reason}", dates::iso(date)),
            "Zakończono częstszy kontakt; obowiązuje harmonogram.".to_owned(),
        )
    };
    let event = participant::done(Action::ManageFollowUp, id).detail(detail);
    done(open, &user, event, &message).await
}
