//! Part I of the social contract (DOMAIN.md "Kontrakt socjalny", seed 001) and its three
//! shapes: the edit form's fields, the engine's [`Sections`] (stored, versioned, frozen) and the
//! labelled text a reader, the print and the diff see.
//!
//! Invariants: [`Contract::to_sections`] and [`Contract::from_sections`] round-trip; a draft
//! may be incomplete but never wrong ([`check_draft`]); [`Contract::missing`] lists what a
//! submission needs; goals and actions are numbered 1, 2, … in the order shown, empty rows
//! dropped; dates are stored as ISO text and shown the Polish way.

use time::Date;

use crate::documents::version::Sections;
use crate::domain::vocabulary;
use crate::validate::dates;
use crate::web::forms::FieldErrors;

/// The main goal seed 001 gives every contract of the project (editable).
pub const MAIN_GOAL: &str = "Zapewnienie równego dostępu do zatrudnienia poprzez zwiększenie lub \
                             wykształcenie nowych kompetencji społecznych i zawodowych.";

/// The support a CIS usually gives (seed 001, part V), offered as the field's first text.
pub const SUPPORT: &str = "Wnioski o zasiłek celowy; skierowanie na badania z zakresu medycyny \
                           pracy; informowanie o terminach działań; spotkania grupowe; grupa \
                           samopomocowa.";

/// Most goals or actions a contract holds.
pub const MAX_ROWS: usize = 30;

/// The longest text of one field.
pub const MAX_TEXT: usize = 4000;

/// The one-piece fields, in the document's order: (key, label).
pub const TEXTS: [(&str, &str); 7] = [
    ("situation", "Sytuacja klienta i problem"),
    ("causes", "Przyczyny trudnej sytuacji"),
    ("main_goal", "Cel główny"),
    ("client_duties", "Zobowiązania klienta"),
    ("worker_duties", "Zobowiązania pracownika socjalnego i CIS"),
    ("support", "Wsparcie udzielane przez CIS"),
    ("interview_on", "Data wywiadu środowiskowego"),
];

/// Where the goals and the actions go among [`TEXTS`]: after this key.
const ROWS_AFTER: &str = "main_goal";

vocabulary! {
    /// Who carries out a planned action.
    pub enum Party {
        /// Klient.
        Client = ("client", "klient"),
        /// Pracownik socjalny.
        SocialWorker = ("social_worker", "pracownik socjalny"),
        /// Centrum Integracji Społecznej.
        Centre = ("centre", "CIS"),
        /// Instytucja partnerska (OPS, PUP, poradnia…).
        Partner = ("partner", "instytucja partnerska"),
    }
}

/// One planned action: what, by when, by whom.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Planned {
    pub text: String,
    /// ISO date, or empty in a draft.
    pub due: String,
    /// A [`Party`] code, or empty in a draft.
    pub party: String,
}

impl Planned {
    /// The deadline the Polish way.
    pub fn due_shown(&self) -> String {
        show_date(&self.due)
    }

    /// Who carries it out, in words.
    pub fn party_shown(&self) -> &'static str {
        party_label(&self.party)
    }

    fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.due.is_empty() && self.party.is_empty()
    }
}

/// Part I's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contract {
    /// The values of [`TEXTS`], by key.
    pub texts: Vec<(&'static str, String)>,
    /// The specific goals.
    pub goals: Vec<String>,
    pub actions: Vec<Planned>,
    /// The contract period (ISO dates).
    pub period_from: String,
    pub period_until: String,
}

/// A date field's value shown the Polish way (the text as is when it does not parse).
pub fn show_date(iso: &str) -> String {
    dates::parse(iso).map_or_else(|_| iso.to_owned(), dates::format)
}

impl Contract {
    /// A new contract: the seed's main goal and the usual support, one empty goal and action.
    pub fn new() -> Self {
        let mut c = Contract {
            texts: TEXTS.iter().map(|(k, _)| (*k, String::new())).collect(),
            goals: vec![String::new()],
            actions: vec![Planned::default()],
            ..Contract::default()
        };
        c.set_text("main_goal", MAIN_GOAL);
        c.set_text("support", SUPPORT);
        c
    }

