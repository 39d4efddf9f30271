//! The participant list and search. Names and PESEL numbers never appear in a URL: search is a
//! POST and the list's cursor is an id. What a role may list, filter by and see of a row comes
//! from the policy (`list_scope`, `narrow_caseload`, `row_view`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, ListFilter, Search, Sort, StatusFilter};
use super::views::{ending_warning, opt_date, status_label};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{
    self, Action, CaseloadFilter, FilterRefusal, RowView, Target, filterable_categories,
};
use crate::auth::session::CurrentUser;
use crate::domain::fold::fold;
use crate::domain::{Category, Role, Status};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, choices, choices_of};
use crate::web::page::{Layout, render_with_status};

/// The list's parameters: filters, order and cursor in the query string of `GET`; the same
/// with the search words in the body of the search `POST` (the words never reach a URL).
#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
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
    sort: String,
    #[serde(default)]
    after: String,
}

/// `GET /participants`.
pub(super) async fn list_participants(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response> {
    let parsed = parse_filters(&state, &user, &query).await?;
    list_page(
        &state,
        &user,
        &query,
        parsed,
        Search::None,
        String::new(),
        None,
    )
    .await
}

/// `POST /participants/search`.
pub(super) async fn search_participants(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<ListQuery>,
) -> Result<Response> {
    // A social worker searches the whole centre by name unless they narrow it.
    let worker = match form.worker.as_str() {
        "" if user.role == Role::SocialWorker => "all".to_owned(),
        w => w.to_owned(),
    };
    // A search looks for a person whatever their status.
    let status = match form.status.as_str() {
        "" => "all".to_owned(),
        s => s.to_owned(),
    };
    let query = ListQuery {
        worker,
        status,
        sort: String::new(),
        ..form
    };
    let mut parsed = parse_filters(&state, &user, &query).await?;
    if query.q.trim().is_empty() {
        return Ok(Redirect::to("/participants").into_response());
    }
    let typed: String = query.q.chars().take(100).collect();
    let search = match parse_search(&query.q) {
        Ok(Search::Pesel(_)) if !policy::may_search_by_pesel(user.role) => Err((
            String::new(),
            "Wyszukiwanie po numerze PESEL nie jest dostępne w Twojej roli – wpisz nazwisko.",
        )),
        Ok(search) => Ok(search),
        Err(message) => Err((typed.clone(), message)),
    };
    let search = match search {
        Ok(search) => search,
        Err((kept, message)) => {
            // The list without a search, and the message (422).
            parsed.filter.after = None;
            let refused = Some(message.to_owned());
            return list_page(&state, &user, &query, parsed, Search::None, kept, refused).await;
        }
    };
    let by_pesel = matches!(search, Search::Pesel(_));
    if by_pesel {
        // A prefix that finds someone confirms digits of their PESEL: a social worker searches
        // by it only within their caseload.
        let narrowed = narrow(&user, parsed.requested, &parsed.filter, true)?;
        parsed.filter.worker = worker_filter(&user, narrowed);
    }
    list_page(&state, &user, &query, parsed, search, typed, None).await
}

/// Validated list parameters.
pub(super) struct Parsed {
    filter: ListFilter,
    sort: Sort,
    /// The caseload the user asked for, before the policy narrowed it.
    requested: Option<CaseloadFilter>,
}

fn bad_filter() -> AppError {
    AppError::bad_request("Nieprawidłowy filtr listy uczestników.")
}

fn parse_uuid(raw: &str) -> Result<Option<Uuid>> {
    match raw {
        "" => Ok(None),
        id => Uuid::parse_str(id).map(Some).map_err(|_| bad_filter()),
    }
}

/// Asks the policy whether the user may list participants at all, then validates the filters
/// and narrows them to what the user may see.
async fn parse_filters(state: &AppState, user: &CurrentUser, query: &ListQuery) -> Result<Parsed> {
    user.authorize(state, Action::ListParticipants, Target::Centre)
        .await?;
    let mut filter = ListFilter {
        // The list shows who is in the programme now unless asked for more.
        status: match query.status.as_str() {
            "" | "active" => StatusFilter::Active,
            "all" => StatusFilter::Any,
            s => StatusFilter::One(Status::from_code(s).ok_or_else(bad_filter)?),
        },
        category: match query.category.as_str() {
            "" => None,
            c => Some(Category::from_code(c).ok_or_else(bad_filter)?),
        },
        worker: None,
        workshop: parse_uuid(&query.workshop)?,
        after: parse_uuid(&query.after)?,
    };
    let requested = match query.worker.as_str() {
        "" => None,
        "all" => Some(CaseloadFilter::Any),
        "me" => Some(CaseloadFilter::Own),
        "none" => Some(CaseloadFilter::Unassigned),
        id => Some(CaseloadFilter::Of(
            Uuid::parse_str(id).map_err(|_| bad_filter())?,
        )),
    };
    let caseload = narrow(user, requested, &filter, false)?;
    filter.worker = worker_filter(user, caseload);
    let sort = match query.sort.as_str() {
        "" | "name" => Sort::Name,
        "newest" => Sort::Newest,
        "ending" => Sort::Ending,
        _ => return Err(bad_filter()),
    };
    Ok(Parsed {
        filter,
        sort,
        requested,
    })
}

/// The caseload the policy lets this request show.
fn narrow(
    user: &CurrentUser,
    requested: Option<CaseloadFilter>,
    filter: &ListFilter,
    by_pesel: bool,
) -> Result<CaseloadFilter> {
    policy::narrow_caseload(
        user.actor(),
        requested,
        filter.workshop.is_some(),
        filter.category,
        by_pesel,
    )
    .map_err(|refusal| match refusal {
        FilterRefusal::Caseload => bad_filter(),
        FilterRefusal::Category => {
            AppError::bad_request("Nie możesz filtrować uczestników po tej kategorii.")
        }
    })
}

/// The caseload as the query's social-worker filter.
fn worker_filter(user: &CurrentUser, caseload: CaseloadFilter) -> Option<Option<Uuid>> {
    match caseload {
        CaseloadFilter::Any => None,
        CaseloadFilter::Own => Some(Some(user.user_id)),
        CaseloadFilter::Unassigned => Some(None),
        CaseloadFilter::Of(id) => Some(Some(id)),
    }
}

fn parse_search(q: &str) -> std::result::Result<Search, &'static str> {
    let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
        if compact.len() < 4 || compact.len() > 11 {
            return Err("Podaj od 4 do 11 cyfr numeru PESEL.");
        }
        return Ok(Search::Pesel(compact));
    }
    // Folded as the search indexes are: "urbanska" finds Urbańska.
    let words: Vec<String> = q.split_whitespace().map(fold).collect();
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

