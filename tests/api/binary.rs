//! The built `teczka` binary, run the way the README says.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use sqlx::postgres::PgPoolOptions;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::*;

const BIN: &str = env!("CARGO_BIN_EXE_teczka");

pub(crate) fn teczka() -> Command {
    let mut command = Command::new(BIN);
    command
        .env_remove("DATABASE_URL")
        .env_remove("TECZKA_MIGRATION_DATABASE_URL")
        .env_remove("TECZKA_SECRET_KEY_FILE")
        .env("TECZKA_BIND", "127.0.0.1:0")
        .env("TECZKA_LOG_FORMAT", "json")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

fn data_dir() -> PathBuf {
    // Short: the Unix socket path inside must stay under ~100 bytes.
    let id = &uuid::Uuid::new_v4().simple().to_string()[..8];
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bin-{id}"))
}

/// Waits for the "Teczka działa: http://…/" line and returns the base URL.
async fn wait_for_url(child: &mut Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let found = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("Teczka działa: ") {
                return url.trim_end_matches('/').to_owned();
            }
        }
        panic!("the binary exited before printing its URL");
    })
    .await
    .expect("the binary printed its URL in time");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    found
}

fn signal(child: &Child, sig: i32) {
    let pid = child.id().unwrap() as i32;
    assert_eq!(
        std::process::Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(pid.to_string())
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn demo_login(base: &str, login: &str) -> reqwest::Response {
    client()
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[
            ("login", login),
            ("password", teczka::demo::DEMO_PASSWORD),
        ]))
        .send()
        .await
        .unwrap()
}

