//! Demo graduate follow-up for the first centre: every contact of the schedule that took place
//! gets its record (reached by phone or visit, information from the PUP, the OPS or another
//! institution, a missed try before a reached one), and the graduates show every state of the
//! lists — overdue (for the demo social worker `socjalny1` too), due now (an extra contact the
//! worker planned), upcoming, closer contact — besides those whose three years have passed.
//! Added once (it checks whether the centre has contacts).

use sqlx::PgPool;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::follow_ups::db::{self, ContactData, NewItem, Recording};
use crate::follow_ups::model::{
    ContactForm, ContactPartner, FollowUpKind, GraduateContract, GraduateEmployment, SkillsMatch,
};
use crate::follow_ups::schedule::FollowUpRules;

/// What one demo contact learnt.
struct Story {
    form: ContactForm,
    partner: Option<(ContactPartner, Option<&'static str>)>,
    employment: GraduateEmployment,
    contract: Option<GraduateContract>,
    community: &'static str,
    skills: &'static str,
    skills_match: SkillsMatch,
    problems: &'static str,
    actions: &'static str,
    referred_to_ops: bool,
}

const STORIES: [Story; 7] = [
    Story {
        form: ContactForm::Phone,
        partner: None,
        employment: GraduateEmployment::Employed,
        contract: Some(GraduateContract::FixedTerm),
        community: "Mieszka z siostrą, czynsz opłaca na bieżąco. Spotyka się z dawną grupą z pracowni.",
        skills: "Obsługa zmywarki przemysłowej, przygotowanie prostych posiłków, punktualność.",
        skills_match: SkillsMatch::Yes,
        problems: "",
        actions: "Omówiono przedłużenie umowy; absolwent zadzwoni po rozmowie z pracodawcą.",
        referred_to_ops: false,
    },
    Story {
        form: ContactForm::Visit,
        partner: None,
        employment: GraduateEmployment::SocialCooperative,
        contract: None,
        community: "Samodzielnie prowadzi gospodarstwo domowe, opiekuje się matką.",
        skills: "Pielęgnacja terenów zieleni, obsługa kosiarki i podkaszarki, praca w zespole.",
        skills_match: SkillsMatch::Partly,
        problems: "Trudny dojazd do pracy zimą – autobus kursuje rzadko.",
        actions: "Przekazano informację o dopłacie do biletu miesięcznego z GOPS.",
        referred_to_ops: false,
    },
    Story {
        form: ContactForm::Partner,
        partner: Some((ContactPartner::Pup, None)),
        employment: GraduateEmployment::RegisteredUnemployed,
        contract: None,
        community: "",
        skills: "",
        skills_match: SkillsMatch::Unknown,
        problems: "",
        actions: "Informacja z PUP w Piasecznie: skierowany na szkolenie operatora wózka widłowego. Umówiono rozmowę w CIS po szkoleniu.",
        referred_to_ops: false,
    },
    Story {
        form: ContactForm::Phone,
        partner: None,
        employment: GraduateEmployment::SelfEmployed,
        contract: None,
        community: "Aktywny w kole gospodyń i gospodarzy wiejskich, pomaga sąsiadom.",
        skills: "Drobne prace remontowe, kosztorysowanie prostych zleceń.",
        skills_match: SkillsMatch::Yes,
        problems: "",
        actions: "Podano kontakt do Lokalnego Punktu Informacyjnego Funduszy Europejskich.",
        referred_to_ops: false,
    },
    Story {
        form: ContactForm::Visit,
        partner: None,
        employment: GraduateEmployment::Employed,
        contract: Some(GraduateContract::Permanent),
        community: "Wynajmuje pokój, reguluje opłaty; utrzymuje kontakt z córką.",
        skills: "Sprzątanie powierzchni biurowych, obsługa maszyn czyszczących, rzetelność.",
        skills_match: SkillsMatch::Yes,
        problems: "",
        actions: "Bez potrzeby dalszych działań.",
        referred_to_ops: false,
    },
    Story {
        form: ContactForm::Partner,
        partner: Some((ContactPartner::Ops, None)),
        employment: GraduateEmployment::SupportedEmployment,
        contract: None,
        community: "Korzysta z mieszkania treningowego GOPS.",
        skills: "Prace porządkowe, obsługa magazynu.",
        skills_match: SkillsMatch::Partly,
        problems: "",
        actions: "Informacja od pracownika socjalnego GOPS; ustalono wspólną wizytę za pół roku.",
        referred_to_ops: false,
    },
    Story {
        form: ContactForm::Partner,
        partner: Some((
            ContactPartner::Other,
            Some("Spółdzielnia Socjalna „Razem” w Lesznowoli"),
        )),
        employment: GraduateEmployment::NotWorking,
        contract: None,
        community: "Zaległości w opłatach za mieszkanie po zakończeniu umowy sezonowej.",
        skills: "Kelnerstwo, obsługa kasy fiskalnej.",
        skills_match: SkillsMatch::No,
        problems: "Utrata pracy sezonowej; brak środków na opłaty.",
        actions: "Skierowano ponownie do GOPS w sprawie zasiłku okresowego; zaproponowano rozmowę z doradcą zawodowym CIS.",
        referred_to_ops: true,
    },
];

/// A contact's record time: the day after, at ten (the "as at" of reports).
fn recorded(on: Date) -> OffsetDateTime {
    (on + Duration::days(1))
        .with_time(Time::from_hms(10, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

/// Records a contact (a missed try without a story).
async fn contact(
    conn: &mut sqlx::PgConnection,
    (participant_id, centre_id, recorded_by): (Uuid, Uuid, Uuid),
    on: Date,
    story: Option<&Story>,
) -> sqlx::Result<Uuid> {
    let missed = "Telefon nieodbierany, pozostawiono wiadomość; wysłano list z prośbą o kontakt.";
    let new = ContactData {
        contacted_on: on,
        reached: story.is_some(),
        form: story.map_or(ContactForm::Phone, |s| s.form),
        partner: story.and_then(|s| s.partner.map(|p| p.0)),
        partner_name: story
            .and_then(|s| s.partner.and_then(|p| p.1))
            .map(str::to_owned),
        employment: story.map(|s| s.employment),
        contract: story.and_then(|s| s.contract),
        community: story.map_or("", |s| s.community).to_owned(),
        skills: story.map_or("", |s| s.skills).to_owned(),
        skills_match: story.map(|s| s.skills_match),
        problems: story.map_or("", |s| s.problems).to_owned(),
        actions: story.map_or(missed, |s| s.actions).to_owned(),
        referred_to_ops: story.is_some_and(|s| s.referred_to_ops),
    };
    let recording = Recording {
        centre_id,
        participant_id,
        recorded_by,
        recorded_at: recorded(on),
    };
    db::insert_contact(conn, recording, &new).await
}

/// A graduate of the demo centre with their schedule's facts.
#[derive(sqlx::FromRow)]
struct Graduate {
    participant_id: Uuid,
    ended_on: Date,
    until: Option<Date>,
    worker: Option<Uuid>,
}

/// Adds the demo follow-up of `centre_name`, once.
pub(super) async fn seed(pool: &PgPool, centre_name: &str, today: Date) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    let Some(centre): Option<Uuid> =
        sqlx::query_scalar("select centre_id from centre where name = $1")
            .bind(centre_name)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(());
    };
    let done: bool =
        sqlx::query_scalar("select exists (select 1 from follow_up_contact where centre_id = $1)")
            .bind(centre)
            .fetch_one(&mut *tx)
            .await?;
    if done {
        return Ok(());
    }
    let manager: Uuid = sqlx::query_scalar(
        "select staff_user_id from staff_user where centre_id = $1 and role = 'manager' order by login limit 1",
    )
    .bind(centre)
    .fetch_one(&mut *tx)
    .await?;
    let sylwia: Option<Uuid> =
        sqlx::query_scalar("select staff_user_id from staff_user where login = 'socjalny1'")
            .fetch_optional(&mut *tx)
            .await?;
    // The end of every graduate's follow-up (a database seeded before it was stored lacks it).
    let rules = FollowUpRules::load(&mut *tx, centre).await?;
    let mut graduates: Vec<Graduate> = sqlx::query_as(
        "select participant_id, ended_on, follow_up_until as until, social_worker_id as worker
         from participant where centre_id = $1 and status = 'graduate' and ended_on is not null
         order by ended_on desc, participant_id",
    )
    .bind(centre)
    .fetch_all(&mut *tx)
    .await?;
    for g in graduates.iter_mut().filter(|g| g.until.is_none()) {
        g.until = rules.on(g.ended_on).map(|r| r.until(g.ended_on));
        sqlx::query("update participant set follow_up_until = $2 where participant_id = $1")
            .bind(g.participant_id)
            .bind(g.until)
            .execute(&mut *tx)
            .await?;
    }
    let followed: Vec<&Graduate> = graduates
        .iter()
        .filter(|g| g.until.is_some_and(|u| u >= today))
        .collect();
    // One graduate is overdue: their latest contact due before three weeks ago did not take
    // place; a missed try is on record. Sylwia (the demo social worker) looks after them: when
    // she has no graduate under follow-up, the manager moved this one to her a week ago (the
    // schedule follows the caseload).
    let overdue = followed
        .iter()
        .find(|g| {
            g.worker.is_some() && g.worker == sylwia && g.ended_on < today - Duration::days(120)
        })
        .or_else(|| {
            followed
                .iter()
                .find(|g| g.ended_on < today - Duration::days(120))
        })
        .copied();
    if let (Some(g), Some(sylwia)) = (overdue, sylwia)
        && !followed.iter().any(|f| f.worker == Some(sylwia))
    {
        sqlx::query(
            "with moved as (update participant set social_worker_id = $2 where participant_id = $1
                            returning participant_id, centre_id)
             insert into social_worker_change (participant_id, centre_id, from_worker, to_worker, changed_by, changed_at)
             select participant_id, centre_id, $3, $2, $4, now() - interval '7 days' from moved",
        )
        .bind(g.participant_id)
        .bind(sylwia)
        .bind(g.worker)
        .bind(manager)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(g) = overdue {
        // The latest contact due before three weeks ago and any after it did not take place.
        let due: Option<Date> = sqlx::query_scalar(
            "with open as (
                 update follow_up set contacted_on = null
                 where participant_id = $1 and due_on < $3 and due_on >= (
                     select max(due_on) from follow_up where participant_id = $1 and due_on < $2)
                 returning due_on)
             select min(due_on) from open",
        )
        .bind(g.participant_id)
        .bind(today - Duration::days(20))
        .bind(today)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(due_on) = due {
            let by = g.worker.unwrap_or(manager);
            contact(
                &mut tx,
                (g.participant_id, centre, by),
                due_on + Duration::days(3),
                None,
            )
            .await?;
        }
    }
    // Every contact that took place, with what it learnt; a graduate's first contact of three
    // was preceded by a missed try.
    let done: Vec<(Uuid, Uuid, Date, Option<Uuid>)> = sqlx::query_as(
        "select f.follow_up_id, f.participant_id, f.contacted_on, p.social_worker_id
         from follow_up f join participant p using (participant_id)
         where p.centre_id = $1 and f.contacted_on is not null and f.follow_up_contact_id is null
         order by f.participant_id, f.due_on",
    )
    .bind(centre)
    .fetch_all(&mut *tx)
    .await?;
    let mut previous = None;
    for (i, (item, participant, on, worker)) in done.into_iter().enumerate() {
        let by = worker.unwrap_or(manager);
        if previous != Some(participant) && i % 3 == 0 {
            contact(
                &mut tx,
                (participant, centre, by),
                on - Duration::days(4),
                None,
            )
            .await?;
        }
        previous = Some(participant);
        let story = &STORIES[i % STORIES.len()];
        let id = contact(&mut tx, (participant, centre, by), on, Some(story)).await?;
        sqlx::query("update follow_up set follow_up_contact_id = $2 where follow_up_id = $1")
            .bind(item)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    // The others: closer contact for one (since three weeks, its next contact brought forward
    // where the rule does), and an extra contact planned for another.
    let mut others = Vec::new();
    for g in followed
        .iter()
        .filter(|g| overdue.is_none_or(|o| o.participant_id != g.participant_id))
    {
        let next = db::next_open(&mut *tx, g.participant_id).await?;
        others.push((*g, next));
    }
    let since = today - Duration::days(21);
    let closer_days = rules.timing(since).closer_days;
    let brought_forward = |g: &Graduate, next: Option<Date>| {
        closer_days.and_then(|days| {
            crate::follow_ups::due::closer_item(since, days, next, g.until.unwrap_or(today))
        })
    };
    let closer = others
        .iter()
        .position(|(g, next)| brought_forward(g, *next).is_some())
        .or((!others.is_empty()).then_some(0));
    if let Some((g, next)) = closer.map(|i| others[i]) {
        sqlx::query("update participant set follow_up_closer_since = $2 where participant_id = $1")
            .bind(g.participant_id)
            .bind(since)
            .execute(&mut *tx)
            .await?;
        let entry = db::CloserEntry {
            closer: true,
            effective_on: since,
            reason: "Utrata pracy sezonowej, zaległości w opłatach za mieszkanie.",
        };
        let by = g.worker.unwrap_or(manager);
        db::insert_closer(
            &mut tx,
            (centre, g.participant_id, by),
            &entry,
            recorded(since),
        )
        .await?;
        if let Some(due_on) = brought_forward(g, next) {
            let item = NewItem {
                kind: FollowUpKind::Closer,
                due_on,
                note: Some("Częstszy kontakt"),
                added_by: g.worker.unwrap_or(manager),
                created_at: recorded(since - Duration::days(1)),
            };
            db::add_item(&mut tx, (centre, g.participant_id), &item).await?;
        }
    }
    let extra = (0..others.len()).find(|i| Some(*i) != closer);
    if let Some((g, _)) = extra.map(|i| others[i]) {
        let item = NewItem {
            kind: FollowUpKind::Extra,
            due_on: today + Duration::days(40),
            note: Some("Rozmowa po zakończeniu umowy na okres próbny."),
            added_by: g.worker.unwrap_or(manager),
            created_at: recorded(today - Duration::days(3)),
        };
        db::add_item(&mut tx, (centre, g.participant_id), &item).await?;
        // Reached yesterday: the contacts whose window had opened are done, so the next one is
        // upcoming.
        let yesterday = today - Duration::days(1);
        let window_days = rules.timing(yesterday).window_days;
        let by = g.worker.unwrap_or(manager);
        let id = contact(
            &mut tx,
            (g.participant_id, centre, by),
            yesterday,
            Some(&STORIES[4]),
        )
        .await?;
        db::fulfil(&mut tx, g.participant_id, id, yesterday, window_days).await?;
    }
    tx.commit().await?;
    Ok(())
}
