//! The document engine's one transaction for every workflow step (`documents::step::take`),
//! driven through a route of the test's own on the real layer stack, against the real schema:
//! policy, status machine with segregation of duties, guarded update, history, audit, frozen
//! versions.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use reqwest::StatusCode;
use serde::Deserialize;
use teczka::auth::session::CurrentUser;
use teczka::documents::db::{self as documents, DocumentKind};
use teczka::documents::step;
use teczka::documents::version::Sections;
use teczka::documents::workflow::Step;
use teczka::state::AppState;
use teczka::web::extract::SecureForm;
use uuid::Uuid;

use crate::helpers::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepForm {
    #[serde(default)]
    text: String,
}

/// `POST /test/documents/{id}/{step}`: what a document kind's handler does.
async fn take_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(Uuid, String)>,
    SecureForm(form): SecureForm<StepForm>,
) -> teczka::error::Result<Response> {
    let step = match code.as_str() {
        "submit" => Step::Submit,
        "return" => Step::Return { comment: form.text },
        "approve" => Step::Approve,
        "sign" => Step::Sign,
        "start" => Step::StartRealization,
        _ => Step::Close { reason: form.text },
    };
    // A document of the IPZS's kind; the step leads back to its page.
    step::take(&state, &user, &teczka::ipzs::KIND, id, step).await
}

/// The app's layers around the test route, served on its own port.
async fn serve_steps(app: &TestApp) -> String {
    let router: Router = teczka::server::with_layers(
        // Through the route kit, gate included, like every route of the app (the gate also
        // scopes the handler's database work to the user's centre).
        Router::new().route(
            "/test/documents/{id}/{step}",
            teczka::web::route::Route::post(
                "/test/documents/{id}/{step}",
                teczka::auth::policy::Gate::Staff,
                take_step,
            )
            .into_method_router(&app.state),
        ),
        app.state.clone(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

async fn post_step(
    base: &str,
    session: &Session,
    id: Uuid,
    step: &str,
    text: &str,
) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/test/documents/{id}/{step}"))
        .header("cookie", format!("__Host-teczka_sid={}", session.token))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[("text", text), ("csrf_token", &session.csrf)]))
        .send()
        .await
        .unwrap()
}

async fn new_document(app: &TestApp, participant: Uuid, author: &str) -> Uuid {
    let centre: Uuid =
        sqlx::query_scalar("select centre_id from participant where participant_id = $1")
            .bind(participant)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let author = app.user_id(author).await;
    let sections = Sections::new()
        .with("diagnosis", "Długotrwałe bezrobocie, motywacja do zmiany.")
        .with("goals", "Podjęcie zatrudnienia w gastronomii.");
    let mut conn = app.db.acquire().await.unwrap();
    documents::create(
        &mut conn,
        centre,
        participant,
        DocumentKind::Ipzs,
        author,
        &sections,
    )
    .await
    .unwrap()
}

