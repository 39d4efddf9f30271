//! A group's day: every member listed with "present" and the planned hours pre-filled, the
//! exceptions changed, the whole group saved in one POST (one transaction, one statement for
//! the rows). A change of an entry after the day is a correction: it needs a reason, is kept in
//! `attendance_change` and audited per participant. A closed month refuses every change.

use std::collections::{BTreeMap, HashSet};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use time::Date;
use uuid::Uuid;

use super::Group;
use super::db::{self, DayRow, Entry};
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{self, Action, Target, attendance_rows};
use crate::auth::session::CurrentUser;
use crate::domain::benefit::DayStatus;
use crate::domain::calendar;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::validate::hours;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::{Choice, FieldErrors};
use crate::web::page::{Layout, render_with_status};

/// `{workshop}/{day}`: a workshop id and an ISO date; anything else answers 404.
pub(super) fn parse_path(workshop: &str, day: &str) -> Result<(Uuid, Date)> {
    let workshop = Uuid::parse_str(workshop).map_err(|_| AppError::NotFound)?;
    let day = dates::parse(day).map_err(|_| AppError::NotFound)?;
    Ok((workshop, day))
}

/// One member's line of the form.
struct Line {
    index: usize,
    participant_id: Uuid,
    name: String,
    statuses: Vec<Choice>,
    hours: String,
    reasons: Vec<Choice>,
    /// "wpisano", "poprawiono po dniu" or nothing yet.
    state: &'static str,
    limit: Option<String>,
}

#[derive(Template)]
#[template(path = "attendance/day.html")]
struct DayPage {
    layout: Layout,
    workshop_id: Uuid,
    workshop_name: String,
    day: String,
    day_title: String,
    previous: String,
    next: Option<String>,
    month: String,
    planned: String,
    lines: Vec<Line>,
    /// Why the day cannot be entered, if it cannot.
    notice: Option<String>,
    /// Entries exist and the day is past: a change needs a reason.
    correcting: bool,
    reason: String,
    errors: FieldErrors,
}

/// The form as posted: `p{i}` the participant, `s{i}` the status, `h{i}` the hours, `r{i}` the
/// reason of a justified absence; `reason` the reason of a correction.
type Posted = BTreeMap<String, String>;

/// Why `day` cannot be entered at all, in words.
fn day_notice(today: Date, day: Date, facts: &db::DayFacts) -> Option<String> {
    if day > today {
        return Some(format!(
            "Obecność wpisuje się w dniu zajęć albo później – dzień {} r. jeszcze nie nadszedł.",
            calendar::day_in_words(day)
        ));
    }
    if let Some(name) = calendar::holiday(day) {
        return Some(format!(
            "{} to dzień wolny od pracy: {name}.",
            calendar::day_in_words(day)
        ));
    }
    if let Some(reason) = &facts.closed_reason {
        return Some(format!("Centrum jest tego dnia zamknięte: {reason}."));
    }
    if day.weekday().number_from_monday() > 5 && facts.planned == 0 {
        return Some(format!(
            "{} to {} – program pracowni nie ma tego dnia zajęć.",
            calendar::day_in_words(day),
            calendar::weekday_name(day)
        ));
    }
    facts.month_closed.then(|| closed_month(day))
}

fn closed_month(day: Date) -> String {
    format!(
        "{} jest zamknięty – zmiany są możliwe dopiero po ponownym otwarciu miesiąca przez kierownika.",
        capitalized(&calendar::month_title(day))
    )
}

fn status_choices(current: &str) -> Vec<Choice> {
    DayStatus::ALL
        .into_iter()
        .map(|s| Choice::new(s.code(), capitalized(s.label()), current))
        .collect()
}

