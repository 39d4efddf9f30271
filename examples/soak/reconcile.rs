//! After the load: every write that was answered with success is in the database, none that
//! was answered with an error is half-written, no 5xx but the 503s of the outage, and the app
//! answered again by itself once the database was back.
//!
//! The database is read as the owner into plain counts ([`Facts`]); the judgement is pure
//! functions of those counts and of the recorded answers, tested below with made-up counts (a
//! half-written note or attendance save must be flagged, so the soak cannot silently pass).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// What a write was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WriteKind {
    /// A case note: the note and its audit row (`participant.add_note` on the note).
    Note,
    /// A group's day saved as a correction of every member: one `attendance_change` row per
    /// member, with the save's marker as the reason.
    Attendance,
    /// A programme's step (`submit`, `approve`): its `document_event` row.
    Submit,
    Approve,
}

/// One write and its answer.
#[derive(Clone, Debug)]
pub struct Write {
    pub kind: WriteKind,
    /// The note's topic, the correction's reason, or the document's id.
    pub marker: String,
    /// The rows a complete write leaves (the group's size for attendance; else 1).
    pub parts: i64,
    /// The answer's status; 0 when no answer came.
    pub status: u16,
}

/// Whether a write's answer says it was done: the app answers a done form with a redirect.
pub fn succeeded(status: u16) -> bool {
    (200..400).contains(&status)
}

/// What the database holds of one write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Absent,
    Complete,
    /// Some of it: (rows found, rows a complete write leaves).
    Partial(i64, i64),
}

/// A note: `notes` with its topic, `audited` audit rows on them.
pub fn note_found(notes: i64, audited: i64) -> Found {
    match (notes, audited) {
        (0, 0) => Found::Absent,
        (1, 1) => Found::Complete,
        (n, a) => Found::Partial(n + a, 2),
    }
}

/// An attendance save: `changes` correction rows with its reason, of `parts` members.
pub fn attendance_found(changes: i64, parts: i64) -> Found {
    if changes == 0 {
        Found::Absent
    } else if changes == parts {
        Found::Complete
    } else {
        Found::Partial(changes, parts)
    }
}

/// A document step: `events` rows of it by the soak's staff; a document whose status, current
/// version and last event disagree is counted in [`Facts::inconsistent_documents`].
pub fn step_found(events: i64) -> Found {
    match events {
        0 => Found::Absent,
        1 => Found::Complete,
        n => Found::Partial(n, 1),
    }
}

/// The verdict on one write, `None` when it is right.
pub fn judge(write: &Write, found: Found) -> Option<String> {
    let what = format!(
        "{:?} {} (answer {})",
        write.kind, write.marker, write.status
    );
    match (succeeded(write.status), found) {
        (true, Found::Complete) | (false, Found::Complete | Found::Absent) => None,
        (true, Found::Absent) => Some(format!("{what}: answered as done but not in the database")),
        (_, Found::Partial(n, of)) => Some(format!("{what}: half-written ({n} of {of} rows)")),
    }
}

/// One answered (or unanswered) request.
#[derive(Clone, Debug)]
pub struct Record {
    pub kind: &'static str,
    pub status: u16,
    /// When it was sent, from the start of the load.
    pub at: Duration,
    pub took: Duration,
}

/// The database's outage: stopped at `down`, accepting connections again at `up`.
#[derive(Clone, Copy, Debug)]
pub struct Outage {
    pub down: Duration,
    pub up: Duration,
    /// How long after `up` the app may still answer 503 (the pool drops its dead connections
    /// one failed query at a time).
    pub grace: Duration,
}

impl Outage {
    /// Whether a request sent at `at` and answered after `took` overlaps the outage.
    pub fn covers(&self, at: Duration, took: Duration) -> bool {
        at + took >= self.down && at <= self.up + self.grace
    }
}

