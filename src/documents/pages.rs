//! The pieces of a document's pages every kind shares: the signatures and scans as listed,
//! the route of one version, and the comparison of two versions.

use askama::Template;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::access::{self, Kind};
use super::db;
use super::diff::{self, SectionDiff};
use super::paper::{ScanInfo, Signature};
use super::version::Sections;
use super::view;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};

/// A recorded signature as listed: (version, who, date, recorded by and when).
pub type SignatureRow = (i32, &'static str, String, String);

/// A scan as listed: (scan, version, file name, size, uploaded by and when).
pub type ScanRow = (Uuid, i32, String, String, String);

/// The signatures as listed.
/// `participant`: what the kind calls the participant's party ("Uczestnik", "Klient").
pub fn signature_rows(signatures: &[Signature], participant: &'static str) -> Vec<SignatureRow> {
    signatures
        .iter()
        .map(|s| {
            (
                s.version,
                match s.party {
                    super::paper::Party::Participant => participant,
                    party => party.label(),
                },
                dates::format(s.signed_on),
                format!("{}, {}", s.recorded_by_name, view::moment(s.recorded_at)),
            )
        })
        .collect()
}

/// The scans as listed.
pub fn scan_rows(scans: &[ScanInfo]) -> Vec<ScanRow> {
    scans
        .iter()
        .map(|s| {
            (
                s.document_scan_id,
                s.version,
                s.file_name.clone(),
                format!("{} KB", (s.size + 1023) / 1024),
                format!("{}, {}", s.uploaded_by_name, view::moment(s.uploaded_at)),
            )
        })
        .collect()
}

/// What a save that lost the race to `saved` (the version now stored) tells the user: another
/// save came first, or the version is no longer a draft.
pub fn conflict_message(saved: &db::StoredVersion) -> String {
    if saved.status == super::workflow::DocStatus::Draft {
        "W międzyczasie zapisano inną wersję tego projektu (w innej karcie lub przez inną osobę). \
         Twoje zmiany nie zostały zapisane: są poniżej w formularzu. Sprawdź różnice i zapisz \
         ponownie."
            .to_owned()
    } else {
        format!(
            "Twoje zmiany nie zostały zapisane: wersja {} ma już stan „{}” i nie można jej \
             zmieniać. Twój tekst jest poniżej – skopiuj, co potrzebne, zanim opuścisz stronę.",
            saved.number,
            saved.status.label()
        )
    }
}

/// What a save of `mine` (the user's text, labelled) that lost the race meets: the version
/// stored now (read as an audited "edit_conflict" of document `id` of `kind`), what differs
/// between its text (labelled by `labelled`) and the user's, and the message saying so.
pub async fn conflict(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    mine: &Sections,
    labelled: impl Fn(&Sections) -> Sections,
) -> Result<(
    db::StoredVersion,
    Vec<SectionDiff>,
    crate::web::forms::FieldErrors,
)> {
    let (_, versions) = access::read(
        state,
        user,
        kind,
        id,
        Action::EditDocument,
        "edit_conflict",
        async |conn, _| Ok(db::versions(&mut *conn, id).await?),
    )
    .await?;
    let saved = versions.into_iter().last().ok_or(AppError::NotFound)?;
    let differences = diff::sections(&labelled(&saved.sections), mine)
        .into_iter()
        .filter(|s| s.changed)
        .collect();
    let mut errors = crate::web::forms::FieldErrors::new();
    errors.add("conflict", conflict_message(&saved));
    Ok((saved, differences, errors))
}

/// The numbers of the versions whose signatures are recorded (by one party or more).
pub fn signed_versions(signatures: &[Signature]) -> Vec<i32> {
    let mut numbers: Vec<i32> = signatures.iter().map(|s| s.version).collect();
    numbers.dedup();
    numbers
}

/// The `{id}` and `{number}` of a version route; anything else does not exist (404).
pub fn parse_version_path(id: &str, number: &str) -> Result<(Uuid, i32)> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let number = number
        .parse::<i32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or(AppError::NotFound)?;
    Ok((id, number))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "documents/diff.html")]
struct DiffPage {
    layout: Layout,
    id: Uuid,
    base: &'static str,
    back: &'static str,
    numbers: Vec<i32>,
    from: i32,
    to: i32,
    sections: Vec<SectionDiff>,
    changed: usize,
}

/// `GET {base}/{id}/diff?from=1&to=2`: what changed between two versions of document `id` of
/// `kind`, section by section (`labelled`: a version's text as a reader sees it), insertions
/// and deletions marked in words as well as colour. Without numbers: the version before the
/// current one against the current one. `title` heads the page ("IPZS: Kowalska Anna"), `back`
/// names the link back ("Wróć do programu").
#[allow(clippy::too_many_arguments)]
pub async fn diff(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    q: DiffQuery,
    labelled: impl Fn(&Sections) -> Sections,
    title: impl FnOnce(&str) -> String,
    back: &'static str,
) -> Result<Response> {
    let (d, (versions, header)) = access::read(
        state,
        user,
        kind,
        id,
        Action::ViewDocument,
        "diff",
        async |conn, d| {
            Ok((
                db::versions(&mut *conn, id).await?,
                view::header(
                    &mut *conn,
                    user.centre_id,
                    d.facts.participant.participant_id,
                )
                .await?
                .ok_or(AppError::NotFound)?,
            ))
        },
    )
    .await?;
    let numbers: Vec<i32> = versions.iter().map(|v| v.number).collect();
    let pick = |raw: &str, default: i32| -> Result<i32> {
        if raw.is_empty() {
            return Ok(default);
        }
        raw.parse::<i32>()
            .ok()
            .filter(|n| numbers.contains(n))
            .ok_or_else(|| AppError::bad_request("Nie ma takiej wersji dokumentu."))
    };
    let to = pick(&q.to, d.version)?;
    let from = pick(&q.from, (to - 1).max(1))?;
    // Earlier first, whichever way round they were asked.
    let (from, to) = (from.min(to), from.max(to));
    let text = |n: i32| {
        versions
            .iter()
            .find(|v| v.number == n)
            .map(|v| labelled(&v.sections))
            .unwrap_or_default()
    };
    let sections = diff::sections(&text(from), &text(to));
    render(&DiffPage {
        layout: Layout::for_user(
            state,
            user,
            format!(
                "{} – zmiany między wersjami {from} i {to}",
                title(&header.name)
            ),
            "/participants",
        ),
        id,
        base: kind.base,
        back,
        numbers,
        from,
        to,
        changed: sections.iter().filter(|s| s.changed).count(),
        sections,
    })
}
