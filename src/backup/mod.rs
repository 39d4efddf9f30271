//! `teczka backup FILE` and `teczka restore FILE` (issue 14): a `pg_dump` archive in custom
//! format of the whole database (the scans of signed documents live in `document_scan`, so they
//! are in it), and its restore into an empty database followed by the checks of [`check`].
//!
//! Both work as the schema owner: on `TECZKA_MIGRATION_DATABASE_URL` (default `DATABASE_URL`)
//! or on the embedded cluster in `TECZKA_DATA_DIR`. Neither migrates: a backup taken before an
//! upgrade must hold the schema as it was.

mod check;
mod restore;
mod target;

use std::fs;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use anyhow::{Context, bail};
use sqlx::postgres::PgPoolOptions;

use crate::config::Config;
use crate::db::embedded::EmbeddedCluster;
use crate::db::{self, EMBEDDED_DATABASE};

pub use check::{Report, check};
pub use restore::{read_password, restore};
use target::{PgTarget, client_program};

/// The owner's view of the database a command works on, and the embedded cluster started for
/// it (if any), stopped by [`Opened::close`] unless it belongs to a running server.
struct Opened {
    target: PgTarget,
    cluster: Option<EmbeddedCluster>,
}

impl Opened {
    /// Opens the configured database; on the embedded cluster, `create` creates the (empty)
    /// database when it is missing.
    async fn open(config: &Config, create: bool) -> anyhow::Result<Self> {
        match &config.migration_database_url {
            Some(url) => Ok(Self {
                target: PgTarget::from_url(url)?,
                cluster: None,
            }),
            None => {
                let cluster = db::start_embedded(config)?;
                let opened = Self {
                    target: PgTarget::embedded(&cluster, EMBEDDED_DATABASE),
                    cluster: Some(cluster),
                };
                if create
                    && let Some(cluster) = &opened.cluster
                    && let Err(e) = db::create_embedded_database(cluster, EMBEDDED_DATABASE).await
                {
                    opened.close()?;
                    return Err(e);
                }
                Ok(opened)
            }
        }
    }

    /// Stops the embedded cluster if this command started it.
    fn close(self) -> anyhow::Result<()> {
        match self.cluster {
            Some(cluster) if !cluster.adopted() => cluster.stop(),
            _ => Ok(()),
        }
    }
}

/// What a finished backup wrote.
#[derive(Debug)]
pub struct Written {
    /// Size of the archive in bytes.
    pub bytes: u64,
    /// Tables whose rows it holds.
    pub tables: usize,
    /// The last seal of the audit chain when the backup began (its number and hash), which
    /// the archive holds; kept in the backup's log, outside the database.
    pub last_seal: Option<(i64, String)>,
}

impl Written {
    /// What `teczka backup` prints.
    pub fn report(&self, file: &Path) -> String {
        let mut out = format!(
            "Kopia zapisana: {} ({:.1} MB, {} tabel).",
            file.display(),
            self.bytes as f64 / 1_000_000.0,
            self.tables
        );
        if let Some((id, hash)) = &self.last_seal {
            out.push_str(&format!(
                "\nOstatnia pieczęć dziennika zdarzeń w kopii: nr {id}, skrót {hash}."
            ));
        }
        out
    }
}

/// `teczka backup FILE`: `pg_dump -Fc` into a temporary file beside FILE (mode 0600), checked
/// readable by `pg_restore --list`, flushed to disk and renamed over FILE only then.
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<Written> {
    let opened = Opened::open(config, false).await?;
    let result = dump(config, &opened.target, file).await;
    opened.close()?;
    result
}

async fn dump(config: &Config, target: &PgTarget, file: &Path) -> anyhow::Result<Written> {
    let last_seal = last_seal(target).await?;
    let temporary = temporary_beside(file)?;
    let result = async {
        let (mut command, _password) =
            target.command(&client_program(config.pg_bin_dir.as_deref(), "pg_dump"))?;
        command
            .args(["--format=custom", "--lock-wait-timeout=60000", "--file"])
            .arg(&temporary);
        run(command, "pg_dump").await?;
        let tables = archive_entries(config, &temporary)
            .await?
            .iter()
            .filter(|line| line.contains(" TABLE DATA "))
            .count();
        fs::File::open(&temporary)?.sync_all()?;
        fs::rename(&temporary, file)
            .with_context(|| format!("cannot rename the backup to {}", file.display()))?;
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(Written {
            bytes: fs::metadata(file)?.len(),
            tables,
            last_seal,
        })
    }
    .await;
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Creates `.FILE.<random>.tmp` in FILE's folder, readable by its owner only.
fn temporary_beside(file: &Path) -> anyhow::Result<PathBuf> {
    let name = file
        .file_name()
        .with_context(|| format!("{} is not a file name", file.display()))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(
        ".{}.tmp",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    ));
    let temporary = file.with_file_name(temporary_name);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .with_context(|| format!("cannot create {}", temporary.display()))?;
    Ok(temporary)
}

/// The newest seal of the audit chain, as the owner sees it.
async fn last_seal(target: &PgTarget) -> anyhow::Result<Option<(i64, String)>> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(target.connect_options())
        .await
        .context("cannot connect to the database")?;
    let seal = sqlx::query!(
        r#"select audit_seal_id as "id!", encode(seal_hash, 'hex') as "hash!"
           from audit_seal order by audit_seal_id desc limit 1"#
    )
    .fetch_optional(&pool)
    .await;
    pool.close().await;
    Ok(seal?.map(|s| (s.id, s.hash)))
}

/// The table of contents of an archive (`pg_restore --list`), one entry a line; fails when the
/// file is not a readable archive.
async fn archive_entries(config: &Config, file: &Path) -> anyhow::Result<Vec<String>> {
    let mut command =
        std::process::Command::new(client_program(config.pg_bin_dir.as_deref(), "pg_restore"));
    command.arg("--list").arg(file);
    let output = run(command, "pg_restore --list").await?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// Runs a PostgreSQL client program to its end; fails with its error output.
async fn run(command: std::process::Command, what: &str) -> anyhow::Result<Output> {
    let program = command.get_program().to_owned();
    let output = tokio::process::Command::from(command)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .with_context(|| {
            format!(
                "cannot run {} (install the PostgreSQL client programs or set TECZKA_PG_BINDIR)",
                Path::new(&program).display()
            )
        })?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output)
}
