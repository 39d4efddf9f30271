//! The retention periods (`/settings/retention`): the centre's rows per retention class, each
//! from a date and optionally to one, in months, with the archival rule it comes from, the row
//! in force today marked; and a form that adds a row. Rows are only added, never edited (a row
//! that should stop gets its successor, or was entered with its last day). Nothing is shipped:
//! a class without a row in force has no file ever due, and the page says so.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::{RetentionClass, optional_date};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors, choices, not_before};
use crate::web::page::{Layout, render_form};

/// The page.
pub(super) const PAGE: &str = "/settings/retention";
const TITLE: &str = "Okresy przechowywania teczek";

/// The longest period accepted: a hundred years.
const MONTHS_MAX: i32 = 1200;

/// A rule as listed.
struct RuleView {
    from: String,
    to: String,
    months: i32,
    source: String,
    in_force: bool,
}

/// A class with its rows.
struct ClassView {
    label: &'static str,
    rules: Vec<RuleView>,
    /// No row is in force today: nothing of the class is due.
    none_in_force: bool,
}

/// The form as posted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleInput {
    #[serde(default)]
    class: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    months: String,
    #[serde(default)]
    source: String,
}

/// A validated row.
#[derive(Debug, PartialEq, Eq)]
struct NewRule {
    class: RetentionClass,
    from: Date,
    to: Option<Date>,
    months: i32,
    source: String,
}

#[derive(Template)]
#[template(path = "retention/settings.html")]
struct SettingsPage {
    layout: Layout,
    classes: Vec<ClassView>,
    class_choices: Vec<Choice>,
    input: RuleInput,
    errors: FieldErrors,
}

/// A whole number of months from 1 to [`MONTHS_MAX`].
fn months(value: &str) -> Result<i32, String> {
    value
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (1..=MONTHS_MAX).contains(m))
        .ok_or_else(|| {
            format!(
                "Podaj okres w pełnych miesiącach: liczbę od 1 do {MONTHS_MAX} (np. 60 to 5 lat)."
            )
        })
}

impl RuleInput {
    fn check(&self) -> Result<NewRule, FieldErrors> {
        let mut errors = FieldErrors::new();
        let class = errors.take(
            "class",
            RetentionClass::from_code(&self.class)
                .ok_or_else(|| "Wybierz rodzaj dokumentacji z listy.".to_owned()),
        );
        let from = errors.take("valid_from", dates::parse(&self.valid_from));
        let to = errors.take(
            "valid_to",
            optional_date(&self.valid_to, |d| {
                not_before(d, from, "początek obowiązywania")
            }),
        );
        let months = errors.take("months", months(&self.months));
        let source = errors.take("source", validate::required_line(&self.source, 300));
        match (class, from, to, months, source) {
            (Some(class), Some(from), Some(to), Some(months), Some(source))
                if errors.is_empty() =>
            {
                Ok(NewRule {
                    class,
                    from,
                    to,
                    months,
                    source,
                })
            }
            _ => Err(errors),
        }
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    input: RuleInput,
    errors: FieldErrors,
) -> Result<Response> {
    let rows = sqlx::query!(
        r#"select class as "class: RetentionClass", valid_from, valid_to, months, source,
                  retention_rule_id = retention_rule_in_force(centre_id, class, $2) as "in_force!"
           from retention_rule where centre_id = $1
           order by class, valid_from desc"#,
        user.centre_id,
        state.today()
    )
    .fetch_all(&state.db)
    .await?;
    let classes = RetentionClass::ALL
        .iter()
        .map(|&class| {
            let rules: Vec<RuleView> = rows
                .iter()
                .filter(|r| r.class == class)
                .map(|r| RuleView {
                    from: dates::format(r.valid_from),
                    to: r.valid_to.map(dates::format).unwrap_or_default(),
                    months: r.months,
                    source: r.source.clone(),
                    in_force: r.in_force,
                })
                .collect();
            ClassView {
                label: class.label(),
                none_in_force: !rules.iter().any(|r| r.in_force),
                rules,
            }
        })
        .collect();
    let page = SettingsPage {
        layout: Layout::for_user(state, user, TITLE, "/settings"),
        classes,
        class_choices: choices::<RetentionClass>(&input.class),
        input,
        errors,
    };
    render_form(&page.errors, &page)
}

/// `GET /settings/retention`.
pub(super) async fn retention_settings(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response> {
    user.authorize(&state, Action::ManageRetention, Target::Centre)
        .await?;
    page(&state, &user, RuleInput::default(), FieldErrors::new()).await
}

/// `POST /settings/retention`: the centre's row of one class from a date.
pub(super) async fn add_retention_rule(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(input): SecureForm<RuleInput>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageRetention, Target::Centre)
        .await?;
    let rule = match input.check() {
        Ok(rule) => rule,
        Err(errors) => return page(&state, &user, input, errors).await,
    };
    let mut tx = state.db.begin().await?;
    let id: Option<Uuid> = sqlx::query_scalar!(
        "insert into retention_rule (centre_id, class, valid_from, valid_to, months, source, created_by)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict on constraint retention_rule_key do nothing
         returning retention_rule_id",
        user.centre_id,
        rule.class as RetentionClass,
        rule.from,
        rule.to,
        rule.months,
        rule.source,
        user.user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        let mut errors = FieldErrors::new();
        errors.add(
            "valid_from",
            "Okres tego rodzaju od tej daty jest już wpisany – wybierz inną datę.",
        );
        return page(&state, &user, input, errors).await;
    };
    let event = AuditEvent::new("retention.rules", Outcome::Success)
        .on("retention_rule", id)
        .detail(format!(
            "class={} valid_from={} valid_to={} months={}",
            rule.class.code(),
            dates::iso(rule.from),
            rule.to.map(dates::iso).unwrap_or_default(),
            rule.months
        ));
    let message = format!(
        "Od {} teczki tego rodzaju przechowuje się {} mies.",
        dates::format(rule.from),
        rule.months
    );
    finish(tx, &user, event, &message, PAGE).await
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input(months: &str, to: &str) -> RuleInput {
        RuleInput {
            class: "graduate_file".into(),
            valid_from: "01.01.2020".into(),
            valid_to: to.into(),
            months: months.into(),
            source: "Instrukcja kancelaryjna CIS, kat. B10".into(),
        }
    }

    #[test]
    fn a_period_is_a_whole_number_of_months_and_ends_after_it_starts() {
        assert_eq!(
            input("120", "").check(),
            Ok(NewRule {
                class: RetentionClass::GraduateFile,
                from: date!(2020 - 01 - 01),
                to: None,
                months: 120,
                source: "Instrukcja kancelaryjna CIS, kat. B10".into(),
            })
        );
        let errors = input("dziesięć lat", "31.12.2019").check().unwrap_err();
        assert_eq!(
            &errors["months"],
            "Podaj okres w pełnych miesiącach: liczbę od 1 do 1200 (np. 60 to 5 lat)."
        );
        assert!(errors["valid_to"].starts_with("Data nie może być wcześniejsza"));
        assert!(input("0", "").check().is_err());
        assert!(input("1201", "").check().is_err());
    }
}
