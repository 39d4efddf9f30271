//! The monthly integration benefit (świadczenie integracyjne, art. 15 ustawy z 13 czerwca 2003 r.
//! o zatrudnieniu socjalnym) and motivational bonus (premia motywacyjna, art. 15a) of one
//! participant for one calendar month, computed from the month's attendance, exactly, in
//! integer grosze, with an explanation step by step in Polish that a CIS manager can check
//! against the act (LAW.md, "Integration benefit (art. 15) and bonus (art. 15a)" and "Time").
//!
//! Every number is a parameter of [`BenefitRule`], the row in force for the month, which the
//! caller picks (the unemployment benefit changes every 1 June; the 2022 reform changed the
//! percentage, the days off and the bonus cap). Nothing here is a constant of the law.
//!
//! # Rounding
//!
//! One rule, [`round_half_up`]: every amount that is not a whole
//! number of grosze is computed as one exact product over one divisor and rounded once to the
//! nearest grosz, a half grosz upwards (2 066,28 zł × 5 × 1/40 = 258,285 zł → 258,29 zł). Each
//! deduction is rounded on its own and only then subtracted; every line that rounds says so.
//!
//! # The rules, in order (one line of the statement each)
//!
//! 1. Base: the unemployment benefit × the percentage (120% since 15 February 2022, 100%
//!    before), rounded: 1 721,90 zł × 120% = 2 066,28 zł.
//! 2. Proration: the participation days of the month are the days from the later of admission
//!    and the 1st to the earlier of the end of participation and the month's last day. A whole
//!    month pays the base; otherwise base × days / 30 (the denominator is a parameter; 0 means
//!    the number of days in that month), never more than the base. No participation day: all
//!    amounts 0.
//! 3. Unjustified absence: each day deducts 1/20 of the monthly base (not of the prorated
//!    amount); more than 3 such days forfeit the whole month's benefit.
//! 4. Sick leave (art. 15 ust. 7a): the first 14 sick days of the month deduct 1/40 of the base
//!    each; each further sick day is unpaid, i.e. deducts the daily share base / 30.
//! 5. Other justified absences: no deduction by default; a fraction and a monthly limit may be
//!    set, days beyond the limit are unpaid at the daily share.
//! 6. Days off: 12 (6 before 2022) over the whole participation at full benefit; the caller
//!    passes how many were taken before this month; further days off are unpaid at the daily
//!    share.
//! 7. The benefit is the prorated amount less all deductions, never below 0.
//! 8. The bonus is added as its own line: not in a trial month, at most 100% (20% before 2022)
//!    of the base, never negative. [`bonus_check`] validates a decision; [`compute`] clamps
//!    again and warns.
//! 9. Warnings: working days without an entry, PAI weeks below the minimum, entries outside the
//!    participation (ignored) or on days that are not working days (counted, noted).
//!
//! The amounts of the lines add up to the benefit plus the bonus: the base is positive, the
//! proration and every deduction negative, a final correction positive when the deductions
//! exceed the amount due; summary lines carry no amount.
//!
//! # Interpretations
//!
//! Where LAW.md or the brief decides, as they decide; where the act is silent, the reading
//! kindest to the participant. The lines and warnings state them where they apply.
//!
//! * The bonus cap is a percentage of the full monthly base, not of the month's reduced benefit
//!   (kindest; [`bonus_check`] needs no benefit amount). A bonus for a month whose benefit is
//!   forfeited is still paid: it rests on the head's decision. No participation day, no bonus.
//! * A working day without an entry deducts nothing; it is only reported (kindest).
//! * Several entries on one day count once, as the kindest status among them (present,
//!   justified, day off, sick, unjustified), with the most minutes; minutes are held to 0–1440.
//! * An entry on a day that is not among the working days counts as recorded (the working days
//!   end at the computation date, so planned days off after it must count) and is noted.
//!   Entries outside the participation or the month are ignored and noted.
//! * Deductions for absences are fractions of the full base even in a prorated month (as the
//!   rules state); the benefit never falls below 0 and the proration never exceeds the base.
//! * Unpaid days (sick days over the limit, other justified absence over its limit, days off
//!   over the allowance) deduct the daily share: base × 1/30 (or 1/days of the month).
//! * "More than 3" unjustified days forfeits: 3 days still pay, less 3/20.
//! * Days off taken in a forfeited month still use the allowance (they were taken).
//! * A month is a trial month when all of it lies within the trial (its last day is before
//!   `trial_ends_on`, the first day after the trial): a trial from 16 January to 15 February
//!   makes January the trial month; February, in which the trial ends, is not (kindest: the
//!   bonus for it is decided after the trial). The benefit itself is due in the trial month
//!   (the act pays it for the whole stay).
//! * PAI: a week's minimum is 600 min × k / 5 for its k working days within this month's
//!   participation; a week that spans two months is judged on this month's days only.
//! * An invalid parameter (negative, or a fraction with a denominator of 0 or less) counts as
//!   0, so a broken fraction deducts nothing; [`BenefitRule::problems`] names it in a warning.

