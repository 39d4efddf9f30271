//! Database outages, graceful shutdown and the append-only audit log.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sqlx::postgres::PgPoolOptions;
use teczka::db::APP_ROLE;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

#[tokio::test]
async fn a_database_outage_gives_a_quick_503_page_and_the_app_recovers_by_itself() {
    let proxy = PgProxy::start().await;
    let database = fresh_database().await;
    let mut config = test_config();
    config.db_acquire_timeout = Duration::from_secs(2);
    let pool = teczka::db::app_pool(&config, proxy.connect_options(APP_ROLE, &database));
    let app = spawn_with_pool(config, pool, database).await;
    let session = app.login("socjalny1").await;
    assert_eq!(app.get("/", Some(&session)).await.status(), StatusCode::OK);

    proxy.down().await;
    let started = Instant::now();
    let response = app.get("/", Some(&session)).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "answered in {:?}",
        started.elapsed()
    );
    assert_eq!(response.headers().get("retry-after").unwrap(), "30");
    let page = response.text().await.unwrap();
    assert!(page.contains("Serwis chwilowo niedostępny"));
    assert_eq!(
        app.post_login("kierownik", PASSWORD).await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/readyz", None).await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );

    proxy.up().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if app.get("/", Some(&session)).await.status() == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the app did not recover within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_request_finish_and_then_stops_accepting() {
    let mut app = spawn_app().await;
    let body = form_body(&[("login", "admin"), ("password", PASSWORD)]);
    let (first, rest) = body.split_at(10);
    let mut stream = tokio::net::TcpStream::connect(app.socket_addr())
        .await
        .unwrap();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        app.socket_addr(),
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let server = app.begin_shutdown();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !server.is_finished(),
        "the server waits for the request in flight"
    );
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await;
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    let finished = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(matches!(finished, Ok(Ok(Ok(())))), "server stopped cleanly");
    assert!(
        tokio::net::TcpStream::connect(app.socket_addr())
            .await
            .is_err(),
        "no new connections after shutdown"
    );
    assert_eq!(app.audit_count("login.success", Some("success")).await, 1);
}

#[tokio::test]
async fn the_application_role_can_only_append_to_the_audit_log() {
    let app = spawn_app().await;
    app.login("admin").await;
    let app_role = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(connect_options(APP_ROLE, &app.database))
        .await
        .unwrap();
    sqlx::query("insert into audit_event (action, outcome) values ('test', 'success')")
        .execute(&app_role)
        .await
        .unwrap();
    for statement in [
        "select count(*) from audit_event",
        "update audit_event set action = 'x'",
        "delete from audit_event",
        "truncate audit_event",
    ] {
        let error = sqlx::query(statement).execute(&app_role).await.unwrap_err();
        assert!(
            error.to_string().contains("permission denied"),
            "{statement}: {error}"
        );
    }
    // Even the owner cannot rewrite history through SQL: a trigger refuses it.
    let error = sqlx::query("update audit_event set action = 'x'")
        .execute(&app.db)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
    let error = sqlx::query("delete from audit_event")
        .execute(&app.db)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
    // The app role owns nothing and is no superuser.
    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("select rolsuper, rolbypassrls from pg_roles where rolname = 'teczka_app'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(!superuser && !bypass);
    let owned: i64 = sqlx::query_scalar(
        "select count(*) from pg_tables where schemaname = 'public' and tableowner = 'teczka_app'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(owned, 0);
}

#[tokio::test]
async fn audit_rows_carry_actor_role_centre_request_id_ip_and_utc_time() {
    let app = spawn_app().await;
    let response = app.post_login("kierownik", PASSWORD).await;
    let request_id = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    // The fixtures' pool reads in Polish time; the stored moment is read back in UTC here.
    let mut conn = app.db.acquire().await.unwrap();
    sqlx::query("set time zone 'UTC'")
        .execute(&mut *conn)
        .await
        .unwrap();
    let row: (String, String, String, String, String, String, i32) = sqlx::query_as(
        "select a.actor_role::text, c.name, a.object_type, a.request_id, host(a.client_ip), a.outcome,
                extract(timezone from a.occurred_at)::int
         from audit_event a join centre c on c.centre_id = a.centre_id
         where a.action = 'login.success'",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "manager".into(),
            CENTRE_A.into(),
            "staff_user".into(),
            request_id,
            "127.0.0.1".into(),
            "success".into(),
            0
        )
    );
}
