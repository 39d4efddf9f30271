//! Row-level security, the second wall between centres (migration 0035, `db::rls`): queries
//! that deliberately leave out every centre filter, run through the app role as the server runs
//! them, see and change only the centre of their scope, and nothing without one.

use sqlx::{Connection, PgConnection};
use teczka::db::APP_ROLE;
use teczka::db::rls;
use uuid::Uuid;

use crate::helpers::{CENTRE_A, CENTRE_B, TestApp, connect_options, spawn_app};

/// One participant in each centre, with a case note and a document with its version.
async fn two_centres(app: &TestApp) -> (Uuid, Uuid, Uuid, Uuid) {
    let a = app.centre_id(CENTRE_A).await;
    let b = app.centre_id(CENTRE_B).await;
    let pa = app
        .fixture_participant(CENTRE_A, "Alfa", Some("socjalny1"), None)
        .await;
    let pb = app
        .fixture_participant(CENTRE_B, "Beta", Some("socjalny3"), None)
        .await;
    app.note(pa, "socjalny1", "team").await;
    app.note(pb, "socjalny3", "team").await;
    for p in [pa, pb] {
        sqlx::query(
            "with d as (insert into document (centre_id, participant_id, kind, status, author_id)
                        select p.centre_id, p.participant_id, 'ipzs', 'draft', p.social_worker_id
                        from participant p where p.participant_id = $1
                        returning document_id, author_id)
             insert into document_version (document_id, number, status, sections, created_by)
             select document_id, 1, 'draft', '[]'::jsonb, author_id from d",
        )
        .bind(p)
        .execute(&app.db)
        .await
        .unwrap();
    }
    (a, b, pa, pb)
}

/// Every table the wall covers (the audit log, which the app role may not read at all, apart).
async fn walled_tables(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity
           and c.relname <> 'audit_event'
         order by 1",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// The table's rows with the centre each belongs to (a child table's through its parent).
/// Table names come from `pg_class` (never from input), which a bind cannot carry.
fn push_with_centre(q: &mut sqlx::QueryBuilder<'_, sqlx::Postgres>, table: &str) {
    match table {
        "document_version" => {
            q.push("select d.centre_id from document_version v join document d using (document_id)")
        }
        "staff_role_change" => q.push(
            "select u.centre_id from staff_role_change r join staff_user u using (staff_user_id)",
        ),
        other => q.push("select centre_id from ").push(other),
    };
}

/// How many rows of `table` the connection sees, however it is scoped.
async fn visible(db: &mut PgConnection, table: &str) -> i64 {
    let mut q = sqlx::QueryBuilder::new("select count(*) from ");
    q.push(table);
    q.build_query_scalar().fetch_one(db).await.unwrap()
}

/// How many rows of `table` belong to `centre` or, with `None`, to no centre (the owner sees
/// them all).
async fn belonging(app: &TestApp, table: &str, centre: Option<Uuid>) -> i64 {
    let mut q = sqlx::QueryBuilder::new("select count(*) from (");
    push_with_centre(&mut q, table);
    q.push(") x where x.centre_id is null or x.centre_id = ");
    q.push_bind(centre);
    q.build_query_scalar().fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn the_app_role_is_not_the_owner_nor_a_superuser_and_has_no_bypass() {
    let app = spawn_app().await;
    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("select rolsuper, rolbypassrls from pg_roles where rolname = $1")
            .bind(APP_ROLE)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(
        !superuser && !bypass,
        "teczka_app must not bypass row-level security"
    );
    let owned: i64 = sqlx::query_scalar(
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and pg_get_userbyid(c.relowner) = $1",
    )
    .bind(APP_ROLE)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        owned, 0,
        "the app role owns no table (owners bypass the policies)"
    );
}

#[tokio::test]
async fn every_table_holding_a_centres_data_is_behind_the_wall() {
    let app = spawn_app().await;
    let open: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r'
           and (exists (select 1 from pg_attribute a where a.attrelid = c.oid
                        and a.attname = 'centre_id' and not a.attisdropped)
                or c.relname in ('document_version', 'staff_role_change'))
           and not (c.relrowsecurity
                    and exists (select 1 from pg_policy p where p.polrelid = c.oid))
         order by 1",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(
        open.is_empty(),
        "tables without a row-level policy: {open:?}"
    );
}

