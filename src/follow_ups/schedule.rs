//! The follow-up schedule: months after graduation at which a contact falls due, as an
//! effective-dated parameter (`follow_up_rule`), and the dated contacts it produces.

use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

use crate::domain::effective::{Rules, effective_dated};
use crate::validate::dates;

/// One row of `follow_up_rule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `None`: the installation default.
    pub centre_id: Option<Uuid>,
    /// In force from.
    pub valid_from: Date,
    /// Months after graduation at which contacts fall due, ascending.
    pub months: Vec<i32>,
    /// Where the schedule comes from.
    pub source: String,
}

effective_dated!(Rule);

impl Rule {
    /// The due dates of a participant who graduated on `graduated_on`.
    pub fn due_dates(&self, graduated_on: Date) -> Vec<Date> {
        self.months
            .iter()
            .map(|m| dates::add_months(graduated_on, *m))
            .collect()
    }
}

/// The follow-up schedules that can apply in one centre.
pub type FollowUpRules = Rules<Rule>;

impl Rules<Rule> {
    /// Loads the installation's schedules and `centre_id`'s own.
    pub async fn load(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Self> {
        let rows = sqlx::query_as!(
            Rule,
            r#"select centre_id, valid_from, months, source
               from follow_up_rule
               where centre_id = $1 or centre_id is null"#,
            centre_id
        )
        .fetch_all(db)
        .await?;
        Ok(Self::new(rows))
    }
}

/// Creates the whole schedule of a participant who graduated on `graduated_on`, in one
/// statement; without a rule in force nothing is scheduled (and the caller is told).
pub async fn create(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
    graduated_on: Date,
) -> sqlx::Result<usize> {
    let rules = FollowUpRules::load(&mut *conn, centre_id).await?;
    let due = rules
        .on(graduated_on)
        .map(|r| r.due_dates(graduated_on))
        .unwrap_or_default();
    let sequences: Vec<i32> = (1..).take(due.len()).collect();
    sqlx::query!(
        r#"insert into follow_up (participant_id, centre_id, sequence, due_on)
           select $1, $2, s.sequence, s.due_on from unnest($3::int[], $4::date[]) as s(sequence, due_on)"#,
        participant_id,
        centre_id,
        &sequences,
        &due
    )
    .execute(conn)
    .await?;
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_default_schedule_is_quarterly_then_half_yearly_for_three_years() {
        let rules = FollowUpRules::new(vec![Rule {
            centre_id: None,
            valid_from: date!(2003 - 06 - 13),
            months: vec![3, 6, 9, 12, 18, 24, 30, 36],
            source: "seed 002".into(),
        }]);
        let due = rules
            .on(date!(2026 - 11 - 30))
            .map(|r| r.due_dates(date!(2026 - 11 - 30)))
            .unwrap_or_default();
        assert_eq!(
            due,
            vec![
                date!(2027 - 02 - 28),
                date!(2027 - 05 - 30),
                date!(2027 - 08 - 30),
                date!(2027 - 11 - 30),
                date!(2028 - 05 - 30),
                date!(2028 - 11 - 30),
                date!(2029 - 05 - 30),
                date!(2029 - 11 - 30),
            ]
        );
    }

    #[test]
    fn a_centre_may_keep_contact_more_often_from_a_date() {
        let centre = Uuid::from_u128(5);
        let rules = FollowUpRules::new(vec![
            Rule {
                centre_id: None,
                valid_from: date!(2003 - 06 - 13),
                months: vec![3, 6, 9, 12, 18, 24, 30, 36],
                source: "seed 002".into(),
            },
            Rule {
                centre_id: Some(centre),
                valid_from: date!(2027 - 01 - 01),
                months: vec![1, 2, 3, 6, 9, 12, 18, 24, 30, 36],
                source: "uchwała".into(),
            },
        ]);
        assert_eq!(
            rules.on(date!(2026 - 12 - 31)).map(|r| r.months.len()),
            Some(8)
        );
        assert_eq!(
            rules.on(date!(2027 - 01 - 01)).map(|r| r.months.len()),
            Some(10)
        );
    }
}
