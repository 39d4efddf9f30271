//! A workshop's weekly programme (art. 14 ust. 1 ustawy o zatrudnieniu socjalnym: the head sets
//! the programme; 30–40 hours a week in the centre): hours of each activity type on each
//! weekday, in force from the first day of a month until the next programme. Saving replaces
//! that month's programme in one transaction; a month in the past is refused. A weekly total
//! outside 30–40 hours is a warning, not a refusal (a participant with a disability limit has
//! their own limits).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::{authorized, db, done, locked};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::hours;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The weekdays a programme plans: Monday to Saturday.
const WEEKDAYS: [(i16, &str); 6] = [
    (1, "Poniedziałek"),
    (2, "Wtorek"),
    (3, "Środa"),
    (4, "Czwartek"),
    (5, "Piątek"),
    (6, "Sobota"),
];

/// The weekly hours art. 14 ust. 1 expects, in minutes.
const WEEKLY: std::ops::RangeInclusive<i64> = 30 * 60..=40 * 60;

/// "1 listopada 2026": the first day of a programme.
pub(super) fn month_label(first: Date) -> String {
    crate::domain::calendar::day_in_words(first)
}

/// The first day of a month typed as `YYYY-MM`.
fn parse_month(value: &str) -> std::result::Result<Date, String> {
    crate::domain::calendar::parse_month(value)
        .ok_or_else(|| "Wybierz miesiąc w formacie rrrr-mm, np. 2026-11.".to_owned())
}

/// `?month=YYYY-MM`.
#[derive(Debug, Deserialize)]
pub(super) struct MonthQuery {
    #[serde(default)]
    month: String,
}

/// The programme form as posted: the month, and `m_<weekday>_<activity type>` hours.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PlanForm {
    #[serde(default)]
    month: String,
    #[serde(flatten)]
    cells: BTreeMap<String, String>,
}

fn cell_name(weekday: i16, activity: Uuid) -> String {
    format!("m_{weekday}_{activity}")
}

/// One input of the table.
struct Cell {
    name: String,
    label: String,
    value: String,
}

/// One row (weekday) of the table.
struct DayRow {
    day: &'static str,
    cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "workshops/plan.html")]
struct PlanPage {
    layout: Layout,
    id: Uuid,
    workshop: String,
    month: String,
    types: Vec<String>,
    rows: Vec<DayRow>,
    /// The programme in force in the chosen month: (from, weekly hours, warning).
    in_force: Option<(String, String, Option<String>)>,
    errors: FieldErrors,
}

/// The warning of a weekly total outside 30–40 hours.
fn weekly_warning(total: i64) -> Option<String> {
    (!WEEKLY.contains(&total)).then(|| {
        format!(
            "Tygodniowo {} h – poza zakresem 30–40 godzin (art. 14 ust. 1 ustawy o zatrudnieniu socjalnym).",
            hours::format(total)
        )
    })
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    w: &db::Workshop,
    first: Option<Date>,
    form: Option<&PlanForm>,
    errors: FieldErrors,
) -> Result<PlanPage> {
    let mut conn = state.db.acquire().await?;
    let types = db::activity_types(&mut *conn, user.centre_id).await?;
    let on = first.unwrap_or_else(|| crate::domain::calendar::month_start(state.today()));
    let in_force = db::plan_in_force(&mut conn, w.workshop_id, on).await?;
    let stored: BTreeMap<String, String> = in_force
        .iter()
        .flat_map(|(_, cells)| cells.iter())
        .map(|c| {
            (
                cell_name(c.weekday, c.activity_type_id),
                hours::format(c.minutes.into()),
            )
        })
        .collect();
    let values = form.map_or(&stored, |f| &f.cells);
    let rows = WEEKDAYS
        .iter()
        .map(|(d, day)| DayRow {
            day,
            cells: types
                .iter()
                .map(|t| {
                    let name = cell_name(*d, t.activity_type_id);
                    Cell {
                        label: format!("{day} – {} (godziny)", t.name),
                        value: values.get(&name).cloned().unwrap_or_default(),
                        name,
                    }
                })
                .collect(),
        })
        .collect();
    let in_force = in_force.map(|(from, cells)| {
        let total: i64 = cells.iter().map(|c| i64::from(c.minutes)).sum();
        (
            month_label(from),
            hours::format(total),
            weekly_warning(total),
        )
    });
    Ok(PlanPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Program tygodniowy: {}", w.name),
            "/workshops",
        ),
        id: w.workshop_id,
        workshop: w.name.clone(),
        month: form.map_or_else(
            || crate::domain::calendar::month_code(on),
            |f| f.month.clone(),
        ),
        types: types.into_iter().map(|t| t.name).collect(),
        rows,
        in_force,
        errors,
    })
}

