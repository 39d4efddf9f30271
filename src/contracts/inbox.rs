//! What social contracts put on "Do zrobienia", from the engine's lists (`documents::inbox`):
//! for the manager, contracts awaiting acceptance, the centre's signature, and evaluations to
//! approve; for the social worker, returned contracts and evaluations, client signatures to
//! record, and the quarterly monitoring due or overdue.

use time::Date;

use crate::auth::session::CurrentUser;
use crate::documents::db::DocumentKind;
use crate::documents::db::monitoring_rules;
use crate::documents::inbox::{self, group, item};
use crate::documents::workflow::DocStatus;
use crate::domain::Role;
use crate::state::AppState;
use crate::web::inbox::{InboxFuture, InboxItem};

/// The contract groups of `user`'s home page.
pub fn inbox_items<'a>(state: &'a AppState, user: &'a CurrentUser, today: Date) -> InboxFuture<'a> {
    Box::pin(async move {
        let caseload = match user.role {
            Role::Manager => None,
            Role::SocialWorker => Some(user.user_id),
            _ => return Ok(Vec::new()),
        };
        let kind = DocumentKind::SocialContract;
        let waiting = inbox::waiting(state, user, kind, caseload).await?;
        let pick = |keep: &dyn Fn(&inbox::Waiting) -> bool, detail: &str| -> Vec<InboxItem> {
            waiting
                .iter()
                .filter(|w| keep(w))
                .map(|w| item(&super::KIND, w, detail))
                .collect()
        };
        let approved = |centre_signed: bool| {
            move |w: &inbox::Waiting| {
                w.status == DocStatus::Approved && w.centre_signed == centre_signed
            }
        };
        let evaluations = evaluations(state, user, caseload).await?;
        let mut groups = Vec::new();
        if let Some(worker) = caseload {
            groups.extend(group(
                "Kontrakty zwrócone do poprawy",
                pick(
                    &|w| w.status == DocStatus::Draft && w.returned,
                    "przeczytaj uwagi kierownika i popraw",
                ),
            ));
            groups.extend(group(
                "Kontrakty – podpis klienta do zapisania",
                pick(
                    &approved(true),
                    "kierownik podpisał; zapisz datę podpisu klienta",
                ),
            ));
            groups.extend(group("Oceny kontraktów zwrócone do poprawy", evaluations));
            groups.extend(group(
                "Nowy kontrakt do rozpoczęcia (nowe cele)",
                renewals(state, user, worker).await?,
            ));
            let months = monitoring_rules(&state.db, user.centre_id)
                .await?
                .on(today)
                .map_or(3, |r| r.months);
            let due = inbox::monitoring_due(state, user, worker, today, kind, months, |id| {
                format!("/contracts/{id}/realization#note")
            })
            .await?;
            groups.extend(group("Kwartalny monitoring kontraktu do wpisania", due));
        } else {
            groups.extend(group(
                "Kontrakty do zatwierdzenia",
                pick(
                    &|w| w.status == DocStatus::Submitted,
                    "przeczytaj, zatwierdź lub zwróć",
                ),
            ));
            groups.extend(group(
                "Kontrakty do podpisania przez kierownika",
                pick(&approved(false), "podpisz za CIS i zapisz datę"),
            ));
            groups.extend(group("Oceny kontraktów do zatwierdzenia", evaluations));
        }
        Ok(groups)
    })
}

/// Part II waiting for someone: submitted ones for the manager, returned drafts for the social
/// worker `caseload` (one statement).
async fn evaluations(
    state: &AppState,
    user: &CurrentUser,
    caseload: Option<uuid::Uuid>,
) -> crate::error::Result<Vec<InboxItem>> {
    let rows = sqlx::query!(
        r#"select d.document_id, p.surname || ' ' || p.first_names as "name!", e.updated_at
           from contract_evaluation e join document d on d.document_id = e.document_id
           join participant p on p.participant_id = d.participant_id
           where e.centre_id = $1 and d.status <> 'closed'
             and case when $2::uuid is null then e.status = 'submitted'
                      else e.status = 'draft' and p.social_worker_id = $2
                           and (select v.step from document_event v where v.document_id = d.document_id
                                order by v.occurred_at desc limit 1) = 'evaluation_return' end
           order by e.updated_at"#,
        user.centre_id,
        caseload
    )
    .fetch_all(&state.db)
    .await?;
    let detail = if caseload.is_some() {
        "przeczytaj uwagi kierownika i popraw ocenę"
    } else {
        "przeczytaj ocenę (część II), zatwierdź lub zwróć"
    };
    Ok(rows
        .into_iter()
        .map(|r| InboxItem {
            href: Some(format!("{}#evaluation", super::href(r.document_id))),
            title: r.name,
            detail: Some(detail.to_owned()),
            due: Some(format!(
                "od {}",
                crate::validate::dates::format(crate::validate::dates::polish_today(r.updated_at))
            )),
            warning: None,
        })
        .collect())
}

/// Social worker `worker`'s contracts closed with an approved "new goals" evaluation and not
/// renewed yet: the new, full contract is to be started (one statement).
async fn renewals(
    state: &AppState,
    user: &CurrentUser,
    worker: uuid::Uuid,
) -> crate::error::Result<Vec<InboxItem>> {
    let rows = sqlx::query!(
        r#"select d.document_id, p.surname || ' ' || p.first_names as "name!", e.approved_at as "at!"
           from contract_evaluation e join document d on d.document_id = e.document_id
           join participant p on p.participant_id = d.participant_id
           where e.centre_id = $1 and p.social_worker_id = $2 and d.status = 'closed'
             and e.status = 'approved' and e.outcome = 'new_goals'
             and p.status in ('reserve', 'trial', 'participant')
             and not exists (select 1 from document n where n.participant_id = d.participant_id
                             and n.kind = 'social_contract' and n.created_at > d.created_at)
           order by e.approved_at"#,
        user.centre_id,
        worker
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InboxItem {
            href: Some(super::href(r.document_id)),
            title: r.name,
            detail: Some("ocena wyznaczyła nowe cele: rozpocznij nowy kontrakt".to_owned()),
            due: Some(format!(
                "od {}",
                crate::validate::dates::format(crate::validate::dates::polish_today(r.at))
            )),
            warning: None,
        })
        .collect())
}
