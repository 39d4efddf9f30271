//! Demo social contracts in every state, in the first demo centre, for the first social
//! worker's caseload: a draft begun, one returned with the manager's comment (on the social
//! worker's Start), one submitted (on the manager's Start), one accepted waiting for the
//! manager's signature (the manager's Start), one the manager signed waiting for the client's
//! (the social worker's Start), contracts in realization with their log and quarterly notes (one
//! note overdue, on the social worker's Start), one with an amendment in draft, and closed ones
//! evaluated positive, broken, and "new goals" followed by its renewal in realization (whose Part
//! II waits for the manager's approval). Written
//! straight into the engine's tables, with the texts in the shapes the app writes
//! (`contracts::content`), the log and the notes through `contracts::db`. Open contracts go to
//! people whose status lets the social worker draft one (reserve list, trial, participant), one
//! per person; the closed ones to people whose participation ended, dated before its end.
//! Added once.

mod rows;
mod stories;

use sqlx::PgPool;
use time::{Date, Duration};
use uuid::Uuid;

use crate::contracts::content::Planned;
use crate::contracts::db::{ActionResult, Outcome};
use crate::validate::dates;

use rows::*;
use stories::*;

/// Adds the demo contracts once (the first demo centre, its first social worker).
pub async fn seed(pool: &PgPool, today: Date) -> anyhow::Result<()> {
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from document where kind = 'social_contract')")
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
    // The caseload: the longest in the centre first (the longest-running contracts go to
    // them), the reserve list by surname; who left most recently first, those who broke the
    // rules before the others (a broken contract); `take` prefers adults.
    let mut people: Vec<Person> = sqlx::query_as(
        "select participant_id, status::text as status, coalesce(sex = 'K', false) as female,
                ended_on, termination_reason::text as termination_reason,
                extract(year from age(coalesce(ended_on, $2), birth_date)) >= $3 as adult
         from participant where social_worker_id = $1
         order by ended_on desc nulls first, admitted_on nulls last, surname, participant_id",
    )
    .bind(worker)
    .bind(today)
    .bind(ADULT)
    .fetch_all(&mut *tx)
    .await?;
    people.sort_by_key(|p| p.termination_reason.as_deref() != Some("persistent_violation"));
    let mut used = Vec::new();
    let open = ["participant", "trial", "reserve"];
    let waiting = ["reserve", "trial", "participant"];
    let day = |days: i64| today - Duration::days(days);
    let planned_start = |days: i64| today + Duration::days(days);

    // Homelessness: the first contract evaluated "new goals" and closed, its renewal running
    // with its log and a recent quarterly note.
    if let Some(p) = take(&people, &mut used, &open) {
        let p = &people[p];
        let first = contract(&HOMELESS, p.female, day(300), day(280), 6);
        let mut steps = to_realization(280);
        steps.extend(evaluated(Outcome::NewGoals, 104));
        let old = insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "closed",
                follows: None,
                versions: vec![(first.to_sections(), "closed", None)],
                steps,
                entries: vec![
                    referral(276, "badania z zakresu medycyny pracy", "Poradnia Medycyny Pracy w Piasecznie", "Skierowanie wydane; termin badania uzgodniony z poradnią."),
                    action(268, 1, ActionResult::Done, "Wniosek o dowód osobisty złożony w Urzędzie Gminy; odbiór za 30 dni."),
                    benefit(262, "zasiłek celowy na odzież roboczą i obuwie", "Wniosek złożony w GOPS; przyznano 450 zł."),
                    action(225, 2, ActionResult::Done, "Wniosek o mieszkanie treningowe złożony; komisja GOPS zaopiniowała go pozytywnie."),
                    meeting(200, "Grupa samopomocowa: planowanie budżetu domowego."),
                    action(130, 4, ActionResult::Partly, "Obecność na zajęciach 86% – poniżej zakładanych 90% (dwutygodniowe zwolnienie lekarskie)."),
                ],
                notes: vec![
                    (190, "Dowód osobisty odebrany, meldunek czasowy w schronisku. Wniosek o mieszkanie treningowe czeka na komisję.", "Przygotowanie do przeprowadzki, nauka opłacania rachunków.", ""),
                    (110, "Od dwóch miesięcy w mieszkaniu treningowym, opłaty wnoszone terminowo. Obecność na zajęciach nieco niższa po chorobie.", "Ocena kontraktu przed końcem okresu; rozmowa o zatrudnieniu.", "Przeprowadzka do mieszkania treningowego: zmiana adresu do korespondencji."),
                ],
                evaluation: Some((
                    Outcome::NewGoals,
                    gendered("{Uzyskał|Uzyskała} dowód osobisty i meldunek czasowy; od trzech miesięcy {mieszka|mieszka} w mieszkaniu treningowym GOPS i terminowo wnosi opłaty. Regularnie uczestniczy w zajęciach pracowni, {otrzymał|otrzymała} zasiłek celowy na odzież roboczą.", p.female),
                    gendered("Tak, częściowo: sytuacja mieszkaniowa i dokumenty są uregulowane, ale cel główny wymaga dalszej pracy nad zatrudnieniem. Ustalono nowe cele szczegółowe (zatrudnienie, utrzymanie mieszkania, lokal socjalny) – spisuje się nowy kontrakt.", p.female),
                )),
            },
        )
        .await?;
        let next = contract(&HOMELESS_NEXT, p.female, day(106), day(95), 6);
        let steps = vec![
            (
                1,
                "create",
                101,
                Some("Nowy kontrakt po ocenie poprzedniego: nowe cele.".to_owned()),
            ),
            (1, "submit", 99, None),
            (1, "approve", 97, None),
            (1, "sign_centre", 96, None),
            (1, "sign", 95, None),
            (1, "start_realization", 95, None),
            // Participation ends soon: Part II written, waiting for the manager (their Start).
            (1, "evaluation_submit", 2, None),
        ];
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "in_realization",
                follows: Some(old),
                versions: vec![(next.to_sections(), "in_realization", None)],
                steps,
                entries: vec![
                    action(88, 2, ActionResult::Done, "Rejestracja w PUP; udział w giełdzie pracy w Piasecznie."),
                    action(62, 1, ActionResult::Done, "Trzy spotkania z doradcą zawodowym; CV gotowe."),
                    meeting(41, "Grupa samopomocowa: rozmowa kwalifikacyjna – ćwiczenia w parach."),
                    benefit(27, "dodatek mieszkaniowy", "Wniosek złożony w Urzędzie Gminy wraz z deklaracją o dochodach."),
                    action(16, 3, ActionResult::Partly, "Plan budżetu na listopad przygotowany; rachunek za prąd zapłacony po terminie."),
                ],
                notes: vec![(
                    9,
                    "Pierwszy kwartał: aktywnie szuka pracy (cztery oferty, dwie rozmowy), opłaty za mieszkanie w terminie z jednym wyjątkiem.",
                    "Wniosek o lokal socjalny do końca kwartału; praktyka u pracodawcy z branży budowlanej.",
                    "",
                )],
                evaluation: Some((
                    Outcome::Positive,
                    gendered(
                        "{Podjął|Podjęła} pracę na umowę o pracę jako {pomocnik|pomocnica} na \
                         budowie (od przyszłego miesiąca); opłaca czynsz w terminie; {ukończył|ukończyła} \
                         szkolenie BHP.",
                        p.female,
                    ),
                    "Tak: działania kontraktu – rejestracja w PUP, doradztwo zawodowe, plan budżetu \
                     – doprowadziły do zatrudnienia, co jest celem głównym."
                        .to_owned(),
                )),
            },
        )
        .await?;
    }

    // A single parent: in realization, its quarterly note overdue (the last one over three
    // months ago), on the social worker's Start.
    if let Some(p) = take(&people, &mut used, &open) {
        let p = &people[p];
        let c = contract(&PARENT, p.female, day(220), day(200), 9);
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "in_realization",
                follows: None,
                versions: vec![(c.to_sections(), "in_realization", None)],
                steps: to_realization(200),
                entries: vec![
                    action(185, 1, ActionResult::Done, "Wniosek do przedszkola złożony; dziecko przyjęte od następnego miesiąca."),
                    referral(150, "kurs sprzedawcy-kasjera", "Powiatowy Urząd Pracy w Piasecznie", "Skierowanie na kurs w ramach bonu szkoleniowego."),
                    benefit(132, "zasiłek celowy na dojazdy na kurs", "Wniosek złożony w GOPS."),
                    action(70, 2, ActionResult::Done, "Kurs ukończony z zaświadczeniem."),
                    meeting(24, "Spotkanie grupowe: prawa pracownika i umowy o pracę."),
                ],
                notes: vec![(
                    105,
                    "Dziecko w przedszkolu, obecność na zajęciach 95%. Kurs sprzedawcy-kasjera w trakcie, dobre wyniki.",
                    "Zajęcia z doradcą zawodowym; rozmowa ze sklepem partnerskim o praktyce.",
                    "",
                )],
                evaluation: None,
            },
        )
        .await?;
    }

    // After prison: in realization, an amendment begun (new deadlines, the goals kept).
    if let Some(p) = take(&people, &mut used, &open) {
        let p = &people[p];
        let first = contract(&AFTER_PRISON, p.female, day(95), day(75), 6);
        let mut second = first.clone();
        second.actions[0].text =
            "Kurs operatora wózka jezdniowego z egzaminem UDT – grupa popołudniowa.".to_owned();
        second.actions[0].due = dates::iso(day(75) + Duration::days(130));
        second.actions.push(Planned {
            text: gendered(
                "Ustalenie z kuratorem stałego dnia spotkań poza godzinami kursu.",
                p.female,
            ),
            due: dates::iso(day(75) + Duration::days(90)),
            party: "social_worker".to_owned(),
        });
        let reason = "Wniosek klienta i kuratora: obowiązek stawiennictwa u kuratora w godzinach \
                      kursu – zmiana grupy kursu i terminu egzaminu, nowe działanie.";
        let mut steps = to_realization(75);
        steps.push((2, "amend", 4, Some(reason.to_owned())));
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "draft",
                follows: None,
                versions: vec![
                    (first.to_sections(), "in_realization", None),
                    (second.to_sections(), "draft", Some(reason.to_owned())),
                ],
                steps,
                entries: vec![
                    action(60, 2, ActionResult::Done, "Wniosek o rozłożenie kosztów sądowych na raty złożony; sąd wyraził zgodę (10 rat)."),
                    referral(45, "kurs operatora wózka jezdniowego", "Ośrodek Szkolenia Zawodowego w Grójcu", "Skierowanie na kurs; zajęcia w grupie przedpołudniowej."),
                    action(28, 3, ActionResult::Done, "Spotkanie z kuratorem: dozór przebiega prawidłowo."),
                ],
                notes: vec![(
                    18,
                    "Raty kosztów sądowych wpłacane terminowo. Kurs koliduje ze stawiennictwem u kuratora – potrzebna zmiana grupy.",
                    "Aneks: zmiana grupy kursu i terminu egzaminu.",
                    "Zmiana grupy kursu na popołudniową.",
                )],
                evaluation: None,
            },
        )
        .await?;
    }

    // Disability: accepted and signed by the manager, waiting for the client's signature.
    if let Some(p) = take(&people, &mut used, &waiting) {
        let p = &people[p];
        let c = contract(&DISABILITY, p.female, day(21), planned_start(5), 6);
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "approved",
                follows: None,
                versions: vec![(c.to_sections(), "approved", None)],
                steps: vec![
                    (1, "create", 16, None),
                    (1, "submit", 11, None),
                    (1, "approve", 8, None),
                    (1, "sign_centre", 6, None),
                ],
                entries: Vec::new(),
                notes: Vec::new(),
                evaluation: None,
            },
        )
        .await?;
    }

    // Debts: accepted, waiting for the manager's signature.
    if let Some(p) = take(&people, &mut used, &waiting) {
        let p = &people[p];
        let c = contract(&DEBTS, p.female, day(17), planned_start(10), 6);
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "approved",
                follows: None,
                versions: vec![(c.to_sections(), "approved", None)],
                steps: vec![
                    (1, "create", 12, None),
                    (1, "submit", 7, None),
                    (1, "approve", 2, None),
                ],
                entries: Vec::new(),
                notes: Vec::new(),
                evaluation: None,
            },
        )
        .await?;
    }

    // Eviction risk: submitted, waiting for the manager's acceptance.
    if let Some(p) = take(&people, &mut used, &waiting) {
        let p = &people[p];
        let c = contract(&EVICTION, p.female, day(12), planned_start(14), 6);
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "submitted",
                follows: None,
                versions: vec![(c.to_sections(), "submitted", None)],
                steps: vec![(1, "create", 8, None), (1, "submit", 2, None)],
                entries: Vec::new(),
                notes: Vec::new(),
                evaluation: None,
            },
        )
        .await?;
    }

    // After alcohol therapy: returned with the manager's comment.
    if let Some(p) = take(&people, &mut used, &waiting) {
        let p = &people[p];
        let c = contract(&AFTER_THERAPY, p.female, day(18), planned_start(7), 6);
        let comment = "Cel 2 („Poprawa relacji z dziećmi”) jest zbyt ogólny – napisz, po czym \
                       poznamy, że został osiągnięty (np. regularne spotkania). Działanie 2: \
                       wpisz, z którą poradnią rodzinną i kiedy nastąpi pierwszy kontakt.";
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "draft",
                follows: None,
                versions: vec![(c.to_sections(), "draft", None)],
                steps: vec![
                    (1, "create", 13, None),
                    (1, "submit", 9, None),
                    (1, "return", 6, Some(comment.to_owned())),
                ],
                entries: Vec::new(),
                notes: Vec::new(),
                evaluation: None,
            },
        )
        .await?;
    }

    // After drug therapy: a draft just begun (the situation so far, one goal, no actions).
    if let Some(p) = take(&people, &mut used, &waiting) {
        let p = &people[p];
        let mut c = contract(&DRAFT, p.female, day(6), today, 6);
        c.period_from.clear();
        c.period_until.clear();
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "draft",
                follows: None,
                versions: vec![(c.to_sections(), "draft", None)],
                steps: vec![(1, "create", 2, None)],
                entries: Vec::new(),
                notes: Vec::new(),
                evaluation: None,
            },
        )
        .await?;
    }

    // Closed positive: a graduate's contract, evaluated just before graduation.
    if let Some(p) = take(&people, &mut used, &["graduate", "terminated"]) {
        let p = &people[p];
        let end = before_end(p, today);
        let c = contract(
            &LONG_UNEMPLOYED,
            p.female,
            day(end + 190),
            day(end + 175),
            6,
        );
        let mut steps = to_realization(end + 175);
        steps.extend(evaluated(Outcome::Positive, end + 6));
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "closed",
                follows: None,
                versions: vec![(c.to_sections(), "closed", None)],
                steps,
                entries: vec![
                    referral(end + 171, "badania z zakresu medycyny pracy", "Poradnia Medycyny Pracy w Piasecznie", "Skierowanie wydane; orzeczenie bez przeciwwskazań."),
                    action(end + 165, 1, ActionResult::Done, "Badania wykonane."),
                    meeting(end + 140, "Grupa samopomocowa: jak rozmawiać z pracodawcą."),
                    action(end + 58, 2, ActionResult::Done, "Kurs glazurnika ukończony, egzamin czeladniczy zdany."),
                    action(end + 20, 3, ActionResult::Done, "Praktyka u pracodawcy zakończona propozycją stałej współpracy."),
                ],
                notes: vec![
                    (end + 95, "Badania wykonane, kurs w trakcie; obecność na zajęciach 97%.", "Egzamin czeladniczy, praktyka u pracodawcy.", ""),
                    (end + 12, "Egzamin zdany, praktyka zakończona pozytywnie. Uzgodnione stałe źródło dochodu od przyszłego miesiąca.", "Ocena kontraktu.", ""),
                ],
                evaluation: Some((
                    Outcome::Positive,
                    gendered("{Ukończył|Ukończyła} kurs glazurnika i {zdał|zdała} egzamin czeladniczy, {odbył|odbyła} praktykę u pracodawcy. Regularnie {uczestniczył|uczestniczyła} w zajęciach (obecność 96%). Ma stałe źródło dochodu i nie korzysta z zasiłku okresowego.", p.female),
                    gendered("Tak. Działania kontraktu potwierdziły kwalifikacje i wzmocniły kompetencje społeczne; {klient|klientka} {usamodzielnił|usamodzielniła} się zawodowo – cel główny osiągnięty.", p.female),
                )),
            },
        )
        .await?;
    }

    // Closed without realization: accepted and signed for the centre, but the client did not
    // sign; the manager closed it with the reason, before the participation ended.
    if let Some(p) = take(&people, &mut used, &["graduate", "terminated"]) {
        let p = &people[p];
        let end = before_end(p, today);
        let c = contract(&DEBTS, p.female, day(end + 80), day(end + 60), 6);
        let reason = gendered(
            "{Klient|Klientka} {odmówił|odmówiła} podpisania kontraktu: nie {zgodził|zgodziła} się \
             na plan spłaty zadłużenia. Rozmowa w obecności kierownika CIS; propozycja ponownego \
             kontraktu po konsultacji w poradni prawnej.",
            p.female,
        );
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "closed",
                follows: None,
                versions: vec![(c.to_sections(), "closed", None)],
                steps: vec![
                    (1, "create", end + 75, None),
                    (1, "submit", end + 70, None),
                    (1, "approve", end + 68, None),
                    (1, "sign_centre", end + 67, None),
                    (1, "close", end + 50, Some(reason)),
                ],
                entries: Vec::new(),
                notes: Vec::new(),
                evaluation: None,
            },
        )
        .await?;
    }

    // Closed as broken: someone who stopped coming, before their participation ended.
    if let Some(p) = take(&people, &mut used, &["terminated", "graduate"]) {
        let p = &people[p];
        let end = before_end(p, today);
        let c = contract(&ALCOHOL, p.female, day(end + 135), day(end + 120), 6);
        let mut steps = to_realization(end + 120);
        steps.extend(evaluated(Outcome::Broken, end + 12));
        insert(
            &mut tx,
            &who,
            today,
            Demo {
                participant: p.participant_id,
                status: "closed",
                follows: None,
                versions: vec![(c.to_sections(), "closed", None)],
                steps,
                entries: vec![
                    referral(end + 116, "terapia uzależnienia od alkoholu", "Poradnia Leczenia Uzależnień w Piasecznie", "Skierowanie wydane wraz z informacją o godzinach przyjęć."),
                    meeting(end + 100, "Grupa samopomocowa: pierwsze spotkanie."),
                    action(end + 85, 1, ActionResult::NotDone, "Brak zgłoszenia w poradni mimo skierowania i dwóch przypomnień."),
                    action(end + 40, 3, ActionResult::NotDone, "Od miesiąca nieobecność na grupie samopomocowej i na zajęciach."),
                ],
                notes: vec![(
                    end + 30,
                    "Od pięciu tygodni brak obecności na zajęciach, brak kontaktu telefonicznego. Wizyta w miejscu zamieszkania – odmowa rozmowy.",
                    "Ostatnia rozmowa motywująca; jeśli bez zmian – ocena kontraktu.",
                    "",
                )],
                evaluation: Some((
                    Outcome::Broken,
                    gendered("W pierwszym miesiącu {uczestniczył|uczestniczyła} w zajęciach i w jednym spotkaniu grupy samopomocowej. Nie {podjął|podjęła} terapii w poradni.", p.female),
                    gendered("Nie. {Klient|Klientka} nie {zgłosił|zgłosiła} się do poradni, od ponad miesiąca nie {uczestniczył|uczestniczyła} w zajęciach i w rozmowie {oświadczył|oświadczyła}, że nie chce kontynuować kontraktu.", p.female),
                )),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::content::{Contract, check_draft};

    #[test]
    fn gendered_words_take_the_persons_form() {
        let text = "{Ukończył|Ukończyła} kurs, {mieszka|mieszka} {sam|sama}.";
        assert_eq!(gendered(text, false), "Ukończył kurs, mieszka sam.");
        assert_eq!(gendered(text, true), "Ukończyła kurs, mieszka sama.");
        assert_eq!(gendered("bez nawiasów", true), "bez nawiasów");
    }

    #[test]
    fn every_complete_demo_contract_could_have_been_submitted_through_the_form() {
        let today = time::macros::date!(2026 - 12 - 01);
        for story in [
            &HOMELESS,
            &HOMELESS_NEXT,
            &PARENT,
            &AFTER_PRISON,
            &DISABILITY,
            &DEBTS,
            &EVICTION,
            &AFTER_THERAPY,
            &LONG_UNEMPLOYED,
            &ALCOHOL,
        ] {
            for female in [false, true] {
                let c = contract(
                    story,
                    female,
                    today - Duration::days(30),
                    today - Duration::days(10),
                    6,
                );
                assert!(check_draft(&c, today).is_empty(), "{c:?}");
                assert!(c.missing().is_empty(), "{c:?}");
                assert_eq!(Contract::from_sections(&c.to_sections()), c);
                let text = format!("{:?}", c.to_sections());
                assert!(!text.contains(['{', '|']), "{text}");
            }
        }
    }
}
