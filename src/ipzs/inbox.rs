//! What the IPZS puts on "Do zrobienia": programmes awaiting approval (the manager), returned
//! to their author, signatures to record (the manager and the caseworker), monitoring due in
//! the next two weeks or overdue (the caseworker). The lists are the engine's
//! (`documents::inbox`), read for the IPZS.

use time::Date;

use crate::auth::session::CurrentUser;
use crate::documents::db::DocumentKind;
use crate::documents::inbox::{self, Waiting, group, item};
use crate::documents::workflow::DocStatus;
use crate::domain::Role;
use crate::state::AppState;
use crate::web::inbox::{InboxFuture, InboxItem, InboxRead, ItemDue};

/// The IPZS groups of `user`'s home page.
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let caseload = match user.role {
            Role::Manager => None,
            Role::SocialWorker => Some(user.user_id),
            _ => return Ok(Vec::new()),
        };
        let waiting = inbox::waiting(read, user, DocumentKind::Ipzs, caseload).await?;
        let pick = |status: DocStatus, detail: &str| -> Vec<(InboxItem, ItemDue)> {
            waiting
                .iter()
                .filter(|w: &&Waiting| {
                    w.status == status && (status != DocStatus::Draft || w.returned)
                })
                .map(|w| item(&super::KIND, w, detail))
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
            let due = inbox::monitoring_due(read, user, worker, today, DocumentKind::Ipzs);
            groups.extend(
                due.group("Monitoring IPZS do wpisania", |id| {
                    format!("/ipzs/{id}/monitoring")
                })
                .await?,
            );
        }
        Ok(groups)
    })
}
