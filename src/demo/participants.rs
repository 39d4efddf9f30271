//! Fictional participants: the demo data and `teczka seed --participants N --centre C`, which
//! the benchmark uses. Names are random combinations of common Polish names; PESEL numbers have
//! valid checksums but are generated. Every generated record goes through the same validated
//! types as a registration (`ParticipantData`) and takes its durations from the same
//! effective-dated rules as the app. Bulk rows go in with COPY, so 100,000 participants with
//! their histories load in seconds.

use std::collections::HashSet;

use anyhow::{Context, anyhow};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{PgConnection, PgPool};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::names::{FEMALE, MALE, STREETS, SURNAMES, female_form};
use crate::domain::{Category, Status};
use crate::follow_ups::schedule::FollowUpRules;
use crate::participants::form::DEFAULT_CONSENT_SCOPE;
use crate::participants::identity::{PersonName, Phone, PostalCode};
use crate::participants::model::{Applicant, ContractType, Referrer, TerminationReason};
use crate::participants::pesel::{Pesel, Sex};
use crate::participants::record::ParticipantData;
use crate::participants::rules::{ParticipationRules, Period};
use crate::participants::transition::Graduation;
use crate::validate::dates;

/// Workshops created when a centre has none.
pub const WORKSHOPS: &[&str] = &[
    "Gastronomiczna",
    "Remontowo-budowlana",
    "Porządkowo-gospodarcza",
    "Ogrodnicza",
];

/// One generated participant with everything that hangs off it.
pub(super) struct Person {
    pub(super) id: Uuid,
    pub(super) data: ParticipantData,
    pub(super) worker: Option<Uuid>,
    pub(super) status: Status,
    pub(super) admitted: Option<Date>,
    pub(super) period: Option<Period>,
    pub(super) ended: Option<Date>,
    pub(super) graduation: Option<Graduation>,
    pub(super) termination: Option<TerminationReason>,
    /// (from, to, on, reason)
    pub(super) history: Vec<(Option<Status>, Status, Date, String)>,
    pub(super) workshop: Option<(Uuid, Date)>,
}

struct Generator<'a> {
    rng: StdRng,
    today: Date,
    city: String,
    used: HashSet<String>,
    workers: &'a [Uuid],
    /// How many more people the first of `workers` may be given (see [`Generated::Bulk`]).
    first_worker_left: usize,
    workshops: &'a [Uuid],
    rules: ParticipationRules,
}

/// The dates of a generated life in the centre.
struct Dates {
    registered: Date,
    reserve_on: Option<Date>,
    admitted: Option<Date>,
    ended: Option<Date>,
}

