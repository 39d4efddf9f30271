//! The benefit's parameters (LAW.md "Integration benefit"): the unemployment benefit in force
//! (revalued every 1 June) and the rule row (percentage, days off, fractions, limits, the bonus
//! cap), both effective-dated for the installation with a centre's own rows winning. The month
//! uses the rows in force on its first day of participation.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use crate::domain::benefit::{BenefitRule, Fraction};
use crate::domain::effective::{Rules, effective_dated};

/// One row of `unemployment_benefit`.
#[derive(Debug, Clone)]
pub struct BaseRow {
    /// `None`: the installation's.
    pub centre_id: Option<Uuid>,
    /// In force from.
    pub valid_from: Date,
    /// The amount, in grosze.
    pub amount_grosze: i32,
    /// The minister's notice.
    pub source: String,
}
effective_dated!(BaseRow);

/// One row of `benefit_rule`.
#[derive(Debug, Clone)]
pub struct RuleRow {
    /// `None`: the installation's.
    pub centre_id: Option<Uuid>,
    /// In force from.
    pub valid_from: Date,
    /// Percent of the unemployment benefit.
    pub base_percent: i16,
    /// Days off at full benefit.
    pub days_off_allowance: i16,
    /// Deduction per unjustified day.
    pub unjustified_num: i16,
    /// Deduction per unjustified day.
    pub unjustified_den: i16,
    /// More unjustified days forfeit the month.
    pub forfeit_after: i16,
    /// Deduction per sick day.
    pub sick_num: i16,
    /// Deduction per sick day.
    pub sick_den: i16,
    /// Sick days at that fraction.
    pub sick_day_limit: i16,
    /// Deduction per other justified day.
    pub other_num: i16,
    /// Deduction per other justified day.
    pub other_den: i16,
    /// Other justified days at that fraction (none: no limit).
    pub other_day_limit: Option<i16>,
    /// The daily share's denominator (0: days of the month).
    pub proration_den: i16,
    /// Bonus cap, percent of the benefit.
    pub bonus_cap_percent: i16,
    /// A bonus in the trial month.
    pub bonus_in_trial: bool,
    /// PAI minimum per week, in minutes.
    pub pai_min_weekly_minutes: i16,
    /// The legal source.
    pub source: String,
}
effective_dated!(RuleRow);

/// Both parameters as they can apply in one centre.
#[derive(Debug, Clone)]
pub struct BenefitRules {
    /// The unemployment benefit amounts.
    pub bases: Rules<BaseRow>,
    /// The rule rows.
    pub rules: Rules<RuleRow>,
}

impl BenefitRules {
    /// Loads the installation's rows and `centre_id`'s own (a handful).
    pub async fn load(db: &mut PgConnection, centre_id: Uuid) -> sqlx::Result<Self> {
        let bases = sqlx::query_as!(
            BaseRow,
            "select centre_id, valid_from, amount_grosze, source from unemployment_benefit
             where centre_id = $1 or centre_id is null",
            centre_id
        )
        .fetch_all(&mut *db)
        .await?;
        let rules = sqlx::query_as!(
            RuleRow,
            "select centre_id, valid_from, base_percent, days_off_allowance, unjustified_num,
                    unjustified_den, forfeit_after, sick_num, sick_den, sick_day_limit, other_num,
                    other_den, other_day_limit, proration_den, bonus_cap_percent, bonus_in_trial,
                    pai_min_weekly_minutes, source
             from benefit_rule where centre_id = $1 or centre_id is null",
            centre_id
        )
        .fetch_all(db)
        .await?;
        Ok(Self {
            bases: Rules::new(bases),
            rules: Rules::new(rules),
        })
    }

    /// The rule in force on `on`, or `None` before the first rows.
    pub fn on(&self, on: Date) -> Option<BenefitRule> {
        let base = self.bases.on(on)?;
        let r = self.rules.on(on)?;
        Some(BenefitRule {
            unemployment_benefit_grosze: i64::from(base.amount_grosze),
            base_percent: i64::from(r.base_percent),
            days_off_allowance: i64::from(r.days_off_allowance),
            unjustified: Fraction::new(i64::from(r.unjustified_num), i64::from(r.unjustified_den)),
            forfeit_after_unjustified: i64::from(r.forfeit_after),
            sick: Fraction::new(i64::from(r.sick_num), i64::from(r.sick_den)),
            sick_day_limit: i64::from(r.sick_day_limit),
            other_justified: Fraction::new(i64::from(r.other_num), i64::from(r.other_den)),
            other_justified_limit: r.other_day_limit.map(i64::from),
            proration_den: i64::from(r.proration_den),
            bonus_cap_percent: i64::from(r.bonus_cap_percent),
            bonus_in_trial: r.bonus_in_trial,
            pai_min_weekly_minutes: i64::from(r.pai_min_weekly_minutes),
            source: r.source.clone(),
            benefit_source: base.source.clone(),
        })
    }
}

impl BenefitRules {
    /// The 1 June on or before `month`'s last day from which no amount of the unemployment
    /// benefit is recorded yet (the minister's notice not entered), if any: the month would be
    /// computed on the previous year's amount.
    pub fn missing_revaluation(&self, month: Date) -> Option<Date> {
        let last = crate::domain::calendar::month_end(month);
        let year = if u8::from(last.month()) >= 6 {
            last.year()
        } else {
            last.year() - 1
        };
        let june = Date::from_calendar_date(year, time::Month::June, 1).ok()?;
        let base = self.bases.on(last)?;
        (base.valid_from < june).then_some(june)
    }
}
