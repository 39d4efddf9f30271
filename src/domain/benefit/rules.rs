//! The steps of [`compute`](super::compute): rules 1 to 8 of the module doc, each producing its
//! line, every amount rounded once by the one rule.

use time::Date;

use super::super::money::format_pln;
use super::explain::{ROUNDING, calc, date_long, day_month, days, month_long};
use super::{
    BenefitRule, Fraction, Line, MonthInput, Statement, attendance, bonus_cap, is_trial_month,
};

/// A deduction line of `amount` grosze (shown negative).
fn deduct(lines: &mut Vec<Line>, text: String, amount: i64) {
    lines.push(Line {
        text,
        amount_grosze: Some(-amount),
    });
}

/// Days from `start` to `end`, both included; 0 when `end` is before `start`.
fn days_between(start: Date, end: Date) -> i64 {
    (i64::from(end.to_julian_day()) - i64::from(start.to_julian_day()) + 1).max(0)
}

/// "pozostaje 1 dzień", "pozostają 3 dni", "pozostaje 5 dni".
fn remain(n: i64) -> String {
    let few = (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100));
    let verb = if few { "pozostają" } else { "pozostaje" };
    format!("{verb} {}", days(n))
}

/// One deduction of `days` × `fraction` of the base, rounded once, with its calculation.
fn share(base: i64, days: i64, fraction: Fraction) -> (String, i64) {
    let expression = format!("{} × {days} × {}", format_pln(base), fraction.label());
    calc(
        &expression,
        (i128::from(base) * i128::from(days)).saturating_mul(i128::from(fraction.num)),
        i128::from(fraction.den),
    )
}

