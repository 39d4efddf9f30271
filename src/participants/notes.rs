//! Case notes on the participant's file and the file's timeline. Whoever may open a file may
//! add a dated note (date, kind, topic, text) with a visibility they read themselves (the
//! policy's `Visibility::note_choices`); a note is never edited: its author corrects it with a
//! new note that refers to it, and the old one shows "skorygowano". The timeline (notes, status
//! changes, documents' steps, newest first) is read with the file page and audited with it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::access;
use super::db::notes::{self, NewNote, TimelineEntry, TimelineRead};
use super::model::NoteKind;
use super::record::Record;
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{self, Action, NoteAccess, Refusal, Visibility};
use crate::auth::session::CurrentUser;
use crate::documents::db::DocumentKind;
use crate::documents::workflow::Step;
use crate::domain::{NoteVisibility, Status};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, FieldErrors, choices, choices_of, past_date};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::{IdPairPath, IdPath};

/// What of the timeline `sees` shows, from `before`.
pub(super) fn timeline_read(
    sees: &Visibility,
    before: Option<notes::Cursor>,
    limit: i64,
) -> TimelineRead {
    let with = |access| {
        NoteVisibility::ALL
            .into_iter()
            .filter(|v| sees.note(*v) == access)
            .collect()
    };
    TimelineRead {
        read: with(NoteAccess::Read),
        markers: with(NoteAccess::Marker),
        history: sees.shows(policy::Field::StatusHistory),
        before,
        limit,
    }
}

/// One entry of the timeline, as shown.
pub(super) struct Line {
    /// The element id other entries link to (`note-…`).
    pub anchor: String,
    pub date: String,
    /// The date for `<time datetime>`.
    pub iso_date: String,
    pub title: String,
    /// Who may read a note ("praca socjalna").
    pub audience: Option<&'static str>,
    pub body: Option<String>,
    pub who: String,
    /// The note this one corrects (its anchor).
    pub corrects: Option<String>,
    /// The note that corrects this one (its anchor).
    pub corrected_by: Option<String>,
    /// The reader may correct this note.
    pub correct_href: Option<String>,
}

/// A page of the timeline.
pub(super) struct Timeline {
    pub lines: Vec<Line>,
    /// The cursor of the next (older) page.
    pub older: Option<String>,
    pub first_page: bool,
    /// The reader may add a note.
    pub can_add: bool,
}

/// The page of the timeline `entries` (one more than `limit` when older ones exist) as
/// `user` sees it on the file of `record`.
pub(super) fn timeline(
    user: &CurrentUser,
    sees: &Visibility,
    record: &Record,
    mut entries: Vec<TimelineEntry>,
    (first_page, limit): (bool, i64),
    can_add: bool,
) -> Timeline {
    let older = (entries.len() as i64 > limit).then(|| {
        entries.truncate(limit as usize);
        entries.last().map(|e| e.cursor.clone())
    });
    let female = record.data.female();
    let id = record.participant_id;
    let lines = entries
        .into_iter()
        .map(|e| line(user, sees, id, female, e))
        .collect();
    Timeline {
        lines,
        older: older.flatten(),
        first_page,
        can_add,
    }
}

fn line(
    user: &CurrentUser,
    sees: &Visibility,
    id: Uuid,
    female: Option<bool>,
    e: TimelineEntry,
) -> Line {
    let anchor = |id: Uuid| format!("note-{id}");
    let mut line = Line {
        anchor: anchor(e.id),
        date: dates::format(e.on_date),
        iso_date: dates::iso(e.on_date),
        title: String::new(),
        audience: None,
        body: None,
        who: e.who.clone().unwrap_or_else(|| "–".to_owned()),
        corrects: None,
        corrected_by: None,
        correct_href: None,
    };
    match e.entry.as_str() {
        "note" => {
            let visibility = e.visibility.unwrap_or(NoteVisibility::Team);
            line.audience = Some(visibility.short_label());
            match (e.note_kind, e.topic) {
                (Some(kind), Some(topic)) => {
                    line.title = format!("{}: {topic}", kind.label());
                    line.body = e.body;
                    line.corrects = e.corrects_id.map(anchor);
                    line.corrected_by = e.corrected_by.map(anchor);
                    let author = e.who_id.unwrap_or_default();
                    if e.corrected_by.is_none()
                        && policy::may_correct_note(user.actor(), sees, author, visibility)
                    {
                        line.correct_href =
                            Some(format!("/participants/{id}/notes/{}/correction", e.id));
                    }
                }
                _ => line.title = "Notatka psychologa (treść widzą tylko psycholodzy)".to_owned(),
            }
        }
        "worker" => line.title = history_title(&e, female),
        _ => {
            line.title = history_title(&e, female);
            line.body = e.reason;
        }
    }
    line
}

