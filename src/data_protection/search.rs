//! "Dziennik zdarzeń": the centre's audit log, filtered by participant (picked by surname or
//! PESEL, or by id from a link), staff member, action, outcome and period, newest first, 50 a
//! page with a cursor (`before=` the last event shown), and the same search as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, Actions, EXPORT_LIMIT, Filter, PAGE, PEOPLE_LIMIT, Person};
use super::{Line, OUTCOMES, Period};
use crate::audit::{self, AuditEvent, Outcome, labels};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::export::{self, CSV, Cell, Kind, Sheet, text};
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render_with_status};

pub(super) const PATH: &str = "/audit";

/// `?who=&participant=&staff=&action=&outcome=&from=&to=&before=`, all optional.
#[derive(Debug, Default, Deserialize)]
pub(super) struct SearchQuery {
    /// A surname (its beginning, Polish letters optional) or the beginning of a PESEL.
    #[serde(default)]
    who: String,
    /// A participant's id (a link from a row or a report; wins over `who`).
    #[serde(default)]
    participant: String,
    #[serde(default)]
    staff: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

/// The query checked: the filter to read, or the errors (and the people to choose from when
/// the typed surname fits several).
struct Checked {
    filter: Option<Filter>,
    errors: FieldErrors,
    period: Period,
    person: Option<Person>,
    choices: Vec<Person>,
    before: Option<i64>,
    staff: Vec<Choice>,
}

/// Checks the query against the centre (its participants and staff).
async fn check(state: &AppState, user: &CurrentUser, query: &SearchQuery) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let period = Period::new(&query.from, &query.to, state.today());
    let days = period.parse(&mut errors);
    let people = crate::users::staff_choices(&state.db, user.centre_id).await?;
    let actor = match query.staff.trim() {
        "" => None,
        raw => errors
            .take(
                "staff",
                Uuid::parse_str(raw)
                    .ok()
                    .filter(|id| people.iter().any(|(p, _, _)| p == id))
                    .map(Some)
                    .ok_or_else(|| "Wybierz pracownika z listy.".to_owned()),
            )
            .flatten(),
    };
    let action = match query.action.trim() {
        "" => Some(Actions::Any),
        raw => errors.take(
            "action",
            labels::ACTIONS
                .iter()
                .find(|(code, _)| *code == raw)
                .map(|(code, _)| Actions::One(code))
                .ok_or_else(|| "Wybierz czynność z listy.".to_owned()),
        ),
    };
    let outcome = match query.outcome.trim() {
        "" => Some(None),
        raw => errors.take(
            "outcome",
            OUTCOMES
                .iter()
                .find(|(code, _)| *code == raw)
                .map(|(code, _)| Some(*code))
                .ok_or_else(|| "Wybierz wynik z listy.".to_owned()),
        ),
    };
    let before = match query.before.trim() {
        "" => None,
        raw => errors.take(
            "search",
            raw.parse::<i64>().map_err(|_| {
                "Odnośnik do kolejnej strony jest nieprawidłowy. Wyszukaj ponownie.".to_owned()
            }),
        ),
    };
    // The participant: by id from a link, else by what was typed.
    let mut person = None;
    let mut choices = Vec::new();
    let who = query.who.trim();
    if !query.participant.trim().is_empty() {
        let found = match Uuid::parse_str(query.participant.trim()) {
            Ok(id) => db::person(&state.db, user.centre_id, id).await?,
            Err(_) => None,
        };
        person = errors.take(
            "who",
            found.ok_or_else(|| "Nie ma takiego uczestnika w ośrodku.".to_owned()),
        );
    } else if !who.is_empty() {
        if who.chars().count() > 60 {
            errors.add("who", "Wpisz najwyżej 60 znaków.");
        } else {
            let mut found = db::people(&state.db, user.centre_id, who).await?;
            match found.len() {
                0 => errors.add(
                    "who",
                    "Nie znaleziono uczestnika o takim nazwisku ani numerze PESEL.",
                ),
                1 => person = found.pop(),
                n if n as i64 > PEOPLE_LIMIT => errors.add(
                    "who",
                    "Pasuje więcej niż 20 osób. Wpisz więcej liter nazwiska albo początek numeru PESEL.",
                ),
                _ => choices = found,
            }
        }
    }
    let staff = people
        .iter()
        .map(|(id, name, role)| {
            Choice::new(
                id.to_string(),
                format!("{name} ({})", role.label()),
                query.staff.trim(),
            )
        })
        .collect();
    let filter = match (days, action, outcome) {
        (Some((first, last)), Some(actions), Some(outcome))
            if errors.is_empty() && choices.is_empty() =>
        {
            Some(Filter {
                centre_id: user.centre_id,
                participant: person.as_ref().map(|p| p.participant_id),
                actor,
                actions,
                outcome,
                from: dates::polish_midnight(first),
                until: dates::polish_midnight(last + time::Duration::days(1)),
            })
        }
        _ => None,
    };
    Ok(Checked {
        filter,
        errors,
        period,
        person,
        choices,
        before,
        staff,
    })
}

