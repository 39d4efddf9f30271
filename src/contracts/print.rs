//! The prints of a contract (A4, the print stylesheet, the shared print head): Part I of an
//! accepted or later version, and Part II once written, each with signature lines – the manager
//! (for the director) and the social worker, then the client – and the recorded dates. A draft
//! or a submitted version has no print (it is not the contract yet). Every print is audited
//! ("document.print") with the read.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::content::Contract;
use super::db::{self, Evaluation};
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::documents::db as documents;
use crate::documents::pages::parse_version_path;
use crate::documents::paper::{self, Party, Signature};
use crate::documents::view::{self, Person};
use crate::documents::workflow::DocStatus;
use crate::error::{AppError, Result};
use crate::participants::centre_header;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::render;
use crate::web::path::IdPath;

/// What both prints show around their part.
struct Around {
    centre_name: String,
    centre_address: String,
    person: Person,
    printed_at: String,
    printed_by: String,
}

#[derive(Template)]
#[template(path = "contracts/print.html")]
struct PartOnePage {
    id: uuid::Uuid,
    around: Around,
    number: i32,
    status: &'static str,
    reason: Option<String>,
    contract: Contract,
    manager_signed: String,
    client_signed: String,
}

#[derive(Template)]
#[template(path = "contracts/print_evaluation.html")]
struct PartTwoPage {
    id: uuid::Uuid,
    around: Around,
    contract: Contract,
    evaluation: Evaluation,
}

impl PartTwoPage {
    fn date(&self, on: &time::Date) -> String {
        dates::format(*on)
    }
}

fn around(
    state: &AppState,
    user: &CurrentUser,
    header: &view::Header,
    centre: (String, String),
) -> Around {
    Around {
        centre_name: centre.0,
        centre_address: centre.1,
        person: Person::of(header),
        printed_at: dates::format_moment(state.clock.now()),
        printed_by: format!("{} ({})", user.full_name, user.role.label()),
    }
}

fn signed(signatures: &[Signature], number: i32, party: Party) -> String {
    signatures
        .iter()
        .find(|s| s.version == number && s.party == party)
        .map_or_else(String::new, |s| dates::format(s.signed_on))
}

/// `GET /contracts/{id}/versions/{number}/print`: Part I.
pub async fn part_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response> {
    let (id, number) = parse_version_path(&id, &number)?;
    let centre = user.centre_id;
    let detail = format!("print:version:{number}");
    let (_, (header, versions, signatures, centre_lines)) = super::read(
        &state,
        &user,
        id,
        Action::PrintDocument,
        &detail,
        async |conn, d| {
            // A version that is not (yet) the contract has no print: nothing read, nothing
            // audited (the row is written only after the reads succeed).
            let versions = documents::versions(&mut *conn, id).await?;
            if !versions
                .iter()
                .any(|v| v.number == number && v.status.is_frozen())
            {
                return Err(AppError::NotFound);
            }
            Ok((
                view::header(&mut *conn, centre, d.facts.participant.participant_id)
                    .await?
                    .ok_or(AppError::NotFound)?,
                versions,
                paper::signatures(&mut *conn, id).await?,
                centre_header(&mut *conn, centre).await?,
            ))
        },
    )
    .await?;
    let version = versions
        .iter()
        .find(|v| v.number == number)
        .ok_or(AppError::NotFound)?;
    render(&PartOnePage {
        id,
        around: around(&state, &user, &header, centre_lines),
        number,
        status: view::version_label(&versions, &super::client_signed(&signatures), number),
        reason: version.reason.clone(),
        contract: Contract::from_sections(&version.sections),
        manager_signed: signed(&signatures, number, Party::Manager),
        client_signed: signed(&signatures, number, Party::Participant),
    })
}

/// `GET /contracts/{id}/evaluation/print`: Part II (its draft prints too, marked as such).
pub async fn part_two(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let centre = user.centre_id;
    let (_, (header, versions, signatures, evaluation, centre_lines)) = super::read(
        &state,
        &user,
        id,
        Action::PrintDocument,
        "print:evaluation",
        async |conn, d| {
            let evaluation = db::evaluation(&mut *conn, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok((
                view::header(&mut *conn, centre, d.facts.participant.participant_id)
                    .await?
                    .ok_or(AppError::NotFound)?,
                documents::versions(&mut *conn, id).await?,
                paper::signatures(&mut *conn, id).await?,
                evaluation,
                centre_header(&mut *conn, centre).await?,
            ))
        },
    )
    .await?;
    // The version evaluated: the newest the client signed.
    let contract = super::signed_text(&versions, &signatures);
    render(&PartTwoPage {
        id,
        around: around(&state, &user, &header, centre_lines),
        contract,
        evaluation,
    })
}
