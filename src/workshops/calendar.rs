//! The centre's calendar of a year: the public holidays (computed: `domain::calendar`) and the
//! days the centre is closed besides them, which the manager adds (a day and a reason; a
//! weekend or a holiday would change nothing and is refused) and removes (after a
//! confirmation). Everyone who works with participants may look at it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::{Date, Month, Weekday};

use crate::attendance::calendar::closed_days;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::calendar::{holiday, public_holidays};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::confirm::{ConfirmPage, confirmed};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};

/// `?year=YYYY`.
#[derive(Debug, Deserialize)]
pub(super) struct YearQuery {
    #[serde(default)]
    year: String,
}

/// A closed day as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    reason: String,
}

/// The removal of a closed day as posted (`confirm` from the confirmation page).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RemoveForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    confirm: String,
}

const WEEKDAY_NAMES: [&str; 7] = [
    "poniedziałek",
    "wtorek",
    "środa",
    "czwartek",
    "piątek",
    "sobota",
    "niedziela",
];

fn weekday_name(d: Date) -> &'static str {
    WEEKDAY_NAMES[usize::from(d.weekday().number_days_from_monday())]
}

/// (date, weekday, name or reason, ISO date).
type DayRow = (String, &'static str, String, String);

#[derive(Template)]
#[template(path = "workshops/calendar.html")]
struct CalendarPage {
    layout: Layout,
    year: i32,
    holidays: Vec<DayRow>,
    closed: Vec<DayRow>,
    can_edit: bool,
    form: DayForm,
    errors: FieldErrors,
}

fn year_or(raw: &str, today: Date) -> i32 {
    raw.trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today.year())
}

fn year_bounds(year: i32) -> (Date, Date) {
    let first = Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN);
    let last = Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX);
    (first, last)
}

fn row(d: Date, text: impl Into<String>) -> DayRow {
    (
        dates::format(d),
        weekday_name(d),
        text.into(),
        dates::iso(d),
    )
}

async fn calendar_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    form: DayForm,
    errors: FieldErrors,
) -> Result<CalendarPage> {
    let (first, last) = year_bounds(year);
    let closed = closed_days(&state.db, user.centre_id, first, last).await?;
    Ok(CalendarPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Kalendarz ośrodka {year}"),
            "/calendar",
        ),
        year,
        holidays: public_holidays(year)
            .into_iter()
            .map(|(d, name)| row(d, name))
            .collect(),
        closed: closed
            .into_iter()
            .map(|(d, reason)| row(d, reason))
            .collect(),
        can_edit: policy::check(user.actor(), Action::ManageWorkshops, Target::Centre).is_ok(),
        form,
        errors,
    })
}

/// `GET /calendar?year=YYYY`.
pub(super) async fn show_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Result<Response> {
    let year = year_or(&query.year, state.today());
    render(&calendar_page(&state, &user, year, DayForm::default(), FieldErrors::new()).await?)
}

/// Why a day cannot be a closed day (it is off anyway), if so.
fn off_anyway(day: Date) -> Option<String> {
    if let Some(name) = holiday(day) {
        return Some(format!(
            "To dzień ustawowo wolny ({name}) – ośrodek i tak jest nieczynny."
        ));
    }
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday).then(|| {
        format!(
            "To {} – ośrodek i tak nie pracuje w weekend.",
            weekday_name(day)
        )
    })
}

/// `POST /calendar`: a closed day.
pub(super) async fn add_closed_day(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<DayForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageWorkshops, Target::Centre)
        .await?;
    let mut errors = FieldErrors::new();
    let day = errors.take(
        "day",
        dates::parse(&form.day).and_then(|d| off_anyway(d).map_or(Ok(d), Err)),
    );
    let reason = errors.take("reason", validate::required_line(&form.reason, 200));
    let mut tx = state.db.begin().await?;
    if let Some(d) = day {
        let taken = sqlx::query_scalar!(
            r#"select exists(select 1 from centre_closed_day where centre_id = $1 and day = $2) as "taken!""#,
            user.centre_id,
            d
        )
        .fetch_one(&mut *tx)
        .await?;
        if taken {
            errors.add(
                "day",
                "Ten dzień jest już na liście dni, w które ośrodek jest nieczynny.",
            );
        }
    }
    let (Some(day), Some(reason), true) = (day, reason, errors.is_empty()) else {
        drop(tx);
        let year = day.map_or_else(|| state.today().year(), Date::year);
        let page = calendar_page(&state, &user, year, form, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    sqlx::query!(
        "insert into centre_closed_day (centre_id, day, reason, created_by) values ($1, $2, $3, $4)",
        user.centre_id,
        day,
        reason,
        user.user_id
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new("calendar.closed_day_add", Outcome::Success)
        .on("centre", user.centre_id)
        .detail(format!("day:{}", dates::iso(day)));
    let message = format!(
        "Dodano dzień, w którym ośrodek jest nieczynny: {}.",
        dates::format(day)
    );
    finish(
        tx,
        &user,
        event,
        &message,
        &format!("/calendar?year={}", day.year()),
    )
    .await
}

/// `POST /calendar/remove`: without `confirm`, the confirmation page.
pub(super) async fn remove_closed_day(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<RemoveForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageWorkshops, Target::Centre)
        .await?;
    let day = dates::parse(&form.day).map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let reason = sqlx::query_scalar!(
        "select reason from centre_closed_day where centre_id = $1 and day = $2 for update",
        user.centre_id,
        day
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let back = format!("/calendar?year={}", day.year());
    if !confirmed(&form.confirm) {
        drop(tx);
        let layout = Layout::for_user(&state, &user, "Usunąć dzień wolny?", "/calendar");
        let page = ConfirmPage::new(
            layout,
            "/calendar/remove".to_owned(),
            back,
            vec![("day", dates::iso(day))],
            "Usuń dzień wolny",
        )
        .fact(
            "Dzień",
            format!("{} ({})", dates::format(day), weekday_name(day)),
        )
        .fact("Powód", reason)
        .consequence(
            "Ośrodek będzie w tym dniu czynny: dzień wróci do dni roboczych, także w obecności.",
        );
        return render(&page);
    }
    sqlx::query!(
        "delete from centre_closed_day where centre_id = $1 and day = $2",
        user.centre_id,
        day
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new("calendar.closed_day_remove", Outcome::Success)
        .on("centre", user.centre_id)
        .detail(format!("day:{}", dates::iso(day)));
    let message = format!(
        "Usunięto dzień wolny {}: ośrodek jest w tym dniu czynny.",
        dates::format(day)
    );
    finish(tx, &user, event, &message, &back).await
}
