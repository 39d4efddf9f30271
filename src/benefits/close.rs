//! The manager's steps on a month: close (the statements freeze as a new revision; a month
//! closed before gets a correction for every participant whose amounts changed), reopen (with a
//! reason; attendance may change again), and recompute a closed month under corrected rules or
//! data (a new revision and its corrections; never a silent change). Each step takes the
//! month's lock exclusively, so no attendance save lands in a month being closed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;

use super::compute;
use super::db;
use super::month::{self, month_code, path_month};
use crate::attendance::db::lock_month;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::calendar;
use crate::domain::money::format_pln;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::confirm::{ConfirmPage, confirmed};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};

/// A step's form: the confirmation, and the reason where the step needs one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StepForm {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
    /// The recomputation's reason (its own field: both forms can be on the month's page).
    #[serde(default)]
    recompute_reason: String,
}

/// The month of the path, once the policy has let the manager act on the centre's months.
async fn begin(state: &AppState, user: &CurrentUser, month: &str) -> Result<Date> {
    let month = path_month(month)?;
    user.authorize(state, Action::ManageBenefits, Target::Centre)
        .await?;
    Ok(month)
}

fn href(month: Date) -> String {
    format!("/benefits/{}", month_code(month))
}

/// The month of the path and the reason given (the policy asked first), or the month page
/// again with the message.
async fn with_reason(
    state: &AppState,
    user: &CurrentUser,
    month: &str,
    (field, value): (&'static str, &str),
    missing: &str,
) -> Result<std::result::Result<(Date, String), Response>> {
    let month = begin(state, user, month).await?;
    let reason = value.trim().to_owned();
    let message = if reason.is_empty() {
        Some(missing.to_owned())
    } else if reason.chars().count() > 500 {
        Some("Powód może mieć najwyżej 500 znaków.".to_owned())
    } else {
        None
    };
    match message {
        None => Ok(Ok((month, reason))),
        Some(m) => {
            let mut errors = FieldErrors::new();
            errors.add(field, m);
            let page = month::page(state, user, month, value.to_owned(), errors).await?;
            Ok(Err(render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page,
            )?))
        }
    }
}

/// `POST /benefits/{month}/close`.
pub(super) async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
    SecureForm(form): SecureForm<StepForm>,
) -> Result<Response> {
    let month = begin(&state, &user, &month).await?;
    let today = state.today();
    if calendar::month_end(month) >= today {
        return Err(AppError::conflict(
            "Miesiąc można zamknąć dopiero po jego ostatnim dniu.",
        ));
    }
    if !confirmed(&form.confirm) {
        let page = month::page(&state, &user, month, String::new(), FieldErrors::new()).await?;
        if page.closed {
            return Err(AppError::conflict("Ten miesiąc jest już zamknięty."));
        }
        let layout = Layout::for_user(
            &state,
            &user,
            format!("Zamknąć miesiąc {}?", calendar::month_title(month)),
            "/benefits",
        );
        let mut confirm = ConfirmPage::new(
            layout,
            format!("{}/close", href(month)),
            href(month),
            Vec::new(),
            "Zamknij miesiąc",
        )
        .not_danger()
        .fact("Uczestników", page.lines.len().to_string())
        .fact("Świadczenia razem", page.total_benefit.clone())
        .fact("Premie razem", page.total_bonus.clone())
        .consequence("Rozliczenie każdej osoby zostanie zapisane i nie zmieni się samo.")
        .consequence("Obecności z tego miesiąca nie będzie można zmienić, dopóki miesiąc nie zostanie otwarty ponownie.")
        .consequence("Przy pierwszym zamknięciu miesiąca korekty czekające na wysłanie trafiają na jego listę dla PUP.");
        if let Some(june) = &page.revaluation {
            confirm = confirm.consequence(format!(
                "Uwaga: brak kwoty zasiłku dla bezrobotnych od {june} r. – miesiąc zostanie rozliczony według poprzedniej kwoty."
            ));
        }
        if page.with_warnings > 0 {
            confirm = confirm.consequence(format!(
                "Uwaga: {} os. ma ostrzeżenia (np. dni bez wpisu obecności) – sprawdź je przed zamknięciem.",
                page.with_warnings
            ));
        }
        return render(&confirm);
    }
    let mut tx = state.db.begin().await?;
    lock_month(&mut tx, user.centre_id, month, true).await?;
    let Some(Closed {
        people,
        total,
        corrected,
        revision,
    }) = close_month(&mut tx, user.centre_id, month, today, user.user_id).await?
    else {
        return Err(AppError::conflict("Ten miesiąc jest już zamknięty."));
    };
    let event = AuditEvent::new("benefit.close", Outcome::Success).detail(format!(
        "{} revision={revision} people={people} benefit={total} corrections={corrected}",
        month_code(month)
    ));
    let mut message = format!(
        "Zamknięto miesiąc {}: {people} os., świadczenia razem {}.",
        calendar::month_title(month),
        format_pln(total)
    );
    if corrected > 0 {
        message.push_str(&format!(
            " Kwoty zmieniły się u {corrected} os. – korekty trafią na najbliższą listę dla PUP."
        ));
    }
    finish(tx, &user, event, &message, &href(month)).await
}

