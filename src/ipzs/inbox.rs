//! What the IPZS puts on "Do zrobienia": programmes awaiting approval (the manager), returned
//! to their author, signatures to record (the manager and the caseworker), monitoring due in
//! the next two weeks or overdue (the caseworker). Two statements whatever the number of items.

use time::{Date, Duration};
use uuid::Uuid;

use super::db::monitoring_rules;
use crate::auth::session::CurrentUser;
use crate::documents::workflow::DocStatus;
use crate::domain::Role;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem};

/// A monitoring entry shows this long before it falls due.
const DUE_SOON: Duration = Duration::days(14);

/// Items shown per group; the heading gives the whole count.
const ITEMS: usize = 10;

struct Waiting {
    document_id: Uuid,
    status: DocStatus,
    name: String,
    returned: bool,
    since: time::OffsetDateTime,
}

fn group(heading: &str, rows: Vec<InboxItem>) -> Option<InboxGroup> {
    if rows.is_empty() {
        return None;
    }
    let count = rows.len();
    Some(InboxGroup {
        heading: format!("{heading} ({count})"),
        count,
        items: rows.into_iter().take(ITEMS).collect(),
        ..InboxGroup::default()
    })
}

/// The IPZS groups of `user`'s home page.
pub fn inbox_items<'a>(state: &'a AppState, user: &'a CurrentUser, today: Date) -> InboxFuture<'a> {
    Box::pin(async move {
        let caseload = match user.role {
            Role::Manager => None,
            Role::SocialWorker => Some(user.user_id),
            _ => return Ok(Vec::new()),
        };
        // The manager's: what waits for the centre (on the waiting documents' partial index);
        // a social worker's: their caseload's drafts (returned ones) and approved programmes.
        let waiting: Vec<Waiting> = match caseload {
            None => {
                sqlx::query_as!(
                    Waiting,
                    r#"select d.document_id, d.status as "status: DocStatus",
                              p.surname || ' ' || p.first_names as "name!", false as "returned!",
                              d.updated_at as since
                       from document d join participant p on p.participant_id = d.participant_id
                       where d.centre_id = $1 and d.status in ('submitted', 'approved') and d.kind = 'ipzs'
                       order by d.updated_at"#,
                    user.centre_id
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
                              d.updated_at as since
                       from participant p join document d on d.participant_id = p.participant_id
                       where p.social_worker_id = $1 and p.centre_id = $2 and d.kind = 'ipzs'
                         and d.status in ('draft', 'approved')
                       order by d.updated_at"#,
                    worker,
                    user.centre_id
                )
                .fetch_all(&state.db)
                .await?
            }
        };
        let item = |w: &Waiting, detail: &str| InboxItem {
            href: Some(super::href(w.document_id)),
            title: w.name.clone(),
            detail: Some(detail.to_owned()),
            due: Some(format!(
                "od {}",
                dates::format(dates::polish_today(w.since))
            )),
            warning: None,
        };
        let pick = |status: DocStatus, detail: &str| -> Vec<InboxItem> {
            waiting
                .iter()
                .filter(|w| w.status == status && (status != DocStatus::Draft || w.returned))
                .map(|w| item(w, detail))
                .collect()
        };
        let mut groups = Vec::new();
        if user.role == Role::Manager {
            groups.extend(group(
                "IPZS do zatwierdzenia",
                pick(
                    DocStatus::Submitted,
                    "przeczytaj z opiniami, zatwierdź lub zwróć",
                ),
            ));
        } else {
            groups.extend(group(
                "IPZS zwrócone do poprawy",
                pick(DocStatus::Draft, "przeczytaj uwagi kierownika i popraw"),
            ));
        }
        groups.extend(group(
            "IPZS – podpisy do zapisania",
            pick(
                DocStatus::Approved,
                "zapisz daty podpisów uczestnika i kierownika",
            ),
        ));
        if let Some(worker) = caseload {
            groups.extend(group(
                "Monitoring IPZS do wpisania",
                monitoring_due(state, user, worker, today).await?,
            ));
        }
        Ok(groups)
    })
}

/// The caseload's running programmes whose next monitoring entry falls due within
/// [`DUE_SOON`] or is overdue, the most overdue first.
async fn monitoring_due(
    state: &AppState,
    user: &CurrentUser,
    worker: Uuid,
    today: Date,
) -> crate::error::Result<Vec<InboxItem>> {
    let months = monitoring_rules(&state.db, user.centre_id)
        .await?
        .on(today)
        .map_or(3, |r| r.months);
    let rows = sqlx::query!(
        r#"select d.document_id, p.surname || ' ' || p.first_names as "name!",
                  greatest((select max(m.entry_on) from ipzs_monitoring m where m.document_id = d.document_id),
                           (select min(g.signed_on) from document_signature g
                            where g.document_id = d.document_id and g.party = 'participant')) as since
           from document d join participant p on p.participant_id = d.participant_id
           where d.centre_id = $1 and d.kind = 'ipzs' and d.status <> 'closed'
             and p.social_worker_id = $2
             and exists (select 1 from document_signature g where g.document_id = d.document_id)"#,
        user.centre_id,
        worker
    )
    .fetch_all(&state.db)
    .await?;
    let mut due: Vec<(Date, InboxItem)> = rows
        .into_iter()
        .filter_map(|r| {
            let next = dates::add_months(r.since?, months);
            (next <= today + DUE_SOON).then(|| {
                let item = InboxItem {
                    href: Some(format!("/ipzs/{}/monitoring", r.document_id)),
                    title: r.name,
                    detail: Some(format!("wpis co najmniej co {months} mies.")),
                    due: Some(format!("termin {}", dates::format(next))),
                    warning: (next < today)
                        .then(|| format!("Po terminie od {} dni.", (today - next).whole_days())),
                };
                (next, item)
            })
        })
        .collect();
    due.sort_by_key(|(next, _)| *next);
    Ok(due.into_iter().map(|(_, item)| item).collect())
}
