//! Reassigning several participants at once: the manager ticks people on the list, reviews
//! them beside the centre's social workers and their caseloads, and confirms. One transaction
//! locks every chosen participant of the centre (an id of another centre or of no one: 404,
//! nothing changes), asks the policy about each, changes each whose social worker differs,
//! with its history row and audit row, and commits.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, reassign};
use super::views::status_label;
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{self, Action, ParticipantFacts, Target};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::confirm::{CONFIRMED, confirmed};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render_with_status};

/// At most this many people are reassigned at once (a page of the list is 50).
const MOST: usize = 200;

/// The form as posted: a checkbox `p_<id>` for each chosen participant, the social worker,
/// and `confirmed` once the review page was seen. (Checkboxes have names of their own, so the
/// struct takes the remaining fields and checks every one of them.) `confirm` as the kit's
/// confirmation (`web::confirm`).
#[derive(Debug, Deserialize)]
pub(super) struct ReassignForm {
    #[serde(default)]
    social_worker: String,
    #[serde(default)]
    confirm: String,
    #[serde(flatten)]
    chosen: BTreeMap<String, String>,
}

impl ReassignForm {
    /// The chosen ids; anything else in the form is a malformed request.
    fn ids(&self) -> Result<Vec<Uuid>> {
        let bad = || AppError::bad_request("Nieprawidłowy wybór osób.");
        let ids = self
            .chosen
            .iter()
            .map(|(key, value)| {
                let id = key.strip_prefix("p_").ok_or_else(bad)?;
                if value != "on" {
                    return Err(bad());
                }
                Uuid::parse_str(id).map_err(|_| bad())
            })
            .collect::<Result<Vec<Uuid>>>()?;
        if ids.len() > MOST {
            return Err(AppError::bad_request(format!(
                "Naraz można przydzielić najwyżej {MOST} osób."
            )));
        }
        Ok(ids)
    }
}

/// "1 osoba", "3 osoby", "12 osób".
fn people(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        _ if n == 1 => "osoba",
        (2..=4, d) if !(12..=14).contains(&d) => "osoby",
        _ => "osób",
    };
    format!("{n} {word}")
}

/// One chosen participant, as the review shows them.
struct Line {
    id: Uuid,
    name: String,
    status: &'static str,
    worker: String,
}

#[derive(Template)]
#[template(path = "participants/reassign.html")]
struct ReviewPage {
    layout: Layout,
    lines: Vec<Line>,
    workers: Vec<Choice>,
    errors: FieldErrors,
    /// The `confirm` value the review posts.
    confirm: &'static str,
}

fn review(
    state: &AppState,
    user: &CurrentUser,
    chosen: Vec<reassign::Chosen>,
    workers: &[reassign::Caseworker],
    selected: &str,
    errors: FieldErrors,
) -> Result<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReviewPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Przydział pracownika socjalnego: {}", people(chosen.len())),
            "/participants",
        ),
        lines: chosen
            .into_iter()
            .map(|c| Line {
                id: c.participant_id,
                name: c.name,
                status: status_label(c.status, None),
                worker: c
                    .worker_name
                    .unwrap_or_else(|| "nie przydzielono".to_owned()),
            })
            .collect(),
        workers: workers
            .iter()
            .map(|w| {
                let label = format!("{} – teraz {}", w.name, people(w.caseload as usize));
                Choice::new(w.id.to_string(), label, selected)
            })
            .collect(),
        errors,
        confirm: CONFIRMED,
    };
    render_with_status(status, &page)
}

/// `POST /participants/reassign`: from the list, the review; from the review, the change.
pub(super) async fn reassign(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<ReassignForm>,
) -> Result<Response> {
    user.authorize(&state, Action::AssignSocialWorker, Target::Centre)
        .await?;
    let ids = form.ids()?;
    if ids.is_empty() {
        return Err(AppError::bad_request(
            "Zaznacz na liście osoby, którym chcesz przydzielić pracownika socjalnego.",
        ));
    }
    let mut tx = state.db.begin().await?;
    let chosen = reassign::chosen(&mut *tx, user.centre_id, &ids, true).await?;
    if chosen.len() != ids.len() {
        // Someone who is not a participant of this centre: as if the page did not exist.
        return Err(AppError::NotFound);
    }
    for c in &chosen {
        let facts = ParticipantFacts {
            participant_id: c.participant_id,
            social_worker_id: c.social_worker_id,
            status: c.status,
            in_actor_workshop: false,
        };
        let target = Target::Participant(&facts);
        if let Err(refusal) = policy::check(user.actor(), Action::AssignSocialWorker, target) {
            drop(tx);
            return Err(user
                .refused(&state, Action::AssignSocialWorker, target, refusal)
                .await);
        }
    }
    let workers = reassign::caseworkers(&mut *tx, user.centre_id).await?;
    let worker = Uuid::parse_str(form.social_worker.trim())
        .ok()
        .and_then(|id| workers.iter().find(|w| w.id == id));
    let worker = match (worker, confirmed(&form.confirm)) {
        (Some(worker), true) => worker,
        (found, confirmed) => {
            drop(tx);
            let mut errors = FieldErrors::new();
            if found.is_none() && confirmed {
                errors.add("social_worker", "Wybierz pracownika socjalnego z listy.");
            }
            return review(&state, &user, chosen, &workers, &form.social_worker, errors);
        }
    };
    // One statement changes them all (and writes their history); an audit row each.
    let ids: Vec<Uuid> = chosen.iter().map(|c| c.participant_id).collect();
    let changes =
        db::assign_social_worker(&mut *tx, user.centre_id, &ids, worker.id, user.user_id).await?;
    let changed = changes.len();
    let mut moved: Vec<Uuid> = vec![worker.id];
    for (id, before) in changes {
        moved.extend(before);
        let event = AuditEvent::new(Action::AssignSocialWorker.code(), Outcome::Success)
            .by(user.audit_actor())
            .on("participant", id)
            .participant(id)
            .detail(format!("{},bulk", worker.id));
        audit::record(&mut *tx, &user.meta, event).await?;
    }
    db::forget_work_counts(&mut *tx, &moved).await?;
    let summary = AuditEvent::new("participant.reassign", Outcome::Success)
        .on("staff_user", worker.id)
        .detail(format!("{changed}/{}", chosen.len()));
    let message = format!(
        "Przydzielono pracownika socjalnego {}: {} (bez zmian: {}).",
        worker.name,
        people(changed),
        chosen.len() - changed
    );
    let to = format!("/participants?status=all&worker={}", worker.id);
    finish(tx, &user, summary, &message, &to).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_people_read_as_polish_does() {
        let cases = [
            (1, "1 osoba"),
            (2, "2 osoby"),
            (4, "4 osoby"),
            (5, "5 osób"),
            (12, "12 osób"),
            (14, "14 osób"),
            (22, "22 osoby"),
            (25, "25 osób"),
            (0, "0 osób"),
        ];
        for (n, want) in cases {
            assert_eq!(people(n), want);
        }
    }
}
