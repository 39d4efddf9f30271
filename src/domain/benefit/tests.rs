//! The benefit calculator against amounts computed by hand (LAW.md, "Integration benefit
//! (art. 15) and bonus (art. 15a)"). Unless a test says otherwise: the unemployment benefit
//! 1 721,90 zł, 120% of it, so the base is 2 066,28 zł = 206 628 gr, and the rounding is half up
//! to the grosz.

use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration, Weekday};

use super::*;

/// The rule since 2022 with the unemployment benefit 1 721,90 zł.
fn rule() -> BenefitRule {
    BenefitRule::since_2022(172_190, "kwota od 1 czerwca 2025 r.")
}

/// Monday to Friday from `from` to `to`, except the public holidays `closed`.
fn weekdays(from: Date, to: Date, closed: &[Date]) -> Vec<Date> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        if !weekend && !closed.contains(&day) {
            out.push(day);
        }
        day += Duration::days(1);
    }
    out
}

/// The last day of `month`'s month.
fn last_day(month: Date) -> Date {
    month
        .replace_day(month.month().length(month.year()))
        .expect("a month's length is its last day")
}

/// A whole month of a participant admitted on 1 January 2025 (trial over), present 8 hours on
/// every working day (the weekdays except `closed`), no bonus.
fn month(first: Date, closed: &[Date]) -> MonthInput {
    let working_days = weekdays(first, last_day(first), closed);
    MonthInput {
        month: first,
        from: date!(2025 - 01 - 01),
        until: None,
        trial_ends_on: date!(2025 - 02 - 01),
        entries: working_days
            .iter()
            .map(|&day| DayEntry {
                day,
                status: DayStatus::Present,
                minutes: 480,
            })
            .collect(),
        days_off_before: 0,
        working_days,
        pai: false,
        bonus_grosze: 0,
    }
}

/// Marks `days` with `status` (0 minutes).
fn mark(input: &mut MonthInput, status: DayStatus, days: &[Date]) {
    for entry in input.entries.iter_mut().filter(|e| days.contains(&e.day)) {
        entry.status = status;
        entry.minutes = 0;
    }
}

/// The first `n` working days of the input.
fn first_working(input: &MonthInput, n: usize) -> Vec<Date> {
    input.working_days.iter().copied().take(n).collect()
}

/// The sum of the line amounts, which must be the benefit plus the bonus.
fn lines_total(statement: &Statement) -> i64 {
    statement.lines.iter().filter_map(|l| l.amount_grosze).sum()
}

/// March 2026: no public holiday, 22 working days.
const MARCH: Date = date!(2026 - 03 - 01);

#[test]
fn art_15_ust_1_full_month_present_pays_the_base() {
    // 1 721,90 zł × 120% = 2 066,28 zł; no absence: 2 066,28 zł
    let s = compute(&rule(), &month(MARCH, &[]));
    assert_eq!(s.base_grosze, 206_628);
    assert_eq!(s.due_grosze, 206_628);
    assert_eq!(s.benefit_grosze, 206_628);
    assert_eq!(s.bonus_grosze, 0);
    assert_eq!(s.counts.present, 22);
    assert_eq!(s.counts.minutes_present, 22 * 480);
    assert_eq!(s.counts.participation_days, 31);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert!(
        s.lines[0]
            .text
            .contains("1\u{a0}721,90\u{a0}zł × 120% = 2\u{a0}066,28\u{a0}zł")
    );
    assert_eq!(lines_total(&s), 206_628);
}

#[test]
fn law_md_one_unjustified_day_deducts_one_twentieth_of_the_base() {
    // 2 066,28 zł / 20 = 103,314 zł → 103,31 zł; 2 066,28 − 103,31 = 1 962,97 zł
    let mut input = month(MARCH, &[]);
    mark(&mut input, DayStatus::Unjustified, &[date!(2026 - 03 - 10)]);
    let s = compute(&rule(), &input);
    assert_eq!(s.deductions_grosze, 10_331);
    assert_eq!(s.benefit_grosze, 196_297);
    assert!(
        s.lines
            .iter()
            .any(|l| l.text.contains("103,314\u{a0}zł → 103,31\u{a0}zł")
                && l.amount_grosze == Some(-10_331))
    );
}