/// The answers that break the rules: any 5xx but a 503 during the outage, and requests left
/// without an answer (the app must not drop connections when its database goes away); then
/// whether the app recovered: after the outage's grace, requests answered and none with 503.
pub fn judge_answers(records: &[Record], outage: Option<Outage>) -> Vec<String> {
    let mut failures = Vec::new();
    let mut bad: BTreeMap<(u16, bool), Vec<&Record>> = BTreeMap::new();
    for r in records {
        let during = outage.is_some_and(|o| o.covers(r.at, r.took));
        let wrong = match r.status {
            0 => true,
            503 => !during,
            500..=599 => true,
            _ => false,
        };
        if wrong {
            bad.entry((r.status, during)).or_default().push(r);
        }
    }
    for ((status, during), of) in bad {
        let when = if during { "during" } else { "outside" };
        let what = if status == 0 {
            "no answer".to_owned()
        } else {
            format!("status {status}")
        };
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &of {
            *kinds.entry(r.kind).or_default() += 1;
        }
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        let first = of.iter().map(|r| r.at).min().unwrap_or_default();
        let last = of.iter().map(|r| r.at).max().unwrap_or_default();
        failures.push(format!(
            "{} requests with {what} {when} the outage ({}; sent {:.1}–{:.1} s)",
            of.len(),
            kinds.join(", "),
            first.as_secs_f64(),
            last.as_secs_f64()
        ));
    }
    if let Some(o) = outage {
        let after: Vec<&Record> = records.iter().filter(|r| r.at > o.up + o.grace).collect();
        let ok = after.iter().filter(|r| succeeded(r.status)).count();
        if ok == 0 {
            failures.push(format!(
                "the app did not recover: no request succeeded after the outage ({} sent)",
                after.len()
            ));
        }
    }
    failures
}

/// The counts read from the database.
#[derive(Debug, Default)]
pub struct Facts {
    /// Note topic → (notes, audit rows on them).
    pub notes: HashMap<String, (i64, i64)>,
    /// Correction reason → rows.
    pub attendance: HashMap<String, i64>,
    /// (document, step) → events by the soak's staff.
    pub steps: HashMap<(String, String), i64>,
    /// Documents whose status, current version's status and last event's status disagree.
    pub inconsistent_documents: Vec<Uuid>,
    /// (participant, day) whose attendance row is not what its last correction set.
    pub attendance_mismatches: i64,
    /// Corrections by the soak's staff, and their `attendance.correct` audit rows.
    pub corrections: (i64, i64),
    /// Audit rows of notes added by the soak's staff whose note is not there.
    pub orphan_note_audits: i64,
}

impl Facts {
    /// What the database holds of `write`.
    pub fn found(&self, write: &Write) -> Found {
        match write.kind {
            WriteKind::Note => {
                let (n, a) = self.notes.get(&write.marker).copied().unwrap_or((0, 0));
                note_found(n, a)
            }
            WriteKind::Attendance => attendance_found(
                self.attendance.get(&write.marker).copied().unwrap_or(0),
                write.parts,
            ),
            WriteKind::Submit | WriteKind::Approve => {
                let step = if write.kind == WriteKind::Submit {
                    "submit"
                } else {
                    "approve"
                };
                step_found(
                    self.steps
                        .get(&(write.marker.clone(), step.to_owned()))
                        .copied()
                        .unwrap_or(0),
                )
            }
        }
    }

    /// Every write's verdict and the global checks.
    pub fn judge_all(&self, writes: &[Write]) -> Vec<String> {
        let mut failures: Vec<String> = writes
            .iter()
            .filter_map(|w| judge(w, self.found(w)))
            .collect();
        for d in &self.inconsistent_documents {
            failures.push(format!(
                "document {d}: status, version and history disagree"
            ));
        }
        if self.attendance_mismatches > 0 {
            failures.push(format!(
                "{} attendance entries differ from their last recorded correction",
                self.attendance_mismatches
            ));
        }
        if self.orphan_note_audits > 0 {
            failures.push(format!(
                "{} audit rows of added notes whose note is missing",
                self.orphan_note_audits
            ));
        }
        if self.corrections.0 != self.corrections.1 {
            failures.push(format!(
                "{} attendance corrections but {} audit rows for them",
                self.corrections.0, self.corrections.1
            ));
        }
        failures
    }
}

