//! The annual report's tables, built from a version's saved figures with the effectiveness
//! report's rule for small counts (`reports::tables`): a count of fewer than 5 participants
//! shows as "<5" on the page, in the print and in the downloads alike; in a line with its
//! total shown (graduates by outcome, terminations by reason, the categories against the
//! participants), a hidden count takes the largest shown one with it. An amount paid to fewer than 5
//! people is hidden with their number (it would be close to one person's benefit). Staff are
//! counted as they are (the staff list is not personal data of participants), and so are the
//! hours of activities (a volume of services, not people).

use super::figures::{Count, Figures, Paid, UNKNOWN};
use crate::domain::{Category, Role};
use crate::participants::model::{GraduationOutcome, TerminationReason};
use crate::reports::tables::{Line, SUPPRESSED, Table, people, shown, suppress};
use crate::validate::hours;
use crate::web::export::{Cell, text};

fn label_of(code: &str, labels: &[(&'static str, &'static str)]) -> String {
    labels
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, l)| (*l).to_owned())
}

/// A line of counts with its total, under the "<5" rule with the secondary suppression.
fn with_total(counts: &[Count], total: i64, labels: &[(&'static str, &'static str)]) -> Vec<Line> {
    let ns: Vec<i64> = counts.iter().map(|c| c.n).collect();
    let mut lines: Vec<Line> = counts
        .iter()
        .zip(suppress(&ns, total))
        .map(|(c, n)| Line::new(label_of(&c.code, labels), vec![shown(n)]))
        .collect();
    lines.push(Line::total("Razem", vec![people(total)]));
    lines
}

/// An amount and its people, both hidden for fewer than 5 people.
fn paid(label: &str, p: Paid) -> Line {
    let amount = if p.people < 5 {
        text(SUPPRESSED)
    } else {
        Cell::Money(p.grosze)
    };
    Line::new(label, vec![people(p.people), amount])
}

