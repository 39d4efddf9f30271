//! The recruitment file (seed 001): each document is a dated record with its author; the file
//! page shows which are missing.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::access;
use super::db;
use super::model::DocumentKind;
use super::record::Record;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::{self, dates};
use crate::web::extract::SecureForm;
use crate::web::forms::{Choice, FieldErrors, choices, past_date};
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// The document form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DocumentForm {
    kind: String,
    document_date: String,
    content: String,
}

#[derive(Template)]
#[template(path = "participants/document.html")]
struct DocumentPage {
    layout: Layout,
    id: Uuid,
    name: String,
    kinds: Vec<Choice>,
    form: DocumentForm,
    errors: FieldErrors,
}

fn document_page(
    state: &AppState,
    user: &CurrentUser,
    record: &Record,
    form: DocumentForm,
    errors: FieldErrors,
) -> DocumentPage {
    DocumentPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Dokument rekrutacyjny: {}", record.name()),
            "/participants",
        ),
        id: record.participant_id,
        name: record.name(),
        kinds: choices::<DocumentKind>(&form.kind),
        form,
        errors,
    }
}

/// `?kind=` pre-selects the document being added.
#[derive(Debug, Default, Deserialize)]
pub(super) struct DocumentQuery {
    #[serde(default)]
    kind: String,
}

/// `GET /participants/{id}/documents/new`.
pub(super) async fn document_form(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(query): Query<DocumentQuery>,
) -> Result<Response> {
    let record = access::load(&state, &user, id, Action::AddRecruitmentDocument).await?;
    let form = DocumentForm {
        kind: DocumentKind::from_code(&query.kind)
            .map(|k| k.code().to_owned())
            .unwrap_or_default(),
        document_date: dates::iso(state.today()),
        content: String::new(),
    };
    render(&document_page(
        &state,
        &user,
        &record,
        form,
        FieldErrors::new(),
    ))
}

/// `POST /participants/{id}/documents`.
pub(super) async fn add_document(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    SecureForm(form): SecureForm<DocumentForm>,
) -> Result<Response> {
    let (mut tx, record) = access::lock(&state, &user, id, Action::AddRecruitmentDocument).await?;
    let mut errors = FieldErrors::new();
    let kind = errors.take(
        "kind",
        DocumentKind::from_code(&form.kind).ok_or_else(|| "Wybierz rodzaj dokumentu.".to_owned()),
    );
    let date = errors.take(
        "document_date",
        past_date(&form.document_date, state.today()),
    );
    let content = errors.take("content", validate::required_text(&form.content, 4000));
    let (Some(kind), Some(date), Some(content)) = (kind, date, content) else {
        drop(tx);
        let page = document_page(&state, &user, &record, form, errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let document = db::add_document(
        &mut *tx,
        user.centre_id,
        id,
        kind,
        date,
        &content,
        user.user_id,
    )
    .await?;
    let event = access::done(Action::AddRecruitmentDocument, id)
        .on("recruitment_document", document)
        .detail(kind.code());
    access::finish(tx, &user, id, event, &format!("Dodano: {}.", kind.label())).await
}