/// What a timeline entry other than a note says happened: a status change, a change of social
/// worker, a document's step (the file's timeline and the subject-access export).
pub fn history_title(e: &TimelineEntry, female: Option<bool>) -> String {
    let status = |s: Option<Status>| s.map_or("", |s| s.label_for(female));
    match e.entry.as_str() {
        "status" => match e.from_status {
            Some(_) => format!(
                "Zmiana statusu: {} → {}",
                status(e.from_status),
                status(e.to_status)
            ),
            None => format!("Rejestracja: {}", status(e.to_status)),
        },
        "worker" => match &e.topic {
            Some(before) => format!(
                "Zmiana pracownika socjalnego: {before} → {}",
                e.body.as_deref().unwrap_or("–")
            ),
            None => format!(
                "Przydzielono pracownika socjalnego: {}",
                e.body.as_deref().unwrap_or("–")
            ),
        },
        _ => {
            let kind = e
                .document_kind
                .as_deref()
                .and_then(DocumentKind::from_code)
                .map_or("Dokument", |k| k.label());
            let step = e.step.as_deref().and_then(Step::history_label);
            format!("{kind}: {}", step.unwrap_or("zmiana"))
        }
    }
}

/// The note form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoteForm {
    noted_on: String,
    kind: String,
    topic: String,
    body: String,
    #[serde(default)]
    visibility: String,
}

#[derive(Template)]
#[template(path = "participants/note.html")]
struct NotePage {
    layout: Layout,
    id: Uuid,
    /// The form posts here (a new note or the correction of one).
    action: String,
    kinds: Vec<Choice>,
    /// The visibilities the author may choose; empty for a correction (it keeps the note's).
    visibilities: Vec<Choice>,
    /// A correction: the visibility it keeps.
    fixed_visibility: Option<&'static str>,
    form: NoteForm,
    errors: FieldErrors,
}

/// What the note form is for.
enum Purpose {
    New,
    /// The correction of `note`, whose visibility it keeps.
    Correction(Uuid, NoteVisibility),
}

fn note_page(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    purpose: &Purpose,
    form: NoteForm,
    errors: FieldErrors,
) -> NotePage {
    let id = record.participant_id;
    let sees = Visibility::within_scope(user.actor());
    let (title, action, fixed) = match purpose {
        Purpose::New => ("Nowa notatka", format!("/participants/{id}/notes"), None),
        Purpose::Correction(note, visibility) => (
            "Korekta notatki",
            format!("/participants/{id}/notes/{note}/correction"),
            Some(visibility.label()),
        ),
    };
    NotePage {
        layout: Layout::for_user(
            state,
            user,
            format!("{title}: {}", record.name()),
            "/participants",
        ),
        id,
        action,
        kinds: choices::<NoteKind>(&form.kind),
        visibilities: match purpose {
            Purpose::New => choices_of(&sees.note_choices(), &form.visibility),
            Purpose::Correction(..) => Vec::new(),
        },
        fixed_visibility: fixed,
        form,
        errors,
    }
}

impl NoteForm {
    /// The note this form describes, or its messages. `fixed` is a correction's visibility.
    fn checked(
        &self,
        sees: &Visibility,
        fixed: Option<NoteVisibility>,
        today: Date,
    ) -> std::result::Result<NewNote, FieldErrors> {
        let mut errors = FieldErrors::new();
        let noted_on = errors.take("noted_on", past_date(&self.noted_on, today));
        let kind = errors.take(
            "kind",
            NoteKind::from_code(&self.kind).ok_or_else(|| "Wybierz rodzaj notatki.".to_owned()),
        );
        let topic = errors.take("topic", validate::required_text(&self.topic, 200));
        let body = errors.take("body", validate::required_text(&self.body, 8000));
        let visibility = match fixed {
            Some(v) => Some(v),
            None => errors.take(
                "visibility",
                NoteVisibility::from_code(&self.visibility)
                    .filter(|v| sees.note_choices().contains(v))
                    .ok_or_else(|| "Wybierz, kto może przeczytać notatkę.".to_owned()),
            ),
        };
        match (noted_on, kind, topic, body, visibility) {
            (Some(noted_on), Some(kind), Some(topic), Some(body), Some(visibility)) => {
                Ok(NewNote {
                    noted_on,
                    kind,
                    topic,
                    body,
                    visibility,
                    corrects: None,
                })
            }
            _ => Err(errors),
        }
    }
}

/// `GET /participants/{id}/notes/new`.
pub(super) async fn note_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let record = access::load(&state, &user, id, Action::AddCaseNote).await?;
    let form = NoteForm {
        noted_on: dates::iso(state.today()),
        ..NoteForm::default()
    };
    let page = note_page(
        &state,
        &user,
        &record,
        &Purpose::New,
        form,
        FieldErrors::new(),
    );
    render(&page)
}

