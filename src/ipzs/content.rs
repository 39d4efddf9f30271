//! The IPZS's text (DOMAIN.md "IPZS", seed 000) and its three shapes: the edit form's fields,
//! the document engine's [`Sections`] (what is stored, versioned and frozen), and the labelled
//! text a reader, the print and the diff see.
//!
//! Invariants: [`Programme::to_sections`] and [`Programme::from_sections`] round-trip; a draft
//! holds anything the form accepted (even incomplete), while [`Programme::missing`] lists what a
//! submission still needs; goals and stages are numbered 1, 2, … in the order shown, empty rows
//! dropped. Dates are stored as ISO text (`2026-12-01`) and shown the Polish way.

use time::Date;

use crate::documents::version::Sections;
use crate::validate::dates;
use crate::web::forms::FieldErrors;

/// The stages of seed 000, which a new programme starts with (each editable, removable,
/// re-orderable).
pub const SEED_STAGES: [&str; 9] = [
    "Przygotowanie teoretyczne do zajęć w pracowni",
    "Analiza rysunków, schematów i dokumentacji technicznej",
    "Przygotowanie stanowiska pracy – szkolenie zawodowe",
    "Dobór i przygotowanie narzędzi oraz materiałów",
    "Wykonywanie wyznaczonych zadań",
    "Przestrzeganie przepisów BHP",
    "Nauka współpracy w grupie roboczej",
    "Przygotowanie do egzaminu z nabytych umiejętności",
    "Egzamin końcowy",
];

/// Most goals or stages a programme holds (a field beyond is not a field of this form).
pub const MAX_ROWS: usize = 30;

/// The longest text of one field.
pub const MAX_TEXT: usize = 4000;

/// The one-piece fields, in the document's order: (key, label).
pub const TEXTS: [(&str, &str); 12] = [
    ("diagnosis_sources", "Diagnoza – źródła problemów"),
    ("diagnosis_strengths", "Diagnoza – mocne strony"),
    ("diagnosis_weaknesses", "Diagnoza – słabe strony"),
    (
        "diagnosis_tried",
        "Diagnoza – dotychczasowe działania i ich skutki",
    ),
    ("social", "Formy reintegracji społecznej"),
    ("vocational", "Formy reintegracji zawodowej"),
    (
        "abilities",
        "Sprawności psychofizyczne niezbędne do podjęcia pracy",
    ),
    ("training", "Metody ćwiczenia tych sprawności"),
    ("workshop", "Pracownia"),
    ("ops_name", "Kierownik OPS – imię i nazwisko"),
    ("ops_institution", "Ośrodek pomocy społecznej"),
    ("ops_date", "Data uzgodnienia z kierownikiem OPS"),
];

/// Where the date fields and lists go among [`TEXTS`]: after this key.
const GOALS_AFTER: &str = "diagnosis_tried";
const STAGES_AFTER: &str = "workshop";

/// One specific goal: checkable, with a measure and a target date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Goal {
    pub text: String,
    pub measure: String,
    /// ISO date, or empty in a draft.
    pub due: String,
}

/// One realization stage with its planned dates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stage {
    pub name: String,
    /// ISO dates, or empty in a draft.
    pub from: String,
    pub until: String,
}

/// The programme's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Programme {
    /// The values of [`TEXTS`], by key.
    pub texts: Vec<(&'static str, String)>,
    pub goals: Vec<Goal>,
    pub stages: Vec<Stage>,
    /// The planned participation period (ISO dates).
    pub period_from: String,
    pub period_until: String,
}

impl Goal {
    fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.measure.trim().is_empty() && self.due.is_empty()
    }
}

impl Stage {
    fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.from.is_empty() && self.until.is_empty()
    }
}

/// A date field's value shown the Polish way (the ISO text as is when it does not parse).
pub fn show_date(iso: &str) -> String {
    dates::parse(iso).map_or_else(|_| iso.to_owned(), dates::format)
}

