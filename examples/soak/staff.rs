//! One simulated member of staff: signs in with their own account, then until the deadline
//! works as their role does, with a short pause between clicks. Every request is recorded
//! (kind, answer, time); every write with its marker, for the reconciliation.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use uuid::Uuid;

use crate::reconcile::{Record, Write, WriteKind, succeeded};
use crate::setup::{Plan, Role};

/// What every simulated person shares.
pub struct Shared {
    pub client: reqwest::Client,
    pub base: String,
    pub password: String,
    /// Marks every write of this run (note topics, correction reasons).
    pub run: String,
    pub started: Instant,
    pub deadline: Instant,
    /// Sign-ins are spread over this first part of the run (people arrive at work).
    pub arrival: Duration,
    /// The day notes are dated (yesterday).
    pub note_day: String,
    /// Per centre: programmes submitted and waiting for the manager.
    pub waiting: Vec<Mutex<VecDeque<Uuid>>>,
}

/// What one simulated person did.
#[derive(Default)]
pub struct Log {
    pub records: Vec<Record>,
    pub writes: Vec<Write>,
}

struct Person {
    shared: Arc<Shared>,
    plan: Plan,
    cookie: String,
    csrf: String,
    log: Log,
    writes: usize,
    /// Attendance: the next (group, day) in turn.
    turn: usize,
}

