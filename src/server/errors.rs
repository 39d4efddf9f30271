//! Polish error pages: every 4xx/5xx response that is not already a page of ours gets the
//! error page with the request id (status and headers such as `Allow` and `Retry-After` are
//! kept), panics become the 500 page, and unknown paths answer 404.

use std::any::Any;

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::csrf::ProtectionError;

use crate::error::{AppError, ErrorPage};
use crate::state::AppState;
use crate::web::page::{Layout, Rendered};

pub(super) async fn not_found() -> AppError {
    AppError::NotFound
}

pub(super) fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
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

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorTemplate {
    layout: Layout,
    status: u16,
    heading: &'static str,
    explanation: &'static str,
    message: Option<String>,
    /// A page to go back to besides Start.
    back: Option<String>,
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
pub(super) async fn error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
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
    let (message, back) = response
        .extensions()
        .get::<ErrorPage>()
        .map_or((None, None), |e| (e.message.clone(), e.back.clone()));
    let (heading, explanation) = describe(status);
    let page = ErrorTemplate {
        layout: Layout::public(state.config.demo, heading),
        status: status.as_u16(),
        heading,
        explanation,
        message,
        back,
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
