//! What social contracts put on "Do zrobienia", from the engine's lists (`documents::inbox`):
//! for the manager, contracts awaiting acceptance, the centre's signature, and evaluations to
//! approve; for the social worker, returned contracts and evaluations, client signatures to
//! record, and the quarterly monitoring due or overdue.

use sqlx::PgConnection;
use time::Date;

use crate::auth::session::CurrentUser;
use crate::documents::db::DocumentKind;
use crate::documents::inbox::{self, group, item};
use crate::documents::workflow::DocStatus;
use crate::domain::Role;
use crate::state::AppState;
use crate::web::inbox::{InboxFuture, InboxItem, InboxRead, ItemDue};

/// The contract groups of `user`'s home page.
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
        let kind = DocumentKind::SocialContract;
        let waiting = inbox::waiting(read, user, kind, caseload).await?;
        let pick =
            |keep: &dyn Fn(&inbox::Waiting) -> bool, detail: &str| -> Vec<(InboxItem, ItemDue)> {
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
        let EvaluationWork {
            evaluations,
            renewals,
        } = evaluation_work(read.conn(), user, caseload).await?;
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
            groups.extend(group("Nowy kontrakt do rozpoczęcia (nowe cele)", renewals));
            let due = inbox::monitoring_due(read, user, worker, today, kind);
            groups.extend(
                due.group("Kwartalny monitoring kontraktu do wpisania", |id| {
                    format!("/contracts/{id}/realization#note")
                })
                .await?,
            );
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

/// The evaluation work of `user`, from one statement: Part II waiting for someone (submitted
/// ones for the manager, returned drafts for the social worker `caseload`), and for the social
/// worker the contracts closed with an approved "new goals" evaluation and not renewed yet
/// (the new, full contract is to be started).
struct EvaluationWork {
    evaluations: Vec<(InboxItem, ItemDue)>,
    renewals: Vec<(InboxItem, ItemDue)>,
}

async fn evaluation_work(
    conn: &mut PgConnection,
    user: &CurrentUser,
    caseload: Option<uuid::Uuid>,
) -> crate::error::Result<EvaluationWork> {
    let rows = sqlx::query!(
        r#"select false as "renewal!", d.document_id as "document_id!",
                  p.surname || ' ' || p.first_names as "name!", e.updated_at as "at!"
           from contract_evaluation e join document d on d.document_id = e.document_id
           join participant p on p.participant_id = d.participant_id
           where e.centre_id = $1 and d.status <> 'closed'
             and case when $2::uuid is null then e.status = 'submitted'
                      else e.status = 'draft' and p.social_worker_id = $2
                           and (select v.step from document_event v where v.document_id = d.document_id
                                order by v.occurred_at desc limit 1) = 'evaluation_return' end
           union all
           select true, d.document_id, p.surname || ' ' || p.first_names, e.approved_at
           from contract_evaluation e join document d on d.document_id = e.document_id
           join participant p on p.participant_id = d.participant_id
           where $2::uuid is not null and e.centre_id = $1 and p.social_worker_id = $2
             and d.status = 'closed' and e.status = 'approved' and e.outcome = 'new_goals'
             and p.status in ('reserve', 'trial', 'participant')
             and not exists (select 1 from document n where n.participant_id = d.participant_id
                             and n.kind = 'social_contract' and n.created_at > d.created_at)
           order by 4"#,
        user.centre_id,
        caseload
    )
    .fetch_all(&mut *conn)
    .await?;
    let evaluation = if caseload.is_some() {
        "przeczytaj uwagi kierownika i popraw ocenę"
    } else {
        "przeczytaj ocenę (część II), zatwierdź lub zwróć"
    };
    let mut work = EvaluationWork {
        evaluations: Vec::new(),
        renewals: Vec::new(),
    };
    for r in rows {
        if r.renewal {
            work.renewals.push(inbox::waiting_item(
                super::href(r.document_id),
                &r.name,
                "ocena wyznaczyła nowe cele: rozpocznij nowy kontrakt",
                r.at,
            ));
        } else {
            work.evaluations.push(inbox::waiting_item(
                format!("{}#evaluation", super::href(r.document_id)),
                &r.name,
                evaluation,
                r.at,
            ));
        }
    }
    Ok(work)
}