/// What an audit row of this search says: the filters, by ids and codes only.
fn detail(filter: &Filter, period: &Period, before: Option<i64>) -> String {
    let mut parts = vec![format!("{}..{}", period.from, period.to)];
    if let Some(p) = filter.participant {
        parts.push(format!("participant={p}"));
    }
    if let Some(s) = filter.actor {
        parts.push(format!("staff={s}"));
    }
    if let Actions::One(code) = filter.actions {
        parts.push(format!("action={code}"));
    }
    if let Some(o) = filter.outcome {
        parts.push(format!("outcome={o}"));
    }
    if let Some(b) = before {
        parts.push(format!("before={b}"));
    }
    parts.join(" ")
}

/// The audit row of a read or an export of the log.
fn event<'a>(
    user: &CurrentUser,
    action: Action,
    filter: &Filter,
    detail: String,
) -> AuditEvent<'a> {
    let mut event = AuditEvent::new(action.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("centre", user.centre_id)
        .detail(detail);
    if let Some(p) = filter.participant {
        event = event.participant(p);
    }
    event
}

#[derive(Template)]
#[template(path = "data_protection/search.html")]
struct SearchPage {
    layout: Layout,
    errors: FieldErrors,
    who: String,
    person: Option<Person>,
    choices: Vec<(String, Person)>,
    staff: Vec<Choice>,
    actions: Vec<Choice>,
    outcomes: Vec<Choice>,
    from: String,
    to: String,
    /// Whether the search ran (the filters are valid).
    searched: bool,
    lines: Vec<Line>,
    first_page: bool,
    /// The address of the next (older) page.
    older: Option<String>,
    /// The address of the CSV of this search.
    csv: String,
    /// The address of this search's first page.
    newest: String,
}

/// The query string of the current filters (the participant by id), with `before`.
fn query_string(query: &SearchQuery, person: Option<&Person>, before: Option<i64>) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(p) = person {
        q.append_pair("participant", &p.participant_id.to_string());
    }
    for (key, value) in [
        ("staff", &query.staff),
        ("action", &query.action),
        ("outcome", &query.outcome),
        ("from", &query.from),
        ("to", &query.to),
    ] {
        if !value.trim().is_empty() {
            q.append_pair(key, value.trim());
        }
    }
    if let Some(b) = before {
        q.append_pair("before", &b.to_string());
    }
    q.finish()
}

