//! The two forms of the benefit rules screen as posted (raw strings, the input kept on error)
//! and their checks: each number against the range the table's check constraints allow, then
//! the calculator's own [`BenefitRule::problems`]; and the rule rows in words.

use serde::Deserialize;
use time::Date;

use crate::benefits::rules::{BaseRow, BenefitRules, RuleRow};
use crate::domain::benefit::BenefitRule;
use crate::domain::calendar::days;
use crate::domain::effective::Rules;
use crate::domain::money::parse_pln;
use crate::validate::{self, dates};
use crate::web::forms::FieldErrors;

/// A new unemployment benefit amount.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseForm {
    #[serde(default)]
    pub base_from: String,
    #[serde(default)]
    pub base_amount: String,
    #[serde(default)]
    pub base_source: String,
}

/// A checked amount.
#[derive(Debug)]
pub struct NewBase {
    pub valid_from: Date,
    pub amount_grosze: i32,
    pub source: String,
}

/// The amounts `unemployment_benefit` accepts, in grosze (100 zł – 100 000 zł).
const AMOUNT_RANGE: std::ops::RangeInclusive<i64> = 10_000..=10_000_000;

impl BaseForm {
    /// The amount to add, or the messages per field.
    pub fn check(&self) -> Result<NewBase, FieldErrors> {
        let mut errors = FieldErrors::new();
        let valid_from = errors.take("base_from", first_of_month(&self.base_from));
        let amount = errors.take(
            "base_amount",
            parse_pln(&self.base_amount).and_then(|g| {
                i32::try_from(g)
                    .ok()
                    .filter(|_| AMOUNT_RANGE.contains(&g))
                    .ok_or_else(|| {
                        "Kwota zasiłku musi wynosić od 100,00 zł do 100 000,00 zł.".to_owned()
                    })
            }),
        );
        let source = errors.take(
            "base_source",
            required(
                &self.base_source,
                500,
                "Podaj źródło kwoty, np. obwieszczenie ministra w sprawie wysokości zasiłku dla bezrobotnych.",
            ),
        );
        match (valid_from, amount, source) {
            (Some(valid_from), Some(amount_grosze), Some(source)) if errors.is_empty() => {
                Ok(NewBase {
                    valid_from,
                    amount_grosze,
                    source,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A date that is the 1st of a month (the unemployment benefit changes on 1 June).
fn first_of_month(text: &str) -> Result<Date, String> {
    let date = dates::parse(text)?;
    if date.day() == 1 {
        Ok(date)
    } else {
        Err("Kwota obowiązuje od pierwszego dnia miesiąca – wpisz np. 01.06.2026.".to_owned())
    }
}

/// A required line with a message saying what to write.
fn required(text: &str, max: usize, ask: &str) -> Result<String, String> {
    match validate::optional_line(text, max)? {
        Some(value) => Ok(value),
        None => Err(ask.to_owned()),
    }
}

/// A centre's own rule row as posted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleForm {
    #[serde(default)]
    pub rule_from: String,
    #[serde(default)]
    pub base_percent: String,
    #[serde(default)]
    pub days_off_allowance: String,
    #[serde(default)]
    pub unjustified_num: String,
    #[serde(default)]
    pub unjustified_den: String,
    #[serde(default)]
    pub forfeit_after: String,
    #[serde(default)]
    pub sick_num: String,
    #[serde(default)]
    pub sick_den: String,
    #[serde(default)]
    pub sick_day_limit: String,
    #[serde(default)]
    pub other_num: String,
    #[serde(default)]
    pub other_den: String,
    #[serde(default)]
    pub other_day_limit: String,
    #[serde(default)]
    pub proration_den: String,
    #[serde(default)]
    pub bonus_cap_percent: String,
    #[serde(default)]
    pub bonus_in_trial: Option<String>,
    #[serde(default)]
    pub pai_min_weekly_minutes: String,
    #[serde(default)]
    pub rule_source: String,
}

impl RuleForm {
    /// The form pre-filled with the numbers of `row` (the row in force); no date, no source.
    pub fn from_row(row: &RuleRow) -> Self {
        Self {
            rule_from: String::new(),
            base_percent: row.base_percent.to_string(),
            days_off_allowance: row.days_off_allowance.to_string(),
            unjustified_num: row.unjustified_num.to_string(),
            unjustified_den: row.unjustified_den.to_string(),
            forfeit_after: row.forfeit_after.to_string(),
            sick_num: row.sick_num.to_string(),
            sick_den: row.sick_den.to_string(),
            sick_day_limit: row.sick_day_limit.to_string(),
            other_num: row.other_num.to_string(),
            other_den: row.other_den.to_string(),
            other_day_limit: row
                .other_day_limit
                .map(|d| d.to_string())
                .unwrap_or_default(),
            proration_den: row.proration_den.to_string(),
            bonus_cap_percent: row.bonus_cap_percent.to_string(),
            bonus_in_trial: row.bonus_in_trial.then(|| "on".to_owned()),
            pai_min_weekly_minutes: row.pai_min_weekly_minutes.to_string(),
            rule_source: String::new(),
        }
    }

    /// The row to add (`centre_id` left for the caller), or the messages per field.
    pub fn check(&self) -> Result<RuleRow, FieldErrors> {
        let mut e = FieldErrors::new();
        let valid_from = e.take("rule_from", dates::parse(&self.rule_from));
        let mut n = |field: &'static str, text: &str, min: i16, max: i16, what: &str| {
            e.take(field, number(text, min, max, what))
        };
        let base_percent = n(
            "base_percent",
            &self.base_percent,
            1,
            500,
            "Procent zasiłku",
        );
        let days_off = n(
            "days_off_allowance",
            &self.days_off_allowance,
            0,
            60,
            "Liczba dni wolnych",
        );
        let unjustified_num = n("unjustified_num", &self.unjustified_num, 0, 1000, "Licznik");
        let unjustified_den = n(
            "unjustified_den",
            &self.unjustified_den,
            1,
            1000,
            "Mianownik",
        );
        let forfeit_after = n("forfeit_after", &self.forfeit_after, 0, 31, "Próg dni");
        let sick_num = n("sick_num", &self.sick_num, 0, 1000, "Licznik");
        let sick_den = n("sick_den", &self.sick_den, 1, 1000, "Mianownik");
        let sick_day_limit = n("sick_day_limit", &self.sick_day_limit, 0, 31, "Limit dni");
        let other_num = n("other_num", &self.other_num, 0, 1000, "Licznik");
        let other_den = n("other_den", &self.other_den, 1, 1000, "Mianownik");
        let other_day_limit = if self.other_day_limit.trim().is_empty() {
            Some(None)
        } else {
            n("other_day_limit", &self.other_day_limit, 0, 31, "Limit dni").map(Some)
        };
        let proration_den = n(
            "proration_den",
            &self.proration_den,
            0,
            31,
            "Mianownik stawki dziennej",
        );
        let bonus_cap = n(
            "bonus_cap_percent",
            &self.bonus_cap_percent,
            0,
            500,
            "Limit premii",
        );
        let pai = n(
            "pai_min_weekly_minutes",
            &self.pai_min_weekly_minutes,
            0,
            2400,
            "Minimum PAI",
        );
        let source = e.take(
            "rule_source",
            required(
                &self.rule_source,
                1000,
                "Podaj podstawę prawną lub uchwałę, z której wynikają te zasady.",
            ),
        );
        for (num, den, field) in [
            (unjustified_num, unjustified_den, "unjustified_num"),
            (sick_num, sick_den, "sick_num"),
            (other_num, other_den, "other_num"),
        ] {
            if let (Some(num), Some(den)) = (num, den)
                && num > den
            {
                e.add_if_absent(
                    field,
                    "Licznik nie może być większy od mianownika (potrącenie najwyżej całego świadczenia za dzień).",
                );
            }
        }
        let row = (|| {
            Some(RuleRow {
                centre_id: None,
                valid_from: valid_from?,
                base_percent: base_percent?,
                days_off_allowance: days_off?,
                unjustified_num: unjustified_num?,
                unjustified_den: unjustified_den?,
                forfeit_after: forfeit_after?,
                sick_num: sick_num?,
                sick_den: sick_den?,
                sick_day_limit: sick_day_limit?,
                other_num: other_num?,
                other_den: other_den?,
                other_day_limit: other_day_limit?,
                proration_den: proration_den?,
                bonus_cap_percent: bonus_cap?,
                bonus_in_trial: self.bonus_in_trial.is_some(),
                pai_min_weekly_minutes: pai?,
                source: source?,
            })
        })();
        let Some(row) = row else {
            return Err(e);
        };
        // The calculator's own checks.
        for problem in calculator_rule(&row)
            .map(|r| r.problems())
            .unwrap_or_default()
        {
            e.add("rule", problem);
        }
        if e.is_empty() { Ok(row) } else { Err(e) }
    }
}

/// A whole number within `min..=max`.
fn number(text: &str, min: i16, max: i16, what: &str) -> Result<i16, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{what}: wpisz liczbę od {min} do {max}."));
    }
    text.parse::<i16>()
        .ok()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| {
            format!("{what}: wpisz liczbę całkowitą od {min} do {max} (wpisano „{text}”).")
        })
}

/// The row as the calculator reads it (through the rules' own conversion; a unit amount
/// stands in for the unemployment benefit, which has its own form).
fn calculator_rule(r: &RuleRow) -> Option<BenefitRule> {
    let base = BaseRow {
        centre_id: None,
        valid_from: r.valid_from,
        amount_grosze: 100,
        source: String::new(),
    };
    BenefitRules {
        bases: Rules::new(vec![base]),
        rules: Rules::new(vec![r.clone()]),
    }
    .on(r.valid_from)
}

/// The row's values for its audit entry: `valid_from=2026-01-01 base_percent=120 …`.
pub fn audit_values(r: &RuleRow) -> String {
    let limit = r
        .other_day_limit
        .map_or_else(|| "-".to_owned(), |d| d.to_string());
    let pairs = [
        ("valid_from", dates::iso(r.valid_from)),
        ("base_percent", r.base_percent.to_string()),
        ("days_off", r.days_off_allowance.to_string()),
        (
            "unjustified",
            format!("{}/{}", r.unjustified_num, r.unjustified_den),
        ),
        ("forfeit_after", r.forfeit_after.to_string()),
        ("sick", format!("{}/{}", r.sick_num, r.sick_den)),
        ("sick_limit", r.sick_day_limit.to_string()),
        ("other", format!("{}/{}", r.other_num, r.other_den)),
        ("other_limit", limit),
        ("proration_den", r.proration_den.to_string()),
        ("bonus_cap", r.bonus_cap_percent.to_string()),
        ("bonus_in_trial", r.bonus_in_trial.to_string()),
        ("pai_min", r.pai_min_weekly_minutes.to_string()),
    ];
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rule row in words, one parameter a line.
pub fn in_words(r: &RuleRow) -> Vec<String> {
    let other = if r.other_num == 0 {
        "inne nieobecności usprawiedliwione bez potrącenia".to_owned()
    } else {
        format!(
            "inne nieobecności usprawiedliwione {}/{} za dzień",
            r.other_num, r.other_den
        )
    };
    let other = match r.other_day_limit {
        Some(limit) => format!(
            "{other} do {} w miesiącu, dalsze dni bez świadczenia",
            days(i64::from(limit))
        ),
        None => format!("{other}, bez limitu dni"),
    };
    let daily = if r.proration_den == 0 {
        "stawka dzienna: świadczenie podzielone przez liczbę dni miesiąca".to_owned()
    } else {
        format!(
            "stawka dzienna 1/{} świadczenia (niepełny miesiąc, dni ponad limity)",
            r.proration_den
        )
    };
    let trial = if r.bonus_in_trial {
        "także w okresie próbnym"
    } else {
        "nie w okresie próbnym"
    };
    let (hours, minutes) = (r.pai_min_weekly_minutes / 60, r.pai_min_weekly_minutes % 60);
    let pai = if minutes == 0 {
        format!("PAI: co najmniej {hours} godz. zajęć grupowych tygodniowo (ostrzeżenie)")
    } else {
        format!(
            "PAI: co najmniej {hours} godz. {minutes} min zajęć grupowych tygodniowo (ostrzeżenie)"
        )
    };
    vec![
        format!("{}% zasiłku dla bezrobotnych", r.base_percent),
        format!(
            "{} wolnych w całym uczestnictwie",
            days(i64::from(r.days_off_allowance))
        ),
        format!(
            "{}/{} za dzień nieobecności nieusprawiedliwionej; więcej niż {} – utrata świadczenia za miesiąc",
            r.unjustified_num,
            r.unjustified_den,
            days(i64::from(r.forfeit_after))
        ),
        format!(
            "zwolnienie lekarskie {}/{} za dzień do {}, dalsze dni bez świadczenia",
            r.sick_num,
            r.sick_den,
            days(i64::from(r.sick_day_limit))
        ),
        other,
        daily,
        format!(
            "premia motywacyjna do {}% świadczenia, {trial}",
            r.bonus_cap_percent
        ),
        pai,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> RuleForm {
        RuleForm {
            rule_from: "2026-01-01".into(),
            base_percent: "120".into(),
            days_off_allowance: "12".into(),
            unjustified_num: "1".into(),
            unjustified_den: "20".into(),
            forfeit_after: "3".into(),
            sick_num: "1".into(),
            sick_den: "40".into(),
            sick_day_limit: "14".into(),
            other_num: "0".into(),
            other_den: "1".into(),
            other_day_limit: String::new(),
            proration_den: "30".into(),
            bonus_cap_percent: "100".into(),
            bonus_in_trial: None,
            pai_min_weekly_minutes: "600".into(),
            rule_source: "uchwała".into(),
        }
    }

    #[test]
    fn a_rule_row_reads_as_the_act_says_it() {
        let Ok(row) = filled().check() else {
            panic!("a valid form")
        };
        let words = in_words(&row);
        assert_eq!(words[1], "12 dni wolnych w całym uczestnictwie");
        assert_eq!(
            words[2],
            "1/20 za dzień nieobecności nieusprawiedliwionej; więcej niż 3 dni – utrata świadczenia za miesiąc"
        );
        assert!(words[3].starts_with("zwolnienie lekarskie 1/40 za dzień do 14 dni"));
        assert_eq!(
            words[7],
            "PAI: co najmniej 10 godz. zajęć grupowych tygodniowo (ostrzeżenie)"
        );
    }

    #[test]
    fn each_number_out_of_range_has_its_own_message() {
        let form = RuleForm {
            base_percent: "0".into(),
            sick_day_limit: "32".into(),
            unjustified_num: "21".into(),
            other_den: "x".into(),
            rule_source: " ".into(),
            ..filled()
        };
        let Err(errors) = form.check() else {
            panic!("refused")
        };
        for field in [
            "base_percent",
            "sick_day_limit",
            "unjustified_num",
            "other_den",
            "rule_source",
        ] {
            assert!(errors.contains_key(field), "{field}");
        }
    }

    #[test]
    fn an_amount_starts_on_the_first_and_has_a_source() {
        let form = BaseForm {
            base_from: "2026-06-02".into(),
            base_amount: "99,99".into(),
            base_source: String::new(),
        };
        let Err(errors) = form.check() else {
            panic!("refused")
        };
        assert_eq!(errors.len(), 3);
        let ok = BaseForm {
            base_from: "01.06.2026".into(),
            base_amount: "1 800,50".into(),
            base_source: "Obwieszczenie".into(),
        };
        assert!(matches!(
            ok.check(),
            Ok(NewBase {
                amount_grosze: 180_050,
                ..
            })
        ));
    }
}
