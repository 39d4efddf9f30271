//! The demo accounts, with a past the administrator's screens can show: when each was created
//! (its first role-history entry, by the centre's administrator where there is one), one role
//! change (the career advisor started as a workshop instructor), and recent logins, except for a
//! colleague who joined last week and has not signed in yet.

use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::ACCOUNTS;
use crate::domain::Role;

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
        if login == super::SECOND_FACTOR_LOGIN {
            second_factor(&mut *tx, id, centre_id).await?;
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

/// The fixed demo key, enrolled and confirmed like any other (with ten recovery codes, which
/// nobody is shown).
async fn second_factor(tx: &mut PgConnection, id: Uuid, centre_id: Uuid) -> anyhow::Result<()> {
    let secret = crate::auth::second_factor::secret_from_base32(super::SECOND_FACTOR_SECRET)
        .ok_or_else(|| anyhow::anyhow!("the demo second-factor key is not base32"))?;
    sqlx::query!(
        "insert into second_factor (staff_user_id, centre_id, secret) values ($1, $2, $3)",
        id,
        centre_id,
        secret
    )
    .execute(&mut *tx)
    .await?;
    let confirmed_at = OffsetDateTime::now_utc() - Duration::days(59);
    crate::auth::second_factor::confirm(tx, id, centre_id, confirmed_at).await?;
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
