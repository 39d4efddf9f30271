//! What every document's page shows around its text, whatever the kind: the participant's
//! header, the list of versions (which one binds), the history, the comment of an open return.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::db::{HistoryRow, StoredVersion};
use super::workflow::{DocStatus, Step};
use crate::domain::Status;
use crate::validate::dates;

/// What a document's pages say about its participant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Header {
    pub participant_id: Uuid,
    /// "Surname First names", as lists show it.
    pub name: String,
    /// "First names Surname", as a signature reads.
    pub signed_name: String,
    pub status: Status,
    pub pesel: Option<String>,
    pub birth_date: Date,
    pub address: String,
    pub workshop_name: Option<String>,
    pub responsible_ops: String,
    pub social_worker_name: Option<String>,
    pub admitted_on: Option<Date>,
    /// 'K' or 'M' when known (statuses read in the person's grammatical gender).
    pub sex: Option<String>,
}

/// The header of `participant_id`'s document pages.
pub async fn header(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Option<Header>> {
    sqlx::query_as!(
        Header,
        r#"select p.participant_id, p.surname || ' ' || p.first_names as "name!",
                  p.first_names || ' ' || p.surname as "signed_name!",
                  p.status as "status: Status", p.pesel, p.birth_date,
                  p.address_street || ', ' || p.address_postal_code || ' ' || p.address_city as "address!",
                  w.name as "workshop_name?", p.responsible_ops,
                  s.full_name as "social_worker_name?", p.admitted_on, p.sex::text as sex
           from participant p
           left join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null
           left join workshop w on w.workshop_id = m.workshop_id
           left join staff_user s on s.staff_user_id = p.social_worker_id
           where p.centre_id = $1 and p.participant_id = $2"#,
        centre_id,
        participant_id
    )
    .fetch_optional(db)
    .await
}

/// A version in the list of versions.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub number: i32,
    pub status: &'static str,
    pub based_on: Option<i32>,
    pub reason: String,
    pub created: String,
    pub created_by: String,
    /// Approved or later: it has a print view.
    pub printable: bool,
    /// The version that binds now.
    pub in_force: bool,
}

/// The versions as listed, oldest first. `signed` are the numbers of the versions whose
/// signatures are recorded: the newest of them is the one in force (or was, once the document
/// closed); an earlier one was replaced by an amendment, a later one closed unsigned if the
/// document ended while it was drafted.
pub fn version_rows(versions: &[StoredVersion], signed: &[i32]) -> Vec<VersionRow> {
    let in_force = signed.iter().copied().max();
    versions
        .iter()
        .map(|v| VersionRow {
            number: v.number,
            status: match in_force {
                Some(f) if v.number < f => "Zastąpiona aneksem",
                _ if v.status == DocStatus::Closed && !signed.contains(&v.number) => {
                    "Zamknięta bez podpisania"
                }
                _ => v.status.label(),
            },
            based_on: v.based_on,
            reason: v.reason.clone().unwrap_or_default(),
            created: dates::format_moment(v.created_at),
            created_by: v.created_by_name.clone(),
            printable: v.status.is_frozen(),
            in_force: Some(v.number) == in_force,
        })
        .collect()
}

/// What version `number` is called in the list of versions ("Zastąpiona aneksem", "W
/// realizacji", …), for a print that names it the way the page does.
pub fn version_label(versions: &[StoredVersion], signed: &[i32], number: i32) -> &'static str {
    version_row(versions, signed, number).map_or("", |(row, _)| row.status)
}

/// Version `number` as listed, with its stored text; `None` when there is no such version.
pub fn version_row<'a>(
    versions: &'a [StoredVersion],
    signed: &[i32],
    number: i32,
) -> Option<(VersionRow, &'a StoredVersion)> {
    version_rows(versions, signed)
        .into_iter()
        .zip(versions)
        .find(|(row, _)| row.number == number)
}

/// A document's state in a list: its status, or, while an amendment of a signed one is on its
/// way (`in_force`: a signed version still binds), that it runs, with the amendment's status.
pub fn state_label(status: DocStatus, in_force: bool) -> String {
    if in_force && !matches!(status, DocStatus::Closed | DocStatus::InRealization) {
        format!("W realizacji (aneks: {})", status.label().to_lowercase())
    } else {
        status.label().to_owned()
    }
}

/// A step of the history as listed.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub at: String,
    pub version: i32,
    pub what: String,
    pub by: String,
    pub comment: Option<String>,
}

/// The history as listed, newest first.
pub fn history_lines(rows: &[HistoryRow]) -> Vec<HistoryLine> {
    rows.iter()
        .map(|r| HistoryLine {
            at: dates::format_moment(r.occurred_at),
            version: r.version,
            what: Step::history_label(&r.step).map_or_else(|| r.step.clone(), str::to_owned),
            by: r.decided_by_name.clone(),
            comment: r.comment.clone(),
        })
        .collect()
}

/// The comment of the return that sent the current draft back, if it was returned and not
/// submitted again since (`rows` newest first).
pub fn open_return(rows: &[HistoryRow], status: DocStatus) -> Option<(String, String, String)> {
    if status != DocStatus::Draft {
        return None;
    }
    let last = rows.first()?;
    (last.step == "return").then(|| {
        (
            last.comment.clone().unwrap_or_default(),
            last.decided_by_name.clone(),
            dates::format_moment(last.occurred_at),
        )
    })
}

/// The participant as a document's page names them.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: uuid::Uuid,
    pub name: String,
    /// The name in a signature's order.
    pub signed_name: String,
    /// "uczestnika" or "uczestniczki" (whose signature).
    pub whose: &'static str,
    /// "klienta" or "klientki" (whose signature, on a social contract).
    pub client: &'static str,
    /// "Klient" or "Klientka".
    pub client_title: &'static str,
    pub status: &'static str,
    pub pesel: String,
    pub birth_date: String,
    pub address: String,
    pub social_worker: String,
}

impl Person {
    /// From the header row.
    pub fn of(h: &Header) -> Self {
        let female = h.sex.as_deref() == Some("K");
        Person {
            id: h.participant_id,
            name: h.name.clone(),
            signed_name: h.signed_name.clone(),
            whose: if female { "uczestniczki" } else { "uczestnika" },
            client: if female { "klientki" } else { "klienta" },
            client_title: if female { "Klientka" } else { "Klient" },
            status: h.status.label_for(h.sex.as_deref().map(|s| s == "K")),
            pesel: h.pesel.clone().unwrap_or_else(|| "brak".to_owned()),
            birth_date: dates::format(h.birth_date),
            address: h.address.clone(),
            social_worker: h
                .social_worker_name
                .clone()
                .unwrap_or_else(|| "nie przydzielono".to_owned()),
        }
    }
}

/// "01.12.2026, 10:15" of a moment.
pub fn moment(at: OffsetDateTime) -> String {
    dates::format_moment(at)
}
