//! Opinions for the IPZS (DOMAIN.md "IPZS"): from a participant's file the social worker (or
//! the manager) requests the opinion of a psychologist, a career advisor and the workshop's
//! instructor, choosing the colleague; the request shows in that person's "Do zrobienia"; they
//! write it (a draft, saved any number of times) and sign it off.
//!
//! Invariants:
//! - only the colleague it was requested from, while their role is its kind, writes an opinion
//!   and signs it off; the keepers of the file (the manager, the participant's social worker)
//!   request and withdraw, never write (`auth/policy/opinions.rs`);
//! - a signed-off opinion is frozen, dated and attributed: the database refuses any change of a
//!   signed-off or withdrawn row and any deletion (`migrations/0018_opinions.sql`);
//! - at most one open request per participant and kind: requesting again withdraws the open
//!   one in the same transaction; signed-off and withdrawn ones stay as history, and the newest
//!   signed-off opinion of a kind is the current one;
//! - a draft save names the revision it was made from, and a sign-off the revision it signs: a
//!   stale one answers 409 (keeping the user's text), a replayed sign-off 409 too;
//! - the author reaches their own opinion even when the participant's file is outside their
//!   scope (opinions are written for candidates too); everyone else only within their scope and
//!   per the field table (the instructor never reads the psychologist's opinion, and its health
//!   detail shows only to readers of health data); outside that, 404;
//! - only signed-off text is shown to readers: a draft is its author's until signed off;
//! - every read of an opinion (or of a file's list of them) writes its audit row in the same
//!   transaction, before anything is shown; every write its row in the write's transaction.

pub mod db;
mod edit;
mod inbox;
mod list;
pub mod sections;

pub use crate::domain::{OpinionKind, OpinionStatus};
pub use inbox::inbox_items;

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::policy::{Action, Actor, Field, Gate, Visibility, readable_opinions};
use crate::auth::session::CurrentUser;
use crate::validate::dates;
use crate::web::route::Route;

/// `GET/POST /participants/{id}/opinions` (the file's opinions and the request form) and
/// `GET/POST /opinions/{id}` (reading, writing), its sign-off and withdrawal.
pub fn routes() -> Vec<Route> {
    use Gate::ParticipantFile as File;
    vec![
        Route::get("/participants/{id}/opinions", File, list::list_opinions),
        Route::post("/participants/{id}/opinions", File, list::request_opinion),
        Route::get("/opinions/{id}", File, edit::show_opinion),
        Route::post("/opinions/{id}", File, edit::save_opinion),
        Route::post("/opinions/{id}/sign-off", File, edit::sign_off_opinion),
        Route::post("/opinions/{id}/withdraw", File, edit::withdraw_opinion),
    ]
}

/// Where a participant's opinions are listed (and requested).
pub fn opinions_href(participant_id: Uuid) -> String {
    format!("/participants/{participant_id}/opinions")
}

/// The current signed-off opinion of one kind, as a reader may see it.
#[derive(Debug, Clone)]
pub struct OpinionSummary {
    /// The opinion (its page is `/opinions/{id}`).
    pub opinion_id: Uuid,
    /// Whose opinion it is.
    pub kind: OpinionKind,
    /// "Opinia psychologa", …
    pub kind_label: &'static str,
    /// Who wrote and signed it off.
    pub author_name: String,
    /// When it was signed off (Polish date).
    pub signed_off_on: Date,
    /// The sections the reader may read, as (Polish heading, text), in the opinion's order.
    pub sections: Vec<(&'static str, String)>,
    /// The parts of the field table shown (for the caller's audit row).
    pub fields: Vec<Field>,
}

/// The current signed-off opinion of each kind about the participant that `actor` may read,
/// with the sections they may not read left out (the psychologist's health detail for those
/// who do not read health data). The caller has checked that the participant is in the
/// actor's scope, and writes the audit row of its read (`OpinionSummary::fields`).
pub async fn signed_off_for(
    db: impl PgExecutor<'_>,
    actor: Actor,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<OpinionSummary>> {
    let kinds = readable_opinions(actor);
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let sees = Visibility::within_scope(actor);
    let rows = db::current_signed_off(db, centre_id, participant_id, &kinds).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (sections, fields) = sections::readable(r.kind, &r.sections, &sees);
            OpinionSummary {
                opinion_id: r.opinion_id,
                kind: r.kind,
                kind_label: r.kind.label(),
                author_name: r.author_name,
                signed_off_on: dates::polish_time(r.signed_off_at).date(),
                sections,
                fields,
            }
        })
        .collect())
}

/// [`signed_off_for`] for a page that shows the opinions beside another document (the IPZS):
/// the read is a view of the file, audited as such in `tx` (`how` names the page, then the
/// parts shown), when there is anything to show.
pub async fn signed_off_read(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    participant_id: Uuid,
    how: &str,
) -> sqlx::Result<Vec<OpinionSummary>> {
    let shown = signed_off_for(&mut *tx, user.actor(), user.centre_id, participant_id).await?;
    let mut fields: Vec<&str> = shown
        .iter()
        .flat_map(|o| o.fields.iter().map(|f| f.code()))
        .collect();
    fields.dedup();
    if !fields.is_empty() {
        let detail = std::iter::once(how)
            .chain(fields)
            .collect::<Vec<_>>()
            .join(",");
        let event = AuditEvent::new(Action::ViewParticipant.code(), Outcome::Success)
            .by(user.audit_actor())
            .on("participant", participant_id)
            .participant(participant_id)
            .detail(detail);
        audit::record_read(&mut *tx, &user.meta, event).await?;
    }
    Ok(shown)
}

impl OpinionSummary {
    /// The sign-off date the Polish way.
    pub fn signed_off(&self) -> String {
        dates::format(self.signed_off_on)
    }

    /// The opinion's page.
    pub fn href(&self) -> String {
        inbox::opinion_href(self.opinion_id)
    }
}

/// The kinds the centre's settings require (default: all three) that have no signed-off
/// opinion about the participant yet, in the kinds' order (submitting an IPZS needs none).
pub async fn missing_required(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<OpinionKind>> {
    db::missing_required(db, centre_id, participant_id).await
}
