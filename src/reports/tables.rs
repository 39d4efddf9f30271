//! The report's tables, built once from the figures with small counts already suppressed, and
//! shown on the page, in the print and in the CSV and XLSX (one [`Sheet`]): what one shows,
//! all show.
//!
//! The "<5" rule: a count of fewer than 5 people (0 included, so that an empty cell cannot be
//! told from a small one) shows as "<5"; a share is shown only when its numerator is shown
//! (at least 5 people), otherwise it shows as "<5" too, so that a percentage never reveals a
//! suppressed count (the denominator, shown when it is at least 5, times the percentage would).

use super::figures::{Figures, POINTS, Period, Situation, Skills};
use crate::validate::dates;
use crate::web::export::{Cell, Kind, Sheet, text};

/// The smallest number of people shown as a number.
pub const SMALLEST_SHOWN: i64 = 5;

/// What a suppressed count or share shows.
pub const SUPPRESSED: &str = "<5";

/// A count of people, or "<5".
pub fn people(n: i64) -> Cell {
    if n < SMALLEST_SHOWN {
        text(SUPPRESSED)
    } else {
        Cell::Number(n)
    }
}

/// `n` of `of` people as a whole percentage ("43%"), or "<5" when `n` is suppressed.
pub fn share(n: i64, of: i64) -> Cell {
    match percent(n, of) {
        Some(p) => text(format!("{p}%")),
        None => text(SUPPRESSED),
    }
}

/// The whole percentage of a shown numerator (rounded half up), `None` when it is suppressed.
pub fn percent(n: i64, of: i64) -> Option<i64> {
    (n >= SMALLEST_SHOWN && of > 0).then(|| (n * 200 + of) / (2 * of))
}

/// One table of the report.
#[derive(Clone, Debug)]
pub struct Table {
    pub caption: String,
    /// The column headings; the first heads the row labels.
    pub head: Vec<String>,
    pub rows: Vec<Line>,
}

/// One row: its label and its cells.
#[derive(Clone, Debug)]
pub struct Line {
    pub label: String,
    pub cells: Vec<Cell>,
    /// A total (bold).
    pub total: bool,
}

impl Line {
    fn new(label: impl Into<String>, cells: Vec<Cell>) -> Self {
        Self {
            label: label.into(),
            cells,
            total: false,
        }
    }

    fn total(label: impl Into<String>, cells: Vec<Cell>) -> Self {
        Self {
            total: true,
            ..Self::new(label, cells)
        }
    }
}

/// "po 3 miesiącach".
pub fn point_label(months: i32) -> String {
    format!("po {months} miesiącach")
}

