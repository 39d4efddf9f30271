//! TEMPORARY stand-in for the opinions area (being built on branch `opinions`); replaced by it
//! before this lands.

use uuid::Uuid;

use crate::auth::policy::Actor;

/// A signed-off opinion as the IPZS shows it.
#[derive(Debug, Clone)]
pub struct OpinionSummary {
    pub kind_label: &'static str,
    pub author_name: String,
    pub signed_off_on: String,
    pub sections: Vec<(&'static str, String)>,
}

/// The kinds of opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionKind {
    Psychologist,
}

impl OpinionKind {
    pub fn label(self) -> &'static str {
        "Opinia psychologa"
    }
}

pub async fn signed_off_for(
    _db: impl sqlx::PgExecutor<'_>,
    _actor: Actor,
    _centre_id: Uuid,
    _participant_id: Uuid,
) -> sqlx::Result<Vec<OpinionSummary>> {
    Ok(Vec::new())
}

pub async fn missing_required(
    _db: impl sqlx::PgExecutor<'_>,
    _centre_id: Uuid,
    _participant_id: Uuid,
) -> sqlx::Result<Vec<OpinionKind>> {
    Ok(Vec::new())
}

pub fn opinions_href(participant_id: Uuid) -> String {
    format!("/participants/{participant_id}/opinions")
}
