//! The state every handler shares: the pool, the configuration, the clock and the security
//! services. It sits on the ground floor so that every area can take it without importing the
//! application that assembles them.

use std::sync::Arc;

use sqlx::PgPool;

use crate::clock::Clock;
use crate::config::Config;
use crate::security::password::Passwords;
use crate::security::ratelimit::RateLimiter;
use crate::security::sealed;

/// State shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Pool connected as the application role.
    pub db: PgPool,
    /// Configuration read at start-up.
    pub config: Arc<Config>,
    /// Source of "now" for sessions and lockouts.
    pub clock: Clock,
    /// Password hashing off the async executor.
    pub passwords: Arc<Passwords>,
    /// Per-IP limit on login attempts.
    pub login_limiter: Arc<RateLimiter>,
    /// Per-account limit on downloads of lists (`Route::export`).
    pub export_limiter: Arc<RateLimiter<uuid::Uuid>>,
    /// The key that seals the second-factor secrets (`TECZKA_SECRET_KEY_FILE`).
    pub sealing_key: Arc<sealed::Key>,
}

impl AppState {
    /// State for `config` on `db`; fails without a readable key file (the caller resolves it
    /// with `sealed::key_file` first).
    pub fn new(config: Config, db: PgPool) -> anyhow::Result<Self> {
        let passwords = Passwords::new(config.hash_concurrency)?;
        let sealing_key = Arc::new(sealed::Key::from_config(&config)?);
        Ok(Self {
            sealing_key,
            db,
            login_limiter: Arc::new(RateLimiter::new(
                config.login_rate_burst,
                config.login_rate_period,
            )),
            export_limiter: Arc::new(RateLimiter::new(
                config.export_rate_burst,
                config.export_rate_period,
            )),
            config: Arc::new(config),
            clock: Clock::default(),
            passwords: Arc::new(passwords),
        })
    }

    /// Today's date in Poland, by the app's clock.
    pub fn today(&self) -> time::Date {
        crate::validate::dates::polish_today(self.clock.now())
    }
}
