//! The participant's file page. The page holds only the parts of the file the policy allows the
//! reader (each part an `Option` filled through `Visibility::reveal`), so a template cannot
//! show a forbidden field even by mistake. Every view writes its audit row (who, which parts)
//! in the same statement as the read: if it cannot be written, nothing is shown.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::db::{self, Document, Extension, FileRead, FollowUpContact, Parts};
use super::model::{DocumentKind, missing_documents};
use super::next::{NextSteps, next_steps};
use super::notes::{self, Timeline};
use super::views::{ending_warning, opt_date};
use crate::auth::policy::{self, Action, Field, ParticipantFacts, Refusal, Target, Visibility};
use crate::auth::session::CurrentUser;
use crate::domain::{Category, Sensitivity};
use crate::error::{AppError, Result};
use crate::follow_ups::{due, schedule};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};
use crate::web::path::IdPath;

/// PESEL, birth date, document, address, OPS.
pub(super) struct Personal {
    pub(super) pesel: Option<String>,
    pub(super) birth_date: Date,
    pub(super) id_document: Option<String>,
    pub(super) street: String,
    pub(super) postal_code: String,
    pub(super) city: String,
    pub(super) responsible_ops: String,
}

/// The eligibility categories the reader may see, by data class.
pub(super) struct Categories {
    pub(super) general: Vec<&'static str>,
    pub(super) health: Vec<&'static str>,
    pub(super) criminal: Vec<&'static str>,
    pub(super) other_description: Option<String>,
}

/// Who applied and referred, the declaration, the consent.
pub(super) struct Referral {
    pub(super) applicant: &'static str,
    pub(super) applicant_institution: Option<String>,
    pub(super) referrer: &'static str,
    pub(super) referrer_institution: String,
    pub(super) referral_date: Date,
    pub(super) declared_on: Date,
    pub(super) consent_date: Date,
    pub(super) consent_scope: String,
}

/// The participation clock and the extension decisions.
pub(super) struct Participation {
    pub(super) admitted_on: Option<Date>,
    /// Shown only with the status history (it names the OPS head).
    pub(super) ops_agreement: Option<(String, Option<Date>)>,
    pub(super) trial_ends_on: Option<Date>,
    pub(super) planned_end_on: Option<Date>,
    pub(super) cap_end_on: Option<Date>,
    pub(super) ended_on: Option<Date>,
    pub(super) extensions: Vec<Extension>,
    /// A graduate's follow-up contacts.
    pub(super) follow_ups: Vec<FollowUpLine>,
    /// The graduate's follow-up page (contacts, forms), for whoever keeps the follow-up.
    pub(super) follow_up_link: Option<String>,
}

/// One contact of the follow-up schedule, as shown.
pub(super) struct FollowUpLine {
    pub(super) number: i32,
    pub(super) due: String,
    pub(super) state: String,
    pub(super) overdue: bool,
}

/// The follow-up schedule with each contact's state on `today`, by the follow-up's own rule
/// (`follow_ups::due`: the window in force, the end of the follow-up), as its timeline says.
fn follow_up_lines(
    contacts: Vec<FollowUpContact>,
    window_days: i32,
    today: Date,
    followed: bool,
) -> Vec<FollowUpLine> {
    contacts
        .into_iter()
        .map(|c| {
            let (state, overdue) =
                due::item_state(c.due_on, c.contacted_on, window_days, today, followed);
            FollowUpLine {
                number: c.sequence,
                due: dates::format(c.due_on),
                state,
                overdue,
            }
        })
        .collect()
}

/// How participation ended: the outcome or the reason (the changes are on the timeline).
pub(super) struct History {
    pub(super) outcome: Option<String>,
    pub(super) termination: Option<&'static str>,
}

/// A recruitment document slot of the checklist.
pub(super) struct DocumentSlot {
    pub(super) label: &'static str,
    pub(super) code: &'static str,
    pub(super) entries: Vec<Document>,
    /// What stands in for a document (the consent recorded at registration).
    pub(super) recorded: Option<String>,
}

/// The recruitment file.
pub(super) struct Documents {
    pub(super) slots: Vec<DocumentSlot>,
    pub(super) missing: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "participants/show.html")]
