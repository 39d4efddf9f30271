//! The HTTP layer: router assembly from the route registry and the one layer stack.

pub mod form;
pub mod health;
pub mod meta;
pub mod path;
pub mod routes;
pub mod static_files;
pub mod template;

use std::any::Any;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::app::AppState;
use crate::error::{AppError, ErrorPage};
use template::{Layout, Rendered};

/// Content-Security-Policy: our own origin only, no inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Builds the application router with every layer.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new();
    for route in routes::all() {
        app = app.route(route.path, route.handler);
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
        .layer(middleware::from_fn_with_state(state.clone(), error_pages))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, request_timeout))
        .layer(RequestBodyLimitLayer::new(form::FORM_LIMIT))
        .layer(CsrfLayer::new());
    app.fallback(not_found).layer(layers).with_state(state)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "handler panicked");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(ErrorPage::default());
    response
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

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorTemplate {
    layout: Layout,
    status: u16,
    heading: &'static str,
    explanation: &'static str,
    message: Option<String>,
    request_id: String,
}

fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "Nieprawidłowe żądanie",
            "Przesłane dane są niepoprawne. Wróć do formularza i spróbuj ponownie.",
        ),
        403 => (
            "Brak dostępu",
            "Nie masz uprawnień do tej strony lub czynności. Jeśli to błąd, skontaktuj się z kierownikiem lub administratorem.",
        ),
        404 => (
            "Nie znaleziono",
            "Ta strona lub dokument nie istnieje albo nie masz do niego dostępu.",
        ),
        405 => (
            "Niedozwolona metoda",
            "Ta strona nie obsługuje takiego żądania.",
        ),
        408 => (
            "Przekroczono czas",
            "Przesyłanie danych trwało zbyt długo. Spróbuj ponownie.",
        ),
        409 => (
            "Konflikt",
            "Tej czynności nie można teraz wykonać, bo stan danych się zmienił.",
        ),
        413 => (
            "Za dużo danych",
            "Przesłane dane przekraczają dopuszczalny rozmiar.",
        ),
        415 => (
            "Nieobsługiwany format",
            "Dane zostały przesłane w formacie, którego serwer nie przyjmuje.",
        ),
        422 => ("Niepoprawne dane", "Formularz zawiera błędy."),
        429 => (
            "Zbyt wiele prób",
            "Wykonano zbyt wiele prób w krótkim czasie. Odczekaj chwilę i spróbuj ponownie.",
        ),
        503 => (
            "Serwis chwilowo niedostępny",
            "Nie udało się połączyć z bazą danych albo serwer jest przeciążony. Spróbuj ponownie za kilka minut; wprowadzone dane nie zostały zapisane.",
        ),
        s if s >= 500 => (
            "Błąd serwera",
            "Wystąpił nieoczekiwany błąd i nic nie zostało zapisane. Jeśli się powtarza, zgłoś go administratorowi, podając kod błędu.",
        ),
        _ => ("Błąd", "Nie udało się wykonać żądania."),
    }
}

/// Replaces the body of every 4xx/5xx response that is not already a page of ours with the
/// Polish error page (status and headers such as `Allow` and `Retry-After` are kept).
async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<Rendered>().is_some()
    {
        return response;
    }
    if let Some(error) = response.extensions().get::<ProtectionError>() {
        tracing::warn!(error = %error, "cross-origin request refused");
    }
    if status.is_server_error() {
        tracing::warn!(status = status.as_u16(), "error response");
    }
    let message = response
        .extensions()
        .get::<ErrorPage>()
        .and_then(|e| e.message.clone());
    let (heading, explanation) = describe(status);
    let page = ErrorTemplate {
        layout: Layout::public(state.config.demo, heading),
        status: status.as_u16(),
        heading,
        explanation,
        message,
        request_id,
    };
    let (mut parts, _) = response.into_parts();
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {heading}", status.as_u16()));
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
