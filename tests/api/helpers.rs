//! Test harness: one PostgreSQL cluster per test run, a database per test, the real app on an
//! ephemeral port, and an HTTP client that handles the `Secure` session cookie explicitly.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::PasswordHasher;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode, redirect};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgPool};
use teczka::app::App;
use teczka::config::Config;
use teczka::db::embedded::{ClusterOptions, EmbeddedCluster, OWNER_ROLE, Tuning};
use teczka::db::{APP_ROLE, MIGRATOR};
use teczka::domain::Role;
use teczka::state::AppState;
use tokio::sync::oneshot;
use uuid::Uuid;

/// Password of every fixture account.
pub const PASSWORD: &str = "testowe hasło do testów";
const TEMPLATE_DB: &str = "teczka_template";

/// Fixture centres.
pub const CENTRE_A: &str = "CIS Testowo";
pub const CENTRE_B: &str = "CIS Innowo";

/// Fixture accounts: (login, full name, role, centre name). Every role exists in both centres.
pub const USERS: &[(&str, &str, Role, &str)] = &[
    ("admin", "Adam Admin", Role::Admin, CENTRE_A),
    ("kierownik", "Kinga Kierownik", Role::Manager, CENTRE_A),
    ("socjalny1", "Sylwia Socjalna", Role::SocialWorker, CENTRE_A),
    (
        "socjalny2",
        "Sebastian Socjalny",
        Role::SocialWorker,
        CENTRE_A,
    ),
    ("psycholog", "Piotr Psycholog", Role::Psychologist, CENTRE_A),
    ("doradca", "Dorota Doradca", Role::CareerAdvisor, CENTRE_A),
    ("instruktor", "Igor Instruktor", Role::Instructor, CENTRE_A),
    ("iod", "Iga Inspektor", Role::Dpo, CENTRE_A),
    ("admin2", "Alicja Admin", Role::Admin, CENTRE_B),
    ("kierownik2", "Karol Kierownik", Role::Manager, CENTRE_B),
    ("socjalny3", "Sara Socjalna", Role::SocialWorker, CENTRE_B),
    (
        "psycholog2",
        "Paweł Psycholog",
        Role::Psychologist,
        CENTRE_B,
    ),
    ("doradca2", "Daria Doradca", Role::CareerAdvisor, CENTRE_B),
    (
        "instruktor2",
        "Iwona Instruktor",
        Role::Instructor,
        CENTRE_B,
    ),
    ("iod2", "Igor Inspektor", Role::Dpo, CENTRE_B),
];

/// The login of the fixture account with `role` in centre A.
pub fn login_for(role: Role) -> &'static str {
    USERS
        .iter()
        .find(|(_, _, r, c)| *r == role && *c == CENTRE_A)
        .map(|(l, ..)| *l)
        .unwrap()
}

struct Cluster {
    owner: PgConnectOptions,
    socket: PathBuf,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

/// Starts the shared cluster once per test process, on a thread that lives as long as the
/// process: PostgreSQL is told to quit when that thread's process dies.
fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("test-postgres".into())
            .spawn(move || {
                let result = start_cluster();
                let keep = match result {
                    Ok((cluster, info)) => {
                        tx.send(Ok(info)).unwrap();
                        cluster
                    }
                    Err(e) => {
                        tx.send(Err(format!("{e:#}"))).unwrap();
                        return;
                    }
                };
                loop {
                    std::thread::park();
                    let _ = &keep;
                }
            })
            .unwrap();
        rx.recv()
            .unwrap()
            .unwrap_or_else(|e| panic!("test cluster: {e}"))
    })
}

fn start_cluster() -> anyhow::Result<(EmbeddedCluster, Cluster)> {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    // Clusters of earlier runs whose process is gone are removed.
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("pg-").and_then(|p| p.parse::<u32>().ok())
                && !PathBuf::from(format!("/proc/{pid}")).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let base_dir = root.join(format!("pg-{}", std::process::id()));
    let cluster = EmbeddedCluster::start(&ClusterOptions {
        base_dir,
        bin_dir: None,
        tuning: Tuning::Throwaway,
        kill_with_parent: true,
    })?;
    let owner = cluster.connect_options(OWNER_ROLE, "postgres");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(prepare_template(&cluster))?;
    let socket = cluster.socket_path();
    Ok((cluster, Cluster { owner, socket }))
}