pub(super) struct ShowPage {
    pub(super) layout: Layout,
    pub(super) id: Uuid,
    pub(super) name: String,
    pub(super) status_label: &'static str,
    pub(super) social_worker_name: Option<String>,
    pub(super) workshop_name: Option<String>,
    pub(super) warning: Option<String>,
    /// The primary next step, the others, and ending participation (danger).
    pub(super) next: NextSteps,
    pub(super) can_add_document: bool,
    pub(super) personal: Option<Personal>,
    pub(super) phone: Option<Option<String>>,
    pub(super) categories: Option<Categories>,
    pub(super) referral: Option<Referral>,
    pub(super) participation: Option<Participation>,
    pub(super) history: Option<History>,
    pub(super) documents: Option<Documents>,
    /// The reader may see who opened the file (a link to that page).
    pub(super) access_log: bool,
    /// The reader may produce the subject-access export (a link to it).
    pub(super) subject_access: bool,
    /// The file's opinions for the IPZS, for whoever reads some kind (a link to that page).
    pub(super) opinions: Option<String>,
    /// The IPZS's state for its readers: (link, "wersja 2 – W realizacji"); a link to start one
    /// when there is none yet.
    pub(super) programme: Option<(String, String)>,
    /// The social contracts for the programme's readers: the list's link, and each contract
    /// (link, its number in order, state, the number of the contract it renews).
    pub(super) contracts: Option<(String, Vec<ContractLine>)>,
    /// A page of notes, status changes and document steps, newest first.
    pub(super) timeline: Timeline,
    /// The print view: no links to act on the file.
    pub(super) printing: bool,
}

/// A social contract on the file: (link, its number in order, state, the number of the
/// contract it renews).
pub(super) type ContractLine = (String, usize, String, Option<usize>);

/// `?before=` the timeline's cursor: the page below the last entry of the previous one.
#[derive(Debug, Default, Deserialize)]
pub(super) struct FileQuery {
    #[serde(default)]
    before: String,
}

impl ShowPage {
    pub(super) fn date(&self, d: &Option<Date>) -> String {
        opt_date(*d)
    }

    pub(super) fn fmt(&self, d: &Date) -> String {
        dates::format(*d)
    }
}

/// `GET /participants/{id}`.
pub(super) async fn show_participant(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(query): Query<FileQuery>,
) -> Result<Response> {
    let before = match query.before.as_str() {
        "" => None,
        raw => Some(db::notes::Cursor::parse(raw).ok_or(AppError::NotFound)?),
    };
    render(&read_page(&state, &user, id, Reading::Screen(before)).await?)
}

/// How the file is read: on screen, a page of the timeline from a cursor; or printed, with the
/// whole timeline.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reading {
    Screen(Option<db::notes::Cursor>),
    Print,
}

/// Reads the file for `user` and builds its page. What the reader sees of a file they may
/// open depends on them alone; which files they may open is the policy's scope, which the read
/// applies: one statement reads the file and writes the view's audit row (a print is a view
/// whose parts begin with `print`), and outside the scope does neither.
pub(super) async fn read_page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    reading: Reading,
) -> Result<ShowPage> {
    let sees = Visibility::within_scope(user.actor());
    // Who opened the file is a page of its own (`access_log`), not a part of this one.
    let print = matches!(reading, Reading::Print);
    let shown: Vec<&str> = print
        .then_some("print")
        .into_iter()
        .chain(std::iter::once("identity"))
        .chain(
            sees.fields()
                .iter()
                .filter(|f| f.on_file_page())
                .map(|f| f.code()),
        )
        .collect();
    let (before, limit) = match reading {
        Reading::Screen(before) => (before, db::notes::PAGE),
        Reading::Print => (None, db::notes::PRINTED),
    };
    let parts = Parts {
        extensions: sees.shows(Field::Participation),
        documents: sees.shows(Field::RecruitmentDocuments),
        programme: policy::reads_programme(user.role),
        timeline: notes::timeline_read(&sees, before, limit),
    };
    let file = db::File {
        centre_id: user.centre_id,
        participant_id: id,
        reader_id: user.user_id,
        scope: policy::file_scope(user.actor()),
    };
    let event = super::access::view_event(user, id).detail(shown.join(","));
    let Some(read) = db::read_file(&state.db, file, parts, &user.meta, event).await? else {
        return Err(refused_view(state, user, id).await);
    };
    let facts = read.facts();
    // The window of the follow-up's rule in force, for a graduate's schedule only.
    let follow_up_window = if read.follow_ups.is_empty() {
        0
    } else {
        schedule::timing(&state.db, user.centre_id, state.today())
            .await?
            .window_days
    };
    let mut page = page(
        state,
        user,
        &facts,
        &sees,
        read,
        (before.is_none(), limit),
        follow_up_window,
    );
    page.printing = print;
    Ok(page)
}

