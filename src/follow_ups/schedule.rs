//! The follow-up schedule: months after graduation at which a contact falls due, as an
//! effective-dated parameter (`follow_up_rule`), and the dated contacts it produces. The same
//! rule carries the tolerance window around every due date, the interval of closer contact and
//! how long the follow-up lasts.
//!
//! Which row applies: the one in force on the graduation date fixes the due dates and the end of
//! the follow-up (`participant.follow_up_until`, the last due date's window included); the one
//! in force on the day a question is asked gives the window and the closer interval (today's
//! for the lists, the contact date's for what a contact fulfils), so a centre's change "from a
//! date" applies from that date on.

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
    /// Days before and after a due date within which a contact counts for it.
    pub window_days: i32,
    /// Days to the next contact while the graduate needs closer contact.
    pub closer_days: i32,
    /// Months the follow-up lasts after graduation.
    pub lasts_months: i32,
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

    /// The last day of the follow-up of a participant who graduated on `graduated_on`: when the
    /// window of the last due date (`lasts_months` on) closes, so that a contact made within it
    /// can still be recorded (migration 25 computes the same in SQL).
    pub fn until(&self, graduated_on: Date) -> Date {
        dates::add_months(graduated_on, self.lasts_months)
            + time::Duration::days(i64::from(self.window_days))
    }
}

/// The follow-up schedules that can apply in one centre.
pub type FollowUpRules = Rules<Rule>;

impl Rules<Rule> {
    /// Loads the installation's schedules and `centre_id`'s own.
    pub async fn load(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Self> {
        let rows = sqlx::query_as!(
            Rule,
            r#"select centre_id, valid_from, months, window_days, closer_days, lasts_months, source
               from follow_up_rule
               where centre_id = $1 or centre_id is null"#,
            centre_id
        )
        .fetch_all(db)
        .await?;
        Ok(Self::new(rows))
    }
}

/// The window (days either side of a due date) and the closer-contact interval in force in a
/// centre on a day. Without a rule there is no tolerance and no closer item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Days before and after a due date.
    pub window_days: i32,
    /// Days to the next contact under closer contact (none: no rule).
    pub closer_days: Option<i32>,
}

impl Rules<Rule> {
    /// The timing in force on `on`.
    pub fn timing(&self, on: Date) -> Timing {
        self.on(on).map_or(
            Timing {
                window_days: 0,
                closer_days: None,
            },
            |r| Timing {
                window_days: r.window_days,
                closer_days: Some(r.closer_days),
            },
        )
    }
}

/// The timing in force in `centre_id` on `on`.
pub async fn timing(db: impl PgExecutor<'_>, centre_id: Uuid, on: Date) -> sqlx::Result<Timing> {
    Ok(FollowUpRules::load(db, centre_id).await?.timing(on))
}

/// Creates the whole schedule of a participant who graduated on `graduated_on` and fixes the
/// end of their follow-up, in the graduation's transaction; without a rule in force nothing is
/// scheduled (and the caller is told).
pub async fn create(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
    graduated_on: Date,
) -> sqlx::Result<usize> {
    let rules = FollowUpRules::load(&mut *conn, centre_id).await?;
    let Some(rule) = rules.on(graduated_on) else {
        return Ok(0);
    };
    let due = rule.due_dates(graduated_on);
    sqlx::query!(
        "update participant set follow_up_until = $2, follow_up_closer_since = null where participant_id = $1",
        participant_id,
        rule.until(graduated_on)
    )
    .execute(&mut *conn)
    .await?;
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

/// The installation's default as migration 3 and 22 store it (unit tests).
#[cfg(test)]
pub(super) fn standard() -> Rule {
    Rule {
        centre_id: None,
        valid_from: time::macros::date!(2003 - 06 - 13),
        months: vec![3, 6, 9, 12, 18, 24, 30, 36],
        window_days: 14,
        closer_days: 30,
        lasts_months: 36,
        source: "seed 002".into(),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_default_schedule_is_quarterly_then_half_yearly_for_three_years() {
        let rules = FollowUpRules::new(vec![standard()]);
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
            standard(),
            Rule {
                centre_id: Some(centre),
                valid_from: date!(2027 - 01 - 01),
                months: vec![1, 2, 3, 6, 9, 12, 18, 24, 30, 36],
                window_days: 7,
                closer_days: 14,
                lasts_months: 36,
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
