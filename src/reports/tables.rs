//! The report's tables, built once from the figures with small counts already suppressed, and
//! shown on the page, in the print and in the CSV and XLSX (one [`Sheet`]): what one shows,
//! all show.
//!
//! The "<5" rule: a count of fewer than 5 people (0 included, so that an empty cell cannot be
//! told from a small one) shows as "<5"; a share is shown only when its numerator is shown
//! (at least 5 people), otherwise it shows as "<5" too, so that a percentage never reveals a
//! suppressed count (the denominator, shown when it is at least 5, times the percentage would).
//!
//! Secondary suppression: in a line (or column) whose total is shown, one suppressed count
//! alone could be computed as the total minus the shown ones (13 = 5 + 6 + "<5" gives 2). So
//! when exactly one count of such a line is suppressed, the smallest shown count of the line
//! (the first on a tie) is suppressed too, with its share: the line then hides at least two
//! counts and only their sum can be computed. Lines with a total: the terminations by reason
//! (the total of terminated), the situation at each point (of the graduates counted), the
//! usefulness of skills (of the graduates). The categories do not add up (a person may have
//! several), so they have no total.
//! What this simple rule does not stop: a reader who knows it and sees two hidden counts whose
//! sum is 9 or more knows one of them is the secondary (5 or more, at most the smallest count
//! left shown); with a tie (4, 5, 5 …) that can pin the small one down. Closing that needs a
//! protection-interval check (or suppressing a cell chosen by position, not by size).

use super::figures::{Figures, POINTS, Period, PointLine, Situation, Skills};
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

/// A count as [`suppress`] left it.
pub fn shown(n: Option<i64>) -> Cell {
    n.map_or_else(|| text(SUPPRESSED), Cell::Number)
}

/// The share of a count as [`suppress`] left it, a whole percentage ("43%"): "<5" when the
/// count is suppressed or fewer than 5.
pub fn shown_share(n: Option<i64>, of: i64) -> Cell {
    match n.and_then(|n| percent(n, of)) {
        Some(p) => text(format!("{p}%")),
        None => text(SUPPRESSED),
    }
}

/// The counts of a line whose `total` is shown with them, each as shown (`None`: "<5"): fewer
/// than 5 people are suppressed; when that leaves exactly one suppressed and the total is
/// shown, the smallest shown count (the first on a tie) is suppressed too (see the module).
pub fn suppress(counts: &[i64], total: i64) -> Vec<Option<i64>> {
    let mut shown: Vec<Option<i64>> = counts
        .iter()
        .map(|&n| (n >= SMALLEST_SHOWN).then_some(n))
        .collect();
    let hidden = shown.iter().filter(|n| n.is_none()).count();
    if total >= SMALLEST_SHOWN && hidden == 1 {
        // `min_by_key` keeps the first of equal counts.
        let smallest = (0..shown.len())
            .filter_map(|i| shown[i].map(|n| (i, n)))
            .min_by_key(|&(_, n)| n);
        if let Some((i, _)) = smallest {
            shown[i] = None;
        }
    }
    shown
}

/// The terminations per reason, as shown (the total: the people terminated).
pub fn reason_counts(f: &Figures) -> Vec<Option<i64>> {
    let counts: Vec<i64> = f.by_reason.iter().map(|(_, n)| *n).collect();
    suppress(&counts, f.terminated)
}

/// A point's situations per [`Situation::ALL`], as shown (the total: the graduates counted).
pub fn situation_counts(p: &PointLine) -> Vec<Option<i64>> {
    suppress(&p.situations, p.counted)
}

/// The graduates per [`Skills::ALL`], as shown (the total: the graduates).
pub fn skills_counts(f: &Figures) -> Vec<Option<i64>> {
    suppress(&f.skills, f.graduated)
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
    /// A row.
    pub fn new(label: impl Into<String>, cells: Vec<Cell>) -> Self {
        Self {
            label: label.into(),
            cells,
            total: false,
        }
    }

    /// A total row (bold).
    pub fn total(label: impl Into<String>, cells: Vec<Cell>) -> Self {
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
        .zip(reason_counts(f))
        .map(|((reason, _), n)| Line::new(reason.label(), vec![shown(n)]))
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
                cells.extend(situation_counts(p).into_iter().map(shown));
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
                cells.extend(
                    situation_counts(p)
                        .into_iter()
                        .map(|n| shown_share(n, p.counted)),
                );
                Line::new(point_label(p.months), cells)
            })
            .collect(),
    };
    let mut skills: Vec<Line> = Skills::ALL
        .iter()
        .zip(skills_counts(f))
        .map(|(s, n)| Line::new(s.label(), vec![shown(n), shown_share(n, f.graduated)]))
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

/// The footnotes every copy carries: the "<5" rule with its secondary suppression, and the
/// risk no rule inside one report can remove.
pub const SUPPRESSION_NOTE: &str = "Liczby mniejsze niż 5 osób (także zero) pokazano jako „<5”, \
     tak samo odsetki obliczone z takich liczb – aby nikogo nie dało się rozpoznać. Gdy w wierszu \
     lub kolumnie z sumą (razem, objęci) tylko jedna liczba byłaby ukryta, dałoby się ją obliczyć, \
     odejmując pozostałe od sumy; dlatego ukrywamy wtedy także najmniejszą z pozostałych liczb i jej \
     odsetek – w takim wierszu „<5” może więc oznaczać także 5 osób lub więcej.";

