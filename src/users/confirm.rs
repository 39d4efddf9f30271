//! The confirmation page of an account change that is hard to take back (a role change, a
//! deactivation): what will happen in plain words, a danger button that posts the change with
//! `confirm`, and a way back. Showing it changes nothing; the action's POST refuses to act
//! without `confirm` and shows this page again instead.

use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use crate::web::page::Layout;

/// The value of the `confirm` field the confirmation page posts.
const CONFIRMED: &str = "tak";

/// Whether a posted `confirm` field is the confirmation page's.
pub(super) fn confirmed(confirm: &str) -> bool {
    confirm == CONFIRMED
}

/// A form whose only field besides the token is the confirmation (deactivation).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    pub confirm: String,
}

#[derive(Template)]
#[template(path = "users/confirm.html")]
pub(super) struct ConfirmPage {
    layout: Layout,
    account_id: Uuid,
    facts: Vec<(&'static str, String)>,
    consequences: Vec<String>,
    action: String,
    hidden: Vec<(&'static str, String)>,
    button: &'static str,
}

impl ConfirmPage {
    /// A confirmation titled `layout`'s title, about the account `account_id`, posting to
    /// `/admin/users/{account_id}/{action}` with `hidden` fields and the confirmation.
    pub(super) fn new(
        layout: Layout,
        account_id: Uuid,
        action: &str,
        mut hidden: Vec<(&'static str, String)>,
        button: &'static str,
    ) -> Self {
        hidden.push(("confirm", CONFIRMED.to_owned()));
        Self {
            layout,
            account_id,
            facts: Vec::new(),
            consequences: Vec::new(),
            action: format!("/admin/users/{account_id}/{action}"),
            hidden,
            button,
        }
    }

    /// Adds a fact (label, value) shown above the consequences.
    pub(super) fn fact(mut self, label: &'static str, value: impl Into<String>) -> Self {
        self.facts.push((label, value.into()));
        self
    }

    /// Adds a consequence of confirming.
    pub(super) fn consequence(mut self, text: impl Into<String>) -> Self {
        self.consequences.push(text.into());
        self
    }
}
