//! One participant's month: the benefit computed step by step in words a manager can check
//! against the act (frozen once the month is closed, preliminary before), the warnings, the
//! bonus decision, and the print for the participant. Every read and print is audited as a
//! read of the file.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use time::Date;
use uuid::Uuid;

use super::compute;
use super::db;
use super::month::{month_code, path_month};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::calendar;
use crate::domain::money::format_pln;
use crate::error::{AppError, Result};
use crate::participants::access;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};

/// A line of the statement: what, and the amount (signed) if it has one.
pub struct Step {
    pub text: String,
    pub amount: String,
}

/// The bonus decision as shown.
pub struct Bonus {
    pub amount: String,
    pub granted: bool,
    pub justification: String,
    pub proposed_by: String,
    pub decided_by: String,
    pub decided_at: String,
}

/// What the screen and the print show.
pub struct Shown {
    pub id: Uuid,
    pub month: String,
    pub title: String,
    pub name: String,
    pub pesel: String,
    pub period: String,
    pub state: String,
    pub closed: bool,
    pub steps: Vec<Step>,
    pub warnings: Vec<String>,
    pub benefit: String,
    pub bonus_amount: String,
    pub bonus: Option<Bonus>,
    /// Closed, but a recomputation now gives other amounts.
    pub differs: bool,
    /// Closed with this person, whom a change has since taken out of the month.
    pub gone: bool,
}

/// Who a statement is of, and the days of the month they took part.
struct Who {
    name: String,
    pesel: String,
    /// The first and the last day.
    days: (Date, Date),
}

/// The days a closed statement was computed for (kept in its explanation).
fn closed_days(frozen: &db::Frozen) -> Result<(Date, Date)> {
    let day = |key: &str| {
        frozen
            .explanation
            .get(key)
            .and_then(serde_json::Value::as_str)
            .and_then(|d| dates::parse(d).ok())
            .ok_or(AppError::NotFound)
    };
    Ok((day("from")?, day("to")?))
}

impl Who {
    fn of(person: &compute::Person, month: Date) -> Self {
        Self {
            name: person.name(),
            pesel: person
                .pesel
                .clone()
                .or_else(|| person.id_document.clone())
                .unwrap_or_default(),
            days: person.period(month),
        }
    }

    /// From a closed statement (its period) and the file (the name and number as they are).
    async fn closed(
        conn: &mut sqlx::PgConnection,
        centre_id: Uuid,
        id: Uuid,
        frozen: &db::Frozen,
    ) -> Result<Self> {
        let row = sqlx::query!(
            "select surname, first_names, coalesce(pesel, id_document, '') as \"number!\"
             from participant where participant_id = $1 and centre_id = $2",
            id,
            centre_id
        )
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
        Ok(Self {
            name: format!("{} {}", row.surname, row.first_names),
            pesel: row.number,
            days: closed_days(frozen)?,
        })
    }
}

#[derive(Template)]
#[template(path = "benefits/statement.html")]
struct StatementPage {
    layout: Layout,
    s: Shown,
    may_decide: bool,
}

#[derive(Template)]
#[template(path = "benefits/statement_print.html")]
struct PrintPage {
    s: Shown,
    centre_name: String,
    centre_address: String,
    printed_at: String,
    printed_by: String,
}

