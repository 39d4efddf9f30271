//! What the participants area puts on each role's "Do zrobienia": the work due on
//! participants (trial periods ending, participation ending, the reserve list, candidates
//! without a social worker or without their recruitment documents, participants without a
//! workshop, people on the reserve list whose admission waits for their IPZS, candidates
//! ready for the reserve list), each group with its count and the first few people, each
//! linking to where the work is done; and the social worker's and instructor's own people. A
//! handful of statements per page, whatever the number of participants.

use sqlx::PgConnection;
use time::Date;

use super::db::inbox::{self as due_db, COUNT_CAP, CaseloadRow, Due, DueRow, TRIAL_SOON_DAYS};
use super::model::{DocumentKind, missing_documents};
use super::views::{ENDING_SOON_DAYS, ending_warning, opt_date, status_label};
use crate::auth::policy;
use crate::auth::session::CurrentUser;
use crate::domain::calendar::days;
use crate::domain::{Role, Status};
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::inbox::{
    InboxFuture, InboxGroup, InboxItem, InboxLink, InboxRead, ItemDue, SHOWN_ROWS, at_least, capped,
};

/// People shown per group; the heading gives the whole count.
const ITEMS: i64 = SHOWN_ROWS;

/// The caseload read for the social worker's Start (a caseload holds tens of people; past this
/// the headings read from it say "co najmniej" and the list links to the whole caseload).
const CASELOAD: i64 = 200;

/// The participants area's groups for `user` (see the module header).
pub fn inbox_items<'a>(
    _state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        match user.role {
            Role::Manager => manager(conn, user, today).await,
            Role::SocialWorker => social_worker(conn, user, today).await,
            Role::Instructor => instructor(conn, user, today).await,
            // Their work (opinions) comes with the IPZS; the home page says there is none yet.
            Role::Psychologist | Role::CareerAdvisor | Role::Admin | Role::Dpo => Ok(Vec::new()),
        }
    })
}

/// The manager's work due in the whole centre.
async fn manager(
    conn: &mut PgConnection,
    user: &CurrentUser,
    today: Date,
) -> Result<Vec<InboxGroup>> {
    let kinds = [
        Due::TrialEnding,
        Due::ParticipationEnding {
            days: ENDING_SOON_DAYS,
        },
        Due::Reserve,
        Due::Unassigned,
        Due::NoWorkshop,
    ];
    let rows = rows_due(&mut *conn, user, &kinds, today).await?;
    Ok(kinds.iter().map(|&due| group(due, &rows, today)).collect())
}

/// The social worker's work due in their caseload, then their people.
async fn social_worker(
    conn: &mut PgConnection,
    user: &CurrentUser,
    today: Date,
) -> Result<Vec<InboxGroup>> {
    let kinds = [
        Due::TrialEnding,
        Due::ParticipationEnding {
            days: ENDING_SOON_DAYS,
        },
        Due::AwaitingProgramme,
    ];
    let rows = rows_due(&mut *conn, user, &kinds, today).await?;
    // A caseload holds tens of people; which documents a candidate lacks is the recruitment
    // rule's to say (`missing_documents`), so the caseload is read with the candidates' files
    // (one statement) and the rule applied here.
    let people = due_db::caseload(&mut *conn, user.centre_id, user.user_id, CASELOAD).await?;
    let more = people.len() >= CASELOAD as usize;
    let mut groups = Vec::from(candidate_groups(
        people.iter().filter(|p| p.status == Status::Candidate),
        more,
    ));
    groups.extend(kinds.iter().map(|&due| group(due, &rows, today)));
    groups.push(caseload(people, more, today));
    Ok(groups)
}

/// The instructor's workshop members whose participation ends soon, then all of them.
async fn instructor(
    conn: &mut PgConnection,
    user: &CurrentUser,
    today: Date,
) -> Result<Vec<InboxGroup>> {
    let ending = Due::ParticipationEnding {
        days: ENDING_SOON_DAYS,
    };
    let rows = rows_due(&mut *conn, user, &[ending], today).await?;
    Ok(vec![
        group(ending, &rows, today),
        workshop_members(&mut *conn, user, today).await?,
    ])
}

/// The rows of `kinds` in the user's file scope: only people whose file they may open.
async fn rows_due(
    conn: &mut PgConnection,
    user: &CurrentUser,
    kinds: &[Due],
    today: Date,
) -> Result<Vec<DueRow>> {
    let scope = policy::file_scope(user.actor());
    Ok(due_db::due(&mut *conn, user.centre_id, scope, kinds, today, ITEMS).await?)
}

