//! The authorization matrix: every route of the registry × every principal × own/other centre.
//! A route without an entry in `expected` fails the test, so new routes must declare who may
//! use them.

use reqwest::{Method, StatusCode};
use teczka::domain::Role;

use crate::helpers::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Principal {
    Anonymous,
    Staff(Role),
    /// Signed in, then deactivated (the session row is left in place on purpose).
    Deactivated,
    /// Past the password step only (the manager with a second factor, before the code): every
    /// page but the code step answers as to the anonymous.
    PasswordOnly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The object belongs to the principal's centre.
    Own,
    /// The object belongs to another centre.
    Other,
}

/// Everyone who works with participants (all but the administrator).
pub const WORKERS: &[Role] = &[
    Role::Manager,
    Role::SocialWorker,
    Role::Psychologist,
    Role::CareerAdvisor,
    Role::Instructor,
];

/// Who reads a participant's programme (within the participant's scope).
const READERS: &[Role] = &[
    Role::Manager,
    Role::SocialWorker,
    Role::Psychologist,
    Role::CareerAdvisor,
];

/// A programme in realization for `participant`, authored by `author`, signed, with a scan;
/// arranged directly in the database. Returns (document, scan).
pub(crate) async fn programme(
    app: &TestApp,
    participant: uuid::Uuid,
    author: &str,
) -> (uuid::Uuid, uuid::Uuid) {
    let author = app.user_id(author).await;
    sqlx::query_as(
        "with d as (insert into document (centre_id, participant_id, kind, status, author_id)
                    select centre_id, participant_id, 'ipzs', 'in_realization', $2
                    from participant where participant_id = $1 returning document_id, centre_id),
              v as (insert into document_version (document_id, number, status, sections, created_by)
                    select document_id, 1, 'in_realization', '[[\"goal.1.text\", \"Praca\"]]', $2 from d
                    returning document_id),
              g as (insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
                    select v.document_id, 1, 'participant', d.centre_id, current_date - 30, $2 from v, d
                    returning document_id)
         insert into document_scan (document_id, version, centre_id, media_type, file_name, content, uploaded_by)
         select g.document_id, 1, d.centre_id, 'application/pdf', 'skan.pdf', '%PDF-1.4 test', $2 from g, d
         returning document_id, document_scan_id",
    )
    .bind(participant)
    .bind(author)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// A social contract in realization for `participant`, drafted by `author` (the caseworker),