impl Generator<'_> {
    fn pick<'s>(&mut self, list: &[&'s str]) -> &'s str {
        list[self.rng.random_range(0..list.len())]
    }

    fn days_ago(&mut self, from: i64, to: i64) -> Date {
        self.today - Duration::days(self.rng.random_range(from..=to))
    }

    fn between(&mut self, from: i64, to: i64) -> Duration {
        Duration::days(self.rng.random_range(from..to))
    }

    fn status(&mut self) -> Status {
        match self.rng.random_range(0..100) {
            0..10 => Status::Candidate,
            10..18 => Status::Reserve,
            18..25 => Status::Trial,
            25..60 => Status::Participant,
            60..85 => Status::Graduate,
            _ => Status::Terminated,
        }
    }

    /// Dates worked backwards from the status, so that every history is consistent.
    fn dates(&mut self, status: Status) -> Dates {
        let before = |g: &mut Self, d: Date, from, to| d - g.between(from, to);
        match status {
            Status::Candidate => Dates {
                registered: self.days_ago(0, 120),
                reserve_on: None,
                admitted: None,
                ended: None,
            },
            Status::Reserve => {
                let r = self.days_ago(0, 90);
                Dates {
                    registered: before(self, r, 3, 30),
                    reserve_on: Some(r),
                    admitted: None,
                    ended: None,
                }
            }
            Status::Trial | Status::Participant => {
                let a = if status == Status::Trial {
                    self.days_ago(0, 28)
                } else {
                    self.days_ago(32, 345)
                };
                let r = before(self, a, 5, 40);
                Dates {
                    registered: before(self, r, 3, 30),
                    reserve_on: Some(r),
                    admitted: Some(a),
                    ended: None,
                }
            }
            Status::Graduate | Status::Terminated => {
                let e = self.days_ago(1, 2000);
                let early = status == Status::Terminated && self.rng.random_bool(0.3);
                let a = (!early).then(|| before(self, e, 60, 360));
                let r = before(self, a.unwrap_or(e), 5, if early { 60 } else { 40 });
                Dates {
                    registered: before(self, r, 3, 30),
                    reserve_on: Some(r),
                    admitted: a,
                    ended: Some(e),
                }
            }
        }
    }

    fn identity(&mut self) -> (Sex, String, String, Date, Option<String>, Option<String>) {
        let sex = if self.rng.random_bool(0.55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let base = self.pick(SURNAMES);
        let surname = if sex == Sex::Female {
            female_form(base)
        } else {
            base.to_owned()
        };
        let names = if sex == Sex::Female { FEMALE } else { MALE };
        let mut first_names = self.pick(names).to_owned();
        if self.rng.random_bool(0.15) {
            let second = self.pick(names);
            if second != first_names {
                first_names = format!("{first_names} {second}");
            }
        }
        let birth_date = self.days_ago(18 * 366, 64 * 365);
        if self.rng.random_bool(0.02) {
            // A refugee without PESEL, identified by a residence card.
            let card = format!("karta pobytu RP{:07}", self.rng.random_range(0..10_000_000));
            return (sex, surname, first_names, birth_date, None, Some(card));
        }
        loop {
            let candidate = Pesel::generate(birth_date, self.rng.random_range(0..1000), sex);
            if self.used.insert(candidate.clone()) {
                return (sex, surname, first_names, birth_date, Some(candidate), None);
            }
        }
    }

    fn categories(&mut self, refugee: bool) -> Vec<Category> {
        let mut categories = Vec::new();
        if refugee {
            categories.push(Category::Refugee);
        }
        for (category, chance) in [
            (Category::LongTermUnemployed, 0.6),
            (Category::Homeless, 0.15),
            (Category::Alcohol, 0.2),
            (Category::Drugs, 0.06),
            (Category::MentalIllness, 0.08),
            (Category::Prison, 0.1),
            (Category::Disability, 0.12),
        ] {
            if self.rng.random_bool(chance) {
                categories.push(category);
            }
        }
        if categories.is_empty() {
            categories.push(Category::LongTermUnemployed);
        }
        categories
    }

    fn data(&mut self, registered: Date) -> anyhow::Result<ParticipantData> {
        let (sex, surname, first_names, birth_date, pesel, id_document) = self.identity();
        let categories = self.categories(pesel.is_none());
        let long_term = categories.contains(&Category::LongTermUnemployed);
        let referrer = if long_term && self.rng.random_bool(0.5) {
            Referrer::Pup
        } else {
            Referrer::Ops
        };
        let applicant = Applicant::ALL[self.rng.random_range(0..Applicant::ALL.len())];
        let city = self.city.clone();
        let phone = self.rng.random_bool(0.8).then(|| {
            format!(
                "{} {:03} {:03}",
                [501, 602, 693, 724, 785][self.rng.random_range(0..5)],
                self.rng.random_range(0..1000),
                self.rng.random_range(0..1000)
            )
        });
        let street = format!(
            "ul. {} {}",
            self.pick(STREETS),
            self.rng.random_range(1..120)
        );
        let postal = format!(
            "{:02}-{:03}",
            self.rng.random_range(0..100),
            self.rng.random_range(0..1000)
        );
        Ok(ParticipantData {
            surname: PersonName::parse(&surname).map_err(|e| anyhow!(e))?,
            first_names: PersonName::parse(&first_names).map_err(|e| anyhow!(e))?,
            pesel: pesel.as_deref().map(Pesel::parse).transpose()?,
            birth_date,
            sex: Some(sex),
            id_document,
            address_street: street,
            address_postal_code: PostalCode::parse(&postal).map_err(|e| anyhow!(e))?,
            responsible_ops: format!("Gminny Ośrodek Pomocy Społecznej (gmina {city})"),
            phone: phone
                .as_deref()
                .map(Phone::parse)
                .transpose()
                .map_err(|e| anyhow!(e))?
                .flatten(),
            categories,
            category_other: None,
            no_exclusion_declared_on: registered,
            applicant_institution: match applicant {
                Applicant::Person => None,
                Applicant::Ops => Some(format!("GOPS (gmina {city})")),
                Applicant::Pcpr => Some("Powiatowe Centrum Pomocy Rodzinie w Piasecznie".into()),
                Applicant::AddictionFacility => {
                    Some("Poradnia Terapii Uzależnień w Piasecznie".into())
                }
                Applicant::Ngo => Some("Stowarzyszenie „Pomocna Dłoń”".into()),
                Applicant::Kis => Some("Klub Integracji Społecznej w Piasecznie".into()),
            },
            applicant,
            referrer_institution: match referrer {
                Referrer::Ops => format!("GOPS (gmina {city})"),
                Referrer::Pup => "Powiatowy Urząd Pracy w Piasecznie".into(),
            },
            referrer,
            referral_date: registered,
            consent_date: registered,
            consent_scope: DEFAULT_CONSENT_SCOPE.into(),
            address_city: city,
        })
    }

    fn person(&mut self, status: Status) -> anyhow::Result<Person> {
        let Dates {
            registered,
            reserve_on,
            admitted,
            ended,
        } = self.dates(status);
        let data = self.data(registered)?;
        let worker = if self.workers.is_empty()
            || (status == Status::Candidate && self.rng.random_bool(0.2))
        {
            None
        } else {
            let mut pick = self.rng.random_range(0..self.workers.len());
            if pick == 0 && self.workers.len() > 1 {
                if self.first_worker_left == 0 {
                    pick = self.rng.random_range(1..self.workers.len());
                } else {
                    self.first_worker_left -= 1;
                }
            }
            Some(self.workers[pick])
        };
        let mut history = vec![(
            None,
            Status::Candidate,
            registered,
            "Rejestracja kandydata".to_owned(),
        )];
        if let Some(r) = reserve_on {
            history.push((Some(Status::Candidate), Status::Reserve, r, String::new()));
        }
        let period = admitted.and_then(|a| self.rules.on(a).map(|rule| rule.period(a)));
        if let (Some(a), Some(p)) = (admitted, period) {
            history.push((
                Some(Status::Reserve),
                Status::Trial,
                a,
                format!(
                    "Przyjęcie w uzgodnieniu z kierownikiem OPS: Halina Wrona ({})",
                    dates::format(a)
                ),
            ));
            if ended.is_none_or(|e| e >= p.trial_ends_on) && status != Status::Trial {
                history.push((
                    Some(Status::Trial),
                    Status::Participant,
                    p.trial_ends_on,
                    String::new(),
                ));
            }
        }
        let last = history.last().map(|h| (h.1, h.2));
        let (mut graduation, mut termination) = (None, None);
        if let (Some(e), Some((from, last_on))) = (ended, last) {
            let on = e.max(last_on);
            if status == Status::Graduate {
                let g = match self.rng.random_range(0..10) {
                    0..5 => Graduation::Employment(
                        ContractType::ALL[self.rng.random_range(0..ContractType::ALL.len())],
                    ),
                    5..6 => Graduation::OwnBusiness,
                    _ => Graduation::PeriodElapsed,
                };
                history.push((
                    Some(from),
                    Status::Graduate,
                    on,
                    g.outcome().label().to_owned(),
                ));
                graduation = Some(g);
            } else {
                let r = TerminationReason::ALL[self.rng.random_range(0..3)];
                history.push((Some(from), Status::Terminated, on, r.label().to_owned()));
                termination = Some(r);
            }
        }
        let workshop = match (admitted, self.workshops.is_empty()) {
            (Some(a), false) if status.is_active() => Some((
                self.workshops[self.rng.random_range(0..self.workshops.len())],
                a,
            )),
            _ => None,
        };
        Ok(Person {
            id: Uuid::new_v4(),
            data,
            worker,
            status,
            admitted,
            period,
            ended,
            graduation,
            termination,
            history,
            workshop,
        })
    }
}