/// Reads the counts for the run whose markers start with `run`.
pub async fn facts(db: &mut PgConnection, run: &str, documents: &[Uuid]) -> anyhow::Result<Facts> {
    let prefix = format!("{run} %");
    let mut facts = Facts::default();
    let notes: Vec<(String, i64, i64)> = sqlx::query_as(
        "select n.topic, count(distinct n.case_note_id),
                count(a.audit_event_id) filter (where a.action = 'participant.add_note')
         from case_note n left join audit_event a on a.object_type = 'case_note' and a.object_id = n.case_note_id
         where n.topic like $1 group by n.topic",
    )
    .bind(&prefix)
    .fetch_all(&mut *db)
    .await?;
    facts.notes = notes.into_iter().map(|(t, n, a)| (t, (n, a))).collect();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select reason, count(*) from attendance_change where reason like $1 group by reason",
    )
    .bind(&prefix)
    .fetch_all(&mut *db)
    .await?;
    facts.attendance = rows.into_iter().collect();
    let steps: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "select document_id, step, count(*) from document_event
         where document_id = any($1) and decided_by in (select staff_user_id from staff_user where login like 'soak%') group by 1, 2",
    )
    .bind(documents)
    .fetch_all(&mut *db)
    .await?;
    facts.steps = steps
        .into_iter()
        .map(|(d, s, n)| ((d.to_string(), s), n))
        .collect();
    facts.inconsistent_documents = sqlx::query_scalar(
        "select d.document_id from document d
         join document_version v on v.document_id = d.document_id and v.number = d.current_version
         left join lateral (select to_status from document_event e where e.document_id = d.document_id
                            order by e.occurred_at desc limit 1) e on true
         where d.document_id = any($1)
           and (v.status <> d.status or coalesce(e.to_status, 'draft') <> d.status)",
    )
    .bind(documents)
    .fetch_all(&mut *db)
    .await?;
    facts.attendance_mismatches = sqlx::query_scalar(
        "with last as (select distinct on (participant_id, day) participant_id, day, new_status, new_minutes
                       from attendance_change where reason like $1
                       order by participant_id, day, changed_at desc)
         select count(*) from last l left join attendance a using (participant_id, day)
         where a.participant_id is null or a.status <> l.new_status or a.minutes <> l.new_minutes",
    )
    .bind(&prefix)
    .fetch_one(&mut *db)
    .await?;
    facts.corrections = sqlx::query_as(
        "select (select count(*) from attendance_change where reason like $1 and changed_by in (select staff_user_id from staff_user where login like 'soak%')),
                (select count(*) from audit_event where action = 'attendance.correct' and actor_id in (select staff_user_id from staff_user where login like 'soak%'))",
    )
    .bind(&prefix)
    .fetch_one(&mut *db)
    .await?;
    facts.orphan_note_audits = sqlx::query_scalar(
        "select count(*) from audit_event a
         where a.action = 'participant.add_note' and a.object_type = 'case_note'
           and a.actor_id in (select staff_user_id from staff_user where login like 'soak%')
           and not exists (select 1 from case_note n where n.case_note_id = a.object_id)",
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(facts)
}