/// The tables in the report's order; the categories only those in `visible`.
pub fn tables(f: &Figures, visible: &[Category]) -> Vec<Table> {
    let roles: Vec<(&str, &str)> = Role::ALL.iter().map(|r| (r.code(), r.label())).collect();
    let mut staff: Vec<Line> = f
        .staff
        .iter()
        .map(|c| Line::new(label_of(&c.code, &roles), vec![Cell::Number(c.n)]))
        .collect();
    staff.push(Line::total(
        "Razem (osoba raz, także przy zmianie stanowiska)",
        vec![Cell::Number(f.staff_total)],
    ));
    let categories: Vec<(&str, &str)> = Category::ALL
        .iter()
        .map(|c| (c.code(), c.label()))
        .collect();
    // Against the total of participants (each has at least one category), as a line with its
    // total: a hidden count takes the largest with it.
    let shown_categories: Vec<&Count> = f
        .by_category
        .iter()
        .filter(|c| visible.iter().any(|v| v.code() == c.code))
        .collect();
    let ns: Vec<i64> = shown_categories.iter().map(|c| c.n).collect();
    let mut by_category: Vec<Line> = shown_categories
        .iter()
        .zip(suppress(&ns, f.participants))
        .map(|(c, n)| Line::new(label_of(&c.code, &categories), vec![shown(n)]))
        .collect();
    by_category.push(Line::total(
        "Uczestnicy razem (każda osoba raz)",
        vec![people(f.participants)],
    ));
    let mut outcomes: Vec<(&str, &str)> = GraduationOutcome::ALL
        .iter()
        .map(|o| (o.code(), o.label()))
        .collect();
    outcomes.push((UNKNOWN, "Powód nie został wpisany"));
    let reasons: Vec<(&str, &str)> = TerminationReason::ALL
        .iter()
        .map(|r| (r.code(), r.label()))
        .collect();

    let mut services: Vec<Line> = f
        .services
        .iter()
        .map(|s| {
            Line::new(
                s.name.clone(),
                vec![people(s.people), text(hours::format(s.minutes))],
            )
        })
        .collect();
    services.push(Line::total(
        "Razem (osoba raz)",
        vec![
            people(f.service_people),
            text(hours::format(f.service_minutes)),
        ],
    ));
    let count_head = |first: &str| vec![first.to_owned(), "Liczba osób".to_owned()];
    vec![
        Table {
            caption: "Kadra CIS – konta aktywne w roku według stanowiska".into(),
            head: vec!["Stanowisko".into(), "Liczba osób".into()],
            rows: staff,
        },
        Table {
            caption: "Uczestnicy według kategorii (art. 1 ust. 2; osoba może mieć kilka)".into(),
            head: count_head("Kategoria"),
            rows: by_category,
        },
        Table {
            caption: "Przyjęci, absolwenci i osoby, które przerwały udział".into(),
            head: count_head(""),
            rows: vec![
                Line::new("Przyjęci do CIS", vec![people(f.admitted)]),
                Line::new("Absolwenci (ukończyli udział)", vec![people(f.graduated)]),
                Line::new("Przerwali udział", vec![people(f.terminated)]),
            ],
        },
        Table {
            caption: "Absolwenci według powodu ukończenia udziału".into(),
            head: count_head("Powód"),
            rows: with_total(&f.by_outcome, f.graduated, &outcomes),
        },
        Table {
            caption: "Przerwanie udziału według przyczyny".into(),
            head: count_head("Przyczyna"),
            rows: with_total(&f.by_reason, f.terminated, &reasons),
        },
        // Those independent at graduation are the employment and own business lines of the
        // outcomes above: shown again here, with a total, they would let a hidden count of
        // either table be computed from the other. So only those found independent later.
        Table {
            caption: "Absolwenci, którzy usamodzielnili się ekonomicznie po ukończeniu udziału \
                      (przy ukończeniu: zatrudnienie i działalność gospodarcza w tabeli powodów)"
                .into(),
            head: count_head("Kiedy"),
            rows: vec![Line::new(
                "W kontakcie po ukończeniu udziału w roku (praca lub własna działalność)",
                vec![people(f.independent_at_follow_up)],
            )],
        },
        Table {
            caption: "Usługi – zajęcia według rodzaju (godziny obecności)".into(),
            head: vec![
                "Rodzaj zajęć".into(),
                "Liczba uczestników".into(),
                "Godziny".into(),
            ],
            rows: services,
        },
        Table {
            caption: "Świadczenia integracyjne i premie motywacyjne".into(),
            head: vec!["".into(), "Liczba osób".into(), "Kwota (zł)".into()],
            rows: vec![
                paid(
                    "Świadczenie integracyjne – naliczone przy zamknięciu miesięcy",
                    f.benefit,
                ),
                paid(
                    "Premia motywacyjna – naliczona przy zamknięciu miesięcy",
                    f.bonus,
                ),
                paid(
                    "Korekty zamkniętych miesięcy – świadczenie integracyjne",
                    f.benefit_corrections,
                ),
                paid(
                    "Korekty zamkniętych miesięcy – premia motywacyjna",
                    f.bonus_corrections,
                ),
            ],
        },
    ]
}

/// One figure compared across two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// "Table caption – row – column".
    pub what: String,
    pub from: String,
    pub to: String,
    pub changed: bool,
}

