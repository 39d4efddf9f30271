//! How `pg_dump` and `pg_restore` reach the database without a password on their command line
//! (where every local user could read it in `ps`): the URL goes to `--dbname` with its password
//! removed, and the password to a private password file (mode 0600, removed afterwards) named in
//! `PGPASSFILE`. The embedded cluster needs no password (its socket admits only its owner).

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use percent_encoding::percent_decode_str;
use sqlx::postgres::PgConnectOptions;

use crate::config::Secret;
use crate::db::embedded::{self, EmbeddedCluster, OWNER_ROLE};

/// A database as the PostgreSQL client programs see it.
pub struct PgTarget {
    /// The `--dbname` argument: a database name (embedded) or the URL without its password.
    dbname: String,
    /// libpq variables set for the child.
    env: Vec<(&'static str, OsString)>,
    /// The URL's password, written to a password file for each child.
    password: Option<Secret>,
    /// The same database for our own connection (the checks).
    options: PgConnectOptions,
}

impl PgTarget {
    /// From a `postgres://` URL (`TECZKA_MIGRATION_DATABASE_URL`).
    pub fn from_url(url: &Secret) -> anyhow::Result<Self> {
        let options = crate::db::options_from_url(url.expose())?;
        let mut parsed = url::Url::parse(url.expose())
            .context("TECZKA_MIGRATION_DATABASE_URL is not a valid PostgreSQL URL")?;
        if !matches!(parsed.scheme(), "postgres" | "postgresql") {
            bail!("TECZKA_MIGRATION_DATABASE_URL must start with postgres://");
        }
        let password = match parsed.password() {
            Some(p) => {
                Some(Secret::new(percent_decode_str(p).decode_utf8().context(
                    "the password in the database URL is not valid UTF-8",
                )?))
            }
            None => None,
        };
        if parsed.set_password(None).is_err() {
            bail!("TECZKA_MIGRATION_DATABASE_URL has no host part");
        }
        if parsed.query_pairs().any(|(k, _)| k == "password") {
            bail!(
                "put the password in the URL's user part (postgres://user:password@host/db), not in `?password=`"
            );
        }
        Ok(Self {
            dbname: parsed.to_string(),
            env: Vec::new(),
            password,
            options,
        })
    }

    /// The database `name` of the embedded cluster, as its owner.
    pub fn embedded(cluster: &EmbeddedCluster, name: &str) -> Self {
        Self {
            dbname: name.to_owned(),
            env: vec![
                ("PGHOST", cluster.socket_dir().as_os_str().to_owned()),
                ("PGPORT", embedded::PORT.to_string().into()),
                ("PGUSER", OWNER_ROLE.into()),
            ],
            password: None,
            options: cluster.connect_options(OWNER_ROLE, name),
        }
    }

    /// Connection options for our own pool on the same database, as the same role.
    pub fn connect_options(&self) -> PgConnectOptions {
        self.options.clone()
    }

    /// A PostgreSQL client program set up to connect: `--dbname` is its last argument so far,
    /// and the returned guard must live until the program has finished.
    pub fn command(&self, program: &Path) -> anyhow::Result<(Command, PassFile)> {
        let mut command = Command::new(program);
        command.arg("--no-password");
        for (name, value) in &self.env {
            command.env(name, value);
        }
        let pass_file = match &self.password {
            Some(password) => {
                let (file, path) = PassFile::write(password)?;
                command.env("PGPASSFILE", path).env_remove("PGPASSWORD");
                file
            }
            None => PassFile(None),
        };
        command.arg("--dbname").arg(&self.dbname);
        Ok((command, pass_file))
    }
}

/// A password file for one child (removed on drop).
pub struct PassFile(Option<PathBuf>);

impl PassFile {
    fn write(password: &Secret) -> anyhow::Result<(Self, PathBuf)> {
        let path = std::env::temp_dir().join(format!("teczka-pgpass-{}", uuid::Uuid::new_v4()));
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        // host:port:database:user:password, `:` and `\` escaped.
        let escaped = password.expose().replace('\\', "\\\\").replace(':', "\\:");
        file.write_all(format!("*:*:*:*:{escaped}\n").as_bytes())?;
        Ok((Self(Some(path.clone())), path))
    }
}

impl Drop for PassFile {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = fs::remove_file(path);
        }
    }
}

/// `pg_dump` or `pg_restore`: beside the server binaries (`TECZKA_PG_BINDIR` or found as for
/// the embedded cluster), else from `PATH`.
pub fn client_program(bin_dir: Option<&Path>, name: &str) -> PathBuf {
    let dir = match bin_dir {
        Some(dir) => Some(dir.to_owned()),
        None => embedded::find_bin_dir().ok(),
    };
    dir.map(|d| d.join(name))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_password_file() {
        let target = PgTarget::from_url(&Secret::new(
            "postgres://owner:p%40ss%3Aw%5Crd@db.example:5433/teczka?sslmode=verify-full",
        ))
        .unwrap();
        assert_eq!(
            target.dbname,
            "postgres://owner@db.example:5433/teczka?sslmode=verify-full"
        );
        assert_eq!(target.password.as_ref().unwrap().expose(), "p@ss:w\\rd");
        let (command, file) = target.command(Path::new("pg_dump")).unwrap();
        let args: Vec<_> = command.get_args().collect();
        assert!(!args.iter().any(|a| a.to_string_lossy().contains("p%40ss")));
        let path = file.0.clone().unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "*:*:*:*:p@ss\\:w\\\\rd\n"
        );
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        drop(file);
        assert!(!path.exists());
    }
}
