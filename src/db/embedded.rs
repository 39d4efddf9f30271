//! A private PostgreSQL cluster started from the installed server binaries.
//!
//! Used by `cargo run` (no `DATABASE_URL`) and by the test harness. The cluster lives in one
//! folder (`pgdata/` for data, `run/` for the Unix socket, `postgres.log`), listens on the socket
//! only (no TCP port), and accepts connections from the folder's owner alone (socket mode 0700).
//! PostgreSQL refuses to run as root, so when we are root it runs as the `postgres` OS user.

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use sqlx::postgres::PgConnectOptions;

/// The superuser created by `initdb`; owns the schema (runs migrations).
pub const OWNER_ROLE: &str = "teczka";
/// The port number only names the socket file; nothing listens on TCP.
pub const PORT: u16 = 5432;

/// Server settings for the two ways the cluster is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tuning {
    /// `cargo run`: durable, sized for a two-core machine (PERFORMANCE.md).
    Durable,
    /// Tests: throwaway data, so fsync and friends are off.
    Throwaway,
}

/// What to start and where.
#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// Folder holding the whole cluster.
    pub base_dir: PathBuf,
    /// Folder with `initdb` and `postgres`; discovered when `None`.
    pub bin_dir: Option<PathBuf>,
    /// Server settings.
    pub tuning: Tuning,
    /// Stop PostgreSQL immediately if the thread that started it dies (test harness).
    pub kill_with_parent: bool,
}

/// A running private cluster.
#[derive(Debug)]
pub struct EmbeddedCluster {
    child: Option<Child>,
    pid: u32,
    socket_dir: PathBuf,
}

/// An OS account PostgreSQL runs as when we are root.
#[derive(Clone, Copy, Debug)]
struct RunAs {
    uid: u32,
    gid: u32,
}

impl EmbeddedCluster {
    /// Initialises the cluster on first use, then starts it (or adopts one left running by a
    /// crashed earlier process) and waits until it accepts connections.
    pub fn start(options: &ClusterOptions) -> anyhow::Result<Self> {
        let bin_dir = match &options.bin_dir {
            Some(dir) => dir.clone(),
            None => find_bin_dir()?,
        };
        for tool in ["initdb", "postgres"] {
            if !bin_dir.join(tool).is_file() {
                bail!(
                    "PostgreSQL server binaries not found in {} (missing `{tool}`); install the Debian package postgresql-15: apt-get install postgresql",
                    bin_dir.display()
                );
            }
        }
        fs::create_dir_all(&options.base_dir)
            .with_context(|| format!("cannot create {}", options.base_dir.display()))?;
        let base_dir = options.base_dir.canonicalize()?;
        let data_dir = base_dir.join("pgdata");
        let socket_dir = base_dir.join("run");
        let log_file = base_dir.join("postgres.log");
        fs::create_dir_all(&socket_dir)?;
        if socket_dir
            .join(format!(".s.PGSQL.{PORT}"))
            .as_os_str()
            .len()
            > 100
        {
            bail!(
                "the cluster folder path {} is too long for a Unix socket; set TECZKA_DATA_DIR to a shorter path",
                base_dir.display()
            );
        }

        let run_as = run_as_user()?;
        if let Some(user) = run_as {
            check_reachable(&base_dir, user)?;
            for path in [&base_dir, &socket_dir] {
                std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid))?;
            }
            if !log_file.exists() {
                fs::write(&log_file, b"")?;
            }
            std::os::unix::fs::chown(&log_file, Some(user.uid), Some(user.gid))?;
        }
        fs::set_permissions(&socket_dir, fs::Permissions::from_mode(0o700))?;

        if !data_dir.join("PG_VERSION").exists() {
            init_cluster(&bin_dir, &data_dir, run_as)?;
        }
        write_settings(&data_dir, &socket_dir, options.tuning, run_as)?;

        if let Some(pid) = running_postmaster(&data_dir) {
            tracing::info!(
                pid,
                "adopting a PostgreSQL cluster left running by an earlier process"
            );
            wait_until_ready(&data_dir, None, &log_file)?;
            return Ok(Self {
                child: None,
                pid,
                socket_dir,
            });
        }
        remove_stale_locks(&data_dir, &socket_dir);

        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_file)?;
        let mut command = Command::new(bin_dir.join("postgres"));
        command
            .arg("-D")
            .arg(&data_dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // Its own process group: Ctrl-C in the terminal reaches only us, and we stop the
            // cluster after the last request has finished.
            .process_group(0);
        if let Some(user) = run_as {
            command.uid(user.uid).gid(user.gid);
        }
        if options.kill_with_parent {
            die_with_parent(&mut command);
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {}", bin_dir.join("postgres").display()))?;
        let pid = child.id();
        wait_until_ready(&data_dir, Some(&mut child), &log_file)?;
        Ok(Self {
            child: Some(child),
            pid,
            socket_dir,
        })
    }

    /// Connection options for `user` on `database` over the cluster's socket.
    pub fn connect_options(&self, user: &str, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(user)
            .database(database)
    }

    /// Path of the Unix socket file.
    pub fn socket_path(&self) -> PathBuf {
        self.socket_dir.join(format!(".s.PGSQL.{PORT}"))
    }

    /// Folder holding the Unix socket (libpq's `host`).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// True when an earlier process started this cluster and it was only adopted here (a
    /// one-off command run beside the embedded server must leave it running).
    pub fn adopted(&self) -> bool {
        self.child.is_none()
    }

    /// The postmaster's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Fast shutdown (open sessions are rolled back, data is flushed); waits up to 30 s.
    pub fn stop(mut self) -> anyhow::Result<()> {
        send_signal(self.pid, Signal::Interrupt);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let exited = match &mut self.child {
                Some(child) => child.try_wait()?.is_some(),
                None => !Path::new(&format!("/proc/{}", self.pid)).exists(),
            };
            if exited {
                return Ok(());
            }
            if Instant::now() > deadline {
                send_signal(self.pid, Signal::Quit);
                bail!("PostgreSQL did not stop within 30 s; sent an immediate-shutdown signal");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `TECZKA_PG_BINDIR` aside: `pg_config --bindir`, then the newest `/usr/lib/postgresql/<v>/bin`.
pub fn find_bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && dir.join("postgres").is_file() && dir.join("initdb").is_file() {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let version = e.file_name().to_str()?.parse::<u32>().ok()?;
                    let bin = e.path().join("bin");
                    bin.join("postgres").is_file().then_some((version, bin))
                })
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        anyhow!(
            "PostgreSQL server binaries not found; install the Debian package postgresql-15 (apt-get install postgresql) or set DATABASE_URL"
        )
    })
}

