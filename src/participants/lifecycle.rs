//! The participant's lifecycle: status changes (candidate → reserve list → trial period →
//! participant → graduate | terminated), extensions of participation, the caseload (social
//! worker), the workshop and the recruitment documents.
//!
//! Invariants: every change is one transaction that locks the participant row, asks the policy,
//! checks the transition in Rust (for a clear message) and again in SQL
//! (`update … where status = <expected>`, so a double or out-of-order post answers 409), writes
//! the history row and the audit row. Durations come from the effective-dated
//! `participation_rule` in force on the admission date, never from constants.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use super::db::{self, Facts};
use super::model::{ContractType, DocumentKind, GraduationOutcome, TerminationReason};
use super::{Choice, choices, today};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;
use crate::web::route::Route;

/// Months after graduation at which the follow-up contacts fall due: quarterly in the first
/// year, every six months in years two and three (seed 002).
pub const FOLLOW_UP_MONTHS: [i32; 8] = [3, 6, 9, 12, 18, 24, 30, 36];

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::get("/participants/{id}/status/{target}", status_form),
        Route::post("/participants/{id}/status/{target}", change_status),
        Route::get("/participants/{id}/extension", extension_form),
        Route::post("/participants/{id}/extension", extend_participation),
        Route::get("/participants/{id}/social-worker", social_worker_form),
        Route::post("/participants/{id}/social-worker", assign_social_worker),
        Route::get("/participants/{id}/workshop", workshop_form),
        Route::post("/participants/{id}/workshop", assign_workshop),
        Route::get("/participants/{id}/documents/new", document_form),
        Route::post("/participants/{id}/documents", add_document),
    ]
}

/// The participation rule in force on a date.
#[derive(Debug, Clone)]
pub struct Rule {
    pub trial_months: i32,
    pub base_months: i32,
    pub cap_months: i32,
    pub source: String,
}

/// The rule in force on `on`: the latest rule that started by then; on the same start date a
/// centre's own rule wins over the installation default.
pub async fn rule_on(conn: &mut PgConnection, centre_id: Uuid, on: Date) -> Result<Rule> {
    let rule = sqlx::query_as!(
        Rule,
        r#"
        select trial_months, base_months, cap_months, source
        from participation_rule
        where (centre_id = $1 or centre_id is null) and valid_from <= $2
        order by valid_from desc, centre_id nulls last
        limit 1
        "#,
        centre_id,
        on
    )
    .fetch_optional(conn)
    .await?;
    rule.ok_or_else(|| {
        AppError::conflict("Brak zasad okresu uczestnictwa obowiązujących w tej dacie.")
    })
}

/// The same checks without a transaction (for the GET of a form).
async fn checked(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<(Facts, db::Record)> {
    let facts = super::load_in_scope(state, user, id).await?;
    user.authorize_on(state, action, Target::Participant(&facts.facts), Some(id))
        .await?;
    let record = db::find(&state.db, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((facts, record))
}

fn action_for(target: Status) -> Option<Action> {
    match target {
        Status::Reserve => Some(Action::MoveToReserve),
        Status::Trial => Some(Action::AdmitParticipant),
        Status::Participant => Some(Action::ConfirmParticipant),
        Status::Graduate => Some(Action::GraduateParticipant),
        Status::Terminated => Some(Action::TerminateParticipant),
        Status::Candidate => None,
    }
}

fn impossible(from: Status, to: Status) -> AppError {
    AppError::conflict(format!(
        "Nie można zmienić statusu z „{}” na „{}”. Status mógł zostać już zmieniony – otwórz teczkę ponownie.",
        from.label(),
        to.label()
    ))
}

fn name(record: &db::Record) -> String {
    format!("{} {}", record.surname, record.first_names)
}

// ---------------------------------------------------------------------------------------------
// Status changes

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransitionForm {
    date: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    ops_agreement_name: String,
    #[serde(default)]
    ops_agreement_date: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    contract: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "participants/status.html")]
struct StatusPage {
    layout: Layout,
    id: Uuid,
    name: String,
    from: &'static str,
    target: Status,
    form: TransitionForm,
    errors: super::form::Errors,
    rule_note: Option<String>,
    trial_end: Option<String>,
    outcomes: Vec<Choice>,
    contracts: Vec<Choice>,
    reasons: Vec<Choice>,
}

impl StatusPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    fn is(&self, target: &str) -> bool {
        self.target.code() == target
    }
}

