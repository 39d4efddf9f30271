//! What the documents of every kind put on "Do zrobienia", read the same way for each kind:
//! the documents waiting for someone's step (the manager's: submitted and approved ones of the
//! centre; a social worker's: the caseload's drafts and approved ones) and the monitoring
//! entries due within two weeks or overdue. One statement per list whatever the number of
//! items, for the documents of every kind at once: the first kind's inbox to ask makes the read
//! and keeps it for the page (`InboxRead`), the next takes it from there; each picks its own
//! documents and words them.

use sqlx::PgConnection;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::access::Kind;
use super::db::{DocumentKind, monitoring_rules};
use super::workflow::DocStatus;
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::validate::dates;
use crate::web::inbox::{InboxGroup, InboxItem, InboxRead, ItemDue, SHOWN, SHOWN_ROWS, capped};

/// A monitoring entry shows this long before it falls due.
const DUE_SOON: Duration = Duration::days(14);

/// Items shown per group; the heading gives the whole count.
const ITEMS: usize = SHOWN;

/// A document waiting for a step.
#[derive(Clone)]
pub struct Waiting {
    pub kind: DocumentKind,
    pub document_id: Uuid,
    pub status: DocStatus,
    pub name: String,
    /// A draft the reviewer sent back (its last step was a return).
    pub returned: bool,
    /// The manager's signature of the current version is recorded.
    pub centre_signed: bool,
    pub since: OffsetDateTime,
}

/// The waiting documents of every kind, read once for the page.
struct WaitingAll(Vec<Waiting>);

/// The documents of `kind` waiting for a step: the centre's submitted and approved ones
/// (`caseload` `None`: the manager's view, on the waiting documents' partial index), or the
/// drafts and approved ones of social worker `caseload`'s participants. Read for every kind
/// by the first kind that asks (`caseload` is the user's, the same for every kind).
pub async fn waiting(
    read: &mut InboxRead,
    user: &CurrentUser,
    kind: DocumentKind,
    caseload: Option<Uuid>,
) -> Result<Vec<Waiting>> {
    let all = match read.shared::<WaitingAll>() {
        Some(all) => all,
        None => {
            let rows = waiting_all(read.conn(), user, caseload).await?;
            read.keep(WaitingAll(rows))
        }
    };
    Ok(all.0.iter().filter(|w| w.kind == kind).cloned().collect())
}

async fn waiting_all(
    conn: &mut PgConnection,
    user: &CurrentUser,
    caseload: Option<Uuid>,
) -> Result<Vec<Waiting>> {
    Ok(match caseload {
        None => {
            sqlx::query_as!(
                Waiting,
                r#"select d.kind as "kind: DocumentKind", d.document_id, d.status as "status: DocStatus",
                          p.surname || ' ' || p.first_names as "name!", false as "returned!",
                          exists (select 1 from document_signature g where g.document_id = d.document_id
                                  and g.version = d.current_version and g.party = 'manager') as "centre_signed!",
                          d.updated_at as since
                   from document d join participant p on p.participant_id = d.participant_id
                   where d.centre_id = $1 and d.status in ('submitted', 'approved')
                   order by d.updated_at"#,
                user.centre_id,
            )
            .fetch_all(&mut *conn)
            .await?
        }
        Some(worker) => {
            sqlx::query_as!(
                Waiting,
                r#"select d.kind as "kind: DocumentKind", d.document_id, d.status as "status: DocStatus",
                          p.surname || ' ' || p.first_names as "name!",
                          coalesce((select e.step from document_event e where e.document_id = d.document_id
                                    order by e.occurred_at desc limit 1) = 'return', false) as "returned!",
                          exists (select 1 from document_signature g where g.document_id = d.document_id
                                  and g.version = d.current_version and g.party = 'manager') as "centre_signed!",
                          d.updated_at as since
                   from participant p join document d on d.participant_id = p.participant_id
                   where p.social_worker_id = $1 and p.centre_id = $2
                     and d.status in ('draft', 'approved')
                   order by d.updated_at"#,
                worker,
                user.centre_id,
            )
            .fetch_all(&mut *conn)
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

/// The documents read for a monitoring group; past this its heading says "ponad".
const MONITORING_CAP: i64 = 100;

/// Social worker `worker`'s running documents of `kind` whose next monitoring entry falls
/// due within [`DUE_SOON`] or is overdue, read as a group by [`MonitoringDue::group`].
pub fn monitoring_due<'a>(
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    worker: Uuid,
    today: Date,
    kind: DocumentKind,
) -> MonitoringDue<'a> {
    MonitoringDue {
        read,
        user,
        worker,
        today,
        kind,
    }
}

/// What [`monitoring_due`] reads.
pub struct MonitoringDue<'a> {
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    worker: Uuid,
    today: Date,
    kind: DocumentKind,
}

/// A running document whose monitoring entry is due, with the count of its kind's read.
struct Due {
    kind: DocumentKind,
    document_id: Uuid,
    name: String,
    since: Date,
    total: i64,
}

/// The monitoring due of every kind, read once for the page, with the interval in force.
struct MonitoringAll {
    months: i32,
    rows: Vec<Due>,
}

impl MonitoringDue<'_> {
    /// The group `heading`: the documents whose next entry (at least every N months, the
    /// centre's setting on the day, from the participant's first signature or the latest
    /// entry) falls due within [`DUE_SOON`] or is overdue, the most overdue first; each links
    /// to `form(document)`. The day each document's interval counts from is kept indexed
    /// (`document_monitoring_since`, migration 0034), so one statement reads, for every kind,
    /// only the documents due, up to [`MONITORING_CAP`], and the first [`SHOWN`] with their
    /// names.
    pub async fn group(
        self,
        heading: &str,
        form: impl Fn(Uuid) -> String,
    ) -> Result<Option<InboxGroup>> {
        let Self {
            read,
            user,
            worker,
            today,
            kind,
        } = self;
        let all = match read.shared::<MonitoringAll>() {
            Some(all) => all,
            None => {
                let all = monitoring_all(read.conn(), user, worker, today).await?;
                read.keep(all)
            }
        };
        let months = all.months;
        let rows: Vec<&Due> = all.rows.iter().filter(|r| r.kind == kind).collect();
        let Some(total) = rows.first().map(|r| r.total) else {
            return Ok(None);
        };
        let items = rows
            .into_iter()
            .map(|r| {
                let next = dates::add_months(r.since, months);
                let item = InboxItem {
                    href: Some(form(r.document_id)),
                    title: r.name.clone(),
                    detail: Some(format!("wpis co najmniej co {months} mies.")),
                    due: Some(format!("termin {}", dates::format(next))),
                    warning: None,
                };
                (item, ItemDue::by(next, today))
            })
            .collect();
        let mut group = InboxGroup::dated(
            format!("{heading} ({})", capped(total, MONITORING_CAP)),
            items,
        );
        group.count = usize::try_from(total).unwrap_or(0);
        Ok(Some(group))
    }
}

