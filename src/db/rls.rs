//! The centre a connection works for: the database's second wall between centres (migration
//! 0035, row-level security).
//!
//! Every table holding a centre's data shows the app role only the rows of the centre named by
//! the connection's setting `app.centre_id`. The server sets it each time it takes a connection
//! from its pool ([`pool_hooks`]): to the centre of the task's [`scope`] — the signed-in user's,
//! entered by the route gate (`auth::guard::enter`) around the whole handler — or to nothing,
//! outside any scope, where those tables show no rows at all. Code that knows the centre only
//! after it has taken its connection (the login) names it for the rest of the transaction with
//! [`enter`].
//!
//! The setting is the connection's (not the transaction's), because a request may read outside
//! a transaction; it cannot outlive its request in a harmful way, since every checkout sets it
//! again before the connection is handed out — except a checkout for a [`door`]: a call of one
//! of the database's SECURITY DEFINER functions (the session lookup), which reads with its
//! owner's rights whatever the setting says. Such a checkout leaves the setting as it is and
//! saves a round trip on every request; the next ordinary checkout sets it again.

use std::future::Future;

use sqlx::PgConnection;
use sqlx::pool::PoolConnectionMetadata;
use sqlx::postgres::PgPoolOptions;
use uuid::Uuid;

tokio::task_local! {
    static CENTRE: Uuid;
    static DOOR: ();
}

/// The nil centre: named by writes that change no centre's data but would otherwise name none
/// (a failed login's counter, the pruning of old counters). Walled tables show it nothing; it
/// keeps such a write from moving every centre's work generation (migration 0041).
pub const NO_CENTRE: Uuid = Uuid::nil();

/// Runs `work` with every connection it takes from the pool working for `centre`.
pub async fn scope<F: Future>(centre: Uuid, work: F) -> F::Output {
    CENTRE.scope(centre, work).await
}

/// The centre of the current scope, if any.
pub fn current() -> Option<Uuid> {
    CENTRE.try_with(|c| *c).ok()
}

/// Runs `work`, which may only call SECURITY DEFINER functions (the doors of migration 0035,
/// which ignore the setting), on connections whose setting is left as it is (see the module
/// header). Inside a [`scope`] the scope's centre is set as usual.
pub async fn door<F: Future>(work: F) -> F::Output {
    DOOR.scope((), work).await
}

/// Names `centre` for the rest of the open transaction on `conn` (transaction-local).
pub async fn enter(conn: &mut PgConnection, centre: Uuid) -> sqlx::Result<()> {
    sqlx::query("select set_config('app.centre_id', $1, true)")
        .bind(centre.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

async fn set_for_checkout(conn: &mut PgConnection) -> sqlx::Result<()> {
    let centre = current().map(|c| c.to_string()).unwrap_or_default();
    if centre.is_empty() && DOOR.try_with(|()| ()).is_ok() {
        return Ok(());
    }
    sqlx::query("select set_config('app.centre_id', $1, false)")
        .bind(centre)
        .execute(conn)
        .await?;
    Ok(())
}

/// The pool options with the hooks that set the centre on every checkout: on a connection
/// taken from the idle queue (`before_acquire`) and on a new one (`after_connect`); both run
/// inside the task that asked for the connection, so they see its scope.
pub fn pool_hooks(options: PgPoolOptions) -> PgPoolOptions {
    options
        .after_connect(|conn, _meta| Box::pin(set_for_checkout(conn)))
        .before_acquire(|conn, _meta: PoolConnectionMetadata| {
            Box::pin(async move {
                set_for_checkout(conn).await?;
                Ok(true)
            })
        })
}
