//! Before the load: the soak's staff accounts, their caseloads, workshops and draft programmes,
//! written as the database owner into the seeded installation (`scripts/soak`).
//!
//! `staff` accounts `soak00`, `soak01`, … are spread over every centre in turn; in each centre
//! the first is its manager, every fourth an instructor and the rest social workers. They take
//! the password hash of the demo manager (so the demo password), the centre's participants are
//! shared among its soak social workers as their caseloads, each workshop goes to one soak
//! instructor (so a group's day is only ever saved by one client, and the client knows what it
//! saved last), and each social worker gets draft IPZS programmes, complete (their sections
//! copied from a demo programme, the required opinions signed off by accounts made for that,
//! `soak.opinie.<centre>.<role>`, which cannot sign in), to submit during the load for the
//! manager to approve.

use anyhow::{Context, bail};
use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

/// Draft programmes prepared per social worker.
const DRAFTS: i64 = 40;
/// Participants each simulated person picks from.
const PEOPLE: i64 = 300;

/// What a simulated person does: a manager, a social worker or an instructor.
pub use teczka::domain::Role;

/// One simulated member of staff and what they work on.
#[derive(Clone, Debug)]
pub struct Plan {
    pub login: String,
    pub role: Role,
    pub centre: usize,
    /// Participants in their scope, with their surnames (for searches).
    pub people: Vec<(Uuid, String)>,
    /// Draft programmes they submit (social workers).
    pub drafts: Vec<Uuid>,
    /// Their workshops with the past days (with entries, in an open month) they correct.
    pub groups: Vec<(Uuid, Vec<Date>)>,
}

/// The role of the `index`-th account within its centre.
fn role_of(index_in_centre: usize) -> Role {
    match index_in_centre {
        0 => Role::Manager,
        i if i % 4 == 3 => Role::Instructor,
        _ => Role::SocialWorker,
    }
}

/// Creates the accounts and what they work on; returns their plans and the number of centres.
pub async fn prepare(
    db: &PgPool,
    staff: usize,
    key: &teczka::security::sealed::Key,
) -> anyhow::Result<(Vec<Plan>, usize)> {
    let mut tx = db.begin().await?;
    let centres: Vec<Uuid> = sqlx::query_scalar("select centre_id from centre order by name")
        .fetch_all(&mut *tx)
        .await?;
    if centres.is_empty() {
        bail!("no centre in the database: seed it first (teczka seed)");
    }
    let hash: String =
        sqlx::query_scalar("select password_hash from staff_user where login = 'kierownik'")
            .fetch_optional(&mut *tx)
            .await?
            .context("the demo account `kierownik` is missing: seed the demo data first")?;
    let mut accounts = Vec::new();
    for i in 0..staff {
        let centre = i % centres.len();
        let role = role_of(i / centres.len());
        let login = format!("soak{i:02}");
        let id: Uuid = sqlx::query_scalar(
            "with account as (
                 insert into staff_user (centre_id, login, full_name, role, password_hash)
                 values ($1, $2, $3, $4::staff_role, $5) returning staff_user_id, role, created_at)
             insert into staff_role_change (staff_user_id, to_role, changed_at)
             select staff_user_id, role, created_at from account returning staff_user_id",
        )
        .bind(centres[centre])
        .bind(&login)
        .bind(format!("Pracownik Testowy {i:02}"))
        .bind(role.code())
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await
        .with_context(|| {
            format!(
                "cannot create the account {login} (run the soak on a freshly seeded installation)"
            )
        })?;
        if role == Role::Manager {
            // A manager needs a second factor outside the demo: the demo's fixed key, sealed
            // with the server's key as the app seals it (staff.rs computes the codes).
            sqlx::query(
                "insert into second_factor (staff_user_id, centre_id, sealed_secret, confirmed_at)
                 values ($1, $2, $3, now())",
            )
            .bind(id)
            .bind(centres[centre])
            .bind(teczka::auth::second_factor::seal_secret(
                key,
                id,
                &second_factor_secret(),
            ))
            .execute(&mut *tx)
            .await?;
        }
        accounts.push((id, login, role, centre));
    }
    let of = |centre: usize, role: Role| -> Vec<Uuid> {
        accounts
            .iter()
            .filter(|a| a.3 == centre && a.2 == role)
            .map(|a| a.0)
            .collect()
    };
    for (c, centre_id) in centres.iter().enumerate() {
        // Who signed the opinions a programme needs before it is submitted (not simulated).
        sqlx::query(
            "insert into staff_user (centre_id, login, full_name, role, password_hash)
             select $1, 'soak.opinie.' || $2 || '.' || r, 'Opiniujący Testowy', r::staff_role, '!'
             from unnest(array['psychologist', 'career_advisor', 'instructor']) r",
        )
        .bind(centre_id)
        .bind(c.to_string())
        .execute(&mut *tx)
        .await?;
        let workers = of(c, Role::SocialWorker);
        if !workers.is_empty() {
            sqlx::query(
                "update participant p set social_worker_id = ($2::uuid[])[1 + (s.n % cardinality($2::uuid[]))]
                 from (select participant_id, row_number() over (order by participant_id) as n
                       from participant where centre_id = $1) s
                 where p.participant_id = s.participant_id",
            )
            .bind(centre_id)
            .bind(&workers)
            .execute(&mut *tx)
            .await?;
        }
        let instructors = of(c, Role::Instructor);
        if !instructors.is_empty() {
            sqlx::query(
                "insert into workshop_instructor (workshop_id, staff_user_id, centre_id)
                 select workshop_id, ($2::uuid[])[1 + (n % cardinality($2::uuid[]))], $1
                 from (select workshop_id, row_number() over (order by workshop_id) as n
                       from workshop where centre_id = $1) w",
            )
            .bind(centre_id)
            .bind(&instructors)
            .execute(&mut *tx)
            .await?;
        }
    }
    let mut plans = Vec::new();
    for (id, login, role, centre) in accounts {
        let people: Vec<(Uuid, String)> = sqlx::query_as(
            "select participant_id, surname from participant
             where centre_id = $1 and ($2 or social_worker_id = $3)
             order by md5(participant_id::text) limit $4",
        )
        .bind(centres[centre])
        .bind(role == Role::Manager)
        .bind(id)
        .bind(if role == Role::Instructor { 0 } else { PEOPLE })
        .fetch_all(&mut *tx)
        .await?;
        let drafts = if role == Role::SocialWorker {
            drafts(&mut tx, id).await?
        } else {
            Vec::new()
        };
        // Past days of the last two weeks in an open month on which every member of the group
        // has an entry (so that each save corrects every member).
        let groups: Vec<(Uuid, Vec<Date>)> = sqlx::query_as(
            "select w.workshop_id, array_agg(x.day order by x.day)
             from workshop_instructor i
             join workshop w on w.workshop_id = i.workshop_id
             cross join lateral (select d::date as day from generate_series(current_date - 14, current_date - 1,
                                                                           interval '1 day') d) x
             cross join lateral (select count(*) as n from attendance a
                                 where a.workshop_id = w.workshop_id and a.day = x.day) entered
             where i.staff_user_id = $1 and entered.n > 0
               and entered.n = (select count(*) from workshop_membership m join participant p using (participant_id)
                                where m.workshop_id = w.workshop_id and m.member_from <= x.day
                                  and (m.member_until is null or m.member_until >= x.day)
                                  and p.admitted_on <= x.day and (p.ended_on is null or p.ended_on >= x.day))
               and not exists (select 1 from benefit_month b where b.centre_id = w.centre_id
                               and b.month = date_trunc('month', x.day)::date and b.closed)
             group by w.workshop_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        plans.push(Plan {
            login,
            role,
            centre,
            people,
            drafts,
            groups,
        });
    }
    tx.commit().await?;
    Ok((plans, centres.len()))
}

