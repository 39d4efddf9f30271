//! Rendering pages: the shared `Layout` every page template embeds, and `render`, which turns a
//! template into a response that the error-page layer leaves alone.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::auth::session::{CurrentUser, Flash};
use crate::domain::Role;
use crate::error::Result;
use crate::state::AppState;
use crate::web::forms::FieldErrors;

/// Marks a response whose body is final (a rendered page, or plain text such as `/healthz`).
#[derive(Clone, Copy, Debug)]
pub struct Rendered;

/// Renders `template` with status 200.
pub fn render<T: Template>(template: &T) -> Result<Response> {
    render_with_status(StatusCode::OK, template)
}

/// Renders `template` with `status` (422 for a form with errors, 409 for a conflict page).
pub fn render_with_status<T: Template>(status: StatusCode, template: &T) -> Result<Response> {
    let body = template.render()?;
    let mut response = (status, Html(body)).into_response();
    response.extensions_mut().insert(Rendered);
    Ok(response)
}

/// Renders a form's page: 200, or 422 when it shows messages (the input kept beside them).
pub fn render_form<T: Template>(errors: &FieldErrors, template: &T) -> Result<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with_status(status, template)
}

/// A link in the main navigation.
#[derive(Clone, Debug)]
pub struct NavLink {
    /// Target path.
    pub href: &'static str,
    /// Polish label.
    pub label: &'static str,
    /// The current page is under this link (`aria-current`).
    pub current: bool,
    /// A count shown beside the label (the work due, beside "Start").
    pub count: Option<i32>,
}

/// Who is signed in, as the header shows it.
#[derive(Clone, Debug)]
pub struct LayoutUser {
    /// Display name.
    pub full_name: String,
    /// Polish role label.
    pub role_label: &'static str,
    /// Centre name.
    pub centre_name: String,
}

/// Everything `base.html` needs.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Page title (also the `<h1>` unless the page says otherwise).
    pub title: String,
    /// Demo installation: show the DEMO marker.
    pub demo: bool,
    /// The signed-in user, if any.
    pub user: Option<LayoutUser>,
    /// Navigation for the user's role.
    pub nav: Vec<NavLink>,
    /// One-time message from the previous request.
    pub flash: Option<Flash>,
    /// Synchronizer token for the logout form and the session script.
    pub csrf_token: String,
    /// Seconds until the session times out.
    pub session_seconds_left: i64,
    /// Seconds before the timeout at which the warning appears.
    pub session_warning_seconds: u64,
}

impl Layout {
    /// Layout for a signed-in page; `path` marks the current navigation entry.
    pub fn for_user(
        state: &AppState,
        user: &CurrentUser,
        title: impl Into<String>,
        path: &str,
    ) -> Self {
        Self {
            title: title.into(),
            demo: state.config.demo,
            user: Some(LayoutUser {
                full_name: user.full_name.clone(),
                role_label: user.role.label(),
                centre_name: user.centre_name.clone(),
            }),
            nav: navigation(user.role, path, user.work_count),
            flash: user.flash.clone(),
            csrf_token: user.csrf_token.clone(),
            session_seconds_left: user.seconds_left(state.clock.now()),
            session_warning_seconds: state.config.session_warning.as_secs(),
        }
    }

    /// Shows `count` beside "Start" (the home page, which has just counted the work).
    pub fn with_work_count(mut self, count: i32) -> Self {
        for link in &mut self.nav {
            if link.href == "/" {
                link.count = Some(count);
            }
        }
        self
    }

    /// Layout for a page shown without a session (login, error pages).
    pub fn public(demo: bool, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            demo,
            user: None,
            nav: Vec::new(),
            flash: None,
            csrf_token: String::new(),
            session_seconds_left: 0,
            session_warning_seconds: 0,
        }
    }
}

/// The navigation a role sees. Links only help; every handler checks the policy itself.
fn navigation(role: Role, path: &str, work_count: Option<i32>) -> Vec<NavLink> {
    let mut links: Vec<(&'static str, &'static str)> = vec![("/", "Start")];
    match role {
        Role::Admin => links.push(("/admin/users", "Pracownicy")),
        Role::Dpo => links.extend([
            ("/audit", "Dziennik zdarzeń"),
            ("/data-protection", "Raporty ochrony danych"),
            ("/access-log", "Rejestr dostępu"),
            ("/retention", "Przechowywanie teczek"),
        ]),
        Role::Manager
        | Role::SocialWorker
        | Role::Psychologist
        | Role::CareerAdvisor
        | Role::Instructor => links.push(("/participants", "Uczestnicy")),
    }
    if matches!(role, Role::Manager | Role::SocialWorker | Role::Instructor) {
        links.push(("/attendance", "Obecność"));
    }
    if matches!(role, Role::Manager | Role::SocialWorker) {
        links.push(("/follow-ups", "Absolwenci"));
    }
    if role == Role::Manager {
        links.push(("/workshops", "Pracownie"));
        links.push(("/benefits", "Świadczenia"));
        links.push(("/reports/effectiveness", "Efektywność"));
        links.push(("/reports/annual", "Sprawozdanie roczne"));
        links.push(("/access-log", "Rejestr dostępu"));
        links.push(("/settings", "Ustawienia CIS"));
    }
    links.push(("/account/password", "Zmiana hasła"));
    links.push(("/account/second-factor", "Drugi składnik"));
    links
        .into_iter()
        .map(|(href, label)| NavLink {
            href,
            label,
            current: if href == "/" {
                path == "/"
            } else {
                path.starts_with(href)
            },
            count: if href == "/" { work_count } else { None },
        })
        .collect()
}
