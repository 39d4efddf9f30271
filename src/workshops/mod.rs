//! The centre's workshops (pracownie), set up by the manager: their names and instructors (a
//! workshop may have several; a workshop's instructors open its members' files), who is a
//! member from when to when (one membership at a time: joining a workshop ends the previous
//! one the day before, exactly as the file's placement does), the weekly programme of
//! activities in force from a month on, the activity types, and the centre's calendar. A
//! workshop with members cannot be archived. Every change is audited.

pub mod calendar;
pub mod db;
mod members;
mod plan;
mod types;

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Gate, Target, WorkshopFacts};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates, hours};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;
use crate::web::route::Route;

/// The workshop routes, the activity types and the calendar.
pub fn routes() -> Vec<Route> {
    use Gate::{ParticipantFile as One, ParticipantWork as Work};
    vec![
        Route::get("/workshops", Work, list_workshops),
        Route::post("/workshops", Work, create_workshop),
        Route::get("/workshops/{id}", One, show_workshop),
        Route::post("/workshops/{id}", One, update_workshop),
        Route::post("/workshops/{id}/members", One, members::add_member),
        Route::post("/workshops/{id}/members/end", One, members::end_member),
        Route::get("/workshops/{id}/plan", One, plan::plan_form),
        Route::post("/workshops/{id}/plan", One, plan::save_plan),
        Route::get("/activity-types", Work, types::list_types),
        Route::post("/activity-types", Work, types::add_type),
        Route::get("/calendar", Work, calendar::show_calendar),
        Route::post("/calendar", Work, calendar::add_closed_day),
        Route::post("/calendar/remove", Work, calendar::remove_closed_day),
    ]
}

/// A transaction holding a workshop's row lock.
type Tx = Transaction<'static, Postgres>;

fn facts(w: &db::Workshop) -> WorkshopFacts {
    WorkshopFacts {
        workshop_id: w.workshop_id,
        instructs: w.instructs,
    }
}