/// signed by the manager and then the client, with a scan and no evaluation yet; arranged
/// directly in the database. Returns (document, scan).
async fn contract(
    app: &TestApp,
    participant: uuid::Uuid,
    author: &str,
) -> (uuid::Uuid, uuid::Uuid) {
    let author = app.user_id(author).await;
    sqlx::query_as(
        "with d as (insert into document (centre_id, participant_id, kind, status, author_id)
                    select centre_id, participant_id, 'social_contract', 'in_realization', $2
                    from participant where participant_id = $1 returning document_id, centre_id),
              v as (insert into document_version (document_id, number, status, sections, created_by)
                    select document_id, 1, 'in_realization',
                           '[[\"situation\", \"Bez pracy\"], [\"goal.1\", \"Praca\"],
                             [\"action.1.text\", \"Wniosek o zasiłek\"], [\"action.1.due\", \"2027-01-15\"],
                             [\"action.1.party\", \"client\"]]', $2 from d
                    returning document_id),
              m as (insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
                    select v.document_id, 1, 'manager', d.centre_id, current_date - 31,
                           (select staff_user_id from staff_user where role = 'manager' and centre_id = d.centre_id)
                    from v, d returning document_id),
              g as (insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
                    select m.document_id, 1, 'participant', d.centre_id, current_date - 30, $2 from m, d
                    returning document_id)
         insert into document_scan (document_id, version, centre_id, media_type, file_name, content, uploaded_by)
         select g.document_id, 1, d.centre_id, 'application/pdf', 'kontrakt.pdf', '%PDF-1.4 test', $2 from g, d
         returning document_id, document_scan_id",
    )
    .bind(participant)
    .bind(author)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// What a principal gets from a route. `None`: the route is missing from the matrix.
fn expected(method: &Method, path: &str, who: Principal, scope: Scope) -> Option<u16> {
    const TO_LOGIN: u16 = 303;
    let signed_in = matches!(who, Principal::Staff(_));
    let any_staff = |ok: u16| if signed_in { ok } else { TO_LOGIN };
    let admin_only = |ok: u16| match who {
        Principal::Staff(Role::Admin) => ok,
        Principal::Staff(_) => 403,
        _ => TO_LOGIN,
    };
    let participant_staff = |ok: u16| participant_staff_roles(who, ok);
    let keepers = |ok: u16| match who {
        Principal::Staff(Role::Manager | Role::SocialWorker) => ok,
        Principal::Staff(_) => 403,
        _ => TO_LOGIN,
    };
    let admin_in_scope = |ok: u16| match (who, scope) {
        (Principal::Staff(Role::Admin), Scope::Own) => ok,
        (Principal::Staff(Role::Admin), Scope::Other) => 404,
        (Principal::Staff(_), _) => 403,
        _ => TO_LOGIN,
    };
    if who == Principal::PasswordOnly && !path.starts_with("/login/") {
        return expected(method, path, Principal::Anonymous, scope);
    }
    Some(match (method.as_str(), path) {
        ("GET", "/healthz" | "/readyz" | "/static/{*path}") => 200,
        // The code step serves a pending login only (others go to the login page); its
        // enrolment page sends an account with a factor to the code step.
        ("GET", "/login/code") if who == Principal::PasswordOnly => 200,
        ("POST", "/login/code") if who == Principal::PasswordOnly => 422,
        ("GET" | "POST", "/login/code" | "/login/second-factor") => 303,
        ("GET", "/account/second-factor") => any_staff(200),
        ("POST", "/account/second-factor/start") => any_staff(303),
        ("POST", "/account/second-factor") => any_staff(422),
        ("GET", "/admin/users/{id}/second-factor/confirm") => admin_in_scope(200),
        ("POST", "/admin/users/{id}/second-factor/reset") => admin_in_scope(303),
        ("GET", "/login") => {
            if signed_in {
                303
            } else {
                200
            }
        }
        ("POST", "/login") => 422,
        ("POST", "/logout") => 303,
        ("POST", "/session/extend") => any_staff(204),
        ("GET", "/" | "/account/password") => any_staff(200),
        // The centre's settings are the manager's.
        ("GET", "/settings") => manager_only(who, 200),
        // Who opened which files: the manager and the data-protection officer.
        ("GET", "/access-log") => match who {
            Principal::Staff(Role::Manager | Role::Dpo) => 200,
            Principal::Staff(_) => 403,
            _ => 303,
        },
        ("POST", "/settings") => manager_only(who, 303),
        ("POST", "/account/password") => any_staff(422),
        ("GET", "/admin/users" | "/admin/users/new") => admin_only(200),
        ("POST", "/admin/users") => admin_only(303),
        // The account page and the confirmation pages of a role change (asked with the query
        // of `query_for`) and of a deactivation.
        (
            "GET",
            "/admin/users/{id}"
            | "/admin/users/{id}/role/confirm"
            | "/admin/users/{id}/deactivate/confirm",
        ) => admin_in_scope(200),
        (
            "POST",
            "/admin/users/{id}/role"
            | "/admin/users/{id}/deactivate"
            | "/admin/users/{id}/reactivate"
            | "/admin/users/{id}/reset-password"
            | "/admin/users/{id}/unlock",
        ) => admin_in_scope(303),
        ("GET", "/participants") | ("POST", "/participants/search") => participant_staff(200),
        ("GET", "/participants/new") => keepers(200),
        // The manager reassigns ticked participants (posted without confirmation: the review).
        ("POST", "/participants/reassign") => match who {
            Principal::Staff(Role::Manager) => 200,
            Principal::Staff(_) => 403,
            _ => TO_LOGIN,
        },
        ("POST", "/participants") => keepers(303),
        // The file: open to everyone whose scope includes the participant (the fixture is the
        // social worker's own, active and in the instructor's workshop), 404 elsewhere.
        ("GET", "/participants/{id}" | "/participants/{id}/print") => {
            participant_in_scope(who, scope, WORKERS, 200)
        }
        // Anyone who opens the file may add a note (posted empty here: 422, nothing written).
        ("GET", "/participants/{id}/notes/new") => participant_in_scope(who, scope, WORKERS, 200),
        ("POST", "/participants/{id}/notes") => participant_in_scope(who, scope, WORKERS, 422),
        // Only its author corrects a note (the fixture's team note is the manager's; the others
        // who read it are refused).
        ("GET", "/participants/{id}/notes/{note}/correction") => {
            participant_in_scope(who, scope, &[Role::Manager], 200)
        }
        ("POST", "/participants/{id}/notes/{note}/correction") => {
            participant_in_scope(who, scope, &[Role::Manager], 422)
        }
        (
            "GET",
            "/participants/{id}/edit"
            | "/participants/{id}/workshop"
            | "/participants/{id}/documents/new",
        ) => participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 200),
        ("POST", "/participants/{id}" | "/participants/{id}/documents") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 303)
        }
        // Re-posting the current workshop is refused with a message (nothing changes).
        ("POST", "/participants/{id}/workshop") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 422)
        }
        (
            "GET",
            "/participants/{id}/status/{target}"
            | "/participants/{id}/extension"
            | "/participants/{id}/social-worker"
            | "/participants/{id}/access-log",
        ) => participant_in_scope(who, scope, &[Role::Manager], 200),
        // Termination and extension are posted without the required fields: 422, nothing changes.
        ("POST", "/participants/{id}/status/{target}" | "/participants/{id}/extension") => {
            participant_in_scope(who, scope, &[Role::Manager], 422)
        }
        ("POST", "/participants/{id}/social-worker") => {
            participant_in_scope(who, scope, &[Role::Manager], 303)
        }
        // The IPZS. The fixture's programme is in realization, signed, with a scan; authored by
        // the participant's social worker. Whoever opens the file is sent on to it.
        ("GET", "/participants/{id}/ipzs") => participant_in_scope(who, scope, WORKERS, 303),
        // The caseworker starts a programme (there is one already: sent to it).
        ("POST", "/participants/{id}/ipzs") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 303)
        }
        // The programme's readers: not the instructor (the diagnosis may reveal health data).
        (
            "GET",
            "/ipzs/{id}"
            | "/ipzs/{id}/versions/{number}"
            | "/ipzs/{id}/versions/{number}/print"
            | "/ipzs/{id}/diff"
            | "/ipzs/{id}/scans/{scan}"
            | "/ipzs/{id}/monitoring",
        ) => participant_in_scope(who, scope, READERS, 200),
        // A monitoring entry posted empty: 422, nothing written.
        ("POST", "/ipzs/{id}/monitoring") => participant_in_scope(who, scope, READERS, 422),
        // Editing, submitting: the caseworker, but a programme in realization is not a draft.
        ("GET", "/ipzs/{id}/edit") | ("POST", "/ipzs/{id}/edit" | "/ipzs/{id}/submit") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 409)
        }
        // An amendment without its reason: 422, no new version.
        ("POST", "/ipzs/{id}/amend") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 422)
        }
        // The manager's review: a return without a comment is 422; nothing to approve (409).
        ("POST", "/ipzs/{id}/return") => participant_in_scope(who, scope, &[Role::Manager], 422),
        ("POST", "/ipzs/{id}/approve") => participant_in_scope(who, scope, &[Role::Manager], 409),
        // Signatures: the manager or the caseworker; the programme is signed already (409). A
        // scan posted as an ordinary form is not an upload (400).
        ("POST", "/ipzs/{id}/signatures") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 409)
        }
        ("POST", "/ipzs/{id}/scans") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 400)
        }
        // Everyone who opens the file reads some kind of opinion (the fixture's open request
        // is the instructor's, a kind everyone reads); its keepers request (posted empty: 422).
        ("GET", "/participants/{id}/opinions" | "/opinions/{id}") => {
            participant_in_scope(who, scope, WORKERS, 200)
        }
        ("POST", "/participants/{id}/opinions") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 422)
        }
        // Only the colleague it was requested from writes (a draft: 303) and signs off (asked
        // first: the confirmation page); the keepers withdraw (asked first too).
        ("POST", "/opinions/{id}") => participant_in_scope(who, scope, &[Role::Instructor], 303),
        ("POST", "/opinions/{id}/sign-off") => {
            participant_in_scope(who, scope, &[Role::Instructor], 200)
        }
        ("POST", "/opinions/{id}/withdraw") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 200)
        }
        // The social contract. The fixture's contract runs (in realization, signed by the
        // manager and the client, with a scan, no evaluation yet); its caseworker drafted it.
        // The instructor sees the file but no contract: the participant's list is not there
        // (404), a contract of the file is refused (403, audited).
        ("GET", "/participants/{id}/contracts") => match (who, scope) {
            (Principal::Staff(Role::Instructor), Scope::Own) => 404,
            _ => participant_in_scope(who, scope, READERS, 200),
        },
        // The caseworker starts one (one is open already: 409, nothing created).
        ("POST", "/participants/{id}/contracts") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 409)
        }
        (
            "GET",
            "/contracts/{id}"
            | "/contracts/{id}/versions/{number}"
            | "/contracts/{id}/versions/{number}/print"
            | "/contracts/{id}/diff"
            | "/contracts/{id}/scans/{scan}",
        ) => participant_in_scope(who, scope, READERS, 200),
        // Part II is not written yet: nothing to print for its readers.
        ("GET", "/contracts/{id}/evaluation/print") => {
            participant_in_scope(who, scope, READERS, 404)
        }
        // Editing and submitting: the caseworker, but a running contract is not a draft (409).
        ("GET", "/contracts/{id}/edit")
        | ("POST", "/contracts/{id}/edit" | "/contracts/{id}/submit") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 409)
        }
        // An amendment without its reason: 422, no new version.
        ("POST", "/contracts/{id}/amend") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 422)
        }
        // A renewal needs an approved evaluation with new goals (409); only the caseworker
        // starts one.
        ("POST", "/contracts/{id}/renew") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 409)
        }
        // Closing a contract the client never signed: the manager's; posted without a reason,
        // 422 (the fixture's contract is signed: with a reason it would be 409).
        ("POST", "/contracts/{id}/close") => {
            participant_in_scope(who, scope, &[Role::Manager], 422)
        }
        // The manager's review: a return without a comment is 422; nothing to accept, and the
        // centre signed already (409).
        ("POST", "/contracts/{id}/return" | "/contracts/{id}/evaluation/return") => {
            participant_in_scope(who, scope, &[Role::Manager], 422)
        }
        (
            "POST",
            "/contracts/{id}/approve"
            | "/contracts/{id}/sign-centre"
            | "/contracts/{id}/evaluation/approve",
        ) => participant_in_scope(who, scope, &[Role::Manager], 409),
        // The client's signature: the manager or the caseworker; signed already (409). A scan
        // posted as an ordinary form is not an upload (400).
        ("POST", "/contracts/{id}/sign-client") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 409)
        }
        ("POST", "/contracts/{id}/scans") => {
            participant_in_scope(who, scope, &[Role::Manager, Role::SocialWorker], 400)
        }
        // The realization and Part II: the caseworker's alone (the others read only). Forms
        // posted empty: 422, nothing written; no Part II to submit yet (409).
        ("GET", "/contracts/{id}/realization" | "/contracts/{id}/evaluation") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 200)
        }
        (
            "POST",
            "/contracts/{id}/records" | "/contracts/{id}/monitoring" | "/contracts/{id}/evaluation",
        ) => participant_in_scope(who, scope, &[Role::SocialWorker], 422),
        ("POST", "/contracts/{id}/evaluation/submit") => {
            participant_in_scope(who, scope, &[Role::SocialWorker], 409)
        }
        _ => {
            return crate::authz_workshops::expected(method, path, who, scope)
                .or_else(|| crate::authz_attendance::expected(method.as_str(), path, who, scope))
                .or_else(|| crate::authz_benefits::expected(method, path, who, scope))
                .or_else(|| crate::authz_follow_ups::expected(method.as_str(), path, who, scope))
                .or_else(|| crate::authz_reports::expected(method.as_str(), path, who, scope))
                .or_else(|| crate::authz_retention::expected(method.as_str(), path, who, scope))
                .or_else(|| {
                    crate::authz_subject_access::expected(method.as_str(), path, who, scope)
                })
                .or_else(|| crate::authz_audit::expected(method.as_str(), path, who, scope))
                .or_else(|| crate::authz_annual::expected(method.as_str(), path, who, scope));
        }
    })
}