/// No file was read: a participant of another centre or none at all is simply not found; one
/// of the centre outside the reader's scope is a refusal, audited, and not found all the same.
async fn refused_view(state: &AppState, user: &CurrentUser, id: uuid::Uuid) -> AppError {
    match db::facts(&state.db, user.centre_id, id, user.user_id).await {
        Ok(Some(facts)) => {
            let target = Target::Participant(&facts);
            user.refused(state, Action::ViewParticipant, target, Refusal::NotFound)
                .await
        }
        Ok(None) => AppError::NotFound,
        Err(e) => e.into(),
    }
}

fn page(
    state: &AppState,
    user: &CurrentUser,
    facts: &ParticipantFacts,
    sees: &Visibility,
    read: FileRead,
    (first_page, limit): (bool, i64),
    follow_up_window: i32,
) -> ShowPage {
    let FileRead {
        record: p,
        extensions,
        documents: stored,
        follow_ups,
        follow_up_until,
        timeline,
        programme,
        contracts,
        ..
    } = read;
    let target = Target::Participant(facts);
    let can = |action| user.can(action, target);
    let missing = if sees.shows(Field::RecruitmentDocuments) {
        missing_documents(|kind| stored.iter().any(|d| d.kind == kind), true)
    } else {
        Vec::new()
    };
    let reads_programme = crate::auth::policy::reads_programme(user.role);
    let next = next_steps(&p, &missing, can, reads_programme, state.today());
    let pick = |s: Sensitivity| {
        sees.reveal(Field::for_categories(s), || {
            p.data
                .categories
                .iter()
                .filter(|c| c.sensitivity() == s)
                .map(|c| Category::label(*c))
                .collect::<Vec<_>>()
        })
    };
    let (general, health, criminal) = (
        pick(Sensitivity::General),
        pick(Sensitivity::Health),
        pick(Sensitivity::Criminal),
    );
    let categories =
        (general.is_some() || health.is_some() || criminal.is_some()).then(|| Categories {
            other_description: general.as_ref().and(p.data.category_other.clone()),
            general: general.unwrap_or_default(),
            health: health.unwrap_or_default(),
            criminal: criminal.unwrap_or_default(),
        });
    ShowPage {
        layout: Layout::for_user(state, user, p.name(), "/participants"),
        id: p.participant_id,
        name: p.name(),
        status_label: p.status.label_for(p.data.female()),
        social_worker_name: p.social_worker_name.clone(),
        workshop_name: p.workshop_name.clone(),
        warning: sees
            .reveal(Field::Participation, || {
                ending_warning(p.status, p.planned_end_on, state.today())
            })
            .flatten(),
        next,
        can_add_document: can(Action::AddRecruitmentDocument),
        personal: sees.reveal(Field::Personal, || Personal {
            pesel: p.data.pesel.as_ref().map(ToString::to_string),
            birth_date: p.data.birth_date,
            id_document: p.data.id_document.clone(),
            street: p.data.address_street.clone(),
            postal_code: p.data.address_postal_code.to_string(),
            city: p.data.address_city.clone(),
            responsible_ops: p.data.responsible_ops.clone(),
        }),
        phone: sees.reveal(Field::Contact, || {
            p.data.phone.as_ref().map(ToString::to_string)
        }),
        categories,
        referral: sees.reveal(Field::Referral, || Referral {
            applicant: p.data.applicant.label(),
            applicant_institution: p.data.applicant_institution.clone(),
            referrer: p.data.referrer.label(),
            referrer_institution: p.data.referrer_institution.clone(),
            referral_date: p.data.referral_date,
            declared_on: p.data.no_exclusion_declared_on,
            consent_date: p.data.consent_date,
            consent_scope: p.data.consent_scope.clone(),
        }),
        participation: sees.reveal(Field::Participation, || Participation {
            admitted_on: p.admitted_on,
            ops_agreement: sees
                .reveal(Field::StatusHistory, || {
                    p.ops_agreement_name
                        .clone()
                        .map(|n| (n, p.ops_agreement_date))
                })
                .flatten(),
            trial_ends_on: p.trial_ends_on,
            planned_end_on: p.planned_end_on,
            cap_end_on: p.cap_end_on,
            ended_on: p.ended_on,
            extensions,
            follow_ups: follow_up_lines(
                follow_ups,
                follow_up_window,
                state.today(),
                due::under_follow_up(p.status, follow_up_until, state.today()),
            ),
            follow_up_link: (p.status == crate::domain::Status::Graduate
                && can(Action::ViewFollowUps))
            .then(|| format!("/participants/{}/follow-ups", p.participant_id)),
        }),
        history: sees.reveal(Field::StatusHistory, || History {
            outcome: p.graduation_outcome.map(|o| match p.employment_contract {
                Some(c) => format!("{} ({})", o.label(), c.label()),
                None => o.label().to_owned(),
            }),
            termination: p.termination_reason.map(|r| r.label()),
        }),
        documents: sees.reveal(Field::RecruitmentDocuments, || {
            documents(stored, p.data.consent_date)
        }),
        access_log: sees.shows(Field::FileAudit),
        subject_access: can(Action::ViewSubjectAccess),
        opinions: can(Action::ViewOpinion)
            .then(|| crate::opinions::opinions_href(p.participant_id)),
        programme: policy::reads_programme(user.role).then(|| match programme {
            Some((document, version, status)) => (
                format!("/ipzs/{document}"),
                format!(
                    "wersja {version} – {}",
                    crate::documents::workflow::DocStatus::from_code(&status)
                        .map_or("", |s| s.label())
                ),
            ),
            None => (
                format!("/participants/{}/ipzs", p.participant_id),
                "jeszcze nie sporządzono".to_owned(),
            ),
        }),
        contracts: policy::reads_programme(user.role).then(|| {
            let number = |id: Uuid| contracts.iter().position(|c| c.0 == id).map(|i| i + 1);
            (
                format!("/participants/{}/contracts", p.participant_id),
                contracts
                    .iter()
                    .enumerate()
                    .map(|(i, (id, status, follows, in_force))| {
                        (
                            format!("/contracts/{id}"),
                            i + 1,
                            crate::documents::workflow::DocStatus::from_code(status)
                                .map_or_else(String::new, |s| {
                                    crate::documents::view::state_label(s, *in_force)
                                }),
                            follows.and_then(number),
                        )
                    })
                    .collect(),
            )
        }),
        timeline: notes::timeline(
            user,
            sees,
            &p,
            timeline,
            (first_page, limit),
            can(Action::AddCaseNote),
        ),
        printing: false,
    }
}

fn documents(stored: Vec<Document>, consent_date: Date) -> Documents {
    let slots: Vec<DocumentSlot> = DocumentKind::ALL
        .into_iter()
        .map(|kind| DocumentSlot {
            label: kind.label(),
            code: kind.code(),
            entries: stored.iter().filter(|d| d.kind == kind).cloned().collect(),
            recorded: (kind == DocumentKind::GdprConsent).then(|| {
                format!(
                    "zgoda odebrana przy rejestracji {}",
                    dates::format(consent_date)
                )
            }),
        })
        .collect();
    let missing = missing_documents(|kind| stored.iter().any(|d| d.kind == kind), true);
    Documents {
        missing: missing.into_iter().map(|kind| kind.label()).collect(),
        slots,
    }
}
