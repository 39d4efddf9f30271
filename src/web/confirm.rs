//! The confirmation page of an action that is hard to take back (a role change, a
//! deactivation, the end of a participation, a reassignment): the facts, what will happen in
//! plain words, a danger button that posts the action again with `confirm`, and a way back.
//! Showing it changes nothing; the action's POST refuses to act without `confirm` and shows
//! this page instead. Every area's danger actions use this one page.

use askama::Template;
use serde::Deserialize;

use crate::web::page::Layout;

/// The value of the `confirm` field the confirmation page posts.
pub const CONFIRMED: &str = "tak";

/// Whether a posted `confirm` field is the confirmation page's.
pub fn confirmed(confirm: &str) -> bool {
    confirm == CONFIRMED
}

/// A form whose only field besides the token is the confirmation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmForm {
    #[serde(default)]
    pub confirm: String,
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    layout: Layout,
    back: String,
    back_label: &'static str,
    facts: Vec<(&'static str, String)>,
    consequences: Vec<String>,
    action: String,
    hidden: Vec<(&'static str, String)>,
    button: String,
    danger: bool,
}

impl ConfirmPage {
    /// A confirmation titled `layout`'s title, posting to `action` with `hidden` fields and
    /// the confirmation; "Anuluj" leads to `back`. The button is a danger button.
    pub fn new(
        layout: Layout,
        action: String,
        back: String,
        mut hidden: Vec<(&'static str, String)>,
        button: impl Into<String>,
    ) -> Self {
        hidden.push(("confirm", CONFIRMED.to_owned()));
        Self {
            layout,
            back,
            back_label: "Anuluj",
            facts: Vec::new(),
            consequences: Vec::new(),
            action,
            hidden,
            button: button.into(),
            danger: true,
        }
    }

    /// Adds a fact (label, value) shown above the consequences.
    pub fn fact(mut self, label: &'static str, value: impl Into<String>) -> Self {
        self.facts.push((label, value.into()));
        self
    }

    /// Adds a consequence of confirming.
    pub fn consequence(mut self, text: impl Into<String>) -> Self {
        self.consequences.push(text.into());
        self
    }

    /// The way back is named `label` (e.g. back to the form, whose input it keeps no more).
    pub fn back_label(mut self, label: &'static str) -> Self {
        self.back_label = label;
        self
    }

    /// The action is weighty but not destructive: a plain primary button.
    pub fn not_danger(mut self) -> Self {
        self.danger = false;
        self
    }
}