/// Computes the statement of one participant's month under `rule`: rules 1 to 9 of the module
/// doc, in their order.
pub(super) fn compute(rule: &BenefitRule, input: &MonthInput) -> Statement {
    let mut warnings: Vec<String> = rule
        .problems()
        .into_iter()
        .map(|p| format!("Nieprawidłowy parametr świadczenia: {p} Liczono tak, jakby wynosił 0."))
        .collect();
    let month = super::super::calendar::month_start(input.month);
    if input.month != month {
        warnings.push(format!(
            "Miesiąc podano jako {} – liczono za cały {}.",
            date_long(input.month),
            month_long(month)
        ));
    }
    let length = month.month().length(month.year());
    let month_end = month.replace_day(length).unwrap_or(month);
    let (start, end) = (
        input.from.max(month),
        input.until.map_or(month_end, |u| u.min(month_end)),
    );
    if input.until.is_some_and(|until| until < input.from) {
        warnings.push("Data zakończenia uczestnictwa jest wcześniejsza niż data przyjęcia.".into());
    }
    if input.days_off_before < 0 {
        warnings
            .push("Liczba wcześniej wykorzystanych dni wolnych jest ujemna – przyjęto 0.".into());
    }
    let base = rule.base_grosze();
    let trial_month = is_trial_month(month, input.trial_ends_on);
    let record = attendance::Record::read(input, (month, month_end), (start, end), &mut warnings);
    let mut counts = record.counts();
    counts.participation_days = days_between(start, end);
    let allowance = rule.days_off_allowance.max(0);
    let left_before = (allowance - input.days_off_before.max(0)).max(0);
    counts.days_off_within_allowance = counts.days_off.min(left_before);
    counts.days_off_over_allowance = counts.days_off - counts.days_off_within_allowance;
    counts.days_off_left = left_before - counts.days_off_within_allowance;

    // Rule 1: the base.
    let (base_calc, _) = calc(
        &format!(
            "{} × {}%",
            format_pln(rule.unemployment_benefit_grosze.max(0)),
            rule.base_percent.max(0)
        ),
        i128::from(rule.unemployment_benefit_grosze.max(0)) * i128::from(rule.base_percent.max(0)),
        100,
    );
    let mut lines = vec![Line {
        text: format!(
            "Podstawa – świadczenie integracyjne za pełny miesiąc: {}% zasiłku dla bezrobotnych \
             ({}): {base_calc}. Podstawa prawna: {}.",
            rule.base_percent.max(0),
            rule.benefit_source,
            rule.source
        ),
        amount_grosze: Some(base),
    }];
    if trial_month {
        let last = input
            .trial_ends_on
            .previous_day()
            .unwrap_or(input.trial_ends_on);
        let bonus = if rule.bonus_in_trial {
            "ustawienia ośrodka dopuszczają jednak premię motywacyjną w okresie próbnym"
        } else {
            "premii motywacyjnej za ten miesiąc się nie przyznaje (art. 15a)"
        };
        lines.push(info(format!(
            "Miesiąc okresu próbnego (okres próbny trwa do {}): świadczenie przysługuje także za \
             okres próbny (art. 15); {bonus}.",
            date_long(last)
        )));
    }

    // Rule 2: proration; no participation day, nothing due.
    if counts.participation_days == 0 {
        lines.push(Line {
            text: format!(
                "W tym miesiącu ({}) nie ma dni uczestnictwa w zajęciach – świadczenie i premia \
                 nie przysługują.",
                month_long(month)
            ),
            amount_grosze: Some(-base),
        });
        if input.bonus_grosze != 0 {
            warnings.push(format!(
                "Pominięto premię {}: w tym miesiącu nie ma dni uczestnictwa.",
                format_pln(input.bonus_grosze)
            ));
        }
        return Statement {
            base_grosze: base,
            due_grosze: 0,
            deductions_grosze: 0,
            benefit_grosze: 0,
            bonus_grosze: 0,
            trial_month,
            forfeited: false,
            counts,
            lines,
            warnings,
        };
    }
    let days_in_month = i64::from(length);
    let daily = rule.daily_den(days_in_month);
    let due = if counts.participation_days == days_in_month {
        lines.push(info(format!(
            "Pełny miesiąc uczestnictwa ({}) – przysługuje całe świadczenie, {}.",
            days(days_in_month),
            format_pln(base)
        )));
        base
    } else {
        let (text, prorated) = share(base, counts.participation_days, Fraction::new(1, daily));
        let due = prorated.min(base);
        let den = if rule.proration_den > 0 {
            format!("mianownik {daily} – parametr ośrodka")
        } else {
            format!("mianownik {daily} – liczba dni tego miesiąca")
        };
        let capped = if due < prorated {
            format!(
                "; nie więcej niż pełne świadczenie, więc {}",
                format_pln(due)
            )
        } else {
            String::new()
        };
        lines.push(Line {
            text: format!(
                "Niepełny miesiąc uczestnictwa: od {} do {}, {} z {}; świadczenie \
                 proporcjonalne, {}/{daily} podstawy (art. 15; {den}): {text}{capped}.",
                start.day(),
                day_month(end),
                days(counts.participation_days),
                days_in_month,
                counts.participation_days,
            ),
            amount_grosze: Some(due - base),
        });
        due
    };

    // Rules 3–6: each deduction rounded once, on its own.
    let forfeit_after = rule.forfeit_after_unjustified.max(0);
    let forfeited = counts.unjustified > forfeit_after;
    let unpaid = |n: i64| share(base, n, Fraction::new(1, daily));
    let mut rule_lines: Vec<Line> = Vec::new();
    let n = counts.unjustified;
    let unjustified_line = if n == 0 {
        info("Nieobecność nieusprawiedliwiona: brak – bez potrąceń.".into())
    } else if forfeited {
        Line {
            text: format!(
                "Nieobecność nieusprawiedliwiona: {} – więcej niż {} nieusprawiedliwionej \
                 nieobecności – świadczenie za ten miesiąc nie przysługuje (art. 15; próg to \
                 parametr ośrodka).",
                days(n),
                days(forfeit_after)
            ),
            amount_grosze: Some(-due),
        }
    } else {
        let fraction = rule.unjustified.or_none();
        let (text, amount) = share(base, n, fraction);
        Line {
            text: format!(
                "Nieobecność nieusprawiedliwiona: {}, potrącenie {} podstawy za każdy dzień; \
                 więcej niż {} w miesiącu odbiera świadczenie za miesiąc (art. 15; ułamek i \
                 próg to parametry ośrodka): {text}.",
                days(n),
                fraction.label(),
                days(forfeit_after)
            ),
            amount_grosze: Some(-amount),
        }
    };

    let limit = rule.sick_day_limit.max(0);
    counts.sick_within_limit = counts.sick.min(limit);
    counts.sick_over_limit = counts.sick - counts.sick_within_limit;
    let sick = rule.sick.or_none();
    if counts.sick == 0 {
        rule_lines.push(info("Zwolnienie lekarskie: brak – bez potrąceń.".into()));
    }
    if counts.sick_within_limit > 0 {
        let (text, amount) = share(base, counts.sick_within_limit, sick);
        deduct(
            &mut rule_lines,
            format!(
                "Zwolnienie lekarskie: {}, potrącenie {} podstawy za każdy dzień, do {} w \
                 miesiącu (art. 15 ust. 7a; ułamek i limit to parametry ośrodka): {text}.",
                days(counts.sick_within_limit),
                sick.label(),
                days(limit)
            ),
            amount,
        );
    }
    if counts.sick_over_limit > 0 {
        let (text, amount) = unpaid(counts.sick_over_limit);
        deduct(
            &mut rule_lines,
            format!(
                "Zwolnienie lekarskie ponad {} w miesiącu: {} bez świadczenia – potrącenie \
                 stawki dziennej 1/{daily} podstawy za każdy dzień (art. 15 ust. 7a; parametr \
                 ośrodka): {text}.",
                days(limit),
                days(counts.sick_over_limit)
            ),
            amount,
        );
    }

    let other_limit = rule.other_justified_limit.map(|l| l.max(0));
    counts.justified_within_limit =
        other_limit.map_or(counts.justified, |l| counts.justified.min(l));
    counts.justified_over_limit = counts.justified - counts.justified_within_limit;
    let other = rule.other_justified.or_none();
    let limit_text = other_limit.map_or("bez limitu dni".to_string(), |l| {
        format!("do {} w miesiącu", days(l))
    });
    if counts.justified == 0 {
        rule_lines.push(info(
            "Inne nieobecności usprawiedliwione: brak – bez potrąceń.".into(),
        ));
    }
    if counts.justified_within_limit > 0 && other.num == 0 {
        rule_lines.push(info(format!(
            "Nieobecność usprawiedliwiona: {} ({limit_text}) – bez potrąceń (art. 15; ułamek \
             {} to parametr ośrodka).",
            days(counts.justified_within_limit),
            other.label()
        )));
    } else if counts.justified_within_limit > 0 {
        let (text, amount) = share(base, counts.justified_within_limit, other);
        deduct(
            &mut rule_lines,
            format!(
                "Nieobecność usprawiedliwiona: {}, potrącenie {} podstawy za każdy dzień, \
                 {limit_text} (art. 15; parametry ośrodka): {text}.",
                days(counts.justified_within_limit),
                other.label()
            ),
            amount,
        );
    }
    if counts.justified_over_limit > 0 {
        let (text, amount) = unpaid(counts.justified_over_limit);
        deduct(
            &mut rule_lines,
            format!(
                "Nieobecność usprawiedliwiona ponad limit ({limit_text}): {} bez świadczenia – \
                 potrącenie stawki dziennej 1/{daily} podstawy za każdy dzień: {text}.",
                days(counts.justified_over_limit)
            ),
            amount,
        );
    }

    let before = input.days_off_before.max(0);
    let used = if counts.days_off_within_allowance > 0 {
        format!(
            "{} ze świadczeniem, bez potrąceń",
            days(counts.days_off_within_allowance)
        )
    } else if counts.days_off == 0 {
        "brak w tym miesiącu".to_string()
    } else {
        "żaden w ramach limitu (limit wykorzystany)".to_string()
    };
    rule_lines.push(info(format!(
        "Dni wolne: {used}; limit {} na cały okres uczestnictwa (art. 15), wcześniej \
         wykorzystano {}, po tym miesiącu {}.",
        days(allowance),
        days(before),
        remain(counts.days_off_left)
    )));
    if counts.days_off_over_allowance > 0 {
        let (text, amount) = unpaid(counts.days_off_over_allowance);
        deduct(
            &mut rule_lines,
            format!(
                "Dni wolne ponad limit {}: {} bez świadczenia – potrącenie stawki dziennej \
                 1/{daily} podstawy za każdy dzień: {text}.",
                days(allowance),
                days(counts.days_off_over_allowance)
            ),
            amount,
        );
    }

    // Rule 7: the benefit.
    // When forfeited, the other deductions are shown but do not count.
    for line in rule_lines.iter_mut().filter(|_| forfeited) {
        if line.amount_grosze.take().is_some() {
            line.text
                .push_str(" Bez wpływu na kwotę: świadczenie za ten miesiąc nie przysługuje.");
        }
    }
    rule_lines.insert(0, unjustified_line);
    let deductions = rule_lines
        .iter()
        .map(|line| line.amount_grosze.map_or(0, |a| a.saturating_neg()))
        .fold(0i64, i64::saturating_add);
    lines.append(&mut rule_lines);
    let benefit = (due - deductions).max(0);
    if due - deductions < 0 {
        lines.push(Line {
            text: format!(
                "Potrącenia ({}) przekraczają kwotę należną ({}) – świadczenie nie może być \
                 ujemne.",
                format_pln(deductions),
                format_pln(due)
            ),
            amount_grosze: Some(deductions - due),
        });
    }
    lines.push(info(if forfeited {
        format!(
            "Świadczenie integracyjne do wypłaty: {} (świadczenie za ten miesiąc nie przysługuje).",
            format_pln(0)
        )
    } else {
        format!(
            "Świadczenie integracyjne do wypłaty: kwota należna {} − potrącenia {} = {}{}. Każde potrącenie \
             obliczono osobno jako jeden iloczyn, zaokrąglono raz ({ROUNDING}) i dopiero potem \
             odjęto.",
            format_pln(due),
            format_pln(deductions),
            format_pln(benefit),
            if benefit == 0 && deductions > due {
                " (nie mniej niż 0)"
            } else {
                ""
            }
        )
    }));

    // Rule 8: the bonus.
    let bonus = bonus_line(
        rule,
        input.bonus_grosze,
        trial_month,
        &mut lines,
        &mut warnings,
    );
    lines.push(info(format!(
        "Razem do wypłaty: świadczenie {} + premia {} = {}.",
        format_pln(benefit),
        format_pln(bonus),
        format_pln(benefit.saturating_add(bonus))
    )));

    // Rule 9: PAI (the other warnings come with the record).
    if input.pai {
        record.warn_pai(
            rule.pai_min_weekly_minutes.max(0),
            (start, end),
            &mut warnings,
        );
    }
    Statement {
        base_grosze: base,
        due_grosze: due,
        deductions_grosze: deductions,
        benefit_grosze: benefit,
        bonus_grosze: bonus,
        trial_month,
        forfeited,
        counts,
        lines,
        warnings,
    }
}

