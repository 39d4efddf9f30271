//! One participant's attendance: a month as a calendar (weeks × days), the month's totals and
//! the corrections of its days. Part of the file: the read is audited like the file's.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, MonthMember};
use super::grid::{self, Cell};
use super::parse_month;
use crate::audit;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::domain::calendar;
use crate::error::{AppError, Result};
use crate::participants::access;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};
use crate::web::path::IdPath;

/// `?month=YYYY-MM` (default: this month).
#[derive(Debug, Default, Deserialize)]
pub(super) struct MonthQuery {
    #[serde(default)]
    month: String,
}

/// A day of the calendar (a week's days of another month are `None`).
struct CalendarDay {
    day: u8,
    cell: Cell,
    /// What the day's entry means, for those who do not see its code.
    description: String,
}

struct CorrectionLine {
    day: String,
    before: String,
    after: String,
    reason: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "attendance/person.html")]
struct PersonPage {
    layout: Layout,
    id: Uuid,
    name: String,
    title: String,
    previous: String,
    next: String,
    weeks: Vec<Vec<Option<CalendarDay>>>,
    totals: grid::Row,
    corrections: Vec<CorrectionLine>,
    statement: Option<String>,
}

fn described(status: Option<i8>, minutes: Option<i16>) -> String {
    match status.and_then(db::status_of) {
        Some(s) => {
            let (code, meaning) = grid::code(s, minutes.unwrap_or(0));
            if s == crate::domain::benefit::DayStatus::Present {
                format!("{meaning}: {code} h")
            } else {
                meaning.to_owned()
            }
        }
        None => "brak wpisu".to_owned(),
    }
}

/// `GET /participants/{id}/attendance`.
pub(super) async fn calendar_page(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(query): Query<MonthQuery>,
) -> Result<Response> {
    let today = state.today();
    let month = if query.month.is_empty() {
        crate::domain::calendar::month_start(today)
    } else {
        parse_month(&query.month).ok_or(AppError::NotFound)?
    };
    let facts = access::authorized(&state, &user, id, Action::ViewParticipantAttendance).await?;
    let last = calendar::month_end(month);
    let mut tx = state.db.begin().await?;
    audit::record_read(
        &mut *tx,
        &user.meta,
        access::view_event(&user, id).detail(format!("attendance {}", dates::iso(month))),
    )
    .await?;
    let person = sqlx::query!(
        r#"select surname, first_names, admitted_on, ended_on from participant
           where centre_id = $1 and participant_id = $2"#,
        user.centre_id,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let entries = db::entries(&mut *tx, &[id], month, last).await?;
    let changes = db::corrections(&mut *tx, id, month, last).await?;
    tx.commit().await?;
    let heads = grid::heads(&mut *state.db.acquire().await?, user.centre_id, month).await?;
    // The participant's days in the centre stand for the group's.
    let member = MonthMember {
        participant_id: id,
        surname: person.surname.clone(),
        first_names: person.first_names.clone(),
        member_from: person
            .admitted_on
            .unwrap_or(last.next_day().unwrap_or(last)),
        member_until: None,
        admitted_on: person
            .admitted_on
            .unwrap_or(last.next_day().unwrap_or(last)),
        ended_on: person.ended_on,
    };
    let mut rows = grid::rows(&[member], &entries, &heads, month, today);
    let mut totals = rows.pop().ok_or(AppError::NotFound)?;
    let mut cells = std::mem::take(&mut totals.cells).into_iter();
    let lead = usize::from(month.weekday().number_days_from_monday());
    let mut days: Vec<Option<CalendarDay>> = (0..lead).map(|_| None).collect();
    for head in &heads {
        if let Some(cell) = cells.next() {
            let description = match (&cell.title, cell.class) {
                (Some(title), _) => title.clone(),
                (None, "off") => head.title.clone(),
                (None, _) => cell.meaning.to_owned(),
            };
            days.push(Some(CalendarDay {
                day: head.day,
                cell,
                description,
            }));
        }
    }
    while !days.len().is_multiple_of(7) {
        days.push(None);
    }
    let mut weeks = Vec::new();
    let mut days = days.into_iter().peekable();
    while days.peek().is_some() {
        weeks.push(days.by_ref().take(7).collect());
    }
    let month_code = calendar::month_code;
    let previous = month
        .previous_day()
        .map_or(month, crate::domain::calendar::month_start);
    let next = last.next_day().unwrap_or(month);
    let statement = user
        .can(
            Action::ViewBenefitStatement,
            crate::auth::policy::Target::Participant(&facts),
        )
        .then(|| format!("/benefits/{}/{id}", month_code(month)));
    let name = format!("{} {}", person.surname, person.first_names);
    render(&PersonPage {
        layout: Layout::for_user(&state, &user, format!("Obecność: {name}"), "/participants"),
        id,
        name,
        title: calendar::month_title(month),
        previous: month_code(previous),
        next: month_code(next),
        weeks,
        totals,
        corrections: changes
            .into_iter()
            .map(|c| CorrectionLine {
                day: dates::format(c.day),
                before: described(c.old_status, c.old_minutes),
                after: described(Some(c.new_status), Some(c.new_minutes)),
                reason: c.reason,
                by: c.changed_by,
                at: dates::format_moment(c.changed_at),
            })
            .collect(),
        statement,
    })
}
