//! A centre's month computed for every participant: a few statements whatever the number of
//! people (the participants of the month, their entries, their earlier days off, the bonuses,
//! the calendar), then `domain::benefit::compute` for each.

use std::collections::HashMap;

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use super::rules::BenefitRules;
use crate::attendance::db::status_of;
use crate::domain::benefit::{self, DayEntry, MonthInput, Statement};
use crate::domain::calendar;
use crate::error::{AppError, Result};
use crate::validate::dates;

/// A participant of the month.
#[derive(Debug, Clone)]
pub struct Person {
    /// The participant.
    pub participant_id: Uuid,
    /// Surname.
    pub surname: String,
    /// First names.
    pub first_names: String,
    /// PESEL (or none, with a document number instead).
    pub pesel: Option<String>,
    /// Identity document when there is no PESEL.
    pub id_document: Option<String>,
    /// Admission.
    pub admitted_on: Date,
    /// End of participation.
    pub ended_on: Option<Date>,
    /// The first day after the trial.
    pub trial_ends_on: Option<Date>,
    /// In the PAI programme.
    pub pai: bool,
    /// The social worker.
    pub social_worker_id: Option<Uuid>,
}

impl Person {
    /// "Surname First names".
    pub fn name(&self) -> String {
        format!("{} {}", self.surname, self.first_names)
    }

    /// The participation days within `month`: (first, last).
    pub fn period(&self, month: Date) -> (Date, Date) {
        let last = calendar::month_end(month);
        (
            self.admitted_on.max(month),
            self.ended_on.map_or(last, |e| e.min(last)),
        )
    }
}

/// One participant's month.
#[derive(Debug, Clone)]
pub struct Computed {
    /// Who.
    pub person: Person,
    /// The statement (amounts, lines, warnings).
    pub statement: Statement,
}

/// Every participant of `centre_id` in `month`, or only `only`, computed as of `today` (the
/// working days without entries count up to it).
pub async fn month(
    conn: &mut PgConnection,
    centre_id: Uuid,
    month: Date,
    today: Date,
    only: Option<Uuid>,
) -> Result<Vec<Computed>> {
    let last = calendar::month_end(month);
    let people = sqlx::query_as!(
        Person,
        r#"select participant_id, surname as "surname!", first_names as "first_names!", pesel,
                  id_document, admitted_on as "admitted_on!", ended_on, trial_ends_on, pai,
                  social_worker_id
           from participant
           where centre_id = $1 and admitted_on <= $3 and (ended_on is null or ended_on >= $2)
             and ($4::uuid is null or participant_id = $4)
           order by surname, first_names, participant_id"#,
        centre_id,
        month,
        last,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = people.iter().map(|p| p.participant_id).collect();
    let admitted: Vec<Date> = people.iter().map(|p| p.admitted_on).collect();
    let entries = sqlx::query!(
        "select participant_id, day, status, minutes from attendance
         where participant_id = any($1) and day between $2 and $3",
        &ids,
        month,
        last
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_person: HashMap<Uuid, Vec<DayEntry>> = HashMap::new();
    for e in entries {
        if let Some(status) = status_of(e.status) {
            by_person
                .entry(e.participant_id)
                .or_default()
                .push(DayEntry {
                    day: e.day,
                    status,
                    minutes: i64::from(e.minutes),
                });
        }
    }
    let days_off: HashMap<Uuid, i64> = sqlx::query!(
        r#"select a.participant_id, count(*) as "days!"
           from unnest($1::uuid[], $2::date[]) as u(id, admitted)
           join attendance a on a.participant_id = u.id and a.day >= u.admitted and a.day < $3
           where a.status = 'o'
           group by a.participant_id"#,
        &ids,
        &admitted,
        month
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.participant_id, r.days))
    .collect();
    let bonuses: HashMap<Uuid, i64> = sqlx::query!(
        "select participant_id, amount_grosze from bonus_decision
         where centre_id = $1 and month = $2 and granted",
        centre_id,
        month
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.participant_id, i64::from(r.amount_grosze)))
    .collect();
    let closed: Vec<Date> =
        crate::attendance::calendar::closed_days(&mut *conn, centre_id, month, last)
            .await?
            .into_iter()
            .map(|(d, _)| d)
            .collect();
    let until = last.min(today);
    let working = if until < month {
        Vec::new()
    } else {
        calendar::working_days(month, until, &closed)
    };
    let rules = BenefitRules::load(&mut *conn, centre_id).await?;
    people
        .into_iter()
        .map(|person| {
            let (first, _) = person.period(month);
            // Nobody silently drops out of a month: without rules in force it cannot be computed.
            let rule = rules.on(first).ok_or_else(|| {
                AppError::conflict(format!(
                    "Brak zasad świadczenia (kwoty zasiłku dla bezrobotnych) na {} – dodaj je w zasadach świadczenia.",
                    calendar::day_in_words(first)
                ))
            })?;
            let input = MonthInput {
                month,
                from: person.admitted_on,
                until: person.ended_on,
                trial_ends_on: person
                    .trial_ends_on
                    .unwrap_or_else(|| dates::add_months(person.admitted_on, 1)),
                entries: by_person.remove(&person.participant_id).unwrap_or_default(),
                days_off_before: days_off.get(&person.participant_id).copied().unwrap_or(0),
                working_days: working.clone(),
                pai: person.pai,
                bonus_grosze: bonuses.get(&person.participant_id).copied().unwrap_or(0),
            };
            let statement = benefit::compute(&rule, &input);
            Ok(Computed { person, statement })
        })
        .collect()
}