/// Complete draft programmes for some of the social worker's caseload (people on the reserve
/// list, on trial or participating, without an open programme), written by them, with the
/// signed-off opinions the centre requires before a programme is submitted.
async fn drafts(tx: &mut sqlx::PgConnection, worker: Uuid) -> anyhow::Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar(
        "with s as (select v.sections from document_version v join document d using (document_id)
                    where d.kind = 'ipzs'
                    order by v.status = 'submitted' desc, length(v.sections::text) desc limit 1),
              p as (select participant_id, centre_id from participant x
                    where social_worker_id = $1 and status in ('reserve', 'trial', 'participant')
                      and not exists (select 1 from document o where o.participant_id = x.participant_id
                                      and o.kind = 'ipzs' and o.status <> 'closed')
                    order by participant_id limit $2),
              o as (insert into opinion (centre_id, participant_id, kind, requested_by, author_id, status,
                                         sections, signed_off_at)
                    select p.centre_id, p.participant_id, k, $1, a.staff_user_id, 'signed_off',
                           coalesce((select sections from opinion x where x.kind = k and x.status = 'signed_off'
                                     limit 1), '[]'), now()
                    from p join centre c on c.centre_id = p.centre_id
                    cross join lateral unnest(c.required_opinions) k
                    join staff_user a on a.centre_id = p.centre_id and a.login like 'soak.opinie.%'
                                     and a.role::text = k::text),
              d as (insert into document (centre_id, participant_id, kind, status, author_id)
                    select centre_id, participant_id, 'ipzs', 'draft', $1 from p returning document_id),
              v as (insert into document_version (document_id, number, status, sections, created_by)
                    select d.document_id, 1, 'draft', s.sections, $1 from d, s returning document_id)
         select document_id from v",
    )
    .bind(worker)
    .bind(DRAFTS)
    .fetch_all(&mut *tx)
    .await?)
}

/// The simulated managers' second-factor key: the demo's.
pub fn second_factor_secret() -> Vec<u8> {
    teczka::auth::second_factor::secret_from_base32(teczka::demo::SECOND_FACTOR_SECRET)
        .expect("the demo key is base32")
}