#[tokio::test]
async fn unscoped_queries_in_a_users_scope_see_and_change_only_that_centre() {
    let app = spawn_app().await;
    let (a, b, pa, pb) = two_centres(&app).await;
    let tables = walled_tables(&app).await;
    assert!(tables.len() > 40, "{tables:?}");

    // The way a request runs: the route gate's scope around the handler, the app's own pool.
    let pool = app.state.db.clone();
    let manager_b = app.user_id("kierownik2").await;
    rls::scope(a, async {
        let mut tx = pool.begin().await.unwrap();
        for table in &tables {
            let seen = visible(&mut tx, table).await;
            let own = belonging(&app, table, Some(a)).await;
            assert_eq!(seen, own, "{table}: centre A's scope sees other rows");
        }
        // The fixtures are there: centre A's own rows are visible.
        let mine: Vec<Uuid> = sqlx::query_scalar("select participant_id from participant")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        assert_eq!(mine, vec![pa]);
        let names: Vec<String> = sqlx::query_scalar("select login from staff_user order by login")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        assert!(
            names.contains(&"kierownik".to_owned()) && !names.contains(&"kierownik2".to_owned())
        );

        // Centre B's participant by its id, as a handler that forgot its filter would ask.
        let other: Option<String> =
            sqlx::query_scalar("select surname from participant where participant_id = $1")
                .bind(pb)
                .fetch_optional(&mut *tx)
                .await
                .unwrap();
        assert_eq!(other, None);
        let changed = sqlx::query("update participant set phone = '000' where participant_id = $1")
            .bind(pb)
            .execute(&mut *tx)
            .await
            .unwrap()
            .rows_affected();
        assert_eq!(changed, 0);
        let renamed =
            sqlx::query("update staff_user set full_name = 'X' where login = 'kierownik2'")
                .execute(&mut *tx)
                .await
                .unwrap()
                .rows_affected();
        assert_eq!(renamed, 0);
        tx.commit().await.unwrap();

        // A row written for another centre is refused outright.
        let refused = sqlx::query(
            "insert into centre_closed_day (centre_id, day, reason, created_by)
             values ($1, current_date, 'x', $2)",
        )
        .bind(b)
        .bind(manager_b)
        .execute(&pool)
        .await;
        let error = refused.expect_err("a row for another centre must be refused");
        assert!(error.to_string().contains("row-level security"), "{error}");
    })
    .await;

    // Nothing of that reached centre B.
    let phone: Option<String> =
        sqlx::query_scalar("select phone from participant where participant_id = $1")
            .bind(pb)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_ne!(phone.as_deref(), Some("000"));
    let name: String =
        sqlx::query_scalar("select full_name from staff_user where login = 'kierownik2'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_ne!(name, "X");
}

#[tokio::test]
async fn without_the_setting_every_walled_table_is_empty() {
    let app = spawn_app().await;
    let (a, _, _, _) = two_centres(&app).await;
    let tables = walled_tables(&app).await;

    // The app's pool outside any scope (a background task, a request before sign-in).
    let mut outside = app.state.db.acquire().await.unwrap();
    // And a bare connection as the app role that never set anything.
    let mut bare = PgConnection::connect_with(&connect_options(APP_ROLE, &app.database))
        .await
        .unwrap();
    let mut hidden = 0;
    for table in &tables {
        // Only the installation's default rules (no centre) are everyone's.
        let shared = belonging(&app, table, None).await;
        for conn in [&mut *outside, &mut bare] {
            assert_eq!(
                visible(conn, table).await,
                shared,
                "{table} shows rows without a centre setting"
            );
        }
        hidden += belonging(&app, table, Some(a)).await - shared;
    }
    assert!(hidden > 10, "the fixtures exist for the owner");

    // The same bare connection sees its centre once a transaction names it, and only then.
    let mut tx = bare.begin().await.unwrap();
    sqlx::query("select set_config('app.centre_id', $1, true)")
        .bind(a.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(
        visible(&mut tx, "participant").await,
        belonging(&app, "participant", Some(a)).await
    );
    tx.commit().await.unwrap();
    assert_eq!(
        visible(&mut bare, "participant").await,
        0,
        "a transaction's setting ends with it"
    );
}

#[tokio::test]
async fn a_door_checkout_keeps_the_setting_and_the_next_ordinary_checkout_resets_it() {
    let app = spawn_app().await;
    let (a, _, pa, _) = two_centres(&app).await;
    // One connection, so that every checkout below takes the same one.
    let pool = rls::pool_hooks(sqlx::postgres::PgPoolOptions::new().max_connections(1))
        .connect_with(connect_options(APP_ROLE, &app.database))
        .await
        .unwrap();
    let setting = "select coalesce(current_setting('app.centre_id', true), '')";
    let seen: Vec<Uuid> = rls::scope(a, async {
        sqlx::query_scalar("select participant_id from participant")
            .fetch_all(&pool)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(seen, vec![pa]);
    // The session lookup's checkout: no round trip to reset the centre, which a SECURITY
    // DEFINER function does not read.
    let (left, sessions): (String, i64) = rls::door(async {
        let mut conn = pool.acquire().await.unwrap();
        let left = sqlx::query_scalar(setting)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let sessions = sqlx::query_scalar("select count(*) from session_principal('\\x00')")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        (left, sessions)
    })
    .await;
    assert_eq!(left, a.to_string());
    assert_eq!(sessions, 0);
    // Any other checkout outside a scope sets it again: nothing is seen.
    let mut conn = pool.acquire().await.unwrap();
    let now: String = sqlx::query_scalar(setting)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(now, "");
    let seen: i64 = sqlx::query_scalar("select count(*) from participant")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(seen, 0);
}
