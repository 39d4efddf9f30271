//! Attendance in hours (issue 11): a group's day entered on one screen in one POST, the month
//! grid of a group, a participant's calendar, and corrections with a reason. A closed month
//! (see `benefits`) refuses changes until the manager reopens it.
//!
//! A group is a workshop. Its attendance is kept by the manager, its instructors and the social
//! workers (each for their own caseload's members: `policy::attendance_rows`).

pub mod calendar;
pub mod db;
mod grid;
mod inbox;
mod person;
mod sheet;

pub use inbox::inbox_items;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::auth::policy::{Action, Gate, Target, attendance_rows};
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::domain::calendar as days;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};
use crate::web::route::Route;

/// The attendance routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/attendance", Gate::ParticipantWork, index),
        Route::get(
            "/attendance/{workshop}/{day}",
            Gate::ParticipantWork,
            sheet::day_form,
        ),
        Route::post(
            "/attendance/{workshop}/{day}",
            Gate::ParticipantWork,
            sheet::save_day,
        ),
        Route::get(
            "/attendance/{workshop}/month/{month}",
            Gate::ParticipantWork,
            grid::month_grid,
        ),
        Route::get(
            "/attendance/{workshop}/month/{month}/print",
            Gate::ParticipantWork,
            grid::month_print,
        ),
        Route::get(
            "/participants/{id}/attendance",
            Gate::ParticipantFile,
            person::calendar_page,
        ),
    ]
}

pub(crate) use crate::domain::calendar::parse_month;

/// A group whose attendance the user may keep.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    workshop_id: Uuid,
    name: String,
}

/// Opens workshop `id` for keeping its attendance (the policy's answer audited on refusal).
async fn open(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<Group> {
    let found = db::workshop(&state.db, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    user.authorize(
        state,
        Action::RecordAttendance,
        Target::Workshop(&found.facts),
    )
    .await?;
    Ok(Group {
        workshop_id: id,
        name: found.name,
    })
}

/// The audit event of a read of a group's attendance (the members' names and absences).
fn read_event(
    user: &CurrentUser,
    workshop: Uuid,
    detail: String,
) -> crate::audit::AuditEvent<'static> {
    crate::audit::AuditEvent::new("attendance.view", crate::audit::Outcome::Success)
        .by(user.audit_actor())
        .on("workshop", workshop)
        .detail(detail)
}

#[derive(Template)]
#[template(path = "attendance/index.html")]
struct IndexPage {
    layout: Layout,
    today: String,
    today_title: String,
    groups: Vec<db::Group>,
    month: String,
    caseload_only: bool,
}

/// `GET /attendance`: the groups whose attendance the user keeps, each opening today's list.
async fn index(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    if !matches!(
        user.role,
        Role::Manager | Role::SocialWorker | Role::Instructor
    ) {
        user.authorize(&state, Action::RecordAttendance, Target::Centre)
            .await?;
    }
    let rows = attendance_rows(user.actor());
    let groups = db::groups(
        &state.db,
        user.centre_id,
        user.user_id,
        user.role == Role::Instructor,
        rows,
    )
    .await?;
    let today = state.today();
    if let (1, Role::Instructor, Some(only)) = (groups.len(), user.role, groups.first()) {
        let to = format!("/attendance/{}/{}", only.workshop_id, dates::iso(today));
        return Ok(Redirect::to(&to).into_response());
    }
    render(&IndexPage {
        layout: Layout::for_user(&state, &user, "Obecność", "/attendance"),
        today: dates::iso(today),
        today_title: format!(
            "{}, {}",
            days::weekday_name(today),
            days::day_in_words(today)
        ),
        groups,
        month: days::month_code(today),
        caseload_only: user.role == Role::SocialWorker,
    })
}
