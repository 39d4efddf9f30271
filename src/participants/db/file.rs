//! The file page's read: the record, the extension decisions, the
//! recruitment documents and a page of the timeline (`notes`), in one statement that also writes the view's audit row ("who viewed
//! this file" has its own page, `db::access_log`). The row and the read are one statement, so
//! one implicit transaction: if
//! the row cannot be written, nothing is read. The lists a reader may not see are not read.
//! (One statement instead of eight: the page's throughput rose by about a half, README.)

use serde::{Deserialize, Deserializer};
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use super::notes::{TimelineEntry, TimelineRead, push_timeline};
use super::{record_columns, record_from};
use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditEvent};
use crate::auth::policy::{ListScope, ParticipantFacts};
use crate::auth::scope::push_scope;
use crate::participants::model::DocumentKind;
use crate::participants::record::Record;
use crate::validate::dates;

/// One extension decision.
#[derive(Debug, Clone, Deserialize)]
pub struct Extension {
    #[serde(deserialize_with = "date")]
    pub decided_on: Date,
    pub decided_by: String,
    pub reason: String,
    #[serde(deserialize_with = "date")]
    pub previous_end_on: Date,
    #[serde(deserialize_with = "date")]
    pub new_end_on: Date,
}

/// One recruitment document.
#[derive(Debug, Clone, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    #[serde(deserialize_with = "date")]
    pub document_date: Date,
    pub content: String,
    pub author: String,
}

/// A date as the database writes it into JSON (`2026-11-30`).
pub(super) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    dates::parse(&text).map_err(serde::de::Error::custom)
}

/// One contact of a graduate's follow-up schedule.
#[derive(Debug, Clone, Deserialize)]
pub struct FollowUpContact {
    pub sequence: i32,
    #[serde(deserialize_with = "date")]
    pub due_on: Date,
    #[serde(deserialize_with = "optional_date")]
    pub contacted_on: Option<Date>,
}

/// An optional date as the database writes it into JSON (`null` or `2026-11-30`).
fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|text| dates::parse(&text).map_err(serde::de::Error::custom))
        .transpose()
}

/// The lists a reader may see (the others are not read).
#[derive(Debug, Clone)]
pub struct Parts {
    pub extensions: bool,
    pub documents: bool,
    /// The state of the participant's IPZS (its readers only).
    pub programme: bool,
    /// The timeline's notes, status changes and document steps the reader sees, from where.
    pub timeline: TimelineRead,
}

/// What the file page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRead {
    #[sqlx(flatten)]
    pub record: Record,
    /// The reader runs the participant's workshop (a fact of the policy's).
    pub in_actor_workshop: bool,
    #[sqlx(json)]
    pub extensions: Vec<Extension>,
    #[sqlx(json)]
    pub documents: Vec<Document>,
    /// A graduate's follow-up schedule (read with the participation dates).
    #[sqlx(json)]
    pub follow_ups: Vec<FollowUpContact>,
    /// The last day of the graduate's follow-up (the schedule is shown as not made after it).
    pub follow_up_until: Option<Date>,
    /// A page of the timeline, newest first (one more entry than a page when older ones exist).
    #[sqlx(json)]
    pub timeline: Vec<TimelineEntry>,
    /// The newest IPZS: (document, current version, status code), for its readers.
    #[sqlx(json)]
    pub programme: Option<(Uuid, i32, String)>,
    /// The social contracts, oldest first: (document, status code, the contract it renews, a
    /// signed version binds), for the programme's readers.
    #[sqlx(json)]
    pub contracts: Vec<(Uuid, String, Option<Uuid>, bool)>,
}

impl FileRead {
    /// The policy's facts about the participant, from the read.
    pub fn facts(&self) -> ParticipantFacts {
        ParticipantFacts {
            participant_id: self.record.participant_id,
            social_worker_id: self.record.social_worker_id,
            status: self.record.status,
            in_actor_workshop: self.in_actor_workshop,
        }
    }
}

