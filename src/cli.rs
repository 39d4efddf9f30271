//! Command line: `teczka [serve] [--demo]`, `teczka migrate`, `teczka create-admin`, `teczka audit verify`, `teczka seed`,
//! `teczka retention scan`.
//!
//! Without `DATABASE_URL` every command works on the embedded cluster in `TECZKA_DATA_DIR`,
//! which is demo mode. With `DATABASE_URL` the server never migrates or seeds on its own.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::net::TcpListener;

use crate::app::{App, shutdown_signal};
use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditEvent, Outcome};
use crate::auth::{normalize_login, valid_login};
use crate::config::Config;
use crate::db::embedded::{EmbeddedCluster, OWNER_ROLE};
use crate::db::{self, APP_ROLE, EMBEDDED_DATABASE};
use crate::domain::Role;
use crate::security::{password, sealed};

const HELP: &str = "\
Teczka – dokumentacja uczestników Centrum Integracji Społecznej

Użycie:
  teczka [serve] [--demo]      uruchamia serwer (bez DATABASE_URL: wbudowany PostgreSQL z danymi demo)
  teczka migrate               stosuje migracje schematu (TECZKA_MIGRATION_DATABASE_URL lub DATABASE_URL)
  teczka create-admin --login LOGIN [--name \"Imię Nazwisko\"] [--centre \"Nazwa ośrodka\"] [--city Miasto]
                               tworzy administratora z jednorazowym hasłem (wypisanym raz)
  teczka seed --participants N --centre \"Nazwa ośrodka\" [--attendance-centres K]
                               dodaje N fikcyjnych uczestników z historią (do testów wydajności);
                               z --attendance-centres także 5 lat obecności w tym i K − 1 nowych
                               ośrodkach (200 uczestników naraz w każdym)
  teczka audit verify          pieczętuje i sprawdza cały łańcuch pieczęci dziennika zdarzeń;
                               nazywa pierwszą niezgodną pieczęć (kod wyjścia 1)
  teczka backup PLIK           zapisuje kopię całej bazy (pg_dump, format własny, ze skanami)
  teczka restore PLIK [--check-login LOGIN]
                               odtwarza kopię w pustej bazie i ją sprawdza (migracje, liczby
                               wierszy, pieczęcie dziennika, hasło konta LOGIN podane na wejściu)
  teczka retention scan        wpisuje do przeglądu teczki po okresie przechowywania (serwer robi to
                               codziennie sam; ponowne uruchomienie niczego nie zmienia)
  teczka --help                ta pomoc

Zmienne środowiskowe: patrz README.md.";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Serve {
        demo: bool,
    },
    Migrate,
    CreateAdmin {
        login: String,
        name: Option<String>,
        centre: Option<String>,
        city: Option<String>,
    },
    Seed {
        participants: usize,
        centre: String,
        attendance_centres: Option<usize>,
    },
    AuditVerify,
    RetentionScan,
    Backup {
        file: PathBuf,
    },
    Restore {
        file: PathBuf,
        check_login: Option<String>,
    },
    Help,
}

