//! Loading generated participants with COPY: one text buffer per table, sent in batches.

use std::fmt::Write as _;

use sqlx::PgConnection;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::participants::Person;
use crate::domain::Status;
use crate::follow_ups::schedule::FollowUpRules;
use crate::participants::db;
use crate::participants::transition::Graduation;
use crate::validate::dates;

/// COPY text format: `\N` for null; our generated values never contain tabs or backslashes.
fn field(out: &mut String, value: Option<&str>) {
    match value {
        Some(v) => out.push_str(v),
        None => out.push_str("\\N"),
    }
    out.push('\t');
}

fn end_row(out: &mut String) {
    out.pop();
    out.push('\n');
}

async fn copy(conn: &mut PgConnection, statement: &str, data: String) -> anyhow::Result<()> {
    let mut copy = conn.copy_in_raw(statement).await?;
    copy.send(data.into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

fn timestamp(on: Date, hour: u8, seconds: i64) -> String {
    let at = OffsetDateTime::new_utc(on, Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT))
        + Duration::seconds(seconds);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The status changes only the manager decides.
fn manager_decides(to: Status) -> bool {
    matches!(
        to,
        Status::Trial | Status::Participant | Status::Graduate | Status::Terminated
    )
}

/// The COPY text of one batch: participants, histories, workshop placements, follow-ups.
#[derive(Default)]
pub(super) struct Batch {
    participants: String,
    history: String,
    memberships: String,
    follow_ups: String,
}

impl Batch {
    pub(super) fn add(
        &mut self,
        x: &Person,
        centre: &str,
        manager: Option<Uuid>,
        follow_up: &FollowUpRules,
        today: Date,
    ) {
        let iso = |d: Option<Date>| d.map(dates::iso);
        let p = &mut self.participants;
        field(p, Some(&x.id.to_string()));
        field(p, Some(centre));
        for v in db::copy_values(&x.data) {
            field(p, v.as_deref());
        }
        for v in [
            x.worker.map(|w| w.to_string()),
            Some(x.status.code().to_owned()),
            iso(x.admitted),
            x.admitted
                .map(|_| "Halina Wrona, kierownik GOPS".to_owned()),
            iso(x.admitted),
            iso(x.period.map(|p| p.trial_ends_on)),
            iso(x.period.map(|p| p.planned_end_on)),
            iso(x.period.map(|p| p.cap_end_on)),
            iso(x.ended),
            x.ended
                .filter(|_| x.status == Status::Graduate)
                .and_then(|e| follow_up.on(e).map(|r| dates::iso(r.until(e)))),
            x.graduation.map(|g| g.outcome().code().to_owned()),
            x.graduation
                .and_then(Graduation::contract)
                .map(|c| c.code().to_owned()),
            x.termination.map(|t| t.code().to_owned()),
            Some(timestamp(x.data.referral_date, 9, 0)),
        ] {
            field(p, v.as_deref());
        }
        end_row(p);
        for (i, (from, to, on, reason)) in x.history.iter().enumerate() {
            let decider = if manager_decides(*to) {
                manager
            } else {
                x.worker
            };
            for v in [
                Some(x.id.to_string()),
                Some(centre.to_owned()),
                from.map(|s| s.code().to_owned()),
                Some(to.code().to_owned()),
                Some(dates::iso(*on)),
                (!reason.is_empty()).then(|| reason.clone()),
                decider.map(|m| m.to_string()),
                Some(timestamp(*on, 10, i as i64)),
            ] {
                field(&mut self.history, v.as_deref());
            }
            end_row(&mut self.history);
        }
        if let Some((workshop, from)) = x.workshop {
            for v in [
                workshop.to_string(),
                x.id.to_string(),
                centre.to_owned(),
                dates::iso(from),
            ] {
                field(&mut self.memberships, Some(&v));
            }
            end_row(&mut self.memberships);
        }
        if let (Status::Graduate, Some(ended)) = (x.status, x.ended) {
            let due = follow_up
                .on(ended)
                .map(|r| r.due_dates(ended))
                .unwrap_or_default();
            for (sequence, due) in (1..).zip(due) {
                let contacted = (due < today).then(|| dates::iso(due));
                let f = &mut self.follow_ups;
                let _ = write!(f, "{}\t{centre}\t{sequence}\t{}\t", x.id, dates::iso(due));
                field(f, contacted.as_deref());
                end_row(f);
            }
        }
    }

    pub(super) async fn send(self, conn: &mut PgConnection) -> anyhow::Result<()> {
        let participants = format!(
            "copy participant (participant_id, centre_id, {}, social_worker_id, status, admitted_on, \
             ops_agreement_name, ops_agreement_date, trial_ends_on, planned_end_on, cap_end_on, ended_on, \
             follow_up_until, graduation_outcome, employment_contract, termination_reason, created_at) from stdin",
            db::DATA_COLUMNS
        );
        copy(conn, &participants, self.participants).await?;
        copy(
            conn,
            "copy participant_status_change (participant_id, centre_id, from_status, to_status, changed_on, reason, decided_by, recorded_at) from stdin",
            self.history,
        )
        .await?;
        if !self.memberships.is_empty() {
            copy(conn, "copy workshop_membership (workshop_id, participant_id, centre_id, member_from) from stdin", self.memberships).await?;
        }
        if !self.follow_ups.is_empty() {
            copy(conn, "copy follow_up (participant_id, centre_id, sequence, due_on, contacted_on) from stdin", self.follow_ups).await?;
        }
        Ok(())
    }
}
