//! Reading a contract: its page (Part I of the current version, the realization log, the
//! quarterly notes, Part II, the versions, the signatures, the history and the one next step
//! for the reader), one version, the comparison of two versions, the participant's list of
//! contracts with their renewals. Every read is audited.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::content::Contract;
use super::db::{self, ContractRow, Evaluation, Note, Outcome, Record};
use super::flow::{self, ContractStep, State as FlowState};
use crate::auth::policy::{self, Action, Target};
use crate::auth::session::CurrentUser;
use crate::documents::db::{self as documents, Locked, StoredVersion};
use crate::documents::pages::{
    self, DiffQuery, ScanRow, SignatureRow, parse_version_path, signed_versions,
};
use crate::documents::paper::{self, Party, ScanInfo, Signature};
use crate::documents::view::{self, Header, HistoryLine, Person, VersionRow};
use crate::documents::workflow::DocStatus;
use crate::error::{AppError, Result};
use crate::participants;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};
use crate::web::path::IdPath;

/// What the reader may do on the contract now (the policy's answers on this document).
#[derive(Debug, Clone, Default)]
pub struct Can {
    pub edit: bool,
    pub submit: bool,
    pub review: bool,
    pub sign_centre: bool,
    pub sign_client: bool,
    pub record: bool,
    pub amend: bool,
    pub evaluate: bool,
    pub review_evaluation: bool,
    pub renew: bool,
    pub close: bool,
    pub print: bool,
}

impl Can {
    /// `state`: the contract's own facts; `evaluation_author`: who wrote Part II, if written.
    fn of(
        user: &CurrentUser,
        d: &Locked,
        state: FlowState,
        evaluation_author: Option<Uuid>,
    ) -> Self {
        let may = |a: Action| policy::check(user.actor(), a, Target::Document(&d.facts)).is_ok();
        let admits = |step: ContractStep| flow::check(step, state).is_ok();
        let is_author = d.facts.author_id == user.user_id;
        let evaluation = state.evaluation.map(|(status, _)| status);
        Can {
            edit: d.status == DocStatus::Draft && may(Action::EditDocument),
            submit: d.status == DocStatus::Draft && may(Action::SubmitDocument),
            review: d.status == DocStatus::Submitted && !is_author && may(Action::ApproveDocument),
            sign_centre: admits(ContractStep::SignForCentre) && may(Action::SignDocumentForCentre),
            sign_client: admits(ContractStep::SignByClient) && may(Action::SignDocument),
            record: admits(ContractStep::Record) && may(Action::RecordRealization),
            amend: admits(ContractStep::Amend) && may(Action::AmendDocument),
            evaluate: admits(ContractStep::Evaluate) && may(Action::EvaluateDocument),
            review_evaluation: d.status != DocStatus::Closed
                && evaluation == Some(DocStatus::Submitted)
                && evaluation_author != Some(user.user_id)
                && may(Action::ApproveDocument),
            renew: admits(ContractStep::Renew)
                && policy::check(
                    user.actor(),
                    Action::DraftDocument,
                    Target::Participant(&d.facts.participant),
                )
                .is_ok(),
            close: admits(ContractStep::CloseUnsigned) && may(Action::CloseDocument),
            print: may(Action::PrintDocument),
        }
    }
}

/// The values of the page's small forms, shown again with their messages.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    pub signed_on: String,
    pub comment: String,
    pub evaluation_comment: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "contracts/show.html")]
pub struct ShowPage {
    pub layout: Layout,
    pub id: Uuid,
    pub base: &'static str,
    pub person: Person,
    pub status: DocStatus,
    pub number: i32,
    pub in_force: Option<i32>,
    pub contract: Contract,
    pub follows: Option<Uuid>,
    pub followed_by: Option<Uuid>,
    pub returned: Option<(String, String, String)>,
    pub versions: Vec<VersionRow>,
    pub signatures: Vec<SignatureRow>,
    pub scans: Vec<ScanRow>,
    pub records: Vec<Record>,
    pub notes: Vec<Note>,
    pub evaluation: Option<Evaluation>,
    pub history: Vec<HistoryLine>,
    pub can: Can,
    pub can_scan: bool,
    /// The version a scan is attached to: the current one once someone signed it (an
    /// amendment the manager signed), else the one in force.
    pub scan_version: Option<i32>,
    /// The centre's signature date of the current version, once recorded.
    pub centre_signed_on: Option<String>,
    /// Closed without an evaluation (never signed): the reason given.
    pub closed_reason: Option<String>,
    pub forms: Forms,
    pub errors: FieldErrors,
    pub missing: FieldErrors,
}

impl ShowPage {
    fn date(&self, on: &time::Date) -> String {
        dates::format(*on)
    }
}

