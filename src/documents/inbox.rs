//! What the documents of every kind put on "Do zrobienia", read the same way for each kind:
//! the documents waiting for someone's step (the manager's: submitted and approved ones of the
//! centre; a social worker's: the caseload's drafts and approved ones) and the monitoring
//! entries due within two weeks or overdue. One statement per list whatever the number of
//! items; the kind's inbox picks from them and words them.

use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::access::Kind;
use super::db::DocumentKind;
use super::workflow::DocStatus;
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxGroup, InboxItem, ItemDue};

/// A monitoring entry shows this long before it falls due.
const DUE_SOON: Duration = Duration::days(14);

/// Items shown per group; the heading gives the whole count.
const ITEMS: usize = 10;

/// A document waiting for a step.
pub struct Waiting {
    pub document_id: Uuid,
    pub status: DocStatus,
    pub name: String,
    /// A draft the reviewer sent back (its last step was a return).
    pub returned: bool,
    /// The manager's signature of the current version is recorded.
    pub centre_signed: bool,
    pub since: OffsetDateTime,
}

/// The documents of `kind` waiting for a step: the centre's submitted and approved ones
/// (`caseload` `None`: the manager's view, on the waiting documents' partial index), or the
/// drafts and approved ones of social worker `caseload`'s participants.
pub async fn waiting(
    state: &AppState,
    user: &CurrentUser,
    kind: DocumentKind,
    caseload: Option<Uuid>,
) -> Result<Vec<Waiting>> {
    Ok(match caseload {
        None => {
            sqlx::query_as!(
                Waiting,
                r#"select d.document_id, d.status as "status: DocStatus",
                          p.surname || ' ' || p.first_names as "name!", false as "returned!",
                          exists (select 1 from document_signature g where g.document_id = d.document_id
                                  and g.version = d.current_version and g.party = 'manager') as "centre_signed!",
                          d.updated_at as since
                   from document d join participant p on p.participant_id = d.participant_id
                   where d.centre_id = $1 and d.status in ('submitted', 'approved') and d.kind = $2
                   order by d.updated_at"#,
                user.centre_id,
                kind as DocumentKind
            )
            .fetch_all(&state.db)
            .await?
        }
        Some(worker) => {
            sqlx::query_as!(
                Waiting,
                r#"select d.document_id, d.status as "status: DocStatus",
                          p.surname || ' ' || p.first_names as "name!",
                          coalesce((select e.step from document_event e where e.document_id = d.document_id
                                    order by e.occurred_at desc limit 1) = 'return', false) as "returned!",
                          exists (select 1 from document_signature g where g.document_id = d.document_id
                                  and g.version = d.current_version and g.party = 'manager') as "centre_signed!",
                          d.updated_at as since
                   from participant p join document d on d.participant_id = p.participant_id
                   where p.social_worker_id = $1 and p.centre_id = $2 and d.kind = $3
                     and d.status in ('draft', 'approved')
                   order by d.updated_at"#,
                worker,
                user.centre_id,
                kind as DocumentKind
            )
            .fetch_all(&state.db)
            .await?
        }
    })
}

/// The item of waiting document `w` of `kind`, with what to do: due since it began to wait.
pub fn item(kind: &Kind, w: &Waiting, detail: &str) -> (InboxItem, ItemDue) {
    waiting_item(kind.href(w.document_id), &w.name, detail, w.since)
}

/// An item waiting for the user's step since `since`, linking to `href`.
pub fn waiting_item(
    href: String,
    name: &str,
    detail: &str,
    since: OffsetDateTime,
) -> (InboxItem, ItemDue) {
    let since = dates::polish_today(since);
    let item = InboxItem {
        href: Some(href),
        title: name.to_owned(),
        detail: Some(detail.to_owned()),
        due: Some(format!("od {}", dates::format(since))),
        warning: None,
    };
    (item, ItemDue::since(since))
}

/// A group headed `heading` with its count, or nothing when `rows` is empty.
pub fn group(heading: &str, mut rows: Vec<(InboxItem, ItemDue)>) -> Option<InboxGroup> {
    if rows.is_empty() {
        return None;
    }
    let count = rows.len();
    rows.truncate(ITEMS);
    let mut group = InboxGroup::dated(format!("{heading} ({count})"), rows);
    group.count = count;
    Some(group)
}

/// Social worker `worker`'s running documents of `kind` whose next monitoring entry (at least
/// every `months` months from the participant's signature or the last entry) falls due within
/// [`DUE_SOON`] or is overdue, the most overdue first; each links to `form(document)`.
pub async fn monitoring_due(
    state: &AppState,
    user: &CurrentUser,
    worker: Uuid,
    today: Date,
    kind: DocumentKind,
    months: i32,
    form: impl Fn(Uuid) -> String,
) -> Result<Vec<(InboxItem, ItemDue)>> {
    let rows = sqlx::query!(
        r#"select d.document_id, p.surname || ' ' || p.first_names as "name!",
                  greatest((select max(m.entry_on) from document_monitoring m where m.document_id = d.document_id),
                           (select min(g.signed_on) from document_signature g
                            where g.document_id = d.document_id and g.party = 'participant')) as since
           from document d join participant p on p.participant_id = d.participant_id
           where d.centre_id = $1 and d.kind = $3 and d.status <> 'closed'
             and p.social_worker_id = $2
             and exists (select 1 from document_signature g
                         where g.document_id = d.document_id and g.party = 'participant')"#,
        user.centre_id,
        worker,
        kind as DocumentKind
    )
    .fetch_all(&state.db)
    .await?;
    let mut due: Vec<(InboxItem, ItemDue)> = rows
        .into_iter()
        .filter_map(|r| {
            let next = dates::add_months(r.since?, months);
            (next <= today + DUE_SOON).then(|| {
                let item = InboxItem {
                    href: Some(form(r.document_id)),
                    title: r.name,
                    detail: Some(format!("wpis co najmniej co {months} mies.")),
                    due: Some(format!("termin {}", dates::format(next))),
                    warning: None,
                };
                (item, ItemDue::by(next, today))
            })
        })
        .collect();
    due.sort_by_key(|(_, due)| due.on);
    Ok(due)
}
