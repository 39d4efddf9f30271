//! Reading a programme: its page (the current version, the opinions, the versions, the
//! signatures, the monitoring, the history and the one next step for the reader), one version,
//! and the comparison of two versions. Every read is audited.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::content::Programme;
use super::db::{self, Entry};
use super::view::{self, HistoryLine, Person, ProgrammeView, VersionRow};
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, Locked, StoredVersion};
use crate::documents::pages::{
    self, DiffQuery, ScanRow, SignatureRow, parse_version_path, signed_versions,
};
use crate::documents::paper::{self, ScanInfo, Signature};
use crate::documents::workflow::DocStatus;
use crate::error::{AppError, Result};
use crate::opinions::{self, OpinionSummary};
use crate::participants;
use crate::participants::lifecycle::RecruitmentFile;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// What the reader may do on the programme now (the policy's answers on this document).
#[derive(Debug, Clone, Default)]
pub struct Can {
    pub edit: bool,
    pub submit: bool,
    pub review: bool,
    pub sign: bool,
    pub amend: bool,
    pub monitor: bool,
    pub print: bool,
}

impl Can {
    /// `in_force`: a signed version binds (also while an amendment is drafted).
    fn of(user: &CurrentUser, d: &Locked, in_force: bool) -> Self {
        let may = |a: Action| policy::check(user.actor(), a, Target::Document(&d.facts)).is_ok();
        let is_author = d.facts.author_id == user.user_id;
        let running = matches!(d.status, DocStatus::Signed | DocStatus::InRealization);
        Can {
            edit: d.status == DocStatus::Draft && may(Action::EditDocument),
            submit: d.status == DocStatus::Draft && may(Action::SubmitDocument),
            review: d.status == DocStatus::Submitted && !is_author && may(Action::ApproveDocument),
            sign: d.status == DocStatus::Approved && may(Action::SignDocument),
            amend: running && may(Action::AmendDocument),
            monitor: in_force && d.status != DocStatus::Closed && may(Action::AddMonitoring),
            print: may(Action::PrintDocument),
        }
    }
}

/// The signatures form's values (shown again with its messages).
#[derive(Debug, Clone, Default)]
pub struct SignForm {
    pub participant_signed_on: String,
    pub manager_signed_on: String,
    pub documents_confirmed: bool,
}

#[derive(Template)]
#[template(path = "ipzs/show.html")]
pub struct ShowPage {
    pub layout: Layout,
    pub id: Uuid,
    pub person: Person,
    pub status: DocStatus,
    pub number: i32,
    pub in_force: Option<i32>,
    pub programme: ProgrammeView,
    pub opinions: Vec<OpinionSummary>,
    pub opinions_href: String,
    pub returned: Option<(String, String, String)>,
    pub versions: Vec<VersionRow>,
    pub base: &'static str,
    pub signatures: Vec<SignatureRow>,
    pub scans: Vec<ScanRow>,
    pub entries: Vec<Entry>,
    pub history: Vec<HistoryLine>,
    pub can: Can,
    /// The reader may attach a scan (there are signatures to attach it to).
    pub can_scan: bool,
    /// Signing the first version admits the participant.
    pub admits: bool,
    /// The recruitment file, when signing admits.
    pub recruitment: Option<RecruitmentFile>,
    pub sign_form: SignForm,
    pub errors: FieldErrors,
    /// What a submission still needs (after a refused submission).
    pub missing: FieldErrors,
}

impl ShowPage {
    fn entry_phase(&self, e: &Entry) -> &'static str {
        e.phase.label()
    }

    fn entry_date(&self, e: &Entry) -> String {
        dates::format(e.entry_on)
    }
}

/// Everything the programme page reads, in one transaction with its audit row.
pub struct Loaded {
    pub header: db::Header,
    pub versions: Vec<StoredVersion>,
    pub history: Vec<documents::HistoryRow>,
    pub signatures: Vec<Signature>,
    pub scans: Vec<ScanInfo>,
    pub entries: Vec<Entry>,
    pub opinions: Vec<OpinionSummary>,
    /// Before admission: the recruitment file the signatures' admission checks.
    pub recruitment: Option<RecruitmentFile>,
}

/// Reads programme `id` for its page (audited as `detail`).
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    detail: &str,
    with_opinions: bool,
    version: Option<i32>,
) -> Result<(Locked, Loaded)> {
    let centre = user.centre_id;
    super::read(
        state,
        user,
        id,
        Action::ViewDocument,
        detail,
        async |tx, d| {
            let participant = d.facts.participant.participant_id;
            // An unknown version: nothing shown, nothing audited.
            let versions = documents::versions(&mut *tx, id).await?;
            if version.is_some_and(|n| !versions.iter().any(|v| v.number == n)) {
                return Err(AppError::NotFound);
            }
            Ok(Loaded {
                header: db::header(&mut *tx, centre, participant)
                    .await?
                    .ok_or(AppError::NotFound)?,
                versions,
                history: documents::history(&mut *tx, id).await?,
                signatures: paper::signatures(&mut *tx, id).await?,
                scans: paper::scans(&mut *tx, id).await?,
                entries: db::entries(&mut *tx, id).await?,
                opinions: if with_opinions {
                    opinions::signed_off_read(&mut *tx, user, participant, "opinions:ipzs").await?
                } else {
                    Vec::new()
                },
                recruitment: if d.facts.participant.status == crate::domain::Status::Reserve {
                    Some(RecruitmentFile::load(&mut *tx, centre, participant).await?)
                } else {
                    None
                },
            })
        },
    )
    .await
}