/// Everything the contract page reads, on one connection with its audit row.
pub struct Loaded {
    pub header: Header,
    pub versions: Vec<StoredVersion>,
    pub history: Vec<documents::HistoryRow>,
    pub signatures: Vec<Signature>,
    pub scans: Vec<ScanInfo>,
    pub records: Vec<Record>,
    pub notes: Vec<Note>,
    pub evaluation: Option<Evaluation>,
    pub links: (Option<Uuid>, Option<Uuid>),
}

/// Reads contract `id` for its page (audited as `detail`).
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    detail: &str,
    version: Option<i32>,
) -> Result<(Locked, Loaded)> {
    let centre = user.centre_id;
    super::read(
        state,
        user,
        id,
        Action::ViewDocument,
        detail,
        async |conn, d| {
            let participant = d.facts.participant.participant_id;
            let links = sqlx::query!(
                r#"select d.follows,
                          (select n.document_id from document n where n.follows = d.document_id
                           order by n.created_at limit 1) as "followed_by?"
                   from document d where d.document_id = $1"#,
                id
            )
            .fetch_one(&mut *conn)
            .await?;
            // An unknown version: nothing shown, nothing audited.
            let versions = documents::versions(&mut *conn, id).await?;
            if version.is_some_and(|n| !versions.iter().any(|v| v.number == n)) {
                return Err(AppError::NotFound);
            }
            Ok(Loaded {
                header: view::header(&mut *conn, centre, participant)
                    .await?
                    .ok_or(AppError::NotFound)?,
                versions,
                history: documents::history(&mut *conn, id).await?,
                signatures: paper::signatures(&mut *conn, id).await?,
                scans: paper::scans(&mut *conn, id).await?,
                records: db::records(&mut *conn, id).await?,
                notes: db::notes(&mut *conn, id).await?,
                evaluation: db::evaluation(&mut *conn, id).await?,
                links: (links.follows, links.followed_by),
            })
        },
    )
    .await
}

/// The contract page of `d` as `loaded`, with the small forms' values and messages.
pub fn page(
    state: &AppState,
    user: &CurrentUser,
    d: &Locked,
    loaded: Loaded,
    forms: Forms,
    errors: FieldErrors,
    missing: FieldErrors,
) -> ShowPage {
    let current = loaded
        .versions
        .iter()
        .find(|v| v.number == d.version)
        .map(|v| Contract::from_sections(&v.sections))
        .unwrap_or_default();
    let versions = view::version_rows(&loaded.versions, &super::client_signed(&loaded.signatures));
    let in_force = versions.iter().find(|v| v.in_force).map(|v| v.number);
    let centre_signed_on = loaded
        .signatures
        .iter()
        .find(|s| s.version == d.version && s.party == Party::Manager)
        .map(|s| dates::format(s.signed_on));
    let facts = FlowState {
        status: d.status,
        centre_signed: centre_signed_on.is_some(),
        in_force: in_force.is_some(),
        evaluation: loaded.evaluation.as_ref().map(|e| (e.status, e.outcome)),
        renewed: loaded.links.1.is_some(),
    };
    let evaluation_author = loaded.evaluation.as_ref().map(|e| e.author_id);
    let person = Person::of(&loaded.header);
    let signed = signed_versions(&loaded.signatures);
    let has_signatures = !signed.is_empty();
    let scan_version = if signed.contains(&d.version) {
        Some(d.version)
    } else {
        in_force
    };
    ShowPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Kontrakt socjalny: {}", person.name),
            "/participants",
        ),
        id: d.facts.document_id,
        base: super::KIND.base,
        status: d.status,
        number: d.version,
        in_force,
        contract: current,
        follows: loaded.links.0,
        followed_by: loaded.links.1,
        returned: view::open_return(&loaded.history, d.status),
        closed_reason: (d.status == DocStatus::Closed && loaded.evaluation.is_none())
            .then(|| loaded.history.iter().find(|h| h.step == "close"))
            .flatten()
            .and_then(|h| h.comment.clone()),
        versions,
        signatures: pages::signature_rows(&loaded.signatures, person.client_title),
        scans: pages::scan_rows(&loaded.scans),
        records: loaded.records,
        notes: loaded.notes,
        evaluation: loaded.evaluation,
        history: view::history_lines(&loaded.history),
        can_scan: has_signatures
            && d.status != DocStatus::Closed
            && policy::check(
                user.actor(),
                Action::SignDocument,
                Target::Document(&d.facts),
            )
            .is_ok(),
        can: Can::of(user, d, facts, evaluation_author),
        scan_version,
        centre_signed_on,
        person,
        forms,
        errors,
        missing,
    }
}

/// `GET /contracts/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let (d, loaded) = load(&state, &user, id, "contract", None).await?;
    render(&page(
        &state,
        &user,
        &d,
        loaded,
        Forms::default(),
        FieldErrors::new(),
        FieldErrors::new(),
    ))
}

