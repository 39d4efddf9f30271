//! The follow-up part of the centre's settings (`/settings/follow-ups`): the schedule rows that
//! apply in the manager's centre — the installation's and the centre's own, each with its source
//! and the one in force today marked — and a form that adds the centre's own row from a date
//! with its tolerance window and closer-contact interval (the months of the schedule and the
//! length of the follow-up are copied from the row in force on that date).
//!
//! Rows are only added, never edited: a schedule made at a graduation keeps the row it was made
//! with, and every answer about a past day can be given again.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use time::Date;

use super::schedule::{FollowUpRules, Rule};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{FieldErrors, not_before};
use crate::web::page::{Layout, render_form};

/// The page.
pub(super) const PAGE: &str = "/settings/follow-ups";
const TITLE: &str = "Monitoring absolwentów – terminy";

/// A rule row as listed.
struct RuleView {
    from: String,
    months: String,
    window_days: i32,
    closer_days: i32,
    lasts_months: i32,
    source: String,
    origin: &'static str,
    in_force: bool,
}

/// The form as posted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleInput {
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    window_days: String,
    #[serde(default)]
    closer_days: String,
    #[serde(default)]
    source: String,
}

#[derive(Template)]
#[template(path = "follow_ups/settings.html")]
struct SettingsPage {
    layout: Layout,
    rules: Vec<RuleView>,
    input: RuleInput,
    errors: FieldErrors,
}

/// A whole number of days within `min..=max`.
fn days_between(value: &str, min: i32, max: i32) -> Result<i32, String> {
    value
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (min..=max).contains(d))
        .ok_or_else(|| format!("Podaj liczbę dni od {min} do {max}."))
}

/// The validated row: (from, window, closer interval, source).
type NewRule = (Date, i32, i32, String);

/// The widest tolerance window: below half the smallest gap between due dates (a quarter), so
/// that one contact cannot count for two of them (the table checks the same).
const WINDOW_MAX: i32 = 45;

impl RuleInput {
    /// The validated row; it applies from tomorrow at the earliest (the answers about days that
    /// have passed stay as they were given).
    fn check(&self, today: Date) -> Result<NewRule, FieldErrors> {
        let mut errors = FieldErrors::new();
        let tomorrow = today + time::Duration::days(1);
        let from = errors.take(
            "valid_from",
            dates::parse(&self.valid_from).and_then(|d| not_before(d, Some(tomorrow), "jutro")),
        );
        let window = errors.take(
            "window_days",
            days_between(&self.window_days, 0, WINDOW_MAX).map_err(|m| {
                format!("{m} Szersze okno łączyłoby kolejne kwartały w jeden kontakt.")
            }),
        );
        let closer = errors.take("closer_days", days_between(&self.closer_days, 7, 183));
        let source = errors.take("source", validate::required_line(&self.source, 300));
        match (from, window, closer, source) {
            (Some(f), Some(w), Some(c), Some(s)) if errors.is_empty() => Ok((f, w, c, s)),
            _ => Err(errors),
        }
    }

    fn from_rule(rule: &Rule) -> Self {
        Self {
            valid_from: String::new(),
            window_days: rule.window_days.to_string(),
            closer_days: rule.closer_days.to_string(),
            source: String::new(),
        }
    }
}

fn months_in_words(months: &[i32]) -> String {
    let list: Vec<String> = months.iter().map(ToString::to_string).collect();
    format!("po {} miesiącach", list.join(", "))
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    input: Option<RuleInput>,
    errors: FieldErrors,
) -> Result<Response> {
    let rules = FollowUpRules::load(&state.db, user.centre_id).await?;
    let now = rules.on(state.today());
    let mut rows: Vec<&Rule> = rules.rows().iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse((r.valid_from, r.centre_id.is_some())));
    let page = SettingsPage {
        layout: Layout::for_user(state, user, TITLE, "/settings"),
        rules: rows
            .into_iter()
            .map(|r| RuleView {
                from: dates::format(r.valid_from),
                months: months_in_words(&r.months),
                window_days: r.window_days,
                closer_days: r.closer_days,
                lasts_months: r.lasts_months,
                source: r.source.clone(),
                // Whom the row concerns.
                origin: if r.centre_id.is_some() {
                    "ten ośrodek"
                } else {
                    "instalacja"
                },
                in_force: now.is_some_and(|n| std::ptr::eq(n, r)),
            })
            .collect(),
        input: input
            .or_else(|| now.map(RuleInput::from_rule))
            .unwrap_or_default(),
        errors,
    };
    render_form(&page.errors, &page)
}

