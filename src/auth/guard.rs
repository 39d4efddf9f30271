//! Enforcing the policy: the route gate (a route layer that lets only the roles a route declares
//! in), and the audited decision on an action (`CurrentUser::authorize`). Every refusal writes a
//! `denied` audit row and answers 403, or 404 when the object is outside the actor's scope.

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::policy::{self, Action, Gate, Refusal, Target};
use super::session::CurrentUser;
use crate::audit::{self, AuditEvent, Outcome};
use crate::error::{AppError, Result};
use crate::state::AppState;

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NotFound => AppError::NotFound,
            Refusal::Forbidden => AppError::Forbidden,
        }
    }
}

impl CurrentUser {
    /// Whether the policy allows `action` on `target` (to show or hide a button; the handler of
    /// the action asks again).
    pub fn can(&self, action: Action, target: Target<'_>) -> bool {
        policy::check(self.actor(), action, target).is_ok()
    }

    /// Asks the policy about `action` on `target`; a refusal is audited (with the participant,
    /// if any) and answers 403, or 404 outside the actor's scope.
    pub async fn authorize(
        &self,
        state: &AppState,
        action: Action,
        target: Target<'_>,
    ) -> Result<()> {
        match policy::check(self.actor(), action, target) {
            Ok(()) => Ok(()),
            Err(refusal) => Err(self.refused(state, action, target, refusal).await),
        }
    }

    /// Records a refusal the caller decided with `policy::check` while holding a transaction
    /// (which it has ended, so that the request never holds two connections), and returns the
    /// error to answer with.
    pub async fn refused(
        &self,
        state: &AppState,
        action: Action,
        target: Target<'_>,
        refusal: Refusal,
    ) -> AppError {
        tracing::warn!(user_id = %self.user_id, action = action.code(), "access denied");
        let mut event = AuditEvent::new(action.code(), Outcome::Denied).by(self.audit_actor());
        if let Some(p) = target.participant() {
            event = event.participant(p.participant_id);
        }
        event = match target {
            Target::Centre => event,
            Target::Participant(p) => event.on("participant", p.participant_id),
            Target::Document(d) => event.on("document", d.document_id),
            Target::Opinion(o) => event.on("opinion", o.opinion_id),
            Target::Workshop(w) => event.on("workshop", w.workshop_id),
        };
        match audit::record(&state.db, &self.meta, event).await {
            Ok(()) => refusal.into(),
            Err(e) => e.into(),
        }
    }
}

/// The route layer behind every gated route: signs the user in (or redirects to the login
/// page), asks [`policy::gate`] (a refusal is audited with the route it was refused), and runs
/// the handler within the user's centre (`db::rls::scope`).
pub async fn enter(
    State((state, gate)): State<(AppState, Gate)>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let user = match CurrentUser::from_request_parts(&mut parts, &state).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    if let Err(refusal) = policy::gate(user.role, gate) {
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map(|p| format!("{} {}", parts.method, p.as_str()))
            .unwrap_or_default();
        tracing::warn!(user_id = %user.user_id, route, "route refused");
        return refused_at_route(&state, &user, "route.enter", route, refusal.into()).await;
    }
    // Everything the handler does in the database works for the user's centre alone (the
    // second wall, `db::rls`).
    crate::db::rls::scope(user.centre_id, next.run(Request::from_parts(parts, body))).await
}

/// The route layer of a download of a list (`Route::export`), inside the gate: takes one of
/// the account's downloads, or answers 429 with the wait and audits the refusal.
pub async fn export_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>().cloned() else {
        return AppError::Unauthorized { expired: false }.into_response();
    };
    if let Err(retry_after) = state.export_limiter.check(user.user_id) {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        tracing::warn!(user_id = %user.user_id, route, "download rate limited");
        let limited = AppError::TooManyRequests { retry_after };
        return refused_at_route(&state, &user, "export.rate_limited", route, limited).await;
    }
    next.run(request).await
}

/// A route layer's refusal: audited as `action` denied, with the route in its detail, then
/// answered with `error`.
async fn refused_at_route(
    state: &AppState,
    user: &CurrentUser,
    action: &'static str,
    route: String,
    error: AppError,
) -> Response {
    let event = AuditEvent::new(action, Outcome::Denied)
        .by(user.audit_actor())
        .detail(route);
    match audit::record(&state.db, &user.meta, event).await {
        Ok(()) => error.into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