/// The contract page again with the messages of a refused form (422).
pub async fn refused(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    forms: Forms,
    errors: FieldErrors,
    missing: FieldErrors,
) -> Result<Response> {
    let (d, loaded) = load(state, user, id, "contract", None).await?;
    let page = page(state, user, &d, loaded, forms, errors, missing);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// A contract in the participant's list.
pub struct ListRow {
    pub href: String,
    pub status: String,
    pub version: i32,
    pub period: String,
    pub outcome: Option<&'static str>,
    pub follows: Option<usize>,
    pub followed_by: Option<usize>,
    pub n: usize,
}

/// The participant's contracts as listed, newest first, each renewal naming the contract it
/// follows by its number in the list (1 is the oldest).
pub fn list_rows(rows: &[ContractRow]) -> Vec<ListRow> {
    let total = rows.len();
    let number = |id: Uuid| {
        rows.iter()
            .position(|r| r.document_id == id)
            .map(|i| total - i)
    };
    rows.iter()
        .enumerate()
        .map(|(i, r)| ListRow {
            href: super::href(r.document_id),
            status: view::state_label(r.status, r.in_force),
            version: r.current_version,
            period: r
                .period
                .as_deref()
                .map(|p| {
                    p.split(" – ")
                        .map(super::content::show_date)
                        .collect::<Vec<_>>()
                        .join(" – ")
                })
                .filter(|p| p.trim() != "–")
                .unwrap_or_default(),
            outcome: r.outcome.map(|o| o.label()),
            follows: r.follows.and_then(number),
            followed_by: r.followed_by.and_then(number),
            n: total - i,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "contracts/list.html")]
struct ListPage {
    layout: Layout,
    id: Uuid,
    contracts: Vec<ListRow>,
    may_draft: bool,
    /// A contract not yet closed (a new one starts after its evaluation).
    open: bool,
    /// The reader is the person's social worker but may not start a contract yet: why.
    not_yet: Option<String>,
    /// The newest contract ended with new goals: the next one is its renewal.
    renewable: Option<Uuid>,
}

/// `GET /participants/{id}/contracts`: the participant's contracts, and the start of a new one.
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
    if !policy::reads_programme(user.role) {
        return Err(AppError::NotFound);
    }
    // The list tells each contract's state and outcome: a read of the file, audited with it.
    let mut conn = state.db.acquire().await?;
    let rows = db::contracts_of(&mut *conn, user.centre_id, id).await?;
    crate::audit::record_read(
        &mut *conn,
        &user.meta,
        crate::audit::AuditEvent::new(Action::ViewDocument.code(), crate::audit::Outcome::Success)
            .by(user.audit_actor())
            .on("participant", id)
            .participant(id)
            .detail("contracts".to_owned()),
    )
    .await?;
    let may_draft = policy::check(
        user.actor(),
        Action::DraftDocument,
        Target::Participant(&facts),
    )
    .is_ok();
    let header = view::header(&state.db, user.centre_id, id).await?;
    let name = header.as_ref().map(|h| h.name.clone()).unwrap_or_default();
    let status = header.as_ref().map_or(facts.status.label(), |h| {
        h.status.label_for(h.sex.as_deref().map(|s| s == "K"))
    });
    render(&ListPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("Kontrakty socjalne: {name}"),
            "/participants",
        ),
        id,
        open: rows.iter().any(|r| r.status != DocStatus::Closed),
        renewable: rows
            .first()
            .filter(|r| r.status == DocStatus::Closed && r.outcome == Some(Outcome::NewGoals))
            .map(|r| r.document_id),
        contracts: list_rows(&rows),
        not_yet: (!may_draft && facts.social_worker_id == Some(user.user_id)).then(|| {
            format!(
                "Kontrakt sporządza się dla osoby z listy rezerwowej, w okresie próbnym albo \
                 uczestniczącej w zajęciach; ta osoba ma status „{status}”."
            )
        }),
        may_draft,
    })
}

#[derive(Template)]
#[template(path = "contracts/version.html")]
struct VersionPage {
    layout: Layout,
    id: Uuid,
    person: Person,
    version: VersionRow,
    contract: Contract,
}

/// `GET /contracts/{id}/versions/{number}`: one version, as it was (or is).
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
        Some(number),
    )
    .await?;
    let signed = super::client_signed(&loaded.signatures);
    let (version, stored) =
        view::version_row(&loaded.versions, &signed, number).ok_or(AppError::NotFound)?;
    let person = Person::of(&loaded.header);
    render(&VersionPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("Kontrakt socjalny: {} – wersja {number}", person.name),
            "/participants",
        ),
        id,
        contract: Contract::from_sections(&stored.sections),
        person,
        version,
    })
}

/// `GET /contracts/{id}/diff?from=1&to=2`: the engine's comparison of two versions.
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
        |sections| Contract::from_sections(sections).labelled(),
        |name| format!("Kontrakt socjalny: {name}"),
        "Wróć do kontraktu",
    )
    .await
}