fn init_cluster(bin_dir: &Path, data_dir: &Path, run_as: Option<RunAs>) -> anyhow::Result<()> {
    fs::create_dir_all(data_dir)?;
    if let Some(user) = run_as {
        std::os::unix::fs::chown(data_dir, Some(user.uid), Some(user.gid))?;
    }
    fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700))?;
    let mut command = Command::new(bin_dir.join("initdb"));
    command
        .arg("-D")
        .arg(data_dir)
        .args([
            "-U",
            OWNER_ROLE,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-instructions",
        ])
        .arg(format!(
            "--locale={}",
            if utf8_c_locale_available() {
                "C.UTF-8"
            } else {
                "C"
            }
        ));
    if let Some(user) = run_as {
        command.uid(user.uid).gid(user.gid);
    }
    let out = command.output().context("cannot run initdb")?;
    if !out.status.success() {
        bail!(
            "initdb failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let conf = data_dir.join("postgresql.conf");
    let mut text = fs::read_to_string(&conf)?;
    text.push_str("\ninclude_if_exists = 'teczka.conf'\n");
    fs::write(&conf, text)?;
    Ok(())
}

fn utf8_c_locale_available() -> bool {
    Path::new("/usr/lib/locale/C.utf8").exists() || Path::new("/usr/lib/locale/C.UTF-8").exists()
}

fn write_settings(
    data_dir: &Path,
    socket_dir: &Path,
    tuning: Tuning,
    run_as: Option<RunAs>,
) -> anyhow::Result<()> {
    let mut settings = format!(
        "# Written by Teczka at every start; edit Config instead.\n\
         listen_addresses = ''\n\
         unix_socket_directories = '{}'\n\
         unix_socket_permissions = 0700\n\
         port = {PORT}\n\
         timezone = 'UTC'\n\
         jit = off\n\
         max_parallel_workers_per_gather = 0\n\
         random_page_cost = 1.1\n",
        socket_dir.display()
    );
    match tuning {
        Tuning::Durable => settings.push_str("shared_buffers = 256MB\nmax_connections = 60\n"),
        Tuning::Throwaway => settings.push_str(
            "shared_buffers = 128MB\nmax_connections = 300\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n",
        ),
    }
    let path = data_dir.join("teczka.conf");
    fs::write(&path, settings)?;
    if let Some(user) = run_as {
        std::os::unix::fs::chown(&path, Some(user.uid), Some(user.gid))?;
    }
    Ok(())
}

/// The pid of a postmaster that is still serving this data folder, if any.
fn running_postmaster(data_dir: &Path) -> Option<u32> {
    let text = fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    let pid: u32 = text.lines().next()?.trim().parse().ok()?;
    let comm = fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    let cwd = fs::read_link(format!("/proc/{pid}/cwd")).ok();
    let ours = cwd.is_none_or(|cwd| cwd == data_dir);
    (comm.trim() == "postgres" && ours).then_some(pid)
}

/// After a crash the lock files may name a pid that is gone or now belongs to another program;
/// PostgreSQL would refuse to start in the second case, so we clear them ourselves.
fn remove_stale_locks(data_dir: &Path, socket_dir: &Path) {
    for path in [
        data_dir.join("postmaster.pid"),
        socket_dir.join(format!(".s.PGSQL.{PORT}.lock")),
    ] {
        if path.exists() {
            tracing::warn!(path = %path.display(), "removing a stale PostgreSQL lock file");
            let _ = fs::remove_file(path);
        }
    }
}

fn wait_until_ready(
    data_dir: &Path,
    mut child: Option<&mut Child>,
    log_file: &Path,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // Line 8 of postmaster.pid is the postmaster's state; "ready" means it accepts connections.
        let ready = fs::read_to_string(data_dir.join("postmaster.pid"))
            .map(|t| t.lines().nth(7).is_some_and(|l| l.trim() == "ready"))
            .unwrap_or(false);
        if ready {
            return Ok(());
        }
        if let Some(child) = child.as_deref_mut()
            && let Some(status) = child.try_wait()?
        {
            bail!(
                "PostgreSQL exited during start-up ({status}); last log lines:\n{}",
                tail(log_file)
            );
        }
        if Instant::now() > deadline {
            bail!(
                "PostgreSQL did not become ready within 60 s; last log lines:\n{}",
                tail(log_file)
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn tail(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = fs::File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// `None` when we are not root (PostgreSQL then runs as ourselves).
fn run_as_user() -> anyhow::Result<Option<RunAs>> {
    if effective_uid() != 0 {
        return Ok(None);
    }
    let passwd = fs::read_to_string("/etc/passwd").context("cannot read /etc/passwd")?;
    passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 3 && f[0] == "postgres")
        .and_then(|f| Some(RunAs { uid: f[2].parse().ok()?, gid: f[3].parse().ok()? }))
        .map(Some)
        .ok_or_else(|| {
            anyhow!(
                "PostgreSQL refuses to run as root and there is no `postgres` OS user; install the Debian package postgresql-15 (it creates the user)"
            )
        })
}

/// Every folder above the cluster must be traversable by the account PostgreSQL runs as.
fn check_reachable(base_dir: &Path, user: RunAs) -> anyhow::Result<()> {
    for dir in base_dir.ancestors().skip(1) {
        let meta = fs::metadata(dir)?;
        let mode = meta.mode();
        let ok = if meta.uid() == user.uid {
            mode & 0o100 != 0
        } else if meta.gid() == user.gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if !ok {
            bail!(
                "PostgreSQL runs as the `postgres` user, which cannot enter {}; run `chmod o+x {}` or set TECZKA_DATA_DIR to a folder it can reach",
                dir.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

enum Signal {
    Interrupt,
    Quit,
}

#[expect(unsafe_code, reason = "libc calls with no memory-safety preconditions")]
fn send_signal(pid: u32, signal: Signal) {
    let sig = match signal {
        Signal::Interrupt => libc::SIGINT,
        Signal::Quit => libc::SIGQUIT,
    };
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) takes plain integers.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

#[expect(unsafe_code, reason = "libc call with no memory-safety preconditions")]
fn effective_uid() -> u32 {
    // SAFETY: geteuid(2) cannot fail and takes no arguments.
    unsafe { libc::geteuid() }
}

#[expect(unsafe_code, reason = "pre_exec runs between fork and exec")]
fn die_with_parent(command: &mut Command) {
    // SAFETY: prctl(2) is async-signal-safe and touches no memory of ours. std runs pre_exec
    // closures after switching uid, so the setting survives the credential change.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
