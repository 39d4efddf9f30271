//! `GET /participants/{id}/follow-ups`: one graduate's follow-up — the schedule with each item's
//! state, every contact recorded (reached or not), closer contact with its history and reasons
//! — and the forms that add an extra contact and mark or end closer contact. Part of the file:
//! the read is audited like the file's, in the transaction that reads.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::Date;
use uuid::Uuid;

use super::db::{self, CloserRecord, Contact, ContactData, Item, Person};
use super::due;
use super::form::{CloserInput, ExtraInput};
use super::model::{ContactForm, ContactPartner, GraduateEmployment};
use super::schedule;
use crate::audit;
use crate::auth::participant;
use crate::auth::policy::{Action, ParticipantFacts, Target};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render_form};
use crate::web::path::IdPath;

/// One item of the schedule, as shown.
struct ItemLine {
    due: String,
    kind: &'static str,
    note: String,
    state: String,
    overdue: bool,
}

/// A marking or end of closer contact, as shown.
struct CloserLine {
    /// "od 01.12.2026 – oznaczono" or "01.03.2027 – zakończono".
    what: String,
    reason: String,
    by: String,
}

/// One contact, as shown.
pub(super) struct ContactLine {
    pub(super) on: String,
    pub(super) reached: bool,
    pub(super) how: String,
    /// (question, answer) of what was learnt.
    pub(super) answers: Vec<(&'static str, String)>,
    pub(super) by: String,
}

#[derive(Template)]
#[template(path = "follow_ups/timeline.html")]
struct TimelinePage {
    layout: Layout,
    id: Uuid,
    name: String,
    status: &'static str,
    graduated: Option<String>,
    until: Option<String>,
    worker: String,
    /// Under follow-up today: the forms are offered.
    followed: bool,
    closer_since: Option<String>,
    items: Vec<ItemLine>,
    contacts: Vec<ContactLine>,
    closer_history: Vec<CloserLine>,
    can_record: bool,
    can_manage: bool,
    extra: ExtraInput,
    closer: CloserInput,
    errors: FieldErrors,
}

/// How a contact was made, in words ("Informacja z instytucji partnerskiej: PUP").
fn how(c: &ContactData) -> String {
    match (c.form, c.partner) {
        (ContactForm::Partner, Some(ContactPartner::Other)) => format!(
            "{}: {}",
            c.form.label(),
            c.partner_name.clone().unwrap_or_default()
        ),
        (ContactForm::Partner, Some(p)) => format!("{}: {}", c.form.label(), p.label()),
        (form, _) => form.label().to_owned(),
    }
}

/// A contact as the timeline shows it.
pub(super) fn contact_line(contact: &Contact) -> ContactLine {
    let c = &contact.data;
    let mut answers = Vec::new();
    if let Some(e) = c.employment {
        let employment = match (e, c.contract) {
            (GraduateEmployment::Employed, Some(k)) => format!("zatrudniony – {}", k.label()),
            (e, _) => e.label().to_owned(),
        };
        answers.push(("Sytuacja zawodowa", employment));
    }
    for (question, text) in [
        ("Funkcjonowanie w społeczności", &c.community),
        ("Umiejętności nabyte w CIS", &c.skills),
    ] {
        if !text.is_empty() {
            answers.push((question, text.clone()));
        }
    }
    if let Some(m) = c.skills_match {
        answers.push((
            "Czy umiejętności odpowiadają potrzebom pracodawców",
            m.label().to_owned(),
        ));
    }
    for (question, text) in [("Problemy", &c.problems), ("Podjęte działania", &c.actions)] {
        if !text.is_empty() {
            answers.push((question, text.clone()));
        }
    }
    if c.referred_to_ops {
        answers.push(("Skierowanie do OPS", "tak".to_owned()));
    }
    ContactLine {
        on: dates::format(c.contacted_on),
        reached: c.reached,
        how: how(c),
        answers,
        by: format!(
            "{}, zapisano {}",
            contact.recorded_by,
            dates::format_moment(contact.recorded_at)
        ),
    }
}

fn closer_line(c: &CloserRecord) -> CloserLine {
    CloserLine {
        what: if c.closer {
            format!("od {} – oznaczono", dates::format(c.effective_on))
        } else {
            format!("{} – zakończono", dates::format(c.effective_on))
        },
        reason: c.reason.clone(),
        by: format!(
            "{}, zapisano {}",
            c.recorded_by,
            dates::format_moment(c.recorded_at)
        ),
    }
}

/// An item's line; after the follow-up (`followed` false) an open item was simply not made.
fn item_line(item: &Item, window_days: i32, today: Date, followed: bool) -> ItemLine {
    let (state, overdue) =
        due::item_state(item.due_on, item.contacted_on, window_days, today, followed);
    let note = match (&item.note, &item.added_by) {
        (Some(note), Some(by)) => format!("{note} ({by})"),
        (Some(note), None) => note.clone(),
        (None, Some(by)) => format!("dodał(a): {by}"),
        (None, None) => String::new(),
    };
    ItemLine {
        due: dates::format(item.due_on),
        kind: item.kind.label(),
        note,
        state,
        overdue,
    }
}

/// What a follow-up page reads of a graduate.
pub(super) struct Read {
    pub person: Person,
    pub items: Vec<Item>,
    pub contacts: Vec<Contact>,
    pub closer: Vec<CloserRecord>,
}

/// Reads the graduate for a follow-up page, writing the read's audit row first (`screen` in
/// its detail), in one transaction: the person, the schedule, the contacts and the history of
/// closer contact.
pub(super) async fn read(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    screen: &str,
) -> Result<Read> {
    let mut tx = state.db.begin().await?;
    audit::record_read(
        &mut *tx,
        &user.meta,
        participant::view_event(user, id).detail(screen.to_owned()),
    )
    .await?;
    let person = db::person(&mut *tx, user.centre_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = db::items(&mut *tx, id).await?;
    let contacts = db::contacts(&mut *tx, id).await?;
    let closer = db::closer_history(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(Read {
        person,
        items,
        contacts,
        closer,
    })
}

/// The page, with the forms as given and their messages.
pub(super) async fn page(
    state: &AppState,
    user: &CurrentUser,
    (id, facts): (Uuid, &ParticipantFacts),
    (extra, closer): (ExtraInput, CloserInput),
    errors: FieldErrors,
) -> Result<Response> {
    let Read {
        person: p,
        items,
        contacts,
        closer: history,
    } = read(state, user, id, "follow_ups").await?;
    let today = state.today();
    let timing = schedule::timing(&state.db, user.centre_id, today).await?;
    let target = Target::Participant(facts);
    let followed = due::under_follow_up(p.status, p.until, today);
    let name = format!("{} {}", p.surname, p.first_names);
    let page = TimelinePage {
        layout: Layout::for_user(
            state,
            user,
            format!("Monitoring absolwenta: {name}"),
            "/participants",
        ),
        id,
        name,
        status: p.status.label_for(p.female),
        graduated: p.ended_on.map(dates::format),
        until: p.until.map(dates::format),
        worker: p
            .worker_name
            .unwrap_or_else(|| "nie przydzielono".to_owned()),
        followed,
        closer_since: p.closer_since.map(dates::format),
        items: items
            .iter()
            .map(|i| item_line(i, timing.window_days, today, followed))
            .collect(),
        contacts: contacts.iter().map(contact_line).collect(),
        closer_history: history.iter().map(closer_line).collect(),
        can_record: followed && user.can(Action::RecordFollowUpContact, target),
        can_manage: followed && user.can(Action::ManageFollowUp, target),
        extra,
        closer,
        errors,
    };
    render_form(&page.errors, &page)
}

/// `GET /participants/{id}/follow-ups`.
pub(super) async fn show_follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let facts = participant::authorized(&state, &user, id, Action::ViewFollowUps).await?;
    let forms = (ExtraInput::default(), CloserInput::default());
    page(&state, &user, (id, &facts), forms, FieldErrors::new()).await
}
