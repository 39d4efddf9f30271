//! One opinion (`/opinions/{id}`): its author's form while it is open (a draft saved any
//! number of times, each save naming the revision it was made from), its sign-off and the
//! withdrawal of the request (both confirmed on the one confirmation page first), and for
//! everyone else who may read it the signed-off text, frozen, dated and attributed, with the
//! sections their field rules allow.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::db::{self, Stored};
use super::opinions_href;
use super::sections::{self, MAX_SECTION};
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Target, Visibility};
use crate::auth::session::CurrentUser;
use crate::documents::version::Sections;
use crate::domain::OpinionStatus;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::confirm::{ConfirmForm, ConfirmPage, confirmed};
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

type Tx = sqlx::Transaction<'static, sqlx::Postgres>;

/// The author's form as posted: the revision it was made from and the sections of every kind
/// (a kind's form sends its own; a section of another kind is refused).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OpinionForm {
    #[serde(default)]
    revision: String,
    abilities: Option<String>,
    health: Option<String>,
    motivation: Option<String>,
    recommendations: Option<String>,
    interests: Option<String>,
    aptitudes: Option<String>,
    directions: Option<String>,
    skills: Option<String>,
    readiness: Option<String>,
}

impl OpinionForm {
    fn fields(&self) -> [(&'static str, Option<&str>); 9] {
        [
            ("abilities", self.abilities.as_deref()),
            ("health", self.health.as_deref()),
            ("motivation", self.motivation.as_deref()),
            ("recommendations", self.recommendations.as_deref()),
            ("interests", self.interests.as_deref()),
            ("aptitudes", self.aptitudes.as_deref()),
            ("directions", self.directions.as_deref()),
            ("skills", self.skills.as_deref()),
            ("readiness", self.readiness.as_deref()),
        ]
    }
}

/// The sign-off as posted: the revision it signs, and the confirmation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignOffForm {
    #[serde(default)]
    revision: String,
    #[serde(default)]
    confirm: String,
}

/// One section of the author's form.
struct Field {
    key: &'static str,
    label: String,
    hint: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "opinions/edit.html")]