impl Programme {
    /// A new programme: the seed's stages, the workshop and the OPS as known.
    pub fn new(workshop: &str, ops_institution: &str) -> Self {
        let mut p = Programme {
            texts: TEXTS.iter().map(|(k, _)| (*k, String::new())).collect(),
            goals: vec![Goal::default()],
            stages: SEED_STAGES
                .iter()
                .map(|name| Stage {
                    name: (*name).to_owned(),
                    ..Stage::default()
                })
                .collect(),
            ..Programme::default()
        };
        p.set_text("workshop", workshop);
        p.set_text("ops_institution", ops_institution);
        p
    }

    /// The text of one of [`TEXTS`].
    pub fn text(&self, key: &str) -> &str {
        self.texts
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Sets the text of one of [`TEXTS`] (unknown keys are ignored).
    pub fn set_text(&mut self, key: &str, value: &str) {
        if let Some((_, v)) = self.texts.iter_mut().find(|(k, _)| *k == key) {
            *v = value.to_owned();
        }
    }

    /// The stored shape: keys `diagnosis_sources`, …, `goal.1.text`, `goal.1.measure`,
    /// `goal.1.due`, …, `stage.1.name`, `stage.1.from`, `stage.1.until`, …, `period.from`,
    /// `period.until`, in the document's order.
    pub fn to_sections(&self) -> Sections {
        let mut s = Sections::new();
        for (key, _) in TEXTS {
            s.set(key, self.text(key));
            if key == GOALS_AFTER {
                for (i, g) in self.goals.iter().filter(|g| !g.is_empty()).enumerate() {
                    let n = i + 1;
                    s.set(format!("goal.{n}.text"), g.text.as_str());
                    s.set(format!("goal.{n}.measure"), g.measure.as_str());
                    s.set(format!("goal.{n}.due"), g.due.as_str());
                }
            }
            if key == STAGES_AFTER {
                for (i, st) in self.stages.iter().filter(|s| !s.is_empty()).enumerate() {
                    let n = i + 1;
                    s.set(format!("stage.{n}.name"), st.name.as_str());
                    s.set(format!("stage.{n}.from"), st.from.as_str());
                    s.set(format!("stage.{n}.until"), st.until.as_str());
                }
                s.set("period.from", self.period_from.as_str());
                s.set("period.until", self.period_until.as_str());
            }
        }
        s
    }

    /// The programme stored as `sections` (keys it does not know are ignored).
    pub fn from_sections(sections: &Sections) -> Self {
        let mut p = Programme {
            texts: TEXTS
                .iter()
                .map(|(k, _)| (*k, sections.get(k).unwrap_or("").to_owned()))
                .collect(),
            period_from: sections.get("period.from").unwrap_or("").to_owned(),
            period_until: sections.get("period.until").unwrap_or("").to_owned(),
            ..Programme::default()
        };
        for n in 1..=MAX_ROWS {
            let get = |k: &str| sections.get(&format!("goal.{n}.{k}")).map(str::to_owned);
            if let Some(text) = get("text") {
                p.goals.push(Goal {
                    text,
                    measure: get("measure").unwrap_or_default(),
                    due: get("due").unwrap_or_default(),
                });
            }
            let get = |k: &str| sections.get(&format!("stage.{n}.{k}")).map(str::to_owned);
            if let Some(name) = get("name") {
                p.stages.push(Stage {
                    name,
                    from: get("from").unwrap_or_default(),
                    until: get("until").unwrap_or_default(),
                });
            }
        }
        p
    }

    /// The labelled text a reader sees (and the diff compares): dates the Polish way, one
    /// entry per field, labels unique.
    pub fn labelled(&self) -> Sections {
        let mut s = Sections::new();
        for (key, label) in TEXTS {
            let value = if key == "ops_date" {
                show_date(self.text(key))
            } else {
                self.text(key).to_owned()
            };
            s.set(label, value);
            if key == GOALS_AFTER {
                for (i, g) in self.goals.iter().enumerate() {
                    let n = i + 1;
                    s.set(format!("Cel {n}"), g.text.as_str());
                    s.set(format!("Cel {n} – miara osiągnięcia"), g.measure.as_str());
                    s.set(format!("Cel {n} – termin"), show_date(&g.due));
                }
            }
            if key == STAGES_AFTER {
                for (i, st) in self.stages.iter().enumerate() {
                    let n = i + 1;
                    s.set(format!("Etap {n}"), st.name.as_str());
                    s.set(
                        format!("Etap {n} – termin"),
                        format!("{} – {}", show_date(&st.from), show_date(&st.until)),
                    );
                }
                s.set(
                    "Planowany okres uczestnictwa",
                    format!(
                        "{} – {}",
                        show_date(&self.period_from),
                        show_date(&self.period_until)
                    ),
                );
            }
        }
        s
    }

    /// The goals' (stored key, text) pairs, for the monitoring's assessments.
    pub fn goal_keys(&self) -> Vec<(String, String)> {
        self.goals
            .iter()
            .enumerate()
            .map(|(i, g)| (format!("goal.{}", i + 1), g.text.clone()))
            .collect()
    }

    /// What a submission still needs, each as (field to link to, Polish message), in the
    /// form's order. Empty when the programme is complete.
    pub fn missing(&self) -> FieldErrors {
        let mut m = FieldErrors::new();
        for (key, label) in TEXTS {
            if self.text(key).trim().is_empty() {
                m.add(key, format!("Uzupełnij: {}.", label.to_lowercase()));
            }
            if key == GOALS_AFTER {
                if self.goals.iter().all(Goal::is_empty) {
                    m.add("goal_1_text", "Wpisz co najmniej jeden cel.");
                }
                for (i, g) in self.goals.iter().enumerate().filter(|(_, g)| !g.is_empty()) {
                    let n = i + 1;
                    if g.text.trim().is_empty() {
                        m.add(
                            format!("goal_{n}_text"),
                            format!("Cel {n}: wpisz, na czym polega."),
                        );
                    }
                    if g.measure.trim().is_empty() {
                        m.add(
                            format!("goal_{n}_measure"),
                            format!("Cel {n}: podaj miarę osiągnięcia."),
                        );
                    }
                    if g.due.is_empty() {
                        m.add(format!("goal_{n}_due"), format!("Cel {n}: podaj termin."));
                    }
                }
            }
            if key == STAGES_AFTER {
                if self.stages.iter().all(Stage::is_empty) {
                    m.add("stage_1_name", "Wpisz co najmniej jeden etap realizacji.");
                }
                for (i, st) in self
                    .stages
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| !s.is_empty())
                {
                    let n = i + 1;
                    if st.name.trim().is_empty() {
                        m.add(format!("stage_{n}_name"), format!("Etap {n}: wpisz nazwę."));
                    }
                    if st.from.is_empty() || st.until.is_empty() {
                        m.add(
                            format!("stage_{n}_from"),
                            format!("Etap {n}: podaj planowane daty."),
                        );
                    }
                }
                if self.period_from.is_empty() || self.period_until.is_empty() {
                    m.add("period_from", "Podaj planowany okres uczestnictwa.");
                }
            }
        }
        m
    }
}