/// The report's tables, in the page's order: the movement, the terminations by reason, the
/// categories (the visible ones), the graduates' situation (counts, then shares), the
/// usefulness of skills.
pub fn tables(f: &Figures) -> Vec<Table> {
    let movement = Table {
        caption: "Przyjęci, absolwenci i osoby, które przerwały udział".into(),
        head: vec!["".into(), "Liczba osób".into()],
        rows: vec![
            Line::new("Przyjęci do CIS", vec![people(f.admitted)]),
            Line::new("Absolwenci (ukończyli udział)", vec![people(f.graduated)]),
            Line::new("Przerwali udział", vec![people(f.terminated)]),
        ],
    };
    let mut reasons: Vec<Line> = f
        .by_reason
        .iter()
        .map(|(reason, n)| Line::new(reason.label(), vec![people(*n)]))
        .collect();
    reasons.push(Line::total("Razem", vec![people(f.terminated)]));
    let reasons = Table {
        caption: "Przerwanie udziału według przyczyny".into(),
        head: vec!["Przyczyna".into(), "Liczba osób".into()],
        rows: reasons,
    };
    let categories = Table {
        caption: "Według kategorii uprawniającej do udziału (osoba może mieć kilka)".into(),
        head: vec![
            "Kategoria".into(),
            "Przyjęci".into(),
            "Absolwenci".into(),
            "Przerwali udział".into(),
        ],
        rows: f
            .by_category
            .iter()
            .map(|c| {
                Line::new(
                    c.category.label(),
                    vec![
                        people(c.admitted),
                        people(c.graduated),
                        people(c.terminated),
                    ],
                )
            })
            .collect(),
    };
    let mut head = vec![
        "Czas od ukończenia".to_owned(),
        "Absolwenci objęci".to_owned(),
    ];
    head.extend(Situation::ALL.iter().map(|s| s.label().to_owned()));
    let situation = Table {
        caption: "Sytuacja absolwentów po ukończeniu udziału – liczba osób".into(),
        head: head.clone(),
        rows: f
            .points
            .iter()
            .map(|p| {
                let mut cells = vec![people(p.counted)];
                cells.extend(p.situations.map(people));
                Line::new(point_label(p.months), cells)
            })
            .collect(),
    };
    let situation_shares = Table {
        caption: "Sytuacja absolwentów po ukończeniu udziału – odsetek objętych".into(),
        head,
        rows: f
            .points
            .iter()
            .map(|p| {
                let mut cells = vec![people(p.counted)];
                cells.extend(p.situations.map(|n| share(n, p.counted)));
                Line::new(point_label(p.months), cells)
            })
            .collect(),
    };
    let mut skills: Vec<Line> = Skills::ALL
        .iter()
        .zip(f.skills)
        .map(|(s, n)| Line::new(s.label(), vec![people(n), share(n, f.graduated)]))
        .collect();
    skills.push(Line::total(
        "Razem absolwentów",
        vec![people(f.graduated), Cell::Empty],
    ));
    let skills = Table {
        caption: "Przydatność umiejętności zdobytych w CIS – według absolwentów".into(),
        head: vec![
            "Ocena".into(),
            "Liczba absolwentów".into(),
            "Odsetek".into(),
        ],
        rows: skills,
    };
    debug_assert_eq!(POINTS.len(), f.points.len());
    vec![
        movement,
        reasons,
        categories,
        situation,
        situation_shares,
        skills,
    ]
}

/// "01.01.2025–31.12.2025, stan na 01.12.2026".
pub fn period_text(period: Period) -> String {
    format!(
        "{}–{}, stan na {}",
        dates::format(period.from),
        dates::format(period.to),
        dates::format(period.as_at)
    )
}

/// The footnote every copy carries.
pub const SUPPRESSION_NOTE: &str = "Liczby mniejsze niż 5 osób (także zero) pokazano jako „<5”, \
     tak samo odsetki obliczone z takich liczb – aby nikogo nie dało się rozpoznać.";

/// The tables as one sheet for CSV and XLSX.
pub fn sheet(tables: &[Table], period: Period, centre: &str) -> Sheet {
    let mut sheet = Sheet::new(
        "Efektywność",
        vec![
            "Sprawozdanie z efektywności CIS".to_owned(),
            centre.to_owned(),
        ],
        vec![44.0, 16.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0],
    );
    sheet.push(
        Kind::Section,
        vec![text(format!("Okres {}", period_text(period)))],
    );
    sheet.push(Kind::Section, vec![text(SUPPRESSION_NOTE)]);
    for table in tables {
        sheet.push(Kind::Blank, Vec::new());
        sheet.push(Kind::Section, vec![text(table.caption.clone())]);
        sheet.header(&table.head.iter().map(String::as_str).collect::<Vec<_>>());
        for line in &table.rows {
            let mut cells = vec![text(line.label.clone())];
            cells.extend(line.cells.iter().cloned());
            let kind = if line.total { Kind::Total } else { Kind::Data };
            sheet.push(kind, cells);
        }
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_than_five_people_never_show_nor_does_a_share_of_them() {
        assert_eq!(people(0), text("<5"));
        assert_eq!(people(4), text("<5"));
        assert_eq!(people(5), Cell::Number(5));
        assert_eq!(share(4, 100), text("<5"));
        assert_eq!(share(5, 7), text("71%"));
        // 5 of 8 = 62.5% rounds half up.
        assert_eq!(share(5, 8), text("63%"));
        assert_eq!(share(10, 10), text("100%"));
        assert_eq!(percent(0, 0), None);
    }
}