/// Runs one person until the deadline.
pub async fn work(shared: Arc<Shared>, mut plan: Plan) -> Log {
    // Not everyone starts at the same moment.
    let arrival = u64::try_from(shared.arrival.as_millis())
        .unwrap_or(0)
        .max(1);
    let delay = rand::rng().random_range(0..arrival);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    plan.drafts.reverse();
    let mut me = Person {
        shared,
        plan,
        cookie: String::new(),
        csrf: String::new(),
        log: Log::default(),
        writes: 0,
        turn: 0,
    };
    while Instant::now() < me.shared.deadline {
        if me.cookie.is_empty() || me.csrf.is_empty() {
            me.sign_in().await;
        } else {
            me.act().await;
        }
        let pause = rand::rng().random_range(100..700);
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
    me.log
}

/// An answer: status (0 without one) and body.
struct Answer {
    status: u16,
    body: String,
    cookie: Option<String>,
    /// The pending login's token (`__Host-teczka_login`), after the password of an account
    /// with a second factor.
    pending: Option<String>,
    location: Option<String>,
}

impl Person {
    async fn send(&mut self, kind: &'static str, request: reqwest::RequestBuilder) -> Answer {
        // Signed out (no session yet): the request carries its own cookie, if any.
        let request = if self.cookie.is_empty() {
            request
        } else {
            request.header(COOKIE, format!("__Host-teczka_sid={}", self.cookie))
        };
        let sent = Instant::now();
        let answer = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let cookie = response
                    .headers()
                    .get_all(SET_COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(|v| v.strip_prefix("__Host-teczka_sid="))
                    .and_then(|v| v.split(';').next())
                    .map(str::to_owned);
                let pending = response
                    .headers()
                    .get_all(SET_COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(|v| v.strip_prefix("__Host-teczka_login="))
                    .and_then(|v| v.split(';').next())
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned);
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let body = response.text().await.unwrap_or_default();
                Answer {
                    status,
                    body,
                    cookie,
                    pending,
                    location,
                }
            }
            Err(_) => Answer {
                status: 0,
                body: String::new(),
                cookie: None,
                pending: None,
                location: None,
            },
        };
        self.log.records.push(Record {
            kind,
            status: answer.status,
            at: sent - self.shared.started,
            took: sent.elapsed(),
        });
        // Sent to the login page (the session ended): sign in again.
        if kind != "login"
            && answer
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with("/login"))
        {
            self.cookie.clear();
        }
        answer
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.shared
            .client
            .get(format!("{}{path}", self.shared.base))
    }

    fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.extend_pairs(fields.iter().copied());
        body.append_pair("csrf_token", &self.csrf);
        self.shared
            .client
            .post(format!("{}{path}", self.shared.base))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body.finish())
    }

    async fn sign_in(&mut self) {
        let login = self.plan.login.clone();
        let password = self.shared.password.clone();
        let request = self
            .shared
            .client
            .post(format!("{}/login", self.shared.base))
            .form(&[("login", login.as_str()), ("password", password.as_str())]);
        let mut answer = self.send("login", request).await;
        // A manager's second step: the code of the current 30-second step.
        if let (303, Some("/login/code"), Some(pending)) = (
            answer.status,
            answer.location.as_deref(),
            answer.pending.clone(),
        ) {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let code = totp_rs::Builder::new()
                .with_secret(crate::setup::second_factor_secret())
                .build()
                .map(|totp| totp.generate(now).to_string())
                .unwrap_or_default();
            let request = self
                .shared
                .client
                .post(format!("{}/login/code", self.shared.base))
                .header(COOKIE, format!("__Host-teczka_login={pending}"))
                .form(&[("code", code.as_str())]);
            answer = self.send("login code", request).await;
        }
        if let (303, Some(cookie)) = (answer.status, answer.cookie) {
            self.cookie = cookie;
            let start = self.send("start page", self.get("/")).await;
            self.csrf = input_value(&start.body, "csrf_token").unwrap_or_default();
        }
    }

    fn wrote(&mut self, kind: WriteKind, marker: String, parts: i64, status: u16) {
        self.log.writes.push(Write {
            kind,
            marker,
            parts,
            status,
        });
    }

    fn marker(&mut self, what: &str) -> String {
        self.writes += 1;
        format!(
            "{} {what} {}-{}",
            self.shared.run, self.plan.login, self.writes
        )
    }

    fn person(&self) -> Option<(Uuid, String)> {
        let people = &self.plan.people;
        (!people.is_empty()).then(|| people[rand::rng().random_range(0..people.len())].clone())
    }

    /// One click of the role's day.
    async fn act(&mut self) {
        let roll = rand::rng().random_range(0..100);
        match (self.plan.role, roll) {
            (Role::Instructor, 0..60) if !self.plan.groups.is_empty() => self.attendance().await,
            (Role::Instructor, 0..80) => {
                drop(self.send("attendance list", self.get("/attendance")).await)
            }
            (Role::Instructor, _) => drop(
                self.send("participant list", self.get("/participants"))
                    .await,
            ),
            (_, 0..15) => drop(
                self.send("participant list", self.get("/participants"))
                    .await,
            ),
            (_, 15..30) => self.search().await,
            (_, 30..55) => self.open_file().await,
            (_, 55..62) => drop(self.send("start page", self.get("/")).await),
            (_, 62..80) => self.note().await,
            (Role::SocialWorker, _) => self.submit().await,
            (_, _) => self.approve().await,
        }
    }

    async fn search(&mut self) {
        let Some((_, surname)) = self.person() else {
            return;
        };
        let words: String = surname.chars().take(4).collect();
        let request = self.post("/participants/search", &[("q", &words)]);
        self.send("search", request).await;
    }

    async fn open_file(&mut self) {
        let Some((id, _)) = self.person() else { return };
        self.send("participant file", self.get(&format!("/participants/{id}")))
            .await;
    }

    async fn note(&mut self) {
        let Some((id, _)) = self.person() else { return };
        let form = self
            .send(
                "note form",
                self.get(&format!("/participants/{id}/notes/new")),
            )
            .await;
        if form.status != 200 {
            return;
        }
        typing().await;
        let topic = self.marker("note");
        let visibility = if self.plan.role == Role::SocialWorker {
            "social_work"
        } else {
            "team"
        };
        let day = self.shared.note_day.clone();
        let fields = [
            ("noted_on", day.as_str()),
            ("kind", "conversation"),
            ("topic", topic.as_str()),
            (
                "body",
                "Rozmowa o postępach na warsztatach i planie na kolejny tydzień.",
            ),
            ("visibility", visibility),
        ];
        let request = self.post(&format!("/participants/{id}/notes"), &fields);
        let answer = self.send("note save", request).await;
        self.wrote(WriteKind::Note, topic, 1, answer.status);
    }

    async fn submit(&mut self) {
        let Some(document) = self.plan.drafts.pop() else {
            return self.open_file().await;
        };
        let request = self.post(&format!("/ipzs/{document}/submit"), &[]);
        let answer = self.send("programme submit", request).await;
        self.wrote(WriteKind::Submit, document.to_string(), 1, answer.status);
        if succeeded(answer.status) {
            self.queue().push_back(document);
        } else if matches!(answer.status, 0 | 503) {
            // Not taken (or not known): try again later.
            self.plan.drafts.insert(0, document);
        }
    }

    async fn approve(&mut self) {
        let Some(document) = self.queue().pop_front() else {
            return drop(self.send("start page", self.get("/")).await);
        };
        self.send("programme page", self.get(&format!("/ipzs/{document}")))
            .await;
        let request = self.post(&format!("/ipzs/{document}/approve"), &[]);
        let answer = self.send("programme approve", request).await;
        self.wrote(WriteKind::Approve, document.to_string(), 1, answer.status);
        if matches!(answer.status, 0 | 503) {
            self.queue().push_back(document);
        }
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<Uuid>> {
        self.shared.waiting[self.plan.centre]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Opens a group's past day and saves it with every member's entry changed (present, 6 h
    /// ↔ 5 h): a correction of the whole group, each member's row kept with the save's marker
    /// as its reason.
    async fn attendance(&mut self) {
        let pairs: Vec<(Uuid, time::Date)> = self
            .plan
            .groups
            .iter()
            .flat_map(|(w, days)| days.iter().map(move |d| (*w, *d)))
            .collect();
        let (workshop, day) = pairs[self.turn % pairs.len()];
        self.turn += 1;
        let path = format!("/attendance/{workshop}/{day}");
        let form = self.send("attendance form", self.get(&path)).await;
        if form.status != 200 {
            return;
        }
        typing().await;
        let values = form_values(&form.body);
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut members = 0;
        for i in 0.. {
            let Some(id) = values.get(&format!("p{i}")) else {
                break;
            };
            let hours = if values.get(&format!("h{i}")).map(String::as_str) == Some("6") {
                "5"
            } else {
                "6"
            };
            fields.push((format!("p{i}"), id.clone()));
            fields.push((format!("s{i}"), "present".to_owned()));
            fields.push((format!("h{i}"), hours.to_owned()));
            fields.push((format!("r{i}"), String::new()));
            members += 1;
        }
        if members == 0 {
            return;
        }
        let reason = self.marker("attendance");
        fields.push(("reason".to_owned(), reason.clone()));
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let request = self.post(&path, &borrowed);
        let answer = self.send("attendance save", request).await;
        self.wrote(WriteKind::Attendance, reason, members, answer.status);
    }
}

/// Filling in a form before saving it (so that some saves land in the outage with the form
/// opened before it).
async fn typing() {
    let pause = rand::rng().random_range(300..1500);
    tokio::time::sleep(Duration::from_millis(pause)).await;
}

/// The `value` of the input named `name` in `html`.
fn input_value(html: &str, name: &str) -> Option<String> {
    form_values(html).remove(name)
}

/// The named inputs' values of a page (`name="…" value="…"`, in that order, as the templates
/// write them).
fn form_values(html: &str) -> HashMap<String, String> {
    let mut values = HashMap::new();
    for part in html.split("name=\"").skip(1) {
        let Some((name, rest)) = part.split_once('"') else {
            continue;
        };
        if let Some(value) = rest
            .strip_prefix(" value=\"")
            .and_then(|v| v.split_once('"'))
        {
            values.insert(name.to_owned(), value.0.to_owned());
        }
    }
    values
}