/// Proves that the reading and the judgement catch a half-written write in this run's data:
/// in a transaction rolled back afterwards, removes one correction row of a save answered as
/// done and the note (not its audit row) of a note answered as done, reads the facts again and
/// expects both flagged. Returns what went wrong, if anything.
pub async fn self_check(
    db: &PgPool,
    run: &str,
    writes: &[Write],
    documents: &[Uuid],
) -> anyhow::Result<Option<String>> {
    let done = |kind| {
        writes
            .iter()
            .find(|w| w.kind == kind && succeeded(w.status))
    };
    let (Some(save), Some(note)) = (done(WriteKind::Attendance), done(WriteKind::Note)) else {
        return Ok(Some(
            "no attendance save and note answered as done to check with".to_owned(),
        ));
    };
    let mut tx = db.begin().await?;
    // The database's own guards (append-only tables) would refuse the damage.
    sqlx::query("set local session_replication_role = replica")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "delete from attendance_change where ctid = (select ctid from attendance_change where reason = $1 limit 1)",
    )
    .bind(&save.marker)
    .execute(&mut *tx)
    .await?;
    sqlx::query("delete from case_note where topic = $1")
        .bind(&note.marker)
        .execute(&mut *tx)
        .await?;
    let facts = facts(&mut tx, run, documents).await?;
    tx.rollback().await?;
    let failures = facts.judge_all(writes);
    let flagged = |marker: &str| failures.iter().any(|f| f.contains(marker));
    Ok(
        if flagged(&save.marker)
            && flagged(&note.marker)
            && failures
                .iter()
                .any(|f| f.contains("audit rows of added notes"))
        {
            None
        } else {
            Some(format!(
                "a planted half-written save and note were not both flagged: {failures:?}"
            ))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(kind: WriteKind, parts: i64, status: u16) -> Write {
        Write {
            kind,
            marker: "soak-1 x".to_owned(),
            parts,
            status,
        }
    }

    #[test]
    fn a_half_written_note_is_flagged_whatever_the_answer() {
        // The note without its audit row (or the audit row without the note).
        for status in [303, 503, 0] {
            let w = write(WriteKind::Note, 1, status);
            let mut facts = Facts::default();
            facts.notes.insert(w.marker.clone(), (1, 0));
            let failures = facts.judge_all(std::slice::from_ref(&w));
            assert_eq!(failures.len(), 1, "{failures:?}");
            assert!(
                failures[0].contains("half-written (1 of 2 rows)"),
                "{failures:?}"
            );
            facts.notes.insert(w.marker.clone(), (0, 1));
            assert_eq!(facts.judge_all(&[w]).len(), 1);
        }
    }

    #[test]
    fn a_half_written_attendance_save_is_flagged() {
        let w = write(WriteKind::Attendance, 29, 503);
        let mut facts = Facts::default();
        facts.attendance.insert(w.marker.clone(), 28);
        let failures = facts.judge_all(&[w]);
        assert_eq!(failures.len(), 1);
        assert!(
            failures[0].contains("half-written (28 of 29 rows)"),
            "{failures:?}"
        );
    }

    #[test]
    fn an_error_leaves_all_or_nothing_and_a_success_leaves_all() {
        let mut facts = Facts::default();
        let failed = write(WriteKind::Attendance, 29, 503);
        assert!(facts.judge_all(std::slice::from_ref(&failed)).is_empty());
        facts.attendance.insert(failed.marker.clone(), 29);
        assert!(facts.judge_all(&[failed]).is_empty());
        // Answered as done, yet not there.
        let done = write(WriteKind::Submit, 1, 303);
        let failures = Facts::default().judge_all(&[done]);
        assert_eq!(failures.len(), 1);
        assert!(failures[0].contains("not in the database"), "{failures:?}");
        // A step taken twice.
        let mut facts = Facts::default();
        let approve = write(WriteKind::Approve, 1, 303);
        facts
            .steps
            .insert((approve.marker.clone(), "approve".to_owned()), 2);
        assert_eq!(facts.judge_all(&[approve]).len(), 1);
    }

    #[test]
    fn the_global_checks_flag_disagreements() {
        let facts = Facts {
            inconsistent_documents: vec![Uuid::nil()],
            attendance_mismatches: 3,
            corrections: (58, 57),
            orphan_note_audits: 1,
            ..Facts::default()
        };
        assert_eq!(facts.judge_all(&[]).len(), 4);
    }

    fn record(status: u16, at: u64) -> Record {
        Record {
            kind: "list",
            status,
            at: Duration::from_secs(at),
            took: Duration::from_millis(20),
        }
    }

    #[test]
    fn only_503s_during_the_outage_pass_and_the_app_must_answer_after_it() {
        let outage = Outage {
            down: Duration::from_secs(60),
            up: Duration::from_secs(65),
            grace: Duration::from_secs(10),
        };
        let fine = [
            record(200, 10),
            record(503, 61),
            record(503, 74),
            record(303, 80),
        ];
        assert!(judge_answers(&fine, Some(outage)).is_empty());
        let late = [record(200, 10), record(503, 76), record(200, 80)];
        assert_eq!(
            judge_answers(&late, Some(outage)),
            ["1 requests with status 503 outside the outage (list: 1; sent 76.0–76.0 s)"]
        );
        let broken = [record(500, 62), record(0, 63), record(200, 80)];
        assert_eq!(judge_answers(&broken, Some(outage)).len(), 2);
        let not_back = [
            record(200, 10),
            record(503, 62),
            record(302, 70),
            record(404, 90),
        ];
        let failures = judge_answers(&not_back, Some(outage));
        assert_eq!(failures.len(), 1);
        assert!(failures[0].contains("did not recover"), "{failures:?}");
    }
}