fn postmaster_pid(dir: &Path) -> Option<u32> {
    std::fs::read_to_string(dir.join("pgdata/postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

#[tokio::test]
async fn cargo_run_starts_an_embedded_cluster_with_demo_data_and_sigterm_stops_everything() {
    let dir = data_dir();
    let mut child = teczka().env("TECZKA_DATA_DIR", &dir).spawn().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let base = wait_for_url(&mut child).await;
    // The key that seals the second-factor secrets was made in the data folder, private.
    let key_file = dir.join(teczka::security::sealed::KEY_FILE_NAME);
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert_eq!(key.trim().len(), 64);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    assert_eq!(
        client()
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let login = demo_login(&base, "socjalny1").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let token = session_cookie(&login).unwrap();
    let home = client()
        .get(format!("{base}/"))
        .header("cookie", format!("__Host-teczka_sid={token}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("DEMO"), "demo marker on every page");
    assert!(home.contains("Sylwia Socjalska"));
    // The data-protection officer's reports have demo data in every section.
    let dpo = session_cookie(&demo_login(&base, "iod").await).unwrap();
    let reports = client()
        .get(format!("{base}/data-protection"))
        .header("cookie", format!("__Host-teczka_sid={dpo}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for section in [
        "outside-title",
        "busy-title",
        "refused-title",
        "exports-title",
    ] {
        let start = reports.find(section).unwrap();
        let end = start + reports[start..].find("</section>").unwrap();
        assert!(
            reports[start..end].contains("<tr><td>"),
            "{section}: {reports}"
        );
    }
    assert!(
        reports.contains("Sebastian Sowiński"),
        "the view outside the caseload"
    );
    assert!(reports.contains("<td>30</td>"), "the unusual day");
    // A failed login with a recognisable password, to check it never reaches the logs.
    let secret = "tajne-haslo-ktore-nie-moze-wyciec";
    client()
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[("login", "kierownik"), ("password", secret)]))
        .send()
        .await
        .unwrap();
    assert!(
        postmaster_pid(&dir).is_some(),
        "the private cluster is running"
    );

    signal(&child, libc::SIGTERM);
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        postmaster_pid(&dir).is_none(),
        "the cluster was shut down cleanly"
    );
    let mut logs = String::new();
    stderr.read_to_string(&mut logs).await.unwrap();
    assert!(
        logs.contains("\"request_id\""),
        "structured JSON logs: {logs}"
    );
    for forbidden in [
        secret,
        teczka::demo::DEMO_PASSWORD,
        token.as_str(),
        "Sylwia",
        "Socjalska",
    ] {
        assert!(!logs.contains(forbidden), "the log contains {forbidden}");
    }

    // A second start reuses the cluster and its data.
    let mut again = teczka().env("TECZKA_DATA_DIR", &dir).spawn().unwrap();
    // Nobody reads this run's log: drain it, or the server stops at a full pipe (64 KiB, some
    // 150 requests) in the middle of the pages below.
    let mut again_log = again.stderr.take().unwrap();
    tokio::spawn(async move { tokio::io::copy(&mut again_log, &mut tokio::io::sink()).await });
    let base = wait_for_url(&mut again).await;
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap(),
        key,
        "the key is reused"
    );
    assert_eq!(
        demo_login(&base, "kierownik2").await.status(),
        StatusCode::SEE_OTHER
    );
    // Accounts, their past, opinions, contracts, and the contracts' pages to open.
    let [
        accounts,
        history,
        opinions,
        contracts,
        pages,
        benefits,
        manager_pages,
    ]: [Vec<String>; 7] = {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(
                sqlx::postgres::PgConnectOptions::new()
                    .socket(dir.join("run"))
                    .username("teczka")
                    .database("teczka"),
            )
            .await
            .unwrap();
        let rows = sqlx::query_scalar("select login from staff_user")
            .fetch_all(&pool)
            .await
            .unwrap();
        // Role changes and accounts that have never signed in.
        let history = sqlx::query_scalar(
            "select u.login || ': ' || c.from_role || ' -> ' || c.to_role
             from staff_role_change c join staff_user u using (staff_user_id)
             where c.from_role is not null
             union all
             select login || ': nigdy' from staff_user where last_login_at is null
             order by 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        // Opinions in every state, and open requests for each author of „Nowy Start”.
        let opinions = sqlx::query_scalar(
            "select distinct o.status::text from opinion o
             union all
             select distinct 'open:' || u.login from opinion o join staff_user u on u.staff_user_id = o.author_id
             where o.status = 'requested'
             order by 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        // Social contracts in every state (Part II's outcome where written: the closed ones', and
        // the renewal's, waiting for the manager), and what
        // must never be: two open contracts of one person, an open one of someone who left.
        let contracts = sqlx::query_scalar(
            "select distinct d.status::text || coalesce(':' || e.outcome::text, '')
                             || case when d.follows is not null then ':renewal' else '' end
                             || case when d.current_version > 1 then ':amendment' else '' end
             from document d left join contract_evaluation e using (document_id)
             where d.kind = 'social_contract'
             union all
             select 'wrong: ' || p.surname from participant p
             where (select count(*) from document d where d.participant_id = p.participant_id
                    and d.kind = 'social_contract' and d.status <> 'closed') > 1
                or (p.status not in ('reserve', 'trial', 'participant') and exists (
                    select 1 from document d where d.participant_id = p.participant_id
                    and d.kind = 'social_contract' and d.status <> 'closed'))
             order by 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        // Every demo contract's pages, to open as the manager and the social worker.
        let pages = sqlx::query_scalar(
            "select '/contracts/' || document_id from document where kind = 'social_contract'
             union all
             select '/contracts/' || document_id || '/versions/1/print' from document
             where kind = 'social_contract' and status not in ('draft', 'submitted')
             union all
             select '/contracts/' || document_id || '/evaluation/print' from contract_evaluation
             union all
             select distinct '/participants/' || participant_id || '/contracts' from document
             where kind = 'social_contract'
             union all
             select distinct '/participants/' || participant_id from document
             where kind = 'social_contract'
             order by 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        // Attendance and benefits: every kind of day, closed months (one closed again after a
        // correction), bonus decisions both ways, last month to close.
        let benefits = sqlx::query_scalar(
            "select distinct 'day:' || status::text from attendance
             union all
             select distinct 'closed:' || revision from benefit_month where closed
             union all
             select distinct 'correction:' || case when pup_month is null then 'pending' else 'listed' end
             from benefit_correction
             union all
             select distinct 'bonus:' || case when granted then 'granted' else 'refused' end from bonus_decision
             union all
             select 'to close' from attendance_month a
             where a.month = date_trunc('month', current_date - interval '1 month')::date
               and not exists (select 1 from benefit_month b where b.centre_id = a.centre_id and b.month = a.month)
             group by 1
             order by 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        // The manager's attendance and benefit pages of the first centre's last three months.
        let manager_pages = sqlx::query_scalar(
            "select '/benefits/' || to_char(month, 'YYYY-MM') from attendance_month a
             join centre c using (centre_id) where c.name like '%Nowy Start%'
             union all
             select '/attendance/' || w.workshop_id || '/month/' || to_char(a.month, 'YYYY-MM')
             from attendance_month a join workshop w using (centre_id)
             join centre c using (centre_id) where c.name like '%Nowy Start%'
             union all
             select '/benefits/' || to_char(s.month, 'YYYY-MM') || '/' || s.participant_id
             from benefit_statement s where s.revision = 1
             union all
             select '/participants/' || participant_id || '/attendance?month=' || to_char(month, 'YYYY-MM')
             from benefit_statement where revision = 1
             union all
             select '/benefits'
             union all
             select '/attendance'
             union all
             select '/reports/annual/' || r.annual_report_id || s.part
             from annual_report r, unnest(array['', '/print', '/csv', '/xlsx']) as s(part)
             union all
             select '/reports/annual/' || b.annual_report_id || '/diff?with=' || a.annual_report_id
             from annual_report a join annual_report b
               on b.centre_id = a.centre_id and b.year = a.year and b.version = a.version + 1
             union all
             select '/reports/annual'
             order by 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        [
            rows,
            history,
            opinions,
            contracts,
            pages,
            benefits,
            manager_pages,
        ]
    };
    let token = session_cookie(&demo_login(&base, "kierownik").await).unwrap();
    for page in &manager_pages {
        let status = client()
            .get(format!("{base}{page}"))
            .header("cookie", format!("__Host-teczka_sid={token}"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::OK, "kierownik {page}");
    }
    // The annual report: two versions of the year just ended, compared.
    assert_eq!(
        manager_pages
            .iter()
            .filter(|p| p.starts_with("/reports/annual/") && p.contains("/diff?with="))
            .count(),
        1,
        "demo annual report versions"
    );
    assert_eq!(
        benefits,
        [
            "bonus:granted",
            "bonus:refused",
            "closed:1",
            "closed:2",
            "correction:pending",
            "day:j",
            "day:o",
            "day:p",
            "day:s",
            "day:u",
            "to close"
        ],
        "demo attendance and benefits"
    );
    for login in ["kierownik", "socjalny1"] {
        let token = session_cookie(&demo_login(&base, login).await).unwrap();
        for page in &pages {
            let status = client()
                .get(format!("{base}{page}"))
                .header("cookie", format!("__Host-teczka_sid={token}"))
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, StatusCode::OK, "{login} {page}");
        }
    }
    assert_eq!(
        contracts,
        [
            "approved",
            "closed",
            "closed:broken",
            "closed:new_goals",
            "closed:positive",
            "draft",
            "draft:amendment",
            "in_realization",
            "in_realization:positive:renewal",
            "submitted"
        ],
        "demo contracts"
    );
    assert_eq!(
        opinions,
        [
            "open:doradca",
            "open:instruktor",
            "open:psycholog",
            "requested",
            "signed_off",
            "withdrawn"
        ],
        "demo opinions"
    );
    assert_eq!(
        accounts.len(),
        teczka::demo::ACCOUNTS.len(),
        "demo data seeded once, not twice"
    );
    assert_eq!(
        history,
        ["doradca: instructor -> career_advisor", "socjalny2: nigdy"],
        "the demo accounts have a past"
    );

    // A crash: the app and PostgreSQL die without cleaning up, and the stale pid file names a
    // process that is not PostgreSQL. The next start copes.
    signal(&again, libc::SIGKILL);
    let _ = again.wait().await;
    let pg = postmaster_pid(&dir).unwrap();
    std::process::Command::new("kill")
        .arg("-9")
        .arg(pg.to_string())
        .status()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid_file = dir.join("pgdata/postmaster.pid");
    let text = std::fs::read_to_string(&pid_file).unwrap();
    let rest: Vec<&str> = text.lines().skip(1).collect();
    std::fs::write(
        &pid_file,
        format!("{}\n{}\n", std::process::id(), rest.join("\n")),
    )
    .unwrap();
    let mut third = teczka().env("TECZKA_DATA_DIR", &dir).spawn().unwrap();
    let base = wait_for_url(&mut third).await;
    let admin = demo_login(&base, "admin").await;
    assert_eq!(admin.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&admin), "/", "demo logins need no second factor");
    let mfa = demo_login(&base, teczka::demo::SECOND_FACTOR_LOGIN).await;
    assert_eq!(location(&mfa), "/login/code", "except kierownik-mfa's");
    // Its code (from the printed key) opens the sealed secret and logs in.
    let token = crate::second_factor::pending_cookie(&mfa).unwrap();
    let secret =
        teczka::auth::second_factor::secret_from_base32(teczka::demo::SECOND_FACTOR_SECRET)
            .unwrap();
    let code = crate::second_factor::code_at(&secret, time::OffsetDateTime::now_utc());
    let session = client()
        .post(format!("{base}/login/code"))
        .header("cookie", format!("__Host-teczka_login={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[("code", &code)]))
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), StatusCode::SEE_OTHER);
    assert!(session_cookie(&session).is_some());
    signal(&third, libc::SIGINT);
    let status = tokio::time::timeout(Duration::from_secs(60), third.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn missing_postgresql_binaries_give_one_clear_line_naming_the_package() {
    let dir = data_dir();
    let output = teczka()
        .env("TECZKA_DATA_DIR", &dir)
        .env("TECZKA_PG_BINDIR", "/nonexistent/bin")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("postgresql-15"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn create_admin_prints_a_one_time_password_that_must_be_changed_at_first_login() {
    let database = fresh_database().await;
    let url = database_url(teczka::db::APP_ROLE, &database);
    // Administrative commands run as the schema owner (row-level security shows the app role
    // one centre at a time).
    let owner_url = database_url(teczka::db::embedded::OWNER_ROLE, &database);
    // Two centres exist: the command asks which one.
    let ambiguous = teczka()
        .env("DATABASE_URL", &url)
        .env("TECZKA_MIGRATION_DATABASE_URL", &owner_url)
        .args(["create-admin", "--login", "nowy.admin"])
        .output()
        .await
        .unwrap();
    assert_eq!(ambiguous.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&ambiguous.stderr).contains("--centre"));

    let output = teczka()
        .env("DATABASE_URL", &url)
        .env("TECZKA_MIGRATION_DATABASE_URL", &owner_url)
        .args([
            "create-admin",
            "--login",
            "nowy.admin",
            "--name",
            "Nowy Administrator",
            "--centre",
            CENTRE_A,
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let one_time = stdout
        .split("): ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(one_time.len(), 19, "{stdout}");

    let duplicate = teczka()
        .env("DATABASE_URL", &url)
        .env("TECZKA_MIGRATION_DATABASE_URL", &owner_url)
        .args([
            "create-admin",
            "--login",
            "nowy.admin",
            "--centre",
            CENTRE_A,
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(duplicate.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already taken"));

    // The installation's default: the administrator sets a second factor up right after the
    // one-time password, then changes the password.
    let mut config = test_config();
    config.second_factor = teczka::config::SecondFactorRequirement::AdminAndManager;
    let app_pool = teczka::db::app_pool(&config, connect_options(teczka::db::APP_ROLE, &database));
    let app = spawn_with_pool(config, app_pool, database).await;
    let response = app.post_login("nowy.admin", &one_time).await;
    assert_redirect(&response, "/login/second-factor");
    let token = crate::second_factor::pending_cookie(&response).unwrap();
    let page = crate::second_factor::as_pending(
        &app,
        reqwest::Method::GET,
        "/login/second-factor",
        &token,
        &[],
    )
    .await
    .text()
    .await
    .unwrap();
    let code = crate::second_factor::code_now(&app, &crate::second_factor::secret_on_page(&page));
    let done = crate::second_factor::as_pending(
        &app,
        reqwest::Method::POST,
        "/login/second-factor",
        &token,
        &[("code", &code)],
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    let session = session_cookie(&done).unwrap();
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("href=\"/account/password\""),
        "the password change comes next"
    );
    let home = app
        .request(reqwest::Method::GET, "/", None)
        .header("cookie", format!("__Host-teczka_sid={session}"))
        .send()
        .await
        .unwrap();
    assert_redirect(&home, "/account/password");
    assert_eq!(app.audit_count("staff.create", Some("success")).await, 1);
    let role: String =
        sqlx::query_scalar("select role::text from staff_user where login = 'nowy.admin'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(role, "admin");
}

#[tokio::test]
async fn with_database_url_the_server_needs_migrate_and_creates_no_accounts() {
    let database = empty_database().await;
    let app_url = database_url(teczka::db::APP_ROLE, &database);
    let owner_url = database_url(teczka::db::embedded::OWNER_ROLE, &database);
    // Without TECZKA_SECRET_KEY_FILE the server does not start, and says why.
    let keyless = teczka()
        .env("DATABASE_URL", &app_url)
        .output()
        .await
        .unwrap();
    assert_eq!(keyless.status.code(), Some(1));
    let message = String::from_utf8_lossy(&keyless.stderr);
    assert!(
        message.contains("TECZKA_SECRET_KEY_FILE is not set"),
        "{message}"
    );
    let key_file = test_key_file();
    let mut unmigrated = teczka()
        .env("DATABASE_URL", &app_url)
        .env("TECZKA_SECRET_KEY_FILE", key_file)
        .spawn()
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), unmigrated.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let mut stderr = String::new();
    unmigrated
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    assert!(stderr.contains("teczka migrate"), "{stderr}");

    let migrate = teczka()
        .env("DATABASE_URL", &app_url)
        .env("TECZKA_MIGRATION_DATABASE_URL", &owner_url)
        .arg("migrate")
        .output()
        .await
        .unwrap();
    assert_eq!(
        migrate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );

    let mut server = teczka()
        .env("DATABASE_URL", &app_url)
        .env("TECZKA_SECRET_KEY_FILE", key_file)
        .spawn()
        .unwrap();
    let base = wait_for_url(&mut server).await;
    assert_eq!(
        client()
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        demo_login(&base, "admin").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let login_page = client()
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!login_page.contains("DEMO"));
    signal(&server, libc::SIGTERM);
    assert_eq!(server.wait().await.unwrap().code(), Some(0));
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options("teczka", &database))
        .await
        .unwrap();
    let accounts: i64 = sqlx::query_scalar("select count(*) from staff_user")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0, "no default accounts outside demo mode");

    // `--demo` on a real database seeds the fictional data and marks every page.
    let mut demo = teczka()
        .env("DATABASE_URL", &app_url)
        .env("TECZKA_MIGRATION_DATABASE_URL", &owner_url)
        .env("TECZKA_SECRET_KEY_FILE", key_file)
        .arg("--demo")
        .spawn()
        .unwrap();
    let base = wait_for_url(&mut demo).await;
    assert_eq!(
        demo_login(&base, "socjalny1").await.status(),
        StatusCode::SEE_OTHER
    );
    let page = client()
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("DEMO"));
    signal(&demo, libc::SIGTERM);
    assert_eq!(demo.wait().await.unwrap().code(), Some(0));

    // `teczka audit verify` checks the sealed audit chain: whole, then with a sealed row
    // changed by the owner, it fails naming the seal.
    let verify = || {
        teczka()
            .env("DATABASE_URL", &app_url)
            .args(["audit", "verify"])
            .output()
    };
    let sealed: i32 = sqlx::query_scalar("select audit_seal_next(100000, interval '0')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(sealed > 0);
    let whole = verify().await.unwrap();
    let out = String::from_utf8_lossy(&whole.stdout);
    assert_eq!(whole.status.code(), Some(0), "{out}");
    assert!(
        out.contains("Pieczęcie dziennika zdarzeń: 1 zgodnych"),
        "{out}"
    );
    for statement in [
        "alter table audit_event disable trigger audit_event_no_update",
        "update audit_event set outcome = 'denied' where audit_event_id = 1",
        "alter table audit_event enable trigger audit_event_no_update",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    let broken = verify().await.unwrap();
    let out = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{out}");
    assert!(out.contains("PIERWSZA NIEZGODNA PIECZĘĆ: nr 1"), "{out}");
}

#[tokio::test]
async fn teczka_seed_adds_participants_with_histories_to_the_named_centre() {
    let database = fresh_database().await;
    let url = database_url(teczka::db::APP_ROLE, &database);
    // Administrative commands run as the schema owner (row-level security shows the app role
    // one centre at a time).
    let owner_url = database_url(teczka::db::embedded::OWNER_ROLE, &database);
    let output = teczka()
        .env("DATABASE_URL", &url)
        .env("TECZKA_MIGRATION_DATABASE_URL", &owner_url)
        .args(["seed", "--participants", "250", "--centre", CENTRE_B])
        .output()
        .await
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Dodano 250 uczestników"));
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options("teczka", &database))
        .await
        .unwrap();
    let (participants, histories, centres): (i64, i64, i64) = sqlx::query_as(
        "select count(*), (select count(*) from participant_status_change), count(distinct centre_id) from participant",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((participants, centres), (250, 1));
    assert!(histories >= 250);
    let wrong = teczka()
        .env("DATABASE_URL", &url)
        .env("TECZKA_MIGRATION_DATABASE_URL", &owner_url)
        .args(["seed", "--participants", "5", "--centre", "Nie ma takiego"])
        .output()
        .await
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("no centre named"));
}

#[tokio::test]
async fn the_server_refuses_a_schema_one_migration_behind_when_it_connects_as_the_app_role() {
    let database = fresh_database().await;
    // The last migration forgotten, as after an upgrade of the binary without `teczka migrate`.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options("teczka", &database))
        .await
        .unwrap();
    sqlx::query(
        "delete from _sqlx_migrations where version = (select max(version) from _sqlx_migrations)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let output = teczka()
        .env(
            "DATABASE_URL",
            database_url(teczka::db::APP_ROLE, &database),
        )
        .env("TECZKA_SECRET_KEY_FILE", test_key_file())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("1 migrations pending"), "{stderr}");
}