fn capitalized(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether `minutes` present are more than the line holds now (nothing recorded, an absence,
/// or fewer hours).
fn raised(row: &DayRow, minutes: i16) -> bool {
    let present = row.status.and_then(db::status_of) == Some(DayStatus::Present);
    !present || row.minutes.unwrap_or(0) < minutes
}

/// The person's own limits as the line shows them.
fn limit_label(row: &DayRow) -> Option<String> {
    let daily = row
        .daily_limit_minutes
        .map(|l| format!("{} h dziennie", hours::format(i64::from(l))));
    let weekly = row.weekly_limit_minutes.map(|l| {
        let left = (i64::from(l) - row.week_minutes.unwrap_or(0)).max(0);
        format!(
            "{} h tygodniowo (w pozostałe dni tego tygodnia wpisano {} h, zostało {} h)",
            hours::format(i64::from(l)),
            hours::format(row.week_minutes.unwrap_or(0)),
            hours::format(left)
        )
    });
    match (daily, weekly) {
        (Some(d), Some(w)) => Some(format!("limit {d}, {w}")),
        (d, w) => d.or(w).map(|l| format!("limit {l}")),
    }
}

/// The lines of the form: what is posted (after an error) or recorded, else present with the
/// planned hours (within the person's own limit).
fn lines(
    rows: &[DayRow],
    planned: i64,
    reasons: &[(String, String)],
    posted: Option<&Posted>,
) -> Vec<Line> {
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            let recorded = row.status.and_then(db::status_of);
            let default_minutes = row.most_minutes().map_or(planned, |most| planned.min(most));
            let field = |name: &str| {
                posted.and_then(|p| {
                    let id = p.get(&format!("p{index}"))?;
                    (id == &row.participant_id.to_string())
                        .then(|| p.get(&format!("{name}{index}")).cloned())?
                })
            };
            let status = field("s")
                .unwrap_or_else(|| recorded.unwrap_or(DayStatus::Present).code().to_owned());
            let hours = field("h").unwrap_or_else(|| match recorded {
                Some(DayStatus::Present) => hours::format(i64::from(row.minutes.unwrap_or(0))),
                Some(_) => String::new(),
                None => hours::format(default_minutes),
            });
            let reason = field("r").unwrap_or_else(|| row.reason.clone().unwrap_or_default());
            let mut reason_choices = vec![Choice::new("", "– nie dotyczy –", &reason)];
            reason_choices.extend(
                reasons
                    .iter()
                    .map(|(code, name)| Choice::new(code.clone(), name.clone(), &reason)),
            );
            Line {
                index,
                participant_id: row.participant_id,
                name: format!("{} {}", row.surname, row.first_names),
                statuses: status_choices(&status),
                hours,
                reasons: reason_choices,
                state: match (recorded, row.corrected) {
                    (None, _) => "",
                    (Some(_), Some(true)) => "poprawiono po dniu",
                    (Some(_), _) => "wpisano",
                },
                limit: limit_label(row),
            }
        })
        .collect()
}

fn page(
    state: &AppState,
    user: &CurrentUser,
    group: &Group,
    day: Date,
    (rows, facts): (&[DayRow], &db::DayFacts),
    posted: Option<&Posted>,
    errors: FieldErrors,
) -> DayPage {
    let (planned, reasons) = (facts.planned, &facts.reasons);
    let notice = day_notice(state.today(), day, facts);
    let today = state.today();
    let previous = day.previous_day().unwrap_or(day);
    let next = day.next_day().filter(|d| *d <= today);
    DayPage {
        layout: Layout::for_user(
            state,
            user,
            format!("Obecność: {}", group.name),
            "/attendance",
        ),
        workshop_id: group.workshop_id,
        workshop_name: group.name.clone(),
        day: dates::iso(day),
        day_title: format!(
            "{}, {}",
            calendar::weekday_name(day),
            calendar::day_in_words(day)
        ),
        previous: dates::iso(previous),
        next: next.map(dates::iso),
        month: calendar::month_code(day),
        planned: hours::format(planned),
        lines: lines(rows, planned, reasons, posted),
        notice,
        correcting: day < today && rows.iter().any(|r| r.status.is_some()),
        reason: posted
            .and_then(|p| p.get("reason").cloned())
            .unwrap_or_default(),
        errors,
    }
}

/// The day list again with the posted values and `errors` (422). It shows the group's names
/// and absences, so the view is audited like the list's first showing (the save's transaction
/// has ended: nothing of it was written).
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    group: &Group,
    day: Date,
    sheet: (&[DayRow], &db::DayFacts),
    posted: &Posted,
    errors: FieldErrors,
) -> Result<Response> {
    let event = super::read_event(
        user,
        group.workshop_id,
        format!("day {} (form)", dates::iso(day)),
    );
    crate::audit::record_read(&state.db, &user.meta, event).await?;
    let page = page(state, user, group, day, sheet, Some(posted), errors);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `GET /attendance/{workshop}/{day}`.
pub(super) async fn day_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((workshop, day)): Path<(String, String)>,
) -> Result<Response> {
    let (workshop, day) = parse_path(&workshop, &day)?;
    let group = super::open(&state, &user, workshop).await?;
    let event = super::read_event(&user, workshop, format!("day {}", dates::iso(day)));
    let (rows, facts) = db::day_sheet(
        &mut *state.db.acquire().await?,
        Some((&user.meta, event)),
        (user.centre_id, workshop),
        day,
        attendance_rows(user.actor()),
    )
    .await?;
    let page = page(
        &state,
        &user,
        &group,
        day,
        (&rows, &facts),
        None,
        FieldErrors::new(),
    );
    render_with_status(StatusCode::OK, &page)
}

