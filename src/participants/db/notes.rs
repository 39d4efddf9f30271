//! Case notes and the file's timeline: the notes a reader may see, the status changes, the
//! changes of social worker and the documents' workflow steps, newest first, a page at a time. The timeline is a part of the
//! file page's one statement (`file::read_file` pushes it), so reading it is audited with the
//! file view; the writes are plain inserts in the caller's transaction (notes are never
//! updated: the database refuses it).

use serde::Deserialize;
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use crate::domain::{NoteVisibility, Status};
use crate::participants::model::NoteKind;

/// Entries on one page of the timeline.
pub const PAGE: i64 = 20;

/// Entries of a printed file (the newest; a longer history says so on the print).
pub const PRINTED: i64 = 500;

/// Where a page of the timeline starts: below this entry (the last of the previous page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    on: Date,
    micros: i64,
    id: Uuid,
}

impl Cursor {
    /// Parses the `?before=` of a timeline link (`2026-11-30_1764460800000000_<uuid>`).
    pub fn parse(raw: &str) -> Option<Cursor> {
        let mut parts = raw.splitn(3, '_');
        let on = crate::validate::dates::parse(parts.next()?).ok()?;
        let micros = parts.next()?.parse().ok()?;
        let id = parts.next()?.parse().ok()?;
        Some(Cursor { on, micros, id })
    }
}

/// What of the timeline a reader sees: notes of these visibilities in full, of these only as
/// markers, the status changes and document steps or not; from where.
#[derive(Debug, Clone, Default)]
pub struct TimelineRead {
    pub read: Vec<NoteVisibility>,
    pub markers: Vec<NoteVisibility>,
    pub history: bool,
    pub before: Option<Cursor>,
    /// Entries wanted (one more is read, to know whether older ones exist).
    pub limit: i64,
}

/// One entry of the timeline as the database writes it (what an entry does not have is null;
/// a marker has no kind, topic or text).
#[derive(Debug, Clone, Deserialize)]
pub struct TimelineEntry {
    /// `note`, `status`, `document` or `worker` (a change of social worker: `topic` is the
    /// one before, `body` the one after).
    pub entry: String,
    #[serde(deserialize_with = "super::file::date")]
    pub on_date: Date,
    pub id: Uuid,
    /// The cursor of a page that starts below this entry.
    pub cursor: String,
    pub who: Option<String>,
    pub who_id: Option<Uuid>,
    pub note_kind: Option<NoteKind>,
    pub visibility: Option<NoteVisibility>,
    pub topic: Option<String>,
    pub body: Option<String>,
    pub corrects_id: Option<Uuid>,
    pub corrected_by: Option<Uuid>,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    /// The reason of a status change, the comment of a document step.
    pub reason: Option<String>,
    /// The document step (`submit`, `approve`, …) and the document's kind.
    pub step: Option<String>,
    pub document_kind: Option<String>,
}

