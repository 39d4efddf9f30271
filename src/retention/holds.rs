//! Legal holds on a file: the manager places one (a reason is required; until a date, or
//! indefinitely) and lifts it. A hold in place keeps the file out of the scan, off the review
//! list and out of anonymisation. A hold whose last day has passed no longer holds; placing a
//! new one closes it. Both steps are audited.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::optional_date;
use super::review::file_page;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::participant;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::{NoFields, SecureForm};
use crate::web::finish::finish;
use crate::web::forms::{FieldErrors, not_before};
use crate::web::path::IdPath;

/// The hold form as posted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HoldInput {
    #[serde(default)]
    pub(super) reason: String,
    #[serde(default)]
    pub(super) until: String,
}

impl HoldInput {
    /// The reason and the last day (`None`: indefinitely), which is today at the earliest.
    fn check(&self, today: Date) -> Result<(String, Option<Date>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason = errors.take(
            "reason",
            validate::required_text(&self.reason, 500).map_err(|_| {
                "Podaj powód blokady (do 500 znaków), np. sygnaturę sprawy sądowej lub kontroli."
                    .to_owned()
            }),
        );
        let until = errors.take(
            "until",
            optional_date(&self.until, |d| not_before(d, Some(today), "dziś")),
        );
        match (reason, until) {
            (Some(reason), Some(until)) if errors.is_empty() => Ok((reason, until)),
            _ => Err(errors),
        }
    }
}

fn back(id: Uuid) -> String {
    format!("/participants/{id}/retention")
}

/// `POST /participants/{id}/holds`: places a hold.
pub(super) async fn set_hold(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(input): SecureForm<HoldInput>,
) -> Result<Response> {
    let today = state.today();
    let (mut tx, _) =
        participant::lock_authorized(&state, &user, id, Action::ManageRetention).await?;
    let (reason, until) = match input.check(today) {
        Ok(hold) => hold,
        Err(errors) => {
            drop(tx);
            return file_page(&state, &user, id, input, errors).await;
        }
    };
    let state_now = sqlx::query!(
        r#"select exists (select 1 from retention_review where participant_id = $1 and anonymised_at is not null) as "anonymised!",
                  retention_held($1, $2) as "held!""#,
        id,
        today
    )
    .fetch_one(&mut *tx)
    .await?;
    if state_now.anonymised || state_now.held {
        return Err(AppError::ConflictAt {
            message: if state_now.anonymised {
                "Teczka została już zanonimizowana – blokada niczego by nie zatrzymała.".to_owned()
            } else {
                "Teczka jest już objęta blokadą. Aby zmienić jej powód lub termin, najpierw ją zdejmij.".to_owned()
            },
            back: back(id),
        });
    }
    // A hold that has run out is closed by the new one.
    sqlx::query!(
        "update retention_hold set lifted_at = now(), lifted_by = $2
         where participant_id = $1 and lifted_at is null",
        id,
        user.user_id
    )
    .execute(&mut *tx)
    .await?;
    let hold = sqlx::query_scalar!(
        "insert into retention_hold (participant_id, centre_id, reason, until, set_by)
         values ($1, $2, $3, $4, $5) returning retention_hold_id",
        id,
        user.centre_id,
        reason,
        until,
        user.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let event = AuditEvent::new("retention.hold", Outcome::Success)
        .on("retention_hold", hold)
        .participant(id)
        .detail(format!(
            "until={}",
            until.map_or_else(|| "indefinite".to_owned(), dates::iso)
        ));
    finish(
        tx,
        &user,
        event,
        "Teczkę objęto blokadą: nie trafi do przeglądu ani do anonimizacji.",
        &back(id),
    )
    .await
}

/// `POST /participants/{id}/holds/lift`: lifts the hold in place.
pub(super) async fn lift_hold(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(_): SecureForm<NoFields>,
) -> Result<Response> {
    let (mut tx, _) =
        participant::lock_authorized(&state, &user, id, Action::ManageRetention).await?;
    let lifted = sqlx::query_scalar!(
        "update retention_hold set lifted_at = now(), lifted_by = $2
         where participant_id = $1 and lifted_at is null
         returning retention_hold_id",
        id,
        user.user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(hold) = lifted else {
        return Err(AppError::ConflictAt {
            message: "Teczka nie jest objęta blokadą.".to_owned(),
            back: back(id),
        });
    };
    let event = AuditEvent::new("retention.hold_lift", Outcome::Success)
        .on("retention_hold", hold)
        .participant(id);
    finish(
        tx,
        &user,
        event,
        "Blokadę zdjęto. Po upływie okresu przechowywania teczka trafi do przeglądu.",
        &back(id),
    )
    .await
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_hold_needs_a_reason_and_ends_today_at_the_earliest() {
        let today = date!(2026 - 12 - 01);
        let input = |reason: &str, until: &str| HoldInput {
            reason: reason.into(),
            until: until.into(),
        };
        assert_eq!(
            input("Sprawa sądowa I C 123/26", "").check(today),
            Ok(("Sprawa sądowa I C 123/26".into(), None))
        );
        let errors = input("  ", "30.11.2026").check(today).unwrap_err();
        assert!(errors["reason"].starts_with("Podaj powód blokady"));
        assert!(errors["until"].starts_with("Data nie może być wcześniejsza niż dziś"));
    }
}
