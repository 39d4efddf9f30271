//! Structured logging with `tracing`.
//!
//! Log lines carry ids (request id, user id, participant id), never names, PESEL numbers,
//! passwords, cookies or form bodies: request headers marked sensitive are redacted before the
//! trace layer sees them, and handlers skip their form arguments.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber; `RUST_LOG` overrides the default filter.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    // A second init (tests) is harmless, so the error is ignored on purpose.
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
