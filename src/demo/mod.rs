//! Demo data for `cargo run` and `--demo`: two fictional centres, one account per role, and
//! participants in every state (tooling, outside the domain areas; it writes through the same
//! types and rules as the app).
//!
//! Opinions for the IPZS, IPZS programmes and social contracts in every state are added for the
//! first centre (`opinions.rs`, `programmes.rs`, `contracts.rs`), with a scan of a signed
//! programme (`scans.rs`).
//!
//! Every step is idempotent (it checks whether its data exists), so a demo database created by
//! an older version gains the newer steps on the next start. All names are fictional.

mod annual;
mod attendance;
mod audit;
mod contracts;
mod copy;
mod follow_ups;
pub mod history;
mod names;
mod notes;
mod opinions;
pub mod participants;
mod programmes;
mod retention;
mod scans;
mod staff;
mod workshops;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use time::{Date, Duration};
use uuid::Uuid;

use crate::participants::model::DocumentKind;

use crate::domain::Role;
use crate::security::sealed::Key;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "ciepla-herbata-o-osmej";

/// Demo centres: (name, city).
pub const CENTRES: [(&str, &str); 2] = [
    ("CIS „Nowy Start” w Lesznowoli", "Lesznowola"),
    ("CIS „Przystań” w Borowicach", "Borowice"),
];

/// The demo centres' addresses (printed in the header of a printed file), in `CENTRES` order.
const CENTRE_ADDRESSES: [&str; 2] = [
    "ul. Szkolna 12, 05-506 Lesznowola",
    "ul. Kolejowa 3, 98-100 Borowice",
];

/// The demo account that logs in with a second factor (the others need the password alone:
/// demo mode requires the factor of nobody).
pub const SECOND_FACTOR_LOGIN: &str = "kierownik-mfa";

/// Its fixed TOTP key (base32), printed at start-up so anyone can add it to an authenticator
/// app and try the code step. Fictional like everything in the demo, and public.
pub const SECOND_FACTOR_SECRET: &str = "TECZKADEMOKODMFATECZKADEMOKODMFA";

/// Demo accounts: (login, full name, role, index into `CENTRES`).
pub const ACCOUNTS: [(&str, &str, Role, usize); 11] = [
    ("admin", "Adam Administracki", Role::Admin, 0),
    ("kierownik", "Krystyna Kierowniczak", Role::Manager, 0),
    ("kierownik-mfa", "Marta Fidelska", Role::Manager, 0),
    ("socjalny1", "Sylwia Socjalska", Role::SocialWorker, 0),
    ("socjalny2", "Sebastian Sowiński", Role::SocialWorker, 0),
    ("psycholog", "Paulina Psyk", Role::Psychologist, 0),
    ("doradca", "Dariusz Doradczyk", Role::CareerAdvisor, 0),
    ("instruktor", "Irena Instruktorska", Role::Instructor, 0),
    ("iod", "Izabela Odrowąż", Role::Dpo, 0),
    ("kierownik2", "Konrad Kierski", Role::Manager, 1),
    ("socjalny3", "Stanisława Sobczak", Role::SocialWorker, 1),
];

