//! The confirmation of an end of participation (graduation, termination): what will happen,
//! in plain words, before it happens, on the kit's confirmation page. The checked form travels
//! in hidden fields and is checked again when the manager confirms.

use super::{Step, TransitionForm};
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::participants::record::Record;
use crate::participants::transition::Transition;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::confirm::ConfirmPage;
use crate::web::page::Layout;

/// The page that asks the manager to confirm `transition` (a graduation or a termination).
pub(super) fn confirmation(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    step: &Step,
    transition: &Transition,
    form: &TransitionForm,
) -> ConfirmPage {
    let name = record.name();
    let id = record.participant_id;
    let path = format!("/participants/{id}/status/{}", step.target.code());
    let hidden = vec![
        ("date", form.date.clone()),
        ("note", form.note.clone()),
        ("outcome", form.outcome.clone()),
        ("contract", form.contract.clone()),
        ("reason", form.reason.clone()),
    ];
    let terminate = step.target == Status::Terminated;
    let button = if terminate {
        "Tak, przerwij udział"
    } else {
        "Tak, zakończ udział"
    };
    let layout = Layout::for_user(
        state,
        user,
        format!("Potwierdź: {} – {name}", step.heading),
        "/participants",
    );
    let mut page = ConfirmPage::new(layout, path, format!("/participants/{id}"), hidden, button)
        .fact("Osoba", name.clone())
        .fact("Nowy status", step.target.label_for(record.data.female()))
        .fact("Z dniem", dates::format(transition.on()));
    if let Some(why) = transition.describe() {
        page = page.fact(if terminate { "Przyczyna" } else { "Wynik" }, why);
    }
    if let Some(workshop) = &record.workshop_name {
        page = page.consequence(format!(
            "Przydział do pracowni „{workshop}” zakończy się z tym dniem."
        ));
    }
    page = if terminate {
        page.consequence("Ponowny udział będzie wymagał nowego zgłoszenia i rekrutacji.")
    } else {
        page.consequence(
            "Powstanie harmonogram kontaktów z absolwentem na 3 lata (co kwartał w 1. roku, co pół roku w 2. i 3. roku); terminy pojawią się w „Do zrobienia” pracownika socjalnego.",
        )
        .not_danger()
    };
    page.consequence("Tej zmiany nie można cofnąć. Teczka, notatki i historia zostają bez zmian.")
}