/// `POST /attendance/{workshop}/{day}`: the whole group in one transaction.
pub(super) async fn save_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((workshop, day)): Path<(String, String)>,
    SecureForm(posted): SecureForm<Posted>,
) -> Result<Response> {
    let (workshop, day) = parse_path(&workshop, &day)?;
    let mut tx = state.db.begin().await?;
    let found = db::workshop_for_day(&mut tx, user.centre_id, workshop, user.user_id, day)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = Target::Workshop(&found.facts);
    if let Err(refusal) = policy::check(user.actor(), Action::RecordAttendance, target) {
        drop(tx);
        return Err(user
            .refused(&state, Action::RecordAttendance, target, refusal)
            .await);
    }
    let group = Group {
        workshop_id: workshop,
        name: found.name,
    };
    let (rows, facts) = db::day_sheet(
        &mut tx,
        None,
        (user.centre_id, workshop),
        day,
        attendance_rows(user.actor()),
    )
    .await?;
    let mut errors = FieldErrors::new();
    if let Some(notice) = day_notice(state.today(), day, &facts) {
        errors.add("day", notice);
    }
    let entries = match read_entries(&posted, &rows, &facts.reasons, &mut errors)? {
        Some(entries) if errors.is_empty() => entries,
        _ => {
            drop(tx);
            return refuse(&state, &user, &group, day, (&rows, &facts), &posted, errors).await;
        }
    };
    let today = state.today();
    let changes: Vec<db::Change> = rows
        .iter()
        .zip(&entries)
        .filter_map(|(row, entry)| {
            let old = (
                row.status.and_then(db::status_of)?,
                row.minutes.unwrap_or(0),
            );
            let changed = old != (entry.status, entry.minutes) || row.reason != entry.reason;
            (changed && day < today).then_some(db::Change {
                participant_id: row.participant_id,
                old,
                new: (entry.status, entry.minutes),
            })
        })
        .collect();
    let reason = posted
        .get("reason")
        .map(|r| r.trim().to_owned())
        .unwrap_or_default();
    if !changes.is_empty() && reason.is_empty() {
        errors.add(
            "reason",
            "Podaj powód korekty – zmieniasz wpisy z dnia, który już minął.",
        );
    } else if reason.chars().count() > 500 {
        errors.add("reason", "Powód korekty może mieć najwyżej 500 znaków.");
    }
    if !errors.is_empty() {
        drop(tx);
        return refuse(&state, &user, &group, day, (&rows, &facts), &posted, errors).await;
    }
    let entries: Vec<Entry> = entries
        .into_iter()
        .map(|mut e| {
            e.corrected = changes.iter().any(|c| c.participant_id == e.participant_id);
            e
        })
        .collect();
    // Only the lines that are new or differ are written (a list saved again unchanged writes
    // nothing but its audit row).
    let entries: Vec<Entry> = entries
        .into_iter()
        .zip(&rows)
        .filter(|(e, row)| {
            row.status.and_then(db::status_of) != Some(e.status)
                || row.minutes.unwrap_or(0) != e.minutes
                || row.reason != e.reason
        })
        .map(|(e, _)| e)
        .collect();
    let written = if entries.is_empty() {
        0
    } else {
        db::save(
            &mut tx,
            user.centre_id,
            workshop,
            day,
            user.user_id,
            &entries,
        )
        .await?
    };
    if !changes.is_empty() {
        db::record_changes(
            &mut tx,
            user.centre_id,
            day,
            user.user_id,
            &reason,
            &changes,
        )
        .await?;
        for change in &changes {
            let event = AuditEvent::new("attendance.correct", Outcome::Success)
                .by(user.audit_actor())
                .on("participant", change.participant_id)
                .participant(change.participant_id)
                .detail(format!(
                    "{} {} {}→{} {}",
                    dates::iso(day),
                    change.old.0.code(),
                    change.old.1,
                    change.new.0.code(),
                    change.new.1
                ));
            crate::audit::record(&mut *tx, &user.meta, event).await?;
        }
    }
    let present = entries
        .iter()
        .filter(|e| e.status == DayStatus::Present)
        .count();
    let event = AuditEvent::new(Action::RecordAttendance.code(), Outcome::Success)
        .on("workshop", workshop)
        .detail(format!(
            "{} rows={} written={written} corrections={}",
            dates::iso(day),
            entries.len(),
            changes.len()
        ));
    let message = format!(
        "Zapisano obecność z {}: {} os., w tym obecnych {present}.{}",
        calendar::day_in_words(day),
        entries.len(),
        if changes.is_empty() {
            String::new()
        } else {
            format!(" Korekty: {}.", changes.len())
        }
    );
    finish(
        tx,
        &user,
        event,
        &message,
        &format!("/attendance/{workshop}/{}", dates::iso(day)),
    )
    .await
}