#[test]
fn law_md_three_unjustified_days_deduct_three_twentieths() {
    // 2 066,28 × 3 / 20 = 309,942 zł → 309,94 zł; 2 066,28 − 309,94 = 1 756,34 zł
    let mut input = month(MARCH, &[]);
    let days = first_working(&input, 3);
    mark(&mut input, DayStatus::Unjustified, &days);
    let s = compute(&rule(), &input);
    assert_eq!(s.deductions_grosze, 30_994);
    assert_eq!(s.benefit_grosze, 175_634);
    assert!(!s.forfeited);
}

#[test]
fn law_md_more_than_three_unjustified_days_forfeit_the_month() {
    // 3 days still pay 1 756,34 zł (above); 4 days: more than 3 → 0,00 zł
    let mut input = month(MARCH, &[]);
    let days = first_working(&input, 4);
    mark(&mut input, DayStatus::Unjustified, &days[..3]);
    assert_eq!(compute(&rule(), &input).benefit_grosze, 175_634);
    mark(&mut input, DayStatus::Unjustified, &days);
    mark(&mut input, DayStatus::Sick, &[date!(2026 - 03 - 20)]);
    let s = compute(&rule(), &input);
    assert!(s.forfeited);
    assert_eq!(s.benefit_grosze, 0);
    assert_eq!(s.counts.unjustified, 4);
    assert_eq!(s.counts.sick, 1);
    assert!(s.lines.iter().any(|l| l.text.contains(
        "więcej niż 3 dni nieusprawiedliwionej nieobecności – świadczenie za ten miesiąc nie \
         przysługuje"
    ) && l.amount_grosze == Some(-206_628)));
    // The sick day is explained but does not count.
    assert!(
        s.lines
            .iter()
            .any(|l| l.text.contains("Bez wpływu na kwotę"))
    );
    assert_eq!(lines_total(&s), 0);
}

#[test]
fn art_15_ust_7a_sick_days_within_the_limit_deduct_one_fortieth_rounded_half_up() {
    // 2 066,28 × 5 / 40 = 258,285 zł → 258,29 zł (a half grosz goes up);
    // 2 066,28 − 258,29 = 1 807,99 zł
    let mut input = month(MARCH, &[]);
    let days = first_working(&input, 5);
    mark(&mut input, DayStatus::Sick, &days);
    let s = compute(&rule(), &input);
    assert_eq!(s.deductions_grosze, 25_829);
    assert_eq!(s.benefit_grosze, 180_799);
    assert_eq!(s.counts.sick_within_limit, 5);
    assert!(
        s.lines
            .iter()
            .any(|l| l.text.contains("258,285\u{a0}zł → 258,29\u{a0}zł"))
    );
}

#[test]
fn art_15_ust_7a_sick_days_beyond_fourteen_are_unpaid_at_the_daily_share() {
    // 16 sick days: 14 × 1/40: 2 066,28 × 14 / 40 = 723,198 → 723,20 zł;
    // 2 unpaid days × 1/30: 2 066,28 × 2 / 30 = 137,752 → 137,75 zł;
    // 2 066,28 − 723,20 − 137,75 = 1 205,33 zł
    let mut input = month(MARCH, &[]);
    let days = first_working(&input, 16);
    mark(&mut input, DayStatus::Sick, &days);
    let s = compute(&rule(), &input);
    assert_eq!(s.counts.sick_within_limit, 14);
    assert_eq!(s.counts.sick_over_limit, 2);
    assert_eq!(s.deductions_grosze, 72_320 + 13_775);
    assert_eq!(s.benefit_grosze, 120_533);
    assert_eq!(lines_total(&s), 120_533);
}

