//! The person's IPZS and social contracts for the export: every version's labelled text, the
//! recorded signatures, the scans (their bytes for the archive), the workflow steps, and what
//! was recorded while they ran (monitoring entries, the contract's realization log and quarterly
//! notes, its Part II evaluation). The documents, IPZS and contract areas' own reads, one
//! document at a time, on the export's connection.

use sqlx::PgConnection;
use uuid::Uuid;

use super::model::*;
use crate::contracts::db as contracts;
use crate::documents::db as documents;
use crate::documents::paper;
use crate::documents::workflow::Step as WorkflowStep;
use crate::domain::DocumentKind;
use crate::error::{AppError, Result};
use crate::validate::dates;

/// Every IPZS and social contract with its versions, signatures, scans and steps (the
/// documents area's own reads, one document at a time).
pub(super) async fn of(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
) -> Result<Vec<Document>> {
    let programmes = crate::ipzs::db::programmes_of(&mut *conn, centre_id, participant_id).await?;
    let contracts = contracts::contracts_of(&mut *conn, centre_id, participant_id).await?;
    // Oldest first, the programmes before the contracts.
    let all = programmes
        .into_iter()
        .rev()
        .map(|(id, status)| (id, DocumentKind::Ipzs, status))
        .chain(
            contracts
                .into_iter()
                .rev()
                .map(|c| (c.document_id, DocumentKind::SocialContract, c.status)),
        );
    let mut out = Vec::new();
    for (id, kind, status) in all {
        let versions = documents::versions(&mut *conn, id).await?;
        let signatures = paper::signatures(&mut *conn, id).await?;
        let mut scans = Vec::new();
        for s in paper::scans(&mut *conn, id).await?.into_iter().rev() {
            let (_, _, content) = paper::scan(&mut *conn, id, s.document_scan_id)
                .await?
                .ok_or(AppError::NotFound)?;
            scans.push(Scan {
                version: s.version,
                file_name: s.file_name,
                media_type: s.media_type,
                size: s.size,
                uploaded_at: Moment(s.uploaded_at),
                uploaded_by: s.uploaded_by_name,
                content_base64: Bytes(content),
            });
        }
        let history = documents::history(&mut *conn, id).await?;
        let records = match kind {
            DocumentKind::Ipzs => monitoring(conn, id).await?,
            DocumentKind::SocialContract => realization(conn, id).await?,
        };
        out.push(Document {
            document_id: id,
            kind: kind.label(),
            status: status.label(),
            versions: versions
                .into_iter()
                .map(|v| Version {
                    number: v.number,
                    status: v.status.label(),
                    created_at: Moment(v.created_at),
                    created_by: v.created_by_name,
                    reason: v.reason,
                    text: labelled(kind, &v.sections.0),
                })
                .collect(),
            signatures: signatures
                .into_iter()
                .map(|g| Signature {
                    version: g.version,
                    party: g.party.label(),
                    signed_on: Day(g.signed_on),
                    recorded_by: g.recorded_by_name,
                })
                .collect(),
            scans,
            records,
            history: history
                .into_iter()
                .rev()
                .map(|h| Step {
                    at: Moment(h.occurred_at),
                    version: h.version,
                    step: WorkflowStep::history_label(&h.step).unwrap_or("zmiana"),
                    comment: h.comment,
                    by: h.decided_by_name,
                })
                .collect(),
        });
    }
    Ok(out)
}

/// A version's text as its readers see it: labelled sections, the empty ones left out.
fn labelled(kind: DocumentKind, sections: &crate::documents::version::Sections) -> Vec<Entry> {
    let labelled = match kind {
        DocumentKind::Ipzs => crate::ipzs::content::Programme::from_sections(sections).labelled(),
        DocumentKind::SocialContract => {
            crate::contracts::content::Contract::from_sections(sections).labelled()
        }
    };
    labelled
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| Entry::new(label, text))
        .collect()
}

/// An IPZS's monitoring and evaluation entries, oldest first.
async fn monitoring(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Record>> {
    let entries = crate::ipzs::db::entries(&mut *conn, id).await?;
    Ok(entries
        .into_iter()
        .rev()
        .map(|e| {
            let mut details = vec![Entry::new("Stan", e.situation)];
            details.extend(e.goals.0.into_iter().map(|g| {
                let assessment = crate::ipzs::db::Assessment::from_code(&g.assessment)
                    .map_or(g.assessment.as_str(), |a| a.label())
                    .to_owned();
                let comment = if g.comment.is_empty() {
                    String::new()
                } else {
                    format!(" – {}", g.comment)
                };
                Entry::new(g.text, format!("{assessment}{comment}"))
            }));
            Record {
                on: Day(e.entry_on),
                what: format!("Monitoring (wersja {}): {}", e.version, e.phase.label()),
                by: e.author_name,
                details,
            }
        })
        .collect())
}

/// A social contract's realization log, quarterly notes and Part II, oldest first.
async fn realization(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Record>> {
    let mut out: Vec<Record> = contracts::records(&mut *conn, id)
        .await?
        .into_iter()
        .map(|r| {
            let mut details = vec![Entry::new("Opis", r.description)];
            let optional = [
                ("Wynik", r.result.map(|x| x.label().to_owned())),
                ("Rodzaj", r.record_type),
                ("Adresat", r.addressee),
            ];
            details.extend(
                optional
                    .into_iter()
                    .filter_map(|(label, v)| v.map(|v| Entry::new(label, v))),
            );
            Record {
                on: Day(r.happened_on),
                what: r.kind.label().to_owned(),
                by: r.author_name,
                details,
            }
        })
        .collect();
    out.extend(
        contracts::notes(&mut *conn, id)
            .await?
            .into_iter()
            .map(|n| {
                let mut details = vec![Entry::new("Przebieg", n.course)];
                details.extend(n.planned.map(|t| Entry::new("Dalsze kroki", t)));
                details.extend(n.changes.map(|t| Entry::new("Zmiany", t)));
                Record {
                    on: Day(n.entry_on),
                    what: format!("Monitoring kwartalny (wersja {})", n.version),
                    by: n.author_name,
                    details,
                }
            }),
    );
    if let Some(e) = contracts::evaluation(&mut *conn, id).await? {
        let approved = e
            .approved_at
            .map(|at| format!(", zatwierdzono {}", dates::format_moment(at)));
        out.push(Record {
            on: Day(e.evaluated_on),
            what: format!(
                "Ocena realizacji (część II): {}{}",
                e.outcome.label(),
                approved.unwrap_or_default()
            ),
            by: e.author_name,
            details: vec![
                Entry::new("Korzyści dla klienta", e.gained),
                Entry::new("Postęp w realizacji celu", e.towards_goal),
            ],
        });
    }
    out.sort_by_key(|r| r.on.0);
    Ok(out)
}
