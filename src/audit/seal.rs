//! The sealed audit chain (schema part 31): a background task seals the audit rows written
//! since the last seal, in batches, into a hash chain; `teczka audit verify` checks it whole.
//! Both go through SECURITY DEFINER functions: the app role reads neither the log nor the seals.

use std::time::Duration;

use sqlx::PgExecutor;

/// Rows per seal.
pub const BATCH: i32 = 5_000;

/// How long a row waits before it may be sealed: longer than any transaction of the app lives
/// (statement_timeout 15 s, idle_in_transaction 30 s), so no row can still commit into a range
/// once it is sealed.
pub const SETTLE: Duration = Duration::from_secs(120);

/// How often the server seals.
pub const EVERY: Duration = Duration::from_secs(5);

/// Seals one batch of rows older than `settle`; returns how many rows it sealed.
pub async fn seal_batch(db: impl PgExecutor<'_>, settle: Duration) -> sqlx::Result<i32> {
    let sealed = sqlx::query_scalar!(
        r#"select audit_seal_next($1, make_interval(secs => $2)) as "sealed!""#,
        BATCH,
        settle.as_secs_f64()
    )
    .fetch_one(db)
    .await?;
    Ok(sealed)
}

/// Seals every settled row, a batch (one transaction) at a time: stopped anywhere, the next run
/// seals what is left. Returns the rows sealed.
pub async fn seal_pending(db: &sqlx::PgPool, settle: Duration) -> sqlx::Result<i64> {
    let mut total = 0i64;
    loop {
        let sealed = seal_batch(db, settle).await?;
        total += i64::from(sealed);
        if sealed < BATCH {
            return Ok(total);
        }
    }
}

/// What a check of the whole chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Seals that matched, from the first.
    pub seals: i64,
    /// Events they cover.
    pub events: i64,
    /// Events after the last seal (written recently, or never sealed).
    pub unsealed: i64,
    /// The first seal that does not match, with what is wrong (in Polish).
    pub broken: Option<(i64, String)>,
}

/// Checks every seal against the rows it covers and the seal before it.
pub async fn verify(db: impl PgExecutor<'_>) -> sqlx::Result<Verification> {
    let row = sqlx::query!(
        r#"select v.seals as "seals!", v.events as "events!", v.broken_seal, v.problem,
                  audit_unsealed() as "unsealed!"
           from audit_verify() v"#
    )
    .fetch_one(db)
    .await?;
    Ok(Verification {
        seals: row.seals,
        events: row.events,
        unsealed: row.unsealed,
        broken: row.broken_seal.zip(row.problem),
    })
}

impl Verification {
    /// The report `teczka audit verify` prints.
    pub fn report(&self) -> String {
        let mut out = format!(
            "Pieczęcie dziennika zdarzeń: {} zgodnych, obejmują {} zdarzeń; bez pieczęci (ostatnie lub niezapieczętowane): {}.",
            self.seals, self.events, self.unsealed
        );
        if let Some((seal, problem)) = &self.broken {
            out.push_str(&format!(
                "\nPIERWSZA NIEZGODNA PIECZĘĆ: nr {seal} – {problem}."
            ));
        }
        out
    }
}
