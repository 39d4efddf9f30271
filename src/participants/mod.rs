//! Participants: the registry (list, search), registration, the participant's file and its
//! editing. The lifecycle (status changes, extensions, caseload, workshop, recruitment
//! documents) lives in `lifecycle`.
//!
//! Invariants: every query is scoped to the actor's centre; a file outside the actor's scope
//! answers 404; the file shows only the parts `policy::visible_fields` allows; every view of a
//! file writes its audit row in the same transaction as the read, before anything is shown;
//! names and PESEL numbers never appear in a URL (search is a POST, the list's cursor is an id).

pub mod db;
pub mod form;
mod lifecycle;
pub mod model;
pub mod pesel;
pub mod seed;
pub mod views;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Field, Target};
use crate::auth::session::{self, CurrentUser};
use crate::domain::Role;
use crate::domain::{Category, Sensitivity, Status};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;
use crate::web::route::Route;
use db::{ListFilter, Search, Sort};
use form::{Errors, ParticipantData, ParticipantForm};
use model::{Applicant, DocumentKind, Referrer};
use views::{ending_warning, opt_date};

/// The participant routes.
pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get("/participants", list_participants),
        Route::post("/participants/search", search_participants),
        Route::get("/participants/new", new_participant_form),
        Route::post("/participants", create_participant),
        Route::get("/participants/{id}", show_participant),
        Route::get("/participants/{id}/edit", edit_participant_form),
        Route::post("/participants/{id}", update_participant),
    ];
    routes.extend(lifecycle::routes());
    routes
}

/// Today in Poland, by the app's clock.
fn today(state: &AppState) -> Date {
    dates::polish_today(state.clock.now())
}

/// An option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|&v| Choice {
            value: code(v).into(),
            label: label(v).into(),
            selected: code(v) == selected,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// List and search

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    worker: String,
    #[serde(default)]
    workshop: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    after: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchForm {
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    worker: String,
    #[serde(default)]
    workshop: String,
    #[serde(default)]
    after: String,
}

/// A row of the list as shown.
struct ListRow {
    id: Uuid,
    name: String,
    status: &'static str,
    /// The actor may open the file.
    can_open: bool,
    /// Only name and status may be shown (another social worker's participant).
    limited: bool,
    worker: String,
    workshop: String,
    planned_end: String,
    warning: Option<String>,
}

#[derive(Template)]
#[template(path = "participants/index.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<ListRow>,
    total: String,
    q: String,
    search_error: Option<String>,
    searching: bool,
    statuses: Vec<Choice>,
    categories: Vec<Choice>,
    workers: Vec<Choice>,
    workshops: Vec<Choice>,
    sorts: Vec<Choice>,
    can_register: bool,
    is_social_worker: bool,
    next_after: Option<Uuid>,
    next_query: String,
}

/// Parsed list parameters and the query string that reproduces them (for links).
struct Parsed {
    filter: ListFilter,
    sort: Sort,
}

fn parse_filters(
    user: &CurrentUser,
    status: &str,
    category: &str,
    worker: &str,
    workshop: &str,
    sort: &str,
    after: &str,
) -> Result<Parsed> {
    let bad = || AppError::bad_request("Nieprawidłowy filtr listy uczestników.");
    let mut filter = ListFilter {
        status: match status {
            "" => None,
            s => Some(Status::from_code(s).ok_or_else(bad)?),
        },
        category: match category {
            "" => None,
            c => Some(Category::from_code(c).ok_or_else(bad)?),
        },
        worker: match worker {
            "" if user.role == Role::SocialWorker => Some(Some(user.user_id)),
            "" | "all" => None,
            "me" => Some(Some(user.user_id)),
            // Who looks after whom is not a social worker's business beyond their own caseload.
            _ if user.role == Role::SocialWorker => return Err(bad()),
            "none" => Some(None),
            id => Some(Some(Uuid::parse_str(id).map_err(|_| bad())?)),
        },
        workshop: match workshop {
            "" => None,
            id => Some(Uuid::parse_str(id).map_err(|_| bad())?),
        },
        after: match after {
            "" => None,
            id => Some(Uuid::parse_str(id).map_err(|_| bad())?),
        },
    };
    if filter.workshop.is_some() && user.role == Role::SocialWorker {
        // The workshop column of other workers' participants is hidden; so is filtering by it.
        filter.worker = Some(Some(user.user_id));
    }
    if let Some(category) = filter.category {
        // Filtering by a category reveals it: only within what the actor may see.
        match (user.role, category.sensitivity()) {
            (Role::Manager, _) => {}
            (Role::SocialWorker, _) => filter.worker = Some(Some(user.user_id)),
            (
                Role::Psychologist | Role::CareerAdvisor,
                Sensitivity::General | Sensitivity::Health,
            ) => {}
            _ => {
                return Err(AppError::bad_request(
                    "Nie możesz filtrować uczestników po tej kategorii.",
                ));
            }
        }
    }
    let sort = match sort {
        "" | "name" => Sort::Name,
        "newest" => Sort::Newest,
        "ending" => Sort::Ending,
        _ => return Err(bad()),
    };
    Ok(Parsed { filter, sort })
}

