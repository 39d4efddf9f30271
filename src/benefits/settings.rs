//! The benefit rules screen ("Zasady świadczenia integracyjnego", issue 11 item 3): the
//! unemployment benefit amounts and the rule rows that apply in the manager's centre, the
//! installation's and the centre's own, each with its source and the one in force today
//! marked; and two forms that add this centre's next amount (from the 1st of a month) or its
//! own rule row from a date.
//!
//! Invariants: rows are only added, never edited or deleted, so every month can be recomputed
//! under the rows it had. A row dated in the past applies to months not yet closed; a closed
//! month changes only through the recomputation's visible correction. Every addition is
//! audited with its values.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::CurrentUser;
use crate::benefits::rules::{BenefitRules, RuleRow};
use crate::domain::money::format_pln;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::route::Route;

mod form;

use form::{BaseForm, RuleForm};

const PAGE: &str = "/settings/benefits";
const TITLE: &str = "Zasady świadczenia integracyjnego";

/// `GET /settings/benefits`, `POST /settings/benefits/base`, `POST /settings/benefits/rule`.
pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::get(PAGE, Gate::Staff, benefit_rules),
        Route::post("/settings/benefits/base", Gate::Staff, add_base),
        Route::post("/settings/benefits/rule", Gate::Staff, add_rule),
    ]
}

/// An unemployment benefit amount as listed.
struct BaseView {
    from: String,
    amount: String,
    /// The integration benefit from that date under the rule then in force ("2 066,28 zł (120%)").
    benefit: String,
    source: String,
    origin: &'static str,
    in_force: bool,
}

/// A rule row as listed.
struct RuleView {
    from: String,
    lines: Vec<String>,
    source: String,
    origin: &'static str,
    in_force: bool,
}

#[derive(Template)]
#[template(path = "settings/benefits.html")]
struct BenefitRulesPage {
    layout: Layout,
    bases: Vec<BaseView>,
    rules: Vec<RuleView>,
    base: BaseForm,
    rule: RuleForm,
    errors: FieldErrors,
}

fn origin(centre_id: Option<Uuid>) -> &'static str {
    if centre_id.is_some() {
        "ten ośrodek"
    } else {
        "instalacja"
    }
}

/// The page with both tables, the forms as given and their messages.
async fn page(
    state: &AppState,
    user: &CurrentUser,
    base: BaseForm,
    rule: Option<RuleForm>,
    errors: FieldErrors,
) -> Result<BenefitRulesPage> {
    let mut conn = state.db.acquire().await?;
    let all = BenefitRules::load(&mut conn, user.centre_id).await?;
    drop(conn);
    let today = state.today();
    let base_now = all.bases.on(today);
    let mut bases: Vec<_> = all.bases.rows().iter().collect();
    bases.sort_by_key(|b| std::cmp::Reverse((b.valid_from, b.centre_id.is_some())));
    let bases = bases
        .into_iter()
        .map(|b| BaseView {
            from: dates::format(b.valid_from),
            amount: format_pln(i64::from(b.amount_grosze)),
            benefit: all.on(b.valid_from).map_or_else(String::new, |r| {
                format!("{} ({}%)", format_pln(r.base_grosze()), r.base_percent)
            }),
            source: b.source.clone(),
            origin: origin(b.centre_id),
            in_force: base_now.is_some_and(|now| std::ptr::eq(now, b)),
        })
        .collect();
    let rule_now: Option<&RuleRow> = all.rules.on(today);
    let mut rules: Vec<_> = all.rules.rows().iter().collect();
    rules.sort_by_key(|r| std::cmp::Reverse((r.valid_from, r.centre_id.is_some())));
    let rules = rules
        .into_iter()
        .map(|r| RuleView {
            from: dates::format(r.valid_from),
            lines: form::in_words(r),
            source: r.source.clone(),
            origin: origin(r.centre_id),
            in_force: rule_now.is_some_and(|now| std::ptr::eq(now, r)),
        })
        .collect();
    let rule = rule
        .or_else(|| rule_now.map(RuleForm::from_row))
        .unwrap_or_default();
    Ok(BenefitRulesPage {
        layout: Layout::for_user(state, user, TITLE, "/settings"),
        bases,
        rules,
        base,
        rule,
        errors,
    })
}

