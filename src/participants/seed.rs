//! Fictional participants: the demo data and `teczka seed --participants N --centre C`, which
//! the benchmark uses. Names are random combinations of common Polish names; PESEL numbers have
//! valid checksums but are generated. Bulk rows go in with COPY, so 100,000 participants with
//! their histories load in seconds.

use std::collections::HashSet;
use std::fmt::Write as _;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{PgConnection, PgPool};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::lifecycle::FOLLOW_UP_MONTHS;
use super::model::{
    Applicant, ContractType, DocumentKind, GraduationOutcome, Referrer, TerminationReason,
};
use super::pesel::{Pesel, Sex};
use crate::domain::{Category, Status};
use crate::validate::dates;

const SURNAMES: &[&str] = &[
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
    "Michalski",
    "Nowicki",
    "Adamczyk",
    "Dudek",
    "Zając",
    "Wieczorek",
    "Jabłoński",
    "Król",
    "Majewski",
    "Olszewski",
    "Jaworski",
    "Wróbel",
    "Malinowski",
    "Pawlak",
    "Witkowski",
    "Walczak",
    "Stępień",
    "Górski",
    "Rutkowski",
    "Michalak",
    "Sikora",
    "Ostrowski",
    "Baran",
    "Duda",
    "Szewczyk",
    "Tomaszewski",
    "Pietrzak",
    "Marciniak",
    "Wróblewski",
    "Zalewski",
    "Jakubowski",
    "Jasiński",
    "Zawadzki",
    "Sadowski",
    "Bąk",
    "Chmielewski",
    "Włodarczyk",
    "Borkowski",
    "Czarnecki",
    "Sawicki",
    "Sokołowski",
    "Urbański",
    "Kubiak",
    "Maciejewski",
    "Szczepański",
    "Kucharski",
    "Wilk",
    "Kalinowski",
    "Lis",
    "Mazurek",
    "Wysocki",
    "Adamski",
    "Kaźmierczak",
    "Wasilewski",
    "Sobczak",
    "Czerwiński",
    "Andrzejewski",
    "Cieślak",
    "Głowacki",
    "Zakrzewski",
    "Kołodziej",
    "Sikorski",
    "Krajewski",
    "Gajewski",
    "Szymczak",
    "Szulc",
    "Baranowski",
    "Laskowski",
    "Brzeziński",
    "Makowski",
    "Ziółkowski",
    "Przybylski",
    "Łukasiewicz",
    "Łuczak",
    "Śliwiński",
    "Żak",
    "Żukowski",
    "Ćwiek",
    "Olejniczak",
    "Błaszczyk",
];
const FEMALE: &[&str] = &[
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Magdalena",
    "Joanna",
    "Zofia",
    "Monika",
    "Teresa",
    "Danuta",
    "Natalia",
    "Aleksandra",
    "Karolina",
    "Marta",
    "Beata",
    "Dorota",
    "Halina",
    "Jadwiga",
    "Jolanta",
    "Iwona",
    "Grażyna",
    "Bożena",
    "Urszula",
    "Renata",
    "Justyna",
    "Paulina",
    "Sylwia",
    "Wiesława",
    "Alicja",
    "Łucja",
];
const MALE: &[&str] = &[
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Jan",
    "Paweł",
    "Michał",
    "Marcin",
    "Stanisław",
    "Jakub",
    "Adam",
    "Marek",
    "Łukasz",
    "Grzegorz",
    "Mateusz",
    "Wojciech",
    "Mariusz",
    "Dariusz",
    "Zbigniew",
    "Jerzy",
    "Maciej",
    "Rafał",
    "Robert",
    "Kamil",
    "Józef",
    "Janusz",
    "Ryszard",
    "Tadeusz",
    "Sławomir",
    "Bogdan",
    "Henryk",
    "Mirosław",
    "Leszek",
    "Zdzisław",
    "Kazimierz",
    "Ireneusz",
];
const STREETS: &[&str] = &[
    "Lipowa",
    "Polna",
    "Leśna",
    "Słoneczna",
    "Krótka",
    "Szkolna",
    "Ogrodowa",
    "Łąkowa",
    "Kościuszki",
    "Mickiewicza",
    "Sienkiewicza",
    "Kolejowa",
    "Parkowa",
    "Długa",
    "Zielona",
];
/// Default workshops created when a centre has none.
pub const WORKSHOPS: &[&str] = &[
    "Gastronomiczna",
    "Remontowo-budowlana",
    "Porządkowo-gospodarcza",
    "Ogrodnicza",
];