/// The programme page of `d` as `loaded`, with the signatures form, its messages and what a
/// submission misses.
pub fn page(
    state: &AppState,
    user: &CurrentUser,
    d: &Locked,
    loaded: Loaded,
    sign_form: SignForm,
    errors: FieldErrors,
    missing: FieldErrors,
) -> ShowPage {
    let current = loaded
        .versions
        .iter()
        .find(|v| v.number == d.version)
        .map(|v| Programme::from_sections(&v.sections))
        .unwrap_or_default();
    let signed = signed_versions(&loaded.signatures);
    let versions = view::version_rows(&loaded.versions, &signed);
    let in_force = versions.iter().find(|v| v.in_force).map(|v| v.number);
    let person = Person::of(&loaded.header);
    ShowPage {
        layout: Layout::for_user(
            state,
            user,
            format!("IPZS: {}", person.name),
            "/participants",
        ),
        id: d.facts.document_id,
        base: super::KIND.base,
        status: d.status,
        number: d.version,
        in_force,
        programme: ProgrammeView::of(&current),
        opinions_href: opinions::opinions_href(person.id),
        opinions: loaded.opinions,
        returned: view::open_return(&loaded.history, d.status),
        versions,
        signatures: pages::signature_rows(&loaded.signatures, "Uczestnik"),
        scans: pages::scan_rows(&loaded.scans),
        entries: loaded.entries,
        history: view::history_lines(&loaded.history),
        can_scan: in_force.is_some()
            && d.status != DocStatus::Closed
            && policy::check(
                user.actor(),
                Action::SignDocument,
                Target::Document(&d.facts),
            )
            .is_ok(),
        can: Can::of(user, d, in_force.is_some()),
        admits: d.version == 1 && loaded.recruitment.is_some(),
        recruitment: loaded.recruitment.filter(|_| d.version == 1),
        person,
        sign_form,
        errors,
        missing,
    }
}

/// `GET /ipzs/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (d, loaded) = load(&state, &user, id, "programme", true, None).await?;
    // The dates are typed from the paper: the participant's is the first day in the centre.
    let form = SignForm::default();
    render(&page(
        &state,
        &user,
        &d,
        loaded,
        form,
        FieldErrors::new(),
        FieldErrors::new(),
    ))
}

/// The programme page again with the messages of a refused form (422).
pub async fn refused(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    sign_form: SignForm,
    errors: FieldErrors,
    missing: FieldErrors,
) -> Result<Response> {
    let (d, loaded) = load(state, user, id, "programme", true, None).await?;
    let page = page(state, user, &d, loaded, sign_form, errors, missing);
    render_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "ipzs/start.html")]
struct StartPage {
    layout: Layout,
    id: Uuid,
    may_draft: bool,
}

/// `GET /participants/{id}/ipzs`: the participant's programme, or the page that starts one.
pub async fn of_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let facts = participants::db::facts(&state.db, user.centre_id, id, user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    user.authorize(&state, Action::ViewParticipant, Target::Participant(&facts))
        .await?;
    let programmes = db::programmes_of(&state.db, user.centre_id, id).await?;
    if let Some((document, _)) = programmes.first() {
        return Ok(Redirect::to(&super::href(*document)).into_response());
    }
    let may_draft = policy::check(
        user.actor(),
        Action::DraftDocument,
        Target::Participant(&facts),
    )
    .is_ok();
    let name = db::header(&state.db, user.centre_id, id)
        .await?
        .map(|h| h.name)
        .unwrap_or_default();
    render(&StartPage {
        layout: Layout::for_user(&state, &user, format!("IPZS: {name}"), "/participants"),
        id,
        may_draft,
    })
}

#[derive(Template)]
#[template(path = "ipzs/version.html")]
struct VersionPage {
    layout: Layout,
    id: Uuid,
    person: Person,
    version: VersionRow,
    programme: ProgrammeView,
}

/// `GET /ipzs/{id}/versions/{number}`: one version, as it was (or is).
pub async fn version(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path((id, number)): axum::extract::Path<(String, String)>,
) -> Result<Response> {
    let (id, number) = parse_version_path(&id, &number)?;
    let (_, loaded) = load(
        &state,
        &user,
        id,
        &format!("version:{number}"),
        false,
        Some(number),
    )
    .await?;
    let signed = signed_versions(&loaded.signatures);
    let (version, stored) =
        view::version_row(&loaded.versions, &signed, number).ok_or(AppError::NotFound)?;
    let person = Person::of(&loaded.header);
    render(&VersionPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("IPZS: {} – wersja {number}", person.name),
            "/participants",
        ),
        id,
        programme: ProgrammeView::of(&Programme::from_sections(&stored.sections)),
        person,
        version,
    })
}

/// `GET /ipzs/{id}/diff?from=1&to=2`: the engine's comparison of two versions.
pub async fn diff(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<DiffQuery>,
) -> Result<Response> {
    pages::diff(
        &state,
        &user,
        &super::KIND,
        id,
        q,
        |sections| Programme::from_sections(sections).labelled(),
        |name| format!("IPZS: {name}"),
        "Wróć do programu",
    )
    .await
}