/// What the edit form asks for besides saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    /// Zapisz projekt.
    Save,
    /// Save and add an empty goal row.
    AddGoal,
    /// Save and add an empty stage row.
    AddStage,
}

/// The edit form as posted: the programme, the draft's revision it was read at, the action.
#[derive(Clone, Debug)]
pub struct Posted {
    pub programme: Programme,
    pub revision: i32,
    /// The version the form was read at (a stale tab of an earlier version must not save into
    /// a newer one).
    pub version: Option<i32>,
    pub action: FormAction,
}

/// Why a posted form is not a form of this page at all (a forged or unknown field): 400.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField(pub String);

#[derive(Default)]
struct StageRow {
    stage: Stage,
    order: Option<i64>,
    remove: bool,
}

/// Reads the posted pairs (the token already taken out): every field must be one of the form's
/// (an unknown name, a row beyond [`MAX_ROWS`] or a forged `status` is refused). Removed rows
/// are dropped, stages sorted by their "order" field (ties keep the form's order).
pub fn parse_form(pairs: Vec<(String, String)>) -> Result<Posted, UnknownField> {
    let mut p = Programme::new("", "");
    p.goals.clear();
    p.stages.clear();
    let mut goals: Vec<(Goal, bool)> = vec![Default::default(); MAX_ROWS];
    let mut stages: Vec<StageRow> = (0..MAX_ROWS).map(|_| StageRow::default()).collect();
    let mut revision = None;
    let mut version = None;
    let mut action = FormAction::Save;
    for (name, value) in pairs {
        if let Some((_, v)) = p.texts.iter_mut().find(|(k, _)| *k == name) {
            *v = value;
            continue;
        }
        match name.as_str() {
            "period_from" => p.period_from = value.trim().to_owned(),
            "period_until" => p.period_until = value.trim().to_owned(),
            "revision" => revision = value.parse::<i32>().ok(),
            "version" => version = Some(value.parse::<i32>().map_err(|_| UnknownField(name))?),
            "action" => {
                action = match value.as_str() {
                    "save" => FormAction::Save,
                    "add_goal" => FormAction::AddGoal,
                    "add_stage" => FormAction::AddStage,
                    _ => return Err(UnknownField(name)),
                }
            }
            _ => {
                let mut parts = name.splitn(3, '_');
                let (list, n, field) = (parts.next(), parts.next(), parts.next());
                let n = n
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| (1..=MAX_ROWS).contains(n))
                    .ok_or_else(|| UnknownField(name.clone()))?;
                match (list, field) {
                    (Some("goal"), Some("text")) => goals[n - 1].0.text = value,
                    (Some("goal"), Some("measure")) => goals[n - 1].0.measure = value,
                    (Some("goal"), Some("due")) => goals[n - 1].0.due = value.trim().to_owned(),
                    (Some("goal"), Some("remove")) => goals[n - 1].1 = true,
                    (Some("stage"), Some("name")) => stages[n - 1].stage.name = value,
                    (Some("stage"), Some("from")) => {
                        stages[n - 1].stage.from = value.trim().to_owned()
                    }
                    (Some("stage"), Some("until")) => {
                        stages[n - 1].stage.until = value.trim().to_owned()
                    }
                    (Some("stage"), Some("order")) => {
                        stages[n - 1].order = value.trim().parse().ok()
                    }
                    (Some("stage"), Some("remove")) => stages[n - 1].remove = true,
                    _ => return Err(UnknownField(name)),
                }
            }
        }
    }
    let revision = revision.ok_or_else(|| UnknownField("revision".to_owned()))?;
    p.goals = goals
        .into_iter()
        .filter(|(g, removed)| !removed && !g.is_empty())
        .map(|(g, _)| g)
        .collect();
    let mut kept: Vec<(usize, StageRow)> = stages
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !r.remove && !r.stage.is_empty())
        .collect();
    // A stage without an order number keeps its place among the others; a stage given the
    // number of another moves there, before it.
    kept.sort_by_key(|(i, r)| {
        let place = *i as i64 + 1;
        let order = r.order.unwrap_or(place);
        (order, order == place, *i)
    });
    p.stages = kept.into_iter().map(|(_, r)| r.stage).collect();
    Ok(Posted {
        programme: p,
        revision,
        version,
        action,
    })
}

