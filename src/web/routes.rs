//! The route registry: every route the server answers is listed here, once. The router is built
//! from this list and the authorization-matrix test iterates the same list, so a route cannot
//! exist without a matrix entry.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use crate::app::AppState;

/// One method on one path.
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// axum path pattern, e.g. `/admin/users/{id}`.
    pub path: &'static str,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

impl Route {
    /// A GET route (HEAD is answered too).
    pub fn get<H, T>(path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method: Method::GET,
            path,
            handler: get(handler),
        }
    }

    /// A POST route.
    pub fn post<H, T>(path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method: Method::POST,
            path,
            handler: post(handler),
        }
    }
}

/// Every route of the application.
pub fn all() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(super::health::routes());
    routes.extend(super::static_files::routes());
    routes.extend(crate::auth::routes());
    routes.extend(crate::home::routes());
    routes.extend(crate::users::routes());
    routes.extend(crate::participants::routes());
    routes
}

/// `(method, path)` of every route, for tests and documentation.
pub fn table() -> Vec<(Method, &'static str)> {
    all().into_iter().map(|r| (r.method, r.path)).collect()
}
