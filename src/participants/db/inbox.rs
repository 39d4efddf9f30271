//! The work list's reads: for each kind of work due ([`Due`]), the first few participants it
//! concerns and how many there are, for all the actor's kinds in one statement. Who is
//! counted comes from the policy's file scope, so every item links to a file the actor may
//! open.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::{Date, Duration};
use uuid::Uuid;

use crate::auth::policy::ListScope;
use crate::auth::scope::push_scope;
use crate::domain::Status;

/// Days before the end of the trial period from which it is work due.
pub const TRIAL_SOON_DAYS: i64 = 7;

/// A kind of work on participants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// The trial period ends within [`TRIAL_SOON_DAYS`] or has ended: confirm or end it.
    TrialEnding,
    /// The participation ends within `days` or its planned end has passed.
    ParticipationEnding { days: i64 },
    /// On the reserve list, waiting for admission.
    Reserve,
    /// Candidates without a social worker.
    Unassigned,
    /// In the trial period or the programme without a workshop.
    NoWorkshop,
    /// On the reserve list without an IPZS in progress: the admission waits for the
    /// programme the social worker drafts (admission is the signing of the first IPZS).
    AwaitingProgramme,
}

impl Due {
    fn code(self) -> &'static str {
        match self {
            Due::TrialEnding => "trial",
            Due::ParticipationEnding { .. } => "ending",
            Due::Reserve => "reserve",
            Due::Unassigned => "unassigned",
            Due::NoWorkshop => "no_workshop",
            Due::AwaitingProgramme => "awaiting_programme",
        }
    }

    /// The date an item shows, and the order of the items.
    fn date_and_order(self) -> (&'static str, &'static str) {
        match self {
            Due::TrialEnding => ("p.trial_ends_on", "p.trial_ends_on, p.participant_id"),
            Due::ParticipationEnding { .. } => {
                ("p.planned_end_on", "p.planned_end_on, p.participant_id")
            }
            // Longest waiting first.
            Due::Reserve | Due::Unassigned | Due::AwaitingProgramme => {
                ("null::date", "p.created_at, p.participant_id")
            }
            Due::NoWorkshop => ("p.admitted_on", "p.admitted_on, p.participant_id"),
        }
    }

    fn push_condition(self, q: &mut QueryBuilder<'_, Postgres>, today: Date) {
        match self {
            Due::TrialEnding => {
                q.push(" and p.status = 'trial' and p.trial_ends_on <= ")
                    .push_bind(today + Duration::days(TRIAL_SOON_DAYS));
            }
            Due::ParticipationEnding { days } => {
                q.push(" and p.status in ('trial', 'participant') and p.planned_end_on <= ")
                    .push_bind(today + Duration::days(days));
            }
            Due::Reserve => {
                q.push(" and p.status = 'reserve'");
            }
            Due::Unassigned => {
                q.push(" and p.status = 'candidate' and p.social_worker_id is null");
            }
            Due::NoWorkshop => {
                // `has_workshop` is kept by the database (migration 0010).
                q.push(" and p.status in ('trial', 'participant') and not p.has_workshop");
            }
            Due::AwaitingProgramme => {
                q.push(
                    " and p.status = 'reserve' and not exists (select 1 from document d \
                     where d.participant_id = p.participant_id and d.kind = 'ipzs' \
                     and d.status <> 'closed')",
                );
            }
        }
    }
}

/// One participant of a kind of work, with the count of its whole group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueRow {
    group_code: String,
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    pub status: Status,
    /// `K` or `M`, when recorded.
    pub sex: Option<String>,
    /// The date the item is about (end of trial, planned end, admission).
    pub date: Option<Date>,
    /// How many participants the group holds, up to one more than [`COUNT_CAP`].
    pub total: i64,
}

impl DueRow {
    /// Whether the row belongs to `due`'s group.
    pub fn is(&self, due: Due) -> bool {
        self.group_code == due.code()
    }
}

/// Counts stop here; beyond it the work list says "ponad 100".
pub const COUNT_CAP: i64 = 100;

/// The first `items` participants of each of `kinds` within `scope`, each row with its group's
/// capped count: one statement, whatever the number of participants.
pub async fn due(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    scope: ListScope,
    kinds: &[Due],
    today: Date,
    items: i64,
) -> sqlx::Result<Vec<DueRow>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Postgres>::new("");
    // The placement is joined only when the scope reads it (an instructor's workshops): a
    // count walks up to a thousand rows, and a probe for each doubled the page's cost.
    let placement = if matches!(scope, ListScope::WorkshopsOf(_)) {
        " left join workshop_membership m \
         on m.participant_id = p.participant_id and m.member_until is null"
    } else {
        ""
    };
    let from = |q: &mut QueryBuilder<'_, Postgres>, due: Due| {
        q.push(format_args!(
            " from participant p{placement} where p.centre_id = "
        ))
        .push_bind(centre_id);
        push_scope(q, scope);
        due.push_condition(q, today);
    };
    for (i, due) in kinds.iter().enumerate() {
        if i > 0 {
            q.push(" union all ");
        }
        let (date, order) = due.date_and_order();
        q.push("(select ")
            .push_bind(due.code())
            .push(format_args!(
                "::text as group_code, p.participant_id, p.surname, p.first_names, p.status, \
                 p.sex::text as sex, {date} as date, (select least(count(*), "
            ))
            .push_bind(COUNT_CAP + 1)
            .push(") from (select 1");
        from(&mut q, *due);
        q.push(" limit ")
            .push_bind(COUNT_CAP + 1)
            .push(") counted) as total");
        from(&mut q, *due);
        q.push(format_args!(" order by {order} limit "))
            .push_bind(items)
            .push(")");
    }
    q.build_query_as().fetch_all(db).await
}

/// A person of a social worker's caseload (a candidate, on the reserve list, in the trial
/// period or the programme), with a candidate's recruitment documents on file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseloadRow {
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    pub status: Status,
    pub planned_end_on: Option<Date>,
    /// `K` or `M`, when recorded.
    pub sex: Option<String>,
    pub consent_date: Option<Date>,
    /// A candidate's kinds of recruitment document on file (codes); empty for the others.
    pub kinds: Vec<String>,
}

/// The first `limit` people of `worker`'s caseload by name, with what a candidate's
/// recruitment file holds: the caseload list and the candidates' missing documents come from
/// this one statement.
pub async fn caseload(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    worker: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<CaseloadRow>> {
    sqlx::query_as(
        "select p.participant_id, p.surname, p.first_names, p.status, p.planned_end_on,
                p.sex::text as sex, p.consent_date,
                case when p.status = 'candidate'
                     then array(select distinct d.kind::text from recruitment_document d
                                where d.participant_id = p.participant_id)
                     else '{}'::text[] end as kinds
         from participant p
         where p.centre_id = $1 and p.social_worker_id = $2
           and p.status in ('candidate', 'reserve', 'trial', 'participant')
         order by p.surname, p.first_names, p.participant_id
         limit $3",
    )
    .bind(centre_id)
    .bind(worker)
    .bind(limit)
    .fetch_all(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code() {
        let kinds = [
            Due::TrialEnding,
            Due::ParticipationEnding { days: 30 },
            Due::Reserve,
            Due::Unassigned,
            Due::NoWorkshop,
            Due::AwaitingProgramme,
        ];
        let codes: std::collections::BTreeSet<&str> = kinds.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), kinds.len());
    }
}
