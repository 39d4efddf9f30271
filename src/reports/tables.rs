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
//! alone could be computed as the total minus the shown ones (13 = 5 + 6 + "<5" gives 2), and
//! several could be pinned down too (two "<5" where the total leaves 8 are 4 and 4).
//! So whenever a count of such a line is suppressed, the largest shown count of the line (the
//! first of equal ones) is suppressed too, with its share. A reader who knows the rule then
//! knows only that the hidden counts add up to what the total leaves, that the one hidden with
//! them is at least as large as every count still shown, and that the others are below 5:
//! every small count could be 0, the large one taking the rest, so none is ever pinned to one
//! number but 0, not even when every count of a line is small (two "<5" of a total 8 could be
//! 3 and a hidden 5 as well as 4 and 4): `tests::no_small_count_can_be_pinned_down_by_one_who_
//! knows_the_rule` tries every line of two counts up to 20, three up to 12 and four up to 9.
//! The largest count costs least to hide: the total less the counts shown gives it to within
//! 4. Adding it only where the small counts alone would tell (one alone, or all at 4) is not
//! enough: a line of three 4s then tells them, since no other line is shown that way. Lines with a total: the terminations by reason (the total of terminated), the situation
//! at each point (of the graduates counted), the usefulness of skills (of the graduates). The
//! categories do not add up (a person may have several), so they have no total.

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
/// than 5 people are suppressed; when that suppresses any and the total is shown, the largest
/// shown count (the first of equal ones) is suppressed too (see the module).
pub fn suppress(counts: &[i64], total: i64) -> Vec<Option<i64>> {
    let mut shown: Vec<Option<i64>> = counts
        .iter()
        .map(|&n| (n >= SMALLEST_SHOWN).then_some(n))
        .collect();
    if total >= SMALLEST_SHOWN && shown.iter().any(Option::is_none) {
        // The first of equal counts: the largest by count, then by the earliest position.
        let largest = (0..shown.len())
            .filter_map(|i| shown[i].map(|n| (i, n)))
            .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)));
        if let Some((i, _)) = largest {
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

/// The categories, each column suppressed against its total in the movement table (admitted,
/// graduated, terminated): a person has at least one category, so the hidden counts of a
/// column are bounded by what its total leaves, as in a line with its total (see the module).
fn by_category(f: &Figures) -> Vec<Line> {
    let column = |n: fn(&super::figures::CategoryLine) -> i64, total: i64| {
        let counts: Vec<i64> = f.by_category.iter().map(n).collect();
        suppress(&counts, total)
    };
    let admitted = column(|c| c.admitted, f.admitted);
    let graduated = column(|c| c.graduated, f.graduated);
    let terminated = column(|c| c.terminated, f.terminated);
    f.by_category
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Line::new(
                c.category.label(),
                vec![
                    shown(admitted[i]),
                    shown(graduated[i]),
                    shown(terminated[i]),
                ],
            )
        })
        .collect()
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
        rows: by_category(f),
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
     lub kolumnie z sumą (razem, objęci) jakaś liczba jest ukryta, ukrywamy także największą z \
     pozostałych liczb i jej odsetek – inaczej ukrytą liczbę dałoby się obliczyć, odejmując pozostałe \
     od sumy. W takim wierszu „<5” może więc oznaczać także 5 osób lub więcej.";

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
    fn a_suppressed_count_beside_a_shown_total_takes_the_largest_with_it() {
        // 13 = 5 + 6 + 2: "<5" alone would be 13 - 5 - 6 = 2; with the 6 hidden too only
        // their sum (8) can be computed, and the 2 could be anything from 0 to 3.
        assert_eq!(suppress(&[5, 6, 2], 13), [Some(5), None, None]);
        // The largest shown, wherever it stands; the first of equal ones.
        assert_eq!(suppress(&[9, 2, 7, 9], 27), [None, None, Some(7), Some(9)]);
        // 14 = 4 + 5 + 5: hiding a 5 (the smallest) would leave 9 for a count below 5 and
        // one of at most 5: 4 and 5. The other 5 stays shown; the 4 could be 0 to 4.
        assert_eq!(suppress(&[4, 5, 5], 14), [None, None, Some(5)]);
        // Two suppressed: 28 - 20 = 8 would make them 4 and 4; the 20 goes with them.
        assert_eq!(suppress(&[4, 4, 20], 28), [None, None, None]);
        assert_eq!(suppress(&[10, 3, 0], 13), [None, None, None]);
        // Nothing suppressed: nothing to protect.
        assert_eq!(suppress(&[5, 6], 11), [Some(5), Some(6)]);
        // A zero is protected like any small count.
        assert_eq!(suppress(&[0, 6, 7], 13), [None, Some(6), None]);
        // A suppressed total leaves nothing to subtract from (its parts are all below 5).
        assert_eq!(suppress(&[4], 4), [None]);
    }

    /// Every line of `len` counts from 0 to `max`, in order.
    fn lines(len: usize, max: i64) -> Vec<Vec<i64>> {
        (0..len).fold(vec![Vec::new()], |lines, _| {
            lines
                .into_iter()
                .flat_map(|line| {
                    (0..=max).map(move |n| {
                        let mut next = line.clone();
                        next.push(n);
                        next
                    })
                })
                .collect()
        })
    }

    /// Every way of filling the hidden places of `shown` (`None`) so that the line adds up to
    /// `total`.
    fn fillings(shown: &[Option<i64>], total: i64) -> Vec<Vec<i64>> {
        let left = total - shown.iter().flatten().sum::<i64>();
        let hidden = shown.iter().filter(|n| n.is_none()).count();
        let mut parts: Vec<Vec<i64>> = vec![Vec::new()];
        for k in 0..hidden {
            parts = parts
                .into_iter()
                .flat_map(|p| {
                    let used: i64 = p.iter().sum();
                    let last = k + 1 == hidden;
                    let range = if last {
                        left - used..=left - used
                    } else {
                        0..=left - used
                    };
                    range.map(move |n| {
                        let mut next = p.clone();
                        next.push(n);
                        next
                    })
                })
                .collect();
        }
        parts
            .into_iter()
            .map(|p| {
                let mut values = p.into_iter();
                shown
                    .iter()
                    .map(|n| n.unwrap_or_else(|| values.next().unwrap_or(0)))
                    .collect()
            })
            .collect()
    }

    /// Whether one who knows the rule can tell a hidden count of 1 to 4 of `counts` exactly:
    /// every line shown the same way (the same total, the same counts shown) has that value.
    fn pinned(counts: &[i64]) -> bool {
        let total: i64 = counts.iter().sum();
        let shown = suppress(counts, total);
        if total < SMALLEST_SHOWN || shown.iter().all(Option::is_some) {
            return false;
        }
        let candidates: Vec<Vec<i64>> = fillings(&shown, total)
            .into_iter()
            .filter(|c| suppress(c, total) == shown)
            .collect();
        (0..counts.len()).any(|i| {
            shown[i].is_none()
                && (1..SMALLEST_SHOWN).contains(&counts[i])
                && candidates.iter().all(|c| c[i] == counts[i])
        })
    }

    #[test]
    fn no_small_count_can_be_pinned_down_by_one_who_knows_the_rule() {
        let all = lines(2, 20)
            .into_iter()
            .chain(lines(3, 12))
            .chain(lines(4, 9));
        for counts in all {
            let shown = suppress(&counts, counts.iter().sum());
            assert!(!pinned(&counts), "{counts:?} shown as {shown:?}");
        }
    }

    #[test]
    fn each_category_column_is_suppressed_against_its_movement_total() {
        use super::super::figures::CategoryLine;
        use crate::domain::Category;
        let line = |category, admitted, graduated| CategoryLine {
            category,
            admitted,
            graduated,
            terminated: 0,
        };
        // 9 admitted, each with at least one category: homeless 7, prison 3. The 3 shown
        // alone as "<5" beside a 7 would be at least 9 - 7 = 2; the 7 goes with it.
        let f = Figures {
            admitted: 9,
            graduated: 12,
            terminated: 0,
            by_reason: Vec::new(),
            by_category: vec![line(Category::Homeless, 7, 6), line(Category::Prison, 3, 6)],
            points: Vec::new(),
            skills: [0; 4],
        };
        let lt = || text(SUPPRESSED);
        let rows: Vec<Vec<Cell>> = by_category(&f).into_iter().map(|l| l.cells).collect();
        assert_eq!(
            rows,
            [
                vec![lt(), Cell::Number(6), lt()],
                vec![lt(), Cell::Number(6), lt()],
            ]
        );
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
        // By reason 13 = 6 + 2 + 5: the 2 takes the 6 (the largest) with it.
        let reasons: Vec<&Cell> = t[1].rows.iter().map(|l| &l.cells[0]).collect();
        assert_eq!(*reasons[0], lt());
        assert_eq!(*reasons[1], lt());
        assert_eq!(*reasons[2], Cell::Number(5));
        assert_eq!(**reasons.last().unwrap(), Cell::Number(terminated));
        // 13 = 5 + 6 + 2 + 0: the 6 goes with the 2 and the 0; 20 = 5 + 6 + 2 + 7: the 7
        // goes with the 2, and so do their shares (the shares 25% + 30% of 100% would leave
        // 45% = 9 of 20 for the two).
        assert_eq!(
            t[3].rows[0].cells,
            [Cell::Number(13), Cell::Number(5), lt(), lt(), lt()]
        );
        assert_eq!(
            t[3].rows[4].cells,
            [
                Cell::Number(20),
                Cell::Number(5),
                Cell::Number(6),
                lt(),
                lt()
            ]
        );
        assert_eq!(
            t[4].rows[4].cells,
            [Cell::Number(20), text("25%"), text("30%"), lt(), lt()]
        );
        // Skills (a column): 20 graduates = 5 + 6 + 2 + 7 likewise.
        let skills: Vec<Vec<Cell>> = t[5].rows.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(
            skills,
            [
                vec![Cell::Number(5), text("25%")],
                vec![Cell::Number(6), text("30%")],
                vec![lt(), lt()],
                vec![lt(), lt()],
                vec![Cell::Number(20), Cell::Empty],
            ]
        );
    }
}