fn female_form(surname: &str) -> String {
    for (male, female) in [("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")] {
        if let Some(stem) = surname.strip_suffix(male) {
            return format!("{stem}{female}");
        }
    }
    surname.to_owned()
}

/// The participation rule rows, to compute durations without a query per participant.
struct Rules(Vec<(Date, i32, i32, i32)>);

impl Rules {
    async fn load(conn: &mut PgConnection) -> sqlx::Result<Self> {
        let rows = sqlx::query!("select valid_from, trial_months, base_months, cap_months from participation_rule where centre_id is null order by valid_from")
            .fetch_all(conn)
            .await?;
        Ok(Rules(
            rows.into_iter()
                .map(|r| (r.valid_from, r.trial_months, r.base_months, r.cap_months))
                .collect(),
        ))
    }

    fn on(&self, date: Date) -> (i32, i32, i32) {
        self.0
            .iter()
            .rev()
            .find(|r| r.0 <= date)
            .or(self.0.first())
            .map(|r| (r.1, r.2, r.3))
            .unwrap_or((1, 11, 24))
    }
}

/// One generated participant with everything that hangs off it.
struct Person {
    id: Uuid,
    surname: String,
    first_names: String,
    pesel: Option<String>,
    birth_date: Date,
    sex: Sex,
    id_document: Option<String>,
    street: String,
    postal: String,
    city: String,
    ops: String,
    phone: Option<String>,
    categories: Vec<Category>,
    applicant: Applicant,
    applicant_institution: Option<String>,
    referrer: Referrer,
    referrer_institution: String,
    registered: Date,
    worker: Option<Uuid>,
    status: Status,
    admitted: Option<Date>,
    trial_end: Option<Date>,
    planned_end: Option<Date>,
    cap_end: Option<Date>,
    ended: Option<Date>,
    outcome: Option<(GraduationOutcome, Option<ContractType>)>,
    termination: Option<TerminationReason>,
    /// (from, to, on, reason)
    history: Vec<(Option<Status>, Status, Date, String)>,
    workshop: Option<(Uuid, Date)>,
}

struct Generator<'a> {
    rng: StdRng,
    today: Date,
    city: String,
    used: HashSet<String>,
    workers: &'a [Uuid],
    workshops: &'a [Uuid],
    rules: Rules,
}

/// The status changes only the manager decides.
fn manager_decides(to: Status) -> bool {
    matches!(
        to,
        Status::Trial | Status::Participant | Status::Graduate | Status::Terminated
    )
}

