//! The participation rules (LAW.md "Time"): how long the trial period and the participation
//! last, and the cap an extension may not pass. Effective-dated: the rule in force on the
//! admission date applies; a centre may override the installation default. The app and the demo
//! data read them the same way.

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use crate::domain::effective::{Rules, effective_dated};
use crate::validate::dates;

/// One row of `participation_rule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `None`: the installation default.
    pub centre_id: Option<Uuid>,
    /// In force from.
    pub valid_from: Date,
    /// The trial period, counted separately.
    pub trial_months: i32,
    /// Participation after the trial period.
    pub base_months: i32,
    /// The longest participation after the trial period, extensions included.
    pub cap_months: i32,
    /// The legal source, shown next to the rule.
    pub source: String,
}

effective_dated!(Rule);

/// The participation period an admission sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// End of the trial period.
    pub trial_ends_on: Date,
    /// Planned end of participation.
    pub planned_end_on: Date,
    /// The latest end an extension may reach.
    pub cap_end_on: Date,
}

impl Rule {
    /// The period of a participant admitted on `admitted`.
    pub fn period(&self, admitted: Date) -> Period {
        let trial_ends_on = dates::add_months(admitted, self.trial_months);
        Period {
            trial_ends_on,
            planned_end_on: dates::add_months(trial_ends_on, self.base_months),
            cap_end_on: dates::add_months(trial_ends_on, self.cap_months),
        }
    }

    /// The sentence the admission form shows.
    pub fn explain(&self) -> String {
        format!(
            "Okres próbny: {} mies. (liczony osobno), potem {} mies. uczestnictwa; łącznie najwyżej {} mies. po okresie próbnym. Podstawa: {}.",
            self.trial_months, self.base_months, self.cap_months, self.source
        )
    }
}

/// The participation rules that can apply in one centre.
pub type ParticipationRules = Rules<Rule>;

impl Rules<Rule> {
    /// Loads the installation's rules and `centre_id`'s own (a handful of rows).
    pub async fn load(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Self> {
        let rows = sqlx::query_as!(
            Rule,
            r#"select centre_id, valid_from, trial_months, base_months, cap_months, source
               from participation_rule
               where centre_id = $1 or centre_id is null"#,
            centre_id
        )
        .fetch_all(db)
        .await?;
        Ok(Self::new(rows))
    }
}
