//! Demo retention and rectification: the first centre's periods (as its archival rules would
//! set them), three files from the centre's early years (a graduate past the period, found by
//! the scan and waiting for review; one anonymised; one terminated file under a legal hold), and
//! a history of data changes on one current participant's file. Seeded once.

use sqlx::PgPool;
use time::{Date, Duration, Month};

use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditActor, AuditEvent, Outcome};
use crate::domain::Role;
use crate::participants::pesel::{Pesel, Sex};

/// (class, months, source) of the first centre, from 2015.
const PERIODS: [(&str, i32, &str); 4] = [
    (
        "graduate_file",
        120,
        "Instrukcja kancelaryjna CIS (zarządzenie kierownika nr 3/2015), kat. B10",
    ),
    (
        "terminated_file",
        120,
        "Instrukcja kancelaryjna CIS (zarządzenie kierownika nr 3/2015), kat. B10",
    ),
    (
        "candidate_file",
        24,
        "Instrukcja kancelaryjna CIS (zarządzenie kierownika nr 3/2015), kat. B2",
    ),
    (
        "benefit_records",
        60,
        "Instrukcja kancelaryjna CIS, kat. B5; art. 74 ustawy o rachunkowości",
    ),
];

/// An early file: (surname, first name, sex, status, admitted, ended).
type Early = (&'static str, &'static str, Sex, &'static str, Date, Date);

fn date(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

/// Seeds the first centre's retention data, unless it has periods already.
pub async fn seed(db: &PgPool, centre_name: &str, today: Date) -> anyhow::Result<()> {
    let Some(centre) = sqlx::query!(
        r#"select c.centre_id, u.staff_user_id as manager, w.staff_user_id as worker
           from centre c
           join staff_user u on u.centre_id = c.centre_id and u.role = 'manager'
           join staff_user w on w.centre_id = c.centre_id and w.role = 'social_worker'
           where c.name = $1 and not exists (select 1 from retention_rule r where r.centre_id = c.centre_id)
           order by u.login, w.login limit 1"#,
        centre_name
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(());
    };
    let (centre_id, manager, worker) = (centre.centre_id, centre.manager, centre.worker);
    let mut tx = db.begin().await?;
    for (class, months, source) in PERIODS {
        sqlx::query!(
            "insert into retention_rule (centre_id, class, valid_from, months, source, created_by, created_at)
             values ($1, $2::text::retention_class, '2015-01-01', $3, $4, $5, '2015-01-05')",
            centre_id,
            class,
            months,
            source,
            manager
        )
        .execute(&mut *tx)
        .await?;
    }
    let early: [Early; 3] = [
        (
            "Borkowski",
            "Henryk",
            Sex::Male,
            "graduate",
            date(2012, Month::March, 1),
            date(2013, Month::February, 28),
        ),
        (
            "Czajkowska",
            "Genowefa",
            Sex::Female,
            "graduate",
            date(2011, Month::September, 1),
            date(2012, Month::August, 31),
        ),
        (
            "Dudek",
            "Zbigniew",
            Sex::Male,
            "terminated",
            date(2013, Month::April, 2),
            date(2013, Month::October, 15),
        ),
    ];
    let mut ids = Vec::new();
    for (n, (surname, first, sex, status, admitted, ended)) in early.into_iter().enumerate() {
        let birth = date(1965 + n as i32 * 4, Month::May, 10 + n as u8);
        let graduate = status == "graduate";
        let id = sqlx::query_scalar!(
            r#"insert into participant (centre_id, surname, first_names, pesel, birth_date, sex, address_street,
                   address_postal_code, address_city, responsible_ops, phone, categories, no_exclusion_declared_on,
                   applicant, referrer, referrer_institution, referral_date, consent_date, consent_scope,
                   social_worker_id, status, admitted_on, trial_ends_on, planned_end_on, cap_end_on, ended_on,
                   graduation_outcome, termination_reason, follow_up_until, created_by, created_at)
               values ($1, $2, $3, $4, $5, $6, 'ul. Ogrodowa ' || $7::int, '05-506', 'Lesznowola', 'GOPS Lesznowola',
                   '600 100 20' || $7::int, '{long_term_unemployed}', $8, 'ops', 'ops', 'GOPS Lesznowola', $8, $8,
                   'Rekrutacja i udział w CIS, monitoring absolwenta', $9, $10::text::participant_status, $11::date,
                   $11::date + 30, $12::date, $12::date, $12::date,
                   case when $13::bool then 'employment'::graduation_outcome end,
                   case when not $13::bool then 'left_permanently'::termination_reason end,
                   case when $13::bool then ($12::date + interval '36 months')::date end, $9, $8::date + time '10:00')
               returning participant_id"#,
            centre_id,
            surname,
            first,
            Pesel::generate(birth, 900 + n as u32, sex),
            birth,
            sex.code(),
            n as i32 + 3,
            admitted - Duration::days(30),
            worker,
            status,
            admitted,
            ended,
            graduate
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            r#"insert into participant_status_change (participant_id, centre_id, from_status, to_status, changed_on, reason, decided_by, recorded_at)
               values ($1, $2, null, 'candidate', $3, null, $5, $3::date + time '10:00'),
                      ($1, $2, 'candidate', 'trial', $4, null, $5, $4::date + time '10:00'),
                      ($1, $2, 'trial', $6::text::participant_status, $7, $8, $5, $7::date + time '10:00')"#,
            id,
            centre_id,
            admitted - Duration::days(30),
            admitted,
            manager,
            status,
            ended,
            (!graduate).then_some("Wyjechał do pracy za granicę, nie wrócił do CIS.")
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body, visibility, created_at)
             values ($1, $2, $3, $4, 'conversation', 'Rozmowa na zakończenie udziału',
                     'Omówiono plany po CIS: praca w firmie sprzątającej, kontakt z doradcą PUP.', 'team', $4::date + time '12:00')",
            centre_id,
            id,
            worker,
            ended
        )
        .execute(&mut *tx)
        .await?;
        if graduate {
            sqlx::query!(
                "insert into follow_up_contact (participant_id, centre_id, contacted_on, reached, form, employment,
                     contract, community, skills, skills_match, recorded_by, recorded_at)
                 values ($1, $2, $3, true, 'phone', 'employed', 'fixed_term',
                         'Mieszka z rodziną, spłaca zaległości.', 'Prace porządkowe, obsługa maszyn czyszczących.', 'yes',
                         $4, $3::date + time '15:00')",
                id,
                centre_id,
                ended + Duration::days(90),
                worker
            )
            .execute(&mut *tx)
            .await?;
        }
        ids.push(id);
    }
    // The terminated file is held: a court asked for it.
    sqlx::query!(
        "insert into retention_hold (participant_id, centre_id, reason, until, set_by, set_at)
         values ($1, $2, 'Żądanie Sądu Rejonowego w Piasecznie (sygn. I C 481/26) – akta do dyspozycji sądu.', null, $3, now() - interval '20 days')",
        ids[2],
        centre_id,
        manager
    )
    .execute(&mut *tx)
    .await?;
    // A current participant's data changed twice: a new surname and address, then the phone.
    sqlx::query!(
        r#"with p as (select participant_id, surname, address_street, phone from participant
                      where centre_id = $1 and status = 'participant' and sex = 'K'
                      order by surname, participant_id limit 1)
           insert into participant_rectification (participant_id, centre_id, field, old_value, new_value, changed_by, changed_at)
           select participant_id, $1, 'Nazwisko', 'Zielińska', surname, $2::uuid, now() - interval '75 days' from p
           union all
           select participant_id, $1, 'Ulica i numer', 'ul. Leśna 4 m. 2', address_street, $2::uuid, now() - interval '75 days' from p
           union all
           select participant_id, $1, 'Telefon', '512 000 431', coalesce(phone, ''), $3::uuid, now() - interval '12 days' from p"#,
        centre_id,
        worker,
        manager
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    // The scan finds the two graduates' files; the manager anonymised the older one.
    crate::retention::scan::scan_centre(db, centre_id, today).await?;
    let mut tx = db.begin().await?;
    sqlx::query!(
        "select anonymise_participant($1, $2, $3, $4) as done",
        ids[1],
        centre_id,
        manager,
        today
    )
    .fetch_one(&mut *tx)
    .await?;
    let meta = RequestMeta {
        request_id: "demo".into(),
        client_ip: None,
    };
    let actor = AuditActor {
        user_id: manager,
        role: Role::Manager,
        centre_id,
    };
    let event = AuditEvent::new("retention.anonymise", Outcome::Success)
        .by(actor)
        .on("participant", ids[1])
        .participant(ids[1]);
    audit::record(&mut *tx, &meta, event).await?;
    tx.commit().await?;
    Ok(())
}