async fn benefit_rules(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ManageBenefits, Target::Centre)
        .await?;
    render(&page(&state, &user, BaseForm::default(), None, FieldErrors::new()).await?)
}

/// The page again with the input kept and the messages (422), nothing written.
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    base: BaseForm,
    rule: Option<RuleForm>,
    errors: FieldErrors,
) -> Result<Response> {
    let page = page(state, user, base, rule, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// A row from that date is in this centre already: the page again (422), nothing written.
async fn taken(
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
    state: &AppState,
    user: &CurrentUser,
    (base, rule): (BaseForm, Option<RuleForm>),
    (field, message): (&'static str, &str),
) -> Result<Response> {
    // The page reads with a connection of its own; this one goes back first.
    tx.rollback().await?;
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    refuse(state, user, base, rule, errors).await
}

async fn add_base(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<BaseForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageBenefits, Target::Centre)
        .await?;
    let new = match form.check() {
        Ok(new) => new,
        Err(errors) => return refuse(&state, &user, form, None, errors).await,
    };
    let mut tx = state.db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into unemployment_benefit (centre_id, valid_from, amount_grosze, source, created_by)
         values ($1, $2, $3, $4, $5)
         on conflict on constraint unemployment_benefit_key do nothing
         returning unemployment_benefit_id",
        user.centre_id,
        new.valid_from,
        new.amount_grosze,
        new.source,
        user.user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        let message = "Kwota od tej daty jest już wpisana dla tego ośrodka – wybierz inny miesiąc.";
        return taken(tx, &state, &user, (form, None), ("base_from", message)).await;
    };
    let event = AuditEvent::new(Action::ManageBenefits.code(), Outcome::Success)
        .on("unemployment_benefit", id)
        .detail(format!(
            "base valid_from={} amount_grosze={}",
            dates::iso(new.valid_from),
            new.amount_grosze
        ));
    let message = format!(
        "Dodano kwotę zasiłku {} od {}.",
        format_pln(i64::from(new.amount_grosze)),
        dates::format(new.valid_from)
    );
    finish(tx, &user, event, &message, PAGE).await
}

async fn add_rule(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<RuleForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageBenefits, Target::Centre)
        .await?;
    let r = match form.check() {
        Ok(r) => r,
        Err(errors) => return refuse(&state, &user, BaseForm::default(), Some(form), errors).await,
    };
    let mut tx = state.db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into benefit_rule (centre_id, valid_from, base_percent, days_off_allowance,
             unjustified_num, unjustified_den, forfeit_after, sick_num, sick_den, sick_day_limit,
             other_num, other_den, other_day_limit, proration_den, bonus_cap_percent,
             bonus_in_trial, pai_min_weekly_minutes, source, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         on conflict on constraint benefit_rule_key do nothing
         returning benefit_rule_id",
        user.centre_id,
        r.valid_from,
        r.base_percent,
        r.days_off_allowance,
        r.unjustified_num,
        r.unjustified_den,
        r.forfeit_after,
        r.sick_num,
        r.sick_den,
        r.sick_day_limit,
        r.other_num,
        r.other_den,
        r.other_day_limit,
        r.proration_den,
        r.bonus_cap_percent,
        r.bonus_in_trial,
        r.pai_min_weekly_minutes,
        r.source,
        user.user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        let message = "Zasady od tej daty są już wpisane dla tego ośrodka – wybierz inną datę.";
        let forms = (BaseForm::default(), Some(form));
        return taken(tx, &state, &user, forms, ("rule_from", message)).await;
    };
    let event = AuditEvent::new(Action::ManageBenefits.code(), Outcome::Success)
        .on("benefit_rule", id)
        .detail(format!("rule {}", form::audit_values(&r)));
    let message = format!(
        "Dodano zasady świadczenia od {}.",
        dates::format(r.valid_from)
    );
    finish(tx, &user, event, &message, PAGE).await
}
