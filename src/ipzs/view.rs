//! The programme as its pages show it (the programme page, a version, the print): grouped,
//! labelled, dates the Polish way. What every document's page shows around it (versions,
//! history, the person) is `documents::view`'s.

use super::content::{Programme, TEXTS, show_date};
pub use crate::documents::view::{
    HistoryLine, Person, VersionRow, history_lines, open_return, version_row, version_rows,
};

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
