//! Demo opinions for the IPZS in the centre „Nowy Start”: signed-off opinions of all three
//! kinds for three participants in the programme (one with an earlier psychologist's opinion
//! withdrawn and requested again), and open requests for candidates and the reserve list, so
//! the psychologist's, career advisor's and instructor's Start shows "Opinie do napisania"
//! (one with a draft begun). Added once.

use sqlx::PgPool;
use uuid::Uuid;

use crate::documents::version::Sections;
use crate::domain::OpinionKind;

/// The demo text of a signed-off opinion of `kind`.
pub(super) fn signed_text(kind: OpinionKind) -> Sections {
    match kind {
        OpinionKind::Psychologist => Sections::new()
            .with("abilities", "Sprawność poznawcza w normie; dobra pamięć i uwaga przy zadaniach praktycznych. W sytuacji presji czasu potrzebuje jasnych instrukcji krok po kroku. Dobrze funkcjonuje w małej grupie.")
            .with("health", "Po zakończonej terapii odwykowej (abstynencja od 14 miesięcy), uczestniczy w grupie AA. Bez przeciwwskazań psychologicznych do pracy fizycznej.")
            .with("motivation", "Motywacja wewnętrzna wysoka: chce odzyskać kontakt z córką i utrzymać mieszkanie. Obawia się porażki przy pierwszej pracy po długiej przerwie.")
            .with("recommendations", "Sesje indywidualne raz w miesiącu przez pierwsze pół roku; trening radzenia sobie ze stresem w grupie; stopniowe zwiększanie samodzielności w pracowni."),
        OpinionKind::CareerAdvisor => Sections::new()
            .with("interests", "Zainteresowania praktyczne: gotowanie, praca przy produkcji żywności. Wcześniej pracował dorywczo jako pomocnik kucharza w barze.")
            .with("aptitudes", "Sprawność manualna dobra, wykształcenie zasadnicze zawodowe (piekarz). Komunikatywny, wymaga wsparcia przy pisaniu CV i rozmowie kwalifikacyjnej.")
            .with("directions", "Pracownia gastronomiczna; kurs pomocnika kucharza z egzaminem zewnętrznym; aktualne badania sanitarno-epidemiologiczne; staż w stołówce szkolnej po 6 miesiącach."),
        OpinionKind::Instructor => Sections::new()
            .with("skills", "Sprawnie obsługuje podstawowy sprzęt kuchenny, zna zasady przechowywania żywności. Do nauki: krojenie z zachowaniem norm czasowych, obsługa pieca konwekcyjno-parowego.")
            .with("readiness", "Punktualny, przestrzega zasad BHP, dobrze współpracuje w zespole. Gotowy do pracy w pracowni w pełnym wymiarze od przyjęcia.")
            .with("recommendations", "Etapy: przygotowanie stanowiska, obróbka wstępna, proste dania, praca na zmianie obiadowej; egzamin wewnętrzny po 4 miesiącach."),
    }
}

/// A draft begun by the psychologist.
fn draft_text() -> Sections {
    Sections::new()
        .with(
            "abilities",
            "Po pierwszym spotkaniu: rozumie polecenia, szybko się męczy przy długiej rozmowie.",
        )
        .with("motivation", "")
}