/// Reads the file and writes the view's audit row (`event`) in the same statement, without
/// waiting for the audit row to reach the disk (`audit::record_read` says what that trades).
/// `None` when there is no such participant in the centre or it is outside the reader's scope
/// (then nothing is read and no row is written).
pub async fn read_file(
    db: impl PgExecutor<'_>,
    file: File,
    parts: Parts,
    meta: &RequestMeta,
    event: AuditEvent<'_>,
) -> sqlx::Result<Option<FileRead>> {
    let mut q = QueryBuilder::<Postgres>::new("");
    audit::push_read_where(&mut q, meta, event, |q| {
        q.push(
            "exists (select 1 from participant p left join workshop_membership m \
             on m.participant_id = p.participant_id and m.member_until is null where ",
        );
        file.push_where(q);
        q.push(")");
    });
    q.push(concat!(
        "select ",
        record_columns!(),
        ", exists (select 1 from workshop_instructor w \
         where w.workshop_id = m.workshop_id and w.staff_user_id = "
    ));
    q.push_bind(file.reader_id);
    q.push(") as in_actor_workshop, coalesce(case when ");
    q.push_bind(parts.extensions);
    q.push(
        " then (select json_agg(json_build_object(
                    'decided_on', e.decided_on, 'decided_by', u.full_name, 'reason', e.reason,
                    'previous_end_on', e.previous_end_on, 'new_end_on', e.new_end_on)
                    order by e.recorded_at)
                from participation_extension e join staff_user u on u.staff_user_id = e.decided_by
                where e.participant_id = p.participant_id) end, '[]') as extensions,
            coalesce(case when ",
    );
    q.push_bind(parts.documents);
    q.push(
        " then (select json_agg(json_build_object(
                    'kind', d.kind, 'document_date', d.document_date, 'content', d.content,
                    'author', u.full_name)
                    order by d.kind, d.document_date, d.created_at)
                from recruitment_document d join staff_user u on u.staff_user_id = d.author_id
                where d.participant_id = p.participant_id) end, '[]') as documents,
            p.follow_up_until,
            coalesce(case when p.status = 'graduate' and ",
    );
    q.push_bind(parts.extensions);
    q.push(
        " then (select json_agg(json_build_object(
                    'sequence', f.sequence, 'due_on', f.due_on, 'contacted_on', f.contacted_on)
                    order by f.sequence)
                from follow_up f where f.participant_id = p.participant_id) end, '[]') as follow_ups,
            coalesce(case when ",
    );
    q.push_bind(parts.programme);
    q.push(
        " then (select json_build_array(d.document_id, d.current_version, d.status)
                from document d where d.participant_id = p.participant_id and d.kind = 'ipzs'
                order by d.created_at desc limit 1) end, 'null'::json) as programme,
            coalesce(case when ",
    );
    q.push_bind(parts.programme);
    q.push(
        " then (select json_agg(json_build_array(d.document_id, d.status, d.follows,
                    exists (select 1 from document_version f where f.document_id = d.document_id
                            and f.status in ('signed', 'in_realization'))) order by d.created_at)
                from document d where d.participant_id = p.participant_id and d.kind = 'social_contract') end,
                '[]'::json) as contracts, ",
    );
    push_timeline(&mut q, &parts.timeline);
    q.push(record_from!());
    q.push(" where ");
    file.push_where(&mut q);
    q.push(" and exists (select 1 from read_audit)");
    q.build_query_as().fetch_optional(db).await
}

/// Which file, for whom: the participant of the centre, and the reader's scope (the policy's
/// `file_scope`), so a file outside it is neither read nor audited as read.
#[derive(Debug, Clone, Copy)]
pub struct File {
    pub centre_id: Uuid,
    pub participant_id: Uuid,
    pub reader_id: Uuid,
    pub scope: ListScope,
}

impl File {
    fn push_where(&self, q: &mut QueryBuilder<'_, Postgres>) {
        q.push("p.centre_id = ")
            .push_bind(self.centre_id)
            .push(" and p.participant_id = ")
            .push_bind(self.participant_id);
        push_scope(q, self.scope);
    }
}
