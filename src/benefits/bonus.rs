//! The motivational bonus (art. 15a): a decision record — who proposed it, the justification,
//! the amount, the manager's decision. Refused in the trial month and above the cap (the rule
//! in force), and in a closed month (reopen it first). One decision per participant and month;
//! saving again replaces it (audited with the values).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::compute::{self, Person};
use super::month::{month_code, path_month};
use super::rules::BenefitRules;
use crate::attendance::db::{lock_month, month_closed};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::benefit::{bonus_cap, bonus_check};
use crate::domain::money::{format_pln, parse_pln};
use crate::domain::{Role, calendar};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render, render_with_status};

/// The decision as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BonusForm {
    #[serde(default)]
    proposed_by: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    decision: String,
}

#[derive(Template)]
#[template(path = "benefits/bonus.html")]
struct BonusPage {
    layout: Layout,
    id: Uuid,
    month: String,
    name: String,
    title: String,
    cap: String,
    trial: bool,
    staff: Vec<Choice>,
    decisions: Vec<Choice>,
    form: BonusForm,
    errors: FieldErrors,
}

fn path(month: &str, id: &str) -> Result<(Date, Uuid)> {
    Ok((
        path_month(month)?,
        Uuid::parse_str(id).map_err(|_| AppError::NotFound)?,
    ))
}

