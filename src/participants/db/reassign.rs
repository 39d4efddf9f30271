//! The reads of a bulk reassignment: the chosen participants of the centre (locked when the
//! change is made) and the social workers with their caseloads.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::domain::Status;

/// One chosen participant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Chosen {
    pub participant_id: Uuid,
    pub name: String,
    pub status: Status,
    pub social_worker_id: Option<Uuid>,
    pub worker_name: Option<String>,
}

/// The participants `ids` of the centre, in name order, locked `for update` when `lock`. Ids
/// of another centre or of no one are simply not returned (the caller compares the counts).
pub async fn chosen(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    ids: &[Uuid],
    lock: bool,
) -> sqlx::Result<Vec<Chosen>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select p.participant_id, p.surname || ' ' || p.first_names as name, p.status,
                p.social_worker_id, u.full_name as worker_name
         from participant p left join staff_user u on u.staff_user_id = p.social_worker_id
         where p.centre_id = ",
    );
    q.push_bind(centre_id)
        .push(" and p.participant_id = any(")
        .push_bind(ids.to_vec())
        .push(") order by p.surname, p.first_names, p.participant_id");
    if lock {
        q.push(" for update of p");
    }
    q.build_query_as().fetch_all(db).await
}

/// A social worker of the centre and how many people they look after now (not graduated or
/// ended).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Caseworker {
    pub id: Uuid,
    pub name: String,
    pub caseload: i64,
}

/// The centre's active social workers with their caseloads.
pub async fn caseworkers(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
) -> sqlx::Result<Vec<Caseworker>> {
    sqlx::query_as(
        r#"select u.staff_user_id as id, u.full_name as name,
                  (select count(*) from participant p
                   where p.centre_id = u.centre_id and p.social_worker_id = u.staff_user_id
                     and p.status not in ('graduate', 'terminated')) as caseload
           from staff_user u
           where u.centre_id = $1 and u.role = 'social_worker' and u.active
           order by u.full_name collate "pl-PL-x-icu""#,
    )
    .bind(centre_id)
    .fetch_all(db)
    .await
}
