//! The lists of a closed month (issue 11, item 5): the list for the labour office's (PUP)
//! refund request and the payroll list, each as CSV (as Polish spreadsheets open it) and XLSX.
//!
//! Invariants: an export reads only what the close froze — the statements of the month's
//! current revision and the corrections assigned to this month's list (`pup_month`) — and
//! never recomputes, so a file downloaded twice is the same file. An open month has no list
//! (409). Every download is audited in the transaction that reads it (if the audit row cannot
//! be written, nothing is sent); a refusal is audited by the policy check. Names and PESEL go
//! into the file only, never into the URL, the file name or the audit detail.

use axum::extract::{Path, State};
use axum::response::Response;
use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::export::{self, CSV, Format, XLSX};
use crate::web::route::Route;

mod table;

/// The four downloads of a closed month.
pub(super) fn routes() -> Vec<Route> {
    vec![
        download("/benefits/{month}/pup.csv", List::Pup, CSV),
        download("/benefits/{month}/pup.xlsx", List::Pup, XLSX),
        download("/benefits/{month}/payroll.csv", List::Payroll, CSV),
        download("/benefits/{month}/payroll.xlsx", List::Payroll, XLSX),
    ]
}

/// `GET path`: `list` of the month in the path, as `format`.
fn download(path: &'static str, list: List, format: Format) -> Route {
    Route::get(
        path,
        Gate::Staff,
        move |state: State<AppState>, user: CurrentUser, month: Path<String>| {
            export(state, user, month, list, format)
        },
    )
    .export()
}

/// The message of a month that is not closed (yet, or again after a reopen).
const NOT_CLOSED: &str = "Listę można pobrać po zamknięciu miesiąca.";

/// Which list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum List {
    /// For the PUP's refund request.
    Pup,
    /// Lista wypłat.
    Payroll,
}

impl List {
    /// The stem of the audit detail, and the file name's Polish stem (ASCII).
    fn stems(self) -> (&'static str, &'static str) {
        match self {
            List::Pup => ("pup", "lista-pup"),
            List::Payroll => ("payroll", "lista-wyplat"),
        }
    }
}

/// A participant as the lists identify them.
#[derive(Clone, Debug)]
pub(super) struct Person {
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    /// PESEL, or the identity document's number of a person without one.
    pub identity: String,
}

impl Person {
    fn new(participant_id: Uuid, surname: String, first_names: String, identity: String) -> Self {
        Self {
            participant_id,
            surname,
            first_names,
            identity,
        }
    }
}

/// One frozen statement of the month.
#[derive(Clone, Debug)]
pub(super) struct Listed {
    pub person: Person,
    /// The participation in the month, as the statement recorded it.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub benefit_grosze: i64,
    pub bonus_grosze: i64,
}

/// One correction sent with this month's list.
#[derive(Clone, Debug)]
pub(super) struct Corrected {
    pub person: Person,
    /// The month corrected.
    pub month: Date,
    pub benefit_diff_grosze: i64,
    pub bonus_diff_grosze: i64,
    pub reason: String,
}

/// Everything the lists of one closed month show.
#[derive(Clone, Debug)]
pub(super) struct MonthList {
    pub month: Date,
    pub revision: i32,
    pub centre_name: String,
    pub centre_address: String,
    pub statements: Vec<Listed>,
    pub corrections: Vec<Corrected>,
}

