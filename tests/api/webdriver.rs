//! A small WebDriver client for Debian's headless Chromium (chromedriver), plus the axe-core
//! accessibility check every browser test runs on every page it visits.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::process::{Child, Command};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// WebDriver's codes of the keys the keyboard tests press.
pub mod key {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SHIFT: &str = "\u{E008}";
    pub const CONTROL: &str = "\u{E009}";
    pub const UP: &str = "\u{E013}";
    pub const DOWN: &str = "\u{E015}";
}

/// One headless Chromium driven over WebDriver.
pub struct Browser {
    http: reqwest::Client,
    base: String,
    session: String,
    _driver: Child,
    _profile: PathBuf,
}

fn executable(env: &str, default: &str) -> String {
    let path = std::env::var(env).unwrap_or_else(|_| default.to_owned());
    assert!(
        std::path::Path::new(&path).exists(),
        "{path} is missing: run scripts/test, which installs the Debian packages chromium and chromium-driver"
    );
    path
}

fn axe_source() -> String {
    let path = std::env::var("TECZKA_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run scripts/test, which installs axe-core with npm",
            path.display()
        )
    })
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile.
    pub async fn start() -> Self {
        let chromium = executable("TECZKA_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = executable("TECZKA_CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{base}/status")).send().await {
                let status: Value = r.json().await.unwrap_or_default();
                if status["value"]["ready"] == json!(true) {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("chromium-{}", uuid::Uuid::new_v4().simple()));
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-quic", "--no-first-run", "--window-size=1280,900", "--lang=pl-PL",
                        format!("--user-data-dir={}", profile.display()),
                    ]
                }
            }}
        });
        let response: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = response["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {response}"))
            .to_owned();
        Self {
            http,
            base,
            session,
            _driver: driver,
            _profile: profile,
        }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = self.http.request(method.clone(), url);
        let request = if method == reqwest::Method::GET {
            request
        } else {
            request.json(&body)
        };
        let value: Value = request.send().await.unwrap().json().await.unwrap();
        if let Some(error) = value["value"]["error"].as_str() {
            panic!("WebDriver {path}: {error}: {}", value["value"]["message"]);
        }
        value["value"].clone()
    }

    /// Opens a URL and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", json!({ "url": url }))
            .await;
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        self.command(reqwest::Method::GET, "/url", Value::Null)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        self.execute("return document.body.innerText;", json!([]))
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn find(&self, css: &str) -> String {
        let found = self
            .command(
                reqwest::Method::POST,
                "/element",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        found[ELEMENT].as_str().unwrap().to_owned()
    }

    /// Types into the field matching `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            json!({}),
        )
        .await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
    }

    /// Chooses an option of the `<select>` matching `css` by its value.
    pub async fn choose(&self, css: &str, value: &str) {
        let done = self
            .execute(
                "const s = document.querySelector(arguments[0]); s.value = arguments[1]; return s.value === arguments[1];",
                json!([css, value]),
            )
            .await;
        assert_eq!(done, json!(true), "no option {value} in {css}");
    }

    /// The value of the field matching `css`.
    pub async fn value(&self, css: &str) -> String {
        self.execute(
            "return document.querySelector(arguments[0]).value;",
            json!([css]),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Signs `login` in with the test password at `address` and waits for Start.
    pub async fn sign_in(&self, address: &str, login: &str) {
        self.goto(&format!("{address}/login")).await;
        self.fill("#login", login).await;
        self.fill("#password", crate::helpers::PASSWORD).await;
        self.click("form[action='/login'] button[type=submit]")
            .await;
        self.wait_for_path("/").await;
    }

    /// Runs a script in the page.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
        .await
    }

    /// Waits until the URL path (and query) ends with `suffix`.
    pub async fn wait_for_path(&self, suffix: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.url().await;
            if url.ends_with(suffix) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "expected to reach …{suffix}, still at {url}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's text contains `needle` (after a click that navigates).
    pub async fn wait_for_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.text().await.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed «{needle}»:\n{}",
                self.text().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses one key, or a chord such as Shift+Tab, on whatever has the focus, as a person at
    /// the keyboard would (WebDriver key actions: no element is targeted, nothing is set by
    /// script). `chord` holds the keys in the order they go down; they come up in reverse.
    pub async fn press(&self, chord: &[&str]) {
        let mut actions: Vec<Value> = chord
            .iter()
            .map(|k| json!({ "type": "keyDown", "value": k }))
            .collect();
        actions.extend(
            chord
                .iter()
                .rev()
                .map(|k| json!({ "type": "keyUp", "value": k })),
        );
        self.command(
            reqwest::Method::POST,
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
        )
        .await;
    }

    /// The focused element, as `tag#id` (or `tag:text` when it has no id).
    pub async fn focused(&self) -> String {
        self.execute(
            "const e = document.activeElement; if (!e) return '';
             const tag = e.tagName.toLowerCase();
             return e.id ? tag + '#' + e.id : tag + ':' + (e.textContent || '').trim().slice(0, 40);",
            json!([]),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Sets the window size (for reflow checks).
    pub async fn resize(&self, width: u32, height: u32) {
        self.command(
            reqwest::Method::POST,
            "/window/rect",
            json!({ "width": width, "height": height }),
        )
        .await;
    }

    /// Runs axe-core with the WCAG 2.0/2.1 A and AA rules on the current page and fails on any
    /// violation, naming the rule and the elements.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.axe_violations(page).await;
        assert!(
            violations.is_empty(),
            "{page}: accessibility violations:\n{}",
            serde_json::to_string_pretty(&violations).unwrap()
        );
    }

    /// The axe-core violations of the current page.
    pub async fn axe_violations(&self, page: &str) -> Vec<Value> {
        self.execute(&axe_source(), json!([])).await;
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })))))
              .catch(e => done('axe failed: ' + e));";
        let result = self
            .command(
                reqwest::Method::POST,
                "/execute/async",
                json!({ "script": script, "args": [] }),
            )
            .await;
        let text = result.as_str().unwrap_or_default();
        assert!(text.starts_with('['), "{page}: {text}");
        serde_json::from_str(text).unwrap()
    }

    /// True when the page scrolls sideways (content wider than the viewport).
    pub async fn overflows_horizontally(&self) -> bool {
        self.execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            json!([]),
        )
        .await
        .as_bool()
        .unwrap()
    }

    /// Ends the browser session.
    pub async fn quit(self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.session))
            .send()
            .await;
        let _ = std::fs::remove_dir_all(&self._profile);
    }
}
