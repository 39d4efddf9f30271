//! Configuration, read once from the environment at start-up and passed explicitly.
//!
//! Every variable is documented in README.md and `.env.example`. A malformed value stops the
//! program with the variable's name; nothing is read from the environment after start-up.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};

/// A string that must never reach a log line (database URLs may hold passwords).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call only where the value is used, never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line (production, journald).
    Json,
    /// Human-readable lines (development).
    Pretty,
}

/// Who must log in with a second factor (a code from an authenticator app) after the password.
/// An account that has set one up always uses it, whatever this says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactorRequirement {
    /// Nobody (demo mode; the test harness's fixture accounts).
    Nobody,
    /// The administrator and the manager (the default).
    AdminAndManager,
    /// Every role (`TECZKA_SECOND_FACTOR=everyone`).
    Everyone,
}

/// The whole configuration of a running Teczka server.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address the HTTP server listens on (`TECZKA_BIND`).
    pub bind: SocketAddr,
    /// External PostgreSQL used by the web server (`DATABASE_URL`); `None` means embedded.
    pub database_url: Option<Secret>,
    /// URL used by `teczka migrate` (`TECZKA_MIGRATION_DATABASE_URL`, default `DATABASE_URL`).
    pub migration_database_url: Option<Secret>,
    /// Folder of the embedded cluster (`TECZKA_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Folder holding `initdb`/`postgres` (`TECZKA_PG_BINDIR`); found automatically when unset.
    pub pg_bin_dir: Option<PathBuf>,
    /// Demo mode: fictional data and a "DEMO" marker on every page.
    pub demo: bool,
    /// A session ends after this long without a request (`TECZKA_SESSION_IDLE_MINUTES`).
    pub session_idle: Duration,
    /// A session ends this long after login, whatever the activity (`TECZKA_SESSION_ABSOLUTE_HOURS`).
    pub session_absolute: Duration,
    /// The stored "last seen" time is refreshed at most this often (saves a write per request).
    pub session_touch_interval: Duration,
    /// How long before the idle timeout the page warns the user (WCAG 2.2.1).
    pub session_warning: Duration,
    /// Login attempts one client IP may make in a burst (`TECZKA_LOGIN_RATE_BURST`).
    pub login_rate_burst: u32,
    /// One more attempt is allowed after each such period (`TECZKA_LOGIN_RATE_PERIOD_SECONDS`).
    pub login_rate_period: Duration,
    /// Downloads of lists (CSV, XLSX, a subject-access export) one account may make in a burst
    /// (`TECZKA_EXPORT_RATE_BURST`): a bound on how fast a stolen session can carry data off.
    pub export_rate_burst: u32,
    /// One more download is allowed after each such period
    /// (`TECZKA_EXPORT_RATE_PERIOD_SECONDS`).
    pub export_rate_period: Duration,
    /// A reverse proxy whose `X-Forwarded-For` is trusted (`TECZKA_TRUSTED_PROXY`).
    pub trusted_proxy: Option<IpAddr>,
    /// Pool size (`TECZKA_DB_MAX_CONNECTIONS`; default [`default_pool_size`]).
    pub db_max_connections: u32,
    /// How long a request waits for a database connection before a 503 (`TECZKA_DB_ACQUIRE_TIMEOUT_SECONDS`).
    pub db_acquire_timeout: Duration,
    /// Upper bound on one request (`TECZKA_REQUEST_TIMEOUT_SECONDS`).
    pub request_timeout: Duration,
    /// Password hashes computed at once (`TECZKA_HASH_CONCURRENCY`); each takes 19 MiB.
    pub hash_concurrency: usize,
    /// How long a one-time password stays valid (`TECZKA_ONE_TIME_PASSWORD_HOURS`).
    pub one_time_password_ttl: Duration,
    /// Log format (`TECZKA_LOG_FORMAT` = `json` | `pretty`).
    pub log_format: LogFormat,
    /// Who must use a second factor (`TECZKA_SECOND_FACTOR` = `admin-and-manager` | `everyone`).
    pub second_factor: SecondFactorRequirement,
    /// The file holding the key that encrypts the second-factor secrets
    /// (`TECZKA_SECRET_KEY_FILE`); required with `DATABASE_URL`, created in `data_dir` when
    /// embedded (`security::sealed::key_file`).
    pub secret_key_file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            migration_database_url: None,
            data_dir: PathBuf::from(".teczka"),
            pg_bin_dir: None,
            demo: false,
            session_idle: Duration::from_secs(15 * 60),
            session_absolute: Duration::from_secs(8 * 3600),
            session_touch_interval: Duration::from_secs(60),
            session_warning: Duration::from_secs(120),
            login_rate_burst: 10,
            login_rate_period: Duration::from_secs(6),
            export_rate_burst: 20,
            export_rate_period: Duration::from_secs(30),
            trusted_proxy: None,
            db_max_connections: default_pool_size(),
            db_acquire_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(30),
            hash_concurrency: 2,
            one_time_password_ttl: Duration::from_secs(24 * 3600),
            log_format: LogFormat::Pretty,
            second_factor: SecondFactorRequirement::AdminAndManager,
            secret_key_file: None,
        }
    }
}

