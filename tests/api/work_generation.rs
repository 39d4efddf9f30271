//! The centre's work generation (migration 0041) and the work lists Start keeps by it: a list
//! is served again until a write commits in the centre, the day changes, or an area's own
//! deadline passes; never after.

use std::time::Duration;

use teczka::db::APP_ROLE;
use uuid::Uuid;

use crate::follow_ups::advance_to;
use crate::helpers::*;
use crate::home::group;

/// The tables written on every request or read by no work list: the only ones not watched.
const UNWATCHED: &[&str] = &[
    "_sqlx_migrations",
    "audit_event",
    "audit_seal",
    "session",
    "work_change",
    "work_generation",
];

/// The centre's shards: (shard, its part of the number).
async fn shards(app: &TestApp, centre: Uuid) -> Vec<(i16, i64)> {
    sqlx::query_as("select shard, generation from work_generation where centre_id = $1 order by 1")
        .bind(centre)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

/// How many of the centre's shards moved between two readings.
fn moved(before: &[(i16, i64)], after: &[(i16, i64)]) -> usize {
    after.iter().filter(|row| !before.contains(row)).count()
}

async fn generation(app: &TestApp, centre: Uuid) -> i64 {
    sqlx::query_scalar("select sum(generation)::bigint from work_generation where centre_id = $1")
        .bind(centre)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Runs `sql` (its `$1` the centre) in one transaction for `centre` (`None`: for no centre, as
/// the daily jobs and `teczka seed` write), with the triggers off when `unseen` (as a replica
/// applies changes): a change the generation does not see, to show what Start kept.
async fn write(app: &TestApp, centre: Option<Uuid>, unseen: bool, sql: &str, arg: Uuid) {
    let mut tx = for_centre(app, centre).await;
    if unseen {
        sqlx::query("set local session_replication_role = replica")
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    sqlx::query(sql).bind(arg).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// A transaction (of the owner) for `centre`, as the server names it on its connections.
async fn for_centre(
    app: &TestApp,
    centre: Option<Uuid>,
) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut tx = app.db.begin().await.unwrap();
    if let Some(centre) = centre {
        sqlx::query("select set_config('app.centre_id', $1, true)")
            .bind(centre.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx
}

/// The two centres and their numbers now.
async fn two_centres(app: &TestApp) -> ((Uuid, i64), (Uuid, i64)) {
    let (a, b) = (app.centre_id(CENTRE_A).await, app.centre_id(CENTRE_B).await);
    ((a, generation(app, a).await), (b, generation(app, b).await))
}

const TOUCH_CENTRE: &str = "update centre set name = name where centre_id = $1";

#[tokio::test]
async fn every_table_but_those_written_on_every_request_is_watched() {
    let app = spawn_app().await;
    let unwatched: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p')
           and not exists (select 1 from pg_trigger t
                           where t.tgrelid = c.oid and t.tgname = 'work_changed')
         order by 1",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        unwatched, UNWATCHED,
        "a new table needs the work_changed trigger (migration 0041), or a reason to go without"
    );
}

#[tokio::test]
async fn a_write_moves_its_centres_generation_once_at_commit_and_a_rollback_moves_nothing() {
    let app = spawn_app().await;
    let ((a, a0), (b, b0)) = two_centres(&app).await;
    let a_shards = shards(&app, a).await;

    // Two statements in one transaction of centre A: one step, seen only after the commit.
    let mut tx = for_centre(&app, Some(a)).await;
    for _ in 0..2 {
        sqlx::query(TOUCH_CENTRE)
            .bind(a)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    assert_eq!(generation(&app, a).await, a0, "not before the commit");
    tx.commit().await.unwrap();
    let a1 = generation(&app, a).await;
    assert!(a1 > a0, "the commit moves it");
    assert_eq!(moved(&a_shards, &shards(&app, a).await), 1, "by one step");
    assert_eq!(
        generation(&app, b).await,
        b0,
        "another centre's number stays"
    );

    // Rolled back: nothing.
    let mut tx = for_centre(&app, Some(a)).await;
    sqlx::query(TOUCH_CENTRE)
        .bind(a)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(generation(&app, a).await, a1);

    // A write for no centre (a daily job) moves every centre's.
    write(&app, None, false, TOUCH_CENTRE, b).await;
    assert!(generation(&app, a).await > a1);
    assert!(generation(&app, b).await > b0);
    let notes: i64 = sqlx::query_scalar("select count(*) from work_change")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(notes, 0, "each transaction's note goes with its commit");

    // The app role reads the number only through the session; it cannot set it.
    let app_role = sqlx::PgPool::connect_with(connect_options(APP_ROLE, &app.database))
        .await
        .unwrap();
    let denied = sqlx::query("update work_generation set generation = 0")
        .execute(&app_role)
        .await
        .unwrap_err();
    assert!(denied.to_string().contains("permission denied"), "{denied}");
}

#[tokio::test]
async fn a_write_under_repeatable_read_is_refused_at_once_and_a_read_is_not() {
    let app = spawn_app().await;
    let a = app.centre_id(CENTRE_A).await;
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await
        .unwrap();
    let centres: i64 = sqlx::query_scalar("select count(*) from centre")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(centres >= 2);
    let refused = sqlx::query(TOUCH_CENTRE)
        .bind(a)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("needs READ COMMITTED"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_failed_login_moves_only_its_accounts_centre_and_an_unknown_one_none() {
    let app = spawn_app().await;
    let ((a, a0), (b, b0)) = two_centres(&app).await;
    let refused = reqwest::StatusCode::UNPROCESSABLE_ENTITY;
    assert_eq!(
        app.post_login("nikt-taki", "złe hasło").await.status(),
        refused
    );
    assert_eq!(
        (generation(&app, a).await, generation(&app, b).await),
        (a0, b0),
        "an unknown login is no centre's"
    );
    assert_eq!(
        app.post_login("doradca", "złe hasło").await.status(),
        refused
    );
    assert!(generation(&app, a).await > a0, "the account's own centre");
    assert_eq!(generation(&app, b).await, b0);
}

#[tokio::test]
async fn start_is_served_again_until_a_write_in_the_centre_or_the_next_day() {
    let app = spawn_app_with(|config| {
        config.session_idle = Duration::from_secs(3 * 24 * 3600);
        config.session_absolute = Duration::from_secs(3 * 24 * 3600);
    })
    .await;
    let (a, b) = (app.centre_id(CENTRE_A).await, app.centre_id(CENTRE_B).await);
    let trial = app
        .fixture_participant(CENTRE_A, "Próbna", Some("socjalny1"), None)
        .await;
    app.update_participant(trial, "status = 'trial', trial_ends_on = current_date + 3")
        .await;
    let worker = app.login("socjalny1").await;
    let ending = |page: &str| group(page, "Okres próbny kończy się").contains("Próbna Jan");
    assert!(ending(&app.text("/", &worker).await));

    // The trial moved a month on, unseen by the generation: Start shows what it kept.
    let later =
        "update participant set trial_ends_on = current_date + 40 where participant_id = $1";
    write(&app, Some(a), true, later, trial).await;
    assert!(ending(&app.text("/", &worker).await), "the kept list");
    // A write in another centre is not a change here.
    write(&app, Some(b), false, TOUCH_CENTRE, b).await;
    assert!(ending(&app.text("/", &worker).await), "still kept");
    // Any write in the centre is: the list is read again, and the trial has left it.
    write(&app, Some(a), false, TOUCH_CENTRE, a).await;
    assert!(
        !ending(&app.text("/", &worker).await),
        "read again after a write"
    );

    // Back to three days, unseen again: kept today, read again tomorrow (two days left).
    let sooner =
        "update participant set trial_ends_on = current_date + 3 where participant_id = $1";
    write(&app, Some(a), true, sooner, trial).await;
    assert!(!ending(&app.text("/", &worker).await), "kept for the day");
    let today = app.state.today();
    advance_to(&app, today.next_day().unwrap());
    let page = app.text("/", &worker).await;
    assert!(ending(&page), "read again on the next day");
}

#[tokio::test]
async fn a_list_that_changes_with_the_clock_is_kept_only_until_then() {
    let app = spawn_app().await;
    let until = app.state.clock.now() + time::Duration::minutes(5);
    sqlx::query(
        "insert into login_throttle (login_key, failed_count, last_failed_at, locked_until)
         values ('doradca', 5, $1, $2)",
    )
    .bind(app.state.clock.now())
    .bind(until)
    .execute(&app.db)
    .await
    .unwrap();
    let admin = app.login("admin").await;
    let locked = |page: &str| {
        let at = page
            .find("Zablokowane po nieudanych logowaniach")
            .expect("the locked accounts' count");
        page[at..at + 200].contains("<strong>1</strong>")
    };
    assert!(locked(&app.text("/", &admin).await));
    // The lock lapses with no write: the kept list lapses with it.
    app.advance(Duration::from_secs(6 * 60));
    assert!(!locked(&app.text("/", &admin).await), "the lock lapsed");
}
