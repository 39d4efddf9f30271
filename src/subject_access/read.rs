//! Assembling the export: the policy first (404 outside the scope or another centre's id, 403
//! audited for a role that may not), then every read in one repeatable-read transaction on one
//! connection, so the export is one consistent snapshot. The first statement is the file's own
//! read (`participants::db::read_file`), which writes the export's audit row in the same
//! statement: if the row cannot be written, nothing is read. What is released is asked of the
//! policy (`release_note`, `release_opinion`, `note_reads`) and nowhere else.

use sqlx::PgConnection;
use time::macros::date;
use uuid::Uuid;

use super::db;
use super::model::*;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::participant;
use crate::auth::policy::{self, Action, release_note, release_opinion};
use crate::auth::session::CurrentUser;
use crate::domain::{NoteVisibility, OpinionKind};
use crate::error::{AppError, Result};
use crate::participants::db::notes::{TimelineEntry, TimelineRead};
use crate::participants::db::{self as participants, FileRead, Parts};
use crate::participants::record::Record;
use crate::state::AppState;
use crate::validate::{dates, hours};

/// Timeline entries read at most (the whole history of any real file).
const HISTORY: i64 = 100_000;

/// Reads everything the centre holds about participant `id` as released to them, for `user`
/// asking to `action` (view/print or export), and writes that audit row with `detail`.
pub(super) async fn export(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    action: Action,
) -> Result<Export> {
    participant::authorized(state, user, id, action).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query!("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await?;
    let (read, listed) = policy::note_reads();
    let parts = Parts {
        extensions: true,
        documents: true,
        programme: false,
        timeline: TimelineRead {
            read,
            markers: listed,
            history: true,
            before: None,
            limit: HISTORY,
        },
    };
    let file = participants::File {
        centre_id: user.centre_id,
        participant_id: id,
        reader_id: user.user_id,
        scope: policy::subject_access_scope(user.actor()),
    };
    let event = AuditEvent::new(action.code(), Outcome::Success)
        .by(user.audit_actor())
        .on("participant", id)
        .participant(id);
    let file = participants::read_file(&mut *tx, file, parts, &user.meta, event)
        .await?
        .ok_or(AppError::NotFound)?;
    let (name, address) = crate::participants::centre_header(&mut *tx, user.centre_id).await?;
    let documents = super::documents::of(&mut tx, user.centre_id, id).await?;
    let opinions = opinions_of(&mut tx, user, id).await?;
    let contacts = crate::follow_ups::db::contacts(&mut *tx, id).await?;
    let days = db::attendance(&mut tx, user.centre_id, id).await?;
    // Every correction of the person's days (the calendar's read, over any possible date).
    let (first, last) = (date!(1900 - 01 - 01), date!(2200 - 12 - 31));
    let changes = crate::attendance::db::corrections(&mut *tx, id, first, last).await?;
    let statements = db::statements(&mut tx, user.centre_id, id).await?;
    let corrections = db::corrections(&mut tx, user.centre_id, id).await?;
    let bonuses = db::bonuses(&mut tx, user.centre_id, id).await?;
    let views = participants::access_log::whole_file(&mut *tx, id).await?;
    tx.commit().await?;

    let FileRead {
        record,
        extensions,
        documents: recruitment,
        timeline,
        ..
    } = file;
    let female = record.data.female();
    let (notes, history): (Vec<TimelineEntry>, Vec<TimelineEntry>) =
        timeline.into_iter().rev().partition(|e| e.entry == "note");
    let mut participation = participation(&record);
    participation.extend(extensions.into_iter().map(|e| {
        Entry::new(
            format!(
                "Przedłużenie uczestnictwa z {}",
                dates::format(e.decided_on)
            ),
            format!(
                "z {} do {} – {} (zdecydował(a): {})",
                dates::format(e.previous_end_on),
                dates::format(e.new_end_on),
                e.reason,
                e.decided_by
            ),
        )
    }));
    Ok(Export {
        format: FORMAT,
        produced_at: Moment(state.clock.now()),
        produced_by: format!("{} ({})", user.full_name, user.role.label()),
        centre: Centre { name, address },
        person: Person {
            participant_id: record.participant_id,
            name: record.name(),
            status: record.status.label_for(female),
            identity: record
                .data
                .describe()
                .into_iter()
                .map(|(label, value)| Entry::new(label, value))
                .collect(),
        },
        participation,
        status_history: history
            .into_iter()
            .map(|e| HistoryLine {
                on: Day(e.on_date),
                what: crate::participants::history_title(&e, female),
                reason: if e.entry == "worker" { None } else { e.reason },
                by: e.who,
            })
            .collect(),
        recruitment_documents: recruitment
            .into_iter()
            .map(|d| RecruitmentDocument {
                kind: d.kind.label(),
                date: Day(d.document_date),
                content: d.content,
                author: d.author,
            })
            .collect(),
        case_notes: notes.into_iter().map(note).collect(),
        documents,
        opinions,
        attendance: days.into_iter().map(day).collect(),
        attendance_corrections: changes.into_iter().map(change).collect(),
        benefit_statements: statements
            .into_iter()
            .map(|s| Statement {
                month: crate::domain::calendar::month_code(s.month),
                revision: s.revision,
                benefit: Money(i64::from(s.benefit_grosze)),
                bonus: Money(i64::from(s.bonus_grosze)),
            })
            .collect(),
        benefit_corrections: corrections
            .into_iter()
            .map(|c| BenefitCorrection {
                month: crate::domain::calendar::month_code(c.month),
                benefit_difference: Money(i64::from(c.benefit_diff_grosze)),
                bonus_difference: Money(i64::from(c.bonus_diff_grosze)),
                reason: c.reason,
                at: Moment(c.created_at),
            })
            .collect(),
        bonus_decisions: bonuses
            .into_iter()
            .map(|b| Bonus {
                month: crate::domain::calendar::month_code(b.month),
                amount: Money(i64::from(b.amount_grosze)),
                granted: b.granted,
                justification: b.justification,
                decided_by: b.decided_by,
                decided_at: Moment(b.decided_at),
            })
            .collect(),
        follow_up_contacts: contacts.into_iter().rev().map(contact).collect(),
        access_log: views
            .into_iter()
            .map(|v| Access {
                at: Moment(v.occurred_at),
                who: v.viewer.unwrap_or_else(|| "–".to_owned()),
                role: v.role.map_or("", |r| r.label()),
                parts: crate::participants::viewed_parts(v.detail.as_deref().unwrap_or("")),
            })
            .collect(),
    })
}

/// The participation clock and how it ended, as labelled lines.
fn participation(r: &Record) -> Vec<Entry> {
    let date = |label: &str, d: Option<time::Date>| d.map(|d| Entry::new(label, dates::format(d)));
    [
        Some(Entry::new(
            "Status",
            r.status.label_for(r.data.female()).to_owned(),
        )),
        r.social_worker_name
            .clone()
            .map(|n| Entry::new("Pracownik socjalny", n)),
        r.workshop_name.clone().map(|n| Entry::new("Pracownia", n)),
        date("Data przyjęcia", r.admitted_on),
        r.ops_agreement_name.clone().map(|n| {
            let on = r.ops_agreement_date.map(dates::format).unwrap_or_default();
            Entry::new("Porozumienie z kierownikiem OPS", format!("{n} {on}"))
        }),
        date("Koniec okresu próbnego", r.trial_ends_on),
        date("Planowany koniec uczestnictwa", r.planned_end_on),
        date("Najpóźniejszy możliwy koniec", r.cap_end_on),
        date("Data zakończenia", r.ended_on),
        r.graduation_outcome.map(|o| {
            let contract = r.employment_contract.map(|c| format!(" ({})", c.label()));
            Entry::new(
                "Ukończenie",
                format!("{}{}", o.label(), contract.unwrap_or_default()),
            )
        }),
        r.termination_reason
            .map(|t| Entry::new("Powód zakończenia", t.label())),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A case note as released: its text only when the policy releases it.
fn note(e: TimelineEntry) -> Note {
    let visibility = e.visibility.unwrap_or(NoteVisibility::Team);
    let release = release_note(visibility);
    let full = release.is_full();
    Note {
        on: Day(e.on_date),
        author: e.who,
        audience: visibility.label(),
        kind: e.note_kind.filter(|_| full).map(|k| k.label()),
        topic: e.topic.filter(|_| full),
        text: e.body.filter(|_| full),
        withheld: release.withheld(),
        correction: e.corrects_id.is_some(),
    }
}

/// Every opinion for the IPZS, its text only when the policy releases it.
async fn opinions_of(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<Vec<Opinion>> {
    let rows = crate::opinions::db::list(&mut *conn, user.centre_id, id, &OpinionKind::ALL).await?;
    let mut out = Vec::new();
    for row in rows {
        let release = release_opinion(row.status);
        let text = if release.is_full() {
            let stored =
                crate::opinions::db::find(&mut *conn, user.centre_id, row.opinion_id, user.user_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
            crate::opinions::sections::of(row.kind)
                .iter()
                .filter_map(|def| {
                    stored
                        .sections
                        .get(def.key)
                        .filter(|t| !t.is_empty())
                        .map(|t| Entry::new(def.label, t))
                })
                .collect()
        } else {
            Vec::new()
        };
        out.push(Opinion {
            kind: row.kind.label(),
            status: row.status.label(),
            author: row.author_name,
            requested_at: Moment(row.requested_at),
            signed_off_at: row.signed_off_at.map(Moment),
            text,
            withheld: release.withheld(),
        });
    }
    Ok(out)
}

/// "obecność, 6 h" and the like.
fn day_status(status: i8, minutes: i16) -> (&'static str, String) {
    match crate::attendance::db::status_of(status) {
        Some(s) => (s.label(), hours::format(i64::from(minutes))),
        None => ("brak wpisu", String::new()),
    }
}

fn day(d: db::DayRow) -> AttendanceDay {
    let (status, hours) = day_status(d.status, d.minutes);
    AttendanceDay {
        day: Day(d.day),
        status,
        hours,
        reason: d.reason,
        workshop: d.workshop,
    }
}

fn change(c: crate::attendance::db::Correction) -> AttendanceCorrection {
    let shown = |status: i8, minutes: i16| {
        let (label, hours) = day_status(status, minutes);
        if hours.is_empty() || hours == "0" {
            label.to_owned()
        } else {
            format!("{label}, {hours} h")
        }
    };
    AttendanceCorrection {
        day: Day(c.day),
        before: match c.old_status {
            Some(s) => shown(s, c.old_minutes.unwrap_or(0)),
            None => "brak wpisu".to_owned(),
        },
        after: shown(c.new_status, c.new_minutes),
        reason: c.reason,
        by: c.changed_by,
        at: Moment(c.changed_at),
    }
}

/// A follow-up contact, its answers as labelled lines.
fn contact(c: crate::follow_ups::db::Contact) -> Contact {
    let d = c.data;
    let mut details = vec![Entry::new("Forma kontaktu", d.form.label())];
    let mut add = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            details.push(Entry::new(label, v));
        }
    };
    add("Źródło informacji", d.partner.map(|p| p.label().to_owned()));
    add("Instytucja", d.partner_name);
    add(
        "Sytuacja zawodowa",
        d.employment.map(|e| e.label().to_owned()),
    );
    add("Rodzaj umowy", d.contract.map(|c| c.label().to_owned()));
    add("Funkcjonowanie w środowisku", Some(d.community));
    add("Nabyte umiejętności", Some(d.skills));
    add(
        "Umiejętności a potrzeby pracodawców",
        d.skills_match.map(|m| m.label().to_owned()),
    );
    add("Problemy", Some(d.problems));
    add("Podjęte działania", Some(d.actions));
    add(
        "Skierowano do OPS",
        d.referred_to_ops.then(|| "tak".to_owned()),
    );
    Contact {
        on: Day(d.contacted_on),
        reached: d.reached,
        recorded_by: c.recorded_by,
        details,
    }
}