/// Checks what a draft may hold at all (a draft may be incomplete, not wrong): text lengths,
/// dates that are dates, each range in order, and the planned period within `latest_end` (the
/// legal maximum for a period starting on its first day, from the rules in force).
pub fn check_draft(p: &Programme, latest_end: impl Fn(Date) -> Option<Date>) -> FieldErrors {
    let mut e = FieldErrors::new();
    for (key, label) in TEXTS {
        if p.text(key).chars().count() > MAX_TEXT {
            e.add(key, format!("{label}: najwyżej {MAX_TEXT} znaków."));
        }
    }
    if let Err(m) = optional_date(p.text("ops_date")) {
        e.add("ops_date", m);
    }
    // The agreement goes into the participant's record at admission (200 characters).
    if p.text("ops_name").chars().count() > 100 {
        e.add(
            "ops_name",
            "Imię i nazwisko kierownika OPS: najwyżej 100 znaków.",
        );
    }
    if p.text("ops_institution").chars().count() > 98 {
        e.add(
            "ops_institution",
            "Nazwa ośrodka pomocy społecznej: najwyżej 98 znaków.",
        );
    }
    for (i, g) in p.goals.iter().enumerate() {
        let n = i + 1;
        if g.text.chars().count() > MAX_TEXT || g.measure.chars().count() > MAX_TEXT {
            e.add(
                format!("goal_{n}_text"),
                format!("Cel {n}: najwyżej {MAX_TEXT} znaków."),
            );
        }
        if let Err(m) = optional_date(&g.due) {
            e.add(format!("goal_{n}_due"), format!("Cel {n}: {m}"));
        }
    }
    for (i, s) in p.stages.iter().enumerate() {
        let n = i + 1;
        if s.name.chars().count() > 300 {
            e.add(
                format!("stage_{n}_name"),
                format!("Etap {n}: najwyżej 300 znaków."),
            );
        }
        match (optional_date(&s.from), optional_date(&s.until)) {
            (Ok(Some(from)), Ok(Some(until))) if until < from => e.add(
                format!("stage_{n}_until"),
                format!("Etap {n}: koniec nie może być wcześniej niż początek."),
            ),
            (Err(m), _) => e.add(format!("stage_{n}_from"), format!("Etap {n}: {m}")),
            (_, Err(m)) => e.add(format!("stage_{n}_until"), format!("Etap {n}: {m}")),
            _ => {}
        }
    }
    match (
        optional_date(&p.period_from),
        optional_date(&p.period_until),
    ) {
        (Err(m), _) => e.add("period_from", m),
        (_, Err(m)) => e.add("period_until", m),
        (Ok(Some(from)), Ok(Some(until))) if until < from => e.add(
            "period_until",
            "Koniec okresu uczestnictwa nie może być wcześniej niż jego początek.",
        ),
        (Ok(Some(from)), Ok(Some(until))) => match latest_end(from) {
            Some(latest) if until > latest => e.add(
                "period_until",
                format!(
                    "Planowany okres przekracza najdłuższy dopuszczalny: przy rozpoczęciu {} \
                     uczestnictwo może trwać najdłużej do {} (okres próbny i przedłużenia \
                     wliczone).",
                    dates::format(from),
                    dates::format(latest)
                ),
            ),
            None => e.add(
                "period_from",
                "Dla tej daty nie ma reguły czasu uczestnictwa – sprawdź datę.",
            ),
            Some(_) => {}
        },
        _ => {}
    }
    e
}

/// `value` as an ISO date when it is one (typed the Polish way, say), else unchanged.
fn iso(value: &mut String) {
    if let Ok(Some(date)) = optional_date(value) {
        *value = dates::iso(date);
    }
}

impl Programme {
    /// The same programme with every date that [`check_draft`] accepted written as ISO.
    pub fn normalized(mut self) -> Self {
        for (key, value) in &mut self.texts {
            if *key == "ops_date" {
                iso(value);
            }
        }
        for g in &mut self.goals {
            iso(&mut g.due);
        }
        for s in &mut self.stages {
            iso(&mut s.from);
            iso(&mut s.until);
        }
        iso(&mut self.period_from);
        iso(&mut self.period_until);
        self
    }
}

fn optional_date(value: &str) -> Result<Option<Date>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        dates::parse(value).map(Some)
    }
}

#[cfg(test)]
mod tests;