/// The posted lines, one per member in the order shown: `Ok(None)` with `errors` filled when a
/// value is wrong; 404 when a line names someone who is not a member the user records (another
/// workshop, centre or caseload). A member missing from the form (the group changed meanwhile)
/// or one named twice is an error of the whole form.
fn read_entries(
    posted: &Posted,
    rows: &[DayRow],
    reasons: &[(String, String)],
    errors: &mut FieldErrors,
) -> Result<Option<Vec<Entry>>> {
    let allowed = ["reason"];
    let mut seen = HashSet::new();
    let mut by_id: BTreeMap<Uuid, (usize, Entry)> = BTreeMap::new();
    let mut index = 0;
    while let Some(raw) = posted.get(&format!("p{index}")) {
        let id = Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?;
        let row = rows
            .iter()
            .find(|r| r.participant_id == id)
            .ok_or(AppError::NotFound)?;
        if !seen.insert(id) {
            errors.add("day", "Ta sama osoba występuje w formularzu dwa razy – otwórz listę ponownie i zapisz ją raz.");
            return Ok(None);
        }
        let value = |name: &str| {
            posted
                .get(&format!("{name}{index}"))
                .map(String::as_str)
                .unwrap_or("")
        };
        let status = DayStatus::from_code(value("s"));
        let mut entry = Entry {
            participant_id: id,
            status: status.unwrap_or(DayStatus::Present),
            minutes: 0,
            reason: None,
            corrected: false,
        };
        let who = format!("{} {}", row.surname, row.first_names);
        match status {
            None => errors.add(
                format!("s{index}"),
                format!("{who}: wybierz obecność albo rodzaj nieobecności z listy."),
            ),
            Some(DayStatus::Present) => match hours::parse(value("h"), 0, 1440) {
                Ok(0) => errors.add(
                    format!("h{index}"),
                    format!("{who}: obecność wymaga liczby godzin większej od zera."),
                ),
                // The limits bind hours raised above what was recorded: a line left as it
                // was (or lowered) stays valid after a limit set later in the week.
                Ok(minutes)
                    if raised(row, minutes)
                        && row.daily_limit_minutes.is_some_and(|l| minutes > l) =>
                {
                    errors.add(
                        format!("h{index}"),
                        format!(
                            "{who}: dzienny limit tej osoby to {} h.",
                            hours::format(i64::from(row.daily_limit_minutes.unwrap_or(0)))
                        ),
                    )
                }
                Ok(minutes)
                    if raised(row, minutes)
                        && row
                            .most_minutes()
                            .is_some_and(|most| i64::from(minutes) > most) =>
                {
                    errors.add(
                        format!("h{index}"),
                        format!(
                            "{who}: tygodniowy limit tej osoby to {} h, a w pozostałe dni tego tygodnia ma już wpisane {} h – tego dnia może być najwyżej {} h.",
                            hours::format(i64::from(row.weekly_limit_minutes.unwrap_or(0))),
                            hours::format(row.week_minutes.unwrap_or(0)),
                            hours::format(row.most_minutes().unwrap_or(0))
                        ),
                    );
                }
                Ok(minutes) => entry.minutes = minutes,
                Err(message) => errors.add(format!("h{index}"), format!("{who}: {message}")),
            },
            Some(DayStatus::Justified) => match reasons.iter().find(|(code, _)| code == value("r"))
            {
                Some((code, _)) => entry.reason = Some(code.clone()),
                None => errors.add(
                    format!("r{index}"),
                    format!("{who}: wybierz przyczynę nieobecności usprawiedliwionej."),
                ),
            },
            Some(_) => {}
        }
        by_id.insert(id, (index, entry));
        index += 1;
    }
    let known = |key: &str| {
        allowed.contains(&key)
            || ["p", "s", "h", "r"].iter().any(|p| {
                key.strip_prefix(p)
                    .and_then(|n| n.parse::<usize>().ok())
                    .is_some_and(|n| n < index)
            })
    };
    if let Some(key) = posted.keys().find(|k| !known(k)) {
        return Err(AppError::bad_request(format!(
            "Nieznane pole formularza: {key}."
        )));
    }
    if rows.iter().any(|r| !by_id.contains_key(&r.participant_id)) {
        errors.add(
            "day",
            "Skład grupy zmienił się, odkąd lista została otwarta – sprawdź ją i zapisz ponownie.",
        );
        return Ok(None);
    }
    Ok(Some(
        rows.iter()
            .filter_map(|r| by_id.remove(&r.participant_id).map(|(_, e)| e))
            .collect(),
    ))
}