/// The participant of the month, the cap and whether the month is a trial month.
async fn context(
    conn: &mut sqlx::PgConnection,
    centre_id: Uuid,
    month: Date,
    id: Uuid,
    today: Date,
) -> Result<(Person, crate::domain::benefit::BenefitRule)> {
    let person = compute::month(conn, centre_id, month, today, Some(id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?
        .person;
    let (first, _) = person.period(month);
    let rule = BenefitRules::load(conn, centre_id)
        .await?
        .on(first)
        .ok_or_else(|| AppError::conflict("Brak zasad świadczenia dla tego miesiąca."))?;
    Ok((person, rule))
}

fn trial_ends(person: &Person) -> Date {
    person
        .trial_ends_on
        .unwrap_or_else(|| dates::add_months(person.admitted_on, 1))
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    month: Date,
    id: Uuid,
    form: BonusForm,
    errors: FieldErrors,
) -> Result<BonusPage> {
    let mut conn = state.db.acquire().await?;
    let (person, rule) = context(&mut conn, user.centre_id, month, id, state.today()).await?;
    let staff = sqlx::query!(
        r#"select staff_user_id, full_name, role as "role: Role" from staff_user
           where centre_id = $1 and active and role not in ('admin', 'dpo') order by full_name"#,
        user.centre_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let staff = staff
        .into_iter()
        .map(|s| {
            let role = s.role.label();
            Choice::new(
                s.staff_user_id.to_string(),
                format!("{} ({role})", s.full_name),
                &form.proposed_by,
            )
        })
        .collect();
    let decisions = vec![
        Choice::new("granted", "Przyznaję premię", &form.decision),
        Choice::new("refused", "Odmawiam premii", &form.decision),
    ];
    Ok(BonusPage {
        layout: Layout::for_user(
            state,
            user,
            format!(
                "Premia motywacyjna: {} – {}",
                person.name(),
                calendar::month_title(month)
            ),
            "/benefits",
        ),
        id,
        month: month_code(month),
        name: person.name(),
        title: calendar::month_title(month),
        cap: format_pln(bonus_cap(&rule)),
        trial: crate::domain::benefit::is_trial_month(month, trial_ends(&person))
            && !rule.bonus_in_trial,
        staff,
        decisions,
        form,
        errors,
    })
}

/// `GET /benefits/{month}/{id}/bonus`.
pub(super) async fn bonus_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((month, id)): Path<(String, String)>,
) -> Result<Response> {
    let (month, id) = path(&month, &id)?;
    user.authorize(&state, Action::ManageBenefits, Target::Centre)
        .await?;
    let event = AuditEvent::new(Action::ViewBenefitStatement.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id)
        .detail(format!("bonus {}", month_code(month)));
    crate::audit::record_read(&state.db, &user.meta, event).await?;
    let existing = sqlx::query!(
        "select proposed_by, justification, amount_grosze, granted from bonus_decision
         where centre_id = $1 and participant_id = $2 and month = $3",
        user.centre_id,
        id,
        month
    )
    .fetch_optional(&state.db)
    .await?;
    let form = existing.map_or_else(BonusForm::default, |b| BonusForm {
        proposed_by: b.proposed_by.to_string(),
        justification: b.justification,
        amount: format_pln(i64::from(b.amount_grosze))
            .trim_end_matches("zł")
            .replace('\u{a0}', ""),
        decision: if b.granted { "granted" } else { "refused" }.to_owned(),
    });
    render(&page(&state, &user, month, id, form, FieldErrors::new()).await?)
}

/// `POST /benefits/{month}/{id}/bonus`.
pub(super) async fn save_bonus(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((month, id)): Path<(String, String)>,
    SecureForm(form): SecureForm<BonusForm>,
) -> Result<Response> {
    let (month, id) = path(&month, &id)?;
    user.authorize(&state, Action::ManageBenefits, Target::Centre)
        .await?;
    let mut tx = state.db.begin().await?;
    lock_month(&mut tx, user.centre_id, month, false).await?;
    let (person, rule) = context(&mut tx, user.centre_id, month, id, state.today()).await?;
    let mut errors = FieldErrors::new();
    if month_closed(&mut *tx, user.centre_id, month).await? {
        errors.add(
            "decision",
            format!(
                "Miesiąc {} jest zamknięty – decyzję o premii można zmienić po ponownym otwarciu miesiąca.",
                calendar::month_title(month)
            ),
        );
    }
    let proposer = Uuid::parse_str(form.proposed_by.trim()).ok();
    let proposer_ok = match proposer {
        Some(p) => sqlx::query_scalar!(
            r#"select exists (select 1 from staff_user where staff_user_id = $1 and centre_id = $2
                              and active and role not in ('admin', 'dpo')) as "ok!""#,
            p,
            user.centre_id
        )
        .fetch_one(&mut *tx)
        .await?,
        None => false,
    };
    if !proposer_ok {
        errors.add("proposed_by", "Wybierz osobę, która wnioskuje o premię.");
    }
    let justification = errors.take(
        "justification",
        validate::required_text(&form.justification, 2000).map_err(|_| {
            "Napisz uzasadnienie: postawa i postępy uczestnika w tym miesiącu.".to_owned()
        }),
    );
    let granted = match form.decision.as_str() {
        "granted" => Some(true),
        "refused" => Some(false),
        _ => {
            errors.add("decision", "Wybierz decyzję: przyznaję albo odmawiam.");
            None
        }
    };
    let amount = errors.take(
        "amount",
        parse_pln(&form.amount).and_then(|a| {
            if a > 100_000_000 {
                Err("Kwota jest zbyt duża – sprawdź ją.".to_owned())
            } else {
                Ok(a)
            }
        }),
    );
    if let (Some(amount), Some(true)) = (amount, granted)
        && let Err(message) = bonus_check(&rule, month, trial_ends(&person), amount)
    {
        errors.add("amount", message);
    }
    let (Some(justification), Some(granted), Some(amount), Some(proposer), true) =
        (justification, granted, amount, proposer, errors.is_empty())
    else {
        drop(tx);
        let page = page(&state, &user, month, id, form, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    sqlx::query!(
        "insert into bonus_decision (participant_id, month, centre_id, amount_grosze, justification,
                                     proposed_by, granted, decided_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (participant_id, month) do update
         set amount_grosze = excluded.amount_grosze, justification = excluded.justification,
             proposed_by = excluded.proposed_by, granted = excluded.granted,
             decided_by = excluded.decided_by, decided_at = now()",
        id,
        month,
        user.centre_id,
        i32::try_from(amount).unwrap_or(i32::MAX),
        justification,
        proposer,
        granted,
        user.user_id
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new("benefit.bonus", Outcome::Success)
        .on("participant", id)
        .participant(id)
        .detail(format!(
            "{} {} {amount}",
            month_code(month),
            if granted { "granted" } else { "refused" }
        ));
    let message = if granted {
        format!(
            "Przyznano premię {} za {}.",
            format_pln(amount),
            calendar::month_title(month)
        )
    } else {
        format!(
            "Zapisano odmowę premii za {}.",
            calendar::month_title(month)
        )
    };
    finish(
        tx,
        &user,
        event,
        &message,
        &format!("/benefits/{}/{id}", month_code(month)),
    )
    .await
}
