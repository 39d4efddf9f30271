//! Reviewing the files past their retention period: the list (`/retention`: the files found
//! due and not held, and the holds in place), a file's retention page (its class, the day its
//! period ends or why none runs, its holds, the form that places one) and the anonymisation,
//! which the manager confirms per file on the confirmation page. Every view is audited (the
//! list names people), and so is the confirmation page and the anonymisation itself.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::RetentionClass;
use super::holds::HoldInput;
use super::scan::{self, Schedule};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::participant;
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::confirm::{ConfirmForm, ConfirmPage, confirmed};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_form};
use crate::web::path::IdPath;

/// Rows of each list on the review page.
const LIST: i64 = 200;

/// A file on the review list.
struct DueView {
    id: Uuid,
    name: String,
    class: &'static str,
    reference_on: String,
    due_on: String,
    found_on: String,
}

/// A hold as listed.
pub(super) struct HoldView {
    id: Uuid,
    name: String,
    reason: String,
    until: String,
    set_by: String,
    set_at: String,
    lifted: String,
}

#[derive(Template)]
#[template(path = "retention/index.html")]
struct ListPage {
    layout: Layout,
    due: Vec<DueView>,
    holds: Vec<HoldView>,
    /// Files waiting, whether or not all are shown.
    waiting: i64,
    anonymised: i64,
}

/// `GET /retention`: the files due for review and the holds in place.
pub(super) async fn list_due(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ViewRetention, Target::Centre)
        .await?;
    let today = state.today();
    let mut tx = state.db.begin().await?;
    let due = sqlx::query!(
        r#"select r.participant_id, p.surname, p.first_names, r.class as "class: RetentionClass",
                  r.reference_on, r.due_on, r.found_at
           from retention_review r join participant p using (participant_id)
           where r.centre_id = $1 and r.anonymised_at is null
             and not exists (select 1 from retention_holds_on($2) h where h.participant_id = r.participant_id)
           order by r.due_on, p.surname, p.first_names, r.participant_id
           limit $3"#,
        user.centre_id,
        today,
        LIST
    )
    .fetch_all(&mut *tx)
    .await?;
    let holds = sqlx::query!(
        r#"select h.retention_hold_id, h.participant_id, p.surname, p.first_names, h.reason, h.until,
                  u.full_name, h.set_at
           from retention_hold h join participant p using (participant_id)
           join staff_user u on u.staff_user_id = h.set_by
           where h.centre_id = $1 and h.lifted_at is null
           order by h.set_at desc
           limit $2"#,
        user.centre_id,
        LIST
    )
    .fetch_all(&mut *tx)
    .await?;
    let counts = sqlx::query!(
        r#"select count(*) filter (where r.anonymised_at is not null) as "anonymised!",
                  count(*) filter (where r.anonymised_at is null and h.participant_id is null) as "waiting!"
           from retention_review r left join retention_holds_on($2) h using (participant_id)
           where r.centre_id = $1"#,
        user.centre_id,
        today
    )
    .fetch_one(&mut *tx)
    .await?;
    let event = AuditEvent::new(Action::ViewRetention.code(), Outcome::Success)
        .by(user.audit_actor())
        .detail(format!("list due={} holds={}", due.len(), holds.len()));
    audit::record_read(&mut *tx, &user.meta, event).await?;
    tx.commit().await?;
    let page = ListPage {
        layout: Layout::for_user(
            &state,
            &user,
            "Teczki po okresie przechowywania",
            "/settings",
        ),
        due: due
            .into_iter()
            .map(|r| DueView {
                id: r.participant_id,
                name: format!("{} {}", r.surname, r.first_names),
                class: r.class.label(),
                reference_on: dates::format(r.reference_on),
                due_on: dates::format(r.due_on),
                found_on: dates::format(dates::polish_today(r.found_at)),
            })
            .collect(),
        holds: holds
            .into_iter()
            .map(|h| HoldView {
                id: h.participant_id,
                name: format!("{} {}", h.surname, h.first_names),
                reason: h.reason,
                until: until_text(h.until, today),
                set_by: h.full_name,
                set_at: dates::format_moment(h.set_at),
                lifted: String::new(),
            })
            .collect(),
        waiting: counts.waiting,
        anonymised: counts.anonymised,
    };
    render(&page)
}

