//! The confirmation page of an end of participation (graduation, termination): what will
//! happen, in plain words, before it happens. The checked form travels in hidden fields and is
//! checked again when the manager confirms.

use askama::Template;
use uuid::Uuid;

use super::{Step, TransitionForm};
use crate::auth::session::CurrentUser;
use crate::domain::Status;
use crate::participants::record::Record;
use crate::participants::transition::Transition;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::Layout;

#[derive(Template)]
#[template(path = "participants/ending.html")]
pub(super) struct EndingPage {
    layout: Layout,
    id: Uuid,
    target: &'static str,
    /// What will happen, sentence by sentence.
    consequences: Vec<String>,
    /// The form as checked, to post again with the confirmation.
    fields: Vec<(&'static str, String)>,
    button: String,
    /// Termination is styled as a danger action.
    danger: bool,
}

/// The page that asks the manager to confirm `transition` (a graduation or a termination).
pub(super) fn confirmation(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    step: &Step,
    transition: &Transition,
    form: &TransitionForm,
) -> EndingPage {
    let female = record.data.female();
    let name = record.name();
    let on = dates::format(transition.on());
    let new_status = step.target.label_for(female);
    let mut consequences = vec![format!(
        "{name}: status zmieni się na „{new_status}” z dniem {on}{}.",
        transition
            .describe()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default()
    )];
    if record.workshop_name.is_some() {
        consequences.push(format!(
            "Przydział do pracowni „{}” zakończy się z tym dniem.",
            record.workshop_name.clone().unwrap_or_default()
        ));
    }
    if step.target == Status::Graduate {
        consequences.push(
            "Powstanie harmonogram kontaktów z absolwentem na 3 lata (co kwartał w 1. roku, co pół roku w 2. i 3. roku); terminy pojawią się w „Do zrobienia” pracownika socjalnego."
                .to_owned(),
        );
    } else {
        consequences
            .push("Ponowny udział będzie wymagał nowego zgłoszenia i rekrutacji.".to_owned());
    }
    consequences.push(
        "Tej zmiany nie można cofnąć. Teczka, notatki i historia zostają bez zmian.".to_owned(),
    );
    let fields = vec![
        ("date", form.date.clone()),
        ("note", form.note.clone()),
        ("outcome", form.outcome.clone()),
        ("contract", form.contract.clone()),
        ("reason", form.reason.clone()),
        ("confirmed", "1".to_owned()),
    ];
    let danger = step.target == Status::Terminated;
    EndingPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Potwierdź: {} – {name}", step.heading),
            "/participants",
        ),
        id: record.participant_id,
        target: step.target.code(),
        consequences,
        fields,
        button: if danger {
            "Tak, przerwij udział".to_owned()
        } else {
            "Tak, zakończ udział".to_owned()
        },
        danger,
    }
}