use time::Date;

use super::money::{format_pln, round_half_up};

mod attendance;
mod explain;
mod rules;
#[cfg(test)]
mod tests;

/// A share of the monthly base per day, e.g. 1/20 for a day of unjustified absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    /// The numerator (0 for no deduction).
    pub num: i64,
    /// The denominator (positive).
    pub den: i64,
}

impl Fraction {
    /// No deduction: 0/1.
    pub const NONE: Fraction = Fraction { num: 0, den: 1 };

    /// The fraction `num/den`.
    pub const fn new(num: i64, den: i64) -> Self {
        Fraction { num, den }
    }

    /// How it is written in the statement: "1/20".
    pub fn label(&self) -> String {
        format!("{}/{}", self.num, self.den)
    }

    /// Whether it can be applied: a numerator of at least 0 and a positive denominator.
    pub fn is_valid(&self) -> bool {
        self.num >= 0 && self.den > 0
    }

    /// Itself when valid, otherwise no deduction.
    fn or_none(self) -> Self {
        if self.is_valid() { self } else { Self::NONE }
    }
}

/// The parameters of the benefit in force for the month (one effective-dated row; the caller
/// picks the row in force).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenefitRule {
    /// The unemployment benefit (zasiłek dla bezrobotnych) in force, in grosze.
    pub unemployment_benefit_grosze: i64,
    /// The benefit as a percentage of it: 120 since 15 February 2022, 100 before.
    pub base_percent: i64,
    /// Days off at full benefit over the whole participation: 12 (6 before 2022).
    pub days_off_allowance: i64,
    /// The deduction per day of unjustified absence: 1/20.
    pub unjustified: Fraction,
    /// More unjustified days than this in the month forfeit the month's benefit: 3.
    pub forfeit_after_unjustified: i64,
    /// The deduction per sick day within the limit: 1/40.
    pub sick: Fraction,
    /// Sick days of the month deducted at `sick`; further ones are unpaid: 14.
    pub sick_day_limit: i64,
    /// The deduction per day of other justified absence: 0/1 (none).
    pub other_justified: Fraction,
    /// Days of other justified absence in the month at that fraction; `None` for no limit.
    pub other_justified_limit: Option<i64>,
    /// The denominator of the daily share (proration and unpaid days): 30; 0 for the number of
    /// days of the month.
    pub proration_den: i64,
    /// The bonus cap as a percentage of the base: 100 (20 before 2022).
    pub bonus_cap_percent: i64,
    /// Whether a bonus may be granted for a trial month: false.
    pub bonus_in_trial: bool,
    /// PAI: the minimum of present minutes in a week of five working days: 600.
    pub pai_min_weekly_minutes: i64,
    /// The legal source of this row, cited in the statement.
    pub source: String,
    /// The source of the unemployment-benefit amount (e.g. the minister's announcement).
    pub benefit_source: String,
}

impl BenefitRule {
    /// The defaults in force since 15 February 2022 (Dz.U. 2022 poz. 218), for the given
    /// unemployment benefit and the source of that amount.
    pub fn since_2022(unemployment_benefit_grosze: i64, benefit_source: impl Into<String>) -> Self {
        BenefitRule {
            unemployment_benefit_grosze,
            base_percent: 120,
            days_off_allowance: 12,
            unjustified: Fraction::new(1, 20),
            forfeit_after_unjustified: 3,
            sick: Fraction::new(1, 40),
            sick_day_limit: 14,
            other_justified: Fraction::NONE,
            other_justified_limit: None,
            proration_den: 30,
            bonus_cap_percent: 100,
            bonus_in_trial: false,
            pai_min_weekly_minutes: 600,
            source: "art. 15 i 15a ustawy z 13 czerwca 2003 r. o zatrudnieniu socjalnym \
                     (Dz.U. 2025 poz. 83) w brzmieniu od 15 lutego 2022 r.; ułamki, limity \
                     i mianownik stawki dziennej – parametry domyślne"
                .to_string(),
            benefit_source: benefit_source.into(),
        }
    }

    /// The defaults in force before 15 February 2022: 100% of the unemployment benefit, 6 days
    /// off, a bonus of at most 20%.
    pub fn before_2022(
        unemployment_benefit_grosze: i64,
        benefit_source: impl Into<String>,
    ) -> Self {
        BenefitRule {
            base_percent: 100,
            days_off_allowance: 6,
            bonus_cap_percent: 20,
            source: "art. 15 i 15a ustawy z 13 czerwca 2003 r. o zatrudnieniu socjalnym \
                     w brzmieniu do 14 lutego 2022 r.; ułamki, limity i mianownik stawki \
                     dziennej – parametry domyślne"
                .to_string(),
            ..Self::since_2022(unemployment_benefit_grosze, benefit_source)
        }
    }