/// The manager gets `ok`, other staff 403, anyone else the login page.
pub(crate) fn manager_only(who: Principal, ok: u16) -> u16 {
    match who {
        Principal::Staff(Role::Manager) => ok,
        Principal::Staff(_) => 403,
        _ => 303,
    }
}

/// Roles that work with participants (everyone but the administrator and the data-protection
/// officer).
pub(crate) fn participant_staff_roles(who: Principal, ok: u16) -> u16 {
    match who {
        Principal::Staff(Role::Admin | Role::Dpo) => 403,
        Principal::Staff(_) => ok,
        _ => 303,
    }
}

/// Inside the participant's centre and scope: the allowed roles get `ok`, the others 403, and
/// whoever cannot see the file at all (the administrator, the data-protection officer, anyone
/// of another centre) 404.
pub(crate) fn participant_in_scope(who: Principal, scope: Scope, allowed: &[Role], ok: u16) -> u16 {
    match (who, scope) {
        (Principal::Staff(_), Scope::Other) | (Principal::Staff(Role::Admin | Role::Dpo), _) => 404,
        (Principal::Staff(role), Scope::Own) if allowed.contains(&role) => ok,
        (Principal::Staff(_), Scope::Own) => 403,
        _ => 303,
    }
}

/// A data-protection read of one participant (the subject-access export, the data history, a
/// file's retention): the manager within their scope, and the data-protection officer, who
/// reaches every participant of their centre for these alone; others as `participant_in_scope`.
pub(crate) fn data_protection_read(who: Principal, scope: Scope, ok: u16) -> u16 {
    match (who, scope) {
        (Principal::Staff(Role::Dpo), Scope::Own) => ok,
        _ => participant_in_scope(who, scope, &[Role::Manager], ok),
    }
}

