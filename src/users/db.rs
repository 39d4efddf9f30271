//! Queries on staff accounts. Every query takes the actor's centre: an account of another centre
//! is never loaded, so it answers 404 like a missing one.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::Role;

/// A staff account as the admin screens show it.
#[derive(Debug, Clone)]
pub struct StaffAccount {
    /// Id.
    pub staff_user_id: Uuid,
    /// Login.
    pub login: String,
    /// Display name.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// Can sign in.
    pub active: bool,
    /// Holds a one-time password.
    pub must_change_password: bool,
    /// Temporarily locked after failed logins.
    pub locked: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// Every account of the centre, by name.
pub async fn list(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<StaffAccount>> {
    sqlx::query_as!(
        StaffAccount,
        r#"
        select u.staff_user_id, u.login, u.full_name, u.role as "role: Role", u.active,
               u.must_change_password, coalesce(t.locked_until > $2, false) as "locked!",
               u.version
        from staff_user u left join login_throttle t on t.login_key = u.login
        where u.centre_id = $1
        order by u.full_name collate "pl-PL-x-icu", u.login
        "#,
        centre_id,
        now,
    )
    .fetch_all(db)
    .await
}

/// One account of the centre.
pub async fn find(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    now: OffsetDateTime,
) -> sqlx::Result<Option<StaffAccount>> {
    sqlx::query_as!(
        StaffAccount,
        r#"
        select u.staff_user_id, u.login, u.full_name, u.role as "role: Role", u.active,
               u.must_change_password, coalesce(t.locked_until > $3, false) as "locked!",
               u.version
        from staff_user u left join login_throttle t on t.login_key = u.login
        where u.centre_id = $1 and u.staff_user_id = $2
        "#,
        centre_id,
        id,
        now,
    )
    .fetch_optional(db)
    .await
}

/// Locks one account of the centre for the rest of the transaction.
pub async fn lock(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<(String, Role, bool, i32)>> {
    let row = sqlx::query!(
        r#"select login, role as "role: Role", active, version from staff_user
           where centre_id = $1 and staff_user_id = $2 for update"#,
        centre_id,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.login, r.role, r.active, r.version)))
}

/// The fields of a new account.
#[derive(Debug)]
pub struct NewStaff<'a> {
    /// Centre.
    pub centre_id: Uuid,
    /// Normalised login.
    pub login: &'a str,
    /// Display name.
    pub full_name: &'a str,
    /// Role.
    pub role: Role,
    /// Hash of the one-time password.
    pub password_hash: &'a str,
    /// When the one-time password stops working.
    pub expires_at: OffsetDateTime,
}

/// Inserts an account holding a one-time password; returns its id.
pub async fn insert(db: impl PgExecutor<'_>, new: &NewStaff<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"
        insert into staff_user (centre_id, login, full_name, role, password_hash, must_change_password, one_time_password_expires_at)
        values ($1, $2, $3, $4, $5, true, $6)
        returning staff_user_id
        "#,
        new.centre_id,
        new.login,
        new.full_name,
        new.role as Role,
        new.password_hash,
        new.expires_at,
    )
    .fetch_one(db)
    .await
}

/// Gives an account of the centre a new role.
pub async fn set_role(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    role: Role,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update staff_user set role = $3, version = version + 1 where centre_id = $1 and staff_user_id = $2",
        centre_id,
        id,
        role as Role
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Activates or deactivates an account of the centre.
pub async fn set_active(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    active: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update staff_user set active = $3, version = version + 1 where centre_id = $1 and staff_user_id = $2",
        centre_id,
        id,
        active
    )
    .execute(db)
    .await?;
    Ok(())
}