#[test]
fn art_15_days_off_within_the_allowance_keep_the_full_benefit() {
    // 8 days off taken before, 3 now: all within 12, 1 left; 2 066,28 zł unchanged
    let mut input = month(MARCH, &[]);
    input.days_off_before = 8;
    let days = first_working(&input, 3);
    mark(&mut input, DayStatus::DayOff, &days);
    let s = compute(&rule(), &input);
    assert_eq!(s.benefit_grosze, 206_628);
    assert_eq!(s.counts.days_off_within_allowance, 3);
    assert_eq!(s.counts.days_off_left, 1);
    assert!(s.lines.iter().any(|l| l.text.contains("pozostaje 1 dzień")));
}

#[test]
fn art_15_days_off_beyond_the_allowance_are_unpaid_at_the_daily_share() {
    // 10 taken before, 4 now: 2 within 12, 2 over: 2 066,28 × 2 / 30 = 137,752 → 137,75 zł;
    // 2 066,28 − 137,75 = 1 928,53 zł
    let mut input = month(MARCH, &[]);
    input.days_off_before = 10;
    let days = first_working(&input, 4);
    mark(&mut input, DayStatus::DayOff, &days);
    let s = compute(&rule(), &input);
    assert_eq!(s.counts.days_off_within_allowance, 2);
    assert_eq!(s.counts.days_off_over_allowance, 2);
    assert_eq!(s.counts.days_off_left, 0);
    assert_eq!(s.benefit_grosze, 192_853);
}

#[test]
fn art_15a_no_bonus_in_the_trial_month_but_the_benefit_is_paid() {
    // Trial from 1 March 2026 (ends 1 April): March is a trial month, April is not.
    let r = rule();
    let trial_ends_on = date!(2026 - 04 - 01);
    assert_eq!(
        bonus_check(&r, MARCH, trial_ends_on, 10_000),
        Err("Premii motywacyjnej nie przyznaje się za miesiąc okresu próbnego (art. 15a).".into())
    );
    assert_eq!(bonus_check(&r, MARCH, trial_ends_on, 0), Ok(()));
    assert_eq!(
        bonus_check(&r, date!(2026 - 04 - 01), trial_ends_on, 10_000),
        Ok(())
    );
    // A trial from 16 March (to 15 April): March is the trial month; April, in which the trial
    // ends, is not (the kinder reading: its bonus is decided after the trial).
    let mid = date!(2026 - 04 - 16);
    assert!(bonus_check(&r, MARCH, mid, 10_000).is_err());
    assert_eq!(bonus_check(&r, date!(2026 - 04 - 01), mid, 10_000), Ok(()));
    // The benefit is due for the trial month: 2 066,28 zł; a bonus passed anyway is dropped.
    let mut input = month(MARCH, &[]);
    input.from = MARCH;
    input.trial_ends_on = trial_ends_on;
    input.bonus_grosze = 10_000;
    let s = compute(&r, &input);
    assert!(s.trial_month);
    assert_eq!(s.benefit_grosze, 206_628);
    assert_eq!(s.bonus_grosze, 0);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("okresu próbnego (art. 15a)"))
    );
}