/// `GET /settings/follow-ups`.
pub(super) async fn follow_up_settings(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response> {
    user.authorize(&state, Action::EditCentreSettings, Target::Centre)
        .await?;
    page(&state, &user, None, FieldErrors::new()).await
}

/// `POST /settings/follow-ups`: the centre's own row from a date.
pub(super) async fn add_follow_up_rule(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(input): SecureForm<RuleInput>,
) -> Result<Response> {
    user.authorize(&state, Action::EditCentreSettings, Target::Centre)
        .await?;
    let (from, window_days, closer_days, source) = match input.check(state.today()) {
        Ok(rule) => rule,
        Err(errors) => return page(&state, &user, Some(input), errors).await,
    };
    let mut tx = state.db.begin().await?;
    let rules = FollowUpRules::load(&mut *tx, user.centre_id).await?;
    let Some(base) = rules.on(from) else {
        drop(tx);
        let mut errors = FieldErrors::new();
        errors.add(
            "valid_from",
            "Przed tą datą nie obowiązywał żaden harmonogram – wybierz późniejszą datę.",
        );
        return page(&state, &user, Some(input), errors).await;
    };
    let id = sqlx::query_scalar!(
        "insert into follow_up_rule (centre_id, valid_from, months, window_days, closer_days, lasts_months, source)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict on constraint follow_up_rule_key do nothing
         returning follow_up_rule_id",
        user.centre_id,
        from,
        &base.months,
        window_days,
        closer_days,
        base.lasts_months,
        source
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        let mut errors = FieldErrors::new();
        errors.add(
            "valid_from",
            "Zasady od tej daty są już wpisane dla tego ośrodka – wybierz inną datę.",
        );
        return page(&state, &user, Some(input), errors).await;
    };
    let event = AuditEvent::new(Action::EditCentreSettings.code(), Outcome::Success)
        .on("follow_up_rule", id)
        .detail(format!(
            "follow_up valid_from={} window_days={window_days} closer_days={closer_days}",
            dates::iso(from)
        ));
    let message = format!(
        "Od {} kontakt liczy się jako terminowy w ciągu {window_days} dni od terminu; częstszy kontakt co {closer_days} dni.",
        dates::format(from)
    );
    finish(tx, &user, event, &message, PAGE).await
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input(valid_from: &str, window_days: &str) -> RuleInput {
        RuleInput {
            valid_from: valid_from.into(),
            window_days: window_days.into(),
            closer_days: "21".into(),
            source: "Zarządzenie nr 5/2026".into(),
        }
    }

    #[test]
    fn a_row_applies_from_tomorrow_with_a_window_of_at_most_45_days() {
        let today = date!(2026 - 12 - 01);
        assert_eq!(
            input("02.12.2026", "45").check(today),
            Ok((
                date!(2026 - 12 - 02),
                45,
                21,
                "Zarządzenie nr 5/2026".into()
            ))
        );
        let errors = input("01.12.2026", "60").check(today).unwrap_err();
        assert_eq!(
            &errors["valid_from"],
            "Data nie może być wcześniejsza niż jutro (02.12.2026)."
        );
        assert_eq!(
            &errors["window_days"],
            "Podaj liczbę dni od 0 do 45. Szersze okno łączyłoby kolejne kwartały w jeden kontakt."
        );
    }
}