/// `POST /benefits/{month}/reopen`: with a reason, after confirmation.
pub(super) async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
    SecureForm(form): SecureForm<StepForm>,
) -> Result<Response> {
    let (month, reason) = match with_reason(
        &state,
        &user,
        &month,
        ("reason", &form.reason),
        "Podaj powód ponownego otwarcia miesiąca – zapisze się w historii i przy korektach.",
    )
    .await?
    {
        Ok(given) => given,
        Err(page) => return Ok(page),
    };
    if !confirmed(&form.confirm) {
        let layout = Layout::for_user(
            &state,
            &user,
            format!(
                "Otworzyć ponownie miesiąc {}?",
                calendar::month_title(month)
            ),
            "/benefits",
        );
        let page = ConfirmPage::new(
            layout,
            format!("{}/reopen", href(month)),
            href(month),
            vec![("reason", reason.clone())],
            "Otwórz miesiąc ponownie",
        )
        .fact("Powód", reason)
        .consequence("Obecność z tego miesiąca będzie można znowu poprawiać.")
        .consequence("Zapisane rozliczenie zostaje; po ponownym zamknięciu różnice kwot staną się korektami na najbliższej liście dla PUP.");
        return render(&page);
    }
    let mut tx = state.db.begin().await?;
    lock_month(&mut tx, user.centre_id, month, true).await?;
    if !reopen_month(&mut tx, user.centre_id, month, user.user_id, &reason).await? {
        return Err(AppError::conflict("Ten miesiąc nie jest zamknięty."));
    }
    let event = AuditEvent::new("benefit.reopen", Outcome::Success)
        .detail(format!("{} {reason}", month_code(month)));
    let message = format!(
        "Otwarto ponownie miesiąc {}. Po poprawkach zamknij go jeszcze raz.",
        calendar::month_title(month)
    );
    finish(tx, &user, event, &message, &href(month)).await
}

