//! The file page's read: the record, the status history, the extension decisions, the
//! recruitment documents and "who viewed this file", in one statement that also writes the
//! view's audit row. The row and the read are one statement, so one implicit transaction: if
//! the row cannot be written, nothing is read. The lists a reader may not see are not read.

use serde::{Deserialize, Deserializer};
use sqlx::PgExecutor;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::record_query;
use crate::audit::AuditActor;
use crate::audit::meta::RequestMeta;
use crate::auth::policy::Action;
use crate::domain::{Role, Status};
use crate::participants::model::DocumentKind;
use crate::participants::record::Record;
use crate::validate::dates;

/// One row of the status history.
#[derive(Debug, Clone, Deserialize)]
pub struct StatusChange {
    pub from_status: Option<Status>,
    pub to_status: Status,
    #[serde(deserialize_with = "date")]
    pub changed_on: Date,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
}

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

/// One line of "who viewed this file".
#[derive(Debug, Clone, Deserialize)]
pub struct View {
    #[serde(deserialize_with = "moment")]
    pub occurred_at: OffsetDateTime,
    pub viewer: Option<String>,
    pub role: Option<Role>,
    pub detail: Option<String>,
}

/// A date as the database writes it into JSON (`2026-11-30`).
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    dates::parse(&text).map_err(serde::de::Error::custom)
}

/// A timestamp as the database writes it into JSON (RFC 3339).
fn moment<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
    let text = String::deserialize(d)?;
    OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom)
}

/// The lists a reader may see (the others are not read).
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub history: bool,
    pub extensions: bool,
    pub documents: bool,
    pub viewers: bool,
}

/// Who reads, for the audit row the read writes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    pub actor: AuditActor,
    pub meta: &'a RequestMeta,
    /// What was shown (the parts of the file).
    pub detail: String,
}

/// What the file page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRead {
    #[sqlx(flatten)]
    pub record: Record,
    #[sqlx(json)]
    pub history: Vec<StatusChange>,
    #[sqlx(json)]
    pub extensions: Vec<Extension>,
    #[sqlx(json)]
    pub documents: Vec<Document>,
    #[sqlx(json)]
    pub viewers: Vec<View>,
}

/// Reads participant `id`'s file for `reader` and writes the view's audit row in the same
/// statement, without waiting for the audit row to reach the disk (`audit::record_read` says
/// what that trades). `None` when there is no such participant in the centre.
pub async fn read_file(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    parts: Parts,
    reader: Reader<'_>,
) -> sqlx::Result<Option<FileRead>> {
    let sql = concat!(
        "with read_audit as (
            insert into audit_event (actor_id, actor_role, centre_id, action, object_type,
                                     object_id, participant_id, request_id, client_ip, outcome, detail)
            select $3::uuid, $4::staff_role, $1::uuid, $5::text, 'participant', $2::uuid, $2::uuid,
                   $6::text, $7::inet, 'success', $8::text
            from (select set_config('synchronous_commit', 'off', true)) as read_commit
            returning 1
        ) ",
        record_query!(
            ",
            coalesce(case when $9 then (
                select json_agg(json_build_object('from_status', c.from_status, 'to_status', c.to_status,
                                                  'changed_on', c.changed_on, 'reason', c.reason,
                                                  'decided_by', u.full_name)
                                order by c.recorded_at, c.participant_status_change_id)
                from participant_status_change c left join staff_user u on u.staff_user_id = c.decided_by
                where c.participant_id = p.participant_id) end, '[]') as history,
            coalesce(case when $10 then (
                select json_agg(json_build_object('decided_on', e.decided_on, 'decided_by', u.full_name,
                                                  'reason', e.reason, 'previous_end_on', e.previous_end_on,
                                                  'new_end_on', e.new_end_on)
                                order by e.recorded_at)
                from participation_extension e join staff_user u on u.staff_user_id = e.decided_by
                where e.participant_id = p.participant_id) end, '[]') as extensions,
            coalesce(case when $11 then (
                select json_agg(json_build_object('kind', d.kind, 'document_date', d.document_date,
                                                  'content', d.content, 'author', u.full_name)
                                order by d.kind, d.document_date, d.created_at)
                from recruitment_document d join staff_user u on u.staff_user_id = d.author_id
                where d.participant_id = p.participant_id) end, '[]') as documents,
            coalesce(case when $12 then (
                select json_agg(json_build_object('occurred_at', v.occurred_at, 'viewer', v.viewer,
                                                  'role', v.actor_role, 'detail', v.detail)
                                order by v.occurred_at desc)
                from participant_file_views($2, $1) v) end, '[]') as viewers",
            "where p.centre_id = $1 and p.participant_id = $2 and exists (select 1 from read_audit)"
        )
    );
    sqlx::query_as(sql)
        .bind(centre_id)
        .bind(id)
        .bind(reader.actor.user_id)
        .bind(reader.actor.role)
        .bind(Action::ViewParticipant.code())
        .bind(reader.meta.request_id.as_str())
        .bind(reader.meta.client_ip.map(ipnet::IpNet::from))
        .bind(reader.detail)
        .bind(parts.history)
        .bind(parts.extensions)
        .bind(parts.documents)
        .bind(parts.viewers)
        .fetch_optional(db)
        .await
}
