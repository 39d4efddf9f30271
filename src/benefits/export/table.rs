//! The lists as tables of cells (`web::export`), built once from the frozen month and written
//! as CSV or XLSX (so both formats always hold the same rows). Totals are summed here, in
//! grosze.

use std::collections::BTreeMap;

use time::Date;
use uuid::Uuid;

use super::{Corrected, Listed, MonthList, Person};
use crate::domain::calendar::month_title;
use crate::validate::dates;
use crate::web::export::{Cell, Kind, Sheet, text};

fn date(value: Option<Date>) -> Cell {
    value.map_or(Cell::Empty, |d| text(dates::format(d)))
}

fn lp(index: usize) -> Cell {
    Cell::Number(i64::try_from(index + 1).unwrap_or(i64::MAX))
}

/// Three sums: benefit, bonus, both.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    benefit: i64,
    bonus: i64,
}

impl Sums {
    fn add(&mut self, benefit: i64, bonus: i64) {
        self.benefit += benefit;
        self.bonus += bonus;
    }

    fn cells(self) -> [Cell; 3] {
        [
            Cell::Money(self.benefit),
            Cell::Money(self.bonus),
            Cell::Money(self.benefit + self.bonus),
        ]
    }
}

fn heading(list: &MonthList, what: &str) -> Vec<String> {
    let centre = if list.centre_address.is_empty() {
        list.centre_name.clone()
    } else {
        format!("{}, {}", list.centre_name, list.centre_address)
    };
    vec![
        format!("{what} – {}", month_title(list.month)),
        format!(
            "{centre}; stan po zamknięciu miesiąca (wersja {})",
            list.revision
        ),
    ]
}

/// The PUP columns: Lp., surname, first names, identity, two columns of the section, and the
/// three amounts (in the same columns in both sections and the grand total).
const PUP_WIDTHS: [f64; 9] = [5.0, 22.0, 20.0, 16.0, 18.0, 30.0, 16.0, 16.0, 16.0];

/// The list for the labour office's refund request: every statement of the month (a forfeited
/// month too, at 0), then the corrections of earlier months sent with it, and the totals.
pub fn pup(list: &MonthList) -> Sheet {
    let mut sheet = Sheet::new(
        "Lista PUP",
        heading(
            list,
            "Lista do wniosku o refundację świadczeń integracyjnych i premii motywacyjnych",
        ),
        PUP_WIDTHS.to_vec(),
    );
    sheet.header(&[
        "Lp.",
        "Nazwisko",
        "Imiona",
        "PESEL lub nr dokumentu",
        "Okres uczestnictwa od",
        "Okres uczestnictwa do",
        "Świadczenie integracyjne (zł)",
        "Premia motywacyjna (zł)",
        "Razem (zł)",
    ]);
    let mut month = Sums::default();
    for (i, s) in list.statements.iter().enumerate() {
        month.add(s.benefit_grosze, s.bonus_grosze);
        sheet.push(Kind::Data, statement_cells(i, s));
    }
    sheet.push(Kind::Total, pup_total("Razem za miesiąc", month));

    sheet.push(Kind::Blank, Vec::new());
    sheet.push(Kind::Section, vec![text("Korekty za poprzednie miesiące")]);
    sheet.header(&[
        "Lp.",
        "Nazwisko",
        "Imiona",
        "PESEL lub nr dokumentu",
        "Miesiąc korygowany",
        "Przyczyna korekty",
        "Różnica świadczenia (zł)",
        "Różnica premii (zł)",
        "Razem (zł)",
    ]);
    let mut corrections = Sums::default();
    for (i, c) in list.corrections.iter().enumerate() {
        corrections.add(c.benefit_diff_grosze, c.bonus_diff_grosze);
        sheet.push(Kind::Data, correction_cells(i, c));
    }
    sheet.push(Kind::Total, pup_total("Razem korekty", corrections));

    sheet.push(Kind::Blank, Vec::new());
    let grand = Sums {
        benefit: month.benefit + corrections.benefit,
        bonus: month.bonus + corrections.bonus,
    };
    sheet.push(Kind::Total, pup_total("Ogółem do refundacji", grand));
    sheet
}