/// Adds the demo opinions unless the centre has some.
pub async fn seed(pool: &PgPool, centre_name: &str) -> anyhow::Result<()> {
    let exists: bool = sqlx::query_scalar("select exists (select 1 from opinion)")
        .fetch_one(pool)
        .await?;
    if exists {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    let centre: Option<Uuid> = sqlx::query_scalar("select centre_id from centre where name = $1")
        .bind(centre_name)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(centre) = centre else {
        return Ok(());
    };
    let staff = |role: &'static str| {
        sqlx::query_scalar::<_, Uuid>(
            "select staff_user_id from staff_user where centre_id = $1 and role::text = $2 and active order by login limit 1",
        )
        .bind(centre)
        .bind(role)
    };
    let (Some(psychologist), Some(advisor), Some(instructor), Some(manager)) = (
        staff("psychologist").fetch_optional(&mut *tx).await?,
        staff("career_advisor").fetch_optional(&mut *tx).await?,
        staff("instructor").fetch_optional(&mut *tx).await?,
        staff("manager").fetch_optional(&mut *tx).await?,
    ) else {
        return Ok(());
    };
    let author = |kind: OpinionKind| match kind {
        OpinionKind::Psychologist => psychologist,
        OpinionKind::CareerAdvisor => advisor,
        OpinionKind::Instructor => instructor,
    };
    // Participants in the programme with a social worker: signed-off opinions of every kind.
    let active: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "select participant_id, social_worker_id from participant
         where centre_id = $1 and status = 'participant' and social_worker_id is not null
         order by surname, participant_id limit 3",
    )
    .bind(centre)
    .fetch_all(&mut *tx)
    .await?;
    for (n, (participant, worker)) in active.iter().enumerate() {
        let days = 40 + 7 * i32::try_from(n).unwrap_or(0);
        if n == 0 {
            // The first psychologist's request was withdrawn and requested again.
            sqlx::query(
                "insert into opinion (centre_id, participant_id, kind, requested_by, requested_at, author_id,
                                      status, sections, withdrawn_at, withdrawn_by, revision)
                 values ($1, $2, 'psychologist', $3, now() - make_interval(days => $5 + 20), $4,
                         'withdrawn', $6, now() - make_interval(days => $5 + 2), $3, 2)",
            )
            .bind(centre)
            .bind(participant)
            .bind(worker)
            .bind(psychologist)
            .bind(days)
            .bind(sqlx::types::Json(draft_text()))
            .execute(&mut *tx)
            .await?;
        }
        for kind in OpinionKind::ALL {
            sqlx::query(
                "insert into opinion (centre_id, participant_id, kind, requested_by, requested_at, author_id,
                                      status, sections, signed_off_at, revision)
                 values ($1, $2, $3, $4, now() - make_interval(days => $6), $5, 'signed_off', $7,
                         now() - make_interval(days => $6 - 9), 3)",
            )
            .bind(centre)
            .bind(participant)
            .bind(kind)
            .bind(worker)
            .bind(author(kind))
            .bind(days)
            .bind(sqlx::types::Json(signed_text(kind)))
            .execute(&mut *tx)
            .await?;
        }
    }
    // Candidates and people on the reserve list: open requests for all three (the first with
    // the psychologist's draft begun), and one withdrawn request.
    let waiting: Vec<(Uuid, Option<Uuid>)> = sqlx::query_as(
        "select participant_id, social_worker_id from participant
         where centre_id = $1 and status in ('candidate', 'reserve')
         order by status desc, surname, participant_id limit 3",
    )
    .bind(centre)
    .fetch_all(&mut *tx)
    .await?;
    for (n, (participant, worker)) in waiting.iter().enumerate() {
        let by = worker.unwrap_or(manager);
        let days = 2 + 9 * i32::try_from(n).unwrap_or(0);
        for kind in OpinionKind::ALL {
            let (text, revision) = if n == 0 && kind == OpinionKind::Psychologist {
                (draft_text(), 2)
            } else {
                (Sections::new(), 1)
            };
            sqlx::query(
                "insert into opinion (centre_id, participant_id, kind, requested_by, requested_at, author_id,
                                      sections, revision)
                 values ($1, $2, $3, $4, now() - make_interval(days => $6), $5, $7, $8)",
            )
            .bind(centre)
            .bind(participant)
            .bind(kind)
            .bind(by)
            .bind(author(kind))
            .bind(days)
            .bind(sqlx::types::Json(text))
            .bind(revision)
            .execute(&mut *tx)
            .await?;
        }
    }
    if let Some((participant, _)) = active.get(1) {
        // A second career advisor's opinion, requested and withdrawn (a duplicate request).
        sqlx::query(
            "insert into opinion (centre_id, participant_id, kind, requested_by, requested_at, author_id,
                                  status, withdrawn_at, withdrawn_by)
             values ($1, $2, 'career_advisor', $3, now() - interval '5 days', $4, 'withdrawn',
                     now() - interval '4 days', $3)",
        )
        .bind(centre)
        .bind(participant)
        .bind(manager)
        .bind(advisor)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
