//! The home page: each role's inbox. The social worker sees their caseload first, the manager
//! the participants whose planned end is near or past; later areas add their sections
//! (opinions requested, documents awaiting approval, follow-ups due …).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use time::Duration;
use uuid::Uuid;

use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::domain::Status;
use crate::error::Result;
use crate::participants::views::{ENDING_SOON_DAYS, ending_warning, opt_date};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};
use crate::web::route::Route;

/// `GET /`.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/", home)]
}

/// A participant line of an inbox.
struct InboxRow {
    id: Uuid,
    name: String,
    status: &'static str,
    planned_end: String,
    warning: Option<String>,
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    layout: Layout,
    first_name: String,
    role: Role,
    staff_active: i64,
    staff_locked: i64,
    caseload: Vec<InboxRow>,
    ending: Vec<InboxRow>,
    unassigned: i64,
    waiting: i64,
    active: i64,
}

impl HomePage {
    fn is(&self, role: &str) -> bool {
        self.role.code() == role
    }
}

async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    user.authorize(&state, Action::ViewHome).await?;
    let today = dates::polish_today(state.clock.now());
    let mut page = HomePage {
        layout: Layout::for_user(&state, &user, "Start", "/"),
        first_name: user
            .full_name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
        role: user.role,
        staff_active: 0,
        staff_locked: 0,
        caseload: Vec::new(),
        ending: Vec::new(),
        unassigned: 0,
        waiting: 0,
        active: 0,
    };
    let row = |id, surname: String, first_names: String, status: Status, planned_end| InboxRow {
        id,
        name: format!("{surname} {first_names}"),
        status: status.label(),
        planned_end: if status.is_active() {
            opt_date(planned_end)
        } else {
            String::new()
        },
        warning: ending_warning(status, planned_end, today),
    };
    match user.role {
        Role::Admin => {
            let counts = sqlx::query!(
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
            page.staff_active = counts.active;
            page.staff_locked = counts.locked;
        }
        Role::SocialWorker => {
            page.caseload = sqlx::query!(
                r#"select participant_id, surname, first_names, status as "status: Status", planned_end_on
                   from participant
                   where centre_id = $1 and social_worker_id = $2 and status in ('candidate', 'reserve', 'trial', 'participant')
                   order by surname, first_names, participant_id
                   limit 200"#,
                user.centre_id,
                user.user_id
            )
            .fetch_all(&state.db)
            .await?
            .into_iter()
            .map(|r| row(r.participant_id, r.surname, r.first_names, r.status, r.planned_end_on))
            .collect();
        }
        Role::Manager => {
            page.ending = sqlx::query!(
                r#"select participant_id, surname, first_names, status as "status: Status", planned_end_on
                   from participant
                   where centre_id = $1 and planned_end_on <= $2 and status in ('trial', 'participant')
                   order by planned_end_on, participant_id
                   limit 100"#,
                user.centre_id,
                today + Duration::days(ENDING_SOON_DAYS)
            )
            .fetch_all(&state.db)
            .await?
            .into_iter()
            .map(|r| row(r.participant_id, r.surname, r.first_names, r.status, r.planned_end_on))
            .collect();
            let counts = sqlx::query!(
                r#"select count(*) filter (where social_worker_id is null and status in ('candidate', 'reserve')) as "unassigned!",
                          count(*) filter (where status = 'reserve') as "waiting!",
                          count(*) filter (where status in ('trial', 'participant')) as "active!"
                   from participant where centre_id = $1"#,
                user.centre_id
            )
            .fetch_one(&state.db)
            .await?;
            page.unassigned = counts.unassigned;
            page.waiting = counts.waiting;
            page.active = counts.active;
        }
        Role::Psychologist | Role::CareerAdvisor => {
            page.active = sqlx::query_scalar!(
                r#"select count(*) as "n!" from participant where centre_id = $1 and status in ('trial', 'participant')"#,
                user.centre_id
            )
            .fetch_one(&state.db)
            .await?;
        }
        Role::Instructor => {
            page.caseload = sqlx::query!(
                r#"select p.participant_id, p.surname, p.first_names, p.status as "status: Status", p.planned_end_on
                   from participant p
                   join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null
                   join workshop w on w.workshop_id = m.workshop_id
                   where p.centre_id = $1 and w.instructor_id = $2
                   order by p.surname, p.first_names, p.participant_id
                   limit 200"#,
                user.centre_id,
                user.user_id
            )
            .fetch_all(&state.db)
            .await?
            .into_iter()
            .map(|r| row(r.participant_id, r.surname, r.first_names, r.status, r.planned_end_on))
            .collect();
        }
    }
    render(&page)
}