/// A row of the list as shown.
struct ListRow {
    id: Uuid,
    name: String,
    status: &'static str,
    /// The status's code (the badge's style).
    status_code: &'static str,
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
    status: StatusCode,
    search_error: Option<String>,
    searching: bool,
    filters: Filters,
    can_register: bool,
    is_social_worker: bool,
    next_after: Option<Uuid>,
    next_query: String,
    /// Some filter differs from the default: the filter panel is shown open.
    filters_open: bool,
    /// The manager may tick rows and reassign them to a social worker.
    can_reassign: bool,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    query: &ListQuery,
    parsed: Parsed,
    search: Search,
    q: String,
    search_error: Option<String>,
) -> Result<Response> {
    let listing = db::Listing {
        centre_id: user.centre_id,
        scope: policy::list_scope(user.actor()),
        filter: &parsed.filter,
        search: &search,
        town: if !policy::may_search_by_pesel(user.role) {
            db::Town::No
        } else if user.role == Role::SocialWorker {
            db::Town::CaseloadOf(user.user_id)
        } else {
            db::Town::Anyone
        },
        sort: parsed.sort,
    };
    let audit = search_audit(user, &search);
    // One connection for the page's statements (each checkout names the centre: `db::rls`).
    let mut conn = state.db.acquire().await?;
    let db::Page { rows, more, total } = listing
        .page(&mut conn, audit)
        .await?
        .ok_or_else(bad_filter)?;
    let searching = !matches!(search, Search::None);
    // The filters (and their options) are shown on the list, not with search results.
    let filters = if searching {
        Filters::default()
    } else {
        let names = db::Names::load(&mut *conn, user.centre_id).await?;
        Filters::new(user, query, &names, parsed.sort)
    };
    drop(conn);
    let cap = listing.cap();
    let title = if searching {
        "Wyniki wyszukiwania"
    } else {
        "Uczestnicy"
    };
    let page = ListPage {
        layout: Layout::for_user(state, user, title, "/participants"),
        next_after: more
            .then(|| rows.last().map(|r| r.participant_id))
            .flatten(),
        rows: rows.into_iter().map(|r| list_row(state, user, r)).collect(),
        total: if total > cap {
            format!("ponad {cap}")
        } else {
            total.to_string()
        },
        q,
        status: if search_error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        search_error,
        searching,
        filters,
        can_register: user.can(Action::RegisterParticipant, Target::Centre),
        is_social_worker: user.role == Role::SocialWorker,
        next_query: next_query(query),
        can_reassign: user.can(Action::AssignSocialWorker, Target::Centre),
        filters_open: !(matches!(query.status.as_str(), "" | "active")
            && query.category.is_empty()
            && query.workshop.is_empty()
            && query.sort.is_empty()
            && query.worker.is_empty()),
    };
    render_with_status(page.status, &page)
}