/// Inserts whatever demo data is missing (the second factor sealed with `key`); returns true
/// when anything was added.
pub async fn seed(db: &PgPool, key: &Key) -> anyhow::Result<bool> {
    let mut added = false;
    let has_staff: bool =
        sqlx::query_scalar!(r#"select exists (select 1 from staff_user) as "e!""#)
            .fetch_one(db)
            .await?;
    if !has_staff {
        let hash = tokio::task::spawn_blocking(|| {
            use argon2::password_hash::PasswordHasher;
            argon2::Argon2::default()
                .hash_password(DEMO_PASSWORD.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("{e}"))
        })
        .await??;
        let mut tx = db.begin().await?;
        let mut centre_ids = Vec::new();
        for ((name, city), address) in CENTRES.into_iter().zip(CENTRE_ADDRESSES) {
            let id = sqlx::query_scalar!(
                "insert into centre (name, city, address) values ($1, $2, $3)
                 on conflict (name) do update set city = excluded.city, address = excluded.address
                 returning centre_id",
                name,
                city,
                address
            )
            .fetch_one(&mut *tx)
            .await?;
            centre_ids.push(id);
        }
        staff::seed(&mut tx, &centre_ids, &hash)
            .await
            .context("cannot create the demo accounts")?;
        tx.commit().await?;
        added = true;
    }
    staff::second_factor(db, key)
        .await
        .context("cannot give the demo account its second factor")?;
    let today = crate::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    participants(db, today).await?;
    opinions::seed(db, CENTRES[0].0).await?;
    programmes::seed(db, today).await?;
    contracts::seed(db, today).await?;
    scans::seed(db, CENTRES[0].0).await?;
    attendance::seed(db, today).await?;
    follow_ups::seed(db, CENTRES[0].0, today).await?;
    retention::seed(db, CENTRES[0].0, today).await?;
    audit::seed(db, CENTRES[0].0).await?;
    annual::seed(db, CENTRES[0].0, today).await?;
    Ok(added)
}

/// Demo participants for both demo centres: every status, workshops with the demo instructor,
/// recruitment documents, an extension and a participant close to the end. Added once.
async fn participants(pool: &PgPool, today: Date) -> anyhow::Result<()> {
    let exists: bool = sqlx::query_scalar!(r#"select exists (select 1 from participant) as "e!""#)
        .fetch_one(pool)
        .await?;
    if exists {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for (index, (centre_name, _)) in CENTRES.iter().enumerate() {
        let centre_id: Uuid =
            sqlx::query_scalar!("select centre_id from centre where name = $1", centre_name)
                .fetch_one(&mut *tx)
                .await?;
        let instructor = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'instructor' order by login limit 1", centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        for (i, name) in participants::WORKSHOPS.iter().enumerate() {
            let teacher = if i < 2 { instructor } else { None };
            sqlx::query!(
                "with w as (insert into workshop (centre_id, name) values ($1, $2) returning workshop_id)
                 insert into workshop_instructor (workshop_id, staff_user_id, centre_id)
                 select workshop_id, $3, $1 from w where $3::uuid is not null",
                centre_id,
                name,
                teacher as Option<Uuid>
            )
            .execute(&mut *tx)
            .await?;
        }
        let count = if index == 0 { 36 } else { 12 };
        let ids = participants::generate(
            &mut tx,
            centre_id,
            count,
            2026 + index as u64,
            today,
            participants::Generated::Demo,
        )
        .await?;
        workshops::seed(&mut tx, centre_id, today).await?;
        let author = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'social_worker' order by login limit 1", centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(author) = author {
            let mut rng = StdRng::seed_from_u64(7 + index as u64);
            for id in ids.iter().take(count / 2) {
                for kind in DocumentKind::ALL.iter().take(rng.random_range(1..=6)) {
                    sqlx::query!(
                        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id) values ($1, $2, $3, $4, $5, $6)",
                        id,
                        centre_id,
                        *kind as DocumentKind,
                        today - Duration::days(rng.random_range(1..60)),
                        format!("{} – wypełniono wraz z osobą, podpisano.", kind.label()),
                        author
                    )
                    .execute(&mut *tx)
                    .await?;
                }
            }
            // One candidate of the first social worker with the whole recruitment file: on
            // their Start, ready for the reserve list.
            sqlx::query!(
                "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
                 select p.participant_id, p.centre_id, k, $3, 'Wypełniono wraz z osobą, podpisano.', $2
                 from (select participant_id, centre_id from participant
                       where centre_id = $1 and status = 'candidate' and social_worker_id = $2
                       order by surname, participant_id limit 1) p
                 cross join unnest(enum_range(null::recruitment_document_kind)) k
                 where not exists (select 1 from recruitment_document d
                                   where d.participant_id = p.participant_id and d.kind = k)",
                centre_id,
                author,
                today - Duration::days(3)
            )
            .execute(&mut *tx)
            .await?;
        }
        // Earlier openings of the active participants' files, for "Kto przeglądał teczkę":
        // their social worker, the manager and a psychologist over the last weeks, each seeing
        // the parts their role sees.
        sqlx::query!(
            r#"insert into audit_event (actor_id, actor_role, centre_id, action, object_type, object_id,
                                        participant_id, outcome, detail, occurred_at)
               select u.staff_user_id, u.role, u.centre_id, 'participant.view', 'participant',
                      p.participant_id, p.participant_id, 'success',
                      case u.role
                          when 'psychologist' then 'identity,personal,contact,categories.general,categories.health,participation'
                          else 'identity,personal,contact,referral,categories.general,categories.health,categories.criminal,participation,status_history,recruitment_documents'
                      end,
                      now() - make_interval(hours => n * 53 + abs(hashtext(p.participant_id::text || u.login)) % 40)
               from participant p
               cross join generate_series(1, 3) n
               join staff_user u on u.centre_id = p.centre_id
                   and (u.staff_user_id = p.social_worker_id or u.role in ('manager', 'psychologist'))
               where p.centre_id = $1 and p.status in ('trial', 'participant')"#,
            centre_id
        )
        .execute(&mut *tx)
        .await?;
        // Work on the manager's and social worker's Start: one participant whose workshop
        // placement ended last week (the workshop closed), and one graduate whose latest
        // follow-up contact did not take place.
        sqlx::query!(
            r#"update workshop_membership set member_until = $2
               where member_until is null and participant_id = (
                   select participant_id from participant
                   where centre_id = $1 and status = 'participant' and has_workshop
                   order by surname desc, participant_id limit 1)"#,
            centre_id,
            today - Duration::days(7)
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            r#"update follow_up set contacted_on = null
               where follow_up_id = (
                   select f.follow_up_id from follow_up f join participant p using (participant_id)
                   where p.centre_id = $1 and p.status = 'graduate' and f.due_on <= $2
                   order by f.due_on desc limit 1)"#,
            centre_id,
            today
        )
        .execute(&mut *tx)
        .await?;
        notes::seed(&mut tx, centre_id, today).await?;
        // Who looked after whom: each file's first assignment at registration; two people
        // first had another social worker and changed a month ago (the timeline shows both).
        sqlx::query(
            "with moved as (
                 select participant_id from participant
                 where centre_id = $1 and status = 'participant' and social_worker_id is not null
                 order by surname desc limit 2
             ), rows as (
                 select p.participant_id, p.centre_id, p.social_worker_id, p.created_at,
                        m.staff_user_id as manager, o.staff_user_id as other,
                        p.participant_id in (select participant_id from moved) as moved
                 from participant p
                 join lateral (select staff_user_id from staff_user where centre_id = p.centre_id
                               and role = 'manager' order by login limit 1) m on true
                 left join lateral (select staff_user_id from staff_user where centre_id = p.centre_id
                                    and role = 'social_worker' and staff_user_id <> p.social_worker_id
                                    order by login limit 1) o on true
                 where p.centre_id = $1 and p.social_worker_id is not null
             )
             insert into social_worker_change (participant_id, centre_id, from_worker, to_worker, changed_by, changed_at)
             select participant_id, centre_id, null,
                    case when moved and other is not null then other else social_worker_id end,
                    manager, least(created_at, now() - interval '60 days')
             from rows
             union all
             select participant_id, centre_id, other, social_worker_id, manager, now() - interval '30 days'
             from rows where moved and other is not null",
        )
        .bind(centre_id)
        .execute(&mut *tx)
        .await?;
        // One active participant close to the planned end, with an extension on record.
        let manager = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'manager' order by login limit 1", centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        let near = sqlx::query_scalar!(
            "select participant_id from participant where centre_id = $1 and status = 'participant' order by surname, participant_id limit 1",
            centre_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let (Some(near), Some(manager)) = (near, manager) {
            let soon = today + Duration::days(12);
            let previous = soon - Duration::days(61);
            sqlx::query!(
                "update participant set planned_end_on = $2 where participant_id = $1",
                near,
                soon
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                r#"insert into participation_extension (participant_id, centre_id, decided_on, decided_by, reason, previous_end_on, new_end_on)
                   values ($1, $2, $3, $4, 'Potrzebny dodatkowy czas na egzamin końcowy w pracowni.', $5, $6)"#,
                near,
                centre_id,
                today - Duration::days(40),
                manager,
                previous,
                soon
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
