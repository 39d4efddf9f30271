//! The demo accounts, with a past the administrator's screens can show: when each was created
//! (its first role-history entry, by the centre's administrator where there is one), one role
//! change (the career advisor started as a workshop instructor), and recent logins, except for a
//! colleague who joined last week and has not signed in yet.

use sqlx::{PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::ACCOUNTS;
use crate::domain::Role;
use crate::security::sealed::Key;

/// A demo account's past: days since it was created, hours since its last login (`None`:
/// never), and the role it had before its current one (with the days since the change).
fn past(login: &str) -> (i64, Option<i64>, Option<(Role, i64)>) {
    match login {
        "admin" => (420, Some(3), None),
        "kierownik" => (410, Some(1), None),
        "socjalny1" => (400, Some(20), None),
        "socjalny2" => (8, None, None),
        "psycholog" => (380, Some(50), None),
        "doradca" => (400, Some(26), Some((Role::Instructor, 90))),
        "instruktor" => (300, Some(5), None),
        "kierownik2" => (405, Some(30), None),
        "kierownik-mfa" => (60, Some(2), None),
        _ => (200, Some(75), None),
    }
}

/// Inserts the demo accounts (all with `password_hash`) into the centres `centre_ids`.
pub(super) async fn seed(
    tx: &mut PgConnection,
    centre_ids: &[Uuid],
    password_hash: &str,
) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let mut admins: Vec<(Uuid, Uuid)> = Vec::new();
    for (login, full_name, role, centre) in ACCOUNTS {
        let centre_id = centre_ids[centre];
        let (created_days, login_hours, earlier) = past(login);
        let created_at = now - Duration::days(created_days);
        let id = sqlx::query_scalar!(
            "insert into staff_user (centre_id, login, full_name, role, password_hash, created_at, last_login_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning staff_user_id",
            centre_id,
            login,
            full_name,
            role as Role,
            password_hash,
            created_at,
            login_hours.map(|h| now - Duration::hours(h)),
        )
        .fetch_one(&mut *tx)
        .await?;
        // The administrator created everyone else in their centre; nobody on record created
        // the administrators (`create-admin`) or the accounts of a centre without one.
        let admin = admins
            .iter()
            .find(|(c, _)| *c == centre_id)
            .map(|(_, a)| *a);
        if role == Role::Admin {
            admins.push((centre_id, id));
        }
        let first = earlier.map_or(role, |(r, _)| r);
        history(&mut *tx, id, None, first, admin, created_at).await?;
        if let Some((from, days)) = earlier {
            history(
                &mut *tx,
                id,
                Some(from),
                role,
                admin,
                now - Duration::days(days),
            )
            .await?;
        }
    }
    Ok(())
}

/// The fixed demo key of `SECOND_FACTOR_LOGIN`, enrolled and confirmed like any other (sealed
/// with the installation's key, with ten recovery codes which nobody is shown); put back when
/// the account has none (a new demo, or after migration 0036 removed the clear one).
pub(super) async fn second_factor(db: &PgPool, key: &Key) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let Some(account) = sqlx::query!(
        "select s.staff_user_id, s.centre_id from staff_user s
         where s.login = $1
           and not exists (select 1 from second_factor f where f.staff_user_id = s.staff_user_id)",
        super::SECOND_FACTOR_LOGIN
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(());
    };
    let (id, centre_id) = (account.staff_user_id, account.centre_id);
    let secret = crate::auth::second_factor::secret_from_base32(super::SECOND_FACTOR_SECRET)
        .ok_or_else(|| anyhow::anyhow!("the demo second-factor key is not base32"))?;
    sqlx::query!(
        "insert into second_factor (staff_user_id, centre_id, sealed_secret) values ($1, $2, $3)",
        id,
        centre_id,
        crate::auth::second_factor::seal_secret(key, id, &secret)
    )
    .execute(&mut *tx)
    .await?;
    let confirmed_at = OffsetDateTime::now_utc() - Duration::days(59);
    crate::auth::second_factor::confirm(&mut tx, id, centre_id, confirmed_at).await?;
    tx.commit().await?;
    Ok(())
}

async fn history(
    tx: &mut PgConnection,
    id: Uuid,
    from: Option<Role>,
    to: Role,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into staff_role_change (staff_user_id, from_role, to_role, changed_by, changed_at)
         values ($1, $2, $3, $4, $5)",
        id,
        from as Option<Role>,
        to as Role,
        by,
        at
    )
    .execute(tx)
    .await?;
    Ok(())
}
