//! The centre's settings ("Ustawienia CIS"), decided by its manager: the centre's address
//! (printed in the header of a printed file) and whether admission requires a complete
//! recruitment file (otherwise the manager admits with documents missing only after
//! confirming, by name, which are missing), and which opinions (psychologist's, career
//! advisor's, instructor's) an IPZS needs signed off before it is submitted (default: all
//! three), and how often at least a monitoring entry of a running IPZS is due (an
//! effective-dated rule: a change applies from today, earlier periods keep theirs). Changes are
//! audited with the old and new value.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::CurrentUser;
use crate::domain::OpinionKind;
use crate::error::Result;
use crate::state::AppState;
use crate::validate;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::route::Route;

/// `GET /settings` and `POST /settings`.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/settings", Gate::Staff, settings_form),
        Route::post("/settings", Gate::Staff, save_settings),
    ]
}

#[derive(Template)]
#[template(path = "settings/index.html")]
struct SettingsPage {
    layout: Layout,
    address: String,
    require_recruitment_documents: bool,
    /// (field name, label, ticked) of each kind of opinion.
    opinions: Vec<(String, &'static str, bool)>,
    /// The choices of the monitoring interval, the one in force selected.
    monitoring: Vec<Choice>,
    errors: FieldErrors,
}

/// The monitoring intervals a centre may choose (seed 002: at least quarterly).
const MONITORING_MONTHS: [i32; 3] = [1, 2, 3];

fn monitoring_choices(current: i32) -> Vec<Choice> {
    MONITORING_MONTHS
        .into_iter()
        .map(|m| {
            let label = match m {
                1 => "co miesiąc".to_owned(),
                3 => "co kwartał (co 3 miesiące)".to_owned(),
                m => format!("co {m} miesiące"),
            };
            Choice::new(m.to_string(), label, &current.to_string())
        })
        .collect()
}

/// The monitoring interval in force in the centre on `today`.
async fn monitoring_months(state: &AppState, user: &CurrentUser) -> Result<i32> {
    let rules = crate::ipzs::db::monitoring_rules(&state.db, user.centre_id).await?;
    Ok(rules.on(state.today()).map_or(3, |r| r.months))
}

/// The checkboxes of the required opinions, `required` ticked.
fn opinion_boxes(required: &[OpinionKind]) -> Vec<(String, &'static str, bool)> {
    OpinionKind::ALL
        .into_iter()
        .map(|k| {
            (
                format!("opinion_{}", k.code()),
                k.label(),
                required.contains(&k),
            )
        })
        .collect()
}

/// The settings form as posted (a checkbox is absent when unticked).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsForm {
    #[serde(default)]
    address: String,
    #[serde(default)]
    require_recruitment_documents: Option<String>,
    #[serde(default)]
    opinion_psychologist: Option<String>,
    #[serde(default)]
    opinion_career_advisor: Option<String>,
    #[serde(default)]
    opinion_instructor: Option<String>,
    /// Months; absent: unchanged.
    #[serde(default)]
    monitoring_months: String,
}

impl SettingsForm {
    /// The kinds of opinion ticked, in their order.
    fn required_opinions(&self) -> Vec<OpinionKind> {
        let ticked = [
            (OpinionKind::Psychologist, &self.opinion_psychologist),
            (OpinionKind::CareerAdvisor, &self.opinion_career_advisor),
            (OpinionKind::Instructor, &self.opinion_instructor),
        ];
        ticked
            .into_iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k)
            .collect()
    }
}

/// The centre's settings as stored.
#[derive(sqlx::FromRow)]
struct Stored {
    address: String,
    require_recruitment_documents: bool,
    required_opinions: Vec<OpinionKind>,
}

async fn stored(
    db: impl sqlx::PgExecutor<'_>,
    centre_id: uuid::Uuid,
    lock: bool,
) -> sqlx::Result<Stored> {
    let sql = if lock {
        "select address, require_recruitment_documents, required_opinions from centre where centre_id = $1 for update"
    } else {
        "select address, require_recruitment_documents, required_opinions from centre where centre_id = $1"
    };
    sqlx::query_as(sql).bind(centre_id).fetch_one(db).await
}

async fn settings_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::EditCentreSettings, Target::Centre)
        .await?;
    let now = stored(&state.db, user.centre_id, false).await?;
    render(&SettingsPage {
        layout: Layout::for_user(&state, &user, "Ustawienia CIS", "/settings"),
        address: now.address,
        require_recruitment_documents: now.require_recruitment_documents,
        opinions: opinion_boxes(&now.required_opinions),
        monitoring: monitoring_choices(monitoring_months(&state, &user).await?),
        errors: FieldErrors::new(),
    })
}

async fn save_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<SettingsForm>,
) -> Result<Response> {
    user.authorize(&state, Action::EditCentreSettings, Target::Centre)
        .await?;
    let required = form.require_recruitment_documents.is_some();
    let opinions = form.required_opinions();
    let mut errors = FieldErrors::new();
    let address = errors
        .take("address", validate::optional_line(&form.address, 300))
        .map(Option::unwrap_or_default);
    let in_force = monitoring_months(&state, &user).await?;
    let months = if form.monitoring_months.is_empty() {
        Some(in_force)
    } else {
        errors.take(
            "monitoring_months",
            form.monitoring_months
                .parse::<i32>()
                .ok()
                .filter(|m| MONITORING_MONTHS.contains(m))
                .ok_or_else(|| {
                    "Wybierz, co ile miesięcy najpóźniej jest potrzebny wpis monitoringu."
                        .to_owned()
                }),
        )
    };
    let (Some(address), Some(months)) = (address, months) else {
        let page = SettingsPage {
            layout: Layout::for_user(&state, &user, "Ustawienia CIS", "/settings"),
            address: form.address,
            require_recruitment_documents: required,
            opinions: opinion_boxes(&opinions),
            monitoring: monitoring_choices(in_force),
            errors,
        };
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let mut tx = state.db.begin().await?;
    let before = stored(&mut *tx, user.centre_id, true).await?;
    sqlx::query(
        "update centre set address = $2, require_recruitment_documents = $3, required_opinions = $4 \
         where centre_id = $1",
    )
    .bind(user.centre_id)
    .bind(&address)
    .bind(required)
    .bind(&opinions)
    .execute(&mut *tx)
    .await?;
    if months != in_force {
        // From today on; the periods before keep the rule they had.
        sqlx::query(
            "insert into monitoring_rule (centre_id, valid_from, months, source)
             values ($1, $2, $3, 'ustawienia CIS (kierownik)')
             on conflict (centre_id, valid_from) do update set months = excluded.months",
        )
        .bind(user.centre_id)
        .bind(state.today())
        .bind(months)
        .execute(&mut *tx)
        .await?;
    }
    let event = AuditEvent::new(Action::EditCentreSettings.code(), Outcome::Success)
        .on("centre", user.centre_id)
        .detail(format!(
            "require_recruitment_documents:{}->{required},required_opinions:{}->{},monitoring_months:{in_force}->{months},address:{}",
            before.require_recruitment_documents,
            codes(&before.required_opinions),
            codes(&opinions),
            if before.address == address {
                "same"
            } else {
                "changed"
            }
        ));
    finish(tx, &user, event, "Zapisano ustawienia.", "/settings").await
}

/// Kinds of opinion as codes, for the audit row (`-` for none).
fn codes(kinds: &[OpinionKind]) -> String {
    if kinds.is_empty() {
        return "-".to_owned();
    }
    kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join("+")
}
