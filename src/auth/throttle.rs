//! Failed-login counter per login name: progressive delay, then a temporary lock.
//!
//! After `DELAY_AFTER` consecutive failures each further attempt must wait 1, 2, 4 … 64 s after
//! the previous failure; at `LOCK_AFTER` failures the login is locked for `LOCK_MINUTES`, and
//! every further failure locks it again. A successful login or an administrator's unlock resets
//! the counter. This caps guessing far below 100 attempts per hour per account (ASVS 2.2.1).
//! Counters exist for any login typed, known or not, so the replies reveal nothing.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

/// Consecutive failures before delays start.
pub const DELAY_AFTER: i32 = 5;
/// Consecutive failures that lock the login.
pub const LOCK_AFTER: i32 = 10;
/// Length of the lock.
pub const LOCK_MINUTES: i64 = 15;

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Open,
    /// Refuse without checking; retry after this many seconds.
    Wait(i64),
}

/// Locks the counter row for `key` for the rest of the transaction (creating it if needed),
/// so concurrent attempts on one login are decided one at a time, and says whether to proceed.
pub async fn gate(conn: &mut PgConnection, key: &str, now: OffsetDateTime) -> sqlx::Result<Gate> {
    // One statement: the row is made or locked, and read. (An insert, then a `select … for
    // update`, let the pruning of counters delete a counter of nothing between the two: the
    // code step of a login, whose password step had made it, then failed with no row.)
    let row = sqlx::query!(
        "insert into login_throttle (login_key) values ($1)
         on conflict (login_key) do update set login_key = excluded.login_key
         returning failed_count, last_failed_at, locked_until",
        key
    )
    .fetch_one(&mut *conn)
    .await?;
    if let Some(until) = row.locked_until
        && until > now
    {
        return Ok(Gate::Wait(seconds_until(now, until)));
    }
    if row.failed_count >= DELAY_AFTER
        && let Some(last) = row.last_failed_at
    {
        let exponent = u32::try_from((row.failed_count - DELAY_AFTER).min(6)).unwrap_or(6);
        let next = last + time::Duration::seconds(1 << exponent);
        if next > now {
            return Ok(Gate::Wait(seconds_until(now, next)));
        }
    }
    Ok(Gate::Open)
}

/// Counts one failure; returns true when this failure locked the login.
pub async fn record_failure(
    conn: &mut PgConnection,
    key: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let lock_until = now + time::Duration::minutes(LOCK_MINUTES);
    let row = sqlx::query!(
        r#"
        update login_throttle
        set failed_count = failed_count + 1,
            last_failed_at = $2,
            locked_until = case when failed_count + 1 >= $3 then $4 else locked_until end
        where login_key = $1
        returning failed_count
        "#,
        key,
        now,
        LOCK_AFTER,
        lock_until,
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.failed_count >= LOCK_AFTER)
}

/// Clears the counter (successful login, administrator's unlock).
pub async fn reset(conn: &mut PgConnection, key: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from login_throttle where login_key = $1", key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether the login is locked or delayed right now (for the staff list).
pub async fn is_blocked(
    conn: &mut PgConnection,
    key: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let row = sqlx::query!(
        "select locked_until from login_throttle where login_key = $1",
        key
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .and_then(|r| r.locked_until)
        .is_some_and(|until| until > now))
}

fn seconds_until(now: OffsetDateTime, then: OffsetDateTime) -> i64 {
    (then - now).whole_seconds().max(1)
}

/// Drops old failure counters that are no longer locking anything.
pub async fn forget_old_failures(db: impl PgExecutor<'_>, now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from login_throttle where (last_failed_at is null or last_failed_at < $1) and (locked_until is null or locked_until < $2)",
        now - time::Duration::days(1),
        now,
    )
    .execute(db)
    .await?;
    Ok(())
}