impl Config {
    /// Reads every `TECZKA_*` variable and `DATABASE_URL`; fails with the variable's name.
    pub fn from_env() -> anyhow::Result<Self> {
        let d = Self::default();
        let database_url = optional("DATABASE_URL").map(Secret::new);
        let migration_database_url = optional("TECZKA_MIGRATION_DATABASE_URL")
            .map(Secret::new)
            .or_else(|| database_url.clone());
        let log_format = match optional("TECZKA_LOG_FORMAT").as_deref() {
            None => {
                if database_url.is_some() {
                    LogFormat::Json
                } else {
                    LogFormat::Pretty
                }
            }
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => bail!("TECZKA_LOG_FORMAT must be `json` or `pretty`, not `{other}`"),
        };
        let config = Self {
            bind: parsed("TECZKA_BIND", d.bind)?,
            database_url,
            migration_database_url,
            data_dir: optional("TECZKA_DATA_DIR").map_or(d.data_dir, PathBuf::from),
            pg_bin_dir: optional("TECZKA_PG_BINDIR").map(PathBuf::from),
            demo: false,
            session_idle: minutes(parsed("TECZKA_SESSION_IDLE_MINUTES", 15)?),
            session_absolute: minutes(60 * parsed::<u64>("TECZKA_SESSION_ABSOLUTE_HOURS", 8)?),
            session_touch_interval: d.session_touch_interval,
            session_warning: d.session_warning,
            login_rate_burst: parsed("TECZKA_LOGIN_RATE_BURST", d.login_rate_burst)?,
            login_rate_period: Duration::from_secs(parsed("TECZKA_LOGIN_RATE_PERIOD_SECONDS", 6)?),
            export_rate_burst: parsed("TECZKA_EXPORT_RATE_BURST", d.export_rate_burst)?,
            export_rate_period: Duration::from_secs(parsed(
                "TECZKA_EXPORT_RATE_PERIOD_SECONDS",
                d.export_rate_period.as_secs(),
            )?),
            trusted_proxy: optional("TECZKA_TRUSTED_PROXY")
                .map(|v| {
                    v.parse()
                        .context("TECZKA_TRUSTED_PROXY must be an IP address")
                })
                .transpose()?,
            db_max_connections: parsed("TECZKA_DB_MAX_CONNECTIONS", d.db_max_connections)?,
            db_acquire_timeout: Duration::from_secs(parsed(
                "TECZKA_DB_ACQUIRE_TIMEOUT_SECONDS",
                3,
            )?),
            request_timeout: Duration::from_secs(parsed("TECZKA_REQUEST_TIMEOUT_SECONDS", 30)?),
            hash_concurrency: parsed("TECZKA_HASH_CONCURRENCY", d.hash_concurrency)?,
            one_time_password_ttl: minutes(
                60 * parsed::<u64>("TECZKA_ONE_TIME_PASSWORD_HOURS", 24)?,
            ),
            log_format,
            second_factor: match optional("TECZKA_SECOND_FACTOR").as_deref() {
                None | Some("admin-and-manager") => SecondFactorRequirement::AdminAndManager,
                Some("everyone") => SecondFactorRequirement::Everyone,
                Some(other) => bail!(
                    "TECZKA_SECOND_FACTOR must be `admin-and-manager` or `everyone`, not `{other}`"
                ),
            },
            secret_key_file: optional("TECZKA_SECRET_KEY_FILE").map(PathBuf::from),
        };
        config.check()?;
        Ok(config)
    }

    /// Whether an account with `role` must log in with a second factor (never in demo mode,
    /// where the demo logins work with the password alone).
    pub fn requires_second_factor(&self, role: crate::domain::Role) -> bool {
        use crate::domain::Role;
        !self.demo
            && match self.second_factor {
                SecondFactorRequirement::Nobody => false,
                SecondFactorRequirement::AdminAndManager => {
                    matches!(role, Role::Admin | Role::Manager)
                }
                SecondFactorRequirement::Everyone => true,
            }
    }

    /// Rejects combinations that cannot work.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.session_idle.is_zero() || self.session_absolute < self.session_idle {
            bail!(
                "TECZKA_SESSION_IDLE_MINUTES must be > 0 and not longer than the absolute timeout"
            );
        }
        if self.login_rate_burst == 0
            || self.export_rate_burst == 0
            || self.hash_concurrency == 0
            || self.db_max_connections == 0
        {
            bail!(
                "TECZKA_LOGIN_RATE_BURST, TECZKA_EXPORT_RATE_BURST, TECZKA_HASH_CONCURRENCY and TECZKA_DB_MAX_CONNECTIONS must be > 0"
            );
        }
        Ok(())
    }
}

fn minutes(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

fn optional(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: fmt::Display,
{
    match optional(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("{name} has an invalid value `{v}`: {e}")),
    }
}

/// Twice the CPU cores plus one (5 on two cores): PostgreSQL does its best with about as many
/// busy connections as it has cores to run them; on the two-core machines here 10 connections
/// served the file page about a fifth slower than 3–6 did (scripts/bench).
pub fn default_pool_size() -> u32 {
    std::thread::available_parallelism()
        .map(|n| {
            u32::try_from(n.get())
                .unwrap_or(4)
                .saturating_mul(2)
                .saturating_add(1)
        })
        .unwrap_or(5)
}