/// The workshop, once the policy has allowed managing it (404 outside the centre).
async fn authorized(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<db::Workshop> {
    let w = db::find(&state.db, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    user.authorize(state, Action::ManageWorkshops, Target::Workshop(&facts(&w)))
        .await?;
    Ok(w)
}

/// Begins a change of a workshop: its row locked, the policy asked (a refusal ends the
/// transaction before it is audited on a fresh connection).
async fn locked(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<(Tx, db::Workshop)> {
    let mut tx = state.db.begin().await?;
    let w = db::lock(&mut tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = facts(&w);
    if let Err(refusal) = policy::check(user.actor(), Action::ManageWorkshops, Target::Workshop(&f))
    {
        drop(tx);
        return Err(user
            .refused(
                state,
                Action::ManageWorkshops,
                Target::Workshop(&f),
                refusal,
            )
            .await);
    }
    Ok((tx, w))
}

/// The success event `code` on workshop `id`.
fn done(code: &'static str, id: Uuid) -> AuditEvent<'static> {
    AuditEvent::new(code, Outcome::Success).on("workshop", id)
}

/// The workshop form (new and edit) as posted: the name, `active` ticked (edit), and a
/// checkbox `i_<id>` for each chosen instructor.
#[derive(Debug, Default, Deserialize)]
struct WorkshopForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    active: String,
    #[serde(flatten)]
    chosen: BTreeMap<String, String>,
}

impl WorkshopForm {
    /// The ticked instructors; anything else in the form is a malformed request.
    fn instructor_ids(&self) -> Result<Vec<Uuid>> {
        let bad = || AppError::bad_request("Nieprawidłowy wybór instruktorów.");
        self.chosen
            .iter()
            .map(|(key, value)| {
                let id = key.strip_prefix("i_").ok_or_else(bad)?;
                if value != "on" {
                    return Err(bad());
                }
                Uuid::parse_str(id).map_err(|_| bad())
            })
            .collect()
    }
}

/// A checkbox of an instructor: (field name, name, ticked).
type Box3 = (String, String, bool);

fn instructor_boxes(all: &[db::Named], ticked: &[Uuid]) -> Vec<Box3> {
    all.iter()
        .map(|i| {
            (
                format!("i_{}", i.id),
                i.name.clone(),
                ticked.contains(&i.id),
            )
        })
        .collect()
}

/// A row of the list, formatted.
struct ListRow {
    id: Uuid,
    name: String,
    instructors: String,
    members: i64,
    weekly: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "workshops/index.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<ListRow>,
    name_input: String,
    instructors: Vec<Box3>,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    name: String,
    ticked: &[Uuid],
    errors: FieldErrors,
) -> Result<ListPage> {
    let rows = db::list(&state.db, user.centre_id, state.today())
        .await?
        .into_iter()
        .map(|r| ListRow {
            id: r.workshop_id,
            name: r.name,
            instructors: if r.instructors.is_empty() {
                "brak".into()
            } else {
                r.instructors
            },
            members: r.members,
            weekly: r.weekly_minutes.map_or_else(
                || "brak programu".into(),
                |m| format!("{} h", hours::format(m)),
            ),
            active: r.active,
        })
        .collect();
    let all = db::instructors(&state.db, user.centre_id).await?;
    Ok(ListPage {
        layout: Layout::for_user(state, user, "Pracownie", "/workshops"),
        rows,
        name_input: name,
        instructors: instructor_boxes(&all, ticked),
        errors,
    })
}

/// `GET /workshops`.
async fn list_workshops(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ManageWorkshops, Target::Centre)
        .await?;
    render(&list_page(&state, &user, String::new(), &[], FieldErrors::new()).await?)
}

/// Checks the name and the instructors (ids of `allowed`); the name or the messages.
async fn check_form(
    conn: &mut sqlx::PgConnection,
    centre_id: Uuid,
    form: &WorkshopForm,
    ids: &[Uuid],
    allowed: &[db::Named],
    except: Option<Uuid>,
) -> Result<std::result::Result<String, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let name = errors.take("name", validate::required_line(&form.name, 100));
    if let Some(name) = &name
        && db::name_taken(&mut *conn, centre_id, name, except).await?
    {
        errors.add(
            "name",
            "W ośrodku jest już pracownia o tej nazwie. Wpisz inną nazwę.",
        );
    }
    if ids.iter().any(|id| !allowed.iter().any(|a| a.id == *id)) {
        errors.add("instructors", "Wybierz instruktorów z listy.");
    }
    Ok(match name {
        Some(name) if errors.is_empty() => Ok(name),
        _ => Err(errors),
    })
}

/// The flash of a saved workshop (a warning when it has no instructor).
fn saved(what: &str, instructors: usize) -> String {
    if instructors == 0 {
        format!(
            "{what} Uwaga: pracownia nie ma instruktora – obecność wpisze kierownik lub pracownik socjalny."
        )
    } else {
        what.to_owned()
    }
}

/// `POST /workshops`.
async fn create_workshop(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<WorkshopForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageWorkshops, Target::Centre)
        .await?;
    let ids = form.instructor_ids()?;
    let mut tx = state.db.begin().await?;
    let allowed = db::instructors(&mut *tx, user.centre_id).await?;
    let name = match check_form(&mut tx, user.centre_id, &form, &ids, &allowed, None).await? {
        Ok(name) => name,
        Err(errors) => {
            drop(tx);
            let page = list_page(&state, &user, form.name, &ids, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let id = match db::insert(&mut tx, user.centre_id, &name).await {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("workshop_name_key") => {
            drop(tx);
            let mut errors = FieldErrors::new();
            errors.add(
                "name",
                "W ośrodku jest już pracownia o tej nazwie. Wpisz inną nazwę.",
            );
            let page = list_page(&state, &user, form.name, &ids, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e.into()),
    };
    db::set_instructors(&mut tx, user.centre_id, id, &ids).await?;
    let event = done("workshop.create", id).detail(format!("instructors:{}", ids.len()));
    let message = saved(&format!("Utworzono pracownię: {name}."), ids.len());
    finish(tx, &user, event, &message, &format!("/workshops/{id}")).await
}

/// A membership as the workshop page shows it.
struct MemberRow {
    participant_id: Uuid,
    name: String,
    from: String,
    until: String,
}

#[derive(Template)]
#[template(path = "workshops/show.html")]
struct ShowPage {
    layout: Layout,
    id: Uuid,
    name_input: String,
    active: bool,
    instructors: Vec<Box3>,
    has_instructor: bool,
    current: Vec<MemberRow>,
    past: Vec<MemberRow>,
    candidates: Vec<crate::web::forms::Choice>,
    /// The add-member form's input.
    add: members::AddForm,
    /// The programme in force: (from month, weekly hours), if any.
    plan: Option<(String, String)>,
    errors: FieldErrors,
}

/// The workshop page; `form` is the edit form's input (none: as stored).
async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    w: &db::Workshop,
    form: Option<&WorkshopForm>,
    add: members::AddForm,
    errors: FieldErrors,
) -> Result<ShowPage> {
    let today = state.today();
    let mut conn = state.db.acquire().await?;
    let current_instructors = db::instructors_of(&mut *conn, w.workshop_id).await?;
    let mut all = db::instructors(&mut *conn, user.centre_id).await?;
    for i in &current_instructors {
        if !all.iter().any(|a| a.id == i.id) {
            all.push(i.clone());
        }
    }
    let (name, active, ticked) = match form {
        Some(f) => (
            f.name.clone(),
            f.active == "on",
            f.instructor_ids().unwrap_or_default(),
        ),
        None => (
            w.name.clone(),
            w.active,
            current_instructors.iter().map(|i| i.id).collect(),
        ),
    };
    let since = dates::add_months(today, -12);
    let (mut current, mut past) = (Vec::new(), Vec::new());
    for m in db::members(&mut *conn, w.workshop_id, today, since).await? {
        let row = MemberRow {
            participant_id: m.participant_id,
            name: m.name,
            from: dates::format(m.member_from),
            until: m.member_until.map(dates::format).unwrap_or_default(),
        };
        if m.member_until.is_none_or(|u| u >= today) {
            current.push(row);
        } else {
            past.push(row);
        }
    }
    let candidates = db::candidates(&mut *conn, user.centre_id, w.workshop_id)
        .await?
        .into_iter()
        .map(|c| crate::web::forms::Choice::new(c.id.to_string(), c.name, &add.participant))
        .collect();
    let plan = db::plan_in_force(&mut conn, w.workshop_id, today)
        .await?
        .map(|(from, cells)| {
            let total: i64 = cells.iter().map(|c| i64::from(c.minutes)).sum();
            (plan::month_label(from), hours::format(total))
        });
    Ok(ShowPage {
        layout: Layout::for_user(state, user, format!("Pracownia: {}", w.name), "/workshops"),
        id: w.workshop_id,
        name_input: name,
        active,
        has_instructor: !ticked.is_empty(),
        instructors: instructor_boxes(&all, &ticked),
        current,
        past,
        candidates,
        add,
        plan,
        errors,
    })
}

/// `GET /workshops/{id}`.
async fn show_workshop(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let w = authorized(&state, &user, id).await?;
    let add = members::AddForm::today(state.today());
    render(&show_page(&state, &user, &w, None, add, FieldErrors::new()).await?)
}

/// `POST /workshops/{id}`: name, instructors, active.
async fn update_workshop(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<WorkshopForm>,
) -> Result<Response> {
    let (mut tx, w) = locked(&state, &user, id).await?;
    let ids = form.instructor_ids()?;
    let mut allowed = db::instructors(&mut *tx, user.centre_id).await?;
    allowed.extend(db::instructors_of(&mut *tx, id).await?);
    let active = form.active == "on";
    let mut checked = check_form(&mut tx, user.centre_id, &form, &ids, &allowed, Some(id)).await?;
    if w.active && !active {
        let members = db::current_members(&mut *tx, id, state.today()).await?;
        if members > 0 {
            let mut errors = checked.err().unwrap_or_default();
            errors.add(
                "active",
                format!("Nie można zarchiwizować pracowni, w której są uczestnicy ({members}). Najpierw zakończ ich udział w pracowni."),
            );
            checked = Err(errors);
        }
    }
    let name = match checked {
        Ok(name) => name,
        Err(errors) => {
            drop(tx);
            let add = members::AddForm::today(state.today());
            let page = show_page(&state, &user, &w, Some(&form), add, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    db::update(&mut tx, id, &name, active).await?;
    db::set_instructors(&mut tx, user.centre_id, id, &ids).await?;
    let event = done("workshop.update", id).detail(format!(
        "active:{}->{active},instructors:{},name:{}",
        w.active,
        ids.len(),
        if name == w.name { "same" } else { "changed" }
    ));
    let message = saved(&format!("Zapisano pracownię: {name}."), ids.len());
    finish(tx, &user, event, &message, &format!("/workshops/{id}")).await
}