impl Generator<'_> {
    fn pick<'s>(&mut self, list: &[&'s str]) -> &'s str {
        list[self.rng.random_range(0..list.len())]
    }

    fn days_ago(&mut self, from: i64, to: i64) -> Date {
        self.today - Duration::days(self.rng.random_range(from..=to))
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

    fn person(&mut self, status: Status) -> Person {
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
        let refugee = self.rng.random_bool(0.02);
        let (pesel, id_document) = if refugee {
            (
                None,
                Some(format!(
                    "karta pobytu RP{:07}",
                    self.rng.random_range(0..10_000_000)
                )),
            )
        } else {
            loop {
                let candidate = Pesel::generate(birth_date, self.rng.random_range(0..1000), sex);
                if self.used.insert(candidate.clone()) {
                    break (Some(candidate), None);
                }
            }
        };
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
        let long_term = categories.contains(&Category::LongTermUnemployed);
        let referrer = if long_term && self.rng.random_bool(0.5) {
            Referrer::Pup
        } else {
            Referrer::Ops
        };
        let applicant = [
            Applicant::Person,
            Applicant::Ops,
            Applicant::Pcpr,
            Applicant::AddictionFacility,
            Applicant::Ngo,
            Applicant::Kis,
        ][self.rng.random_range(0..6)];
        let city = self.city.clone();
        let worker = if self.workers.is_empty()
            || (status == Status::Candidate && self.rng.random_bool(0.2))
        {
            None
        } else {
            Some(self.workers[self.rng.random_range(0..self.workers.len())])
        };

        // Dates, worked backwards from the status so that every history is consistent.
        let mut history = Vec::new();
        let (registered, reserve_on, admitted, ended) = match status {
            Status::Candidate => (self.days_ago(0, 120), None, None, None),
            Status::Reserve => {
                let r = self.days_ago(0, 90);
                (
                    r - Duration::days(self.rng.random_range(3..30)),
                    Some(r),
                    None,
                    None,
                )
            }
            Status::Trial | Status::Participant => {
                let a = if status == Status::Trial {
                    self.days_ago(0, 28)
                } else {
                    self.days_ago(32, 345)
                };
                let r = a - Duration::days(self.rng.random_range(5..40));
                (
                    r - Duration::days(self.rng.random_range(3..30)),
                    Some(r),
                    Some(a),
                    None,
                )
            }
            Status::Graduate | Status::Terminated => {
                let e = self.days_ago(1, 2000);
                let early = status == Status::Terminated && self.rng.random_bool(0.3);
                if early {
                    let r = e - Duration::days(self.rng.random_range(5..60));
                    (
                        r - Duration::days(self.rng.random_range(3..30)),
                        Some(r),
                        None,
                        Some(e),
                    )
                } else {
                    let a = e - Duration::days(self.rng.random_range(60..360));
                    let r = a - Duration::days(self.rng.random_range(5..40));
                    (
                        r - Duration::days(self.rng.random_range(3..30)),
                        Some(r),
                        Some(a),
                        Some(e),
                    )
                }
            }
        };
        history.push((
            None,
            Status::Candidate,
            registered,
            "Rejestracja kandydata".to_owned(),
        ));
        if let Some(r) = reserve_on {
            history.push((Some(Status::Candidate), Status::Reserve, r, String::new()));
        }
        let (mut trial_end, mut planned_end, mut cap_end) = (None, None, None);
        if let Some(a) = admitted {
            let (trial, base, cap) = self.rules.on(a);
            let t = dates::add_months(a, trial);
            trial_end = Some(t);
            planned_end = Some(dates::add_months(t, base));
            cap_end = Some(dates::add_months(t, cap));
            history.push((
                Some(Status::Reserve),
                Status::Trial,
                a,
                format!(
                    "Przyjęcie w uzgodnieniu z kierownikiem OPS: Halina Wrona ({})",
                    dates::format(a)
                ),
            ));
            let confirmed = ended.is_none_or(|e| e >= t) && status != Status::Trial;
            if confirmed {
                history.push((Some(Status::Trial), Status::Participant, t, String::new()));
            }
        }
        let last = history.last().map(|h| h.1).unwrap_or(Status::Candidate);
        let mut outcome = None;
        let mut termination = None;
        if let Some(e) = ended {
            if status == Status::Graduate {
                let o = match self.rng.random_range(0..10) {
                    0..5 => (
                        GraduationOutcome::Employment,
                        Some(ContractType::ALL[self.rng.random_range(0..4)]),
                    ),
                    5..6 => (GraduationOutcome::OwnBusiness, None),
                    _ => (GraduationOutcome::PeriodElapsed, None),
                };
                history.push((
                    Some(last),
                    Status::Graduate,
                    e.max(history.last().map(|h| h.2).unwrap_or(e)),
                    o.0.label().to_owned(),
                ));
                outcome = Some(o);
            } else {
                let r = TerminationReason::ALL[self.rng.random_range(0..3)];
                history.push((
                    Some(last),
                    Status::Terminated,
                    e.max(history.last().map(|h| h.2).unwrap_or(e)),
                    r.label().to_owned(),
                ));
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
        Person {
            id: Uuid::new_v4(),
            surname,
            first_names,
            pesel,
            birth_date,
            sex,
            id_document,
            street: format!(
                "ul. {} {}",
                self.pick(STREETS),
                self.rng.random_range(1..120)
            ),
            postal: format!(
                "{:02}-{:03}",
                self.rng.random_range(0..100),
                self.rng.random_range(0..1000)
            ),
            ops: format!("Gminny Ośrodek Pomocy Społecznej (gmina {city})"),
            city,
            phone: self.rng.random_bool(0.8).then(|| {
                format!(
                    "{} {:03} {:03}",
                    [501, 602, 693, 724, 785][self.rng.random_range(0..5)],
                    self.rng.random_range(0..1000),
                    self.rng.random_range(0..1000)
                )
            }),
            applicant_institution: match applicant {
                Applicant::Person => None,
                Applicant::Ops => Some(format!("GOPS (gmina {})", self.city)),
                Applicant::Pcpr => {
                    Some("Powiatowe Centrum Pomocy Rodzinie w Piasecznie".to_owned())
                }
                Applicant::AddictionFacility => {
                    Some("Poradnia Terapii Uzależnień w Piasecznie".to_owned())
                }
                Applicant::Ngo => Some("Stowarzyszenie „Pomocna Dłoń”".to_owned()),
                Applicant::Kis => Some("Klub Integracji Społecznej w Piasecznie".to_owned()),
            },
            categories,
            applicant,
            referrer_institution: match referrer {
                Referrer::Ops => format!("GOPS (gmina {})", self.city),
                Referrer::Pup => "Powiatowy Urząd Pracy w Piasecznie".to_owned(),
            },
            referrer,
            registered,
            worker,
            status,
            admitted,
            trial_end,
            planned_end,
            cap_end,
            ended,
            outcome,
            termination,
            history,
            workshop,
        }
    }
}

/// COPY text format: `\N` for null; our generated values never contain tabs or backslashes.
fn field(out: &mut String, value: Option<&str>) {
    match value {
        Some(v) => out.push_str(v),
        None => out.push_str("\\N"),
    }
    out.push('\t');
}

fn end_row(out: &mut String) {
    out.pop();
    out.push('\n');
}

async fn copy(conn: &mut PgConnection, statement: &str, data: String) -> anyhow::Result<()> {
    let mut copy = conn.copy_in_raw(statement).await?;
    copy.send(data.into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

/// Generates and inserts `count` participants into `centre_id`, with histories, workshop
/// placements and follow-up schedules. Runs in the caller's transaction.
/// With `every_status`, statuses cycle through all six (demo data); otherwise they follow a
/// realistic distribution.
pub async fn generate(
    conn: &mut PgConnection,
    centre_id: Uuid,
    count: usize,
    seed: u64,
    today: Date,
    every_status: bool,
) -> anyhow::Result<Vec<Uuid>> {
    let city: String =
        sqlx::query_scalar!("select city from centre where centre_id = $1", centre_id)
            .fetch_optional(&mut *conn)
            .await?
            .context("no such centre")?;
    let workers: Vec<Uuid> = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'social_worker' and active order by login", centre_id)
        .fetch_all(&mut *conn)
        .await?;
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
    let used: HashSet<String> = sqlx::query_scalar!(
        r#"select pesel as "pesel!" from participant where centre_id = $1 and pesel is not null"#,
        centre_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let rules = Rules::load(&mut *conn).await?;
    let manager: Option<Uuid> = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'manager' and active order by login limit 1", centre_id)
        .fetch_optional(&mut *conn)
        .await?;
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
        workshops: &workshops,
        rules,
    };
    let mut ids = Vec::with_capacity(count);
    let centre = centre_id.to_string();
    let batch = 10_000;
    let mut done = 0;
    while done < count {
        let size = batch.min(count - done);
        let people: Vec<Person> = (0..size)
            .map(|i| {
                let status = if every_status {
                    Status::ALL[(done + i) % Status::ALL.len()]
                } else {
                    generator.status()
                };
                generator.person(status)
            })
            .collect();
        let (mut p, mut h, mut m, mut f) =
            (String::new(), String::new(), String::new(), String::new());
        for x in &people {
            let created = OffsetDateTime::new_utc(
                x.registered,
                Time::from_hms(9, 0, 0).unwrap_or(Time::MIDNIGHT),
            );
            let cats = format!(
                "{{{}}}",
                x.categories
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let iso = |d: Option<Date>| d.map(dates::iso);
            for v in [
                Some(x.id.to_string()),
                Some(centre.clone()),
                Some(x.surname.clone()),
                Some(x.first_names.clone()),
                x.pesel.clone(),
                Some(dates::iso(x.birth_date)),
                Some(x.sex.code().to_owned()),
                x.id_document.clone(),
                Some(x.street.clone()),
                Some(x.postal.clone()),
                Some(x.city.clone()),
                Some(x.ops.clone()),
                x.phone.clone(),
                Some(cats),
                Some(dates::iso(x.registered)),
                Some(x.applicant.code().to_owned()),
                x.applicant_institution.clone(),
                Some(x.referrer.code().to_owned()),
                Some(x.referrer_institution.clone()),
                Some(dates::iso(x.registered)),
                Some(dates::iso(x.registered)),
                Some(super::form::DEFAULT_CONSENT_SCOPE.to_owned()),
                x.worker.map(|w| w.to_string()),
                Some(x.status.code().to_owned()),
                iso(x.admitted),
                x.admitted
                    .map(|_| "Halina Wrona, kierownik GOPS".to_owned()),
                iso(x.admitted),
                iso(x.trial_end),
                iso(x.planned_end),
                iso(x.cap_end),
                iso(x.ended),
                x.outcome.map(|o| o.0.code().to_owned()),
                x.outcome.and_then(|o| o.1).map(|c| c.code().to_owned()),
                x.termination.map(|t| t.code().to_owned()),
                Some(
                    created
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                ),
            ] {
                field(&mut p, v.as_deref());
            }
            end_row(&mut p);
            for (i, (from, to, on, reason)) in x.history.iter().enumerate() {
                let recorded = OffsetDateTime::new_utc(
                    *on,
                    Time::from_hms(10, 0, 0).unwrap_or(Time::MIDNIGHT),
                ) + Duration::seconds(i as i64);
                for v in [
                    Some(x.id.to_string()),
                    Some(centre.clone()),
                    from.map(|s| s.code().to_owned()),
                    Some(to.code().to_owned()),
                    Some(dates::iso(*on)),
                    (!reason.is_empty()).then(|| reason.clone()),
                    if manager_decides(*to) {
                        manager.map(|m| m.to_string())
                    } else {
                        x.worker.map(|w| w.to_string())
                    },
                    Some(
                        recorded
                            .format(&time::format_description::well_known::Rfc3339)
                            .unwrap_or_default(),
                    ),
                ] {
                    field(&mut h, v.as_deref());
                }
                end_row(&mut h);
            }
            if let Some((workshop, from)) = x.workshop {
                for v in [
                    workshop.to_string(),
                    x.id.to_string(),
                    centre.clone(),
                    dates::iso(from),
                ] {
                    field(&mut m, Some(&v));
                }
                end_row(&mut m);
            }
            if let (Status::Graduate, Some(ended)) = (x.status, x.ended) {
                for (sequence, months) in (1..).zip(FOLLOW_UP_MONTHS) {
                    let due = dates::add_months(ended, months);
                    let contacted = (due < today).then(|| dates::iso(due));
                    let _ = write!(f, "{}\t{centre}\t{sequence}\t{}\t", x.id, dates::iso(due));
                    field(&mut f, contacted.as_deref());
                    end_row(&mut f);
                }
            }
        }
        copy(
            conn,
            "copy participant (participant_id, centre_id, surname, first_names, pesel, birth_date, sex, id_document, \
             address_street, address_postal_code, address_city, responsible_ops, phone, categories, no_exclusion_declared_on, \
             applicant, applicant_institution, referrer, referrer_institution, referral_date, consent_date, consent_scope, \
             social_worker_id, status, admitted_on, ops_agreement_name, ops_agreement_date, trial_ends_on, planned_end_on, \
             cap_end_on, ended_on, graduation_outcome, employment_contract, termination_reason, created_at) from stdin",
            p,
        )
        .await?;
        copy(
            conn,
            "copy participant_status_change (participant_id, centre_id, from_status, to_status, changed_on, reason, decided_by, recorded_at) from stdin",
            h,
        )
        .await?;
        if !m.is_empty() {
            copy(conn, "copy workshop_membership (workshop_id, participant_id, centre_id, member_from) from stdin", m).await?;
        }
        if !f.is_empty() {
            copy(conn, "copy follow_up (participant_id, centre_id, sequence, due_on, contacted_on) from stdin", f).await?;
        }
        ids.extend(people.iter().map(|x| x.id));
        done += size;
    }
    Ok(ids)
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
    generate(&mut tx, centre_id, count, seed, today, false).await?;
    tx.commit().await?;
    // Fresh statistics, so that the first queries after a big load get good plans.
    sqlx::query(
        "vacuum analyze participant, participant_status_change, workshop_membership, follow_up",
    )
    .execute(pool)
    .await?;
    Ok(centre_id)
}

/// Demo participants for both demo centres: every status, workshops with the demo instructor,
/// recruitment documents, an extension and a participant close to the end. Added once.
pub async fn demo(pool: &PgPool, today: Date) -> anyhow::Result<()> {
    let exists: bool = sqlx::query_scalar!(r#"select exists (select 1 from participant) as "e!""#)
        .fetch_one(pool)
        .await?;
    if exists {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for (index, (centre_name, _)) in crate::demo::CENTRES.iter().enumerate() {
        let centre_id: Uuid =
            sqlx::query_scalar!("select centre_id from centre where name = $1", centre_name)
                .fetch_one(&mut *tx)
                .await?;
        let instructor = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'instructor' order by login limit 1", centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        for (i, name) in WORKSHOPS.iter().enumerate() {
            let teacher = if i < 2 { instructor } else { None };
            sqlx::query!(
                "insert into workshop (centre_id, name, instructor_id) values ($1, $2, $3)",
                centre_id,
                name,
                teacher
            )
            .execute(&mut *tx)
            .await?;
        }
        let count = if index == 0 { 36 } else { 12 };
        let ids = generate(&mut tx, centre_id, count, 2026 + index as u64, today, true).await?;
        let author = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'social_worker' order by login limit 1", centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(author) = author {
            let mut rng = StdRng::seed_from_u64(7 + index as u64);
            for id in ids.iter().take(count / 2) {
                for kind in DocumentKind::ALL.iter().take(rng.random_range(1..=6)) {
                    sqlx::query!(
                        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id) values ($1, $2, $3, $4, $5, $6)",
                        id,
                        centre_id,
                        *kind as DocumentKind,
                        today - Duration::days(rng.random_range(1..60)),
                        format!("{} – wypełniono wraz z osobą, podpisano.", kind.label()),
                        author
                    )
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        // One active participant close to the planned end, with an extension on record.
        let manager = sqlx::query_scalar!("select staff_user_id from staff_user where centre_id = $1 and role = 'manager' order by login limit 1", centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        let near = sqlx::query_scalar!(
            "select participant_id from participant where centre_id = $1 and status = 'participant' order by surname, participant_id limit 1",
            centre_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let (Some(near), Some(manager)) = (near, manager) {
            let soon = today + Duration::days(12);
            let previous = soon - Duration::days(61);
            sqlx::query!(
                "update participant set planned_end_on = $2 where participant_id = $1",
                near,
                soon
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                r#"insert into participation_extension (participant_id, centre_id, decided_on, decided_by, reason, previous_end_on, new_end_on)
                   values ($1, $2, $3, $4, 'Potrzebny dodatkowy czas na egzamin końcowy w pracowni.', $5, $6)"#,
                near,
                centre_id,
                today - Duration::days(40),
                manager,
                previous,
                soon
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_take_the_feminine_form() {
        assert_eq!(female_form("Kowalski"), "Kowalska");
        assert_eq!(female_form("Czarnecki"), "Czarnecka");
        assert_eq!(female_form("Zawadzki"), "Zawadzka");
        assert_eq!(female_form("Nowak"), "Nowak");
    }
}