/// The group of `due` from the rows read for all groups; hidden when empty.
fn group(due: Due, rows: &[DueRow], today: Date) -> InboxGroup {
    let mine: Vec<&DueRow> = rows.iter().filter(|r| r.is(due)).collect();
    let total = mine.first().map_or(0, |r| r.total);
    let (heading, link) = match due {
        Due::TrialEnding => (
            format!("Okres próbny kończy się w ciągu {TRIAL_SOON_DAYS} dni lub minął"),
            Some(InboxLink {
                href: "/participants?status=trial",
                label: "Wszyscy w okresie próbnym",
            }),
        ),
        Due::ParticipationEnding { days } => (
            format!("Koniec udziału w ciągu {days} dni lub po terminie"),
            Some(InboxLink {
                href: "/participants?sort=ending",
                label: "Lista według najbliższego końca udziału",
            }),
        ),
        Due::Reserve => (
            "Lista rezerwowa – czekają na przyjęcie".to_owned(),
            Some(InboxLink {
                href: "/participants?status=reserve",
                label: "Cała lista rezerwowa",
            }),
        ),
        Due::Unassigned => (
            "Kandydaci bez pracownika socjalnego".to_owned(),
            Some(InboxLink {
                href: "/participants?status=candidate&worker=none",
                label: "Wszyscy kandydaci bez pracownika",
            }),
        ),
        Due::NoWorkshop => ("Uczestnicy bez pracowni".to_owned(), None),
        Due::AwaitingProgramme => (
            "Lista rezerwowa – przygotuj IPZS do przyjęcia".to_owned(),
            Some(InboxLink {
                href: "/participants?status=reserve&worker=me",
                label: "Moja lista rezerwowa",
            }),
        ),
    };
    let mut group = InboxGroup::dated(
        format!("{heading} ({})", capped(total, COUNT_CAP)),
        mine.into_iter().map(|r| item(due, r, today)).collect(),
    );
    group.count = usize::try_from(total).unwrap_or(0);
    group.links = link.filter(|_| total > ITEMS).into_iter().collect();
    group
}

/// One person of a group: the link to where the work is done, the status and the date the
/// work is about, and when it is due.
fn item(due: Due, r: &DueRow, today: Date) -> (InboxItem, ItemDue) {
    let (due_text, warning) = match due {
        Due::TrialEnding => (
            r.date
                .map(|d| format!("okres próbny do {}", dates::format(d))),
            r.date.map(|end| trial_warning(end, today)),
        ),
        Due::ParticipationEnding { .. } => (
            r.date
                .map(|d| format!("planowany koniec udziału {}", dates::format(d))),
            ending_warning(r.status, r.date, today),
        ),
        Due::NoWorkshop => (
            r.date.map(|d| format!("w CIS od {}", dates::format(d))),
            None,
        ),
        Due::AwaitingProgramme => (
            Some("przyjęcie następuje po podpisaniu IPZS".to_owned()),
            None,
        ),
        Due::Reserve | Due::Unassigned => (None, None),
    };
    // Once the date has passed the overdue mark says how long ago; the warning keeps only
    // what to do, so that nothing is read twice.
    let warning = match (due, r.date) {
        (Due::TrialEnding, Some(end)) if end < today => {
            Some("Potwierdź udział albo go zakończ.".to_owned())
        }
        (Due::ParticipationEnding { .. }, Some(end)) if end < today && warning.is_some() => {
            Some("Zdecyduj o zakończeniu lub przedłużeniu udziału.".to_owned())
        }
        _ => warning,
    };
    let when = match (due, r.date) {
        (Due::TrialEnding | Due::ParticipationEnding { .. }, Some(on)) => ItemDue::by(on, today),
        (Due::NoWorkshop, Some(on)) => ItemDue::since(on),
        _ => ItemDue::default(),
    };
    let href = match due {
        Due::AwaitingProgramme => format!("/participants/{}/ipzs", r.participant_id),
        _ => format!("/participants/{}", r.participant_id),
    };
    let item = InboxItem {
        href: Some(href),
        title: format!("{} {}", r.surname, r.first_names),
        detail: Some(status_label(r.status, r.sex.as_deref()).to_owned()),
        due: due_text,
        warning,
    };
    (item, when)
}

/// "Okres próbny minął 2 dni temu", "kończy się dziś", "kończy się za 3 dni".
fn trial_warning(end: Date, today: Date) -> String {
    match (end - today).whole_days() {
        l if l < 0 => format!(
            "Okres próbny minął {} temu – potwierdź udział albo go zakończ.",
            days(-l)
        ),
        0 => "Okres próbny kończy się dziś.".to_owned(),
        l => format!("Okres próbny kończy się za {}.", days(l)),
    }
}

