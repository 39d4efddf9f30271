//! A participant's opinions (`/participants/{id}/opinions`): per kind the reader may read, the
//! current one and its history (signed off, withdrawn, open), and for the keepers of the file
//! the request form: the kind and the colleague of the matching role. Requesting a kind that
//! has an open request withdraws that one (it stays in the history).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, Participant};
use super::inbox::opinion_href;
use super::opinions_href;
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Field, Target, readable_opinions};
use crate::auth::session::CurrentUser;
use crate::domain::{OpinionKind, OpinionStatus};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors, choices};
use crate::web::page::{Layout, render_with_status};
use crate::web::path::IdPath;

/// The request form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RequestForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    author: String,
}

/// One opinion in the history of its kind.
struct Line {
    href: String,
    status: &'static str,
    current: bool,
    author: String,
    requested: String,
    /// When it was signed off or withdrawn.
    settled: Option<String>,
    /// The reader may withdraw it (an open request).
    withdraw: Option<String>,
}

/// One kind's history.
struct Group {
    /// The kind's code: the section's anchor (`#kind-psychologist`), which the IPZS links to.
    code: &'static str,
    label: &'static str,
    required: bool,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "opinions/list.html")]
struct ListPage {
    layout: Layout,
    participant_id: Uuid,
    groups: Vec<Group>,
    can_request: bool,
    kinds: Vec<Choice>,
    people: Vec<Choice>,
    errors: FieldErrors,
}

/// `GET /participants/{id}/opinions`.
pub(super) async fn list_opinions(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    page(
        &state,
        &user,
        id,
        RequestForm::default(),
        FieldErrors::new(),
    )
    .await
}

/// Reads the list (its audit row in the read's transaction) and shows it with the request
/// form as given.
async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: RequestForm,
    errors: FieldErrors,
) -> Result<Response> {
    let actor = user.actor();
    let mut tx = state.db.begin().await?;
    let p = db::participant(&mut tx, user.centre_id, id, user.user_id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = p.facts();
    let target = Target::Participant(&facts);
    if let Err(refusal) = policy::check(actor, Action::ViewOpinion, target) {
        drop(tx);
        return Err(user
            .refused(state, Action::ViewOpinion, target, refusal)
            .await);
    }
    let kinds = readable_opinions(actor);
    // A view of the file (it shows in "Kto przeglądał teczkę"): the list of its opinions.
    let shown: Vec<&str> = std::iter::once("opinions")
        .chain(kinds.iter().map(|k| Field::for_opinion(*k).code()))
        .collect();
    let event = AuditEvent::new(Action::ViewParticipant.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id)
        .detail(shown.join(","));
    audit::record_read(&mut *tx, &user.meta, event).await?;
    let rows = db::list(&mut *tx, user.centre_id, id, &kinds).await?;
    let required = db::required(&mut *tx, user.centre_id).await?;
    let can_request = user.can(Action::RequestOpinion, target);
    let colleagues = if can_request {
        db::colleagues(&mut *tx, user.centre_id).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let can_withdraw =
        |o: &policy::OpinionFacts| user.can(Action::WithdrawOpinion, Target::Opinion(o));
    let groups = kinds
        .iter()
        .map(|kind| {
            let mut current_seen = false;
            let lines = rows
                .iter()
                .filter(|r| r.kind == *kind)
                .map(|r| {
                    let current = r.status == OpinionStatus::SignedOff && !current_seen;
                    current_seen |= current;
                    let opinion = policy::OpinionFacts {
                        opinion_id: r.opinion_id,
                        participant: facts,
                        kind: r.kind,
                        author_id: Uuid::nil(),
                    };
                    let open = r.status == OpinionStatus::Requested;
                    Line {
                        href: opinion_href(r.opinion_id),
                        status: r.status.label(),
                        current,
                        author: r.author_name.clone(),
                        requested: format!(
                            "{}, {}",
                            dates::format_moment(r.requested_at),
                            r.requested_by_name
                        ),
                        settled: r.signed_off_at.or(r.withdrawn_at).map(dates::format_moment),
                        withdraw: (open && can_withdraw(&opinion))
                            .then(|| format!("/opinions/{}/withdraw", r.opinion_id)),
                    }
                })
                .collect();
            Group {
                code: kind.code(),
                label: kind.label(),
                required: required.contains(kind),
                lines,
            }
        })
        .collect();
    let people = colleagues
        .iter()
        .map(|c| {
            Choice::new(
                c.staff_user_id.to_string(),
                format!("{} ({})", c.full_name, c.role.label()),
                &form.author,
            )
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ListPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Opinie do IPZS: {}", p.name()),
            "/participants",
        ),
        participant_id: id,
        groups,
        can_request,
        kinds: choices::<OpinionKind>(&form.kind),
        people,
        errors,
    };
    render_with_status(status, &page)
}

/// `POST /participants/{id}/opinions`: requests an opinion (again).
pub(super) async fn request_opinion(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<RequestForm>,
) -> Result<Response> {
    let mut tx = state.db.begin().await?;
    let p: Participant = db::participant(&mut tx, user.centre_id, id, user.user_id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = p.facts();
    let target = Target::Participant(&facts);
    if let Err(refusal) = policy::check(user.actor(), Action::RequestOpinion, target) {
        drop(tx);
        return Err(user
            .refused(&state, Action::RequestOpinion, target, refusal)
            .await);
    }
    let colleagues = db::colleagues(&mut *tx, user.centre_id).await?;
    let mut errors = FieldErrors::new();
    let kind = errors.take(
        "kind",
        OpinionKind::from_code(&form.kind).ok_or_else(|| "Wybierz rodzaj opinii.".to_owned()),
    );
    let chosen = Uuid::parse_str(form.author.trim())
        .ok()
        .and_then(|a| colleagues.iter().find(|c| c.staff_user_id == a));
    let author = match (chosen, kind) {
        (None, _) => {
            errors.add(
                "author",
                "Wybierz z listy osobę z zespołu ośrodka, która napisze opinię.",
            );
            None
        }
        (Some(c), Some(kind)) if c.role != kind.author_role() => {
            errors.add(
                "author",
                format!(
                    "{} nie pisze opinii tego rodzaju – wybierz osobę z rolą „{}”.",
                    c.full_name,
                    kind.author_role().label()
                ),
            );
            None
        }
        (Some(c), _) => Some(c.staff_user_id),
    };
    let (Some(kind), Some(author)) = (kind, author) else {
        drop(tx);
        return page(&state, &user, id, form, errors).await;
    };
    let replaced = db::withdraw_open(&mut tx, id, kind, user.user_id).await?;
    let opinion = db::request(&mut tx, user.centre_id, id, kind, author, user.user_id).await?;
    let mut forget = vec![author];
    forget.extend(replaced.map(|(_, old_author)| old_author));
    db::forget_work_counts(&mut *tx, &forget).await?;
    let mut detail = format!("kind={},author={author}", kind.code());
    if let Some((old, _)) = replaced {
        detail.push_str(&format!(",replaces={old}"));
    }
    let event = AuditEvent::new(Action::RequestOpinion.code(), Outcome::Success)
        .on("opinion", opinion)
        .participant(id)
        .detail(detail);
    let message = match replaced {
        Some(_) => "Zlecono opinię ponownie; poprzednie zlecenie wycofano (zostaje w historii).",
        None => "Zlecono opinię.",
    };
    finish(tx, &user, event, message, &opinions_href(id)).await
}