    /// A renewal of `old` (new specific goals): its text as the start; the specific goals, the
    /// actions' deadlines and the period are the new contract's to set.
    pub fn renewal_of(old: &Contract) -> Self {
        Contract {
            goals: vec![String::new()],
            actions: old
                .actions
                .iter()
                .map(|a| Planned {
                    due: String::new(),
                    ..a.clone()
                })
                .collect(),
            period_from: String::new(),
            period_until: String::new(),
            ..old.clone()
        }
    }

    /// The period the Polish way ("" when not given at all).
    pub fn period_shown(&self) -> String {
        if self.period_from.is_empty() && self.period_until.is_empty() {
            return String::new();
        }
        format!(
            "{} – {}",
            show_date(&self.period_from),
            show_date(&self.period_until)
        )
    }

    /// The date of the environmental interview the Polish way.
    pub fn interview_shown(&self) -> String {
        show_date(self.text("interview_on"))
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

    /// The stored shape: `situation`, `causes`, `main_goal`, `goal.1`, …, `action.1.text`,
    /// `action.1.due`, `action.1.party`, …, `client_duties`, …, `period.from`, `period.until`.
    pub fn to_sections(&self) -> Sections {
        let mut s = Sections::new();
        for (key, _) in TEXTS {
            s.set(key, self.text(key));
            if key == ROWS_AFTER {
                for (i, g) in self
                    .goals
                    .iter()
                    .filter(|g| !g.trim().is_empty())
                    .enumerate()
                {
                    s.set(format!("goal.{}", i + 1), g.as_str());
                }
                for (i, a) in self.actions.iter().filter(|a| !a.is_empty()).enumerate() {
                    let n = i + 1;
                    s.set(format!("action.{n}.text"), a.text.as_str());
                    s.set(format!("action.{n}.due"), a.due.as_str());
                    s.set(format!("action.{n}.party"), a.party.as_str());
                }
            }
        }
        s.set("period.from", self.period_from.as_str());
        s.set("period.until", self.period_until.as_str());
        s
    }

    /// The contract stored as `sections` (keys it does not know are ignored).
    pub fn from_sections(sections: &Sections) -> Self {
        let get = |k: &str| sections.get(k).unwrap_or("").to_owned();
        let mut c = Contract {
            texts: TEXTS.iter().map(|(k, _)| (*k, get(k))).collect(),
            period_from: get("period.from"),
            period_until: get("period.until"),
            ..Contract::default()
        };
        for n in 1..=MAX_ROWS {
            if let Some(goal) = sections.get(&format!("goal.{n}")) {
                c.goals.push(goal.to_owned());
            }
            let get = |k: &str| sections.get(&format!("action.{n}.{k}")).map(str::to_owned);
            if let Some(text) = get("text") {
                c.actions.push(Planned {
                    text,
                    due: get("due").unwrap_or_default(),
                    party: get("party").unwrap_or_default(),
                });
            }
        }
        c
    }

    /// The labelled text a reader sees (and the diff compares): dates the Polish way.
    pub fn labelled(&self) -> Sections {
        let mut s = Sections::new();
        for (key, label) in TEXTS {
            let value = if key == "interview_on" {
                show_date(self.text(key))
            } else {
                self.text(key).to_owned()
            };
            s.set(label, value);
            if key == ROWS_AFTER {
                for (i, g) in self.goals.iter().enumerate() {
                    s.set(format!("Cel szczegółowy {}", i + 1), g.as_str());
                }
                for (i, a) in self.actions.iter().enumerate() {
                    let n = i + 1;
                    s.set(format!("Działanie {n}"), a.text.as_str());
                    s.set(
                        format!("Działanie {n} – termin i kto"),
                        format!("{}, {}", show_date(&a.due), party_label(&a.party)),
                    );
                }
            }
        }
        s.set(
            "Okres obowiązywania kontraktu",
            format!(
                "{} – {}",
                show_date(&self.period_from),
                show_date(&self.period_until)
            ),
        );
        s
    }

    /// The specific goals as compared between versions: trimmed, in order. An amendment may
    /// change anything but these (new goals need a new contract).
    pub fn goal_texts(&self) -> Vec<String> {
        self.goals
            .iter()
            .map(|g| g.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|g| !g.is_empty())
            .collect()
    }

    /// What a submission still needs, each as (field, Polish message), in the form's order.
    pub fn missing(&self) -> FieldErrors {
        let mut m = FieldErrors::new();
        for (key, label) in TEXTS {
            if self.text(key).trim().is_empty() {
                m.add(key, format!("Uzupełnij: {}.", lower_first(label)));
            }
            if key == ROWS_AFTER {
                if self.goals.iter().all(|g| g.trim().is_empty()) {
                    m.add("goal_1", "Wpisz co najmniej jeden cel szczegółowy.");
                }
                if self.actions.iter().all(Planned::is_empty) {
                    m.add("action_1_text", "Wpisz co najmniej jedno działanie.");
                }
                for (i, a) in self
                    .actions
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| !a.is_empty())
                {
                    let n = i + 1;
                    if a.text.trim().is_empty() {
                        m.add(
                            format!("action_{n}_text"),
                            format!("Działanie {n}: wpisz, na czym polega."),
                        );
                    }
                    if a.due.is_empty() {
                        m.add(
                            format!("action_{n}_due"),
                            format!("Działanie {n}: podaj termin."),
                        );
                    }
                    if a.party.is_empty() {
                        m.add(
                            format!("action_{n}_party"),
                            format!("Działanie {n}: wskaż, kto je wykonuje."),
                        );
                    }
                }
            }
        }
        if self.period_from.is_empty() || self.period_until.is_empty() {
            m.add("period_from", "Podaj okres obowiązywania kontraktu.");
        }
        m
    }
}