/// Authorize → parse → read the frozen month and audit the export in one transaction → build
/// the file.
#[tracing::instrument(skip(state, user), fields(user_id = %user.user_id))]
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
    list: List,
    format: Format,
) -> Result<Response> {
    user.authorize(&state, Action::ExportBenefits, Target::Centre)
        .await?;
    let month = crate::attendance::parse_month(&month).ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    // One snapshot for the month's state, its statements and its corrections: a close or a
    // reopen committed meanwhile is not half seen.
    sqlx::query!("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await?;
    let data = load(&mut tx, user.centre_id, month).await?;
    let month_list = data.ok_or_else(|| AppError::conflict(NOT_CLOSED))?;
    let sheet = match list {
        List::Pup => table::pup(&month_list),
        List::Payroll => table::payroll(&month_list),
    };
    let code = month_code(month);
    let (stem, file_stem) = list.stems();
    let extension = format.extension;
    let detail = format!("{stem}.{extension} {code} rows={}", sheet.data_rows);
    let event = AuditEvent::new(Action::ExportBenefits.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("centre", user.centre_id)
        .detail(detail);
    audit::record(&mut *tx, &user.meta, event).await?;
    tx.commit().await?;
    export::download(&sheet, format, &format!("{file_stem}-{code}"))
}

/// `2026-11`.
use crate::domain::calendar::month_code;

/// The frozen month of `centre_id`, or `None` when it is not closed.
async fn load(db: &mut PgConnection, centre_id: Uuid, month: Date) -> Result<Option<MonthList>> {
    let state = sqlx::query!(
        "select closed, revision from benefit_month where centre_id = $1 and month = $2",
        centre_id,
        month
    )
    .fetch_optional(&mut *db)
    .await?;
    let Some(state) = state.filter(|s| s.closed) else {
        return Ok(None);
    };
    let statements = sqlx::query!(
        r#"-- language=PostgreSQL
        select p.participant_id, p.surname, p.first_names,
               coalesce(p.pesel, p.id_document, '') as "identity!", s.benefit_grosze, s.bonus_grosze,
               s.explanation ->> 'from' as "period_from?", s.explanation ->> 'to' as "period_to?"
        from benefit_statement s join participant p on p.participant_id = s.participant_id
        where s.centre_id = $1 and s.month = $2 and s.revision = $3
        order by p.surname, p.first_names, p.participant_id"#,
        centre_id,
        month,
        state.revision
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| Listed {
        person: Person::new(r.participant_id, r.surname, r.first_names, r.identity),
        from: r.period_from.as_deref().and_then(iso_date),
        to: r.period_to.as_deref().and_then(iso_date),
        benefit_grosze: i64::from(r.benefit_grosze),
        bonus_grosze: i64::from(r.bonus_grosze),
    })
    .collect();
    // The corrections of earlier months that this month's list sends.
    let sent = sqlx::query!(
        r#"-- language=PostgreSQL
        select p.participant_id, p.surname, p.first_names,
               coalesce(p.pesel, p.id_document, '') as "identity!", c.month, c.benefit_diff_grosze, c.bonus_diff_grosze, c.reason
        from benefit_correction c join participant p on p.participant_id = c.participant_id
        where c.centre_id = $1 and c.pup_month = $2
        order by c.month, p.surname, p.first_names, c.created_at, c.benefit_correction_id"#,
        centre_id,
        month
    )
    .fetch_all(&mut *db)
    .await?;
    let corrections = sent
        .into_iter()
        .map(|r| Corrected {
            person: Person::new(r.participant_id, r.surname, r.first_names, r.identity),
            month: r.month,
            benefit_diff_grosze: i64::from(r.benefit_diff_grosze),
            bonus_diff_grosze: i64::from(r.bonus_diff_grosze),
            reason: r.reason,
        })
        .collect();
    let (centre_name, centre_address) =
        crate::participants::centre_header(&mut *db, centre_id).await?;
    Ok(Some(MonthList {
        month,
        revision: state.revision,
        centre_name,
        centre_address,
        statements,
        corrections,
    }))
}

/// `YYYY-MM-DD` as the statement's explanation stores it; anything else is treated as absent.
fn iso_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanation_dates_are_read_leniently() {
        assert_eq!(
            iso_date("2026-11-03"),
            Some(time::macros::date!(2026 - 11 - 03))
        );
        assert_eq!(iso_date("03.11.2026"), None);
        assert_eq!(iso_date(""), None);
    }

    #[test]
    fn file_names_are_ascii_and_name_the_month() {
        let month = time::macros::date!(2026 - 11 - 01);
        assert_eq!(
            format!("{}-{}.csv", List::Payroll.stems().1, month_code(month)),
            "lista-wyplat-2026-11.csv"
        );
    }
}
