//! The programme as its pages show it (the programme page, a version, the print): grouped,
//! labelled, dates the Polish way; and the facts every programme page shows around it.

use time::OffsetDateTime;

use super::content::{Programme, TEXTS, show_date};
use super::db::Header;
use crate::documents::db::{HistoryRow, StoredVersion};
use crate::documents::workflow::{DocStatus, Step};
use crate::validate::dates;

/// One labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
}

/// A goal as shown.
#[derive(Debug, Clone)]
pub struct GoalRow {
    pub n: usize,
    pub text: String,
    pub measure: String,
    pub due: String,
}

/// A stage as shown.
#[derive(Debug, Clone)]
pub struct StageRow {
    pub n: usize,
    pub name: String,
    pub from: String,
    pub until: String,
}

/// The programme's text, grouped as the paper form groups it.
#[derive(Debug, Clone)]
pub struct ProgrammeView {
    pub diagnosis: Vec<Field>,
    pub goals: Vec<GoalRow>,
    pub reintegration: Vec<Field>,
    pub stages: Vec<StageRow>,
    pub period: String,
    pub ops: Vec<Field>,
}

fn fields(p: &Programme, keys: &[&str]) -> Vec<Field> {
    TEXTS
        .iter()
        .filter(|(k, _)| keys.contains(k))
        .map(|(k, label)| Field {
            label,
            value: if *k == "ops_date" {
                show_date(p.text(k))
            } else {
                p.text(k).to_owned()
            },
        })
        .collect()
}

impl ProgrammeView {
    /// The view of `p`.
    pub fn of(p: &Programme) -> Self {
        ProgrammeView {
            diagnosis: fields(
                p,
                &[
                    "diagnosis_sources",
                    "diagnosis_strengths",
                    "diagnosis_weaknesses",
                    "diagnosis_tried",
                ],
            ),
            goals: p
                .goals
                .iter()
                .enumerate()
                .map(|(i, g)| GoalRow {
                    n: i + 1,
                    text: g.text.clone(),
                    measure: g.measure.clone(),
                    due: show_date(&g.due),
                })
                .collect(),
            reintegration: fields(
                p,
                &["social", "vocational", "abilities", "training", "workshop"],
            ),
            stages: p
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| StageRow {
                    n: i + 1,
                    name: s.name.clone(),
                    from: show_date(&s.from),
                    until: show_date(&s.until),
                })
                .collect(),
            period: if p.period_from.is_empty() && p.period_until.is_empty() {
                String::new()
            } else {
                format!(
                    "{} – {}",
                    show_date(&p.period_from),
                    show_date(&p.period_until)
                )
            },
            ops: fields(p, &["ops_name", "ops_institution", "ops_date"]),
        }
    }
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
/// signatures are recorded: the newest of them is the one in force (or was, once the programme
/// closed); an earlier one was replaced by an amendment, a later one closed unsigned if the
/// programme ended while it was drafted.
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

/// The participant as a programme page names them.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: uuid::Uuid,
    pub name: String,
    /// The name in a signature's order.
    pub signed_name: String,
    /// "uczestnika" or "uczestniczki" (whose signature).
    pub whose: &'static str,
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