fn parse(args: &[String]) -> Result<Command, String> {
    if args.first().map(String::as_str) == Some("retention") {
        return match &args[1..] {
            [scan] if scan == "scan" => Ok(Command::RetentionScan),
            _ => Err("użycie: teczka retention scan".to_owned()),
        };
    }
    let mut rest = args.iter().map(String::as_str);
    let first = rest.next();
    let mut options = |allowed: &[&str]| -> Result<Vec<(String, Option<String>)>, String> {
        let mut out = Vec::new();
        while let Some(arg) = rest.next() {
            if !allowed.contains(&arg) {
                return Err(format!("nieznany argument `{arg}`"));
            }
            let takes_value = arg != "--demo";
            let value = if takes_value {
                Some(
                    rest.next()
                        .ok_or_else(|| format!("`{arg}` wymaga wartości"))?
                        .to_owned(),
                )
            } else {
                None
            };
            out.push((arg.to_owned(), value));
        }
        Ok(out)
    };
    match first {
        None => Ok(Command::Serve { demo: false }),
        Some("--demo") => Ok(Command::Serve { demo: true }),
        Some("serve") => Ok(Command::Serve {
            demo: !options(&["--demo"])?.is_empty(),
        }),
        Some("migrate") => options(&[]).map(|_| Command::Migrate),
        Some("create-admin") => {
            let opts = options(&["--login", "--name", "--centre", "--city"])?;
            let get = |name: &str| {
                opts.iter()
                    .find(|(k, _)| k == name)
                    .and_then(|(_, v)| v.clone())
            };
            let login = get("--login").ok_or("create-admin wymaga --login LOGIN")?;
            Ok(Command::CreateAdmin {
                login,
                name: get("--name"),
                centre: get("--centre"),
                city: get("--city"),
            })
        }
        Some("seed") => {
            let opts = options(&["--participants", "--centre", "--attendance-centres"])?;
            let get = |name: &str| {
                opts.iter()
                    .find(|(k, _)| k == name)
                    .and_then(|(_, v)| v.clone())
            };
            let participants = get("--participants")
                .ok_or("seed wymaga --participants N")?
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=2_000_000).contains(n))
                .ok_or("--participants: liczba od 1 do 2000000")?;
            let centre = get("--centre").ok_or("seed wymaga --centre \"Nazwa ośrodka\"")?;
            let attendance_centres = match get("--attendance-centres") {
                Some(k) => Some(
                    k.parse::<usize>()
                        .ok()
                        .filter(|k| (1..=500).contains(k))
                        .ok_or("--attendance-centres: liczba od 1 do 500")?,
                ),
                None => None,
            };
            Ok(Command::Seed {
                participants,
                centre,
                attendance_centres,
            })
        }
        Some("audit") if args.len() == 2 && args[1] == "verify" => Ok(Command::AuditVerify),
        Some("audit") => Err("użycie: teczka audit verify".to_owned()),
        Some("backup") => match &args[1..] {
            [file] if !file.starts_with('-') => Ok(Command::Backup { file: file.into() }),
            _ => Err("użycie: teczka backup PLIK".to_owned()),
        },
        Some("restore") => match &args[1..] {
            [file] if !file.starts_with('-') => Ok(Command::Restore {
                file: file.into(),
                check_login: None,
            }),
            [file, flag, login] if !file.starts_with('-') && flag == "--check-login" => {
                Ok(Command::Restore {
                    file: file.into(),
                    check_login: Some(login.clone()),
                })
            }
            _ => Err("użycie: teczka restore PLIK [--check-login LOGIN]".to_owned()),
        },
        Some("--help" | "-h" | "help") => Ok(Command::Help),
        Some(other) => Err(format!(
            "nieznane polecenie `{other}` (zobacz `teczka --help`)"
        )),
    }
}