/// `POST /benefits/{month}/recompute`: a closed month under today's rules and data; any
/// difference becomes a new revision with its corrections.
pub(super) async fn recompute(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
    SecureForm(form): SecureForm<StepForm>,
) -> Result<Response> {
    let (month, reason) = match with_reason(
        &state,
        &user,
        &month,
        ("recompute_reason", &form.recompute_reason),
        "Podaj powód przeliczenia, np. zmiana kwoty zasiłku z datą wsteczną.",
    )
    .await?
    {
        Ok(given) => given,
        Err(page) => return Ok(page),
    };
    let today = state.today();
    let mut tx = state.db.begin().await?;
    lock_month(&mut tx, user.centre_id, month, true).await?;
    let current = db::month_state(&mut *tx, user.centre_id, month)
        .await?
        .filter(|s| s.closed)
        .ok_or_else(|| AppError::conflict("Przeliczyć można tylko zamknięty miesiąc."))?;
    let computed = compute::month(&mut tx, user.centre_id, month, today, None).await?;
    let frozen = db::frozen(&mut *tx, user.centre_id, month, current.revision, None).await?;
    let differences = db::differences(&frozen, &computed);
    if differences.is_empty() {
        let event = AuditEvent::new("benefit.recompute", Outcome::Success)
            .detail(format!("{} unchanged", month_code(month)));
        return finish(
            tx,
            &user,
            event,
            "Przeliczenie nie zmienia żadnej kwoty.",
            &href(month),
        )
        .await;
    }
    let revision = current.revision + 1;
    db::freeze(&mut tx, user.centre_id, month, revision, &computed).await?;
    db::record_corrections(
        &mut tx,
        user.centre_id,
        month,
        current.revision,
        revision,
        &reason,
        user.user_id,
        &differences,
    )
    .await?;
    sqlx::query!(
        "update benefit_month set revision = $3 where centre_id = $1 and month = $2",
        user.centre_id,
        month,
        revision
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new("benefit.recompute", Outcome::Success).detail(format!(
        "{} revision={revision} corrections={} {reason}",
        month_code(month),
        differences.len()
    ));
    let message = format!(
        "Przeliczono miesiąc: kwoty zmieniły się u {} os. Korekty trafią na najbliższą listę dla PUP.",
        differences.len()
    );
    finish(tx, &user, event, &message, &href(month)).await
}

/// What a close did.
#[derive(Debug, Clone, Copy)]
pub struct Closed {
    /// Participants of the month.
    pub people: usize,
    /// Their benefits together, in grosze.
    pub total: i64,
    /// Participants whose amounts differ from the previous close (corrections recorded).
    pub corrected: usize,
    /// The revision frozen.
    pub revision: i32,
}

/// Closes `centre_id`'s `month` in the caller's transaction (which holds the month's lock):
/// on its first close the corrections waiting go with this month's list, the statements
/// freeze as the next
/// revision, and a month closed before gets a correction per changed participant. `None` when
/// the month is closed already.
pub async fn close_month(
    conn: &mut sqlx::PgConnection,
    centre_id: uuid::Uuid,
    month: Date,
    today: Date,
    by: uuid::Uuid,
) -> Result<Option<Closed>> {
    let before = db::month_state(&mut *conn, centre_id, month).await?;
    if before.as_ref().is_some_and(|s| s.closed) {
        return Ok(None);
    }
    let computed = compute::month(&mut *conn, centre_id, month, today, None).await?;
    let revision = before.as_ref().map_or(1, |s| s.revision + 1);
    // The corrections waiting go with the list of a month closed for the first time (a list
    // not sent yet); a month closed again after a reopen had its list sent already.
    if before.is_none() {
        sqlx::query!(
            "update benefit_correction set pup_month = $2 where centre_id = $1 and pup_month is null",
            centre_id,
            month
        )
        .execute(&mut *conn)
        .await?;
    }
    db::freeze(&mut *conn, centre_id, month, revision, &computed).await?;
    let mut corrected = 0;
    if let Some(previous) = &before {
        let frozen = db::frozen(&mut *conn, centre_id, month, previous.revision, None).await?;
        let differences = db::differences(&frozen, &computed);
        corrected = differences.len();
        let reason = previous
            .reopen_reason
            .clone()
            .unwrap_or_else(|| "Ponowne zamknięcie miesiąca".to_owned());
        db::record_corrections(
            &mut *conn,
            centre_id,
            month,
            previous.revision,
            revision,
            &reason,
            by,
            &differences,
        )
        .await?;
    }
    sqlx::query!(
        "insert into benefit_month (centre_id, month, closed, revision, closed_by, closed_at)
         values ($1, $2, true, $3, $4, now())
         on conflict (centre_id, month) do update
         set closed = true, revision = excluded.revision, closed_by = excluded.closed_by,
             closed_at = excluded.closed_at",
        centre_id,
        month,
        revision,
        by
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some(Closed {
        people: computed.len(),
        total: computed.iter().map(|c| c.statement.benefit_grosze).sum(),
        corrected,
        revision,
    }))
}

/// Reopens `centre_id`'s closed `month` with `reason` (the caller holds the month's lock);
/// false when it was not closed.
pub async fn reopen_month(
    conn: &mut sqlx::PgConnection,
    centre_id: uuid::Uuid,
    month: Date,
    by: uuid::Uuid,
    reason: &str,
) -> sqlx::Result<bool> {
    let reopened = sqlx::query!(
        "update benefit_month set closed = false, reopened_by = $3, reopened_at = now(),
                reopen_reason = $4
         where centre_id = $1 and month = $2 and closed",
        centre_id,
        month,
        by,
        reason
    )
    .execute(conn)
    .await?;
    Ok(reopened.rows_affected() > 0)
}