/// The migrated template every test database is cloned from, with the fixture accounts.
async fn prepare_template(cluster: &EmbeddedCluster) -> anyhow::Result<()> {
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster.connect_options(OWNER_ROLE, "postgres"))
        .await?;
    admin
        .execute(format!("create database {TEMPLATE_DB}").as_str())
        .await?;
    admin.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster.connect_options(OWNER_ROLE, TEMPLATE_DB))
        .await?;
    MIGRATOR.run(&pool).await?;
    pool.execute(format!("alter role {APP_ROLE} login").as_str())
        .await?;
    // A deliberately cheap hash keeps fixture logins fast; the first login upgrades it to the
    // production parameters, as it would for an old hash.
    let cheap = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(64, 1, 1, None).unwrap(),
    )
    .hash_password(PASSWORD.as_bytes())
    .unwrap()
    .to_string();
    for (name, city) in [(CENTRE_A, "Testowo"), (CENTRE_B, "Innowo")] {
        sqlx::query("insert into centre (name, city) values ($1, $2)")
            .bind(name)
            .bind(city)
            .execute(&pool)
            .await?;
    }
    for (login, full_name, role, centre) in USERS {
        sqlx::query(
            "insert into staff_user (centre_id, login, full_name, role, password_hash)
             select centre_id, $1, $2, $3, $4 from centre where name = $5",
        )
        .bind(login)
        .bind(full_name)
        .bind(role)
        .bind(&cheap)
        .bind(centre)
        .execute(&pool)
        .await?;
    }
    // Each account's creation, the first entry of its role history (as the app writes it).
    sqlx::query(
        "insert into staff_role_change (staff_user_id, to_role, changed_at)
         select staff_user_id, role, created_at from staff_user",
    )
    .execute(&pool)
    .await?;
    pool.close().await;
    Ok(())
}

/// Configuration for a test app: ephemeral port, generous rate limit, and no role required to
/// have a second factor, so the fixture accounts log in with the password alone (the tests of
/// the second factor turn the installation's default back on; an account with a factor always
/// needs its code). The second-factor secrets are sealed with one key per test run, from a
/// file made like the embedded installation's ([`test_key_file`]).
pub fn test_config() -> Config {
    Config {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        login_rate_burst: 10_000,
        second_factor: teczka::config::SecondFactorRequirement::Nobody,
        secret_key_file: Some(test_key_file().to_owned()),
        ..Config::default()
    }
}

/// The run's key file (mode 0600, in the temporary folder), created on first use.
pub fn test_key_file() -> &'static std::path::Path {
    static KEY_FILE: OnceLock<PathBuf> = OnceLock::new();
    KEY_FILE.get_or_init(|| {
        let path = std::env::temp_dir()
            .join(format!("teczka-test-{}", std::process::id()))
            .join(teczka::security::sealed::KEY_FILE_NAME);
        teczka::security::sealed::create_key_file(&path).expect("test key file");
        path
    })
}

/// A fresh database cloned from the template; returns its name.
pub async fn fresh_database() -> String {
    let name = format!("t_{}", Uuid::new_v4().simple());
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster().owner.clone())
        .await
        .unwrap();
    admin
        .execute(format!("create database {name} template {TEMPLATE_DB}").as_str())
        .await
        .unwrap();
    admin.close().await;
    name
}

/// Connection options for `database` as `user` over the cluster socket.
pub fn connect_options(user: &str, database: &str) -> PgConnectOptions {
    cluster().owner.clone().username(user).database(database)
}

/// The cluster's socket file (for the outage proxy).
pub fn socket_path() -> PathBuf {
    cluster().socket.clone()
}

/// A `postgres://` URL for `database` (used by the CLI tests).
pub fn database_url(user: &str, database: &str) -> String {
    let dir = cluster().socket.parent().unwrap().display().to_string();
    format!("postgres://{user}@localhost/{database}?host={dir}")
}