/// Runs the command line; errors become one line on stderr and exit code 1.
pub async fn main(args: Vec<String>) -> ExitCode {
    let command = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("teczka: {e}");
            return ExitCode::from(2);
        }
    };
    if command == Command::Help {
        println!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let result = match Config::from_env() {
        Ok(config) => {
            crate::telemetry::init(config.log_format);
            match command {
                Command::Serve { demo } => serve(config, demo).await,
                Command::Migrate => migrate(config).await,
                Command::CreateAdmin {
                    login,
                    name,
                    centre,
                    city,
                } => create_admin(config, &login, name, centre, city).await,
                Command::Seed {
                    participants,
                    centre,
                    attendance_centres,
                } => seed(config, participants, &centre, attendance_centres).await,
                Command::AuditVerify => audit_verify(config).await,
                Command::RetentionScan => retention_scan(config).await,
                Command::Backup { file } => backup(config, &file).await,
                Command::Restore { file, check_login } => restore(config, &file, check_login).await,
                Command::Help => Ok(()),
            }
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("teczka: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn embedded_pools(
    config: &Config,
    cluster: &EmbeddedCluster,
) -> anyhow::Result<(PgPool, PgPool)> {
    db::prepare_embedded(cluster, EMBEDDED_DATABASE).await?;
    let owner = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(cluster.connect_options(OWNER_ROLE, EMBEDDED_DATABASE))
        .await?;
    let app = db::app_pool(config, cluster.connect_options(APP_ROLE, EMBEDDED_DATABASE));
    Ok((owner, app))
}

async fn serve(mut config: Config, demo: bool) -> anyhow::Result<()> {
    // Bind first: a busy port should fail before anything else starts.
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {} (TECZKA_BIND)", config.bind))?;
    // The key that seals the second-factor secrets: given, or (embedded) made once; with
    // DATABASE_URL and no TECZKA_SECRET_KEY_FILE the server stops here.
    config.secret_key_file = Some(sealed::key_file(&config)?);
    let key = sealed::Key::from_config(&config)?;
    let mut cluster = None;
    let pool = match &config.database_url {
        Some(url) => {
            let pool = db::app_pool(&config, db::options_from_url(url.expose())?);
            match tokio::time::timeout(Duration::from_secs(5), db::pending_migrations(&pool)).await
            {
                Ok(Ok(pending)) if !pending.is_empty() => {
                    bail!(
                        "the database schema is out of date ({} migrations pending); run `teczka migrate`",
                        pending.len()
                    )
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "database not reachable at start-up; /readyz will answer 503 until it is")
                }
                Err(_) => tracing::warn!(
                    "database did not answer at start-up; /readyz will answer 503 until it does"
                ),
            }
            if demo {
                config.demo = true;
                // As the schema owner: the demo spans several centres, which the app role,
                // behind row-level security, only ever sees one at a time.
                let owner_url = config
                    .migration_database_url
                    .as_ref()
                    .unwrap_or(url)
                    .expose()
                    .to_owned();
                let owner = PgPoolOptions::new()
                    .max_connections(2)
                    .connect_with(db::options_from_url(&owner_url)?)
                    .await
                    .context("cannot connect as the schema owner to seed the demo")?;
                crate::demo::seed(&owner, &key).await?;
                owner.close().await;
            }
            pool
        }
        None => {
            let started = db::start_embedded(&config)?;
            let (owner, app_pool) = embedded_pools(&config, &started).await?;
            config.demo = true;
            crate::demo::seed(&owner, &key).await?;
            owner.close().await;
            cluster = Some(started);
            app_pool
        }
    };

    let app = App::with_listener(config.clone(), pool.clone(), listener)?;
    let address = app.local_addr()?;
    println!("Teczka działa: http://{address}/");
    if config.demo {
        println!(
            "Tryb DEMO – konta (hasło dla wszystkich: {}):",
            crate::demo::DEMO_PASSWORD
        );
        for (login, name, role, centre) in crate::demo::ACCOUNTS {
            println!(
                "  {login:<13} {:<20} {name} – {}",
                role.label(),
                crate::demo::CENTRES[centre].0
            );
        }
        println!(
            "Drugi składnik logowania: demo nie wymaga go od nikogo poza kontem {}. Jego klucz do aplikacji uwierzytelniającej (oparty na czasie, 6 cyfr, co 30 s): {}",
            crate::demo::SECOND_FACTOR_LOGIN,
            crate::auth::second_factor::grouped(crate::demo::SECOND_FACTOR_SECRET)
        );
    }
    println!("Zatrzymanie: Ctrl-C.");
    let served = app.run_until_stopped(shutdown_signal()).await;
    pool.close().await;
    if let Some(cluster) = cluster {
        cluster.stop()?;
    }
    tracing::info!("stopped");
    served.context("server error")
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    match &config.migration_database_url {
        Some(url) => {
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(db::options_from_url(url.expose())?)
                .await
                .context("cannot connect to the database")?;
            db::migrate(&pool).await?;
            pool.close().await;
        }
        None => {
            let cluster = db::start_embedded(&config)?;
            db::prepare_embedded(&cluster, EMBEDDED_DATABASE).await?;
            cluster.stop()?;
        }
    }
    println!("Migracje zastosowane.");
    Ok(())
}

/// A pool for a one-off command, as the schema owner: on `TECZKA_MIGRATION_DATABASE_URL`
/// (which defaults to `DATABASE_URL`), or on the embedded
/// cluster (started here and migrated, with the demo data when `demo`), which the caller stops
/// with [`close`] when done.
async fn command_pool(
    config: &Config,
    connections: u32,
    demo: bool,
) -> anyhow::Result<(PgPool, Option<EmbeddedCluster>)> {
    // The owner's URL when one is given: the app role sees one centre at a time (row-level
    // security), and these commands name centres by name or visit them all.
    match config
        .migration_database_url
        .as_ref()
        .or(config.database_url.as_ref())
    {
        Some(url) => Ok((
            PgPoolOptions::new()
                .max_connections(connections)
                .connect_with(db::options_from_url(url.expose())?)
                .await?,
            None,
        )),
        None => {
            let cluster = db::start_embedded(config)?;
            let (owner, app) = embedded_pools(config, &cluster).await?;
            app.close().await;
            if demo {
                let key = sealed::Key::from_file(&sealed::key_file(config)?)?;
                crate::demo::seed(&owner, &key).await?;
            }
            Ok((owner, Some(cluster)))
        }
    }
}

/// Closes a command's pool and stops the embedded cluster it started.
async fn close(pool: PgPool, cluster: Option<EmbeddedCluster>) -> anyhow::Result<()> {
    pool.close().await;
    if let Some(cluster) = cluster {
        cluster.stop()?;
    }
    Ok(())
}

async fn seed(
    config: Config,
    participants: usize,
    centre: &str,
    attendance_centres: Option<usize>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (pool, cluster) = command_pool(&config, 2, true).await?;
    let today = crate::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    let mut result = crate::demo::participants::bulk(&pool, centre, participants, today).await;
    if let (Ok(_), Some(k)) = (&result, attendance_centres)
        && let Err(e) = crate::demo::history::attendance(&pool, centre, k, 5, today).await
    {
        result = Err(e);
    }
    close(pool, cluster).await?;
    let centre_id = result?;
    println!(
        "Dodano {participants} uczestników do ośrodka {centre_id} w {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `teczka audit verify`: seals what has settled, then checks the whole chain; fails (exit
/// code 1) naming the first seal that does not match.
async fn audit_verify(config: Config) -> anyhow::Result<()> {
    let (pool, cluster) = command_pool(&config, 1, false).await?;
    let result = async {
        audit::seal::seal_pending(&pool, audit::seal::SETTLE).await?;
        audit::seal::verify(&pool).await
    }
    .await;
    close(pool, cluster).await?;
    let verification = result?;
    println!("{}", verification.report());
    if verification.broken.is_some() {
        bail!("łańcuch pieczęci dziennika zdarzeń jest naruszony");
    }
    Ok(())
}

async fn backup(config: Config, file: &Path) -> anyhow::Result<()> {
    let written = crate::backup::backup(&config, file).await?;
    println!("{}", written.report(file));
    Ok(())
}

/// `teczka restore`: exit code 1 when the restore or any check fails.
async fn restore(config: Config, file: &Path, login: Option<String>) -> anyhow::Result<()> {
    let password = login
        .as_deref()
        .map(crate::backup::read_password)
        .transpose()?;
    let login = login.as_deref().zip(password.as_deref());
    let report = crate::backup::restore(&config, file, login).await?;
    println!("{}", report.text());
    if !report.passed() {
        bail!("przywrócona baza nie przeszła sprawdzeń");
    }
    Ok(())
}

async fn retention_scan(config: Config) -> anyhow::Result<()> {
    let (pool, cluster) = command_pool(&config, 1, false).await?;
    let today = crate::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    let result = crate::retention::scan::scan_all(&pool, today).await;
    close(pool, cluster).await?;
    let summary = result?;
    println!(
        "Sprawdzono ośrodki: {}. Nowe teczki do przeglądu: {}.",
        summary.centres, summary.found
    );
    Ok(())
}

async fn create_admin(
    config: Config,
    login: &str,
    name: Option<String>,
    centre: Option<String>,
    city: Option<String>,
) -> anyhow::Result<()> {
    let login = normalize_login(login);
    if !valid_login(&login) {
        bail!("login must be 3–40 characters: lower-case letters, digits, `.`, `-` or `_`");
    }
    let (pool, cluster) = command_pool(&config, 1, false).await?;
    let result = insert_admin(&config, &pool, &login, name, centre, city).await;
    close(pool, cluster).await?;
    let one_time = result?;
    println!("Utworzono administratora `{login}`.");
    println!(
        "Hasło jednorazowe (wyświetlane tylko teraz, ważne {} h): {one_time}",
        config.one_time_password_ttl.as_secs() / 3600
    );
    println!("Przy pierwszym logowaniu trzeba ustalić własne hasło.");
    Ok(())
}

async fn insert_admin(
    config: &Config,
    pool: &PgPool,
    login: &str,
    name: Option<String>,
    centre: Option<String>,
    city: Option<String>,
) -> anyhow::Result<String> {
    let mut tx = pool.begin().await?;
    let centre_id = match centre {
        Some(centre) => {
            let centre = crate::validate::required_line(&centre, 200)
                .map_err(|e| anyhow::anyhow!("--centre: {e}"))?;
            sqlx::query_scalar!(
                "insert into centre (name, city) values ($1, $2) on conflict (name) do update set name = excluded.name returning centre_id",
                centre,
                city.unwrap_or_default()
            )
            .fetch_one(&mut *tx)
            .await?
        }
        None => {
            let ids = sqlx::query_scalar!("select centre_id from centre order by name")
                .fetch_all(&mut *tx)
                .await?;
            match ids.as_slice() {
                [only] => *only,
                [] => bail!("there is no centre yet; add --centre \"Name of the centre\""),
                _ => bail!(
                    "there are several centres; say which one with --centre \"Name of the centre\""
                ),
            }
        }
    };
    let one_time = password::one_time_password();
    let hash = {
        let one_time = one_time.clone();
        tokio::task::spawn_blocking(move || {
            use argon2::password_hash::PasswordHasher;
            argon2::Argon2::default()
                .hash_password(one_time.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("{e}"))
        })
        .await??
    };
    let full_name = name.unwrap_or_else(|| "Administrator".to_owned());
    let expires_at = time::OffsetDateTime::now_utc() + config.one_time_password_ttl;
    // The account and the first entry of its role history (nobody on record created it).
    let inserted = sqlx::query_scalar!(
        r#"with account as (
               insert into staff_user (centre_id, login, full_name, role, password_hash, must_change_password, one_time_password_expires_at)
               values ($1, $2, $3, 'admin', $4, true, $5) returning staff_user_id, role, created_at)
           insert into staff_role_change (staff_user_id, to_role, changed_at)
           select staff_user_id, role, created_at from account
           returning staff_user_id"#,
        centre_id,
        login,
        full_name,
        hash,
        expires_at
    )
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("staff_user_login_key") => {
            bail!("the login `{login}` is already taken")
        }
        Err(e) => return Err(e.into()),
    };
    let meta = RequestMeta {
        request_id: "cli".into(),
        client_ip: None,
    };
    audit::record(
        &mut *tx,
        &meta,
        AuditEvent::new("staff.create", Outcome::Success)
            .on("staff_user", id)
            .detail(format!("{} via create-admin", Role::Admin)),
    )
    .await?;
    tx.commit().await?;
    Ok(one_time)
}

#[cfg(test)]
#[path = "cli_tests.rs"]
mod tests;
