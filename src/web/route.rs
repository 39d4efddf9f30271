//! A route as an area declares it: method, path, the gate (who may enter at all) and the
//! handler. The server collects every area's routes into one registry (`crate::server::routes`)
//! and applies each gate as a route layer; handlers still ask the policy about the object.

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodRouter, get, post};
use tower_http::limit::RequestBodyLimitLayer;

use crate::auth::guard;
use crate::auth::policy::Gate;
use crate::state::AppState;
use crate::web::extract::FORM_LIMIT;

/// One method on one path.
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// axum path pattern, e.g. `/admin/users/{id}`.
    pub path: &'static str,
    /// Who may enter.
    pub gate: Gate,
    /// The largest request body accepted (413 beyond): a form's, unless the route takes uploads.
    pub body_limit: usize,
    /// A download of a list (CSV, XLSX, an export of a file): counted against the account's
    /// limit on downloads ([`Route::export`]).
    pub export: bool,
    handler: MethodRouter<AppState>,
}

impl Route {
    /// A GET route (HEAD is answered too).
    pub fn get<H, T>(path: &'static str, gate: Gate, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method: Method::GET,
            path,
            gate,
            body_limit: FORM_LIMIT,
            export: false,
            handler: get(handler),
        }
    }

    /// A POST route.
    pub fn post<H, T>(path: &'static str, gate: Gate, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method: Method::POST,
            path,
            gate,
            body_limit: FORM_LIMIT,
            export: false,
            handler: post(handler),
        }
    }

    /// The route with a larger body limit (an upload, a long document's form).
    pub fn with_body_limit(mut self, limit: usize) -> Self {
        self.body_limit = limit;
        self
    }

    /// The route as a download of a list: past the gate, each account may make
    /// `export_rate_burst` of them at once and one more every `export_rate_period`; beyond
    /// that 429 with the wait, and the refusal audited (`guard::export_limit`).
    pub fn export(mut self) -> Self {
        self.export = true;
        self
    }

    /// The handler behind its body limit and its gate (the gate is checked first).
    pub fn into_method_router(self, state: &AppState) -> MethodRouter<AppState> {
        // Both: the layer refuses a larger body (413), and extractors that keep their own
        // default (axum's multipart: 2 MB) are told the route's limit.
        let handler = self
            .handler
            .route_layer(DefaultBodyLimit::max(self.body_limit))
            .route_layer(RequestBodyLimitLayer::new(self.body_limit));
        // Inside the gate: the gate has signed the user in.
        let handler = if self.export {
            handler.route_layer(middleware::from_fn_with_state(
                state.clone(),
                guard::export_limit,
            ))
        } else {
            handler
        };
        match self.gate {
            Gate::Anyone => handler,
            gate => handler.route_layer(middleware::from_fn_with_state(
                (state.clone(), gate),
                guard::enter,
            )),
        }
    }
}