/// Appends the timeline column (`timeline`, a JSON array of [`TimelineEntry`], one more than
/// the limit when there is an older page) for the participant `p` of the surrounding query.
pub fn push_timeline(q: &mut QueryBuilder<'_, Postgres>, t: &TimelineRead) {
    let shown: Vec<NoteVisibility> = t.read.iter().chain(&t.markers).copied().collect();
    q.push(
        "coalesce((select json_agg(t order by t.on_date desc, t.at desc, t.id desc) from (
            select e.*, to_char(e.on_date, 'YYYY-MM-DD') || '_' || (extract(epoch from e.at) * 1000000)::bigint || '_' || e.id
                   as cursor
            from (
                select 'note' as entry, n.noted_on as on_date, n.created_at as at, n.case_note_id as id,
                       u.full_name as who, n.author_id as who_id,
                       case when n.visibility = any(",
    );
    q.push_bind(t.read.clone());
    q.push(") then n.kind end as note_kind, n.visibility, case when n.visibility = any(");
    q.push_bind(t.read.clone());
    q.push(") then n.topic end as topic, case when n.visibility = any(");
    q.push_bind(t.read.clone());
    q.push(
        ") then n.body end as body, n.corrects_id,
                       (select c.case_note_id from case_note c where c.corrects_id = n.case_note_id)
                           as corrected_by,
                       null::participant_status as from_status, null::participant_status as to_status,
                       null::text as reason, null::text as step, null::text as document_kind
                from case_note n join staff_user u on u.staff_user_id = n.author_id
                where n.participant_id = p.participant_id and n.visibility = any(",
    );
    q.push_bind(shown);
    q.push(
        ")
                union all
                select 'status', c.changed_on, c.recorded_at, c.participant_status_change_id,
                       u.full_name, c.decided_by, null, null, null, null, null, null,
                       c.from_status, c.to_status, c.reason, null, null
                from participant_status_change c left join staff_user u on u.staff_user_id = c.decided_by
                where c.participant_id = p.participant_id and ",
    );
    q.push_bind(t.history);
    q.push(
        "
                union all
                select 'document', (d_e.occurred_at at time zone 'Europe/Warsaw')::date, d_e.occurred_at,
                       d_e.document_event_id, u.full_name, d_e.decided_by, null, null, null, null, null,
                       null, null, null, d_e.comment, d_e.step, d.kind::text
                from document d join document_event d_e on d_e.document_id = d.document_id
                join staff_user u on u.staff_user_id = d_e.decided_by
                where d.participant_id = p.participant_id and ",
    );
    q.push_bind(t.history);
    q.push(
        "
                union all
                select 'worker', (w.changed_at at time zone 'Europe/Warsaw')::date, w.changed_at,
                       w.social_worker_change_id, u.full_name, w.changed_by, null, null,
                       fu.full_name, tu.full_name, null, null, null, null, null, null, null
                from social_worker_change w join staff_user u on u.staff_user_id = w.changed_by
                join staff_user tu on tu.staff_user_id = w.to_worker
                left join staff_user fu on fu.staff_user_id = w.from_worker
                where w.participant_id = p.participant_id and ",
    );
    q.push_bind(t.history);
    q.push(") e");
    if let Some(c) = t.before {
        q.push(" where (e.on_date, e.at, e.id) < (");
        q.push_bind(c.on);
        q.push(", timestamptz 'epoch' + ");
        q.push_bind(c.micros);
        q.push(" * interval '1 microsecond', ");
        q.push_bind(c.id);
        q.push(")");
    }
    q.push(" order by e.on_date desc, e.at desc, e.id desc limit ");
    q.push_bind(t.limit + 1);
    q.push(") t), '[]') as timeline");
}

/// A new note (or a correction: `corrects` names the note it corrects).
#[derive(Debug, Clone)]
pub struct NewNote {
    pub noted_on: Date,
    pub kind: NoteKind,
    pub topic: String,
    pub body: String,
    pub visibility: NoteVisibility,
    pub corrects: Option<Uuid>,
}

/// Adds a note to the participant's file; its id.
pub async fn add_note(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
    author_id: Uuid,
    note: &NewNote,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar(
        "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body,
                                visibility, corrects_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning case_note_id",
    )
    .bind(centre_id)
    .bind(participant_id)
    .bind(author_id)
    .bind(note.noted_on)
    .bind(note.kind)
    .bind(&note.topic)
    .bind(&note.body)
    .bind(note.visibility)
    .bind(note.corrects)
    .fetch_one(db)
    .await
}

/// A stored note, for its correction.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredNote {
    pub author_id: Uuid,
    pub noted_on: Date,
    pub kind: NoteKind,
    pub topic: String,
    pub body: String,
    pub visibility: NoteVisibility,
    /// A later note corrects it already.
    pub corrected: bool,
}

/// The note `note_id` of the participant's file (of the centre), if there is one.
pub async fn find_note(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
    note_id: Uuid,
) -> sqlx::Result<Option<StoredNote>> {
    sqlx::query_as(
        "select n.author_id, n.noted_on, n.kind, n.topic, n.body, n.visibility,
                exists (select 1 from case_note c where c.corrects_id = n.case_note_id) as corrected
         from case_note n
         where n.centre_id = $1 and n.participant_id = $2 and n.case_note_id = $3",
    )
    .bind(centre_id)
    .bind(participant_id)
    .bind(note_id)
    .fetch_optional(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_nonsense_is_refused() {
        let id = Uuid::from_u128(7);
        let c = Cursor::parse(&format!("2026-11-30_1764460800123456_{id}")).unwrap();
        assert_eq!(c.micros, 1_764_460_800_123_456);
        assert_eq!(c.id, id);
        for bad in [
            "",
            "2026-11-30",
            "x_1_2",
            "2026-11-30_a_b",
            "2026-13-01_1_00",
        ] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }
}
