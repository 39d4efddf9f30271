//! A route as an area declares it: method, path and handler. The server collects every area's
//! routes into one registry (`crate::server::routes`).

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use crate::state::AppState;

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
