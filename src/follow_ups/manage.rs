//! Changes to a graduate's schedule besides contacts: an extra contact the social worker plans
//! (`POST /participants/{id}/follow-ups/extra`), and closer contact marked or ended with a date
//! and a reason (`POST /participants/{id}/follow-ups/closer`, kept in its history); marking it
//! brings the next contact forward by the centre's interval, ending it removes the open items
//! it added. Each is one transaction on the locked participant, with its audit row.

use axum::extract::State;
use axum::response::Response;
use sqlx::{Postgres, Transaction};
use time::{Date, OffsetDateTime};
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
use crate::web::forms::{FieldErrors, not_before};
use crate::web::path::IdPath;

/// A graduate locked for a change of their follow-up.
pub(super) struct Open {
    pub tx: Transaction<'static, Postgres>,
    pub facts: ParticipantFacts,
    pub followed: Followed,
    /// The last day of the follow-up.
    pub until: Date,
    /// The moment of the change (the app's clock).
    pub now: OffsetDateTime,
}

/// The page of a graduate's follow-up.
pub(super) fn page_of(id: Uuid) -> String {
    format!("/participants/{id}/follow-ups")
}

/// The last day of `id`'s follow-up, or the refusal (409) of a person who is not a graduate
/// under follow-up today.
fn followed_until(
    state: &AppState,
    id: Uuid,
    facts: &ParticipantFacts,
    followed: &Followed,
) -> Result<Date> {
    match followed.until {
        Some(until) if due::under_follow_up(facts.status, Some(until), state.today()) => Ok(until),
        _ => Err(AppError::ConflictAt {
            message: "Ta osoba nie jest objęta monitoringiem absolwentów (nie jest absolwentem albo monitoring już się zakończył)."
                .to_owned(),
            back: page_of(id),
        }),
    }
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
    let until = followed_until(state, id, &facts, &followed)?;
    Ok(Open {
        tx,
        facts,
        followed,
        until,
        now: state.clock.now(),
    })
}

/// Asks what `open` asks, without locking anything: for a page that only shows a form.
pub(super) async fn may_open(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<()> {
    let facts = participant::authorized(state, user, id, action).await?;
    let followed = db::followed(&state.db, id).await?;
    followed_until(state, id, &facts, &followed).map(|_| ())
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
        created_at: open.now,
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
        created_at: open.now,
    };
    let item_id = db::add_item(&mut open.tx, (user.centre_id, id), &item).await?;
    let event = participant::done(Action::ManageFollowUp, id)
        .on("follow_up", item_id)
        .detail(format!("extra due_on={}", dates::iso(due_on)));
    let message = format!("Dodano dodatkowy kontakt na {}.", dates::format(due_on));
    done(open, &user, event, &message).await
}

/// `POST /participants/{id}/follow-ups/closer`: marked from a date (the next contact comes
/// `closer_days` after that date or the last reached contact since, when sooner than the
/// schedule's), or ended on a date (the open items of closer contact are removed). Each is a
/// row of the closer-contact history with its reason; the audit row keeps the typed values.
pub(super) async fn set_closer(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<CloserInput>,
) -> Result<Response> {
    let mut open = open(&state, &user, id, Action::ManageFollowUp).await?;
    let since = open.followed.closer_since;
    let checked =
        form.check(open.followed.ended_on, state.today())
            .and_then(|(on, date, reason)| {
                let mut errors = FieldErrors::new();
                match (on, since) {
                    (true, Some(_)) => errors.add(
                        "closer_on",
                        "Częstszy kontakt jest już oznaczony – odśwież stronę.",
                    ),
                    (false, None) => errors.add(
                        "closer_on",
                        "Częstszy kontakt nie jest oznaczony – odśwież stronę.",
                    ),
                    (false, Some(since)) => {
                        if let Err(m) =
                            not_before(date, Some(since), "początek częstszego kontaktu")
                        {
                            errors.add("closer_on", m);
                        }
                    }
                    (true, None) => {}
                }
                if errors.is_empty() {
                    Ok((on, date, reason))
                } else {
                    Err(errors)
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
    let entry = db::CloserEntry {
        closer: on,
        effective_on: date,
        reason: &reason,
    };
    db::insert_closer(
        &mut open.tx,
        (user.centre_id, id, user.user_id),
        &entry,
        open.now,
    )
    .await?;
    let (detail, message) = if on {
        // The next contact counts from the marking, or from a reached contact made since.
        let from = db::last_reached(&mut *open.tx, id)
            .await?
            .map_or(date, |last| last.max(date));
        let timing = schedule::timing(&mut *open.tx, user.centre_id, from).await?;
        let added = add_closer_item(&mut open, &user, from, timing.closer_days).await?;
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
                "closer on since={} item={}",
                dates::iso(date),
                added.map_or_else(|| "-".to_owned(), dates::iso)
            ),
            message,
        )
    } else {
        let removed = db::remove_open_closer_items(&mut open.tx, id).await?;
        let mut message = "Zakończono częstszy kontakt; obowiązuje harmonogram.".to_owned();
        if !removed.is_empty() {
            let list: Vec<String> = removed.iter().map(|d| dates::format(*d)).collect();
            message.push_str(&format!(
                " Usunięto niewykonane terminy częstszego kontaktu: {}.",
                list.join(", ")
            ));
        }
        (
            format!(
                "closer off on={} removed={}",
                dates::iso(date),
                removed.len()
            ),
            message,
        )
    };
    let event = participant::done(Action::ManageFollowUp, id).detail(detail);
    done(open, &user, event, &message).await
}