/// `GET /audit`.
pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::SearchAuditLog, Target::Centre)
        .await?;
    let checked = check(&state, &user, &query).await?;
    let mut page = SearchPage {
        layout: Layout::for_user(&state, &user, "Dziennik zdarzeń", PATH),
        errors: FieldErrors::new(),
        who: query.who.trim().to_owned(),
        person: None,
        choices: checked
            .choices
            .into_iter()
            .map(|p| {
                let mut q = SearchQuery {
                    participant: p.participant_id.to_string(),
                    ..SearchQuery::default()
                };
                q.staff.clone_from(&query.staff);
                q.action.clone_from(&query.action);
                q.outcome.clone_from(&query.outcome);
                q.from.clone_from(&checked.period.from);
                q.to.clone_from(&checked.period.to);
                (format!("{PATH}?{}", query_string(&q, Some(&p), None)), p)
            })
            .collect(),
        staff: checked.staff,
        actions: labels::ACTIONS
            .iter()
            .map(|(code, label)| Choice::new(*code, *label, query.action.trim()))
            .collect(),
        outcomes: OUTCOMES
            .iter()
            .map(|(code, label)| Choice::new(*code, *label, query.outcome.trim()))
            .collect(),
        from: checked.period.from.clone(),
        to: checked.period.to.clone(),
        searched: false,
        lines: Vec::new(),
        first_page: checked.before.is_none(),
        older: None,
        csv: String::new(),
        newest: String::new(),
    };
    let Some(filter) = checked.filter else {
        let status = if checked.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        page.errors = checked.errors;
        return render_with_status(status, &page);
    };
    let read = event(
        &user,
        Action::SearchAuditLog,
        &filter,
        detail(&filter, &checked.period, checked.before),
    );
    let mut events = db::events(
        &state.db,
        &filter,
        checked.before,
        PAGE + 1,
        Some((&user.meta, read)),
    )
    .await?;
    if events.len() as i64 > PAGE {
        events.truncate(PAGE as usize);
        let last = events.last().map(|e| e.audit_event_id);
        page.older = Some(format!(
            "{PATH}?{}",
            query_string(&query, checked.person.as_ref(), last)
        ));
    }
    let current = query_string(&query, checked.person.as_ref(), None);
    page.csv = format!("/audit.csv?{current}");
    page.newest = format!("{PATH}?{current}");
    page.searched = true;
    page.person = checked.person;
    page.lines = events.into_iter().map(Line::from).collect();
    render_with_status(StatusCode::OK, &page)
}

/// `GET /audit.csv`: every event of the search (the newest `EXPORT_LIMIT`), audited.
pub(super) async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Result<Response> {
    user.authorize(&state, Action::ExportAuditLog, Target::Centre)
        .await?;
    let checked = check(&state, &user, &query).await?;
    let Some(filter) = checked.filter else {
        // A download link is built from a valid search; anything else goes back to the form.
        let back = format!(
            "{PATH}?{}",
            query_string(&query, checked.person.as_ref(), None)
        );
        return Ok(Redirect::to(&back).into_response());
    };
    let mut tx = state.db.begin().await?;
    let events = db::events(&mut *tx, &filter, None, EXPORT_LIMIT + 1, None).await?;
    let more = events.len() as i64 > EXPORT_LIMIT;
    let sheet = sheet(
        events
            .into_iter()
            .take(EXPORT_LIMIT as usize)
            .map(Line::from),
        more,
    );
    let detail = format!(
        "csv {} rows={}",
        detail(&filter, &checked.period, None),
        sheet.data_rows
    );
    audit::record(
        &mut *tx,
        &user.meta,
        event(&user, Action::ExportAuditLog, &filter, detail),
    )
    .await?;
    tx.commit().await?;
    export::download(
        &sheet,
        CSV,
        &format!(
            "dziennik-zdarzen-{}-{}",
            checked.period.from, checked.period.to
        ),
    )
}

/// The export's table: the columns of the page.
fn sheet(lines: impl Iterator<Item = Line>, more: bool) -> Sheet {
    let mut sheet = Sheet::new(
        "Dziennik zdarzeń",
        vec!["Dziennik zdarzeń".to_owned()],
        vec![20.0, 28.0, 24.0, 36.0, 14.0, 20.0, 30.0, 50.0],
    );
    sheet.header(&[
        "Data i godzina",
        "Pracownik",
        "Rola",
        "Czynność",
        "Wynik",
        "Obiekt",
        "Uczestnik",
        "Zakres",
    ]);
    for l in lines {
        sheet.push(
            Kind::Data,
            vec![
                text(l.when),
                text(l.actor),
                text(l.role),
                text(l.action),
                text(l.outcome),
                text(l.object),
                text(l.participant),
                text(l.scope),
            ],
        );
    }
    if more {
        sheet.push(
            Kind::Section,
            vec![Cell::Text(format!(
                "Eksport obejmuje {EXPORT_LIMIT} najnowszych zdarzeń; zawęź okres lub filtry."
            ))],
        );
    }
    sheet
}