/// `label` with its first letter small ("Zobowiązania … CIS" → "zobowiązania … CIS").
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// The label of a [`Party`] code ("" for an empty or unknown one).
pub fn party_label(code: &str) -> &'static str {
    Party::from_code(code).map_or("", |p| p.label())
}

/// What the edit form asks for besides saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    /// Zapisz projekt.
    Save,
    /// Save and add an empty goal row.
    AddGoal,
    /// Save and add an empty action row.
    AddAction,
}

/// The edit form as posted.
#[derive(Clone, Debug)]
pub struct Posted {
    pub contract: Contract,
    pub revision: i32,
    /// The version the form was read at.
    pub version: Option<i32>,
    pub action: FormAction,
}

/// Why a posted form is not a form of this page (a forged or unknown field): 400.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField(pub String);

/// Reads the posted pairs (the token taken out): every field must be one of the form's (an
/// unknown name, a row beyond [`MAX_ROWS`] or a forged `status` is refused); removed rows are
/// dropped.
pub fn parse_form(pairs: Vec<(String, String)>) -> Result<Posted, UnknownField> {
    let mut c = Contract::new();
    let mut goals: Vec<(String, bool)> = vec![Default::default(); MAX_ROWS];
    let mut actions: Vec<(Planned, bool)> = vec![Default::default(); MAX_ROWS];
    let mut revision = None;
    let mut version = None;
    let mut action = FormAction::Save;
    for (name, value) in pairs {
        if let Some((_, v)) = c.texts.iter_mut().find(|(k, _)| *k == name) {
            *v = if name == "interview_on" {
                value.trim().to_owned()
            } else {
                value
            };
            continue;
        }
        match name.as_str() {
            "period_from" => c.period_from = value.trim().to_owned(),
            "period_until" => c.period_until = value.trim().to_owned(),
            "revision" => revision = value.parse::<i32>().ok(),
            "version" => version = Some(value.parse::<i32>().map_err(|_| UnknownField(name))?),
            "action" => {
                action = match value.as_str() {
                    "save" => FormAction::Save,
                    "add_goal" => FormAction::AddGoal,
                    "add_action" => FormAction::AddAction,
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
                let (goal, planned) = (&mut goals[n - 1], &mut actions[n - 1]);
                match (list, field) {
                    (Some("goal"), None) => goal.0 = value,
                    (Some("goal"), Some("remove")) => goal.1 = true,
                    (Some("action"), Some("text")) => planned.0.text = value,
                    (Some("action"), Some("due")) => planned.0.due = value.trim().to_owned(),
                    (Some("action"), Some("party")) => planned.0.party = value,
                    (Some("action"), Some("remove")) => planned.1 = true,
                    _ => return Err(UnknownField(name)),
                }
            }
        }
    }
    let revision = revision.ok_or_else(|| UnknownField("revision".to_owned()))?;
    // The version the form was read at decides which draft it saves into (and which goals an
    // amendment must keep): a form without it is not this page's.
    let version = Some(version.ok_or_else(|| UnknownField("version".to_owned()))?);
    c.goals = goals
        .into_iter()
        .filter(|(g, removed)| !removed && !g.trim().is_empty())
        .map(|(g, _)| g)
        .collect();
    c.actions = actions
        .into_iter()
        .filter(|(a, removed)| !removed && !a.is_empty())
        .map(|(a, _)| a)
        .collect();
    Ok(Posted {
        contract: c,
        revision,
        version,
        action,
    })
}

/// Checks what a draft may hold at all (incomplete is fine, wrong is not): text lengths, dates
/// that are dates, a known party, the period in order, no action due before the period starts
/// or after it ends, an interview not in the future (`today`).
pub fn check_draft(c: &Contract, today: Date) -> FieldErrors {
    let mut e = FieldErrors::new();
    for (key, label) in TEXTS {
        if c.text(key).chars().count() > MAX_TEXT {
            e.add(key, format!("{label}: najwyżej {MAX_TEXT} znaków."));
        }
    }
    match optional_date(c.text("interview_on")) {
        Err(m) => e.add("interview_on", format!("Data wywiadu środowiskowego: {m}")),
        Ok(Some(on)) if on > today => e.add(
            "interview_on",
            "Data wywiadu środowiskowego nie może być w przyszłości – kontrakt opiera się na \
             przeprowadzonym wywiadzie.",
        ),
        Ok(_) => {}
    }
    let period = match (
        optional_date(&c.period_from),
        optional_date(&c.period_until),
    ) {
        (Err(m), _) => {
            e.add("period_from", format!("Początek okresu kontraktu: {m}"));
            None
        }
        (_, Err(m)) => {
            e.add("period_until", format!("Koniec okresu kontraktu: {m}"));
            None
        }
        (Ok(Some(from)), Ok(Some(until))) if until < from => {
            e.add(
                "period_until",
                "Koniec okresu kontraktu nie może być wcześniej niż jego początek.",
            );
            None
        }
        (Ok(from), Ok(until)) => Some((from, until)),
    };
    for (i, g) in c.goals.iter().enumerate() {
        if g.chars().count() > MAX_TEXT {
            let n = i + 1;
            e.add(
                format!("goal_{n}"),
                format!("Cel {n}: najwyżej {MAX_TEXT} znaków."),
            );
        }
    }
    for (i, a) in c.actions.iter().enumerate() {
        let n = i + 1;
        if a.text.chars().count() > MAX_TEXT {
            e.add(
                format!("action_{n}_text"),
                format!("Działanie {n}: najwyżej {MAX_TEXT} znaków."),
            );
        }
        if !a.party.is_empty() && Party::from_code(&a.party).is_none() {
            e.add(
                format!("action_{n}_party"),
                format!("Działanie {n}: wybierz, kto je wykonuje, z listy."),
            );
        }
        match (optional_date(&a.due), period) {
            (Err(m), _) => e.add(format!("action_{n}_due"), format!("Działanie {n}: {m}")),
            (Ok(Some(due)), Some((Some(from), _))) if due < from => e.add(
                format!("action_{n}_due"),
                format!(
                    "Działanie {n}: termin ({}) jest przed początkiem kontraktu ({}).",
                    dates::format(due),
                    dates::format(from)
                ),
            ),
            (Ok(Some(due)), Some((_, Some(until)))) if due > until => e.add(
                format!("action_{n}_due"),
                format!(
                    "Działanie {n}: termin ({}) jest po końcu kontraktu ({}).",
                    dates::format(due),
                    dates::format(until)
                ),
            ),
            _ => {}
        }
    }
    e
}

fn optional_date(value: &str) -> Result<Option<Date>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        dates::parse(value).map(Some)
    }
}

/// `value` as an ISO date when it is one (typed the Polish way, say), else unchanged.
fn iso(value: &mut String) {
    if let Ok(Some(date)) = optional_date(value) {
        *value = dates::iso(date);
    }
}

impl Contract {
    /// The same contract with every date that [`check_draft`] accepted written as ISO.
    pub fn normalized(mut self) -> Self {
        for (key, value) in &mut self.texts {
            if *key == "interview_on" {
                iso(value);
            }
        }
        for a in &mut self.actions {
            iso(&mut a.due);
        }
        iso(&mut self.period_from);
        iso(&mut self.period_until);
        self
    }
}

#[cfg(test)]
mod tests;
