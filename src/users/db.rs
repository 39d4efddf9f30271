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
    /// The last successful login (`None`: never signed in).
    pub last_login_at: Option<OffsetDateTime>,
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
               u.version, u.last_login_at
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
               u.version, u.last_login_at
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

/// One account of the centre, locked for the rest of the transaction.
pub async fn lock(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    now: OffsetDateTime,
) -> sqlx::Result<Option<StaffAccount>> {
    let found = sqlx::query_scalar!(
        "select staff_user_id from staff_user where centre_id = $1 and staff_user_id = $2 for update",
        centre_id,
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        Some(_) => find(conn, centre_id, id, now).await,
        None => Ok(None),
    }
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
    /// The administrator creating it.
    pub created_by: Uuid,
    /// Now (the first entry of the role history).
    pub now: OffsetDateTime,
}

/// Inserts an account holding a one-time password, with its creation as the first entry of its
/// role history; returns its id. Two statements: the history row's row-level check looks the
/// account up, which a row inserted by the same statement would not yet be (migration 0035).
pub async fn insert(db: &mut sqlx::PgConnection, new: &NewStaff<'_>) -> sqlx::Result<Uuid> {
    let id = sqlx::query_scalar!(
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
    .fetch_one(&mut *db)
    .await?;
    sqlx::query!(
        "insert into staff_role_change (staff_user_id, to_role, changed_by, changed_at) values ($1, $2, $3, $4)",
        id,
        new.role as Role,
        new.created_by,
        new.now,
    )
    .execute(&mut *db)
    .await?;
    Ok(id)
}

/// A role change of an account of the centre.
#[derive(Debug)]
pub struct RoleChange {
    /// The account.
    pub id: Uuid,
    /// Its role until now.
    pub from: Role,
    /// Its new role.
    pub to: Role,
    /// The administrator changing it.
    pub by: Uuid,
    /// Now.
    pub at: OffsetDateTime,
}

/// Gives an account of the centre a new role and records the change in its role history (one
/// statement).
pub async fn set_role(
    db: &mut sqlx::PgConnection,
    centre_id: Uuid,
    change: &RoleChange,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"
        with account as (
            update staff_user set role = $3, version = version + 1
            where centre_id = $1 and staff_user_id = $2
            returning staff_user_id
        )
        insert into staff_role_change (staff_user_id, from_role, to_role, changed_by, changed_at)
        select staff_user_id, $4, $3, $5, $6 from account
        "#,
        centre_id,
        change.id,
        change.to as Role,
        change.from as Role,
        change.by,
        change.at,
    )
    .execute(&mut *db)
    .await?;
    // Another role has other work: the count kept with the account's sessions is forgotten.
    sqlx::query("update session set work_count = null where user_id = $1")
        .bind(change.id)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// An entry of an account's role history.
#[derive(Debug, Clone)]
pub struct RoleHistoryEntry {
    /// The role before (`None`: the account was created).
    pub from_role: Option<Role>,
    /// The role given.
    pub to_role: Role,
    /// Who gave it (`None`: nobody on record, e.g. `create-admin`).
    pub changed_by: Option<String>,
    /// When.
    pub changed_at: OffsetDateTime,
}

/// The role history of an account of the centre, newest first (the creation last).
pub async fn role_history(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Vec<RoleHistoryEntry>> {
    sqlx::query_as!(
        RoleHistoryEntry,
        r#"
        select c.from_role as "from_role: Role", c.to_role as "to_role: Role",
               b.full_name as "changed_by?", c.changed_at
        from staff_role_change c
        join staff_user u on u.staff_user_id = c.staff_user_id
        left join staff_user b on b.staff_user_id = c.changed_by
        where u.centre_id = $1 and c.staff_user_id = $2
        order by c.changed_at desc, c.from_role is null, c.staff_role_change_id
        "#,
        centre_id,
        id,
    )
    .fetch_all(db)
    .await
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

/// The centre's staff accounts as a select offers them: (id, name, role), by name (Polish
/// order). The staff access log and the audit search pick a staff member from it.
pub async fn choices(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
) -> sqlx::Result<Vec<(Uuid, String, Role)>> {
    sqlx::query_as(
        r#"select staff_user_id, full_name, role from staff_user where centre_id = $1
           order by full_name collate "pl-PL-x-icu", staff_user_id"#,
    )
    .bind(centre_id)
    .fetch_all(db)
    .await
}
