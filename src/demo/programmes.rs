//! Demo IPZS programmes in every state, in the first demo centre, for the first social worker's
//! caseload: a draft, one submitted (on the manager's Start), one returned with a comment (on
//! the social worker's Start), one approved waiting for signatures, programmes in realization
//! with monitoring entries (one overdue), one with a signed amendment (a diff to see) and a
//! closed one with its final evaluation. Written straight into the engine's tables, with the
//! same text shapes the app writes (`ipzs::content`). Added once.

use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::documents::version::Sections;
use crate::domain::OpinionKind;
use crate::ipzs::content::{Goal, Programme, Stage};
use crate::validate::dates;

/// One step of a demo programme's history: (version, step, from, to, comment, by the manager,
/// days ago).
type Step<'a> = (i32, &'a str, &'a str, &'a str, Option<&'a str>, bool, i64);

/// A realistic programme for a person in `workshop`, starting on `from`.
fn programme(workshop: &str, goal: &str, from: Date) -> Programme {
    let mut p = Programme::new(workshop, "GOPS w Lesznowoli");
    for (key, text) in [
        (
            "diagnosis_sources",
            "Długotrwałe bezrobocie (ponad 4 lata), utrata mieszkania po rozwodzie, okresowe nadużywanie alkoholu – obecnie po terapii, w abstynencji od 10 miesięcy.",
        ),
        (
            "diagnosis_strengths",
            "Doświadczenie w pracach fizycznych, sumienność, dobra współpraca w grupie, gotowość do zmiany.",
        ),
        (
            "diagnosis_weaknesses",
            "Brak aktualnych uprawnień zawodowych, zadłużenie, niska samoocena, trudności z punktualnością.",
        ),
        (
            "diagnosis_tried",
            "Staż z PUP w 2023 r. przerwany po 2 miesiącach; prace sezonowe bez umowy.",
        ),
        (
            "social",
            "Grupa samopomocowa raz w tygodniu, trening kompetencji społecznych, wsparcie w uregulowaniu zadłużenia (doradztwo).",
        ),
        (
            "vocational",
            "Zajęcia w pracowni 6 godz. dziennie, szkolenie BHP, kurs zawodowy, doradztwo zawodowe i przygotowanie do rozmowy kwalifikacyjnej.",
        ),
        (
            "abilities",
            "Wytrzymałość fizyczna na 8 godzin pracy, koordynacja ruchowa, koncentracja uwagi, praca w zespole.",
        ),
        (
            "training",
            "Stopniowe wydłużanie czasu pracy w pracowni, zadania zespołowe, ćwiczenia z psychologiem (radzenie sobie ze stresem).",
        ),
        ("ops_name", "Barbara Wiśniewska"),
        // Agreed before the programme was drafted (never in the future: it precedes admission).
        (
            "ops_date",
            &dates::iso(
                from.min(dates::polish_today(OffsetDateTime::now_utc())) - Duration::days(5),
            ),
        ),
    ] {
        p.set_text(key, text);
    }
    p.goals = vec![
        Goal {
            text: goal.to_owned(),
            measure: "Umowa o pracę na co najmniej 1/2 etatu".to_owned(),
            due: dates::iso(from + Duration::days(330)),
        },
        Goal {
            text: "Regularna obecność na zajęciach".to_owned(),
            measure: "Co najmniej 90% obecności w miesiącu".to_owned(),
            due: dates::iso(from + Duration::days(90)),
        },
        Goal {
            text: "Uregulowanie zaległości w opłatach za mieszkanie".to_owned(),
            measure: "Porozumienie ze spółdzielnią i 6 rat spłaconych".to_owned(),
            due: dates::iso(from + Duration::days(240)),
        },
    ];
    let mut start = from;
    for stage in &mut p.stages {
        let end = start + Duration::days(30);
        *stage = Stage {
            name: stage.name.clone(),
            from: dates::iso(start),
            until: dates::iso(end),
        };
        start = end + Duration::days(1);
    }
    p.period_from = dates::iso(from);
    p.period_until = dates::iso(dates::add_months(from, 12) - Duration::days(1));
    p
}

/// A demo programme's parts.
struct Demo<'a> {
    participant: Uuid,
    status: &'a str,
    /// (text, status, amendment's reason)
    versions: Vec<(Sections, &'a str, Option<&'a str>)>,
    steps: Vec<Step<'a>>,
    /// (version, days ago) of both signatures.
    signed: Vec<(i32, i64)>,
    /// (phase, days ago, situation, assessment of every goal)
    entries: &'a [(&'a str, i64, &'a str, &'a str)],
}