fn parse_target(raw: &str) -> Result<(Status, Action)> {
    let target = Status::from_code(raw).ok_or(AppError::NotFound)?;
    let action = action_for(target).ok_or(AppError::NotFound)?;
    Ok((target, action))
}

fn parse_id(raw: &str) -> Result<Uuid> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

async fn status_page(
    state: &AppState,
    user: &CurrentUser,
    record: &db::Record,
    target: Status,
    form: TransitionForm,
    errors: super::form::Errors,
) -> Result<StatusPage> {
    let rule_note = if target == Status::Trial {
        let mut conn = state.db.acquire().await?;
        let rule = rule_on(&mut conn, user.centre_id, today(state)).await?;
        Some(format!(
            "Okres próbny: {} mies. (liczony osobno), potem {} mies. uczestnictwa; łącznie najwyżej {} mies. po okresie próbnym. Podstawa: {}.",
            rule.trial_months, rule.base_months, rule.cap_months, rule.source
        ))
    } else {
        None
    };
    Ok(StatusPage {
        layout: Layout::for_user(
            state,
            user,
            format!("{}: {}", target.label(), name(record)),
            "/participants",
        ),
        id: record.participant_id,
        name: name(record),
        from: record.status.label(),
        target,
        rule_note,
        trial_end: record.trial_ends_on.map(dates::format),
        outcomes: choices(
            &GraduationOutcome::ALL,
            GraduationOutcome::code,
            GraduationOutcome::label,
            &form.outcome,
        ),
        contracts: choices(
            &ContractType::ALL,
            ContractType::code,
            ContractType::label,
            &form.contract,
        ),
        reasons: choices(
            &TerminationReason::ALL,
            TerminationReason::code,
            TerminationReason::label,
            &form.reason,
        ),
        form,
        errors,
    })
}

async fn status_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    let (target, action) = parse_target(&target)?;
    let (_, record) = checked(&state, &user, id, action).await?;
    if !record.status.can_move_to(target) {
        return Err(impossible(record.status, target));
    }
    let form = TransitionForm {
        date: dates::iso(today(&state)),
        ..TransitionForm::default()
    };
    render(
        &status_page(
            &state,
            &user,
            &record,
            target,
            form,
            super::form::Errors::new(),
        )
        .await?,
    )
}

/// What a valid transition form means.
struct Transition {
    on: Date,
    history_reason: Option<String>,
    ops_agreement: Option<(String, Date)>,
    outcome: Option<(GraduationOutcome, Option<ContractType>)>,
    termination: Option<TerminationReason>,
}

