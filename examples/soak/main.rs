//! The load generator of `scripts/soak` (read its header): simulated staff of several centres
//! working at once against a running server on loopback, the database stopped and started once
//! in the middle, then a report and the reconciliation. Exits 1 when a check fails.
//!
//! Environment: `SOAK_BASE` (the server, e.g. `http://127.0.0.1:18090`), `SOAK_DATABASE_URL`
//! (the database as its owner), `SOAK_SECONDS` (default 180), `SOAK_STAFF` (default 50),
//! `SOAK_DB_STOP` and `SOAK_DB_START` (shell commands; without them no outage),
//! `SOAK_DOWN_SECONDS` (default 5), `SOAK_GRACE_SECONDS` (503s allowed after the database is
//! back, default 10), `SOAK_ARRIVAL_SECONDS` (the sign-ins are spread over the first seconds of
//! the run, default 20), `SOAK_PASSWORD` (the demo password).

mod reconcile;
mod setup;
mod staff;

use std::collections::{BTreeMap, VecDeque};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use reconcile::{Outage, Record, Write, WriteKind, succeeded};

fn env_or(name: &str, default: u64) -> anyhow::Result<u64> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .with_context(|| format!("{name} must be a number")),
        Err(_) => Ok(default),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match soak().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("soak: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn connect(url: &str) -> anyhow::Result<PgPool> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match PgPoolOptions::new().max_connections(2).connect(url).await {
            Ok(pool) => return Ok(pool),
            Err(e) if Instant::now() > deadline => return Err(e.into()),
            Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

async fn shell(command: &str) -> anyhow::Result<()> {
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .status()
        .await?;
    if !status.success() {
        bail!("`{command}` failed ({status})");
    }
    Ok(())
}

/// Stops the database at `at` for `down`; returns when it was stopped and when it was back.
async fn outage(
    stop: String,
    start: String,
    started: Instant,
    at: Duration,
    down: Duration,
) -> anyhow::Result<(Duration, Duration)> {
    tokio::time::sleep_until((started + at).into()).await;
    let stopped = started.elapsed();
    shell(&stop).await?;
    tokio::time::sleep(down).await;
    shell(&start).await?;
    Ok((stopped, started.elapsed()))
}

async fn soak() -> anyhow::Result<bool> {
    let base = std::env::var("SOAK_BASE").context("SOAK_BASE is not set")?;
    let url = std::env::var("SOAK_DATABASE_URL").context("SOAK_DATABASE_URL is not set")?;
    let seconds = env_or("SOAK_SECONDS", 180)?;
    let staff = usize::try_from(env_or("SOAK_STAFF", 50)?)?;
    let down = Duration::from_secs(env_or("SOAK_DOWN_SECONDS", 5)?);
    let grace = Duration::from_secs(env_or("SOAK_GRACE_SECONDS", 10)?);
    let arrival = Duration::from_secs(env_or("SOAK_ARRIVAL_SECONDS", 20)?);
    let password =
        std::env::var("SOAK_PASSWORD").unwrap_or_else(|_| "ciepla-herbata-o-osmej".to_owned());
    let restart = match (
        std::env::var("SOAK_DB_STOP"),
        std::env::var("SOAK_DB_START"),
    ) {
        (Ok(stop), Ok(start)) => Some((stop, start)),
        _ => None,
    };

    let db = connect(&url).await?;
    // The server's key (`TECZKA_SECRET_KEY_FILE`): the managers' second factors are sealed
    // with it.
    let key_file = std::env::var("SOAK_SECRET_KEY_FILE")
        .map_err(|_| anyhow::anyhow!("SOAK_SECRET_KEY_FILE: the server's key file"))?;
    let key = teczka::security::sealed::Key::from_file(std::path::Path::new(&key_file))?;
    let (plans, centres) = setup::prepare(&db, staff, &key).await?;
    let note_day: String = sqlx::query_scalar("select (current_date - 1)::text")
        .fetch_one(&db)
        .await?;
    db.close().await;
    let documents: Vec<uuid::Uuid> = plans
        .iter()
        .flat_map(|p| p.drafts.iter().copied())
        .collect();
    let groups: usize = plans.iter().map(|p| p.groups.len()).sum();
    let run = format!("soak-{}", time::OffsetDateTime::now_utc().unix_timestamp());
    println!(
        "Soak {run}: {staff} staff in {centres} centres ({} managers, {} social workers with {} draft programmes, {} instructors with {groups} groups), {seconds} s",
        plans
            .iter()
            .filter(|p| p.role == setup::Role::Manager)
            .count(),
        plans
            .iter()
            .filter(|p| p.role == setup::Role::SocialWorker)
            .count(),
        documents.len(),
        plans
            .iter()
            .filter(|p| p.role == setup::Role::Instructor)
            .count(),
    );

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()?;
    let started = Instant::now();
    let shared = Arc::new(staff::Shared {
        client,
        base,
        password,
        run: run.clone(),
        started,
        deadline: started + Duration::from_secs(seconds),
        arrival,
        note_day,
        waiting: (0..centres).map(|_| Mutex::new(VecDeque::new())).collect(),
    });
    let fault = restart.map(|(stop, start)| {
        tokio::spawn(outage(
            stop,
            start,
            started,
            Duration::from_secs(seconds) / 2,
            down,
        ))
    });
    let people: Vec<_> = plans
        .into_iter()
        .map(|plan| tokio::spawn(staff::work(shared.clone(), plan)))
        .collect();
    let mut records = Vec::new();
    let mut writes = Vec::new();
    for person in people {
        let log = person.await?;
        records.extend(log.records);
        writes.extend(log.writes);
    }
    let elapsed = started.elapsed();
    let outage = match fault {
        Some(fault) => {
            let (stopped, back) = fault.await??;
            Some(Outage {
                down: stopped,
                up: back,
                grace,
            })
        }
        None => None,
    };

    report(&records, &writes, elapsed, outage);
    let db = connect(&url).await?;
    let facts = reconcile::facts(&mut *db.acquire().await?, &run, &documents).await?;
    let mut failures = reconcile::judge_answers(&records, outage);
    failures.extend(facts.judge_all(&writes));
    // The checks themselves, on this run's data: a half-written write must be flagged.
    if let Some(problem) = reconcile::self_check(&db, &run, &writes, &documents).await? {
        failures.push(format!("self-check: {problem}"));
    }
    db.close().await;
    let (done, failed) = writes.iter().fold((0, 0), |(d, f), w| {
        if succeeded(w.status) {
            (d + 1, f)
        } else {
            (d, f + 1)
        }
    });
    println!();
    if failures.is_empty() {
        println!(
            "Reconciliation: OK – {done} writes answered as done are all in the database; {failed} answered with an error are each wholly absent or wholly present; no 5xx but 503 during the outage; the app answered again by itself."
        );
        println!(
            "Self-check: OK – a correction row and a note removed in a rolled-back transaction were flagged as half-written."
        );
        Ok(true)
    } else {
        println!("Reconciliation FAILED ({} problems):", failures.len());
        for f in failures.iter().take(50) {
            println!("  - {f}");
        }
        Ok(false)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

fn report(records: &[Record], writes: &[Write], elapsed: Duration, outage: Option<Outage>) {
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    // Per kind: all latencies, those away from the outage, answers not OK.
    let mut kinds: BTreeMap<&str, (Vec<Duration>, Vec<Duration>, usize)> = BTreeMap::new();
    for r in records {
        *statuses.entry(r.status).or_default() += 1;
        let entry = kinds.entry(r.kind).or_default();
        entry.0.push(r.took);
        if !outage.is_some_and(|o| o.covers(r.at, r.took)) {
            entry.1.push(r.took);
        }
        if !succeeded(r.status) {
            entry.2 += 1;
        }
    }
    println!(
        "Requests: {} in {:.0} s ({:.0}/s)",
        records.len(),
        elapsed.as_secs_f64(),
        records.len() as f64 / elapsed.as_secs_f64()
    );
    let answers: Vec<String> = statuses
        .iter()
        .map(|(s, n)| {
            if *s == 0 {
                format!("no answer: {n}")
            } else {
                format!("{s}: {n}")
            }
        })
        .collect();
    println!("Answers by status: {}", answers.join(", "));
    if let Some(o) = outage {
        let unavailable: Vec<&Record> = records.iter().filter(|r| r.status == 503).collect();
        let last = unavailable.iter().map(|r| r.at + r.took).max();
        println!(
            "Database stopped at {:.1} s, accepting connections again at {:.1} s; 503 answers: {}{}",
            o.down.as_secs_f64(),
            o.up.as_secs_f64(),
            unavailable.len(),
            last.map(|l| format!(", the last at {:.1} s", l.as_secs_f64()))
                .unwrap_or_default()
        );
    }
    println!();
    println!("| request | count | not OK | p50 ms | p99 ms | p50 / p99 ms away from the outage |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (kind, (mut took, mut away, errors)) in kinds {
        took.sort();
        away.sort();
        println!(
            "| {kind} | {} | {errors} | {:.1} | {:.1} | {:.1} / {:.1} |",
            took.len(),
            percentile(&took, 50.0),
            percentile(&took, 99.0),
            percentile(&away, 50.0),
            percentile(&away, 99.0)
        );
    }
    println!();
    for kind in [
        WriteKind::Note,
        WriteKind::Attendance,
        WriteKind::Submit,
        WriteKind::Approve,
    ] {
        let of: Vec<&Write> = writes.iter().filter(|w| w.kind == kind).collect();
        let done = of.iter().filter(|w| succeeded(w.status)).count();
        let rows: i64 = of
            .iter()
            .filter(|w| succeeded(w.status))
            .map(|w| w.parts)
            .sum();
        println!(
            "Writes {kind:?}: {} sent, {done} answered as done ({rows} rows)",
            of.len()
        );
    }
}