/// A running app with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:port`.
    pub address: String,
    /// Superuser pool on the test database, for arranging and asserting.
    pub db: PgPool,
    /// Name of the test database.
    pub database: String,
    /// The app's state (its clock can be moved).
    pub state: AppState,
    client: Client,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// A signed-in browser: its session cookie and the synchronizer token.
#[derive(Clone, Debug)]
pub struct Session {
    /// Value of `__Host-teczka_sid`.
    pub token: String,
    /// The `csrf_token` forms carry.
    pub csrf: String,
}

/// Starts the app with the test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app after `configure` adjusts the configuration.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let database = fresh_database().await;
    let mut config = test_config();
    configure(&mut config);
    let app_pool = teczka::db::app_pool(&config, connect_options(APP_ROLE, &database));
    spawn_with_pool(config, app_pool, database).await
}

/// Starts the app on an existing database.
pub async fn spawn_app_on(database: String) -> TestApp {
    let config = test_config();
    let app_pool = teczka::db::app_pool(&config, connect_options(APP_ROLE, &database));
    spawn_with_pool(config, app_pool, database).await
}

/// An empty database (no schema, no fixtures); returns its name.
pub async fn empty_database() -> String {
    let name = format!("e_{}", Uuid::new_v4().simple());
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster().owner.clone())
        .await
        .unwrap();
    admin
        .execute(format!("create database {name}").as_str())
        .await
        .unwrap();
    admin.close().await;
    name
}

/// Starts the app on a given pool (the outage tests route it through a proxy).
pub async fn spawn_with_pool(config: Config, app_pool: PgPool, database: String) -> TestApp {
    let owner = connect_options(OWNER_ROLE, &database);
    spawn_with_pools(config, app_pool, owner, database).await
}

/// Starts the app on a given pool, with the test's owner pool on `owner` (a database outside
/// the shared cluster, e.g. a restored backup).
pub async fn spawn_with_pools(
    config: Config,
    app_pool: PgPool,
    owner: PgConnectOptions,
    database: String,
) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        teczka::telemetry::init(teczka::config::LogFormat::Pretty);
    } else {
        // The server's warnings and errors go to the test's captured output, which the harness
        // prints when the test fails: a 500 in a test names its cause.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
            .with_test_writer()
            .try_init();
    }
    // Fixtures date things with `current_date`: in Polish time, like the app's "today" (between
    // 23:00 and 01:00 UTC the two days differ, and a fixture would land on the wrong day).
    let db = PgPoolOptions::new()
        .max_connections(4)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("set time zone 'Europe/Warsaw'").await?;
                Ok(())
            })
        })
        .connect_with(owner)
        .await
        .unwrap();
    let app = App::build(config, app_pool).await.unwrap();
    let address = format!("http://{}", app.local_addr().unwrap());
    let state = app.state().clone();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = rx.await;
    }));
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address,
        db,
        database,
        state,
        client,
        shutdown: Some(tx),
        server: Some(server),
    }
}