    /// The monthly base: the unemployment benefit × the percentage, rounded by the one rule.
    pub fn base_grosze(&self) -> i64 {
        round_half_up(
            i128::from(self.unemployment_benefit_grosze.max(0))
                * i128::from(self.base_percent.max(0)),
            100,
        )
    }

    /// What is wrong with the parameters, in Polish, one sentence each; empty when they are
    /// sound. [`compute`] treats each wrong value as 0 and repeats these as warnings.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let numbers = [
            (
                self.unemployment_benefit_grosze,
                "Kwota zasiłku dla bezrobotnych",
            ),
            (self.base_percent, "Procent zasiłku"),
            (self.days_off_allowance, "Limit dni wolnych"),
            (
                self.forfeit_after_unjustified,
                "Próg dni nieusprawiedliwionych",
            ),
            (self.sick_day_limit, "Limit dni zwolnienia lekarskiego"),
            (
                self.other_justified_limit.unwrap_or(0),
                "Limit innych nieobecności",
            ),
            (self.proration_den, "Mianownik stawki dziennej"),
            (self.bonus_cap_percent, "Limit premii"),
            (self.pai_min_weekly_minutes, "Minimum minut PAI"),
        ];
        for (value, name) in numbers {
            if value < 0 {
                out.push(format!("{name}: wartość nie może być ujemna ({value})."));
            }
        }
        let fractions = [
            (self.unjustified, "nieobecność nieusprawiedliwioną"),
            (self.sick, "zwolnienie lekarskie"),
            (self.other_justified, "inną nieobecność usprawiedliwioną"),
        ];
        for (fraction, name) in fractions {
            if !fraction.is_valid() {
                out.push(format!(
                    "Ułamek potrącenia za {name} musi mieć licznik co najmniej 0 i dodatni \
                     mianownik (jest {}).",
                    fraction.label()
                ));
            }
        }
        out
    }

    /// The denominator of the daily share in a month of `days_in_month` days.
    fn daily_den(&self, days_in_month: i64) -> i64 {
        if self.proration_den > 0 {
            self.proration_den
        } else {
            days_in_month
        }
    }
}

/// What the attendance record says about one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayStatus {
    /// Present in the centre.
    Present,
    /// Sick leave confirmed by a doctor (art. 15 ust. 7a).
    Sick,
    /// Another justified absence (caring for family, a court summons, …).
    Justified,
    /// An unjustified absence.
    Unjustified,
    /// A day off (from the allowance over the whole participation).
    DayOff,
}

impl DayStatus {
    /// Every status, in the order the UI lists them.
    pub const ALL: [DayStatus; 5] = [
        DayStatus::Present,
        DayStatus::Sick,
        DayStatus::Justified,
        DayStatus::Unjustified,
        DayStatus::DayOff,
    ];

    /// The stable code (database, forms).
    pub fn code(self) -> &'static str {
        match self {
            DayStatus::Present => "present",
            DayStatus::Sick => "sick",
            DayStatus::Justified => "justified",
            DayStatus::Unjustified => "unjustified",
            DayStatus::DayOff => "day_off",
        }
    }

    /// The Polish label.
    pub fn label(self) -> &'static str {
        match self {
            DayStatus::Present => "obecność",
            DayStatus::Sick => "zwolnienie lekarskie",
            DayStatus::Justified => "nieobecność usprawiedliwiona",
            DayStatus::Unjustified => "nieobecność nieusprawiedliwiona",
            DayStatus::DayOff => "dzień wolny",
        }
    }

    /// Parses a code; `None` for anything that is not one.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The order in which duplicate entries of a day are preferred: kindest first.
    fn kindness(self) -> u8 {
        match self {
            DayStatus::Present => 0,
            DayStatus::Justified => 1,
            DayStatus::DayOff => 2,
            DayStatus::Sick => 3,
            DayStatus::Unjustified => 4,
        }
    }
}

/// One recorded day of attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayEntry {
    /// The day.
    pub day: Date,
    /// What happened that day.
    pub status: DayStatus,
    /// Minutes spent in the centre (counted for present days).
    pub minutes: i64,
}

