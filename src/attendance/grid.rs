//! The month grid of a group (a column per day, a row per member, totals) and its print: the
//! attendance list per workshop and month with room for signatures.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use time::Date;
use uuid::Uuid;

use super::db::{self, MonthMember, Recorded};
use super::{Group, parse_month};
use crate::auth::policy::attendance_rows;
use crate::auth::session::CurrentUser;
use crate::domain::benefit::DayStatus;
use crate::domain::calendar;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::validate::hours;
use crate::web::page::{Layout, render};

/// The short code of a recorded day, with its meaning.
pub(super) fn code(status: DayStatus, minutes: i16) -> (String, &'static str) {
    match status {
        DayStatus::Present => (hours::format(i64::from(minutes)), "obecność (godziny)"),
        DayStatus::Sick => ("L4".into(), "zwolnienie lekarskie"),
        DayStatus::Justified => ("U".into(), "nieobecność usprawiedliwiona"),
        DayStatus::Unjustified => ("N".into(), "nieobecność nieusprawiedliwiona"),
        DayStatus::DayOff => ("W".into(), "dzień wolny"),
    }
}

/// One cell of the grid. Its day and person are the column's and row's headings; a title says
/// only what the cell's code cannot (the reason of a justified absence, a correction).
pub(super) struct Cell {
    pub text: String,
    /// What the code stands for.
    pub meaning: &'static str,
    pub title: Option<String>,
    /// Changed after the day.
    pub corrected: bool,
    pub class: &'static str,
}

/// A day's column heading.
pub(super) struct Head {
    pub day: u8,
    pub short: &'static str,
    pub iso: String,
    pub working: bool,
    pub title: String,
}

/// A member's row with totals.
pub(super) struct Row {
    pub participant_id: Uuid,
    pub name: String,
    pub cells: Vec<Cell>,
    pub present: usize,
    pub hours: String,
    pub sick: usize,
    pub justified: usize,
    pub unjustified: usize,
    pub day_off: usize,
    pub missing: usize,
}

/// The days of `month` with whether each is a working day of the centre (and why not).
pub(super) async fn heads(
    conn: &mut sqlx::PgConnection,
    centre_id: Uuid,
    month: Date,
) -> Result<Vec<Head>> {
    let last = calendar::month_end(month);
    let closed = super::calendar::closed_days(conn, centre_id, month, last).await?;
    Ok(heads_of(month, &closed))
}

/// The days of `month` with whether each is a working day, the centre being `closed` on some.
pub(super) fn heads_of(month: Date, closed: &[(Date, String)]) -> Vec<Head> {
    let last = calendar::month_end(month);
    let working = calendar::working_days(
        month,
        last,
        &closed.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
    );
    let mut heads = Vec::new();
    let mut day = month;
    while day <= last {
        let title = if let Some(name) = calendar::holiday(day) {
            name.to_owned()
        } else if let Some((_, reason)) = closed.iter().find(|(d, _)| *d == day) {
            format!("centrum zamknięte: {reason}")
        } else {
            calendar::weekday_name(day).to_owned()
        };
        heads.push(Head {
            day: day.day(),
            short: calendar::weekday_short(day),
            iso: dates::iso(day),
            working: working.contains(&day),
            title,
        });
        day = match day.next_day() {
            Some(next) => next,
            None => break,
        };
    }
    heads
}

/// The rows of `members` over `heads`, from their `entries`, as of `today`.
pub(super) fn rows(
    members: &[MonthMember],
    entries: &[Recorded],
    heads: &[Head],
    month: Date,
    today: Date,
) -> Vec<Row> {
    let by_day: HashMap<(Uuid, Date), &Recorded> = entries
        .iter()
        .map(|e| ((e.participant_id, e.day), e))
        .collect();
    members
        .iter()
        .map(|m| {
            let mut row = Row {
                participant_id: m.participant_id,
                name: format!("{} {}", m.surname, m.first_names),
                cells: Vec::new(),
                present: 0,
                hours: String::new(),
                sick: 0,
                justified: 0,
                unjustified: 0,
                day_off: 0,
                missing: 0,
            };
            let mut minutes = 0i64;
            for head in heads {
                let day = month.replace_day(head.day).unwrap_or(month);
                let entry = by_day.get(&(m.participant_id, day));
                // A day outside the membership is not this group's, whatever was recorded
                // for the person elsewhere (another workshop's day stays on its own list).
                let cell = match (
                    m.in_group(day),
                    entry.and_then(|e| db::status_of(e.status).map(|s| (s, e))),
                ) {
                    (true, Some((status, e))) => {
                        match status {
                            DayStatus::Present => {
                                row.present += 1;
                                minutes += i64::from(e.minutes);
                            }
                            DayStatus::Sick => row.sick += 1,
                            DayStatus::Justified => row.justified += 1,
                            DayStatus::Unjustified => row.unjustified += 1,
                            DayStatus::DayOff => row.day_off += 1,
                        }
                        let (text, meaning) = code(status, e.minutes);
                        let title = match (&e.reason, e.corrected) {
                            (None, false) => None,
                            (Some(reason), false) => Some(format!("{meaning} – {reason}")),
                            (None, true) => Some(format!("{meaning} (poprawiono po dniu)")),
                            (Some(reason), true) => {
                                Some(format!("{meaning} – {reason} (poprawiono po dniu)"))
                            }
                        };
                        Cell {
                            text,
                            meaning,
                            title,
                            corrected: e.corrected,
                            class: if status == DayStatus::Present {
                                "present"
                            } else {
                                "absent"
                            },
                        }
                    }
                    (false, _) => Cell {
                        text: String::new(),
                        meaning: "poza grupą",
                        title: None,
                        corrected: false,
                        class: "out",
                    },
                    (true, None) if !head.working => Cell {
                        text: String::new(),
                        meaning: "dzień wolny od pracy",
                        title: None,
                        corrected: false,
                        class: "off",
                    },
                    (true, None) if day <= today => {
                        row.missing += 1;
                        Cell {
                            text: "?".into(),
                            meaning: "brak wpisu",
                            title: None,
                            corrected: false,
                            class: "missing",
                        }
                    }
                    (true, None) => Cell {
                        text: String::new(),
                        meaning: "dzień jeszcze nie nadszedł",
                        title: None,
                        corrected: false,
                        class: "future",
                    },
                };
                row.cells.push(cell);
            }
            row.hours = hours::format(minutes);
            row
        })
        .collect()
}