/// A totals row of the PUP list: the label under the names, the sums under the amounts.
fn pup_total(label: &str, sums: Sums) -> Vec<Cell> {
    let mut cells = vec![Cell::Empty, text(label)];
    cells.extend(std::iter::repeat_n(Cell::Empty, 4));
    cells.extend(sums.cells());
    cells
}

fn statement_cells(i: usize, s: &Listed) -> Vec<Cell> {
    let mut cells = person_cells(i, &s.person);
    cells.extend([date(s.from), date(s.to)]);
    cells.extend(
        Sums {
            benefit: s.benefit_grosze,
            bonus: s.bonus_grosze,
        }
        .cells(),
    );
    cells
}

fn correction_cells(i: usize, c: &Corrected) -> Vec<Cell> {
    let mut cells = person_cells(i, &c.person);
    cells.extend([text(month_title(c.month)), text(c.reason.clone())]);
    cells.extend(
        Sums {
            benefit: c.benefit_diff_grosze,
            bonus: c.bonus_diff_grosze,
        }
        .cells(),
    );
    cells
}

fn person_cells(i: usize, p: &Person) -> Vec<Cell> {
    vec![
        lp(i),
        text(p.surname.clone()),
        text(p.first_names.clone()),
        text(p.identity.clone()),
    ]
}

/// One person's line of the payroll.
struct Pay<'a> {
    person: &'a Person,
    benefit: i64,
    bonus: i64,
    corrections: i64,
}

