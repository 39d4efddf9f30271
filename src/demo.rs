//! Demo data for `cargo run` and `--demo`: two fictional centres and one account per role.
//!
//! Every step is idempotent (it checks whether its data exists), so a demo database created by
//! an older version gains the newer steps on the next start. All names are fictional.

use anyhow::Context;
use sqlx::PgPool;

use crate::domain::Role;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "ciepla-herbata-o-osmej";

/// Demo centres: (name, city).
pub const CENTRES: [(&str, &str); 2] = [
    ("CIS „Nowy Start” w Lesznowoli", "Lesznowola"),
    ("CIS „Przystań” w Borowicach", "Borowice"),
];

/// Demo accounts: (login, full name, role, index into `CENTRES`).
pub const ACCOUNTS: [(&str, &str, Role, usize); 9] = [
    ("admin", "Adam Administracki", Role::Admin, 0),
    ("kierownik", "Krystyna Kierowniczak", Role::Manager, 0),
    ("socjalny1", "Sylwia Socjalska", Role::SocialWorker, 0),
    ("socjalny2", "Sebastian Sowiński", Role::SocialWorker, 0),
    ("psycholog", "Paulina Psyk", Role::Psychologist, 0),
    ("doradca", "Dariusz Doradczyk", Role::CareerAdvisor, 0),
    ("instruktor", "Irena Instruktorska", Role::Instructor, 0),
    ("kierownik2", "Konrad Kierski", Role::Manager, 1),
    ("socjalny3", "Stanisława Sobczak", Role::SocialWorker, 1),
];

/// Inserts whatever demo data is missing; returns true when anything was added.
pub async fn seed(db: &PgPool) -> anyhow::Result<bool> {
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
        for (name, city) in CENTRES {
            let id = sqlx::query_scalar!(
                "insert into centre (name, city) values ($1, $2) on conflict (name) do update set city = excluded.city returning centre_id",
                name,
                city
            )
            .fetch_one(&mut *tx)
            .await?;
            centre_ids.push(id);
        }
        for (login, full_name, role, centre) in ACCOUNTS {
            sqlx::query!(
                "insert into staff_user (centre_id, login, full_name, role, password_hash) values ($1, $2, $3, $4, $5)",
                centre_ids[centre],
                login,
                full_name,
                role as Role,
                hash
            )
            .execute(&mut *tx)
            .await
            .with_context(|| format!("cannot create demo account {login}"))?;
        }
        tx.commit().await?;
        added = true;
    }
    let today = crate::validate::dates::polish_today(time::OffsetDateTime::now_utc());
    crate::participants::seed::demo(db, today).await?;
    Ok(added)
}
