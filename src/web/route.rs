//! A route as an area declares it: method, path, the gate (who may enter at all) and the
//! handler. The server collects every area's routes into one registry (`crate::server::routes`)
//! and applies each gate as a route layer; handlers still ask the policy about the object.

use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodRouter, get, post};

use crate::auth::guard;
use crate::auth::policy::Gate;
use crate::state::AppState;

/// One method on one path.
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// axum path pattern, e.g. `/admin/users/{id}`.
    pub path: &'static str,
    /// Who may enter.
    pub gate: Gate,
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
            handler: post(handler),
        }
    }

    /// The handler behind its gate.
    pub fn into_method_router(self, state: &AppState) -> MethodRouter<AppState> {
        match self.gate {
            Gate::Anyone => self.handler,
            gate => self.handler.route_layer(middleware::from_fn_with_state(
                (state.clone(), gate),
                guard::enter,
            )),
        }
    }
}