/// One participant's month, as the caller gathered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthInput {
    /// The month (its first day; another day stands for its month).
    pub month: Date,
    /// The first day of participation (admission).
    pub from: Date,
    /// The last day of participation; `None` while still participating.
    pub until: Option<Date>,
    /// The first day after the trial (a trial from 1 January has 1 February): a month is a
    /// trial month when it starts before this day.
    pub trial_ends_on: Date,
    /// The month's recorded days.
    pub entries: Vec<DayEntry>,
    /// Days off taken earlier in the participation.
    pub days_off_before: i64,
    /// The centre's working days of the month up to the computation date (Monday to Friday,
    /// not public holidays, not days the centre is closed), computed by the caller.
    pub working_days: Vec<Date>,
    /// Whether the participant is in the PAI program (weekly minimum of presence).
    pub pai: bool,
    /// The bonus granted for the month, in grosze; 0 if none.
    pub bonus_grosze: i64,
}

/// The counts behind the statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Calendar days of participation in the month.
    pub participation_days: i64,
    /// The centre's working days within the participation.
    pub working_days: i64,
    /// Working days within the participation without an entry.
    pub missing_entries: i64,
    /// Days present.
    pub present: i64,
    /// Minutes present.
    pub minutes_present: i64,
    /// Sick days.
    pub sick: i64,
    /// Sick days within the monthly limit.
    pub sick_within_limit: i64,
    /// Sick days over the limit (unpaid).
    pub sick_over_limit: i64,
    /// Days of other justified absence.
    pub justified: i64,
    /// Of them, within their limit.
    pub justified_within_limit: i64,
    /// Of them, over their limit (unpaid).
    pub justified_over_limit: i64,
    /// Days of unjustified absence.
    pub unjustified: i64,
    /// Days off.
    pub days_off: i64,
    /// Days off within the allowance (full benefit).
    pub days_off_within_allowance: i64,
    /// Days off over the allowance (unpaid).
    pub days_off_over_allowance: i64,
    /// Days off of the allowance left after this month.
    pub days_off_left: i64,
}

/// One line of the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The sentence, in Polish, naming its rule and source.
    pub text: String,
    /// The line's effect on the amount paid, signed (deductions negative); `None` for a line
    /// that only explains or sums up.
    pub amount_grosze: Option<i64>,
}

/// The month's benefit and bonus, with their explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The monthly base (rule 1).
    pub base_grosze: i64,
    /// The amount due after proration (rule 2).
    pub due_grosze: i64,
    /// The sum of the deductions (rules 3–6; the whole amount due when forfeited).
    pub deductions_grosze: i64,
    /// The benefit to pay.
    pub benefit_grosze: i64,
    /// The bonus to pay.
    pub bonus_grosze: i64,
    /// Whether the month is a trial month.
    pub trial_month: bool,
    /// Whether the month's benefit is forfeited for unjustified absence.
    pub forfeited: bool,
    /// The counts.
    pub counts: Counts,
    /// The explanation, step by step.
    pub lines: Vec<Line>,
    /// What the manager should check, in Polish.
    pub warnings: Vec<String>,
}

/// The highest bonus for a month: the bonus cap percentage of the full monthly base (the
/// reading kindest to the participant), rounded by the one rule.
pub fn bonus_cap(rule: &BenefitRule) -> i64 {
    round_half_up(
        i128::from(rule.base_grosze()) * i128::from(rule.bonus_cap_percent.max(0)),
        100,
    )
}

/// Whether `month` is a trial month: all of it lies before `trial_ends_on`, the first day after
/// the trial (art. 13: the trial is counted separately). A month in which the trial ends is not
/// one: the bonus for it is decided after the trial.
pub fn is_trial_month(month: Date, trial_ends_on: Date) -> bool {
    super::calendar::month_end(month) < trial_ends_on
}

/// Checks a bonus decision for `month` (art. 15a): not negative, none in a trial month (unless
/// the rule allows it), at most [`bonus_cap`]. The error is the Polish message for the form.
pub fn bonus_check(
    rule: &BenefitRule,
    month: Date,
    trial_ends_on: Date,
    amount_grosze: i64,
) -> Result<(), String> {
    if amount_grosze < 0 {
        return Err("Kwota premii nie może być ujemna.".to_string());
    }
    if amount_grosze > 0 && is_trial_month(month, trial_ends_on) && !rule.bonus_in_trial {
        return Err(
            "Premii motywacyjnej nie przyznaje się za miesiąc okresu próbnego (art. 15a)."
                .to_string(),
        );
    }
    let cap = bonus_cap(rule);
    if amount_grosze > cap {
        return Err(format!(
            "Premia może wynieść najwyżej {} ({}% świadczenia).",
            format_pln(cap),
            rule.bonus_cap_percent
        ));
    }
    Ok(())
}

/// Computes the statement of one participant's month under `rule`, by the rules of the module
/// doc, in their order (the steps are in `rules.rs`).
pub fn compute(rule: &BenefitRule, input: &MonthInput) -> Statement {
    rules::compute(rule, input)
}
