//! The scan of a signed document, any kind: uploaded by whoever records the signatures (a PDF,
//! JPEG or PNG up to 10 MB, told by its first bytes: anything else is 415, a larger file 413,
//! nothing stored), downloaded as an attachment by whoever reads the document, every download
//! audited. A kind's routes call [`upload`] and [`download`] with its [`Kind`].

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::access::{self, Kind};
use super::paper::{self, SCAN_LIMIT, ScanType};
use super::step;
use super::workflow::DocStatus;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::Action;
use crate::auth::policy::Gate;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::extract::{CSRF_FIELD, verify_token};
use crate::web::finish::finish;
use crate::web::path::{IdPairPath, IdPath};
use crate::web::route::Route;

/// A kind's two scan routes: `upload` (`{base}/{id}/scans`, multipart, with the upload's body
/// limit) and `download` (`{base}/{id}/scans/{scan}`), behind the participant-file gate.
pub fn routes(kind: &'static Kind, upload: &'static str, download: &'static str) -> [Route; 2] {
    [
        Route::post(
            upload,
            Gate::ParticipantFile,
            move |State(state): State<AppState>,
                  user: CurrentUser,
                  IdPath(id): IdPath,
                  request: Request| async move {
                self::upload(&state, &user, kind, id, request).await
            },
        )
        .with_body_limit(UPLOAD_LIMIT),
        Route::get(
            download,
            Gate::ParticipantFile,
            move |State(state): State<AppState>,
                  user: CurrentUser,
                  IdPairPath(id, scan): IdPairPath| async move {
                self::download(&state, &user, kind, id, scan).await
            },
        )
        // A signed document, as a file: a download like the lists.
        .export(),
    ]
}

/// The body limit of the upload route: the scan and the form's few small fields.
pub const UPLOAD_LIMIT: usize = SCAN_LIMIT + 64 * 1024;

/// What the upload form posted.
#[derive(Default)]
struct Upload {
    token: String,
    version: Option<i32>,
    file_name: String,
    content: Vec<u8>,
}

fn unreadable() -> AppError {
    AppError::bad_request("Nie udało się odczytać przesłanego pliku. Spróbuj ponownie.")
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload> {
    let mut upload = Upload::default();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        match field.name().unwrap_or_default() {
            CSRF_FIELD => upload.token = field.text().await.map_err(|_| unreadable())?,
            "version" => {
                upload.version = field
                    .text()
                    .await
                    .map_err(|_| unreadable())?
                    .trim()
                    .parse()
                    .ok()
            }
            "scan" => {
                upload.file_name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).trim().to_owned())
                    .unwrap_or_default();
                while let Some(chunk) =
                    field.chunk().await.map_err(|_| AppError::PayloadTooLarge)?
                {
                    if upload.content.len() + chunk.len() > SCAN_LIMIT {
                        return Err(AppError::PayloadTooLarge);
                    }
                    upload.content.extend_from_slice(&chunk);
                }
            }
            _ => return Err(AppError::bad_request("Formularz zawiera nieznane pole.")),
        }
    }
    Ok(upload)
}

/// `POST {base}/{id}/scans` (multipart): stores the scan of a signed version.
pub async fn upload(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    request: Request,
) -> Result<Response> {
    // The policy first: nobody else's upload is read at all.
    access::found(state, user, kind, id, Action::SignDocument).await?;
    let multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| AppError::bad_request("Prześlij plik formularzem z polem pliku."))?;
    let upload = read_upload(multipart).await?;
    let action = format!("{}/{id}/scans", kind.base);
    verify_token(state, user, &action, &upload.token).await?;
    let (mut tx, d) = step::lock(state, user, kind, id, Action::SignDocument).await?;
    if d.status == DocStatus::Closed {
        return Err(AppError::conflict(
            "Dokument jest zamknięty: nie dołącza się już skanów.",
        ));
    }
    let version = upload.version.unwrap_or(d.version);
    let signed = sqlx::query_scalar!(
        "select exists (select 1 from document_signature where document_id = $1 and version = $2)",
        id,
        version
    )
    .fetch_one(&mut *tx)
    .await?
    .unwrap_or(false);
    if !signed {
        return Err(AppError::conflict(
            "Skan dołącza się do wersji, której podpisy zostały już zapisane.",
        ));
    }
    if upload.content.is_empty() {
        return Err(AppError::bad_request(
            "Wybierz plik ze skanem (PDF, JPEG lub PNG).",
        ));
    }
    let Some(scan_type) = ScanType::sniff(&upload.content) else {
        return Err(AppError::UnsupportedMediaType);
    };
    let name = if upload.file_name.is_empty() || upload.file_name.chars().count() > 200 {
        format!(
            "{}-wersja-{version}.{}",
            kind.file_stem,
            scan_type.extension()
        )
    } else {
        upload.file_name
    };
    let scan = paper::add_scan(
        &mut tx,
        user.centre_id,
        id,
        version,
        scan_type,
        &name,
        &upload.content,
        user.user_id,
    )
    .await?;
    let audit = AuditEvent::new("document.scan.upload", Outcome::Success)
        .on("document", id)
        .participant(d.facts.participant.participant_id)
        .detail(format!(
            "scan:{scan},version:{version},bytes:{}",
            upload.content.len()
        ));
    let message = format!("Dołączono skan podpisanego {}.", kind.genitive);
    finish(tx, user, audit, &message, &kind.href(id)).await
}

/// `GET {base}/{id}/scans/{scan}`: the scan, as an attachment, audited.
pub async fn download(
    state: &AppState,
    user: &CurrentUser,
    kind: &Kind,
    id: Uuid,
    scan: Uuid,
) -> Result<Response> {
    let detail = format!("scan:{scan}");
    // An unknown scan: nothing shown, nothing audited.
    let (_, (media_type, _, content)) = access::read(
        state,
        user,
        kind,
        id,
        Action::ViewDocument,
        &detail,
        async |tx, _| {
            paper::scan(&mut *tx, id, scan)
                .await?
                .ok_or(AppError::NotFound)
        },
    )
    .await?;
    let scan_type = ScanType::sniff(&content).unwrap_or(ScanType::Pdf);
    let disposition = format!(
        "attachment; filename=\"{}-{}.{}\"",
        kind.file_stem,
        short(id),
        scan_type.extension()
    );
    let mut response = (StatusCode::OK, content).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type).map_err(|_| AppError::NotFound)?,
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|_| AppError::NotFound)?,
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn short(id: Uuid) -> String {
    id.simple().to_string()[..8].to_owned()
}
