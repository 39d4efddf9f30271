//! The server: the route registry (every area's routes, listed here once) and the one layer
//! stack. This is the only module that knows every area; adding an area means adding its
//! `routes()` to [`routes`] (and its inbox source to the home page's list, if it has one).

mod errors;
mod health;
mod static_files;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::state::AppState;
use crate::web::route::Route;

/// Content-Security-Policy: our own origin only, no inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every route of the application. The router is built from this list and the
/// authorization-matrix test iterates the same list, so a route cannot exist without a matrix
/// entry.
pub fn routes() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(health::routes());
    routes.extend(static_files::routes());
    routes.extend(crate::account::routes());
    // The home page lists each area's work, in this order.
    routes.extend(crate::home::routes(vec![
        crate::users::inbox_items,
        crate::participants::inbox_items,
        crate::ipzs::inbox_items,
        crate::contracts::inbox_items,
        crate::attendance::inbox_items,
        crate::benefits::inbox_items,
        crate::follow_ups::inbox_items,
        crate::opinions::inbox_items,
        crate::retention::inbox_items,
        crate::reports::inbox_items,
    ]));
    routes.extend(crate::users::routes());
    routes.extend(crate::participants::routes());
    routes.extend(crate::ipzs::routes());
    routes.extend(crate::contracts::routes());
    routes.extend(crate::opinions::routes());
    routes.extend(crate::settings::routes());
    routes.extend(crate::attendance::routes());
    routes.extend(crate::benefits::routes());
    routes.extend(crate::workshops::routes());
    routes.extend(crate::follow_ups::routes());
    routes.extend(crate::reports::routes());
    routes.extend(crate::retention::routes());
    routes.extend(crate::subject_access::routes());
    routes.extend(crate::data_protection::routes());
    routes
}

/// `(method, path)` of every route, for tests and documentation.
pub fn table() -> Vec<(Method, &'static str)> {
    routes().into_iter().map(|r| (r.method, r.path)).collect()
}

/// Builds the application router with every layer.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new();
    for route in routes() {
        let path = route.path;
        app = app.route(path, route.into_method_router(&state));
    }
    with_layers(app, state)
}

/// Wraps `app` in the layer stack (public so tests can check it on routes of their own, e.g.
/// that a panicking handler yields the 500 page).
pub fn with_layers(app: Router<AppState>, state: AppState) -> Router {
    let request_timeout = state.config.request_timeout;
    // Listed outermost first. Security headers wrap the error-page layer so that error pages get
    // them too; the error-page layer wraps panics, timeouts, body limits and CSRF rejections so
    // that all of those render as Polish pages with the request id.
    let layers = ServiceBuilder::new()
        .layer(SetSensitiveRequestHeadersLayer::new([header::COOKIE, header::AUTHORIZATION]))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
            // The path holds only UUIDs; query strings (which could hold search terms) are not logged.
            tracing::info_span!("request", method = %req.method(), path = req.uri().path(), request_id)
        }).on_response(DefaultOnResponse::new().level(Level::INFO)))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), errors::error_pages))
        .layer(CatchPanicLayer::custom(errors::panic_response))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, request_timeout))
        .layer(CsrfLayer::new())
        .layer(middleware::from_fn(run_to_completion));
    app.fallback(errors::not_found)
        .layer(layers)
        .with_state(state)
}

/// Runs the handler in a task of its own, so that neither a client that goes away nor the
/// request timeout cancels it halfway through its database work. A handler dropped while its
/// `BEGIN` is in flight leaves its pooled connection inside a transaction (sqlx 0.8, issue
/// 4393): the next users of that connection run inside it and hold its locks, and their writes
/// wait for a commit nobody sends. The benchmark saw it when `wrk` closed its connections at
/// the end of each run: a month's close waited 15 s on a session row so held, and the audit
/// seal on its lock. A panic goes on to the panic layer outside.
async fn run_to_completion(request: Request, next: Next) -> Response {
    use tracing::Instrument;
    let handler = tokio::spawn(next.run(request).instrument(tracing::Span::current()));
    match handler.await {
        Ok(response) => response,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Headers every response carries, error pages and static files included.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 8] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Pages may hold personal data: never stored by browsers or proxies. Static files set
    // their own (short) caching.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.remove(header::SERVER);
    response
}