/// The version of a staff account (a role change names the version it was asked at).
async fn staff_version(app: &TestApp, login: &str) -> i32 {
    sqlx::query_scalar("select version from staff_user where login = $1")
        .bind(login)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The query a GET route needs to answer 200 for an allowed principal (a confirmation page is
/// asked about a change).
async fn query_for(app: &TestApp, path: &str, target_login: &str) -> String {
    match path {
        "/admin/users/{id}/role/confirm" => format!(
            "?role=career_advisor&version={}",
            staff_version(app, target_login).await
        ),
        _ => String::new(),
    }
}

/// Form fields a route needs (besides the token) to succeed for an allowed principal.
async fn body_for(
    app: &TestApp,
    path: &str,
    target_login: &str,
    participant: uuid::Uuid,
    n: usize,
) -> Vec<(String, String)> {
    let scalar = |sql: &'static str| {
        sqlx::query_scalar::<_, Option<String>>(sql)
            .bind(participant)
            .fetch_one(&app.db)
    };
    match path {
        "/login" => vec![
            ("login".into(), "admin".into()),
            ("password".into(), "nie to hasło".into()),
        ],
        "/admin/users" => vec![
            ("login".into(), format!("matrix.{n}")),
            ("full_name".into(), "Konto Z Macierzy".into()),
            ("role".into(), "instructor".into()),
        ],
        "/admin/users/{id}/role" => vec![
            ("role".into(), "career_advisor".into()),
            (
                "version".into(),
                staff_version(app, target_login).await.to_string(),
            ),
            ("confirm".into(), "tak".into()),
        ],
        "/admin/users/{id}/deactivate" => vec![("confirm".into(), "tak".into())],
        "/login/code" | "/account/second-factor" => vec![("code".into(), String::new())],
        "/admin/users/{id}/second-factor/reset" => vec![("confirm".into(), "tak".into())],
        "/account/password" => vec![
            ("current_password".into(), String::new()),
            ("new_password".into(), String::new()),
            ("new_password_confirm".into(), String::new()),
        ],
        "/participants/search" => vec![("q".into(), "Macierz".into())],
        "/participants/reassign" => vec![(format!("p_{participant}"), "on".into())],
        "/participants" => registration(
            "Rejestrowana",
            "Ewa",
            &pesel(1985, 3, 1, n as u32, true),
            &[],
        ),
        "/participants/{id}" => {
            let version = scalar("select version::text from participant where participant_id = $1")
                .await
                .unwrap()
                .unwrap_or_default();
            let current = scalar("select pesel from participant where participant_id = $1")
                .await
                .unwrap()
                .unwrap_or_default();
            let mut fields = registration("Macierzowa", "Jan", &current, &[]);
            fields.push(("version".into(), version));
            fields
        }
        "/participants/{id}/status/{target}" => {
            vec![
                ("date".into(), String::new()),
                ("reason".into(), String::new()),
            ]
        }
        "/participants/{id}/notes" | "/participants/{id}/notes/{note}/correction" => {
            ["noted_on", "kind", "topic", "body", "visibility"]
                .map(|f| (f.to_owned(), String::new()))
                .to_vec()
        }
        "/participants/{id}/extension" => vec![
            ("decided_on".into(), String::new()),
            ("new_end".into(), String::new()),
            ("reason".into(), String::new()),
        ],
        "/ipzs/{id}/edit" => vec![("revision".into(), "1".into())],
        "/contracts/{id}/edit" => vec![
            ("revision".into(), "1".into()),
            ("version".into(), "1".into()),
        ],
        "/participants/{id}/social-worker" => vec![(
            "social_worker".into(),
            app.user_id("socjalny1").await.to_string(),
        )],
        "/participants/{id}/workshop" => {
            let current = scalar(
                "select workshop_id::text from workshop_membership \
                 where participant_id = $1 and member_until is null",
            )
            .await
            .unwrap()
            .unwrap_or_default();
            vec![
                ("workshop".into(), current),
                ("from".into(), "2026-11-01".into()),
            ]
        }
        "/participants/{id}/opinions" => vec![
            ("kind".into(), String::new()),
            ("author".into(), String::new()),
        ],
        "/opinions/{id}" | "/opinions/{id}/sign-off" => {
            let revision = scalar(
                "select revision::text from opinion where participant_id = $1 and status = 'requested'",
            )
            .await
            .unwrap()
            .unwrap_or_default();
            let mut fields = vec![("revision".into(), revision)];
            if path == "/opinions/{id}" {
                fields.push(("skills".into(), "Obsługuje sprzęt kuchenny.".into()));
                fields.push(("readiness".into(), "Punktualny.".into()));
            }
            fields
        }
        "/participants/{id}/documents" => vec![
            ("kind".into(), "environmental_interview".into()),
            ("document_date".into(), "2026-11-02".into()),
            (
                "content".into(),
                "Wywiad przeprowadzony w miejscu zamieszkania.".into(),
            ),
        ],
        _ => crate::authz_workshops::body_for(path, participant),
    }
}

async fn sign_in(app: &TestApp, who: Principal) -> Option<Session> {
    match who {
        Principal::Anonymous | Principal::PasswordOnly => None,
        Principal::Staff(role) => Some(app.login(login_for(role)).await),
        Principal::Deactivated => {
            let session = app.login("doradca").await;
            sqlx::query("update staff_user set active = false where login = 'doradca'")
                .execute(&app.db)
                .await
                .unwrap();
            Some(session)
        }
    }
}

async fn denied_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from audit_event where outcome = 'denied'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_route_answers_every_principal_as_the_matrix_says() {
    let routes = teczka::server::table();
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| expected(m, p, Principal::Anonymous, Scope::Own).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix entry: {missing:?}"
    );

    let mut principals = vec![
        Principal::Anonymous,
        Principal::Deactivated,
        Principal::PasswordOnly,
    ];
    principals.extend(Role::ALL.map(Principal::Staff));
    let mut failures = Vec::new();
    let mut checked = 0;
    for who in principals {
        let app = spawn_app().await;
        let workshop = app
            .workshop(CENTRE_A, "Gastronomiczna", Some("instruktor"))
            .await;
        let own_participant = app
            .fixture_participant(CENTRE_A, "Macierzowa", Some("socjalny1"), Some(workshop))
            .await;
        let other_workshop = app
            .workshop(CENTRE_B, "Gastronomiczna", Some("instruktor2"))
            .await;
        let other_participant = app
            .fixture_participant(
                CENTRE_B,
                "Obcowska",
                Some("socjalny3"),
                Some(other_workshop),
            )
            .await;
        // A team note on each file, written by the centre's manager.
        let own_note = app.note(own_participant, "kierownik", "team").await;
        let other_note = app.note(other_participant, "kierownik2", "team").await;
        let own_programme = programme(&app, own_participant, "socjalny1").await;
        let other_programme = programme(&app, other_participant, "socjalny3").await;
        let own_contract = contract(&app, own_participant, "socjalny1").await;
        let other_contract = contract(&app, other_participant, "socjalny3").await;
        // An open request for the instructor's opinion on each file, with its text written.
        let last_day = crate::attendance::last_working_day(&app).await;
        let previous_month = (crate::helpers::today(&app).await.replace_day(1).unwrap()
            - time::Duration::days(1))
        .replace_day(1)
        .unwrap();
        let own_opinion = crate::opinions::fixture_opinion(
            &app,
            own_participant,
            "instructor",
            "instruktor",
            "socjalny1",
            false,
        )
        .await;
        let other_opinion = crate::opinions::fixture_opinion(
            &app,
            other_participant,
            "instructor",
            "instruktor2",
            "socjalny3",
            false,
        )
        .await;
        let mut session = sign_in(&app, who).await;
        let pending = if who == Principal::PasswordOnly {
            crate::second_factor::enrol(&app, "kierownik", crate::second_factor::SECRET).await;
            Some(
                crate::second_factor::password_step(&app, "kierownik")
                    .await
                    .0,
            )
        } else {
            None
        };
        for (n, (method, pattern)) in routes.iter().enumerate() {
            let scopes: &[Scope] = if pattern.contains("{id}") || pattern.contains("{workshop}") {
                &[Scope::Own, Scope::Other]
            } else {
                &[Scope::Own]
            };
            for &scope in scopes {
                // Targets: a social worker of the principal's centre and one of the other centre.
                let target_login = if scope == Scope::Own {
                    "socjalny2"
                } else {
                    "socjalny3"
                };
                let participant = if scope == Scope::Own {
                    own_participant
                } else {
                    other_participant
                };
                let (document, scan) = match (scope, pattern.starts_with("/contracts/")) {
                    (Scope::Own, false) => own_programme,
                    (Scope::Other, false) => other_programme,
                    (Scope::Own, true) => own_contract,
                    (Scope::Other, true) => other_contract,
                };
                let target =
                    if pattern.starts_with("/participants/") || pattern.starts_with("/benefits/") {
                        participant
                    } else if pattern.starts_with("/ipzs/") || pattern.starts_with("/contracts/") {
                        document
                    } else if pattern.starts_with("/workshops/") {
                        if scope == Scope::Own {
                            workshop
                        } else {
                            other_workshop
                        }
                    } else if pattern.starts_with("/opinions/") {
                        if scope == Scope::Own {
                            own_opinion
                        } else {
                            other_opinion
                        }
                    } else {
                        app.user_id(target_login).await
                    };
                let note = if scope == Scope::Own {
                    own_note
                } else {
                    other_note
                };
                let path = pattern
                    .replace("{id}", &target.to_string())
                    .replace("{note}", &note.to_string())
                    .replace("{*path}", "css/app.css")
                    .replace("{target}", "terminated")
                    .replace("{number}", "1")
                    .replace("{scan}", &scan.to_string())
                    .replace(
                        "{workshop}",
                        &(if scope == Scope::Own {
                            workshop
                        } else {
                            other_workshop
                        })
                        .to_string(),
                    )
                    .replace("{day}", &iso(last_day))
                    .replace(
                        "{month}",
                        &format!(
                            "{}-{:02}",
                            previous_month.year(),
                            u8::from(previous_month.month())
                        ),
                    );
                let fields = body_for(&app, pattern, target_login, participant, n).await;
                let denied_before = denied_count(&app).await;
                let refs: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let response = if let Some(token) = &pending {
                    let query = query_for(&app, pattern, target_login).await;
                    let path = format!("{path}{query}");
                    crate::second_factor::as_pending(&app, method.clone(), &path, token, &refs)
                        .await
                } else if *method == Method::GET {
                    let query = query_for(&app, pattern, target_login).await;
                    app.get(&format!("{path}{query}"), session.as_ref()).await
                } else if pattern.starts_with("/login") {
                    // The login steps take no synchronizer token (there is no session yet).
                    // The login form carries no synchronizer token (there is no session yet).
                    app.post_raw(&path, session.as_ref(), &refs).await
                } else {
                    app.post(&path, session.as_ref(), &refs).await
                };
                let want = expected(method, pattern, who, scope).unwrap();
                let got = response.status().as_u16();
                checked += 1;
                if got != want {
                    failures.push(format!(
                        "{who:?} {scope:?} {method} {pattern}: expected {want}, got {got}"
                    ));
                }
                if got == 303
                    && want == 303
                    && !matches!(who, Principal::Staff(_))
                    && *pattern != "/login"
                {
                    let to = location(&response);
                    if !to.starts_with("/login") {
                        failures.push(format!(
                            "{who:?} {method} {pattern}: redirected to {to}, not /login"
                        ));
                    }
                }
                if got == StatusCode::FORBIDDEN.as_u16()
                    && denied_count(&app).await != denied_before + 1
                {
                    failures.push(format!(
                        "{who:?} {method} {pattern}: the denial was not audited"
                    ));
                }
                if *pattern == "/logout" && matches!(who, Principal::Staff(_)) {
                    // Logging out ended the session; sign in again for the remaining routes.
                    session = sign_in(&app, who).await;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