/// `POST /participants/{id}/notes`.
pub(super) async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<NoteForm>,
) -> Result<Response> {
    let (mut tx, record) = access::lock(&state, &user, id, Action::AddCaseNote).await?;
    let sees = Visibility::within_scope(user.actor());
    let note = match form.checked(&sees, None, state.today()) {
        Ok(note) => note,
        Err(errors) => {
            drop(tx);
            let page = note_page(&state, &user, &record, &Purpose::New, form, errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let note_id = notes::add_note(&mut *tx, user.centre_id, id, user.user_id, &note).await?;
    let event = access::done(Action::AddCaseNote, id)
        .on("case_note", note_id)
        .detail(note.visibility.code());
    access::finish(tx, &user, id, event, "Dodano notatkę.").await
}

/// Why a note cannot be corrected by this reader.
enum NotCorrectable {
    /// Not there, or not theirs to read (404, like a missing one).
    Refused(Refusal),
    /// Corrected already (409).
    Corrected,
}

/// The note `note_id` of the file, if `user` may correct it.
async fn correctable(
    db: impl sqlx::PgExecutor<'_>,
    user: &CurrentUser,
    id: Uuid,
    note_id: Uuid,
) -> Result<std::result::Result<notes::StoredNote, NotCorrectable>> {
    let Some(note) = notes::find_note(db, user.centre_id, id, note_id).await? else {
        return Ok(Err(NotCorrectable::Refused(Refusal::NotFound)));
    };
    let sees = Visibility::within_scope(user.actor());
    Ok(if sees.note(note.visibility) != NoteAccess::Read {
        Err(NotCorrectable::Refused(Refusal::NotFound))
    } else if !policy::may_correct_note(user.actor(), &sees, note.author_id, note.visibility) {
        Err(NotCorrectable::Refused(Refusal::Forbidden))
    } else if note.corrected {
        Err(NotCorrectable::Corrected)
    } else {
        Ok(note)
    })
}

/// The answer to a correction that may not be made; a refusal is audited.
async fn not_correctable(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    note_id: Uuid,
    why: NotCorrectable,
) -> AppError {
    match why {
        NotCorrectable::Corrected => {
            AppError::conflict("Ta notatka ma już korektę – popraw najnowszą wersję.")
        }
        NotCorrectable::Refused(refusal) => {
            let event = AuditEvent::new(Action::AddCaseNote.code(), Outcome::Denied)
                .by(user.audit_actor())
                .on("case_note", note_id)
                .participant(id);
            match audit::record(&state.db, &user.meta, event).await {
                Ok(()) => refusal.into(),
                Err(e) => e.into(),
            }
        }
    }
}

/// `GET /participants/{id}/notes/{note}/correction`: the form, filled with the note's text.
pub(super) async fn correction_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPairPath(id, note_id): IdPairPath,
) -> Result<Response> {
    let record = access::load(&state, &user, id, Action::AddCaseNote).await?;
    let note = match correctable(&state.db, &user, id, note_id).await? {
        Ok(note) => note,
        Err(why) => return Err(not_correctable(&state, &user, id, note_id, why).await),
    };
    // The form shows the note's text: a read of the file, audited like the file page.
    let part = policy::Field::for_note(note.visibility).code();
    let event = super::access::view_event(&user, id).detail(format!("correction_form,{part}"));
    audit::record(&state.db, &user.meta, event).await?;
    let form = NoteForm {
        noted_on: dates::iso(note.noted_on),
        kind: note.kind.code().to_owned(),
        topic: note.topic,
        body: note.body,
        visibility: String::new(),
    };
    let purpose = Purpose::Correction(note_id, note.visibility);
    let page = note_page(&state, &user, &record, &purpose, form, FieldErrors::new());
    render(&page)
}

/// `POST /participants/{id}/notes/{note}/correction`.
pub(super) async fn correct_note(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPairPath(id, note_id): IdPairPath,
    SecureForm(form): SecureForm<NoteForm>,
) -> Result<Response> {
    let (mut tx, record) = access::lock(&state, &user, id, Action::AddCaseNote).await?;
    // The participant's row lock serializes the notes of the file: no second correction can
    // slip in between this check and the insert (the unique index would refuse it anyway).
    let old = match correctable(&mut *tx, &user, id, note_id).await? {
        Ok(note) => note,
        Err(why) => {
            drop(tx);
            return Err(not_correctable(&state, &user, id, note_id, why).await);
        }
    };
    let sees = Visibility::within_scope(user.actor());
    let mut note = match form.checked(&sees, Some(old.visibility), state.today()) {
        Ok(note) => note,
        Err(errors) => {
            drop(tx);
            let purpose = Purpose::Correction(note_id, old.visibility);
            let page = note_page(&state, &user, &record, &purpose, form, errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    note.corrects = Some(note_id);
    let new_id = notes::add_note(&mut *tx, user.centre_id, id, user.user_id, &note).await?;
    let event = access::done(Action::AddCaseNote, id)
        .on("case_note", new_id)
        .detail(format!("{},corrects={note_id}", note.visibility.code()));
    access::finish(tx, &user, id, event, "Zapisano korektę notatki.").await
}