/// Every cell of `old` and `new` figure by figure, as shown (a cell only one has shows as "–"
/// on the other side).
pub fn compare(old: &[Table], new: &[Table]) -> Vec<Change> {
    let flat = |tables: &[Table]| -> Vec<(String, String)> {
        tables
            .iter()
            .flat_map(|t| {
                t.rows.iter().flat_map(move |line| {
                    line.cells.iter().enumerate().map(move |(i, cell)| {
                        let column = t.head.get(i + 1).map_or("", String::as_str);
                        (
                            format!("{} – {} – {column}", t.caption, line.label),
                            cell.to_string(),
                        )
                    })
                })
            })
            .collect()
    };
    let (old, new) = (flat(old), flat(new));
    let mut changes: Vec<Change> = new
        .iter()
        .map(|(what, to)| {
            let from = old
                .iter()
                .find(|(w, _)| w == what)
                .map_or_else(|| "–".to_owned(), |(_, v)| v.clone());
            Change {
                changed: from != *to,
                what: what.clone(),
                from,
                to: to.clone(),
            }
        })
        .collect();
    for (what, from) in &old {
        if !new.iter().any(|(w, _)| w == what) {
            changes.push(Change {
                what: what.clone(),
                from: from.clone(),
                to: "–".to_owned(),
                changed: true,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::annual::figures::Service;

    fn figures() -> Figures {
        let count = |code: &str, n| Count {
            code: code.into(),
            n,
        };
        Figures {
            staff: vec![count("manager", 1)],
            staff_total: 1,
            by_category: vec![count("prison", 2), count("homeless", 7)],
            participants: 8,
            admitted: 6,
            by_outcome: vec![
                count("employment", 6),
                count("own_business", 2),
                count("period_elapsed", 5),
            ],
            graduated: 13,
            by_reason: vec![count("withdrawal", 3)],
            terminated: 3,
            independent_at_graduation: 8,
            independent_at_follow_up: 1,
            services: vec![Service {
                name: "Pracownia".into(),
                people: 3,
                minutes: 90,
            }],
            service_people: 3,
            service_minutes: 90,
            benefit: Paid {
                people: 8,
                grosze: 123_456,
            },
            bonus: Paid {
                people: 2,
                grosze: 10_000,
            },
            benefit_corrections: Paid::default(),
            bonus_corrections: Paid::default(),
        }
    }

    #[test]
    fn small_counts_hide_and_a_hidden_count_takes_the_largest_shown_one() {
        let t = tables(&figures(), &Category::ALL);
        let lt = || text(SUPPRESSED);
        // Staff are shown as they are.
        assert_eq!(t[0].rows[0].cells, [Cell::Number(1)]);
        // The categories: 2 hidden, 7 shown, 8 in all.
        assert_eq!(t[1].rows.last().unwrap().cells, [Cell::Number(8)]);
        // 13 = 6 + 2 + 5: the 2 takes the 6 (the largest) with it.
        let outcomes: Vec<Cell> = t[3].rows.iter().map(|l| l.cells[0].clone()).collect();
        assert_eq!(outcomes, [lt(), lt(), Cell::Number(5), Cell::Number(13)]);
        // Independent later: 1, "<5"; those at graduation are the outcomes' lines.
        let independent: Vec<Cell> = t[5].rows.iter().map(|l| l.cells[0].clone()).collect();
        assert_eq!(independent, [lt()]);
        // Hours shown; the people "<5".
        assert_eq!(t[6].rows[0].cells, [lt(), text("1,5")]);
        // Money: shown for 8 people, hidden for 2.
        assert_eq!(t[7].rows[0].cells, [Cell::Number(8), Cell::Money(123_456)]);
        assert_eq!(t[7].rows[1].cells, [lt(), lt()]);
    }

    #[test]
    fn a_comparison_marks_each_changed_figure_as_shown() {
        let old = figures();
        let mut new = figures();
        new.admitted = 7;
        new.benefit.grosze += 100;
        new.bonus.grosze += 100; // hidden both times: not a visible change
        let (a, b) = (tables(&old, &Category::ALL), tables(&new, &Category::ALL));
        let changed: Vec<(String, String, String)> = compare(&a, &b)
            .into_iter()
            .filter(|c| c.changed)
            .map(|c| (c.what, c.from, c.to))
            .collect();
        assert_eq!(
            changed,
            [
                (
                    "Przyjęci, absolwenci i osoby, które przerwały udział – Przyjęci do CIS – Liczba osób".to_owned(),
                    "6".to_owned(),
                    "7".to_owned()
                ),
                (
                    "Świadczenia integracyjne i premie motywacyjne – Świadczenie integracyjne – naliczone przy zamknięciu miesięcy – Kwota (zł)".to_owned(),
                    "1234,56".to_owned(),
                    "1235,56".to_owned()
                ),
            ]
        );
    }
}