/// The caseload's candidates in two groups: those whose recruitment file lacks documents,
/// with the ones it lacks, and those whose file is complete, to be put on the reserve list.
fn candidate_groups<'a>(
    candidates: impl Iterator<Item = &'a CaseloadRow>,
    more: bool,
) -> [InboxGroup; 2] {
    let (lacking, complete): (Vec<_>, Vec<_>) = candidates
        .map(|c| {
            let missing = missing_documents(
                |kind| c.kinds.iter().any(|k| k == kind.code()),
                c.consent_date.is_some(),
            );
            (c, missing)
        })
        .partition(|(_, missing)| !missing.is_empty());
    let group = |heading: &str, rows: Vec<(&CaseloadRow, Vec<DocumentKind>)>| {
        let total = rows.len();
        let items = rows
            .into_iter()
            .take(ITEMS as usize)
            .map(|(c, missing)| InboxItem {
                href: Some(if missing.is_empty() {
                    format!("/participants/{}/status/reserve", c.participant_id)
                } else {
                    format!("/participants/{}#documents-heading", c.participant_id)
                }),
                title: format!("{} {}", c.surname, c.first_names),
                detail: Some(if missing.is_empty() {
                    "dokumenty rekrutacyjne kompletne: wpisz na listę rezerwową".to_owned()
                } else {
                    format!(
                        "brakuje: {}",
                        missing
                            .iter()
                            .map(|k| k.label().to_lowercase())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
                ..InboxItem::default()
            })
            .collect();
        InboxGroup {
            heading: format!("{heading} ({})", at_least(total as i64, more)),
            count: total,
            items,
            links: (total > ITEMS as usize)
                .then_some(InboxLink {
                    href: "/participants?status=candidate&worker=me",
                    label: "Wszyscy moi kandydaci",
                })
                .into_iter()
                .collect(),
            ..InboxGroup::default()
        }
    };
    [
        group(
            "Kandydaci z brakującymi dokumentami rekrutacyjnymi",
            lacking,
        ),
        group("Kandydaci gotowi do wpisania na listę rezerwową", complete),
    ]
}

/// A participant as the people lists read them.
struct PersonRow {
    participant_id: uuid::Uuid,
    surname: String,
    first_names: String,
    status: Status,
    planned_end_on: Option<Date>,
    sex: Option<String>,
}

/// Participants as lines of the work list.
fn people(rows: Vec<PersonRow>, today: Date) -> Vec<InboxItem> {
    rows.into_iter()
        .map(|r| InboxItem {
            href: Some(format!("/participants/{}", r.participant_id)),
            title: format!("{} {}", r.surname, r.first_names),
            detail: Some(status_label(r.status, r.sex.as_deref()).to_owned()),
            due: r
                .status
                .is_active()
                .then(|| opt_date(r.planned_end_on))
                .filter(|d| !d.is_empty())
                .map(|d| format!("planowany koniec udziału {d}")),
            warning: ending_warning(r.status, r.planned_end_on, today),
        })
        .collect()
}

/// The social worker's people, from the caseload read for the page.
fn caseload(read: Vec<CaseloadRow>, more: bool, today: Date) -> InboxGroup {
    let count = read.len() as i64;
    let rows = read
        .into_iter()
        .map(|r| PersonRow {
            participant_id: r.participant_id,
            surname: r.surname,
            first_names: r.first_names,
            status: r.status,
            planned_end_on: r.planned_end_on,
            sex: r.sex,
        })
        .collect();
    let mut group = InboxGroup::reference(
        format!("Moi podopieczni ({})", at_least(count, more)),
        people(rows, today),
        "Nie masz przydzielonych osób.",
    );
    group.links = vec![
        InboxLink {
            href: "/participants?worker=me",
            label: "Wszyscy moi podopieczni",
        },
        InboxLink {
            href: "/participants/new",
            label: "Zarejestruj kandydata",
        },
        InboxLink {
            href: "/participants?worker=all",
            label: "Wszyscy uczestnicy ośrodka",
        },
    ];
    group
}

async fn workshop_members(
    conn: &mut PgConnection,
    user: &CurrentUser,
    today: Date,
) -> Result<InboxGroup> {
    let rows = sqlx::query_as!(
        PersonRow,
        r#"select p.participant_id, p.surname, p.first_names, p.status as "status: Status", p.planned_end_on,
                  p.sex::text as sex
           from participant p
           join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null
           join workshop_instructor w on w.workshop_id = m.workshop_id
           where p.centre_id = $1 and w.staff_user_id = $2
           order by p.surname, p.first_names, p.participant_id
           limit 200"#,
        user.centre_id,
        user.user_id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(InboxGroup::reference(
        format!("Uczestnicy moich pracowni ({})", rows.len()),
        people(rows, today),
        "W Twoich pracowniach nie ma teraz uczestników.",
    ))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_trial_warning_counts_the_days_either_side() {
        let today = date!(2026 - 11 - 30);
        assert!(trial_warning(date!(2026 - 11 - 28), today).contains("minął 2 dni temu"));
        assert!(trial_warning(today, today).contains("dziś"));
        assert!(trial_warning(date!(2026 - 12 - 01), today).contains("za 1 dzień"));
    }
}
