//! Database access: the connection pool, migrations, and the embedded cluster.

pub mod embedded;
pub mod rls;

use std::time::Duration;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgPool};

use crate::config::Config;

/// Migrations compiled into the binary from `migrations/`.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// The role the web server connects as; see `migrations/0001_setup.sql`.
pub const APP_ROLE: &str = "teczka_app";
/// Database name inside the embedded cluster.
pub const EMBEDDED_DATABASE: &str = "teczka";

/// The web server's pool. It connects lazily so that the server starts (and `/readyz` answers
/// 503) while the database is down, and gives up on a connection quickly so a request answers
/// with the 503 page instead of hanging. Connections are not pinged before every checkout: the
/// ping cost about a fifth of the list page's throughput (scripts/bench), and a connection left
/// dead by a database restart fails its first query instead, which answers 503 once and is
/// then dropped from the pool (tests/api/resilience.rs shows the recovery).
///
/// Every checkout names the centre the connection works for (`rls`, row-level security).
///
/// Prepared statements always run with a generic plan (`plan_cache_mode`): every query of the
/// app is an index-driven lookup, keyset page or capped count whose right plan does not depend
/// on the parameter values, and planning them again on every execution (PostgreSQL's default
/// for the first runs and whenever a custom plan looks cheaper) cost about a third of the list
/// page's throughput (README, "Performance").
pub fn app_pool(config: &Config, options: PgConnectOptions) -> PgPool {
    rls::pool_hooks(PgPoolOptions::new())
        .max_connections(config.db_max_connections)
        .acquire_timeout(config.db_acquire_timeout)
        .test_before_acquire(false)
        .idle_timeout(Duration::from_secs(600))
        .connect_lazy_with(options.application_name("teczka").options([
            ("statement_timeout", "15s"),
            ("idle_in_transaction_session_timeout", "30s"),
            ("plan_cache_mode", "force_generic_plan"),
        ]))
}

/// Options parsed from a `postgres://` URL.
pub fn options_from_url(url: &str) -> anyhow::Result<PgConnectOptions> {
    url.parse()
        .context("DATABASE_URL is not a valid PostgreSQL URL")
}

/// Applies every pending migration (run as the schema owner).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("migrations failed")
}

/// Versions of migrations compiled in but not yet applied to the database.
pub async fn pending_migrations(pool: &PgPool) -> anyhow::Result<Vec<i64>> {
    let exists: bool = sqlx::query_scalar("select to_regclass('_sqlx_migrations') is not null")
        .fetch_one(pool)
        .await?;
    let applied: Vec<i64> = if exists {
        sqlx::query_scalar("select version from _sqlx_migrations where success")
            .fetch_all(pool)
            .await?
    } else {
        Vec::new()
    };
    Ok(MIGRATOR
        .iter()
        .map(|m| m.version)
        .filter(|v| !applied.contains(v))
        .collect())
}

/// Starts the embedded cluster in `TECZKA_DATA_DIR` (the caller migrates or restores it).
pub fn start_embedded(config: &Config) -> anyhow::Result<embedded::EmbeddedCluster> {
    embedded::EmbeddedCluster::start(&embedded::ClusterOptions {
        base_dir: config.data_dir.clone(),
        bin_dir: config.pg_bin_dir.clone(),
        tuning: embedded::Tuning::Durable,
        kill_with_parent: false,
    })
}

/// Creates the database `name` in the embedded cluster if it is missing, migrates it as the
/// owner, and lets the application role log in over the (owner-only) socket.
pub async fn prepare_embedded(
    cluster: &embedded::EmbeddedCluster,
    name: &str,
) -> anyhow::Result<()> {
    create_embedded_database(cluster, name).await?;
    let owner = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster.connect_options(embedded::OWNER_ROLE, name))
        .await?;
    migrate(&owner).await?;
    owner
        .execute(format!("alter role {APP_ROLE} login").as_str())
        .await?;
    owner.close().await;
    Ok(())
}

/// Creates the (empty) database `name` in the embedded cluster if it is missing.
pub async fn create_embedded_database(
    cluster: &embedded::EmbeddedCluster,
    name: &str,
) -> anyhow::Result<()> {
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster.connect_options(embedded::OWNER_ROLE, "postgres"))
        .await
        .context("cannot connect to the embedded cluster")?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&admin)
            .await?;
    if !exists {
        admin
            .execute(format!("create database \"{name}\"").as_str())
            .await?;
    }
    admin.close().await;
    Ok(())
}

/// True when the error means "the database cannot be reached right now" (answer 503), as
/// opposed to a bug in a query (answer 500).
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        // A connection cut in the middle of the protocol (server shutting down, network).
        sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now;
            // 53300: too many connections.
            code.starts_with("08") || code.starts_with("57P") || code == "53300"
        }),
        _ => false,
    }
}

/// Stores a validated value as text: `Type` and `Encode` as its text, `Decode` through its
/// parser, so a stored value that does not parse is an error rather than a wrong page.
/// `text_column!(Pesel, |s| Pesel::parse(s), |v| v.as_str())`.
#[macro_export]
macro_rules! text_column {
    ($t:ty, $parse:expr, $text:expr) => {
        impl sqlx::Type<sqlx::Postgres> for $t {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <String as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Postgres> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                let text: fn(&$t) -> &str = $text;
                <&str as sqlx::Encode<'q, sqlx::Postgres>>::encode_by_ref(&text(self), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $t {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<'r, sqlx::Postgres>>::decode(value)?;
                let parse: fn(&str) -> Result<$t, sqlx::error::BoxDynError> = $parse;
                parse(text.trim_end())
            }
        }
    };
}
