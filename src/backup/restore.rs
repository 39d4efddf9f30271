//! `teczka restore FILE`: into an empty database only, then the checks.
//!
//! Objects are created owned by the restoring role (`--no-owner`: the owner's name may differ
//! between installations) with the privileges the archive holds, which are those the
//! migrations granted to `teczka_app` (created here when the cluster lacks it). The archive's
//! default privileges name the role that made the backup; when another role restores, they
//! are applied for that role instead, so that tables of later migrations are granted as before.
//! Everything is one transaction: a failed restore leaves the database empty.

use std::io::{BufRead, IsTerminal};
use std::path::Path;

use anyhow::{Context, bail};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use super::{Opened, Report, archive_entries, check, client_program, run};
use crate::config::Config;
use crate::db::APP_ROLE;

/// `teczka restore FILE [--check-login LOGIN]`: fails when the database is not empty or the
/// restore fails; otherwise returns the checks' report (which may hold failures).
pub async fn restore(
    config: &Config,
    file: &Path,
    login: Option<(&str, &str)>,
) -> anyhow::Result<Report> {
    let entries = archive_entries(config, file)
        .await
        .with_context(|| format!("{} is not a readable backup", file.display()))?;
    let opened = Opened::open(config, true).await?;
    let result = restore_into(config, &opened, file, &entries, login).await;
    opened.close()?;
    result
}

async fn restore_into(
    config: &Config,
    opened: &Opened,
    file: &Path,
    entries: &[String],
    login: Option<(&str, &str)>,
) -> anyhow::Result<Report> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(opened.target.connect_options())
        .await
        .context("cannot connect to the database")?;
    let result = async {
        refuse_unless_empty(&pool, opened.cluster.is_some()).await?;
        ensure_app_role(&pool).await?;
        let me = sqlx::query_scalar!(r#"select current_user::text as "me!""#)
            .fetch_one(&pool)
            .await?;
        // Default privileges of another role than ours are left out and applied for us.
        let foreign: Vec<&String> = entries
            .iter()
            .filter(|e| e.contains(" DEFAULT ACL ") && e.split_whitespace().last() != Some(&me))
            .collect();
        let list = ListFile::write(entries.iter().filter(|e| !foreign.contains(e)))?;
        let (mut command, _password) = opened
            .target
            .command(&client_program(config.pg_bin_dir.as_deref(), "pg_restore"))?;
        command
            .args(["--no-owner", "--single-transaction", "--exit-on-error"])
            .arg("--use-list")
            .arg(&list.0)
            .arg(file);
        run(command, "pg_restore").await?;
        if !foreign.is_empty() {
            adopt_default_privileges(config, &pool, file, &foreign).await?;
        }
        if opened.cluster.is_some() {
            // As `prepare_embedded` does: the app role logs in over the owner-only socket.
            sqlx::query("alter role teczka_app login")
                .execute(&pool)
                .await?;
        }
        check(&pool, login).await
    }
    .await;
    pool.close().await;
    result
}

/// Fails unless the database holds no table, view or sequence of its own.
async fn refuse_unless_empty(pool: &PgPool, embedded: bool) -> anyhow::Result<()> {
    let found = sqlx::query!(
        r#"select current_database()::text as "database!", count(*) as "relations!"
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname not in ('pg_catalog', 'information_schema')
             and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'
             and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')"#
    )
    .fetch_one(pool)
    .await?;
    if found.relations > 0 {
        let how = if embedded {
            "set TECZKA_DATA_DIR to a new folder (a new embedded cluster is created there)"
        } else {
            "create a new one (CREATE DATABASE … OWNER …) and point TECZKA_MIGRATION_DATABASE_URL at it"
        };
        bail!(
            "the database `{}` is not empty ({} tables, views or sequences); a backup is restored only into an empty database: {how}",
            found.database,
            found.relations
        );
    }
    Ok(())
}

/// The archive's privileges name `teczka_app`, a role of the whole cluster: a new cluster
/// gets it as the first migration creates it (it logs in only where the administrator says).
async fn ensure_app_role(pool: &PgPool) -> anyhow::Result<()> {
    let exists = sqlx::query_scalar!(
        r#"select exists (select 1 from pg_roles where rolname = $1) as "exists!""#,
        APP_ROLE
    )
    .fetch_one(pool)
    .await?;
    if !exists
        && let Err(e) = sqlx::query("create role teczka_app nologin")
            .execute(pool)
            .await
    {
        bail!(
            "the role {APP_ROLE} does not exist in this cluster and cannot be created here ({e}); create it first: CREATE ROLE {APP_ROLE} NOLOGIN"
        );
    }
    Ok(())
}

/// Applies the archive's default privileges (`ALTER DEFAULT PRIVILEGES FOR ROLE <maker> …`)
/// for the restoring role: the same statements without their `FOR ROLE` clause.
async fn adopt_default_privileges(
    config: &Config,
    pool: &PgPool,
    file: &Path,
    entries: &[&String],
) -> anyhow::Result<()> {
    let list = ListFile::write(entries.iter().copied())?;
    let mut command =
        std::process::Command::new(client_program(config.pg_bin_dir.as_deref(), "pg_restore"));
    command
        .args(["--file", "-", "--use-list"])
        .arg(&list.0)
        .arg(file);
    let output = run(command, "pg_restore (default privileges)").await?;
    let sql = String::from_utf8_lossy(&output.stdout);
    let mut tx = pool.begin().await?;
    for statement in sql
        .lines()
        .filter(|l| l.starts_with("ALTER DEFAULT PRIVILEGES "))
    {
        let Some(rest) = statement
            .strip_prefix("ALTER DEFAULT PRIVILEGES FOR ROLE ")
            .and_then(|r| r.split_once(" IN SCHEMA "))
            .map(|(_, rest)| rest)
        else {
            bail!("unexpected default privileges in the backup: {statement}");
        };
        // The archive's own statement (pg_restore wrote it), minus the `FOR ROLE` clause.
        let adopted = ["ALTER DEFAULT PRIVILEGES IN SCHEMA ", rest].concat();
        sqlx::raw_sql(&adopted).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A `pg_restore --use-list` file (removed on drop).
struct ListFile(std::path::PathBuf);

impl ListFile {
    fn write<'a>(entries: impl Iterator<Item = &'a String>) -> anyhow::Result<Self> {
        let path =
            std::env::temp_dir().join(format!("teczka-restore-{}.list", uuid::Uuid::new_v4()));
        let text: String = entries.map(|e| format!("{e}\n")).collect();
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for ListFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The password for `--check-login`, one line on standard input (never an argument, where
/// `ps` would show it).
pub fn read_password(login: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Hasło konta `{login}` (widoczne podczas pisania): ");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        bail!("--check-login needs the account's password on standard input");
    }
    Ok(password.to_owned())
}