/// "do 31.12.2027", "bezterminowo", or that it has ended.
fn until_text(until: Option<Date>, today: Date) -> String {
    match until {
        None => "bezterminowo".to_owned(),
        Some(d) if d < today => format!("wygasła {}", dates::format(d)),
        Some(d) => format!("do {}", dates::format(d)),
    }
}

/// What the file's page says about its period.
struct ReviewState {
    /// The period in words.
    schedule: String,
    /// Found due and waiting for the manager (not held, not anonymised).
    pending: bool,
    /// Anonymised: when and by whom.
    anonymised: Option<String>,
}

#[derive(Template)]
#[template(path = "retention/file.html")]
struct FilePage {
    layout: Layout,
    id: Uuid,
    status: &'static str,
    review: ReviewState,
    hold: Option<HoldView>,
    past_holds: Vec<HoldView>,
    input: HoldInput,
    errors: FieldErrors,
    can_manage: bool,
}

/// The person's name and status, read within the actor's centre.
async fn person(
    db: impl sqlx::PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
) -> Result<(String, Status)> {
    let row = sqlx::query!(
        r#"select surname, first_names, status as "status: Status" from participant
           where centre_id = $1 and participant_id = $2"#,
        centre_id,
        id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((format!("{} {}", row.surname, row.first_names), row.status))
}

/// The file's retention page (an audited read), with the hold form's input and messages.
pub(super) async fn file_page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    input: HoldInput,
    errors: FieldErrors,
) -> Result<Response> {
    let today = state.today();
    let mut tx = state.db.begin().await?;
    let (name, status) = person(&mut *tx, user.centre_id, id).await?;
    let found = sqlx::query!(
        r#"select r.class as "class: RetentionClass", r.reference_on, r.due_on, r.found_at,
                  r.anonymised_at, u.full_name as "anonymised_by?"
           from retention_review r left join staff_user u on u.staff_user_id = r.anonymised_by
           where r.participant_id = $1 and r.centre_id = $2"#,
        id,
        user.centre_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let holds = sqlx::query!(
        r#"select h.reason, h.until, s.full_name, h.set_at, h.lifted_at, l.full_name as "lifted_by?"
           from retention_hold h join staff_user s on s.staff_user_id = h.set_by
           left join staff_user l on l.staff_user_id = h.lifted_by
           where h.participant_id = $1 and h.centre_id = $2
           order by h.set_at desc"#,
        id,
        user.centre_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let schedule = match &found {
        Some(_) => Schedule::NotApplicable,
        None => scan::schedule(&mut *tx, user.centre_id, id, today).await?,
    };
    let event = participant::done(Action::ViewRetention, id)
        .by(user.audit_actor())
        .participant(id)
        .detail("file");
    audit::record_read(&mut *tx, &user.meta, event).await?;
    tx.commit().await?;

    let mut hold = None;
    let mut past_holds = Vec::new();
    for h in holds {
        let view = HoldView {
            id,
            name: name.clone(),
            reason: h.reason,
            until: until_text(h.until, today),
            set_by: h.full_name,
            set_at: dates::format_moment(h.set_at),
            lifted: match (h.lifted_at, h.lifted_by) {
                (Some(at), Some(by)) => format!("{}, {by}", dates::format_moment(at)),
                _ => String::new(),
            },
        };
        let in_place = h.lifted_at.is_none() && h.until.is_none_or(|d| d >= today);
        if in_place && hold.is_none() {
            hold = Some(view);
        } else {
            past_holds.push(view);
        }
    }
    let review = match found {
        Some(f) => ReviewState {
            schedule: format!(
                "{}: okres liczony od {} minął {}; teczkę wpisano do przeglądu {}.",
                f.class.label(),
                dates::format(f.reference_on),
                dates::format(f.due_on),
                dates::format_moment(f.found_at)
            ),
            pending: f.anonymised_at.is_none() && hold.is_none(),
            anonymised: f
                .anonymised_at
                .map(|at| moment_by(at, f.anonymised_by.as_deref())),
        },
        None => ReviewState {
            schedule: schedule_text(&schedule, today),
            pending: false,
            anonymised: None,
        },
    };
    let page = FilePage {
        layout: Layout::for_user(
            state,
            user,
            format!("Przechowywanie teczki: {name}"),
            "/participants",
        ),
        id,
        status: status.label(),
        can_manage: policy::check(user.actor(), Action::ManageRetention, Target::Centre).is_ok(),
        review,
        hold,
        past_holds,
        input,
        errors,
    };
    render_form(&page.errors, &page)
}

fn moment_by(at: OffsetDateTime, by: Option<&str>) -> String {
    format!("{}, {}", dates::format_moment(at), by.unwrap_or_default())
}

fn schedule_text(schedule: &Schedule, today: Date) -> String {
    match schedule {
        Schedule::On {
            class,
            reference_on,
            due_on,
        } => {
            let when = if *due_on <= today {
                "minął – teczka trafi do przeglądu przy najbliższym sprawdzeniu"
            } else {
                "upłynie"
            };
            format!(
                "{}: okres liczony od {} {when} {}.",
                class.label(),
                dates::format(*reference_on),
                dates::format(*due_on)
            )
        }
        Schedule::NoPeriod => "Dla tego rodzaju dokumentacji nie obowiązuje żaden okres przechowywania – teczka nie trafi do przeglądu, dopóki kierownik go nie wpisze.".to_owned(),
        Schedule::NotApplicable => "Teczka jest w użyciu (udział trwa) albo objęta blokadą – okres przechowywania nie biegnie.".to_owned(),
    }
}

/// `GET /participants/{id}/retention`.
pub(super) async fn file_retention(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    participant::authorized(&state, &user, id, Action::ViewRetention).await?;
    file_page(&state, &user, id, HoldInput::default(), FieldErrors::new()).await
}

/// `POST /participants/{id}/anonymise`: without `confirm` the confirmation page; with it, the
/// file's personal data and free text are removed in place (the database function).
pub(super) async fn anonymise(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ConfirmForm>,
) -> Result<Response> {
    let today = state.today();
    let (mut tx, _) =
        participant::lock_authorized(&state, &user, id, Action::ManageRetention).await?;
    let waiting = sqlx::query_scalar!(
        r#"select r.due_on from retention_review r
           where r.participant_id = $1 and r.centre_id = $2 and r.anonymised_at is null
             and not retention_held(r.participant_id, $3)"#,
        id,
        user.centre_id,
        today
    )
    .fetch_optional(&mut *tx)
    .await?;
    let back = format!("/participants/{id}/retention");
    let Some(due_on) = waiting else {
        return Err(AppError::ConflictAt {
            message: "Ta teczka nie czeka na przegląd: jej okres przechowywania nie minął, jest objęta blokadą albo została już zanonimizowana.".to_owned(),
            back,
        });
    };
    if !confirmed(&form.confirm) {
        let (name, _) = person(&mut *tx, user.centre_id, id).await?;
        let event = participant::done(Action::ViewRetention, id)
            .by(user.audit_actor())
            .participant(id)
            .detail("confirm_anonymise");
        audit::record_read(&mut *tx, &user.meta, event).await?;
        tx.commit().await?;
        let layout = Layout::for_user(
            &state,
            &user,
            format!("Potwierdź anonimizację: {name}"),
            "/participants",
        );
        let page = ConfirmPage::new(
            layout,
            format!("/participants/{id}/anonymise"),
            back,
            Vec::new(),
            "Tak, zanonimizuj teczkę",
        )
        .fact("Osoba", name)
        .fact("Okres przechowywania minął", dates::format(due_on))
        .consequence("Imiona, nazwisko, PESEL, dokument tożsamości, adres, telefon i dane instytucji zostaną usunięte; data urodzenia zostanie skrócona do roku.")
        .consequence("Treść notatek, dokumentów rekrutacyjnych, IPZS, kontraktu, opinii, monitoringu, kontaktów z absolwentem i wszystkie uzasadnienia zostaną usunięte; skany zostaną skasowane.")
        .consequence("Zostaną daty, statusy, kategorie, obecność, kwoty świadczeń i sytuacja zawodowa absolwenta, więc dawne zestawienia i listy nadal się zsumują.")
        .consequence("Tego nie można cofnąć. Rejestr zdarzeń pozostaje bez zmian.");
        return render(&page);
    }
    sqlx::query!(
        "select anonymise_participant($1, $2, $3, $4) as done",
        id,
        user.centre_id,
        user.user_id,
        today
    )
    .fetch_one(&mut *tx)
    .await?;
    let event = AuditEvent::new("retention.anonymise", Outcome::Success)
        .on("participant", id)
        .participant(id)
        .detail(format!("due_on={}", dates::iso(due_on)));
    finish(
        tx,
        &user,
        event,
        "Teczkę zanonimizowano. Dane statystyczne pozostały.",
        &format!("/participants/{id}/retention"),
    )
    .await
}
