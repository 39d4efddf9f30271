//! Effective-dated parameters: every legal or standard duration (the participation period, the
//! follow-up schedule, …) is a row in force from a date, for the whole installation or for one
//! centre, never a constant in code. One rule picks the row in force on a date for every kind.

use time::Date;
use uuid::Uuid;

/// A parameter row in force from `valid_from`, for the installation (`centre_id` none) or for
/// one centre.
pub trait EffectiveDated {
    /// The first day the row applies.
    fn valid_from(&self) -> Date;
    /// The centre whose own row this is; `None` for the installation default.
    fn centre_id(&self) -> Option<Uuid>;
}

/// Implements [`EffectiveDated`] for a row struct with `valid_from: Date` and
/// `centre_id: Option<Uuid>` fields.
macro_rules! effective_dated {
    ($row:ty) => {
        impl $crate::domain::effective::EffectiveDated for $row {
            fn valid_from(&self) -> time::Date {
                self.valid_from
            }

            fn centre_id(&self) -> Option<uuid::Uuid> {
                self.centre_id
            }
        }
    };
}
pub(crate) use effective_dated;

/// The row in force on `on`: the latest one that started by then; on the same start date a
/// centre's own row wins over the installation default. `rows` hold the installation's rows and
/// one centre's.
pub fn in_force<T: EffectiveDated>(rows: &[T], on: Date) -> Option<&T> {
    rows.iter()
        .filter(|r| r.valid_from() <= on)
        .max_by_key(|r| (r.valid_from(), r.centre_id().is_some()))
}

/// The rows of one parameter that can apply in one centre: the installation's and the centre's
/// own. Each parameter's area loads them (`impl Rules<ItsRow> { async fn load(..) }`).
#[derive(Debug, Clone)]
pub struct Rules<T>(Vec<T>);

impl<T: EffectiveDated> Rules<T> {
    /// Rules from their rows.
    pub fn new(rows: Vec<T>) -> Self {
        Self(rows)
    }

    /// The row in force on `on`.
    pub fn on(&self, on: Date) -> Option<&T> {
        in_force(&self.0, on)
    }

    /// Every row, in no particular order (the settings screen lists them).
    pub fn rows(&self) -> &[T] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    struct Row(Date, Option<Uuid>, u8);

    impl EffectiveDated for Row {
        fn valid_from(&self) -> Date {
            self.0
        }
        fn centre_id(&self) -> Option<Uuid> {
            self.1
        }
    }

    #[test]
    fn the_latest_row_started_by_the_date_applies_and_a_centre_wins_a_tie() {
        let centre = Some(Uuid::from_u128(7));
        let rows = [
            Row(date!(2003 - 06 - 13), None, 1),
            Row(date!(2022 - 02 - 15), None, 2),
            Row(date!(2022 - 02 - 15), centre, 3),
            Row(date!(2030 - 01 - 01), None, 4),
        ];
        let pick = |on| in_force(&rows, on).map(|r| r.2);
        assert_eq!(pick(date!(2003 - 06 - 12)), None);
        assert_eq!(pick(date!(2003 - 06 - 13)), Some(1));
        assert_eq!(pick(date!(2022 - 02 - 14)), Some(1));
        assert_eq!(pick(date!(2022 - 02 - 15)), Some(3));
        assert_eq!(pick(date!(2029 - 12 - 31)), Some(3));
        assert_eq!(pick(date!(2030 - 01 - 01)), Some(4));
    }
}
