//! The home page ("Start"): a greeting and each role's work list, assembled from the groups
//! every area contributes through its inbox source. The home page knows no area: the server
//! hands it the sources, so a new area adds its items without touching this module.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::{self, CurrentUser};
use crate::error::Result;
use crate::state::AppState;
use crate::web::inbox::{InboxGroup, InboxSource};
use crate::web::page::{Layout, render};
use crate::web::route::Route;

/// `GET /`, listing the groups of `sources` in their order.
pub fn routes(sources: Vec<InboxSource>) -> Vec<Route> {
    let sources: Arc<[InboxSource]> = sources.into();
    vec![Route::get(
        "/",
        Gate::Staff,
        move |State(state): State<AppState>, user: CurrentUser| {
            let sources = Arc::clone(&sources);
            async move { home(state, user, &sources).await }
        },
    )]
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    layout: Layout,
    /// Some group holds work to do.
    has_work: bool,
    groups: Vec<InboxGroup>,
}

async fn home(state: AppState, user: CurrentUser, sources: &[InboxSource]) -> Result<Response> {
    user.authorize(&state, Action::ViewHome, Target::Centre)
        .await?;
    let today = state.today();
    let mut groups = Vec::new();
    for source in sources {
        groups.extend(source(&state, &user, today).await?);
    }
    // The work due first, in the areas' order; then the lists to look things up in.
    groups.sort_by_key(|g| g.reference);
    // The count beside "Start" on the next pages: the work due, kept with the session.
    let due: usize = groups
        .iter()
        .filter(|g| g.has_work())
        .map(|g| g.count)
        .sum();
    let due = i32::try_from(due).unwrap_or(i32::MAX);
    // Written only when it is new (a count kept unchanged lapses after ten minutes and is
    // written again then), so looking at Start again costs no write.
    if user.work_count != Some(due) {
        session::set_work_count(&state.db, &user.session_hash, due, state.clock.now()).await?;
    }
    render(&HomePage {
        layout: Layout::for_user(&state, &user, "Start", "/").with_work_count(due),
        has_work: groups.iter().any(InboxGroup::has_work),
        groups,
    })
}
