//! The home page: each role's inbox. Later areas add their sections (opinions requested, documents
//! awaiting approval, follow-ups due …); the page lists what exists today.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::app::AppState;
use crate::auth::policy::{Action, Role};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::web::routes::Route;
use crate::web::template::{Layout, render};

/// `GET /`.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/", home)]
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    layout: Layout,
    first_name: String,
    is_admin: bool,
    staff_active: i64,
    staff_locked: i64,
}

async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ViewHome).await?;
    let is_admin = user.role == Role::Admin;
    let (staff_active, staff_locked) = if is_admin {
        let row = sqlx::query!(
            r#"
            select count(*) filter (where u.active) as "active!",
                   count(*) filter (where t.locked_until > $2) as "locked!"
            from staff_user u left join login_throttle t on t.login_key = u.login
            where u.centre_id = $1
            "#,
            user.centre_id,
            state.clock.now(),
        )
        .fetch_one(&state.db)
        .await?;
        (row.active, row.locked)
    } else {
        (0, 0)
    };
    render(&HomePage {
        layout: Layout::for_user(&state, &user, "Start", "/"),
        first_name: user
            .full_name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
        is_admin,
        staff_active,
        staff_locked,
    })
}
