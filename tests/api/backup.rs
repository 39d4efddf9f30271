//! `teczka backup` and `teczka restore` (issue 14): a backup restored into a new cluster passes
//! the checks and the restored app serves a participant's file; a database that holds tables is
//! refused; a tampered audit row fails the check.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use sqlx::postgres::PgPoolOptions;
use teczka::db::embedded::{ClusterOptions, EmbeddedCluster, OWNER_ROLE, Tuning};
use teczka::db::{APP_ROLE, EMBEDDED_DATABASE};
use tokio::io::AsyncWriteExt;

use crate::binary::teczka;
use crate::helpers::*;

/// A short scratch folder (the embedded cluster's socket path must stay under ~100 bytes).
fn scratch() -> PathBuf {
    let id = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bk-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `teczka COMMAND FILE` on the database of `url` (the external way).
async fn on_url(command: &str, url: String, file: &Path) -> Output {
    teczka()
        .arg(command)
        .arg(file)
        .env("TECZKA_MIGRATION_DATABASE_URL", url)
        .output()
        .await
        .unwrap()
}

async fn backup(database: &str, file: &Path) -> Output {
    on_url("backup", database_url(OWNER_ROLE, database), file).await
}

async fn restore_into(database: &str, file: &Path) -> Output {
    on_url("restore", database_url(OWNER_ROLE, database), file).await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The row count a restore printed for `table`.
fn printed_rows(report: &str, table: &str) -> i64 {
    report
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(table))
                .then(|| words.next().and_then(|n| n.parse().ok()))
                .flatten()
        })
        .unwrap_or_else(|| panic!("no row count for {table} in:\n{report}"))
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = match table {
        "participant" => "select count(*) from participant",
        "document_scan" => "select count(*) from document_scan",
        "staff_user" => "select count(*) from staff_user",
        "audit_event" => "select count(*) from audit_event",
        "audit_seal" => "select count(*) from audit_seal",
        _ => panic!("no count for {table}"),
    };
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

/// An app with one participant, backed up: the app, the scratch folder and the archive.
async fn backed_up_participant() -> (TestApp, PathBuf, PathBuf) {
    let app = spawn_app().await;
    app.fixture_participant(CENTRE_A, "Kopiowana", None, None)
        .await;
    let dir = scratch();
    let file = dir.join("teczka.dump");
    assert!(backup(&app.database, &file).await.status.success());
    (app, dir, file)
}

/// Stops a cluster started by a test, also when the test fails.
struct Stop(Option<EmbeddedCluster>);

impl Drop for Stop {
    fn drop(&mut self) {
        if let Some(cluster) = self.0.take() {
            cluster.stop().unwrap();
        }
    }
}