/// A line that only explains.
fn info(text: String) -> Line {
    Line {
        text,
        amount_grosze: None,
    }
}

/// Rule 8: the bonus as granted, clamped to 0..=cap and refused in a trial month, with its line.
fn bonus_line(
    rule: &BenefitRule,
    requested: i64,
    trial_month: bool,
    lines: &mut Vec<Line>,
    warnings: &mut Vec<String>,
) -> i64 {
    let cap = bonus_cap(rule);
    let bonus = if requested < 0 {
        warnings.push(format!(
            "Kwota premii nie może być ujemna ({}) – pominięto premię.",
            format_pln(requested)
        ));
        0
    } else if requested > 0 && trial_month && !rule.bonus_in_trial {
        warnings.push(format!(
            "Premii motywacyjnej nie przyznaje się za miesiąc okresu próbnego (art. 15a) – \
             pominięto premię {}.",
            format_pln(requested)
        ));
        0
    } else if requested > cap {
        warnings.push(format!(
            "Premia {} przekracza najwyższą dopuszczalną kwotę {} ({}% świadczenia, art. 15a) – \
             uwzględniono {}.",
            format_pln(requested),
            format_pln(cap),
            rule.bonus_cap_percent.max(0),
            format_pln(cap)
        ));
        cap
    } else {
        requested
    };
    lines.push(if bonus > 0 {
        Line {
            text: format!(
                "Premia motywacyjna (art. 15a): {} – przyznana decyzją kierownika, najwyżej {}% \
                 świadczenia, tj. {}; wypłacana obok świadczenia.",
                format_pln(bonus),
                rule.bonus_cap_percent.max(0),
                format_pln(cap)
            ),
            amount_grosze: Some(bonus),
        }
    } else if requested > 0 && trial_month && !rule.bonus_in_trial {
        info("Premia motywacyjna: nie przysługuje za miesiąc okresu próbnego (art. 15a).".into())
    } else {
        info("Premia motywacyjna (art. 15a): nie przyznano.".into())
    });
    bonus
}
