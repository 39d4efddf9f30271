//! Recording a contact with a graduate (`GET`/`POST /participants/{id}/follow-ups/contact`):
//! the date, how it was made, whether the graduate was reached, and what seed 002 asks to
//! learn. One transaction: the contact, the items it fulfils (a reached contact fulfils every
//! open item whose window has opened by its date — `due::fulfils`, the due date's month
//! included; a missed one keeps them open), under closer contact the next item brought forward,
//! and the audit row. The message says when a reached contact closed nothing, and what is next.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use super::db::{self, Item};
use super::due;
use super::form::ContactInput;
use super::manage::{self, add_closer_item};
use super::model::{
    ContactForm, ContactPartner, GraduateContract, GraduateEmployment, SkillsMatch,
};
use super::schedule;
use super::timeline;
use crate::auth::participant;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, FieldErrors, choices};
use crate::web::page::{Layout, render_form};
use crate::web::path::IdPath;

#[derive(Template)]
#[template(path = "follow_ups/contact.html")]
struct ContactPage {
    layout: Layout,
    id: Uuid,
    name: String,
    graduated: String,
    /// The open items whose window has opened: what a reached contact today fulfils.
    open: Vec<String>,
    input: ContactInput,
    forms: Vec<Choice>,
    partners: Vec<Choice>,
    employments: Vec<Choice>,
    contracts: Vec<Choice>,
    matches: Vec<Choice>,
    errors: FieldErrors,
}

/// The form, audited as a read of the graduate (their name and schedule are shown).
async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    input: ContactInput,
    errors: FieldErrors,
) -> Result<Response> {
    let timeline::Read {
        person: p, items, ..
    } = timeline::read(state, user, id, "follow_ups.contact").await?;
    let today = state.today();
    let timing = schedule::timing(&state.db, user.centre_id, today).await?;
    let open = items
        .iter()
        .filter(|i: &&Item| {
            i.contacted_on.is_none() && due::fulfils(i.due_on, timing.window_days, today)
        })
        .map(|i| {
            format!(
                "{} ({}) – {}",
                dates::format(i.due_on),
                i.kind.label(),
                due::in_words(i.due_on, timing.window_days, today)
            )
        })
        .collect();
    let name = format!("{} {}", p.surname, p.first_names);
    let page = ContactPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Kontakt z absolwentem: {name}"),
            "/participants",
        ),
        id,
        name,
        graduated: p.ended_on.map(dates::format).unwrap_or_default(),
        open,
        forms: choices::<ContactForm>(&input.form),
        partners: choices::<ContactPartner>(&input.partner),
        employments: choices::<GraduateEmployment>(&input.employment),
        contracts: choices::<GraduateContract>(&input.contract),
        matches: choices::<SkillsMatch>(&input.skills_match),
        input,
        errors,
    };
    render_form(&page.errors, &page)
}

/// `GET /participants/{id}/follow-ups/contact`.
pub(super) async fn contact_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    // Asked like the POST (without locking the row), so a person not under follow-up is
    // refused the same way before anything is read or written.
    manage::may_open(&state, &user, id, Action::RecordFollowUpContact).await?;
    form_page(
        &state,
        &user,
        id,
        ContactInput::default(),
        FieldErrors::new(),
    )
    .await
}

/// `POST /participants/{id}/follow-ups/contact`.
pub(super) async fn record_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(input): SecureForm<ContactInput>,
) -> Result<Response> {
    let mut open = manage::open(&state, &user, id, Action::RecordFollowUpContact).await?;
    let contact = match input.check(open.followed.ended_on, state.today()) {
        Ok(contact) => contact,
        Err(errors) => {
            drop(open);
            return form_page(&state, &user, id, input, errors).await;
        }
    };
    let recording = db::Recording {
        centre_id: user.centre_id,
        participant_id: id,
        recorded_by: user.user_id,
        recorded_at: state.clock.now(),
    };
    let contact_id = db::insert_contact(&mut open.tx, recording, &contact).await?;
    let timing = schedule::timing(&mut *open.tx, user.centre_id, contact.contacted_on).await?;
    let (fulfilled, closer) = if contact.reached {
        let fulfilled = db::fulfil(
            &mut open.tx,
            id,
            contact_id,
            contact.contacted_on,
            timing.window_days,
        )
        .await?;
        // Closer contact counts from its marking: an earlier-dated contact brings nothing.
        let closer = if open
            .followed
            .closer_since
            .is_some_and(|since| since <= contact.contacted_on)
        {
            add_closer_item(&mut open, &user, contact.contacted_on, timing.closer_days).await?
        } else {
            None
        };
        (fulfilled, closer)
    } else {
        (0, None)
    };
    let event = participant::done(Action::RecordFollowUpContact, id)
        .on("follow_up_contact", contact_id)
        .detail(format!(
            "on={} reached={} form={} fulfilled={fulfilled} closer_item={}",
            dates::iso(contact.contacted_on),
            contact.reached,
            contact.form.code(),
            closer.map_or_else(|| "-".to_owned(), dates::iso)
        ));
    let on = dates::format(contact.contacted_on);
    let message = match (contact.reached, closer) {
        (false, _) => {
            format!("Zapisano nieudaną próbę kontaktu z {on}; termin kontaktu pozostaje otwarty.")
        }
        (true, Some(next)) => format!(
            "Zapisano kontakt z {on}. Częstszy kontakt: następny termin {}.",
            dates::format(next)
        ),
        (true, None) if fulfilled > 0 => format!("Zapisano kontakt z {on}."),
        (true, None) => {
            let next = match db::next_open(&mut *open.tx, id).await? {
                Some(due_on) => format!(
                    "najbliższy termin {}, kontakt liczy się od {}",
                    dates::format(due_on),
                    dates::format(due::window_opens(due_on, timing.window_days))
                ),
                None => "nie ma już otwartych terminów".to_owned(),
            };
            format!("Kontakt z {on} zapisano; nie zamknął żadnego terminu – {next}.")
        }
    };
    manage::done(open, &user, event, &message).await
}