async fn list_participants(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::ListParticipants).await?;
    let parsed = parse_filters(
        &user,
        &query.status,
        &query.category,
        &query.worker,
        &query.workshop,
        &query.sort,
        &query.after,
    )?;
    list_page(
        &state,
        &user,
        query,
        parsed,
        Search::None,
        String::new(),
        None,
    )
    .await
}

fn parse_search(q: &str) -> std::result::Result<Search, &'static str> {
    let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
        if compact.len() < 4 || compact.len() > 11 {
            return Err("Podaj od 4 do 11 cyfr numeru PESEL.");
        }
        return Ok(Search::Pesel(compact));
    }
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let valid = |w: &String| {
        w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’' || c == '.')
    };
    if words.is_empty() || !words.iter().all(valid) || words.len() > 3 || q.chars().count() > 100 {
        return Err("Wpisz nazwisko, imię (albo oba) lub numer PESEL.");
    }
    if words.iter().map(|w| w.chars().count()).sum::<usize>() < 2 {
        return Err("Wpisz co najmniej 2 litery.");
    }
    Ok(match words.as_slice() {
        [one] => Search::OneWord(one.clone()),
        [a, b, ..] => Search::TwoWords(a.clone(), b.clone()),
        [] => Search::None,
    })
}

async fn search_participants(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<SearchForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ListParticipants).await?;
    let query = ListQuery {
        status: form.status.clone(),
        category: form.category.clone(),
        worker: if form.worker.is_empty() && user.role == Role::SocialWorker {
            "all".into()
        } else {
            form.worker.clone()
        },
        workshop: form.workshop.clone(),
        sort: String::new(),
        after: form.after.clone(),
    };
    let mut parsed = parse_filters(
        &user,
        &query.status,
        &query.category,
        &query.worker,
        &query.workshop,
        "",
        &query.after,
    )?;
    if form.q.trim().is_empty() {
        return Ok(Redirect::to("/participants").into_response());
    }
    let search = match parse_search(&form.q) {
        Ok(s) => s,
        Err(message) => {
            let parsed = parse_filters(
                &user,
                &query.status,
                &query.category,
                &query.worker,
                &query.workshop,
                "",
                "",
            )?;
            return list_page(
                &state,
                &user,
                query,
                parsed,
                Search::None,
                form.q.chars().take(100).collect(),
                Some(message.into()),
            )
            .await;
        }
    };
    if matches!(search, Search::Pesel(_)) {
        // A prefix that finds someone confirms digits of their PESEL: only roles that read
        // personal data may search by it, and a social worker only within their caseload.
        if !policy::may_search_by_pesel(user.role) {
            let parsed = parse_filters(
                &user,
                &query.status,
                &query.category,
                &query.worker,
                &query.workshop,
                "",
                "",
            )?;
            let message =
                "Wyszukiwanie po numerze PESEL nie jest dostępne w Twojej roli – wpisz nazwisko.";
            return list_page(
                &state,
                &user,
                query,
                parsed,
                Search::None,
                String::new(),
                Some(message.into()),
            )
            .await;
        }
        if user.role == Role::SocialWorker {
            parsed.filter.worker = Some(Some(user.user_id));
        }
    }
    let kind = if matches!(search, Search::Pesel(_)) {
        "pesel"
    } else {
        "name"
    };
    audit::record(
        &state.db,
        &user.meta,
        AuditEvent::new("participant.search", Outcome::Success)
            .by(user.audit_actor())
            .detail(kind),
    )
    .await?;
    list_page(
        &state,
        &user,
        query,
        parsed,
        search,
        form.q.chars().take(100).collect(),
        None,
    )
    .await
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    query: ListQuery,
    parsed: Parsed,
    search: Search,
    q: String,
    search_error: Option<String>,
) -> Result<Response> {
    let today = today(state);
    if !db::cursor_visible(
        &state.db,
        user.centre_id,
        user.role,
        user.user_id,
        &parsed.filter,
        &search,
    )
    .await?
    {
        return Err(AppError::bad_request(
            "Nieprawidłowy filtr listy uczestników.",
        ));
    }
    let (rows, more) = db::list(
        &state.db,
        user.centre_id,
        user.role,
        user.user_id,
        &parsed.filter,
        &search,
        parsed.sort,
    )
    .await?;
    let total = db::count(
        &state.db,
        user.centre_id,
        user.role,
        user.user_id,
        &parsed.filter,
        &search,
        parsed.sort,
    )
    .await?;
    let next_after = if more {
        rows.last().map(|r| r.participant_id)
    } else {
        None
    };
    let names = db::Names::load(&state.db, user.centre_id).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let limited =
                user.role == Role::SocialWorker && r.social_worker_id != Some(user.user_id);
            ListRow {
                id: r.participant_id,
                name: format!("{} {}", r.surname, r.first_names),
                status: r.status.label(),
                can_open: !limited,
                limited,
                worker: if limited {
                    String::new()
                } else {
                    names
                        .social_worker(r.social_worker_id)
                        .unwrap_or("–")
                        .to_owned()
                },
                workshop: if limited {
                    String::new()
                } else {
                    names.workshop(r.workshop_id).unwrap_or_default().to_owned()
                },
                planned_end: if limited || !r.status.is_active() {
                    String::new()
                } else {
                    opt_date(r.planned_end_on)
                },
                warning: if limited {
                    None
                } else {
                    ending_warning(r.status, r.planned_end_on, today)
                },
            }
        })
        .collect();
    let mut worker_choices = vec![
        Choice {
            value: "all".into(),
            label: "wszyscy".into(),
            selected: query.worker == "all",
        },
        Choice {
            value: "me".into(),
            label: "moi podopieczni".into(),
            selected: query.worker == "me"
                || (query.worker.is_empty() && user.role == Role::SocialWorker),
        },
        Choice {
            value: "none".into(),
            label: "bez przydzielonego pracownika".into(),
            selected: query.worker == "none",
        },
    ];
    worker_choices.extend(names.social_workers.iter().filter(|w| w.2).map(|w| Choice {
        selected: query.worker == w.0.to_string(),
        value: w.0.to_string(),
        label: w.1.clone(),
    }));
    let workshop_choices: Vec<Choice> = names
        .workshops
        .iter()
        .map(|w| Choice {
            selected: query.workshop == w.0.to_string(),
            value: w.0.to_string(),
            label: w.1.clone(),
        })
        .collect();
    let visible_categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| {
            matches!(
                (user.role, c.sensitivity()),
                (Role::Manager | Role::SocialWorker, _)
                    | (
                        Role::Psychologist | Role::CareerAdvisor,
                        Sensitivity::General | Sensitivity::Health
                    )
            )
        })
        .collect();
    let next_query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("status", query.status.as_str()),
            ("category", query.category.as_str()),
            ("worker", query.worker.as_str()),
            ("workshop", query.workshop.as_str()),
            ("sort", query.sort.as_str()),
        ])
        .finish();
    let searching = !matches!(search, Search::None);
    let page = ListPage {
        layout: Layout::for_user(
            state,
            user,
            if searching {
                "Wyniki wyszukiwania"
            } else {
                "Uczestnicy"
            },
            "/participants",
        ),
        rows,
        total: {
            let cap = if searching {
                db::SEARCH_COUNT_CAP
            } else {
                db::LIST_COUNT_CAP
            };
            if total > cap {
                format!("ponad {cap}")
            } else {
                total.to_string()
            }
        },
        q,
        search_error,
        searching,
        statuses: choices(&Status::ALL, Status::code, Status::label, &query.status),
        categories: choices(
            &visible_categories,
            Category::code,
            Category::label,
            &query.category,
        ),
        workers: worker_choices,
        workshops: workshop_choices,
        sorts: vec![
            Choice {
                value: "name".into(),
                label: "nazwisko (A–Ż)".into(),
                selected: parsed.sort == Sort::Name,
            },
            Choice {
                value: "newest".into(),
                label: "ostatnio zarejestrowani".into(),
                selected: parsed.sort == Sort::Newest,
            },
            Choice {
                value: "ending".into(),
                label: "najbliższy koniec udziału".into(),
                selected: parsed.sort == Sort::Ending,
            },
        ],
        can_register: policy::authorize(user.actor(), Action::RegisterParticipant, Target::Centre)
            .is_ok(),
        is_social_worker: user.role == Role::SocialWorker,
        next_after,
        next_query,
    };
    let status = if page.search_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_with_status(status, &page)
}