/// Reads participant `id`'s `month` for `user` (the policy asked, the read audited with
/// `detail`).
async fn read(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    month: Date,
    detail: &str,
) -> Result<Shown> {
    access::authorized(state, user, id, Action::ViewBenefitStatement).await?;
    let today = state.today();
    let mut tx = state.db.begin().await?;
    let event = AuditEvent::new(Action::ViewBenefitStatement.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id)
        .detail(format!("{detail} {}", month_code(month)));
    audit::record_read(&mut *tx, &user.meta, event).await?;
    let live = compute::month(&mut tx, user.centre_id, month, today, Some(id))
        .await?
        .pop();
    let month_state = db::month_state(&mut *tx, user.centre_id, month).await?;
    let frozen = match month_state.as_ref().filter(|s| s.closed) {
        Some(s) => db::frozen(&mut *tx, user.centre_id, month, s.revision, Some(id))
            .await?
            .pop(),
        None => None,
    };
    // Who, and the days of the month they took part: from today's computation; for someone a
    // change has since taken out of a closed month, from what was closed (the name as it is).
    let who = match (&live, &frozen) {
        (Some(live), None) => Who::of(&live.person, month),
        // The closed days beside the closed amounts, whatever has changed since.
        (Some(live), Some(f)) => Who {
            days: closed_days(f)?,
            ..Who::of(&live.person, month)
        },
        (None, Some(f)) => Who::closed(&mut tx, user.centre_id, id, f).await?,
        (None, None) => return Err(AppError::NotFound),
    };
    let bonus = sqlx::query!(
        r#"select b.amount_grosze, b.granted, b.justification, p.full_name as proposed_by,
                  d.full_name as decided_by, b.decided_at
           from bonus_decision b
           join staff_user p on p.staff_user_id = b.proposed_by
           join staff_user d on d.staff_user_id = b.decided_by
           where b.participant_id = $1 and b.month = $2 and b.centre_id = $3"#,
        id,
        month,
        user.centre_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let (steps, warnings, benefit, bonus_amount, differs) = match &frozen {
        Some(f) => {
            let steps = f
                .explanation
                .get("lines")
                .and_then(serde_json::Value::as_array)
                .map(|lines| {
                    lines
                        .iter()
                        .map(|l| Step {
                            text: l
                                .get(0)
                                .and_then(|t| t.as_str())
                                .unwrap_or_default()
                                .to_owned(),
                            amount: l
                                .get(1)
                                .and_then(serde_json::Value::as_i64)
                                .map(format_pln)
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let warnings = f
                .explanation
                .get("warnings")
                .and_then(serde_json::Value::as_array)
                .map(|w| {
                    w.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let differs = live.as_ref().is_none_or(|live| {
                i64::from(f.benefit_grosze) != live.statement.benefit_grosze
                    || i64::from(f.bonus_grosze) != live.statement.bonus_grosze
            });
            (
                steps,
                warnings,
                i64::from(f.benefit_grosze),
                i64::from(f.bonus_grosze),
                differs,
            )
        }
        None => {
            let Some(live) = &live else {
                return Err(AppError::NotFound);
            };
            (
                live.statement
                    .lines
                    .iter()
                    .map(|l| Step {
                        text: l.text.clone(),
                        amount: l.amount_grosze.map(format_pln).unwrap_or_default(),
                    })
                    .collect(),
                live.statement.warnings.clone(),
                live.statement.benefit_grosze,
                live.statement.bonus_grosze,
                false,
            )
        }
    };
    Ok(Shown {
        id,
        month: month_code(month),
        title: calendar::month_title(month),
        name: who.name,
        pesel: who.pesel,
        period: format!(
            "{} – {}",
            dates::format(who.days.0),
            dates::format(who.days.1)
        ),
        state: super::month::describe(month_state.as_ref(), month, today),
        closed: frozen.is_some(),
        gone: live.is_none(),
        steps,
        warnings,
        benefit: format_pln(benefit),
        bonus_amount: format_pln(bonus_amount),
        bonus: bonus.map(|b| Bonus {
            amount: format_pln(i64::from(b.amount_grosze)),
            granted: b.granted,
            justification: b.justification,
            proposed_by: b.proposed_by,
            decided_by: b.decided_by,
            decided_at: dates::format_moment(b.decided_at),
        }),
        differs,
    })
}

/// `GET /benefits/{month}/{id}`.
pub(super) async fn statement_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((month, id)): Path<(String, String)>,
) -> Result<Response> {
    let month = path_month(&month)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let s = read(&state, &user, id, month, "statement").await?;
    let may_decide = !s.closed && user.can(Action::ManageBenefits, Target::Centre);
    render(&StatementPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("Rozliczenie: {} – {}", s.name, s.title),
            if user.can(Action::ManageBenefits, Target::Centre) {
                "/benefits"
            } else {
                "/participants"
            },
        ),
        s,
        may_decide,
    })
}

/// `GET /benefits/{month}/{id}/print`: the statement for the participant, audited as a print.
pub(super) async fn statement_print(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((month, id)): Path<(String, String)>,
) -> Result<Response> {
    let month = path_month(&month)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let s = read(&state, &user, id, month, "print").await?;
    let (centre_name, centre_address) =
        crate::participants::centre_header(&state.db, user.centre_id).await?;
    render(&PrintPage {
        s,
        centre_name,
        centre_address,
        printed_at: dates::format_moment(state.clock.now()),
        printed_by: format!("{} ({})", user.full_name, user.role.label()),
    })
}