async fn status(app: &TestApp, id: Uuid) -> (String, String) {
    sqlx::query_as(
        "select d.status::text, v.status::text from document d
         join document_version v on v.document_id = d.document_id and v.number = d.current_version
         where d.document_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_document_goes_from_draft_to_closed_each_step_by_whom_the_policy_names() {
    let app = spawn_app().await;
    let base = serve_steps(&app).await;
    let participant = app
        .fixture_participant(CENTRE_A, "Programowa", Some("socjalny1"), None)
        .await;
    let id = new_document(&app, participant, "socjalny1").await;
    let worker = app.login("socjalny1").await;
    let colleague = app.login("socjalny2").await;
    let manager = app.login("kierownik").await;
    let elsewhere = app.login("kierownik2").await;
    let back = format!("/ipzs/{id}");

    // Outside the scope the document does not exist; the wrong role is refused; refusals in
    // the centre are audited (another centre's id is simply unknown there).
    assert_eq!(
        post_step(&base, &colleague, id, "submit", "")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_step(&base, &elsewhere, id, "submit", "")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_step(&base, &worker, id, "approve", "").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.audit_count("document.approve", Some("denied")).await, 1);
    assert_eq!(app.audit_count("document.submit", Some("denied")).await, 1);

    // A step from the wrong status answers 409 and changes nothing.
    assert_eq!(
        post_step(&base, &manager, id, "approve", "").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(status(&app, id).await, ("draft".into(), "draft".into()));

    assert_redirect(&post_step(&base, &worker, id, "submit", "").await, &back);
    // Returning needs a comment.
    let blank = post_step(&base, &manager, id, "return", "   ").await;
    assert_eq!(blank.status(), StatusCode::CONFLICT);
    assert!(
        blank
            .text()
            .await
            .unwrap()
            .contains("Podaj, co trzeba poprawić")
    );
    assert_redirect(
        &post_step(&base, &manager, id, "return", "Dopisz harmonogram.").await,
        &back,
    );
    assert_eq!(status(&app, id).await, ("draft".into(), "draft".into()));
    assert_redirect(&post_step(&base, &worker, id, "submit", "").await, &back);
    assert_redirect(&post_step(&base, &manager, id, "approve", "").await, &back);
    assert_eq!(
        status(&app, id).await,
        ("approved".into(), "approved".into())
    );

    // The approved version is frozen, for everyone, in the database too.
    let rewrite = sqlx::query(
        "update document_version set sections = '[[\"goals\", \"inne\"]]' where document_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await;
    assert!(rewrite.unwrap_err().to_string().contains("frozen"));

    // The same step posted twice at once: exactly one takes effect.
    let (a, b) = tokio::join!(
        post_step(&base, &manager, id, "sign", ""),
        post_step(&base, &manager, id, "sign", "")
    );
    let mut statuses = vec![a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![303, 409]);

    assert_redirect(&post_step(&base, &worker, id, "start", "").await, &back);
    assert_eq!(
        post_step(&base, &worker, id, "close", "Koniec")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_redirect(
        &post_step(
            &base,
            &manager,
            id,
            "close",
            "Udział zakończony – absolwent.",
        )
        .await,
        &back,
    );
    assert_eq!(status(&app, id).await, ("closed".into(), "closed".into()));

    // The history: every step, in order, with who took it and why.
    let history: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "select e.step, e.from_status::text, e.to_status::text, u.login, e.comment
         from document_event e join staff_user u on u.staff_user_id = e.decided_by
         where e.document_id = $1 order by e.occurred_at",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let steps: Vec<(&str, &str, &str, &str)> = history
        .iter()
        .map(|(s, f, t, u, _)| (s.as_str(), f.as_str(), t.as_str(), u.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("submit", "draft", "submitted", "socjalny1"),
            ("return", "submitted", "draft", "kierownik"),
            ("submit", "draft", "submitted", "socjalny1"),
            ("approve", "submitted", "approved", "kierownik"),
            ("sign", "approved", "signed", "kierownik"),
            ("start_realization", "signed", "in_realization", "socjalny1"),
            ("close", "in_realization", "closed", "kierownik"),
        ]
    );
    assert_eq!(history[1].4.as_deref(), Some("Dopisz harmonogram."));
    assert_eq!(
        app.audit_count("document.approve", Some("success")).await,
        1
    );
    assert_eq!(app.audit_count("document.sign", Some("success")).await, 1);
}

#[tokio::test]
async fn the_author_never_approves_or_returns_their_own_document() {
    let app = spawn_app().await;
    let base = serve_steps(&app).await;
    let participant = app
        .fixture_participant(CENTRE_A, "Rozdzielna", Some("socjalny1"), None)
        .await;
    // The manager drafts a document themself: someone else must review it.
    let id = new_document(&app, participant, "kierownik").await;
    let manager = app.login("kierownik").await;
    assert_redirect(
        &post_step(&base, &manager, id, "submit", "").await,
        &format!("/ipzs/{id}"),
    );
    for (step, text) in [("approve", ""), ("return", "Popraw.")] {
        let refused = post_step(&base, &manager, id, step, text).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT, "{step}");
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("rozdział obowiązków")
        );
    }
    assert_eq!(
        status(&app, id).await,
        ("submitted".into(), "submitted".into())
    );
}
