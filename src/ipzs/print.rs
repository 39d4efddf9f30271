//! The print of an approved or signed version (A4, the print stylesheet): the centre's name
//! and address, the participant's identity, every section, a summary of the opinions, signature
//! lines for the participant and the manager with the recorded dates, the version and its
//! status, page numbers. A draft or a submitted version has no print (it is not the programme
//! yet). Every print is audited ("document.print") in the transaction of the read.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::content::Programme;
use super::db::{self, Header};
use super::view::{Person, ProgrammeView};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::documents::db as documents;
use crate::documents::pages::parse_version_path;
use crate::documents::paper::{self, Party};
use crate::error::{AppError, Result};
use crate::opinions::{self, OpinionSummary};
use crate::participants::centre_header;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::render;

#[derive(Template)]
#[template(path = "ipzs/print.html")]
struct PrintPage {
    id: uuid::Uuid,
    centre_name: String,
    centre_address: String,
    person: Person,
    number: i32,
    status: &'static str,
    reason: Option<String>,
    programme: ProgrammeView,
    opinions: Vec<OpinionSummary>,
    participant_signed: String,
    manager_signed: String,
    printed_at: String,
    printed_by: String,
}

/// `GET /ipzs/{id}/versions/{number}/print`.
pub async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response> {
    let (id, number) = parse_version_path(&id, &number)?;
    let centre = user.centre_id;
    let detail = format!("print:version:{number}");
    let (_, (header, versions, signatures, opinions, (centre_name, centre_address))) = super::read(
        &state,
        &user,
        id,
        Action::PrintDocument,
        &detail,
        async |tx, d| {
            let participant = d.facts.participant.participant_id;
            // A version that is not (yet) the programme has no print: nothing read, nothing
            // audited (the row is written only after the reads succeed).
            let versions = documents::versions(&mut *tx, id).await?;
            if !versions
                .iter()
                .any(|v| v.number == number && v.status.is_frozen())
            {
                return Err(AppError::NotFound);
            }
            let header: Header = db::header(&mut *tx, centre, participant)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok((
                header,
                versions,
                paper::signatures(&mut *tx, id).await?,
                opinions::signed_off_read(&mut *tx, &user, participant, "opinions:ipzs_print")
                    .await?,
                centre_header(&mut *tx, centre).await?,
            ))
        },
    )
    .await?;
    let version = versions
        .iter()
        .find(|v| v.number == number && v.status.is_frozen())
        .ok_or(AppError::NotFound)?;
    let signed = |party: Party| {
        signatures
            .iter()
            .find(|s| s.version == number && s.party == party)
            .map_or_else(String::new, |s| dates::format(s.signed_on))
    };
    render(&PrintPage {
        id,
        centre_name,
        centre_address,
        person: Person::of(&header),
        number,
        status: crate::documents::view::version_label(
            &versions,
            &crate::documents::pages::signed_versions(&signatures),
            number,
        ),
        reason: version.reason.clone(),
        programme: ProgrammeView::of(&Programme::from_sections(&version.sections)),
        opinions,
        participant_signed: signed(Party::Participant),
        manager_signed: signed(Party::Manager),
        printed_at: dates::format_moment(state.clock.now()),
        printed_by: format!("{} ({})", user.full_name, user.role.label()),
    })
}