#[tokio::test]
async fn a_backup_restored_into_a_new_cluster_passes_the_checks_and_serves_a_participant_file() {
    let app = spawn_app().await;
    let participant = app
        .fixture_participant(CENTRE_A, "Kopiowana", Some("socjalny1"), None)
        .await;
    let (programme, scan) = crate::authz_matrix::programme(&app, participant, "socjalny1").await;
    app.login("socjalny1").await;
    teczka::audit::seal::seal_pending(&app.db, Duration::ZERO)
        .await
        .unwrap();
    let seals: i64 = count(&app, "audit_seal").await;
    assert!(seals > 0);

    let dir = scratch();
    let file = dir.join("teczka.dump");
    let out = backup(&app.database, &file).await;
    assert!(out.status.success(), "backup: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Kopia zapisana"));
    assert!(
        text(&out.stdout).contains("Ostatnia pieczęć dziennika zdarzeń w kopii: nr "),
        "{}",
        text(&out.stdout)
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Nothing temporary is left beside it.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("teczka.dump")]);

    // A new embedded cluster (initdb'ed by the command), the password on standard input.
    let cluster_dir = dir.join("pg");
    let mut child = teczka()
        .args(["restore"])
        .arg(&file)
        .args(["--check-login", "socjalny1"])
        .env("TECZKA_DATA_DIR", &cluster_dir)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(180), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let report = text(&out.stdout);
    assert!(
        out.status.success(),
        "restore: {report}{}",
        text(&out.stderr)
    );
    assert!(report.contains("Migracje: aktualne"), "{report}");
    assert!(
        report.contains("Logowanie: hasło konta `socjalny1` przyjęte."),
        "{report}"
    );
    assert!(
        report.contains(&format!("Pieczęcie dziennika zdarzeń: {seals} zgodnych")),
        "{report}"
    );
    for table in ["participant", "document_scan", "staff_user", "audit_event"] {
        assert_eq!(
            printed_rows(&report, table),
            count(&app, table).await,
            "{table}"
        );
    }
    assert_eq!(printed_rows(&report, "participant"), 1);
    assert_eq!(printed_rows(&report, "document_scan"), 1);

    // The restored app: the real router on the restored database, as the application role.
    let cluster = EmbeddedCluster::start(&ClusterOptions {
        base_dir: cluster_dir.clone(),
        bin_dir: None,
        tuning: Tuning::Throwaway,
        kill_with_parent: false,
    })
    .unwrap();
    let config = test_config();
    let app_pool = teczka::db::app_pool(
        &config,
        cluster.connect_options(APP_ROLE, EMBEDDED_DATABASE),
    );
    let owner = cluster.connect_options(OWNER_ROLE, EMBEDDED_DATABASE);
    let stop = Stop(Some(cluster));
    let mut restored = spawn_with_pools(config, app_pool, owner, "teczka".into()).await;
    let session = restored.login("socjalny1").await;
    let (status, page) = body(&restored, &format!("/participants/{participant}"), &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Kopiowana"));
    let scan = restored
        .get(&format!("/ipzs/{programme}/scans/{scan}"), Some(&session))
        .await;
    assert_eq!(scan.status(), StatusCode::OK);
    assert_eq!(scan.bytes().await.unwrap().as_ref(), b"%PDF-1.4 test");

    // A backup of the embedded cluster while its server runs: the command adopts the running
    // cluster and leaves it running.
    let second = dir.join("druga.dump");
    let out = teczka()
        .arg("backup")
        .arg(&second)
        .env("TECZKA_DATA_DIR", &cluster_dir)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(second.exists());
    let (status, _) = body(&restored, &format!("/participants/{participant}"), &session).await;
    assert_eq!(status, StatusCode::OK);

    restored.begin_shutdown().await.unwrap().unwrap();
    restored.state.db.close().await;
    restored.db.close().await;
    drop(stop);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn restore_refuses_a_database_that_holds_tables() {
    let (_app, dir, file) = backed_up_participant().await;

    let target = spawn_app().await;
    let out = restore_into(&target.database, &file).await;
    assert_eq!(out.status.code(), Some(1));
    let error = text(&out.stderr);
    assert!(
        error.contains(&format!("the database `{}` is not empty", target.database)),
        "{error}"
    );
    assert!(error.contains("only into an empty database"), "{error}");
    assert_eq!(count(&target, "participant").await, 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_tampered_audit_row_in_the_backup_fails_the_check() {
    let app = spawn_app().await;
    app.login("kierownik").await;
    app.login("socjalny1").await;
    teczka::audit::seal::seal_pending(&app.db, Duration::ZERO)
        .await
        .unwrap();
    let first: i64 = sqlx::query_scalar("select min(audit_event_id) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap();
    crate::audit_chain::tamper(
        &app,
        "update audit_event set detail = 'zmienione' where audit_event_id = $1",
        first,
    )
    .await;
    let seal: i64 = sqlx::query_scalar(
        "select audit_seal_id from audit_seal where $1 between first_event_id and last_event_id",
    )
    .bind(first)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let dir = scratch();
    let file = dir.join("teczka.dump");
    assert!(backup(&app.database, &file).await.status.success());

    let target = empty_database().await;
    let out = restore_into(&target, &file).await;
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("Migracje: aktualne"), "{report}");
    assert!(
        report.contains(&format!("PIERWSZA NIEZGODNA PIECZĘĆ: nr {seal} ")),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "NIEUDANE SPRAWDZENIA:\n  - łańcuch pieczęci dziennika zdarzeń jest naruszony (pieczęć nr {seal}:"
        )),
        "{report}"
    );
    assert!(text(&out.stderr).contains("przywrócona baza nie przeszła sprawdzeń"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn another_owner_restores_with_the_app_roles_rights_and_default_privileges() {
    let (_app, dir, file) = backed_up_participant().await;

    // A database owned by an ordinary role (not a superuser, not the role that made the backup).
    let role = format!("r_{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options(OWNER_ROLE, "postgres"))
        .await
        .unwrap();
    for sql in [
        format!("create role {role} login"),
        format!("create database {role} owner {role}"),
    ] {
        sqlx::query(&sql).execute(&admin).await.unwrap();
    }
    admin.close().await;
    let out = on_url("restore", database_url(&role, &role), &file).await;
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}{}", text(&out.stderr));
    assert!(
        report.contains("Rola aplikacji teczka_app: może się połączyć i czytać konta."),
        "{report}"
    );

    let restored = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options(&role, &role))
        .await
        .unwrap();
    let (owner, app_rights, app_reads_log): (String, bool, bool) = sqlx::query_as(
        "select (select tableowner::text from pg_tables where tablename = 'participant'),
                has_table_privilege('teczka_app', 'participant', 'select, insert, update, delete'),
                has_table_privilege('teczka_app', 'audit_event', 'select')",
    )
    .fetch_one(&restored)
    .await
    .unwrap();
    assert_eq!(owner, role);
    assert!(app_rights);
    assert!(!app_reads_log, "the migrations revoked it");
    // A table of a later migration, created by the new owner, is granted as before.
    sqlx::query("create table later_migration (id integer)")
        .execute(&restored)
        .await
        .unwrap();
    let granted: bool = sqlx::query_scalar(
        "select has_table_privilege('teczka_app', 'later_migration', 'select, insert, update, delete')",
    )
    .fetch_one(&restored)
    .await
    .unwrap();
    assert!(granted);
    restored.close().await;

    // The application role logs in to it (what it may see is the row-level policies' business;
    // the first test serves a file through the real router).
    let app_pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options(APP_ROLE, &role))
        .await
        .unwrap();
    let me: String = sqlx::query_scalar("select current_user::text")
        .fetch_one(&app_pool)
        .await
        .unwrap();
    assert_eq!(me, APP_ROLE);
    app_pool.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