/// The monitoring due of `worker`'s documents of every kind (see [`MonitoringDue::group`]):
/// each kind's first [`SHOWN`], with the number of its documents due up to
/// [`MONITORING_CAP`] and one more.
async fn monitoring_all(
    conn: &mut PgConnection,
    user: &CurrentUser,
    worker: Uuid,
    today: Date,
) -> Result<MonitoringAll> {
    let months = monitoring_rules(&mut *conn, user.centre_id)
        .await?
        .on(today)
        .map_or(3, |r| r.months);
    let rows = sqlx::query_as!(
        Due,
        r#"select k.kind as "kind!: DocumentKind", d.document_id as "document_id!", d.name as "name!",
                  d.since as "since!", d.total as "total!"
           from unnest(enum_range(null::document_kind)) as k(kind)
           cross join lateral (
               select x.document_id, x.name, x.since, count(*) over () as total
               from (select n.document_id, n.since, p.surname || ' ' || p.first_names as name
                     from document_monitoring_since n
                     join participant p on p.participant_id = n.participant_id
                     where n.centre_id = $1 and n.kind = k.kind and n.since <= $3
                       and p.social_worker_id = $2
                     order by n.since, n.document_id
                     limit $4) x
               order by x.since, x.document_id
               limit $5) d
           order by k.kind, d.since, d.document_id"#,
        user.centre_id,
        worker,
        counted_from_by(today + DUE_SOON, months),
        MONITORING_CAP + 1,
        SHOWN_ROWS,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(MonitoringAll { months, rows })
}

/// The latest day an interval of `months` months may count from and fall due by `by`
/// (`add_months` keeps the day, or the month's last: from 31 January a month falls due on
/// 28 or 29 February, so a few days of January end all fall due that day).
fn counted_from_by(by: Date, months: i32) -> Date {
    let mut from = dates::add_months(by, -months);
    while let Some(next) = from.next_day() {
        if dates::add_months(next, months) > by {
            break;
        }
        from = next;
    }
    from
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_latest_day_counted_from_falls_due_by_the_day_and_the_next_one_after_it() {
        for (by, months, from) in [
            (date!(2026 - 05 - 30), 3, date!(2026 - 02 - 28)),
            (date!(2026 - 02 - 28), 1, date!(2026 - 01 - 31)),
            (date!(2028 - 02 - 28), 1, date!(2028 - 01 - 28)),
            (date!(2028 - 02 - 29), 1, date!(2028 - 01 - 31)),
            (date!(2026 - 12 - 15), 3, date!(2026 - 09 - 15)),
            (date!(2026 - 03 - 31), 1, date!(2026 - 02 - 28)),
        ] {
            assert_eq!(counted_from_by(by, months), from, "{by} {months}");
            assert!(dates::add_months(from, months) <= by);
            assert!(dates::add_months(from.next_day().unwrap(), months) > by);
        }
    }
}