/// The people [`generate`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generated {
    /// The demo's: statuses cycle through all six.
    Demo,
    /// `teczka seed`'s crowd: statuses in a realistic mix, and the centre's first social worker
    /// (by login) is given at most [`FIRST_CASELOAD`] of them, a caseload as a CIS has one,
    /// while the others share the rest (at 100,000 people, tens of thousands each: the
    /// benchmark measures both kinds of Start page).
    Bulk,
}

/// The most people [`Generated::Bulk`] gives the centre's first social worker.
pub const FIRST_CASELOAD: usize = 40;

/// Generates and inserts `count` participants into `centre_id`, with histories, workshop
/// placements and follow-up schedules. Runs in the caller's transaction.
pub async fn generate(
    conn: &mut PgConnection,
    centre_id: Uuid,
    count: usize,
    seed: u64,
    today: Date,
    generated: Generated,
) -> anyhow::Result<Vec<Uuid>> {
    let city: String =
        sqlx::query_scalar!("select city from centre where centre_id = $1", centre_id)
            .fetch_optional(&mut *conn)
            .await?
            .context("no such centre")?;
    let workers: Vec<Uuid> = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'social_worker' and active order by login", centre_id)
        .fetch_all(&mut *conn)
        .await?;
    let workshops = workshops(conn, centre_id).await?;
    let used: HashSet<String> = sqlx::query_scalar!(
        r#"select pesel as "pesel!" from participant where centre_id = $1 and pesel is not null"#,
        centre_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let manager: Option<Uuid> = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'manager' and active order by login limit 1", centre_id)
        .fetch_optional(&mut *conn)
        .await?;
    let follow_up = FollowUpRules::load(&mut *conn, centre_id).await?;
    let mut generator = Generator {
        rng: StdRng::seed_from_u64(seed),
        today,
        city: if city.is_empty() {
            "Lesznowoli".into()
        } else {
            city
        },
        used,
        workers: &workers,
        first_worker_left: match generated {
            Generated::Demo => usize::MAX,
            Generated::Bulk => FIRST_CASELOAD,
        },
        workshops: &workshops,
        rules: ParticipationRules::load(&mut *conn, centre_id).await?,
    };
    let mut ids = Vec::with_capacity(count);
    let centre = centre_id.to_string();
    let batch = 10_000;
    let mut done = 0;
    while done < count {
        let size = batch.min(count - done);
        let mut rows = super::copy::Batch::default();
        for i in 0..size {
            let status = if generated == Generated::Demo {
                Status::ALL[(done + i) % Status::ALL.len()]
            } else {
                generator.status()
            };
            let person = generator.person(status)?;
            rows.add(&person, &centre, manager, &follow_up, today);
            ids.push(person.id);
        }
        rows.send(conn).await?;
        done += size;
    }
    Ok(ids)
}

/// The centre's workshops, created from [`WORKSHOPS`] when it has none.
async fn workshops(conn: &mut PgConnection, centre_id: Uuid) -> anyhow::Result<Vec<Uuid>> {
    let mut workshops: Vec<Uuid> = sqlx::query_scalar!(
        "select workshop_id from workshop where centre_id = $1 order by name",
        centre_id
    )
    .fetch_all(&mut *conn)
    .await?;
    if workshops.is_empty() {
        for name in WORKSHOPS {
            workshops.push(
                sqlx::query_scalar!(
                    "insert into workshop (centre_id, name) values ($1, $2) returning workshop_id",
                    centre_id,
                    name
                )
                .fetch_one(&mut *conn)
                .await?,
            );
        }
    }
    Ok(workshops)
}

/// `teczka seed`: finds the centre by name or id and adds `count` participants.
pub async fn bulk(pool: &PgPool, centre: &str, count: usize, today: Date) -> anyhow::Result<Uuid> {
    let mut tx = pool.begin().await?;
    let centre_id = match Uuid::parse_str(centre) {
        Ok(id) => {
            sqlx::query_scalar!("select centre_id from centre where centre_id = $1", id)
                .fetch_optional(&mut *tx)
                .await?
        }
        Err(_) => {
            sqlx::query_scalar!("select centre_id from centre where name = $1", centre)
                .fetch_optional(&mut *tx)
                .await?
        }
    }
    .with_context(|| format!("no centre named `{centre}` (give its exact name or id)"))?;
    let seed = u64::try_from(OffsetDateTime::now_utc().unix_timestamp()).unwrap_or(0);
    generate(&mut tx, centre_id, count, seed, today, Generated::Bulk).await?;
    tx.commit().await?;
    // Fresh statistics, so that the first queries after a big load get good plans.
    sqlx::query(
        "vacuum analyze participant, participant_status_change, workshop_membership, follow_up",
    )
    .execute(pool)
    .await?;
    Ok(centre_id)
}