struct People {
    centre: Uuid,
    worker: Uuid,
    manager: Uuid,
}

async fn insert(conn: &mut PgConnection, who: &People, d: Demo<'_>) -> sqlx::Result<()> {
    let now = OffsetDateTime::now_utc();
    let current = i32::try_from(d.versions.len()).unwrap_or(1);
    let id: Uuid = sqlx::query_scalar(
        "insert into document (centre_id, participant_id, kind, status, current_version, author_id, created_at)
         values ($1, $2, 'ipzs', $3::document_status, $4, $5, $6) returning document_id",
    )
    .bind(who.centre)
    .bind(d.participant)
    .bind(d.status)
    .bind(current)
    .bind(who.worker)
    .bind(now - Duration::days(d.steps.first().map_or(10, |s| s.6 + 1)))
    .fetch_one(&mut *conn)
    .await?;
    for (n, (sections, status, reason)) in d.versions.iter().enumerate() {
        let number = i32::try_from(n).unwrap_or(0) + 1;
        let days = d
            .steps
            .iter()
            .find(|s| s.0 == number && matches!(s.1, "create" | "amend"))
            .map_or(0, |s| s.6);
        sqlx::query(
            "insert into document_version (document_id, number, based_on, status, sections, reason, created_by, created_at)
             values ($1, $2, $3, $4::document_status, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(number)
        .bind((number > 1).then_some(number - 1))
        .bind(*status)
        .bind(Json(sections))
        .bind(*reason)
        .bind(who.worker)
        .bind(now - Duration::days(days))
        .execute(&mut *conn)
        .await?;
    }
    for (version, step, from, to, comment, by_manager, days) in &d.steps {
        sqlx::query(
            "insert into document_event (document_id, centre_id, version, step, from_status, to_status, comment, decided_by, occurred_at)
             values ($1, $2, $3, $4, $5::document_status, $6::document_status, $7, $8, $9)",
        )
        .bind(id)
        .bind(who.centre)
        .bind(version)
        .bind(step)
        .bind(from)
        .bind(to)
        .bind(comment)
        .bind(if *by_manager { who.manager } else { who.worker })
        .bind(now - Duration::days(*days))
        .execute(&mut *conn)
        .await?;
    }
    let today = dates::polish_today(now);
    for (version, days) in &d.signed {
        for party in ["participant", "manager"] {
            sqlx::query(
                "insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by, recorded_at)
                 values ($1, $2, $3::signature_party, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(version)
            .bind(party)
            .bind(who.centre)
            .bind(today - Duration::days(*days))
            .bind(who.worker)
            .bind(now - Duration::days(*days))
            .execute(&mut *conn)
            .await?;
        }
    }
    let goals: Vec<(String, String)> = d
        .versions
        .last()
        .map(|(s, _, _)| Programme::from_sections(s).goal_keys())
        .unwrap_or_default();
    for (phase, days, situation, assessment) in d.entries {
        let assessed: Vec<serde_json::Value> = goals
            .iter()
            .map(|(goal, text)| {
                serde_json::json!({"goal": goal, "text": text, "assessment": assessment,
                                   "comment": if *phase == "start" { "" } else { "Zgodnie z planem, bez większych trudności." }})
            })
            .collect();
        sqlx::query(
            "insert into document_monitoring (document_id, centre_id, version, phase, entry_on, situation, goals, author_id)
             values ($1, $2, $3, $4::monitoring_phase, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(who.centre)
        .bind(current)
        .bind(phase)
        .bind(today - Duration::days(*days))
        .bind(situation)
        .bind(Json(assessed))
        .bind(who.worker)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Signed-off opinions of every kind the participant has none of (a programme past its draft
/// was written from them), by the centre's psychologist, career advisor and instructor.
async fn opinions(conn: &mut PgConnection, who: &People, participant: Uuid) -> sqlx::Result<()> {
    for kind in OpinionKind::ALL {
        // A request still open was answered before the programme went further.
        sqlx::query(
            "update opinion set status = 'signed_off', sections = $3, signed_off_at = now() - interval '20 days'
             where participant_id = $1 and kind = $2::opinion_kind and status = 'requested'",
        )
        .bind(participant)
        .bind(kind.code())
        .bind(Json(super::opinions::signed_text(kind)))
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "insert into opinion (centre_id, participant_id, kind, requested_by, requested_at, author_id,
                                  status, sections, signed_off_at, revision)
             select $1, $2, $3::opinion_kind, $4, now() - interval '130 days', a.staff_user_id,
                    'signed_off', $5, now() - interval '118 days', 2
             from staff_user a
             where a.centre_id = $1 and a.role::text = $3 and a.active
               and not exists (select 1 from opinion o where o.participant_id = $2
                               and o.kind = $3::opinion_kind and o.status = 'signed_off')
             order by a.login limit 1",
        )
        .bind(who.centre)
        .bind(participant)
        .bind(kind.code())
        .bind(who.worker)
        .bind(Json(super::opinions::signed_text(kind)))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The first `n` participants of the caseload in `status`: those still waiting for a requested
/// opinion first, then by surname.
async fn people(
    conn: &mut PgConnection,
    worker: Uuid,
    status: &str,
    n: i64,
) -> sqlx::Result<Vec<(Uuid, Option<String>)>> {
    sqlx::query_as(
        "select p.participant_id, w.name from participant p
         left join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null
         left join workshop w on w.workshop_id = m.workshop_id
         where p.social_worker_id = $1 and p.status = $2::participant_status
         order by exists (select 1 from opinion o where o.participant_id = p.participant_id
                          and o.status = 'requested') desc, p.surname, p.participant_id
         limit $3",
    )
    .bind(worker)
    .bind(status)
    .bind(n)
    .fetch_all(conn)
    .await
}

/// Adds the demo programmes once (the first demo centre, its first social worker).
pub async fn seed(pool: &PgPool, today: Date) -> anyhow::Result<()> {
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from document where kind = 'ipzs')")
            .fetch_one(pool)
            .await?;
    if exists {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    let found: Option<(Uuid, Uuid, Uuid)> = sqlx::query_as(
        "select c.centre_id, w.staff_user_id, m.staff_user_id from centre c
         join staff_user w on w.centre_id = c.centre_id and w.login = 'socjalny1'
         join staff_user m on m.centre_id = c.centre_id and m.login = 'kierownik'",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some((centre, worker, manager)) = found else {
        return Ok(());
    };
    let who = People {
        centre,
        worker,
        manager,
    };
    let text = |workshop: &Option<String>, goal: &str, from: Date| {
        programme(
            workshop.as_deref().unwrap_or("Pracownia gastronomiczna"),
            goal,
            from,
        )
    };
    // Drafts for people still waiting for an opinion; the submitted and approved programmes
    // for people whose opinions are signed off (added below where the demo has none).
    let mut waiting = people(&mut tx, worker, "reserve", 8).await?;
    let open = waiting.len().min(2);
    let ready: Vec<_> = waiting.split_off(open).into_iter().rev().take(2).collect();
    let waiting: Vec<_> = waiting
        .into_iter()
        .zip([0, 2])
        .chain(ready.into_iter().zip([1, 3]))
        .collect();
    let mut active = people(&mut tx, worker, "participant", 3).await?;
    active.extend(people(&mut tx, worker, "trial", 3).await?);
    let ended = people(&mut tx, worker, "graduate", 1).await?;
    let goal = "Podjęcie zatrudnienia w gastronomii";
    let submit = (1, "submit", "draft", "submitted", None, false, 3);
    // The reserve list: a draft, a submitted, a returned and an approved programme.
    let states: [(&str, Vec<Step<'_>>); 4] = [
        (
            "draft",
            vec![(1, "create", "draft", "draft", None, false, 2)],
        ),
        (
            "submitted",
            vec![(1, "create", "draft", "draft", None, false, 6), submit],
        ),
        (
            "draft",
            vec![
                (1, "create", "draft", "draft", None, false, 9),
                (1, "submit", "draft", "submitted", None, false, 5),
                (
                    1,
                    "return",
                    "submitted",
                    "draft",
                    Some(
                        "Cel 3 wymaga konsultacji z doradcą ds. zadłużenia – doprecyzuj miarę. Uzupełnij metody ćwiczenia koncentracji uwagi.",
                    ),
                    true,
                    4,
                ),
            ],
        ),
        (
            "approved",
            vec![
                (1, "create", "draft", "draft", None, false, 8),
                (1, "submit", "draft", "submitted", None, false, 4),
                (1, "approve", "submitted", "approved", None, true, 1),
            ],
        ),
    ];
    let mut states: Vec<_> = states.into_iter().map(Some).collect();
    for ((participant, workshop), state) in &waiting {
        let Some((status, steps)) = states[*state].take() else {
            continue;
        };
        // Only a first draft may still wait for opinions; a returned one was submitted.
        if *state != 0 {
            opinions(&mut tx, &who, *participant).await?;
        }
        let mut p = text(workshop, goal, today + Duration::days(7));
        if steps.len() == 1 {
            // A draft in progress: the diagnosis so far, no goals yet.
            p.goals.clear();
            p.set_text("training", "");
            p.set_text("ops_name", "");
        }
        insert(
            &mut tx,
            &who,
            Demo {
                participant: *participant,
                status,
                versions: vec![(p.to_sections(), status, None)],
                steps,
                signed: Vec::new(),
                entries: &[],
            },
        )
        .await?;
    }
    // Running programmes: signed 100 days ago, monitored (the first one overdue); the second
    // one amended and signed again.
    let running: [Step<'_>; 5] = [
        (1, "create", "draft", "draft", None, false, 110),
        (1, "submit", "draft", "submitted", None, false, 106),
        (1, "approve", "submitted", "approved", None, true, 104),
        (1, "sign", "approved", "signed", None, false, 100),
        (
            1,
            "start_realization",
            "signed",
            "in_realization",
            None,
            false,
            100,
        ),
    ];
    for (n, (participant, workshop)) in active.iter().enumerate().take(3) {
        opinions(&mut tx, &who, *participant).await?;
        let first = text(workshop, goal, today - Duration::days(100));
        let mut versions = vec![(first.to_sections(), "in_realization", None)];
        let mut steps = running.to_vec();
        let mut signed = vec![(1, 100)];
        if n == 1 {
            let mut second = first.clone();
            second.goals[0].text =
                "Podjęcie zatrudnienia w firmie cateringowej (praca zmianowa)".to_owned();
            second.set_text("vocational", "Zajęcia w pracowni 6 godz. dziennie, kurs kucharza z certyfikatem, praktyka u pracodawcy (catering), doradztwo zawodowe.");
            versions.push((
                second.to_sections(),
                "in_realization",
                Some("Wniosek uczestnika: oferta praktyki w firmie cateringowej – zmiana celu zawodowego."),
            ));
            let reason = "Wniosek uczestnika: oferta praktyki w firmie cateringowej – zmiana celu zawodowego.";
            steps.extend([
                (
                    2,
                    "amend",
                    "in_realization",
                    "draft",
                    Some(reason),
                    false,
                    30,
                ),
                (2, "submit", "draft", "submitted", None, false, 27),
                (2, "approve", "submitted", "approved", None, true, 26),
                (2, "sign", "approved", "signed", None, false, 24),
                (
                    2,
                    "start_realization",
                    "signed",
                    "in_realization",
                    None,
                    false,
                    24,
                ),
            ]);
            signed.push((2, 24));
        }
        let entries: &[(&str, i64, &str, &str)] = if n == 0 {
            &[(
                "start",
                99,
                "Uczestnik zaczął zajęcia zmotywowany, zgłasza obawy o dojazdy.",
                "approaching",
            )]
        } else {
            &[
                (
                    "start",
                    99,
                    "Dobry start, punktualny, szybko nawiązał kontakt z grupą.",
                    "approaching",
                ),
                (
                    "during",
                    20,
                    "Regularna obecność; pierwsze samodzielne zadania w pracowni. Spłata zaległości według porozumienia.",
                    "approaching",
                ),
            ]
        };
        insert(
            &mut tx,
            &who,
            Demo {
                participant: *participant,
                status: "in_realization",
                versions,
                steps,
                signed,
                entries,
            },
        )
        .await?;
    }
    // A closed programme: the final evaluation, then graduation closed it.
    if let Some((participant, workshop)) = ended.first() {
        opinions(&mut tx, &who, *participant).await?;
        let p = text(workshop, goal, today - Duration::days(400));
        let mut steps = running.to_vec();
        for s in &mut steps {
            s.6 += 300;
        }
        steps.push((
            1,
            "close",
            "in_realization",
            "closed",
            Some("Podjęcie zatrudnienia: umowa o pracę"),
            true,
            35,
        ));
        insert(
            &mut tx,
            &who,
            Demo {
                participant: *participant,
                status: "closed",
                versions: vec![(p.to_sections(), "closed", None)],
                steps,
                signed: vec![(1, 400)],
                entries: &[
                    ("start", 398, "Początkowo wycofany, po miesiącu aktywny w grupie.", "approaching"),
                    ("during", 200, "Ukończył kurs, praktyka u pracodawcy zakończona pozytywnie.", "approaching"),
                    ("end", 36, "Cele osiągnięte: umowa o pracę od przyszłego miesiąca, zaległości spłacone.", "approaching"),
                ],
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