fn validate_transition(
    form: &TransitionForm,
    target: Status,
    record: &db::Record,
    last_change: Option<Date>,
    today: Date,
) -> std::result::Result<Transition, super::form::Errors> {
    let mut errors = super::form::Errors::new();
    let on = match dates::parse(&form.date) {
        Ok(d) if d > today => {
            errors.insert("date", "Data nie może być z przyszłości.".into());
            None
        }
        Ok(d) if last_change.is_some_and(|last| d < last) => {
            errors.insert(
                "date",
                format!(
                    "Data nie może być wcześniejsza niż ostatnia zmiana statusu ({}).",
                    last_change.map(dates::format).unwrap_or_default()
                ),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("date", e);
            None
        }
    };
    // 1500 leaves room for the reason's fixed part in the 2000-character history column.
    let note = validate::optional_text(&form.note, 1500)
        .map_err(|e| errors.insert("note", e))
        .ok()
        .flatten();
    let mut ops_agreement = None;
    let mut outcome = None;
    let mut termination = None;
    let mut reason_parts: Vec<String> = Vec::new();
    match target {
        Status::Trial => {
            let who = validate::required_line(&form.ops_agreement_name, 200)
                .map_err(|e| errors.insert("ops_agreement_name", e))
                .ok();
            let when = match dates::parse(&form.ops_agreement_date) {
                Ok(d) if on.is_some_and(|on| d > on) => {
                    errors.insert("ops_agreement_date", "Zgoda kierownika OPS musi poprzedzać przyjęcie (albo być z tego samego dnia).".into());
                    None
                }
                Ok(d) if d > today => {
                    errors.insert(
                        "ops_agreement_date",
                        "Data nie może być z przyszłości.".into(),
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.insert("ops_agreement_date", e);
                    None
                }
            };
            if let (Some(who), Some(when)) = (who, when) {
                reason_parts.push(format!(
                    "Przyjęcie w uzgodnieniu z kierownikiem OPS: {who} ({})",
                    dates::format(when)
                ));
                ops_agreement = Some((who, when));
            }
        }
        Status::Participant => {
            if let (Some(d), Some(end)) = (on, record.trial_ends_on)
                && d < end
            {
                errors.insert(
                    "date",
                    format!(
                        "Okres próbny kończy się {}; wcześniej nie można go zakończyć.",
                        dates::format(end)
                    ),
                );
            }
        }
        Status::Graduate => match GraduationOutcome::from_code(&form.outcome) {
            None => {
                errors.insert("outcome", "Wybierz, jak zakończył się udział.".into());
            }
            Some(GraduationOutcome::Employment) => match ContractType::from_code(&form.contract) {
                Some(c) => {
                    reason_parts.push(format!(
                        "{}: {}",
                        GraduationOutcome::Employment.label(),
                        c.label()
                    ));
                    outcome = Some((GraduationOutcome::Employment, Some(c)));
                }
                None => {
                    errors.insert("contract", "Wybierz formę zatrudnienia.".into());
                }
            },
            Some(o) => {
                reason_parts.push(o.label().to_owned());
                outcome = Some((o, None));
            }
        },
        Status::Terminated => match TerminationReason::from_code(&form.reason) {
            Some(r) => {
                reason_parts.push(r.label().to_owned());
                termination = Some(r);
            }
            None => {
                errors.insert(
                    "reason",
                    "Wybierz jedną z trzech przyczyn przerwania udziału.".into(),
                );
            }
        },
        Status::Reserve | Status::Candidate => {}
    }
    if let (Some(admitted), Some(d)) = (record.admitted_on, on)
        && matches!(target, Status::Graduate | Status::Terminated)
        && d < admitted
    {
        errors.insert(
            "date",
            format!(
                "Data nie może być wcześniejsza niż przyjęcie ({}).",
                dates::format(admitted)
            ),
        );
    }
    if let Some(note) = note {
        reason_parts.push(note);
    }
    match on {
        Some(on) if errors.is_empty() => Ok(Transition {
            on,
            history_reason: (!reason_parts.is_empty()).then(|| reason_parts.join(". ")),
            ops_agreement,
            outcome,
            termination,
        }),
        _ => Err(errors),
    }
}

async fn change_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, target)): Path<(String, String)>,
    SecureForm(form): SecureForm<TransitionForm>,
) -> Result<Response> {
    let id = parse_id(&id)?;
    let (target, action) = parse_target(&target)?;
    let today = today(&state);
    let (mut tx, facts) = super::begin_locked(&state, &user, id, action).await?;
    let from = facts.facts.status;
    if !from.can_move_to(target) {
        return Err(impossible(from, target));
    }
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let last_change = sqlx::query_scalar!(
        "select max(changed_on) from participant_status_change where participant_id = $1",
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    let transition = match validate_transition(&form, target, &record, last_change, today) {
        Ok(t) => t,
        Err(errors) => {
            drop(tx);
            let page = status_page(&state, &user, &record, target, form, errors).await?;
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };

    // The guarded UPDATE: zero rows means the status changed under us.
    let updated = match target {
        Status::Reserve => sqlx::query!(
            "update participant set status = 'reserve', version = version + 1 where participant_id = $1 and status = $2",
            id,
            from as Status
        )
        .execute(&mut *tx)
        .await?
        .rows_affected(),
        Status::Trial => {
            let rule = rule_on(&mut tx, user.centre_id, transition.on).await?;
            let trial_end = dates::add_months(transition.on, rule.trial_months);
            let planned_end = dates::add_months(trial_end, rule.base_months);
            let cap_end = dates::add_months(trial_end, rule.cap_months);
            let (ops_name, ops_date) = transition.ops_agreement.clone().ok_or_else(|| AppError::bad_request("Brak zgody OPS."))?;
            sqlx::query!(
                r#"update participant
                   set status = 'trial', admitted_on = $3, ops_agreement_name = $4, ops_agreement_date = $5,
                       trial_ends_on = $6, planned_end_on = $7, cap_end_on = $8, version = version + 1
                   where participant_id = $1 and status = $2"#,
                id,
                from as Status,
                transition.on,
                ops_name,
                ops_date,
                trial_end,
                planned_end,
                cap_end
            )
            .execute(&mut *tx)
            .await?
            .rows_affected()
        }
        Status::Participant => sqlx::query!(
            "update participant set status = 'participant', version = version + 1 where participant_id = $1 and status = $2",
            id,
            from as Status
        )
        .execute(&mut *tx)
        .await?
        .rows_affected(),
        Status::Graduate => {
            let (outcome, contract) = transition.outcome.ok_or_else(|| AppError::bad_request("Brak wyniku."))?;
            let done = sqlx::query!(
                r#"update participant
                   set status = 'graduate', ended_on = $3, graduation_outcome = $4, employment_contract = $5, version = version + 1
                   where participant_id = $1 and status = $2"#,
                id,
                from as Status,
                transition.on,
                outcome as GraduationOutcome,
                contract as Option<ContractType>
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // The whole 3-year schedule in one statement.
            let sequences: Vec<i32> = (1..).take(FOLLOW_UP_MONTHS.len()).collect();
            let due: Vec<Date> = FOLLOW_UP_MONTHS.iter().map(|m| dates::add_months(transition.on, *m)).collect();
            sqlx::query!(
                r#"insert into follow_up (participant_id, centre_id, sequence, due_on)
                   select $1, $2, s.sequence, s.due_on from unnest($3::int[], $4::date[]) as s(sequence, due_on)"#,
                id,
                user.centre_id,
                &sequences,
                &due
            )
            .execute(&mut *tx)
            .await?;
            done
        }
        Status::Terminated => sqlx::query!(
            r#"update participant
               set status = 'terminated', ended_on = $3, termination_reason = $4, version = version + 1
               where participant_id = $1 and status = $2"#,
            id,
            from as Status,
            transition.on,
            transition.termination.ok_or_else(|| AppError::bad_request("Brak przyczyny."))? as TerminationReason
        )
        .execute(&mut *tx)
        .await?
        .rows_affected(),
        Status::Candidate => 0,
    };
    if updated != 1 {
        return Err(impossible(from, target));
    }
    if matches!(target, Status::Graduate | Status::Terminated) {
        // Participation has ended, and with it the workshop placement (and the instructor's view).
        sqlx::query!(
            "update workshop_membership set member_until = greatest(member_from, $2) where participant_id = $1 and member_until is null",
            id,
            transition.on
        )
        .execute(&mut *tx)
        .await?;
    }
    db::record_status(
        &mut *tx,
        user.centre_id,
        id,
        Some(from),
        target,
        transition.on,
        transition.history_reason.as_deref(),
        user.user_id,
    )
    .await?;
    super::finish(
        tx,
        &user,
        id,
        AuditEvent::new(action.code(), Outcome::Success)
            .on("participant", id)
            .detail(format!(
                "{from}->{target}",
                from = from.code(),
                target = target.code()
            )),
        &format!("Nowy status: {}.", target.label()),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Extensions

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionForm {
    decided_on: String,
    new_end: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "participants/extension.html")]
struct ExtensionPage {
    layout: Layout,
    id: Uuid,
    name: String,
    planned_end: String,
    cap_end: String,
    form: ExtensionForm,
    errors: super::form::Errors,
}

impl ExtensionPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

fn extension_page(
    state: &AppState,
    user: &CurrentUser,
    record: &db::Record,
    form: ExtensionForm,
    errors: super::form::Errors,
) -> ExtensionPage {
    ExtensionPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Przedłużenie udziału: {}", name(record)),
            "/participants",
        ),
        id: record.participant_id,
        name: name(record),
        planned_end: super::views::opt_date(record.planned_end_on),
        cap_end: super::views::opt_date(record.cap_end_on),
        form,
        errors,
    }
}

fn extendable(record: &db::Record) -> Result<(Date, Date)> {
    match (
        record.status.is_active(),
        record.planned_end_on,
        record.cap_end_on,
    ) {
        (true, Some(end), Some(cap)) => Ok((end, cap)),
        _ => Err(AppError::conflict(
            "Przedłużyć można tylko udział osoby w okresie próbnym lub uczestnika.",
        )),
    }
}

async fn extension_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (_, record) = checked(&state, &user, id, Action::ExtendParticipation).await?;
    extendable(&record)?;
    let form = ExtensionForm {
        decided_on: dates::iso(today(&state)),
        ..ExtensionForm::default()
    };
    render(&extension_page(
        &state,
        &user,
        &record,
        form,
        super::form::Errors::new(),
    ))
}

async fn extend_participation(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ExtensionForm>,
) -> Result<Response> {
    let today = today(&state);
    let (mut tx, _) = super::begin_locked(&state, &user, id, Action::ExtendParticipation).await?;
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (current_end, cap_end) = extendable(&record)?;
    let mut errors = super::form::Errors::new();
    let decided_on = match dates::parse(&form.decided_on) {
        Ok(d) if d > today => {
            errors.insert(
                "decided_on",
                "Data decyzji nie może być z przyszłości.".into(),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("decided_on", e);
            None
        }
    };
    let new_end = match dates::parse(&form.new_end) {
        Ok(d) if d <= current_end => {
            errors.insert(
                "new_end",
                format!(
                    "Nowy termin musi być późniejszy niż obecny ({}).",
                    dates::format(current_end)
                ),
            );
            None
        }
        Ok(d) if d > cap_end => {
            let rule =
                rule_on(&mut tx, user.centre_id, record.admitted_on.unwrap_or(today)).await?;
            errors.insert(
                "new_end",
                format!(
                    "Łączny okres uczestnictwa po okresie próbnym nie może przekroczyć {} miesięcy – najpóźniej do {} ({}).",
                    rule.cap_months,
                    dates::format(cap_end),
                    rule.source
                ),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("new_end", e);
            None
        }
    };
    let reason = validate::required_text(&form.reason, 2000)
        .map_err(|e| errors.insert("reason", e))
        .ok();
    let (Some(decided_on), Some(new_end), Some(reason), true) =
        (decided_on, new_end, reason, errors.is_empty())
    else {
        drop(tx);
        return render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &extension_page(&state, &user, &record, form, errors),
        );
    };
    let updated = sqlx::query!(
        r#"update participant set planned_end_on = $2, version = version + 1
           where participant_id = $1 and planned_end_on = $3 and status in ('trial', 'participant')"#,
        id,
        new_end,
        current_end
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Err(AppError::conflict(
            "Termin zakończenia zmienił się w międzyczasie – otwórz teczkę ponownie.",
        ));
    }
    sqlx::query!(
        r#"insert into participation_extension (participant_id, centre_id, decided_on, decided_by, reason, previous_end_on, new_end_on)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
        id,
        user.centre_id,
        decided_on,
        user.user_id,
        reason,
        current_end,
        new_end
    )
    .execute(&mut *tx)
    .await?;
    super::finish(
        tx,
        &user,
        id,
        AuditEvent::new(Action::ExtendParticipation.code(), Outcome::Success)
            .on("participant", id)
            .detail(format!(
                "{}->{}",
                dates::iso(current_end),
                dates::iso(new_end)
            )),
        &format!("Udział przedłużono do {}.", dates::format(new_end)),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Caseload

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkerForm {
    social_worker: String,
}

#[derive(Template)]
#[template(path = "participants/worker.html")]
struct WorkerPage {
    layout: Layout,
    id: Uuid,
    name: String,
    current: String,
    workers: Vec<Choice>,
    error: Option<String>,
}

async fn worker_page(
    state: &AppState,
    user: &CurrentUser,
    record: &db::Record,
    selected: &str,
    error: Option<String>,
) -> Result<WorkerPage> {
    let workers = db::social_workers(&state.db, user.centre_id)
        .await?
        .into_iter()
        .map(|w| Choice {
            selected: selected == w.staff_user_id.to_string(),
            value: w.staff_user_id.to_string(),
            label: w.full_name,
        })
        .collect();
    Ok(WorkerPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Pracownik socjalny: {}", name(record)),
            "/participants",
        ),
        id: record.participant_id,
        name: name(record),
        current: record
            .social_worker_name
            .clone()
            .unwrap_or_else(|| "nie przydzielono".into()),
        workers,
        error,
    })
}

async fn social_worker_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (_, record) = checked(&state, &user, id, Action::AssignSocialWorker).await?;
    let selected = record
        .social_worker_id
        .map(|w| w.to_string())
        .unwrap_or_default();
    render(&worker_page(&state, &user, &record, &selected, None).await?)
}

async fn assign_social_worker(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<WorkerForm>,
) -> Result<Response> {
    let (mut tx, _) = super::begin_locked(&state, &user, id, Action::AssignSocialWorker).await?;
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let workers = db::social_workers(&mut *tx, user.centre_id).await?;
    let chosen = Uuid::parse_str(form.social_worker.trim())
        .ok()
        .filter(|w| workers.iter().any(|o| o.staff_user_id == *w));
    let Some(worker) = chosen else {
        drop(tx);
        let page = worker_page(
            &state,
            &user,
            &record,
            &form.social_worker,
            Some("Wybierz pracownika socjalnego z listy.".into()),
        )
        .await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    sqlx::query!("update participant set social_worker_id = $2, version = version + 1 where participant_id = $1", id, worker)
        .execute(&mut *tx)
        .await?;
    let name = workers
        .iter()
        .find(|w| w.staff_user_id == worker)
        .map(|w| w.full_name.clone())
        .unwrap_or_default();
    let event = AuditEvent::new(Action::AssignSocialWorker.code(), Outcome::Success)
        .on("participant", id)
        .detail(worker.to_string());
    super::finish(
        tx,
        &user,
        id,
        event,
        &format!("Przydzielono pracownika socjalnego: {name}."),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Workshop

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkshopForm {
    workshop: String,
    from: String,
}

#[derive(Template)]
#[template(path = "participants/workshop.html")]
struct WorkshopPage {
    layout: Layout,
    id: Uuid,
    name: String,
    current: String,
    workshops: Vec<Choice>,
    form: WorkshopForm,
    errors: super::form::Errors,
}

impl WorkshopPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

async fn workshop_page(
    state: &AppState,
    user: &CurrentUser,
    record: &db::Record,
    form: WorkshopForm,
    errors: super::form::Errors,
) -> Result<WorkshopPage> {
    let workshops = db::workshops(&state.db, user.centre_id)
        .await?
        .into_iter()
        .map(|w| Choice {
            selected: form.workshop == w.workshop_id.to_string(),
            value: w.workshop_id.to_string(),
            label: w.name,
        })
        .collect();
    Ok(WorkshopPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Pracownia: {}", name(record)),
            "/participants",
        ),
        id: record.participant_id,
        name: name(record),
        current: record
            .workshop_name
            .clone()
            .unwrap_or_else(|| "brak".into()),
        workshops,
        form,
        errors,
    })
}

async fn workshop_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (_, record) = checked(&state, &user, id, Action::AssignWorkshop).await?;
    let form = WorkshopForm {
        from: dates::iso(today(&state)),
        ..WorkshopForm::default()
    };
    render(&workshop_page(&state, &user, &record, form, super::form::Errors::new()).await?)
}

async fn assign_workshop(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<WorkshopForm>,
) -> Result<Response> {
    let (mut tx, _) = super::begin_locked(&state, &user, id, Action::AssignWorkshop).await?;
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if matches!(record.status, Status::Graduate | Status::Terminated) {
        return Err(AppError::conflict("Udział tej osoby już się zakończył."));
    }
    let workshops = db::workshops(&mut *tx, user.centre_id).await?;
    let current = sqlx::query!(
        "select workshop_membership_id, workshop_id, member_from from workshop_membership where participant_id = $1 and member_until is null",
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let mut errors = super::form::Errors::new();
    let chosen = match form.workshop.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw)
            .ok()
            .filter(|w| workshops.iter().any(|o| o.workshop_id == *w))
        {
            Some(w) => Some(w),
            None => {
                errors.insert("workshop", "Wybierz pracownię z listy.".into());
                None
            }
        },
    };
    let from = match dates::parse(&form.from) {
        Ok(d) if current.as_ref().is_some_and(|c| d < c.member_from) => {
            errors.insert(
                "from",
                "Data nie może być wcześniejsza niż początek obecnego przydziału.".into(),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("from", e);
            None
        }
    };
    if chosen.is_some() && chosen == current.as_ref().map(|c| c.workshop_id) {
        errors.insert("workshop", "Osoba jest już w tej pracowni.".into());
    }
    if chosen.is_none() && current.is_none() && errors.is_empty() {
        errors.insert("workshop", "Osoba nie jest w żadnej pracowni.".into());
    }
    let Some(from) = from.filter(|_| errors.is_empty()) else {
        drop(tx);
        let page = workshop_page(&state, &user, &record, form, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    if let Some(c) = current {
        let until = (from - time::Duration::days(1)).max(c.member_from);
        sqlx::query!(
            "update workshop_membership set member_until = $2 where workshop_membership_id = $1",
            c.workshop_membership_id,
            until
        )
        .execute(&mut *tx)
        .await?;
    }
    if let Some(workshop) = chosen {
        sqlx::query!(
            "insert into workshop_membership (workshop_id, participant_id, centre_id, member_from) values ($1, $2, $3, $4)",
            workshop,
            id,
            user.centre_id,
            from
        )
        .execute(&mut *tx)
        .await?;
    }
    let message = match chosen.and_then(|w| workshops.iter().find(|o| o.workshop_id == w)) {
        Some(w) => format!("Przydzielono do pracowni: {}.", w.name),
        None => "Zakończono udział w pracowni.".to_owned(),
    };
    let event = AuditEvent::new(Action::AssignWorkshop.code(), Outcome::Success)
        .on("participant", id)
        .detail(
            chosen
                .map(|w| w.to_string())
                .unwrap_or_else(|| "none".into()),
        );
    super::finish(tx, &user, id, event, &message).await
}

// ---------------------------------------------------------------------------------------------
// Recruitment documents

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentForm {
    kind: String,
    document_date: String,
    content: String,
}

#[derive(Template)]
#[template(path = "participants/document.html")]
struct DocumentPage {
    layout: Layout,
    id: Uuid,
    name: String,
    kinds: Vec<Choice>,
    form: DocumentForm,
    errors: super::form::Errors,
}

impl DocumentPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

fn document_page(
    state: &AppState,
    user: &CurrentUser,
    record: &db::Record,
    form: DocumentForm,
    errors: super::form::Errors,
) -> DocumentPage {
    DocumentPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Dokument rekrutacyjny: {}", name(record)),
            "/participants",
        ),
        id: record.participant_id,
        name: name(record),
        kinds: choices(
            &DocumentKind::ALL,
            DocumentKind::code,
            DocumentKind::label,
            &form.kind,
        ),
        form,
        errors,
    }
}

#[derive(Debug, Default, Deserialize)]
struct DocumentQuery {
    #[serde(default)]
    kind: String,
}

async fn document_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    axum::extract::Query(query): axum::extract::Query<DocumentQuery>,
) -> Result<Response> {
    let (_, record) = checked(&state, &user, id, Action::AddRecruitmentDocument).await?;
    let kind = DocumentKind::from_code(&query.kind)
        .map(|k| k.code().to_owned())
        .unwrap_or_default();
    let form = DocumentForm {
        kind,
        document_date: dates::iso(today(&state)),
        content: String::new(),
    };
    render(&document_page(
        &state,
        &user,
        &record,
        form,
        super::form::Errors::new(),
    ))
}