struct EditPage {
    layout: Layout,
    opinion_id: Uuid,
    back: (String, &'static str),
    requested: String,
    revision: i32,
    fields: Vec<Field>,
    conflict: Option<&'static str>,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "opinions/show.html")]
struct ShowPage {
    layout: Layout,
    back: (String, &'static str),
    status: &'static str,
    facts: Vec<(&'static str, String)>,
    /// Why no text is shown (a draft, a withdrawn request).
    no_text: Option<&'static str>,
    sections: Vec<(&'static str, String)>,
}

/// Where the page leads back: the file's opinions for whoever reads them, else Start.
fn back(user: &CurrentUser, o: &Stored) -> (String, &'static str) {
    let facts = o.facts();
    if user.can(Action::ViewOpinion, Target::Participant(&facts.participant)) {
        (opinions_href(o.participant_id), "← Opinie uczestnika")
    } else {
        ("/".to_owned(), "← Start")
    }
}

fn title(o: &Stored) -> String {
    format!("{}: {}", o.kind.label(), o.participant_name())
}

fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    o: &Stored,
    text: &Sections,
    conflict: Option<&'static str>,
    errors: FieldErrors,
) -> EditPage {
    EditPage {
        layout: Layout::for_user(state, user, title(o), "/"),
        opinion_id: o.opinion_id,
        back: back(user, o),
        requested: format!(
            "Zleca: {}, {}",
            o.requested_by_name,
            dates::format_moment(o.requested_at)
        ),
        revision: o.revision,
        fields: sections::of(o.kind)
            .iter()
            .map(|d| Field {
                key: d.key,
                label: if d.required {
                    d.label.to_owned()
                } else {
                    format!("{} (jeśli dotyczy)", d.label)
                },
                hint: d.hint,
                value: text.get(d.key).unwrap_or_default().to_owned(),
            })
            .collect(),
        conflict,
        errors,
    }
}

/// Loads the opinion in a transaction (locked for a write) and asks the policy about `action`;
/// a refusal ends the transaction before it is audited.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
    lock: bool,
) -> Result<(Tx, Stored)> {
    let mut tx = state.db.begin().await?;
    if lock && !db::lock(&mut tx, user.centre_id, id).await? {
        return Err(AppError::NotFound);
    }
    let o = db::find(&mut *tx, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = o.facts();
    let target = Target::Opinion(&facts);
    if let Err(refusal) = policy::check(user.actor(), action, target) {
        drop(tx);
        return Err(user.refused(state, action, target, refusal).await);
    }
    Ok((tx, o))
}

/// The audit row of a read of opinion `o`: a view of the participant's file (it shows in "Kto
/// przeglądał teczkę"), whose detail says how it was read (`opinion_draft`, `opinion_author`,
/// `opinion`, `opinion_status`) and which parts of the field table it showed.
fn read_event<'a>(user: &CurrentUser, o: &Stored, how: &str, fields: &[&str]) -> AuditEvent<'a> {
    let detail = std::iter::once(how)
        .chain(fields.iter().copied())
        .collect::<Vec<_>>();
    AuditEvent::new(Action::ViewParticipant.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("opinion", o.opinion_id)
        .participant(o.participant_id)
        .detail(detail.join(","))
}

/// The part of the field table an opinion of `o`'s kind is.
fn kind_field(o: &Stored) -> &'static str {
    policy::Field::for_opinion(o.kind).code()
}

/// `GET /opinions/{id}`: the author's form while it is open, else the opinion as the reader
/// may read it.
pub(super) async fn show_opinion(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (mut tx, o) = load(&state, &user, id, Action::ViewOpinion, false).await?;
    let facts = o.facts();
    if o.status == OpinionStatus::Requested
        && user.can(Action::WriteOpinion, Target::Opinion(&facts))
    {
        let event = read_event(&user, &o, "opinion_draft", &[kind_field(&o)]);
        audit::record_read(&mut *tx, &user.meta, event).await?;
        tx.commit().await?;
        let page = edit_page(&state, &user, &o, &o.sections, None, FieldErrors::new());
        return render(&page);
    }
    let sees = Visibility::within_scope(user.actor());
    let (how, sections, fields) = if o.status == OpinionStatus::SignedOff {
        // The author reads their own opinion whole, wherever the file is.
        if o.author_id == user.user_id {
            let all = sections::of(o.kind)
                .iter()
                .filter_map(|d| {
                    let text = o.sections.get(d.key).filter(|t| !t.is_empty())?;
                    Some((d.label, text.to_owned()))
                })
                .collect();
            ("opinion_author", all, vec![kind_field(&o)])
        } else {
            let (shown, fields) = sections::readable(o.kind, &o.sections, &sees);
            ("opinion", shown, fields.iter().map(|f| f.code()).collect())
        }
    } else {
        ("opinion_status", Vec::new(), Vec::new())
    };
    let event = read_event(&user, &o, how, &fields);
    audit::record_read(&mut *tx, &user.meta, event).await?;
    tx.commit().await?;
    let mut facts = vec![
        ("Autor", o.author_name.clone()),
        (
            "Zlecenie",
            format!(
                "{}, {}",
                dates::format_moment(o.requested_at),
                o.requested_by_name
            ),
        ),
    ];
    if let Some(at) = o.signed_off_at {
        facts.push((
            "Zatwierdzona",
            format!("{}, {}", dates::format_moment(at), o.author_name),
        ));
    }
    if let Some(at) = o.withdrawn_at {
        let by = o.withdrawn_by_name.clone().unwrap_or_default();
        facts.push(("Wycofana", format!("{}, {by}", dates::format_moment(at))));
    }
    let no_text = match o.status {
        OpinionStatus::Requested => {
            Some("Opinia jest w przygotowaniu – jej treść zobaczysz, gdy autor ją zatwierdzi.")
        }
        OpinionStatus::Withdrawn => Some("Zlecenie wycofano – ta opinia nie wchodzi do IPZS."),
        OpinionStatus::SignedOff => None,
    };
    render(&ShowPage {
        layout: Layout::for_user(&state, &user, title(&o), "/"),
        back: back(&user, &o),
        status: o.status.label(),
        facts,
        no_text,
        sections,
    })
}

/// Ends a successful step on opinion `o`: its audit row (`action` with `detail`) in the step's
/// transaction, the flash `message`, commit, and on to `to`.
async fn done(
    tx: Tx,
    user: &CurrentUser,
    o: &Stored,
    action: Action,
    detail: String,
    message: &str,
    to: &str,
) -> Result<Response> {
    let event = AuditEvent::new(action.code(), Outcome::Success)
        .on("opinion", o.opinion_id)
        .participant(o.participant_id)
        .detail(detail);
    finish(tx, user, event, message, to).await
}

/// Why a step cannot be taken on an opinion that is no longer open (409).
fn not_open(status: OpinionStatus) -> AppError {
    AppError::conflict(match status {
        OpinionStatus::SignedOff => "Ta opinia jest już zatwierdzona – jej treść się nie zmienia.",
        _ => "Zlecenie tej opinii wycofano – nie można jej już pisać ani zatwierdzić.",
    })
}

/// `POST /opinions/{id}`: saves the draft.
pub(super) async fn save_opinion(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<OpinionForm>,
) -> Result<Response> {
    let (mut tx, o) = load(&state, &user, id, Action::WriteOpinion, true).await?;
    if o.status != OpinionStatus::Requested {
        return Err(not_open(o.status));
    }
    let defs = sections::of(o.kind);
    if form
        .fields()
        .iter()
        .any(|(key, value)| value.is_some() && !defs.iter().any(|d| d.key == *key))
    {
        return Err(AppError::bad_request(
            "Formularz zawiera pola, których ta opinia nie ma.",
        ));
    }
    let mut errors = FieldErrors::new();
    let mut text = Sections::new();
    for d in defs {
        let raw = form
            .fields()
            .iter()
            .find(|(key, _)| *key == d.key)
            .and_then(|(_, v)| *v)
            .unwrap_or_default();
        match validate::optional_text(raw, MAX_SECTION) {
            Ok(value) => text.set(d.key, value.unwrap_or_default()),
            Err(message) => {
                errors.add(d.key, message);
                text.set(d.key, raw);
            }
        }
    }
    if !errors.is_empty() {
        drop(tx);
        let page = edit_page(&state, &user, &o, &text, None, errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let from = validate::version(&form.revision);
    let Some(revision) = db::save(&mut tx, id, from, &text).await? else {
        drop(tx);
        // Saved since (another window): the user's text is kept, to be saved over it.
        let conflict = "Tę opinię zapisano w międzyczasie (np. w innym oknie). Poniżej jest Twój tekst – zapisz go ponownie, aby zastąpić tamtą wersję.";
        let page = edit_page(&state, &user, &o, &text, Some(conflict), FieldErrors::new());
        return render_with_status(StatusCode::CONFLICT, &page);
    };
    let detail = format!("revision={revision}");
    let to = format!("/opinions/{id}");
    let message = "Zapisano wersję roboczą opinii.";
    done(tx, &user, &o, Action::WriteOpinion, detail, message, &to).await
}

/// `POST /opinions/{id}/sign-off`: confirmed, freezes the opinion as saved at the revision.
pub(super) async fn sign_off_opinion(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<SignOffForm>,
) -> Result<Response> {
    let (mut tx, o) = load(&state, &user, id, Action::SignOffOpinion, true).await?;
    if o.status != OpinionStatus::Requested {
        return Err(not_open(o.status));
    }
    let revision = validate::version(&form.revision);
    if revision != o.revision {
        return Err(AppError::conflict(
            "Opinię zapisano ponownie po otwarciu tej strony – otwórz ją jeszcze raz i sprawdź tekst przed zatwierdzeniem.",
        ));
    }
    let missing = sections::missing(o.kind, &o.sections);
    if !missing.is_empty() {
        let mut errors = FieldErrors::new();
        for d in missing {
            errors.add(
                d.key,
                format!("Uzupełnij część „{}” przed zatwierdzeniem.", d.label),
            );
        }
        let event = read_event(&user, &o, "opinion_draft", &[kind_field(&o)]);
        audit::record_read(&mut *tx, &user.meta, event).await?;
        tx.commit().await?;
        let page = edit_page(&state, &user, &o, &o.sections, None, errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    if !confirmed(&form.confirm) {
        drop(tx);
        let page = ConfirmPage::new(
            Layout::for_user(&state, &user, format!("Zatwierdzić {}?", o.kind.label().to_lowercase()), "/"),
            format!("/opinions/{id}/sign-off"),
            format!("/opinions/{id}"),
            vec![("revision", revision.to_string())],
            "Zatwierdź opinię",
        )
        .fact("Uczestnik", o.participant_name())
        .fact("Autor", o.author_name.clone())
        .consequence("Opinia zostanie zatwierdzona w wersji ostatnio zapisanej, z dzisiejszą datą i Twoim nazwiskiem.")
        .consequence("Po zatwierdzeniu nikt nie zmieni jej treści; nowa opinia wymaga nowego zlecenia.")
        .back_label("Wróć do opinii")
        .not_danger();
        return render(&page);
    }
    if !db::sign_off(&mut tx, id, revision).await? {
        return Err(AppError::conflict(
            "Tej opinii nie można już zatwierdzić – zmieniła się w międzyczasie.",
        ));
    }
    db::forget_work_counts(&mut *tx, &[o.author_id]).await?;
    let detail = format!("revision={revision}");
    let to = format!("/opinions/{id}");
    done(
        tx,
        &user,
        &o,
        Action::SignOffOpinion,
        detail,
        "Opinia zatwierdzona.",
        &to,
    )
    .await
}

/// `POST /opinions/{id}/withdraw`: confirmed, withdraws an open request.
pub(super) async fn withdraw_opinion(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<ConfirmForm>,
) -> Result<Response> {
    let (mut tx, o) = load(&state, &user, id, Action::WithdrawOpinion, true).await?;
    if o.status != OpinionStatus::Requested {
        return Err(not_open(o.status));
    }
    if !confirmed(&form.confirm) {
        drop(tx);
        let page = ConfirmPage::new(
            Layout::for_user(&state, &user, "Wycofać zlecenie opinii?", "/participants"),
            format!("/opinions/{id}/withdraw"),
            opinions_href(o.participant_id),
            Vec::new(),
            "Wycofaj zlecenie",
        )
        .fact("Uczestnik", o.participant_name())
        .fact("Opinia", o.kind.label().to_owned())
        .fact("Autor", o.author_name.clone())
        .consequence(format!(
            "{} nie będzie już mieć tej opinii do napisania; zapisany szkic zostaje w historii, ale nie wchodzi do IPZS.",
            o.author_name
        ))
        .consequence("Opinię tego rodzaju można później zlecić ponownie.");
        return render(&page);
    }
    if !db::withdraw(&mut tx, id, user.user_id).await? {
        return Err(not_open(OpinionStatus::Withdrawn));
    }
    db::forget_work_counts(&mut *tx, &[o.author_id]).await?;
    let detail = o.kind.code().to_owned();
    let to = opinions_href(o.participant_id);
    let message = "Wycofano zlecenie opinii.";
    done(tx, &user, &o, Action::WithdrawOpinion, detail, message, &to).await
}