impl TestApp {
    /// Starts graceful shutdown; returns the server task.
    pub fn begin_shutdown(&mut self) -> tokio::task::JoinHandle<std::io::Result<()>> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.server.take().unwrap()
    }

    /// The `host:port` the app listens on.
    pub fn socket_addr(&self) -> SocketAddr {
        self.address.trim_start_matches("http://").parse().unwrap()
    }

    fn headers(session: Option<&Session>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(s) = session {
            headers.insert(
                "cookie",
                HeaderValue::from_str(&format!("__Host-teczka_sid={}", s.token)).unwrap(),
            );
        }
        headers
    }

    /// GET as `session` (or anonymous).
    pub async fn get(&self, path: &str, session: Option<&Session>) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .headers(Self::headers(session))
            .send()
            .await
            .unwrap()
    }

    /// A request builder with the session cookie, for unusual requests.
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        session: Option<&Session>,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
            .headers(Self::headers(session))
    }

    /// POSTs a form; the session's synchronizer token is added automatically.
    pub async fn post(
        &self,
        path: &str,
        session: Option<&Session>,
        fields: &[(&str, &str)],
    ) -> Response {
        let mut pairs: Vec<(&str, &str)> = fields.to_vec();
        if let Some(s) = session {
            pairs.push(("csrf_token", s.csrf.as_str()));
        }
        self.post_raw(path, session, &pairs).await
    }

    /// POSTs exactly these fields (no token added).
    pub async fn post_raw(
        &self,
        path: &str,
        session: Option<&Session>,
        fields: &[(&str, &str)],
    ) -> Response {
        let body = form_body(fields);
        self.request(reqwest::Method::POST, path, session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// POSTs the login form.
    pub async fn post_login(&self, login: &str, password: &str) -> Response {
        self.post_raw("/login", None, &[("login", login), ("password", password)])
            .await
    }

    /// Logs in as a fixture account and returns the session (panics on failure).
    pub async fn login(&self, login: &str) -> Session {
        self.login_with(login, PASSWORD).await
    }

    /// Logs in with a given password and returns the session (panics on failure).
    pub async fn login_with(&self, login: &str, password: &str) -> Session {
        let response = self.post_login(login, password).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login as {login} failed"
        );
        let token = session_cookie(&response).expect("login sets the session cookie");
        let mut session = Session {
            token,
            csrf: String::new(),
        };
        session.csrf = self.csrf_token(&session).await;
        session
    }

    /// Reads the synchronizer token from a page.
    pub async fn csrf_token(&self, session: &Session) -> String {
        let page = self
            .get("/account/password", Some(session))
            .await
            .text()
            .await
            .unwrap();
        extract_csrf(&page).expect("page carries a csrf token")
    }

    /// Id of a fixture account.
    pub async fn user_id(&self, login: &str) -> Uuid {
        sqlx::query_scalar("select staff_user_id from staff_user where login = $1")
            .bind(login)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    /// Number of audit rows with this action (and outcome, if given).
    pub async fn audit_count(&self, action: &str, outcome: Option<&str>) -> i64 {
        sqlx::query_scalar("select count(*) from audit_event where action = $1 and ($2::text is null or outcome = $2)")
            .bind(action)
            .bind(outcome)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    /// Number of stored sessions of an account.
    pub async fn session_count(&self, login: &str) -> i64 {
        sqlx::query_scalar("select count(*) from session s join staff_user u on u.staff_user_id = s.user_id where u.login = $1")
            .bind(login)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    /// Moves the app's clock forward.
    pub fn advance(&self, by: Duration) {
        self.state.clock.advance(by);
    }
}

/// The session token from a response's `Set-Cookie`, if it sets one.
pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("__Host-teczka_sid="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .filter(|v| !v.is_empty())
}

/// The first `csrf_token` hidden field of a page.
pub fn extract_csrf(page: &str) -> Option<String> {
    let start = page.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    Some(page[start..].split('"').next()?.to_owned())
}

/// `application/x-www-form-urlencoded` body.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded_pairs(fields);
    s.shrink_to_fit();
    s
}

fn form_urlencoded_pairs(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `Location` header of a redirect.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Asserts a 303 to `to`.
pub fn assert_redirect(response: &Response, to: &str) {
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "expected a redirect to {to}"
    );
    assert_eq!(location(response), to);
}

/// A TCP proxy in front of the cluster's socket that a test can switch off and on, to play a
/// database outage (toxiproxy-style) without touching the shared cluster. While down, the port
/// refuses connections and every open connection is cut.
pub struct PgProxy {
    /// Local port the app's pool connects to.
    pub port: u16,
    state: tokio::sync::watch::Sender<bool>,
}

impl PgProxy {
    /// Starts the proxy (up).
    pub async fn start() -> Self {
        let first = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = first.local_addr().unwrap().port();
        let (state, mut watch) = tokio::sync::watch::channel(true);
        let socket = socket_path();
        tokio::spawn(async move {
            let mut listener = Some(first);
            let mut connections: Vec<tokio::task::AbortHandle> = Vec::new();
            loop {
                match &listener {
                    Some(l) => tokio::select! {
                        accepted = l.accept() => {
                            let Ok((mut inbound, _)) = accepted else { continue };
                            let socket = socket.clone();
                            let task = tokio::spawn(async move {
                                if let Ok(mut outbound) = tokio::net::UnixStream::connect(socket).await {
                                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                                }
                            });
                            connections.push(task.abort_handle());
                        }
                        changed = watch.changed() => {
                            if changed.is_err() { return; }
                            if !*watch.borrow() {
                                listener = None;
                                connections.drain(..).for_each(|c| c.abort());
                            }
                        }
                    },
                    None => {
                        if watch.changed().await.is_err() {
                            return;
                        }
                        if *watch.borrow() {
                            listener = Some(
                                tokio::net::TcpListener::bind(("127.0.0.1", port))
                                    .await
                                    .unwrap(),
                            );
                        }
                    }
                }
            }
        });
        Self { port, state }
    }

    /// Cuts every connection and refuses new ones.
    pub async fn down(&self) {
        self.state.send_replace(false);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// Lets connections through again.
    pub async fn up(&self) {
        self.state.send_replace(true);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// Connection options through the proxy.
    pub fn connect_options(&self, user: &str, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .host("127.0.0.1")
            .port(self.port)
            .username(user)
            .database(database)
    }
}

/// A valid PESEL for a fictional person.
pub fn pesel(year: i32, month: u8, day: u8, serial: u32, female: bool) -> String {
    use teczka::participants::pesel::{Pesel, Sex};
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).unwrap(), day).unwrap();
    Pesel::generate(date, serial, if female { Sex::Female } else { Sex::Male })
}

/// A complete, valid registration form (override fields by name).
pub fn registration(
    surname: &str,
    first_names: &str,
    pesel: &str,
    overrides: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("surname", surname),
        ("first_names", first_names),
        ("pesel", pesel),
        ("birth_date", ""),
        ("sex", ""),
        ("id_document", ""),
        ("address_street", "ul. Lipowa 5"),
        ("address_postal_code", "05-506"),
        ("address_city", "Lesznowola"),
        ("responsible_ops", "GOPS Lesznowola"),
        ("phone", "601 234 567"),
        ("cat_long_term_unemployed", "on"),
        ("cat_alcohol", "on"),
        ("category_other", ""),
        ("no_exclusion", "on"),
        ("no_exclusion_date", "2026-11-02"),
        ("applicant", "ops"),
        ("applicant_institution", "GOPS Lesznowola"),
        ("referrer", "pup"),
        ("referrer_institution", "PUP w Piasecznie"),
        ("referral_date", "2026-11-02"),
        ("consent_date", "2026-11-02"),
        ("consent_scope", "Rekrutacja i udział w CIS"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (k, v) in overrides {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = (*v).to_owned(),
            None => fields.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    fields.retain(|(_, v)| v != "<absent>");
    fields
}

impl TestApp {
    /// POSTs owned fields.
    pub async fn post_fields(
        &self,
        path: &str,
        session: &Session,
        fields: &[(String, String)],
    ) -> Response {
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(path, Some(session), &refs).await
    }

    /// Registers a candidate and returns its id (panics unless the answer is a redirect).
    pub async fn register(
        &self,
        session: &Session,
        surname: &str,
        first_names: &str,
        pesel: &str,
    ) -> Uuid {
        let response = self
            .post_fields(
                "/participants",
                session,
                &registration(surname, first_names, pesel, &[]),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "registration failed: {}",
            response.text().await.unwrap()
        );
        let to = location(&response);
        to.trim_start_matches("/participants/").parse().unwrap()
    }

    /// The centre id of a fixture centre.
    pub async fn centre_id(&self, name: &str) -> Uuid {
        sqlx::query_scalar("select centre_id from centre where name = $1")
            .bind(name)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    /// A workshop run by `instructor`.
    pub async fn workshop(&self, centre: &str, name: &str, instructor: Option<&str>) -> Uuid {
        let centre_id = self.centre_id(centre).await;
        let instructor_id = match instructor {
            Some(login) => Some(self.user_id(login).await),
            None => None,
        };
        let id: Uuid = sqlx::query_scalar(
            "insert into workshop (centre_id, name) values ($1, $2) returning workshop_id",
        )
        .bind(centre_id)
        .bind(name)
        .fetch_one(&self.db)
        .await
        .unwrap();
        if let Some(instructor_id) = instructor_id {
            sqlx::query("insert into workshop_instructor (workshop_id, staff_user_id, centre_id) values ($1, $2, $3)")
                .bind(id)
                .bind(instructor_id)
                .bind(centre_id)
                .execute(&self.db)
                .await
                .unwrap();
        }
        id
    }

    /// Sets columns of one participant directly in the database (`assignments` is the SQL
    /// after `set`), to arrange a state the screens under test start from.
    pub async fn update_participant(&self, id: Uuid, assignments: &str) {
        sqlx::query(&format!(
            "update participant set {assignments} where participant_id = $1"
        ))
        .bind(id)
        .execute(&self.db)
        .await
        .unwrap();
    }

    /// Puts a fixture participant back before admission: `status` (candidate or reserve),
    /// with none of the participation dates.
    pub async fn before_admission(&self, id: Uuid, status: &str) {
        self.update_participant(
            id,
            &format!(
                "status = '{status}', admitted_on = null, trial_ends_on = null, planned_end_on = null,
                 cap_end_on = null, ops_agreement_name = null, ops_agreement_date = null"
            ),
        )
        .await;
    }

    /// The body of the page at `path` for `session` (whatever its status).
    pub async fn text(&self, path: &str, session: &Session) -> String {
        self.get(path, Some(session)).await.text().await.unwrap()
    }

    /// Every recorded view of `participant`'s file, oldest first: (login, parts shown).
    pub async fn file_views(&self, participant: Uuid) -> Vec<(String, String)> {
        sqlx::query_as(
            "select u.login, a.detail from audit_event a join staff_user u on u.staff_user_id = a.actor_id
             where a.action = 'participant.view' and a.participant_id = $1 order by a.audit_event_id",
        )
        .bind(participant)
        .fetch_all(&self.db)
        .await
        .unwrap()
    }

    /// A case note on `participant`'s file by `author` (a login) with `visibility` (a code),
    /// arranged directly in the database; its id.
    pub async fn note(&self, participant: Uuid, author: &str, visibility: &str) -> Uuid {
        sqlx::query_scalar(
            "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body, visibility)
             select p.centre_id, p.participant_id, u.staff_user_id, current_date - 1, 'conversation',
                    'Notatka z ' || $3, 'Treść notatki (' || $3 || ').', $3::case_note_visibility
             from participant p, staff_user u where p.participant_id = $1 and u.login = $2
             returning case_note_id",
        )
        .bind(participant)
        .bind(author)
        .bind(visibility)
        .fetch_one(&self.db)
        .await
        .unwrap()
    }

    /// An approved first IPZS of `participant` (drafted by socjalny1, approved by the manager
    /// 400 days ago) naming the OPS head `ops_name` who agreed on `ops_date`; arranged directly
    /// in the database. Its id.
    pub async fn approved_programme(
        &self,
        participant: Uuid,
        ops_name: &str,
        ops_date: &str,
    ) -> Uuid {
        sqlx::query_scalar(
            "with d as (insert into document (centre_id, participant_id, kind, status, author_id)
                        select p.centre_id, p.participant_id, 'ipzs', 'approved', u.staff_user_id
                        from participant p, staff_user u
                        where p.participant_id = $1 and u.login = 'socjalny1' and u.centre_id = p.centre_id
                        returning document_id, centre_id, author_id),
                  v as (insert into document_version (document_id, number, status, sections, created_by)
                        select document_id, 1, 'approved',
                               jsonb_build_array(jsonb_build_array('goal.1.text', 'Zatrudnienie'),
                                                 jsonb_build_array('ops_name', $2::text),
                                                 jsonb_build_array('ops_date', $3::text)),
                               author_id from d returning document_id)
             insert into document_event (document_id, centre_id, version, step, from_status, to_status, decided_by, occurred_at)
             select d.document_id, d.centre_id, 1, 'approve', 'submitted', 'approved', u.staff_user_id, now() - interval '400 days'
             from d, staff_user u where u.login = 'kierownik' and u.centre_id = d.centre_id
             returning document_id",
        )
        .bind(participant)
        .bind(ops_name)
        .bind(ops_date)
        .fetch_one(&self.db)
        .await
        .unwrap()
    }

    /// Admits `participant` (on the reserve list) the way a centre does: the manager records
    /// the signatures of an approved first IPZS ([`TestApp::approved_programme`]) dated `on`,
    /// confirming any missing recruitment documents. The signatures' response.
    pub async fn admit_by_programme(
        &self,
        participant: Uuid,
        on: &str,
        ops_name: &str,
        ops_date: &str,
    ) -> Response {
        let programme = self
            .approved_programme(participant, ops_name, ops_date)
            .await;
        let manager = self.login("kierownik").await;
        self.post(
            &format!("/ipzs/{programme}/signatures"),
            Some(&manager),
            &[
                ("participant_signed_on", on),
                ("manager_signed_on", on),
                ("documents_confirmed", "tak"),
            ],
        )
        .await
    }

    /// A participant already in the programme (admitted 3 months ago), arranged directly in
    /// the database: `worker` is the social worker's login, `workshop` an optional workshop.
    pub async fn fixture_participant(
        &self,
        centre: &str,
        surname: &str,
        worker: Option<&str>,
        workshop: Option<Uuid>,
    ) -> Uuid {
        let centre_id = self.centre_id(centre).await;
        let worker_id = match worker {
            Some(login) => Some(self.user_id(login).await),
            None => None,
        };
        let serial: u32 = rand_serial();
        let id: Uuid = sqlx::query_scalar(
            "insert into participant (centre_id, surname, first_names, pesel, birth_date, sex, address_city, responsible_ops,
                 categories, no_exclusion_declared_on, applicant, referrer, referrer_institution, referral_date, consent_date,
                 consent_scope, social_worker_id, status, admitted_on, ops_agreement_name, ops_agreement_date, trial_ends_on,
                 planned_end_on, cap_end_on)
             values ($1, $2, 'Jan', $3, '1980-01-01', 'M', 'Testowo', 'GOPS Testowo',
                 '{long_term_unemployed,prison,alcohol}', current_date - 100, 'person', 'ops', 'GOPS Testowo', current_date - 100,
                 current_date - 100, 'Rekrutacja', $4, 'participant', current_date - 90, 'Anna Nowak', current_date - 91,
                 current_date - 60, current_date + 270, current_date + 630)
             returning participant_id",
        )
        .bind(centre_id)
        .bind(surname)
        .bind(pesel(1980, 1, 1, serial, false))
        .bind(worker_id)
        .fetch_one(&self.db)
        .await
        .unwrap();
        if let Some(workshop) = workshop {
            sqlx::query("insert into workshop_membership (workshop_id, participant_id, centre_id, member_from) values ($1, $2, $3, current_date - 90)")
                .bind(workshop)
                .bind(id)
                .bind(centre_id)
                .execute(&self.db)
                .await
                .unwrap();
        }
        id
    }
}

fn rand_serial() -> u32 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 1000
}

/// Today in Warsaw, as the app counts it (the test pool's time zone).
pub async fn today(app: &TestApp) -> time::Date {
    sqlx::query_scalar("select current_date")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A date as a form's date field posts it (ISO).
pub fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A date as the pages show it.
pub fn polish(d: time::Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

/// GETs a page: its status and text.
pub async fn body(app: &TestApp, path: &str, session: &Session) -> (StatusCode, String) {
    let response = app.get(path, Some(session)).await;
    (response.status(), response.text().await.unwrap())
}

/// POSTs a form: the status and the redirect's target, or the page.
pub async fn post_text(
    app: &TestApp,
    path: &str,
    session: &Session,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = app.post(path, Some(session), fields).await;
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.unwrap();
    (status, location.unwrap_or(text))
}

/// A document's status code.
pub async fn doc_status(app: &TestApp, doc: Uuid) -> String {
    sqlx::query_scalar("select status::text from document where document_id = $1")
        .bind(doc)
        .fetch_one(&app.db)
        .await
        .unwrap()
}