/// See [`SUPPRESSION_NOTE`].
pub const OVERLAP_NOTE: &str = "Sprawozdania za nakładające się okresy (np. styczeń–czerwiec \
     i styczeń–lipiec) albo na różne dni „stan na” mogą po odjęciu jednych liczb od drugich \
     ujawnić liczby mniejsze niż 5 – nie udostępniaj poza ośrodkiem kilku takich zestawień naraz.";

/// The tables as one sheet for CSV and XLSX.
pub fn sheet(tables: &[Table], period: Period, centre: &str) -> Sheet {
    tables_sheet(
        "Efektywność",
        "Sprawozdanie z efektywności CIS",
        centre,
        &[
            format!("Okres {}", period_text(period)),
            SUPPRESSION_NOTE.to_owned(),
            OVERLAP_NOTE.to_owned(),
        ],
        tables,
    )
}

/// A report's tables as one sheet (the effectiveness and the annual report): `title` and the
/// centre above, each of `notes` on a line of its own, then every table with its caption.
pub fn tables_sheet(
    name: &'static str,
    title: &str,
    centre: &str,
    notes: &[String],
    tables: &[Table],
) -> Sheet {
    let mut sheet = Sheet::new(
        name,
        vec![title.to_owned(), centre.to_owned()],
        vec![44.0, 16.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0, 14.0],
    );
    for note in notes {
        sheet.push(Kind::Section, vec![text(note.clone())]);
    }
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
        assert_eq!(shown_share(Some(4), 100), text("<5"));
        assert_eq!(shown_share(None, 100), text("<5"));
        assert_eq!(shown_share(Some(5), 7), text("71%"));
        // 5 of 8 = 62.5% rounds half up.
        assert_eq!(shown_share(Some(5), 8), text("63%"));
        assert_eq!(shown_share(Some(10), 10), text("100%"));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn one_suppressed_count_beside_a_shown_total_takes_the_next_smallest_with_it() {
        // 13 = 5 + 6 + 2: "<5" alone would be 13 - 5 - 6 = 2; with the 5 hidden too only
        // their sum (7) can be computed.
        assert_eq!(suppress(&[5, 6, 2], 13), [None, Some(6), None]);
        // The smallest shown, wherever it stands; the first of equal ones.
        assert_eq!(suppress(&[9, 2, 7, 7], 25), [Some(9), None, None, Some(7)]);
        // Two or more suppressed already: nothing more (3 + 0 = 13 - 10 is a sum only).
        assert_eq!(suppress(&[10, 3, 0], 13), [Some(10), None, None]);
        // Nothing suppressed: nothing to protect.
        assert_eq!(suppress(&[5, 6], 11), [Some(5), Some(6)]);
        // A zero is protected like any small count.
        assert_eq!(suppress(&[0, 6, 7], 13), [None, None, Some(7)]);
        // A suppressed total leaves nothing to subtract from (its parts are all below 5).
        assert_eq!(suppress(&[4], 4), [None]);
    }

    #[test]
    fn no_line_with_a_shown_total_lets_a_suppressed_count_or_share_be_computed() {
        use crate::participants::model::TerminationReason;
        let point = |situations: [i64; 4]| super::super::figures::PointLine {
            months: 3,
            counted: situations.iter().sum(),
            situations,
        };
        let by_reason: Vec<(TerminationReason, i64)> = TerminationReason::ALL
            .iter()
            .copied()
            .zip([6, 2, 5])
            .collect();
        let terminated = by_reason.iter().map(|(_, n)| n).sum();
        let f = Figures {
            admitted: 20,
            graduated: 20,
            terminated,
            by_reason,
            by_category: Vec::new(),
            points: (0..POINTS.len())
                .map(|i| match i {
                    0 => point([5, 6, 2, 0]),
                    _ => point([5, 6, 2, 7]),
                })
                .collect(),
            skills: [5, 6, 2, 7],
        };
        let t = tables(&f);
        let lt = || text(SUPPRESSED);
        // By reason 13 = 6 + 2 + 5: the 2 takes the 5 with it.
        let reasons: Vec<&Cell> = t[1].rows.iter().map(|l| &l.cells[0]).collect();
        assert_eq!(*reasons[0], Cell::Number(6));
        assert_eq!(*reasons[1], lt());
        assert_eq!(*reasons[2], lt());
        assert_eq!(**reasons.last().unwrap(), Cell::Number(terminated));
        // 13 = 5 + 6 + 2 + 0: two suppressed already, nothing more; 20 = 5 + 6 + 2 + 7: the
        // 5 goes with the 2, and so do their shares (the shares 30% + 35% of 100% would
        // leave 35% = 7 of 20 for the two).
        assert_eq!(
            t[3].rows[0].cells,
            [
                Cell::Number(13),
                Cell::Number(5),
                Cell::Number(6),
                lt(),
                lt()
            ]
        );
        assert_eq!(
            t[3].rows[4].cells,
            [
                Cell::Number(20),
                lt(),
                Cell::Number(6),
                lt(),
                Cell::Number(7)
            ]
        );
        assert_eq!(
            t[4].rows[4].cells,
            [Cell::Number(20), lt(), text("30%"), lt(), text("35%")]
        );
        // Skills (a column): 20 graduates = 5 + 6 + 2 + 7 likewise.
        let skills: Vec<Vec<Cell>> = t[5].rows.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(
            skills,
            [
                vec![lt(), lt()],
                vec![Cell::Number(6), text("30%")],
                vec![lt(), lt()],
                vec![Cell::Number(7), text("35%")],
                vec![Cell::Number(20), Cell::Empty],
            ]
        );
    }
}