/// The payroll list (lista wypłat): each person's benefit and bonus of the month, the sum of
/// this list's corrections (to pay when positive, to recover when negative — a person who has
/// only a correction this month is listed too), the amount to pay, and an empty column for
/// the signature of whoever receives it.
pub fn payroll(list: &MonthList) -> Sheet {
    let mut sheet = Sheet::new(
        "Lista wypłat",
        heading(
            list,
            "Lista wypłat świadczeń integracyjnych i premii motywacyjnych",
        ),
        vec![5.0, 34.0, 16.0, 16.0, 16.0, 16.0, 16.0, 28.0],
    );
    sheet.header(&[
        "Lp.",
        "Nazwisko i imiona",
        "PESEL lub nr dokumentu",
        "Świadczenie integracyjne (zł)",
        "Premia motywacyjna (zł)",
        "Korekty do wypłaty (+) lub zwrotu (−) (zł)",
        "Do wypłaty (zł)",
        "Podpis odbierającego",
    ]);
    // The statements' order (by name), then anyone who has only corrections, by name too.
    let mut order: Vec<Uuid> = Vec::new();
    let mut pays: BTreeMap<Uuid, Pay<'_>> = BTreeMap::new();
    for s in &list.statements {
        order.push(s.person.participant_id);
        pays.insert(
            s.person.participant_id,
            Pay {
                person: &s.person,
                benefit: s.benefit_grosze,
                bonus: s.bonus_grosze,
                corrections: 0,
            },
        );
    }
    let mut only_corrected: Vec<&Person> = Vec::new();
    for c in &list.corrections {
        let id = c.person.participant_id;
        let pay = pays.entry(id).or_insert_with(|| {
            only_corrected.push(&c.person);
            Pay {
                person: &c.person,
                benefit: 0,
                bonus: 0,
                corrections: 0,
            }
        });
        pay.corrections += c.benefit_diff_grosze + c.bonus_diff_grosze;
    }
    only_corrected.sort_by(|a, b| {
        (&a.surname, &a.first_names, a.participant_id).cmp(&(
            &b.surname,
            &b.first_names,
            b.participant_id,
        ))
    });
    order.extend(only_corrected.iter().map(|p| p.participant_id));

    let (mut benefit, mut bonus, mut corrections) = (0, 0, 0);
    for (i, id) in order.iter().enumerate() {
        let Some(pay) = pays.get(id) else { continue };
        benefit += pay.benefit;
        bonus += pay.bonus;
        corrections += pay.corrections;
        sheet.push(
            Kind::Data,
            vec![
                lp(i),
                text(format!("{} {}", pay.person.surname, pay.person.first_names)),
                text(pay.person.identity.clone()),
                Cell::Money(pay.benefit),
                Cell::Money(pay.bonus),
                Cell::Money(pay.corrections),
                Cell::Money(pay.benefit + pay.bonus + pay.corrections),
                Cell::Empty,
            ],
        );
    }
    sheet.push(
        Kind::Total,
        vec![
            Cell::Empty,
            text("Razem"),
            Cell::Empty,
            Cell::Money(benefit),
            Cell::Money(bonus),
            Cell::Money(corrections),
            Cell::Money(benefit + bonus + corrections),
            Cell::Empty,
        ],
    );
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::export::Row;
    use time::macros::date;

    fn someone(n: u128, surname: &str) -> Person {
        Person {
            participant_id: Uuid::from_u128(n),
            surname: surname.into(),
            first_names: "Jan".into(),
            identity: format!("8001010000{n}"),
        }
    }

    fn month() -> MonthList {
        MonthList {
            month: date!(2026 - 11 - 01),
            revision: 1,
            centre_name: "CIS Testowo".into(),
            centre_address: String::new(),
            statements: vec![Listed {
                person: someone(1, "Adamski"),
                from: Some(date!(2026 - 11 - 01)),
                to: Some(date!(2026 - 11 - 30)),
                benefit_grosze: 206_628,
                bonus_grosze: 10_000,
            }],
            corrections: vec![
                Corrected {
                    person: someone(1, "Adamski"),
                    month: date!(2026 - 10 - 01),
                    benefit_diff_grosze: -10_331,
                    bonus_diff_grosze: 0,
                    reason: "Korekta obecności".into(),
                },
                Corrected {
                    person: someone(2, "Zawada"),
                    month: date!(2026 - 10 - 01),
                    benefit_diff_grosze: 5_000,
                    bonus_diff_grosze: 0,
                    reason: "Zmiana kwoty zasiłku".into(),
                },
            ],
        }
    }

    #[test]
    fn the_pup_list_totals_the_month_the_corrections_and_both() {
        let sheet = pup(&month());
        assert_eq!(sheet.data_rows, 3);
        let totals: Vec<&Row> = sheet
            .rows
            .iter()
            .filter(|r| r.kind == Kind::Total)
            .collect();
        assert_eq!(
            totals[0].cells[6..],
            [
                Cell::Money(206_628),
                Cell::Money(10_000),
                Cell::Money(216_628)
            ]
        );
        assert_eq!(
            totals[1].cells[6..],
            [Cell::Money(-5_331), Cell::Money(0), Cell::Money(-5_331)]
        );
        assert_eq!(
            totals[2].cells[6..],
            [
                Cell::Money(201_297),
                Cell::Money(10_000),
                Cell::Money(211_297)
            ]
        );
    }

    #[test]
    fn the_payroll_nets_corrections_per_person_and_lists_those_with_only_a_correction() {
        let sheet = payroll(&month());
        let rows: Vec<&Row> = sheet.rows.iter().filter(|r| r.kind == Kind::Data).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].cells[5..7],
            [Cell::Money(-10_331), Cell::Money(206_297)]
        );
        assert_eq!(rows[1].cells[1], Cell::Text("Zawada Jan".into()));
        assert_eq!(rows[1].cells[6], Cell::Money(5_000));
        let Some(total) = sheet.rows.last() else {
            panic!("no totals row")
        };
        assert_eq!(total.cells[6], Cell::Money(211_297));
    }
}
