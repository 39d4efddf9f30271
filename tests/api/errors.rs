//! Error pages, security headers and malformed input.

use axum::Router;
use axum::routing::get;
use reqwest::StatusCode;

use crate::helpers::*;

fn assert_security_headers(response: &reqwest::Response) {
    let h = response.headers();
    let csp = h
        .get("content-security-policy")
        .expect("CSP")
        .to_str()
        .unwrap();
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    let hsts = h
        .get("strict-transport-security")
        .expect("HSTS")
        .to_str()
        .unwrap();
    assert!(hsts.contains("max-age=31536000") && hsts.contains("includeSubDomains"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer");
    assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
    assert!(h.get("server").is_none());
    assert!(h.get("x-request-id").is_some());
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let session = app.login("admin").await;
    let ok = app.get("/login", None).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_security_headers(&ok);
    let authenticated = app.get("/admin/users", Some(&session)).await;
    assert_eq!(authenticated.status(), StatusCode::OK);
    assert_security_headers(&authenticated);
    assert_eq!(
        authenticated.headers().get("cache-control").unwrap(),
        "no-store"
    );
    let redirect = app.post_login("admin", PASSWORD).await;
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    assert_security_headers(&redirect);
    let missing = app.get("/nie-ma-takiej-strony", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_security_headers(&missing);
    let css = app.get("/static/css/app.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_security_headers(&css);
    assert_eq!(
        css.headers().get("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
    // A real 500: the table the login handler needs is gone.
    sqlx::query("drop table login_throttle")
        .execute(&app.db)
        .await
        .unwrap();
    let broken = app.post_login("admin", PASSWORD).await;
    assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_security_headers(&broken);
    let request_id = broken
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let page = broken.text().await.unwrap();
    assert!(page.contains("Błąd serwera"));
    assert!(
        page.contains(&request_id),
        "the 500 page shows the request id"
    );
    assert!(!page.contains("login_throttle"), "no SQL detail leaks");
}

#[tokio::test]
async fn error_pages_are_polish_html_with_a_request_id() {
    let app = spawn_app().await;
    let session = app.login("socjalny1").await;
    let cases = [
        (app.get("/brak", None).await, 404, "Nie znaleziono"),
        (
            app.request(reqwest::Method::DELETE, "/login", None)
                .send()
                .await
                .unwrap(),
            405,
            "Niedozwolona metoda",
        ),
        (
            app.get("/admin/users", Some(&session)).await,
            403,
            "Brak dostępu",
        ),
        (
            app.get("/static/nie-ma.css", None).await,
            404,
            "Nie znaleziono",
        ),
    ];
    for (response, status, heading) in cases {
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(
            response.headers().get("content-type").unwrap(),
            "text/html; charset=utf-8"
        );
        let id = response
            .headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let page = response.text().await.unwrap();
        assert!(page.contains("<html lang=\"pl\">"));
        assert!(page.contains(heading), "{status}: {page}");
        assert!(page.contains(&id));
    }
}

#[tokio::test]
async fn an_oversized_body_gets_413_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let big = "a".repeat(70 * 1024);
    let response = app
        .post(
            "/admin/users",
            Some(&admin),
            &[("login", "duzy"), ("full_name", &big), ("role", "manager")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.text().await.unwrap().contains("Za dużo danych"));
    let count: i64 = sqlx::query_scalar("select count(*) from staff_user where login = 'duzy'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn malformed_forms_get_4xx_never_500() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let csrf = format!("csrf_token={}", admin.csrf);
    let send = |body: Vec<u8>, content_type: &'static str| {
        app.request(reqwest::Method::POST, "/admin/users", Some(&admin))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases: Vec<(Vec<u8>, &str, u16)> = vec![
        // Malformed UTF-8 (raw and percent-encoded).
        (
            format!("{csrf}&login=ab%FFcd&full_name=x&role=manager").into_bytes(),
            "application/x-www-form-urlencoded",
            400,
        ),
        (
            [
                format!("{csrf}&full_name=").into_bytes(),
                vec![0xC3, 0x28],
                b"&login=abc&role=manager".to_vec(),
            ]
            .concat(),
            "application/x-www-form-urlencoded",
            400,
        ),
        // A duplicated field.
        (
            format!("{csrf}&login=abc&login=def&full_name=x&role=manager").into_bytes(),
            "application/x-www-form-urlencoded",
            400,
        ),
        // An unknown field (mass assignment attempt).
        (
            format!("{csrf}&login=abc&full_name=x&role=manager&centre_id=1").into_bytes(),
            "application/x-www-form-urlencoded",
            400,
        ),
        // A missing field.
        (
            format!("{csrf}&login=abc&role=manager").into_bytes(),
            "application/x-www-form-urlencoded",
            400,
        ),
        // A NUL character.
        (
            format!("{csrf}&login=abc&full_name=a%00b&role=manager").into_bytes(),
            "application/x-www-form-urlencoded",
            400,
        ),
        // Not a form at all.
        (br#"{"login":"abc"}"#.to_vec(), "application/json", 415),
    ];
    for (body, content_type, expected) in cases {
        let response = send(body, content_type).await.unwrap();
        assert_eq!(response.status().as_u16(), expected);
    }
    let count: i64 =
        sqlx::query_scalar("select count(*) from staff_user where login in ('abc', 'def')")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_malformed_id_in_the_path_is_a_404() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    for path in [
        "/admin/users/123",
        "/admin/users/%27%20or%201%3D1",
        "/admin/users/00000000-0000-0000-0000-000000000000",
    ] {
        assert_eq!(
            app.get(path, Some(&admin)).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

async fn boom() -> &'static str {
    let fail = std::hint::black_box(true);
    assert!(!fail, "test panic");
    "unreachable"
}

#[tokio::test]
async fn a_panicking_handler_yields_the_500_page_with_the_request_id() {
    let app = spawn_app().await;
    let router: Router =
        teczka::server::with_layers(Router::new().route("/boom", get(boom)), app.state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let response = reqwest::get(format!("http://{address}/boom"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_security_headers(&response);
    let id = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let page = response.text().await.unwrap();
    assert!(page.contains("Błąd serwera") && page.contains(&id));
    assert!(!page.contains("test panic"));
}

/// What the handler of `a_client_that_goes_away_does_not_cancel_the_handler` reports.
static HELD: std::sync::Mutex<Option<HeldHandler>> = std::sync::Mutex::new(None);

struct HeldHandler {
    started: tokio::sync::oneshot::Sender<()>,
    go: std::sync::Arc<tokio::sync::Notify>,
    dropped: tokio::sync::mpsc::UnboundedSender<&'static str>,
}

/// Sends its event when the handler's future is dropped before it finished.
struct DropWatch(Option<tokio::sync::mpsc::UnboundedSender<&'static str>>);

impl Drop for DropWatch {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send("cancelled");
        }
    }
}

async fn held() -> &'static str {
    let HeldHandler {
        started,
        go,
        dropped,
    } = HELD.lock().unwrap().take().unwrap();
    let mut watch = DropWatch(Some(dropped.clone()));
    let _ = started.send(());
    go.notified().await;
    watch.0 = None;
    let _ = dropped.send("finished");
    "done"
}

#[tokio::test]
async fn a_client_that_goes_away_does_not_cancel_the_handler() {
    let app = spawn_app().await;
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let (events_tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let go = std::sync::Arc::new(tokio::sync::Notify::new());
    *HELD.lock().unwrap() = Some(HeldHandler {
        started: started_tx,
        go: go.clone(),
        dropped: events_tx,
    });
    let router: Router =
        teczka::server::with_layers(Router::new().route("/held", get(held)), app.state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = tokio::spawn(reqwest::get(format!("http://{address}/held")));
    started_rx.await.unwrap();
    // The client goes away while the handler is in the middle of its work (the server sees
    // its connection close). Without its own task the handler would be dropped now.
    client.abort();
    let cancelled = tokio::time::timeout(std::time::Duration::from_secs(1), events.recv()).await;
    assert!(
        cancelled.is_err(),
        "the handler was cancelled: {cancelled:?}"
    );
    go.notify_one();
    assert_eq!(events.recv().await, Some("finished"));
}