// ---------------------------------------------------------------------------------------------
// Registration and editing

#[derive(Template)]
#[template(path = "participants/form.html")]
struct FormPage {
    layout: Layout,
    /// `None`: registration; `Some(id)`: editing that participant.
    editing: Option<Uuid>,
    form: ParticipantForm,
    errors: Errors,
    existing: Option<Uuid>,
    categories: Vec<(Category, bool)>,
    applicants: Vec<Choice>,
    referrers: Vec<Choice>,
    sexes: Vec<Choice>,
    workers: Option<Vec<Choice>>,
    conflict: Vec<(&'static str, String, String)>,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    editing: Option<Uuid>,
    form: ParticipantForm,
    errors: Errors,
    existing: Option<Uuid>,
    conflict: Vec<(&'static str, String, String)>,
) -> Result<FormPage> {
    let workers = if editing.is_none() && user.role == Role::Manager {
        let list = db::social_workers(&state.db, user.centre_id).await?;
        Some(
            list.into_iter()
                .map(|w| Choice {
                    selected: form.social_worker == w.staff_user_id.to_string(),
                    value: w.staff_user_id.to_string(),
                    label: w.full_name,
                })
                .collect(),
        )
    } else {
        None
    };
    let title = if editing.is_some() {
        "Edycja danych uczestnika"
    } else {
        "Rejestracja kandydata"
    };
    Ok(FormPage {
        layout: Layout::for_user(state, user, title, "/participants"),
        editing,
        categories: Category::ALL
            .into_iter()
            .map(|c| (c, form.has(c)))
            .collect(),
        applicants: choices(
            &Applicant::ALL,
            Applicant::code,
            Applicant::label,
            &form.applicant,
        ),
        referrers: choices(
            &Referrer::ALL,
            Referrer::code,
            Referrer::label,
            &form.referrer,
        ),
        sexes: vec![
            Choice {
                value: "K".into(),
                label: "kobieta".into(),
                selected: form.sex == "K",
            },
            Choice {
                value: "M".into(),
                label: "mężczyzna".into(),
                selected: form.sex == "M",
            },
        ],
        workers,
        form,
        errors,
        existing,
        conflict,
    })
}

async fn new_participant_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response> {
    user.authorize(&state, Action::RegisterParticipant).await?;
    let page = form_page(
        &state,
        &user,
        None,
        ParticipantForm::blank(today(&state)),
        Errors::new(),
        None,
        Vec::new(),
    )
    .await?;
    render(&page)
}

async fn create_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<ParticipantForm>,
) -> Result<Response> {
    user.authorize(&state, Action::RegisterParticipant).await?;
    let today = today(&state);
    let mut errors = Errors::new();
    let data = form.validate(today).map_err(|e| errors = e).ok();
    // A social worker registers into their own caseload; a manager may pick the worker.
    let social_worker = match user.role {
        Role::SocialWorker => Some(user.user_id),
        _ => match form.social_worker_id() {
            Ok(None) => None,
            Ok(Some(id)) => {
                let valid = db::social_workers(&state.db, user.centre_id)
                    .await?
                    .iter()
                    .any(|w| w.staff_user_id == id);
                if !valid {
                    errors.insert(
                        "social_worker",
                        "Wybierz pracownika socjalnego z listy.".into(),
                    );
                }
                Some(id)
            }
            Err(e) => {
                errors.insert("social_worker", e);
                None
            }
        },
    };
    let Some(data) = data.filter(|_| errors.is_empty()) else {
        let page = form_page(&state, &user, None, form, errors, None, Vec::new()).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let mut tx = state.db.begin().await?;
    let inserted = db::insert(
        &mut tx,
        user.centre_id,
        &data,
        social_worker,
        user.user_id,
        data.referral_date,
    )
    .await;
    let existing = match inserted {
        Ok(Ok(id)) => {
            let event = AuditEvent::new(Action::RegisterParticipant.code(), Outcome::Success)
                .on("participant", id);
            return finish(tx, &user, id, event, "Kandydat został zarejestrowany.").await;
        }
        Ok(Err(existing)) => Some(existing),
        // Two registrations of the same PESEL at once: the second loses on the unique index.
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("participant_pesel_key") => None,
        Err(e) => return Err(e.into()),
    };
    drop(tx);
    let existing = match existing {
        Some(id) => Some(id),
        None => {
            sqlx::query_scalar!(
                "select participant_id from participant where centre_id = $1 and pesel = $2",
                user.centre_id,
                data.pesel
            )
            .fetch_optional(&state.db)
            .await?
        }
    };
    // The refusal confirms that the PESEL is registered here: it is audited, and the link to
    // the file is shown only to whom the file is open.
    let mut event = AuditEvent::new(Action::RegisterParticipant.code(), Outcome::Failure)
        .by(user.audit_actor())
        .detail("duplicate_pesel");
    let mut link = None;
    if let Some(id) = existing {
        event = event.participant(id).on("participant", id);
        let facts = db::facts(&state.db, user.centre_id, id, user.user_id).await?;
        link = facts
            .filter(|f| policy::sees_participant(user.actor(), &f.facts))
            .map(|_| id);
    }
    audit::record(&state.db, &user.meta, event).await?;
    let mut errors = Errors::new();
    errors.insert(
        "pesel",
        "Osoba o tym numerze PESEL jest już zarejestrowana w tym ośrodku.".into(),
    );
    let page = form_page(&state, &user, None, form, errors, link, Vec::new()).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Ends a successful write on a participant's file (Post/Redirect/Get): appends the audit row,
/// leaves the flash message for the next page, commits, and redirects back to the file.
pub(crate) async fn finish(
    mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
    user: &CurrentUser,
    id: Uuid,
    event: AuditEvent<'_>,
    message: &str,
) -> Result<Response> {
    audit::record(
        &mut *tx,
        &user.meta,
        event.by(user.audit_actor()).participant(id),
    )
    .await?;
    session::set_flash(&mut *tx, &user.session_hash, "success", message).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/participants/{id}")).into_response())
}

/// Begins a write on one participant: locks the row, checks the scope (404) and asks the
/// policy (403). A refusal ends the transaction before it is audited on a fresh connection,
/// so a request never holds two connections while it waits for the pool.
pub(crate) async fn begin_locked(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<(sqlx::Transaction<'static, sqlx::Postgres>, db::Facts)> {
    let mut tx = state.db.begin().await?;
    let facts = db::lock(&mut tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_scope = policy::sees_participant(user.actor(), &facts.facts);
    if in_scope
        && policy::authorize(user.actor(), action, Target::Participant(&facts.facts)).is_ok()
    {
        return Ok((tx, facts));
    }
    drop(tx);
    audit_denial(state, user, action, id).await?;
    Err(if in_scope {
        AppError::Forbidden
    } else {
        AppError::NotFound
    })
}

/// Loads the facts and checks the scope: outside it, the file does not exist (404).
async fn load_in_scope(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<db::Facts> {
    let facts = db::facts(&state.db, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::sees_participant(user.actor(), &facts.facts) {
        audit_denial(state, user, Action::ViewParticipant, id).await?;
        return Err(AppError::NotFound);
    }
    Ok(facts)
}

/// Records a refused action on a participant (on its own connection: the caller holds none).
async fn audit_denial(
    state: &AppState,
    user: &CurrentUser,
    action: Action,
    id: Uuid,
) -> Result<()> {
    tracing::warn!(user_id = %user.user_id, action = action.code(), "access denied");
    let event = AuditEvent::new(action.code(), Outcome::Denied)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id);
    audit::record(&state.db, &user.meta, event).await?;
    Ok(())
}

/// Reads the whole record for an editor's screen (the edit form, the conflict page), writing
/// the view's audit row first in the same transaction, like the file page does.
async fn read_audited(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    screen: &str,
) -> Result<db::Record> {
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut *tx,
        &user.meta,
        AuditEvent::new(Action::ViewParticipant.code(), Outcome::Success)
            .by(user.audit_actor())
            .on("participant", id)
            .participant(id)
            .detail(screen.to_owned()),
    )
    .await?;
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(record)
}

async fn edit_participant_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let facts = load_in_scope(&state, &user, id).await?;
    user.authorize_on(
        &state,
        Action::EditParticipant,
        Target::Participant(&facts.facts),
        Some(id),
    )
    .await?;
    let record = read_audited(&state, &user, id, "edit_form").await?;
    let form = ParticipantForm::from_data(&record.data(), record.version);
    render(
        &form_page(
            &state,
            &user,
            Some(id),
            form,
            Errors::new(),
            None,
            Vec::new(),
        )
        .await?,
    )
}

fn describe(d: &ParticipantData) -> Vec<(&'static str, String)> {
    vec![
        ("Nazwisko", d.surname.clone()),
        ("Imiona", d.first_names.clone()),
        ("PESEL", d.pesel.clone().unwrap_or_default()),
        ("Data urodzenia", dates::format(d.birth_date)),
        (
            "Dokument tożsamości",
            d.id_document.clone().unwrap_or_default(),
        ),
        ("Ulica i numer", d.address_street.clone()),
        ("Kod pocztowy", d.address_postal_code.clone()),
        ("Miejscowość", d.address_city.clone()),
        ("Właściwy OPS", d.responsible_ops.clone()),
        ("Telefon", d.phone.clone().unwrap_or_default()),
        (
            "Kategorie",
            d.categories
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            "Opis innej sytuacji",
            d.category_other.clone().unwrap_or_default(),
        ),
        (
            "Data oświadczenia (art. 1 ust. 3)",
            dates::format(d.no_exclusion_declared_on),
        ),
        ("Wniosek złożył", d.applicant.label().to_owned()),
        (
            "Instytucja wnioskująca",
            d.applicant_institution.clone().unwrap_or_default(),
        ),
        ("Skierował", d.referrer.label().to_owned()),
        ("Instytucja kierująca", d.referrer_institution.clone()),
        ("Data skierowania", dates::format(d.referral_date)),
        ("Data zgody", dates::format(d.consent_date)),
        ("Zakres zgody", d.consent_scope.clone()),
    ]
}

async fn update_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(mut form): SecureForm<ParticipantForm>,
) -> Result<Response> {
    let (mut tx, _) = begin_locked(&state, &user, id, Action::EditParticipant).await?;
    form.social_worker.clear();
    let data = match form.validate(today(&state)) {
        Ok(d) => d,
        Err(errors) => {
            drop(tx);
            let page = form_page(&state, &user, Some(id), form, errors, None, Vec::new()).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let saved = match db::update(
        &mut tx,
        user.centre_id,
        id,
        crate::validate::version(&form.version),
        &data,
    )
    .await
    {
        Ok(saved) => saved,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("participant_pesel_key") => {
            drop(tx);
            audit::record(
                &state.db,
                &user.meta,
                AuditEvent::new(Action::EditParticipant.code(), Outcome::Failure)
                    .by(user.audit_actor())
                    .on("participant", id)
                    .participant(id)
                    .detail("duplicate_pesel"),
            )
            .await?;
            let mut errors = Errors::new();
            errors.insert(
                "pesel",
                "Inna osoba o tym numerze PESEL jest już zarejestrowana w tym ośrodku.".into(),
            );
            let page = form_page(&state, &user, Some(id), form, errors, None, Vec::new()).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e.into()),
    };
    if !saved {
        drop(tx);
        // Someone saved first: show what is stored now next to the user's input, keep the input,
        // and let a deliberate second save overwrite (the form now carries the current version).
        let current = read_audited(&state, &user, id, "edit_conflict").await?;
        let conflict = describe(&current.data())
            .into_iter()
            .zip(describe(&data))
            .filter(|((_, now), (_, mine))| now != mine)
            .map(|((label, now), (_, mine))| (label, now, mine))
            .collect();
        form.version = current.version.to_string();
        let page = form_page(&state, &user, Some(id), form, Errors::new(), None, conflict).await?;
        return render_with_status(StatusCode::CONFLICT, &page);
    }
    finish(
        tx,
        &user,
        id,
        AuditEvent::new(Action::EditParticipant.code(), Outcome::Success).on("participant", id),
        "Zmiany zostały zapisane.",
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The file

/// A recruitment document slot of the checklist.
struct DocumentSlot {
    label: &'static str,
    code: &'static str,
    entries: Vec<db::Document>,
}

/// An action button the actor may use.
struct FileAction {
    href: String,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "participants/show.html")]
struct ShowPage {
    layout: Layout,
    p: db::Record,
    sees: Vec<Field>,
    status_label: &'static str,
    warning: Option<String>,
    categories_general: Vec<&'static str>,
    categories_health: Vec<&'static str>,
    categories_criminal: Vec<&'static str>,
    history: Vec<db::StatusChange>,
    extensions: Vec<db::Extension>,
    documents: Vec<DocumentSlot>,
    missing_documents: Vec<&'static str>,
    viewers: Vec<db::View>,
    actions: Vec<FileAction>,
    can_edit: bool,
    can_extend: bool,
    can_assign_worker: bool,
    can_add_document: bool,
    can_assign_workshop: bool,
}

impl ShowPage {
    fn shows(&self, field: Field) -> bool {
        self.sees.contains(&field)
    }

    fn date(&self, d: &Option<Date>) -> String {
        opt_date(*d)
    }

    fn fmt(&self, d: &Date) -> String {
        dates::format(*d)
    }

    fn moment(&self, t: &time::OffsetDateTime) -> String {
        let local = t.to_offset(time::UtcOffset::UTC);
        format!(
            "{} {:02}:{:02} UTC",
            dates::format(local.date()),
            local.hour(),
            local.minute()
        )
    }
}

async fn show_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    // Fail closed: scope check, audit row and reads share one transaction; the audit row goes
    // in before anything is read, and if it cannot be written nothing is shown.
    let mut tx = state.db.begin().await?;
    let facts = db::facts(&mut *tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if policy::authorize(
        user.actor(),
        Action::ViewParticipant,
        Target::Participant(&facts.facts),
    )
    .is_err()
    {
        drop(tx);
        audit_denial(&state, &user, Action::ViewParticipant, id).await?;
        return Err(AppError::NotFound);
    }
    let sees = policy::visible_fields(user.actor(), &facts.facts);
    let shown: Vec<&str> = std::iter::once("identity")
        .chain(sees.iter().map(|f| f.code()))
        .collect();
    audit::record(
        &mut *tx,
        &user.meta,
        AuditEvent::new(Action::ViewParticipant.code(), Outcome::Success)
            .by(user.audit_actor())
            .on("participant", id)
            .participant(id)
            .detail(shown.join(",")),
    )
    .await?;
    let p = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = if sees.contains(&Field::StatusHistory) {
        db::history(&mut *tx, id).await?
    } else {
        Vec::new()
    };
    let extensions = if sees.contains(&Field::Participation) {
        db::extensions(&mut *tx, id).await?
    } else {
        Vec::new()
    };
    let stored_documents = if sees.contains(&Field::RecruitmentDocuments) {
        db::documents(&mut *tx, id).await?
    } else {
        Vec::new()
    };
    let viewers = if sees.contains(&Field::FileAudit) {
        db::views(&mut *tx, user.centre_id, id).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;

    let actor = user.actor();
    let target = Target::Participant(&facts.facts);
    let allowed = |action: Action| policy::authorize(actor, action, target).is_ok();
    let mut actions = Vec::new();
    for (to, action, label) in [
        (
            Status::Reserve,
            Action::MoveToReserve,
            "Wpisz na listę rezerwową",
        ),
        (
            Status::Trial,
            Action::AdmitParticipant,
            "Przyjmij do CIS (okres próbny)",
        ),
        (
            Status::Participant,
            Action::ConfirmParticipant,
            "Zakończ okres próbny",
        ),
        (
            Status::Graduate,
            Action::GraduateParticipant,
            "Zakończ udział – absolwent",
        ),
        (
            Status::Terminated,
            Action::TerminateParticipant,
            "Przerwij udział",
        ),
    ] {
        if p.status.can_move_to(to) && allowed(action) {
            actions.push(FileAction {
                href: format!("/participants/{id}/status/{}", to.code()),
                label,
            });
        }
    }
    let documents: Vec<DocumentSlot> = DocumentKind::ALL
        .into_iter()
        .map(|kind| DocumentSlot {
            label: kind.label(),
            code: kind.code(),
            entries: stored_documents
                .iter()
                .filter(|d| d.kind == kind)
                .cloned()
                .collect(),
        })
        .collect();
    let missing_documents = documents
        .iter()
        .filter(|d| d.entries.is_empty())
        .map(|d| d.label)
        .collect();
    let pick = |s: Sensitivity| {
        p.categories
            .iter()
            .filter(|c| c.sensitivity() == s)
            .map(|c| c.label())
            .collect::<Vec<_>>()
    };
    let can_assign_worker = allowed(Action::AssignSocialWorker);
    let can_assign_workshop = allowed(Action::AssignWorkshop)
        && !matches!(p.status, Status::Graduate | Status::Terminated);
    let today = today(&state);
    let page = ShowPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("{} {}", p.surname, p.first_names),
            "/participants",
        ),
        status_label: p.status.label(),
        warning: if sees.contains(&Field::Participation) {
            ending_warning(p.status, p.planned_end_on, today)
        } else {
            None
        },
        categories_general: pick(Sensitivity::General),
        categories_health: pick(Sensitivity::Health),
        categories_criminal: pick(Sensitivity::Criminal),
        history,
        extensions,
        documents,
        missing_documents,
        viewers,
        actions,
        can_edit: allowed(Action::EditParticipant),
        can_extend: allowed(Action::ExtendParticipation)
            && p.status.is_active()
            && p.planned_end_on.is_some(),
        can_assign_worker,
        can_add_document: allowed(Action::AddRecruitmentDocument),
        can_assign_workshop,
        sees,
        p,
    };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_classified() {
        assert!(matches!(parse_search("8501"), Ok(Search::Pesel(p)) if p == "8501"));
        assert!(matches!(
            parse_search("850 112 345 67"),
            Ok(Search::Pesel(_))
        ));
        assert!(parse_search("850").is_err());
        assert!(matches!(parse_search("Kowal"), Ok(Search::OneWord(w)) if w == "kowal"));
        assert!(
            matches!(parse_search("Nowak anna"), Ok(Search::TwoWords(a, b)) if a == "nowak" && b == "anna")
        );
        assert!(parse_search("a").is_err());
        assert!(parse_search("' OR 1=1 --").is_err());
        assert!(parse_search("<script>").is_err());
    }
}