/// `GET /workshops/{id}/plan?month=YYYY-MM`.
pub(super) async fn plan_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(query): Query<MonthQuery>,
) -> Result<Response> {
    let w = authorized(&state, &user, id).await?;
    let first = parse_month(&query.month).ok();
    render(&plan_page(&state, &user, &w, first, None, FieldErrors::new()).await?)
}

/// The cells of the form, checked against the activity types; or the messages.
fn cells(
    form: &PlanForm,
    types: &[db::ActivityType],
) -> std::result::Result<Vec<db::PlanCell>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut cells = Vec::new();
    for (name, raw) in &form.cells {
        let parsed = name
            .strip_prefix("m_")
            .and_then(|rest| rest.split_once('_'))
            .and_then(|(d, t)| Some((d.parse::<i16>().ok()?, Uuid::parse_str(t).ok()?)))
            .filter(|(d, t)| (1..=6).contains(d) && types.iter().any(|a| a.activity_type_id == *t));
        let Some((weekday, activity_type_id)) = parsed else {
            errors.add("month", "Formularz zawiera nieznane pole – odśwież stronę.");
            continue;
        };
        if raw.trim().is_empty() || raw.trim() == "0" {
            continue;
        }
        match hours::parse(raw, 15, 720) {
            Ok(minutes) => cells.push(db::PlanCell {
                weekday,
                activity_type_id,
                minutes,
            }),
            Err(message) => errors.add(name.clone(), message),
        }
    }
    for (d, day) in WEEKDAYS {
        let total: i32 = cells
            .iter()
            .filter(|c| c.weekday == d)
            .map(|c| i32::from(c.minutes))
            .sum();
        if total > 720 {
            let first = types
                .first()
                .map(|t| cell_name(d, t.activity_type_id))
                .unwrap_or_default();
            errors.add(first, format!("{day}: razem więcej niż 12 godzin zajęć."));
        }
    }
    if cells.is_empty() && errors.is_empty() {
        errors.add("month", "Wpisz godziny co najmniej jednych zajęć.");
    }
    if errors.is_empty() {
        Ok(cells)
    } else {
        Err(errors)
    }
}

/// `POST /workshops/{id}/plan`.
pub(super) async fn save_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<PlanForm>,
) -> Result<Response> {
    let (mut tx, w) = locked(&state, &user, id).await?;
    let types = db::activity_types(&mut *tx, user.centre_id).await?;
    let mut errors = FieldErrors::new();
    let first = errors.take(
        "month",
        parse_month(&form.month).and_then(|m| {
            if m < crate::domain::calendar::month_start(state.today()) {
                Err("Program obowiązuje od bieżącego lub przyszłego miesiąca.".to_owned())
            } else {
                Ok(m)
            }
        }),
    );
    let checked = cells(&form, &types);
    if let Err(more) = &checked {
        errors.merge(more);
    }
    let (Some(first), Ok(cells), true) = (first, checked, errors.is_empty()) else {
        drop(tx);
        let page = plan_page(&state, &user, &w, first, Some(&form), errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    db::save_plan(&mut tx, user.centre_id, id, first, &cells).await?;
    let total: i64 = cells.iter().map(|c| i64::from(c.minutes)).sum();
    let event = done("workshop.plan_save", id).detail(format!(
        "valid_from:{},weekly_minutes:{total}",
        crate::domain::calendar::month_code(first)
    ));
    let mut message = format!(
        "Zapisano program tygodniowy od {}: {} h tygodniowo.",
        month_label(first),
        hours::format(total)
    );
    if let Some(warning) = weekly_warning(total) {
        message = format!("{message} Uwaga: {warning}");
    }
    let to = format!(
        "/workshops/{id}/plan?month={}",
        crate::domain::calendar::month_code(first)
    );
    finish(tx, &user, event, &message, &to).await
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_parse_and_label_in_polish() {
        assert_eq!(parse_month("2026-11"), Ok(date!(2026 - 11 - 01)));
        assert!(parse_month("2026-13").is_err());
        assert!(parse_month("listopad").is_err());
        assert_eq!(month_label(date!(2026 - 09 - 01)), "1 września 2026");
        assert!(weekly_warning(30 * 60).is_none());
        assert!(weekly_warning(41 * 60).is_some());
    }
}