/// A search is audited (which kind, never the words), in the same statement as its page.
fn search_audit<'a>(
    user: &'a CurrentUser,
    search: &Search,
) -> Option<(&'a audit::meta::RequestMeta, AuditEvent<'a>)> {
    let kind = match search {
        Search::None => return None,
        Search::Pesel(_) => "pesel",
        Search::OneWord(_) | Search::TwoWords(..) => "name",
    };
    let event = AuditEvent::new("participant.search", Outcome::Success)
        .by(user.audit_actor())
        .detail(kind);
    Some((&user.meta, event))
}

/// The query string of the next page's link (the filters; the cursor is added to it).
fn next_query(query: &ListQuery) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("status", query.status.as_str()),
            ("category", query.category.as_str()),
            ("worker", query.worker.as_str()),
            ("workshop", query.workshop.as_str()),
            ("sort", query.sort.as_str()),
        ])
        .finish()
}

/// The options of the list's filters, the current ones selected.
#[derive(Default)]
struct Filters {
    statuses: Vec<Choice>,
    categories: Vec<Choice>,
    workers: Vec<Choice>,
    workshops: Vec<Choice>,
    sorts: Vec<Choice>,
}

impl Filters {
    fn new(user: &CurrentUser, query: &ListQuery, names: &db::Names, sort: Sort) -> Self {
        let sort = sort_code(sort);
        Self {
            statuses: status_choices(&query.status),
            categories: choices_of(&filterable_categories(user.role), &query.category),
            workers: worker_choices(user, names, &query.worker),
            workshops: names
                .workshops
                .iter()
                .map(|w| Choice::new(w.id.to_string(), w.name.clone(), &query.workshop))
                .collect(),
            sorts: vec![
                Choice::new("name", "nazwisko (A–Ż)", sort),
                Choice::new("newest", "ostatnio zarejestrowani", sort),
                Choice::new("ending", "najbliższy koniec udziału", sort),
            ],
        }
    }
}

/// The status filter's options: the active ones (the default), everyone, one status.
fn status_choices(current: &str) -> Vec<Choice> {
    let mut options = vec![
        Choice {
            selected: current.is_empty() || current == "active",
            ..Choice::new("active", "w programie (okres próbny i uczestnicy)", current)
        },
        Choice::new("all", "wszyscy", current),
    ];
    options.extend(choices::<Status>(current));
    options
}

fn sort_code(sort: Sort) -> &'static str {
    match sort {
        Sort::Name => "name",
        Sort::Newest => "newest",
        Sort::Ending => "ending",
    }
}

fn list_row(state: &AppState, user: &CurrentUser, r: db::Row) -> ListRow {
    let limited = policy::row_view(user.actor(), r.social_worker_id) == RowView::NameAndStatus;
    let shown = |text: String| if limited { String::new() } else { text };
    ListRow {
        id: r.participant_id,
        name: format!("{} {}", r.surname, r.first_names),
        status: status_label(r.status, r.sex.as_deref()),
        status_code: r.status.code(),
        can_open: !limited,
        limited,
        worker: shown(
            r.worker_name
                .unwrap_or_else(|| "nie przydzielono".to_owned()),
        ),
        workshop: shown(r.workshop_name.unwrap_or_default()),
        planned_end: if r.status.is_active() {
            shown(opt_date(r.planned_end_on))
        } else {
            String::new()
        },
        warning: if limited {
            None
        } else {
            ending_warning(r.status, r.planned_end_on, state.today())
        },
    }
}

fn worker_choices(user: &CurrentUser, names: &db::Names, current: &str) -> Vec<Choice> {
    let mine = current.is_empty() && user.role == Role::SocialWorker;
    let mut choices = vec![
        Choice::new("all", "wszyscy", current),
        Choice {
            selected: current == "me" || mine,
            ..Choice::new("me", "moi podopieczni", current)
        },
        Choice::new("none", "bez przydzielonego pracownika", current),
    ];
    choices.extend(
        names
            .social_workers
            .iter()
            .filter(|w| w.active)
            .map(|w| Choice::new(w.id.to_string(), w.name.clone(), current)),
    );
    choices
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
        assert!(matches!(parse_search("Urbańska"), Ok(Search::OneWord(w)) if w == "urbanska"));
        assert!(
            matches!(parse_search("Nowak anna"), Ok(Search::TwoWords(a, b)) if a == "nowak" && b == "anna")
        );
        assert!(parse_search("a").is_err());
        assert!(parse_search("' OR 1=1 --").is_err());
        assert!(parse_search("<script>").is_err());
    }
}