async fn add_document(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<DocumentForm>,
) -> Result<Response> {
    let today = today(&state);
    let (mut tx, _) =
        super::begin_locked(&state, &user, id, Action::AddRecruitmentDocument).await?;
    let record = db::find(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = super::form::Errors::new();
    let kind = DocumentKind::from_code(&form.kind);
    if kind.is_none() {
        errors.insert("kind", "Wybierz rodzaj dokumentu.".into());
    }
    let date = match dates::parse(&form.document_date) {
        Ok(d) if d > today => {
            errors.insert("document_date", "Data nie może być z przyszłości.".into());
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("document_date", e);
            None
        }
    };
    let content = validate::required_text(&form.content, 4000)
        .map_err(|e| errors.insert("content", e))
        .ok();
    let (Some(kind), Some(date), Some(content), true) = (kind, date, content, errors.is_empty())
    else {
        drop(tx);
        return render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &document_page(&state, &user, &record, form, errors),
        );
    };
    let document_id = sqlx::query_scalar!(
        r#"insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
           values ($1, $2, $3, $4, $5, $6) returning recruitment_document_id"#,
        id,
        user.centre_id,
        kind as DocumentKind,
        date,
        content,
        user.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    super::finish(
        tx,
        &user,
        id,
        AuditEvent::new(Action::AddRecruitmentDocument.code(), Outcome::Success)
            .on("recruitment_document", document_id)
            .detail(kind.code()),
        &format!("Dodano: {}.", kind.label()),
    )
    .await
}