#[test]
fn law_md_time_public_holiday_is_neither_presence_nor_absence() {
    // June 2026: Boże Ciało on Thursday 4 June (Easter 5 April + 60 days). No entry that day,
    // no warning, the full 2 066,28 zł.
    let corpus_christi = date!(2026 - 06 - 04);
    let input = month(date!(2026 - 06 - 01), &[corpus_christi]);
    assert!(!input.working_days.contains(&corpus_christi));
    let s = compute(&rule(), &input);
    assert_eq!(s.benefit_grosze, 206_628);
    assert_eq!(s.counts.working_days, 21);
    assert_eq!(s.counts.missing_entries, 0);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn art_15_admitted_mid_month_pays_days_over_thirty() {
    // Admitted 16 January 2026: 16 to 31 January = 16 days;
    // 2 066,28 × 16 / 30 = 1 102,016 → 1 102,02 zł
    let first = date!(2026 - 01 - 01);
    let mut input = month(first, &[first, date!(2026 - 01 - 06)]);
    input.from = date!(2026 - 01 - 16);
    input.trial_ends_on = date!(2026 - 02 - 16);
    input.entries.retain(|e| e.day >= input.from);
    let s = compute(&rule(), &input);
    assert_eq!(s.counts.participation_days, 16);
    assert_eq!(s.due_grosze, 110_202);
    assert_eq!(s.benefit_grosze, 110_202);
    assert!(s.lines.iter().any(|l| {
        l.text.contains("od 16 do 31 stycznia")
            && l.text
                .contains("1\u{a0}102,016\u{a0}zł → 1\u{a0}102,02\u{a0}zł")
            && l.amount_grosze == Some(110_202 - 206_628)
    }));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn art_15_graduated_mid_month_pays_days_over_thirty() {
    // Participation ends 10 March 2026: 10 days; 2 066,28 × 10 / 30 = 688,76 zł exactly.
    // An entry after the end is ignored, with a warning.
    let mut input = month(MARCH, &[]);
    input.until = Some(date!(2026 - 03 - 10));
    input.entries.retain(|e| e.day <= date!(2026 - 03 - 12));
    let s = compute(&rule(), &input);
    assert_eq!(s.counts.participation_days, 10);
    assert_eq!(s.counts.present, 7);
    assert_eq!(s.benefit_grosze, 68_876);
    assert_eq!(
        s.warnings,
        vec![
            "Pominięto wpisy spoza okresu uczestnictwa (uczestnictwo w tym miesiącu od 1 marca \
             do 10 marca): 11 i 12 marca."
                .to_string()
        ]
    );
}

#[test]
fn art_15a_bonus_at_the_cap_is_accepted_above_it_refused() {
    // Cap: 100% of 2 066,28 zł = 2 066,28 zł
    let r = rule();
    assert_eq!(bonus_cap(&r), 206_628);
    assert_eq!(
        bonus_check(&r, MARCH, date!(2025 - 02 - 01), 206_628),
        Ok(())
    );
    assert_eq!(
        bonus_check(&r, MARCH, date!(2025 - 02 - 01), 206_629),
        Err("Premia może wynieść najwyżej 2\u{a0}066,28\u{a0}zł (100% świadczenia).".into())
    );
    assert_eq!(
        bonus_check(&r, MARCH, date!(2025 - 02 - 01), -1),
        Err("Kwota premii nie może być ujemna.".into())
    );
    // At the cap: 2 066,28 + 2 066,28 = 4 132,56 zł; above it compute() clamps and warns.
    let mut input = month(MARCH, &[]);
    input.bonus_grosze = 206_628;
    let s = compute(&r, &input);
    assert_eq!(s.bonus_grosze, 206_628);
    assert!(s.warnings.is_empty());
    assert_eq!(lines_total(&s), 413_256);
    input.bonus_grosze = 300_000;
    let s = compute(&r, &input);
    assert_eq!(s.bonus_grosze, 206_628);
    assert_eq!(s.warnings.len(), 1);
}

#[test]
fn law_md_rate_change_on_1_june_applies_from_june() {
    // The caller passes the rule in force. May 2026: 1 662,00 × 120% = 1 994,40 zł;
    // June 2026: 1 721,90 × 120% = 2 066,28 zł. One unjustified day each:
    // May 1 994,40 / 20 = 99,72 → 1 894,68 zł; June 103,314 → 103,31 → 1 962,97 zł.
    let may_rule = BenefitRule::since_2022(166_200, "kwota od 1 czerwca 2025 r.");
    let june_rule = BenefitRule::since_2022(172_190, "kwota od 1 czerwca 2026 r.");
    // 1 May 2026 (Friday) is a public holiday.
    let mut may = month(date!(2026 - 05 - 01), &[date!(2026 - 05 - 01)]);
    let mut june = month(date!(2026 - 06 - 01), &[date!(2026 - 06 - 04)]);
    assert_eq!(compute(&may_rule, &may).benefit_grosze, 199_440);
    assert_eq!(compute(&june_rule, &june).benefit_grosze, 206_628);
    mark(&mut may, DayStatus::Unjustified, &[date!(2026 - 05 - 12)]);
    mark(&mut june, DayStatus::Unjustified, &[date!(2026 - 06 - 09)]);
    assert_eq!(compute(&may_rule, &may).benefit_grosze, 189_468);
    assert_eq!(compute(&june_rule, &june).benefit_grosze, 196_297);
}

#[test]
fn law_md_pre_2022_rule_100_percent_6_days_off_bonus_20_percent() {
    // Unemployment benefit 1 240,80 zł, 100%: base 1 240,80 zł. 4 days off before, 3 now:
    // 2 within 6, 1 unpaid: 1 240,80 / 30 = 41,36 zł → 1 199,44 zł.
    // Bonus cap 20%: 1 240,80 × 20% = 248,16 zł.
    let r = BenefitRule::before_2022(124_080, "kwota z 2021 r.");
    let first = date!(2021 - 11 - 01);
    let mut input = month(first, &[first, date!(2021 - 11 - 11)]);
    input.from = date!(2021 - 01 - 04);
    input.trial_ends_on = date!(2021 - 02 - 04);
    input.days_off_before = 4;
    let days = first_working(&input, 3);
    mark(&mut input, DayStatus::DayOff, &days);
    let s = compute(&r, &input);
    assert_eq!(s.base_grosze, 124_080);
    assert_eq!(s.counts.days_off_over_allowance, 1);
    assert_eq!(s.benefit_grosze, 119_944);
    assert_eq!(bonus_cap(&r), 24_816);
    assert_eq!(bonus_check(&r, first, input.trial_ends_on, 24_816), Ok(()));
    assert_eq!(
        bonus_check(&r, first, input.trial_ends_on, 24_817),
        Err("Premia może wynieść najwyżej 248,16\u{a0}zł (20% świadczenia).".into())
    );
}

#[test]
fn art_15_proration_den_zero_uses_the_days_of_the_month() {
    // February 2026 has 28 days. Admitted 15 February: 14 days.
    // Denominator 0 → 28: 2 066,28 × 14 / 28 = 1 033,14 zł; denominator 30:
    // 2 066,28 × 14 / 30 = 964,264 → 964,26 zł.
    let first = date!(2026 - 02 - 01);
    let mut input = month(first, &[]);
    input.from = date!(2026 - 02 - 15);
    input.entries.retain(|e| e.day >= input.from);
    let mut by_month = rule();
    by_month.proration_den = 0;
    assert_eq!(compute(&by_month, &input).benefit_grosze, 103_314);
    assert_eq!(compute(&rule(), &input).benefit_grosze, 96_426);
    // A whole February with one day off over the allowance, daily share 1/28:
    // 2 066,28 / 28 = 73,795714… → 73,80 zł; 2 066,28 − 73,80 = 1 992,48 zł.
    let mut input = month(first, &[]);
    input.days_off_before = 12;
    mark(&mut input, DayStatus::DayOff, &[date!(2026 - 02 - 02)]);
    assert_eq!(compute(&by_month, &input).benefit_grosze, 199_248);
}

#[test]
fn law_md_missing_entries_are_reported_not_deducted() {
    // November 2025: 1 November is a Saturday, 11 November a Tuesday (holiday). No entry on
    // 4, 5 and 18 November: a warning, the full 2 066,28 zł.
    let first = date!(2025 - 11 - 01);
    let mut input = month(first, &[first, date!(2025 - 11 - 11)]);
    let gaps = [
        date!(2025 - 11 - 04),
        date!(2025 - 11 - 05),
        date!(2025 - 11 - 18),
    ];
    input.entries.retain(|e| !gaps.contains(&e.day));
    let s = compute(&rule(), &input);
    assert_eq!(s.benefit_grosze, 206_628);
    assert_eq!(s.counts.missing_entries, 3);
    assert_eq!(
        s.warnings,
        vec![
            "Brak wpisu obecności: 3 dni robocze (4, 5 i 18 listopada). Za te dni niczego nie \
             potrącono; uzupełnij wpisy."
                .to_string()
        ]
    );
}

#[test]
fn law_md_entry_on_a_non_working_day_is_counted_and_noted() {
    // Present on Saturday 8 November 2025: counted (19 working days + 1 = 20 present), noted.
    let first = date!(2025 - 11 - 01);
    let mut input = month(first, &[first, date!(2025 - 11 - 11)]);
    input.entries.push(DayEntry {
        day: date!(2025 - 11 - 08),
        status: DayStatus::Present,
        minutes: 240,
    });
    let s = compute(&rule(), &input);
    assert_eq!(s.counts.present, 20);
    assert_eq!(s.benefit_grosze, 206_628);
    assert!(
        s.warnings[0].contains("8 listopada (sobota)"),
        "{:?}",
        s.warnings
    );
}

#[test]
fn law_md_pai_week_below_ten_hours_is_warned() {
    // PAI, 600 min a week of 5 working days. March 2026: week 2–8 March 5 × 100 min = 500 min
    // < 600: warned. Week 30 March–5 April has 2 working days in March: 2 × 120 = 240 min =
    // 600 × 2 / 5: not warned. Week 23 February–1 March has no working day: not warned.
    let mut input = month(MARCH, &[]);
    input.pai = true;
    for entry in &mut input.entries {
        entry.minutes = if entry.day.day() <= 6 { 100 } else { 120 };
    }
    let s = compute(&rule(), &input);
    assert_eq!(
        s.warnings,
        vec![
            "PAI: w tygodniu 2–8 marca 2026 r. obecność 8 godz. 20 min, a wymagane jest co \
             najmniej 10 godz. (10 godz. tygodniowo przy 5 dniach roboczych; w tym tygodniu 5 \
             dni roboczych w okresie uczestnictwa)."
                .to_string()
        ]
    );
}

#[test]
fn art_15_deductions_never_make_the_benefit_negative() {
    // Admitted 30 March 2026: 2 days, 2 066,28 × 2 / 30 = 137,752 → 137,75 zł due; 2
    // unjustified days: 2 066,28 × 2 / 20 = 206,628 → 206,63 zł > 137,75 → 0,00 zł.
    let mut input = month(MARCH, &[]);
    input.from = date!(2026 - 03 - 30);
    input.entries.retain(|e| e.day >= input.from);
    mark(
        &mut input,
        DayStatus::Unjustified,
        &[date!(2026 - 03 - 30), date!(2026 - 03 - 31)],
    );
    let s = compute(&rule(), &input);
    assert_eq!(s.due_grosze, 13_775);
    assert_eq!(s.deductions_grosze, 20_663);
    assert_eq!(s.benefit_grosze, 0);
    assert_eq!(lines_total(&s), 0);
}

#[test]
fn law_md_no_participation_day_pays_nothing() {
    // Admitted 1 April 2026: nothing in March, the entries are ignored with a warning.
    let mut input = month(MARCH, &[]);
    input.from = date!(2026 - 04 - 01);
    input.bonus_grosze = 10_000;
    let s = compute(&rule(), &input);
    assert_eq!((s.due_grosze, s.benefit_grosze, s.bonus_grosze), (0, 0, 0));
    assert_eq!(s.counts.participation_days, 0);
    assert_eq!(s.counts.present, 0);
    assert_eq!(s.warnings.len(), 2);
}

#[test]
fn vocabulary_and_fraction_labels() {
    for status in DayStatus::ALL {
        assert_eq!(DayStatus::from_code(status.code()), Some(status));
    }
    assert_eq!(DayStatus::from_code("absent"), None);
    assert_eq!(DayStatus::DayOff.label(), "dzień wolny");
    assert_eq!(Fraction::new(1, 20).label(), "1/20");
    assert!(rule().problems().is_empty());
    let mut broken = rule();
    broken.sick = Fraction::new(1, 0);
    assert_eq!(broken.problems().len(), 1);
}

/// A deduction fraction within sane bounds.
fn fraction() -> impl Strategy<Value = Fraction> {
    (0i64..=3, 1i64..=60).prop_map(|(num, den)| Fraction::new(num, den))
}

prop_compose! {
    /// A rule within sane bounds.
    fn any_rule()(
        ub in 0i64..=500_000, base_percent in 0i64..=200, days_off_allowance in 0i64..=30,
        fractions in (fraction(), fraction(), fraction()), forfeit in 0i64..=10,
        sick_day_limit in 0i64..=31, other_limit in proptest::option::of(0i64..=31),
        proration_den in 0i64..=31, bonus_cap_percent in 0i64..=200,
        bonus_in_trial in any::<bool>(), pai in 0i64..=3_000,
    ) -> BenefitRule {
        let (unjustified, sick, other_justified) = fractions;
        BenefitRule {
            base_percent, days_off_allowance, unjustified, forfeit_after_unjustified: forfeit,
            sick, sick_day_limit, other_justified, other_justified_limit: other_limit,
            proration_den, bonus_cap_percent, bonus_in_trial, pai_min_weekly_minutes: pai,
            ..BenefitRule::since_2022(ub, "test")
        }
    }
}

prop_compose! {
    /// A month with arbitrary dates, entries (some outside the month) and working days.
    fn any_input()(
        year in 2020i32..=2030, m in 1u8..=12, from in -60i64..=40,
        until in proptest::option::of(-10i64..=70), trial in -40i64..=70,
        entries in proptest::collection::vec((-3i64..=34, 0usize..5, -10i64..=1_500), 0..40),
        before in -2i64..=20, work in proptest::collection::vec(any::<bool>(), 31),
        pai in any::<bool>(), bonus in -1_000i64..=600_000,
    ) -> MonthInput {
        let month = Date::from_calendar_date(year, m.try_into().expect("1..=12"), 1)
            .expect("a first day");
        let at = |offset: i64| month + Duration::days(offset);
        let entries = entries.into_iter().map(|(day, status, minutes)| DayEntry {
            day: at(day), status: DayStatus::ALL[status], minutes,
        });
        let working = weekdays(month, last_day(month), &[]).into_iter();
        MonthInput {
            month, from: at(from), until: until.map(at), trial_ends_on: at(trial),
            entries: entries.collect(), days_off_before: before,
            working_days: working.filter(|d| work[usize::from(d.day()) - 1]).collect(),
            pai, bonus_grosze: bonus,
        }
    }
}

proptest! {
    /// LAW.md: the benefit stays within [0, base], the bonus within [0, cap] (art. 15a), the
    /// lines add up to what is paid, and the calculation is deterministic.
    #[test]
    fn amounts_stay_within_their_bounds(rule in any_rule(), input in any_input()) {
        let s = compute(&rule, &input);
        let cap = bonus_cap(&rule);
        prop_assert_eq!(s.base_grosze, rule.base_grosze());
        prop_assert!(0 <= s.benefit_grosze && s.benefit_grosze <= s.base_grosze);
        prop_assert!(0 <= s.due_grosze && s.due_grosze <= s.base_grosze);
        prop_assert!(0 <= s.bonus_grosze && s.bonus_grosze <= cap);
        prop_assert!(s.benefit_grosze + s.bonus_grosze <= s.base_grosze + cap);
        prop_assert_eq!(lines_total(&s), s.benefit_grosze + s.bonus_grosze);
        prop_assert_eq!(&compute(&rule, &input), &s);
    }
}