#[derive(Template)]
#[template(path = "attendance/month.html")]
struct MonthPage {
    layout: Layout,
    workshop_id: Uuid,
    workshop_name: String,
    title: String,
    month: String,
    previous: String,
    next: String,
    heads: Vec<Head>,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "attendance/month_print.html")]
struct PrintPage {
    workshop_id: Uuid,
    month: String,
    workshop_name: String,
    title: String,
    heads: Vec<Head>,
    rows: Vec<Row>,
    centre_name: String,
    centre_address: String,
    printed_at: String,
    printed_by: String,
}

async fn load(
    state: &AppState,
    user: &CurrentUser,
    workshop: &str,
    month: &str,
    detail: &str,
) -> Result<(Group, Date, Vec<Head>, Vec<Row>)> {
    let workshop = Uuid::parse_str(workshop).map_err(|_| AppError::NotFound)?;
    let month = parse_month(month).ok_or(AppError::NotFound)?;
    let group = super::open(state, user, workshop).await?;
    let last = calendar::month_end(month);
    // One connection, no transaction: the members are read by the statement that writes the
    // read's audit row (nothing is read if it cannot be written), then their days.
    let event = super::read_event(
        user,
        workshop,
        format!("{detail} {}", calendar::month_code(month)),
    );
    let sheet = db::month_sheet(
        &mut *state.db.acquire().await?,
        (&user.meta, event),
        (user.centre_id, workshop),
        (month, last),
        attendance_rows(user.actor()),
    )
    .await?;
    // The closed days come with the members; without members they are read on their own (the
    // print still shows the month's columns).
    let heads = if sheet.members.is_empty() {
        heads(&mut *state.db.acquire().await?, user.centre_id, month).await?
    } else {
        heads_of(month, &sheet.closed)
    };
    let rows = rows(&sheet.members, &sheet.entries, &heads, month, state.today());
    Ok((group, month, heads, rows))
}

/// `GET /attendance/{workshop}/month/{month}`.
pub(super) async fn month_grid(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((workshop, month)): Path<(String, String)>,
) -> Result<Response> {
    let (group, month, heads, rows) = load(&state, &user, &workshop, &month, "month").await?;
    let previous = month
        .previous_day()
        .map_or(month, crate::domain::calendar::month_start);
    let next = calendar::month_end(month).next_day().unwrap_or(month);
    render(&MonthPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("Obecność: {}", group.name),
            "/attendance",
        ),
        workshop_id: group.workshop_id,
        workshop_name: group.name,
        title: calendar::month_title(month),
        month: calendar::month_code(month),
        previous: calendar::month_code(previous),
        next: calendar::month_code(next),
        heads,
        rows,
    })
}

/// `GET /attendance/{workshop}/month/{month}/print`: audited like every print.
pub(super) async fn month_print(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((workshop, month)): Path<(String, String)>,
) -> Result<Response> {
    let (group, month, heads, rows) = load(&state, &user, &workshop, &month, "print").await?;
    let (centre_name, centre_address) =
        crate::participants::centre_header(&state.db, user.centre_id).await?;
    render(&PrintPage {
        workshop_id: group.workshop_id,
        month: calendar::month_code(month),
        workshop_name: group.name,
        title: calendar::month_title(month),
        heads,
        rows,
        centre_name,
        centre_address,
        printed_at: dates::format_moment(state.clock.now()),
        printed_by: format!("{} ({})", user.full_name, user.role.label()),
    })
}
