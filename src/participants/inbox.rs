//! What the participants area puts on each role's home page: the manager's participants whose
//! planned end is near or past and the centre's counts, the social worker's caseload, the
//! instructor's workshop members, the psychologist's and career advisor's active participants.
//! The counts of a whole status come from `participant_tally` (migration 0006).

use time::{Date, Duration};
use uuid::Uuid;

use super::views::{ENDING_SOON_DAYS, ending_warning, opt_date};
use crate::auth::session::CurrentUser;
use crate::domain::{Role, Status};
use crate::error::Result;
use crate::state::AppState;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem, InboxLink};

/// The participants area's groups for `user` (see the module header).
pub fn inbox_items<'a>(state: &'a AppState, user: &'a CurrentUser, today: Date) -> InboxFuture<'a> {
    Box::pin(async move {
        match user.role {
            Role::Manager => manager(state, user, today).await,
            Role::SocialWorker => caseload(state, user, today).await,
            Role::Instructor => workshop_members(state, user, today).await,
            Role::Psychologist | Role::CareerAdvisor => active(state, user).await,
            Role::Admin => Ok(Vec::new()),
        }
    })
}

/// Counts on the home page stop here (a CIS has tens of participants; the figure only has to
/// say "many" at a scale no centre has).
const COUNT_CAP: i64 = 1000;

/// A count, or "ponad 1000" beyond the cap.
fn capped(n: i64) -> String {
    if n > COUNT_CAP {
        format!("ponad {COUNT_CAP}")
    } else {
        n.to_string()
    }
}

/// A participant as the work list's queries read them.
struct PersonRow {
    participant_id: Uuid,
    surname: String,
    first_names: String,
    status: Status,
    planned_end_on: Option<Date>,
}

/// Participants as lines of the work list.
fn people(rows: Vec<PersonRow>, today: Date) -> Vec<InboxItem> {
    rows.into_iter()
        .map(|r| InboxItem {
            href: Some(format!("/participants/{}", r.participant_id)),
            title: format!("{} {}", r.surname, r.first_names),
            detail: Some(r.status.label().to_owned()),
            due: r
                .status
                .is_active()
                .then(|| opt_date(r.planned_end_on))
                .filter(|d| !d.is_empty()),
            warning: ending_warning(r.status, r.planned_end_on, today),
        })
        .collect()
}

async fn manager(state: &AppState, user: &CurrentUser, today: Date) -> Result<Vec<InboxGroup>> {
    let ending = sqlx::query_as!(
        PersonRow,
        r#"select participant_id, surname, first_names, status as "status: Status", planned_end_on
           from participant
           where centre_id = $1 and planned_end_on <= $2 and status in ('trial', 'participant')
           order by planned_end_on, participant_id
           limit 100"#,
        user.centre_id,
        today + Duration::days(ENDING_SOON_DAYS)
    )
    .fetch_all(&state.db)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from (select 1 from participant
                           where centre_id = $1 and social_worker_id is null and status in ('candidate', 'reserve')
                           limit 1001) x) as "unassigned!",
                  (select coalesce(sum(n), 0) from participant_tally
                   where centre_id = $1 and status = 'reserve')::int8 as "waiting!",
                  (select coalesce(sum(n), 0) from participant_tally
                   where centre_id = $1 and status in ('trial', 'participant'))::int8 as "active!""#,
        user.centre_id
    )
    .fetch_one(&state.db)
    .await?;
    let count = |title: &str, n: i64, href: &str| InboxItem {
        href: Some(href.to_owned()),
        title: title.to_owned(),
        detail: Some(capped(n)),
        ..InboxItem::default()
    };
    Ok(vec![
        InboxGroup::new(
            format!("Koniec udziału w ciągu {ENDING_SOON_DAYS} dni lub po terminie"),
            people(ending, today),
            "Nikomu nie kończy się teraz udział.",
        ),
        InboxGroup::new(
            "Ośrodek",
            vec![
                count(
                    "Uczestnicy w okresie próbnym i w programie",
                    counts.active,
                    "/participants?sort=ending",
                ),
                count(
                    "Na liście rezerwowej",
                    counts.waiting,
                    "/participants?status=reserve",
                ),
                count(
                    "Kandydaci bez pracownika socjalnego",
                    counts.unassigned,
                    "/participants?worker=none",
                ),
            ],
            "",
        ),
    ])
}

async fn caseload(state: &AppState, user: &CurrentUser, today: Date) -> Result<Vec<InboxGroup>> {
    let rows = sqlx::query_as!(
        PersonRow,
        r#"select participant_id, surname, first_names, status as "status: Status", planned_end_on
           from participant
           where centre_id = $1 and social_worker_id = $2 and status in ('candidate', 'reserve', 'trial', 'participant')
           order by surname, first_names, participant_id
           limit 200"#,
        user.centre_id,
        user.user_id
    )
    .fetch_all(&state.db)
    .await?;
    let mut group = InboxGroup::new(
        format!("Moi podopieczni ({})", rows.len()),
        people(rows, today),
        "Nie masz przydzielonych osób.",
    );
    group.links = vec![
        InboxLink {
            href: "/participants/new",
            label: "Zarejestruj kandydata",
        },
        InboxLink {
            href: "/participants?worker=all",
            label: "Wszyscy uczestnicy ośrodka",
        },
    ];
    Ok(vec![group])
}

async fn workshop_members(
    state: &AppState,
    user: &CurrentUser,
    today: Date,
) -> Result<Vec<InboxGroup>> {
    let rows = sqlx::query_as!(
        PersonRow,
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
    .await?;
    Ok(vec![InboxGroup::new(
        format!("Uczestnicy moich pracowni ({})", rows.len()),
        people(rows, today),
        "W Twoich pracowniach nie ma teraz uczestników.",
    )])
}

async fn active(state: &AppState, user: &CurrentUser) -> Result<Vec<InboxGroup>> {
    let active = sqlx::query_scalar!(
        r#"select coalesce(sum(n), 0)::int8 as "n!" from participant_tally
           where centre_id = $1 and status in ('trial', 'participant')"#,
        user.centre_id
    )
    .fetch_one(&state.db)
    .await?;
    let item = InboxItem {
        href: Some("/participants".into()),
        title: "Uczestnicy w okresie próbnym i w programie".into(),
        detail: Some(capped(active)),
        ..InboxItem::default()
    };
    Ok(vec![InboxGroup::new("Twoje zadania", vec![item], "")])
}
