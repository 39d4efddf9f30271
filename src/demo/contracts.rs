//! Demo social contracts in every state, in the first demo centre, for the first social
//! worker's caseload: a draft begun, one returned with the manager's comment (on the social
//! worker's Start), one submitted (on the manager's Start), one accepted waiting for the
//! manager's signature (the manager's Start), one the manager signed waiting for the client's
//! (the social worker's Start), contracts in realization with their log and quarterly notes (one
//! note overdue, on the social worker's Start), one with an amendment in draft, and closed ones
//! evaluated positive, broken, and "new goals" followed by its renewal in realization. Written
//! straight into the engine's tables, with the texts in the shapes the app writes
//! (`contracts::content`), the log and the notes through `contracts::db`. Open contracts go to
//! people whose status lets the social worker draft one (reserve list, trial, participant), one
//! per person; the closed ones to people whose participation ended, dated before its end.
//! Added once.

use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::contracts::content::{Contract, Planned};
use crate::contracts::db::{self as contracts, ActionResult, NewRecord, Outcome, RecordKind};
use crate::documents::version::Sections;
use crate::validate::dates;

/// `text` in the person's grammatical gender: every `{masculine|feminine}` becomes one form.
fn gendered(text: &str, female: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        let (m, f) = inner.split_once('|').unwrap_or((inner, inner));
        out.push_str(if female { f } else { m });
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// One person's situation and plan: Part I's texts, `{m|f}` marking the gendered words.
struct Story {
    situation: &'static str,
    causes: &'static str,
    goals: &'static [&'static str],
    /// (what, days after the contract's start, who: a `content::Party` code)
    actions: &'static [(&'static str, i64, &'static str)],
    client_duties: &'static str,
    worker_duties: &'static str,
}

/// Homelessness: the first contract (documents, a training flat).
const HOMELESS: Story = Story {
    situation: "Od dwóch lat {przebywa|przebywa} w schronisku dla osób bezdomnych w Lesznowoli. \
                Utrzymuje się z zasiłku okresowego z GOPS, nie jest {zameldowany|zameldowana} na \
                pobyt stały i nie ma ważnego dowodu osobistego. Utrzymuje sporadyczny kontakt z \
                siostrą.",
    causes: "Eksmisja z mieszkania komunalnego po narastających zaległościach czynszowych, utrata \
             pracy w zakładzie produkcyjnym, rozpad związku. Brak dokumentów utrudnia załatwianie \
             spraw w urzędach i podjęcie pracy.",
    goals: &[
        "Wyrobienie dowodu osobistego i zameldowanie na pobyt czasowy.",
        "Zamieszkanie w mieszkaniu treningowym prowadzonym przez GOPS.",
        "Regularny udział w zajęciach CIS (co najmniej 90% obecności w miesiącu).",
    ],
    actions: &[
        (
            "Złożenie wniosku o wydanie dowodu osobistego w Urzędzie Gminy.",
            14,
            "client",
        ),
        (
            "Przygotowanie i złożenie wniosku o miejsce w mieszkaniu treningowym.",
            45,
            "social_worker",
        ),
        (
            "Skierowanie na badania z zakresu medycyny pracy.",
            10,
            "social_worker",
        ),
        (
            "Udział w zajęciach pracowni i w grupie samopomocowej.",
            170,
            "client",
        ),
        (
            "Wniosek o zasiłek celowy na odzież roboczą i obuwie.",
            20,
            "social_worker",
        ),
    ],
    client_duties: "Regularny udział w zajęciach CIS, przestrzeganie regulaminu schroniska, \
                    terminowe złożenie dokumentów, informowanie pracownika socjalnego o każdej \
                    zmianie sytuacji.",
    worker_duties: "Pomoc w skompletowaniu dokumentów i kontakt z Urzędem Gminy, przygotowanie \
                    wniosków, współpraca z GOPS i schroniskiem, spotkanie indywidualne co \
                    najmniej raz w miesiącu.",
};

/// Homelessness: the renewal after the first contract's evaluation (new goals: work, the flat).
const HOMELESS_NEXT: Story = Story {
    situation: "Od kilku miesięcy {mieszka|mieszka} w mieszkaniu treningowym GOPS, ma dowód \
                osobisty i meldunek czasowy. Uczestniczy w zajęciach pracowni \
                remontowo-budowlanej. Utrzymuje się ze świadczenia integracyjnego.",
    causes: "Wieloletnia bezdomność i przerwa w zatrudnieniu; brak doświadczenia w samodzielnym \
             prowadzeniu gospodarstwa domowego i opłacaniu rachunków.",
    goals: &[
        "Podjęcie zatrudnienia na otwartym rynku pracy (co najmniej 1/2 etatu).",
        "Utrzymanie mieszkania treningowego: terminowe opłaty i porządek.",
        "Złożenie wniosku o najem lokalu socjalnego z zasobu gminy.",
    ],
    actions: &[
        (
            "Zajęcia z doradcą zawodowym: CV i przygotowanie do rozmowy kwalifikacyjnej.",
            30,
            "centre",
        ),
        ("Rejestracja w PUP i udział w giełdzie pracy.", 45, "client"),
        (
            "Comiesięczny plan budżetu domowego omawiany z pracownikiem socjalnym.",
            170,
            "client",
        ),
        (
            "Wniosek o najem lokalu socjalnego wraz z opinią GOPS.",
            90,
            "social_worker",
        ),
    ],
    client_duties: "Udział w zajęciach pracowni, terminowe opłaty za mieszkanie treningowe, \
                    aktywne szukanie pracy (co najmniej dwie oferty w miesiącu).",
    worker_duties: "Wsparcie w kontaktach z PUP i pracodawcami, pomoc w przygotowaniu wniosku o \
                    lokal socjalny, comiesięczne spotkanie w sprawie budżetu.",
};

/// A single parent out of work for years.
const PARENT: Story = Story {
    situation: "Samotnie wychowuje dwoje dzieci (w wieku szkolnym i przedszkolnym). Od pięciu lat \
                {pozostaje|pozostaje} bez pracy, {zarejestrowany|zarejestrowana} w PUP jako \
                {bezrobotny|bezrobotna} bez prawa do zasiłku. Utrzymuje się ze świadczeń \
                rodzinnych i zasiłku okresowego.",
    causes: "Przerwa w zatrudnieniu związana z opieką nad dziećmi, brak kwalifikacji zawodowych, \
             brak miejsca w przedszkolu dla młodszego dziecka, niska wiara we własne możliwości.",
    goals: &[
        "Zapewnienie opieki nad młodszym dzieckiem w godzinach zajęć i pracy.",
        "Ukończenie kursu sprzedawcy-kasjera z obsługą kasy fiskalnej.",
        "Podjęcie zatrudnienia w handlu co najmniej na 1/2 etatu.",
    ],
    actions: &[
        (
            "Złożenie wniosku o przyjęcie młodszego dziecka do przedszkola samorządowego.",
            21,
            "client",
        ),
        (
            "Skierowanie na kurs sprzedawcy-kasjera (bon szkoleniowy PUP).",
            60,
            "social_worker",
        ),
        (
            "Zajęcia z doradcą zawodowym: CV i rozmowa kwalifikacyjna.",
            120,
            "centre",
        ),
        ("Praktyka w sklepie współpracującym z CIS.", 165, "partner"),
    ],
    client_duties: "Udział w zajęciach CIS i w kursie, złożenie dokumentów do przedszkola, \
                    informowanie o trudnościach z opieką nad dziećmi.",
    worker_duties: "Pomoc w sprawach przedszkola i PUP, kontakt ze sklepem partnerskim, \
                    spotkanie indywidualne co najmniej raz w miesiącu.",
};

/// After prison, under a probation officer's supervision.
const AFTER_PRISON: Story = Story {
    situation: "Od czterech miesięcy na wolności po odbyciu kary pozbawienia wolności. \
                {Mieszka|Mieszka} w hostelu dla osób opuszczających zakłady karne, pozostaje pod \
                dozorem kuratora sądowego. Nie ma dochodu poza zasiłkiem okresowym.",
    causes: "Przerwana ścieżka zawodowa, brak doświadczenia na legalnym rynku pracy, zerwane więzi \
             rodzinne, zadłużenie z tytułu kosztów sądowych.",
    goals: &[
        "Uzyskanie uprawnień operatora wózka jezdniowego.",
        "Znalezienie samodzielnego lokum (pokój do wynajęcia).",
        "Uregulowanie kosztów sądowych w ratach.",
    ],
    actions: &[
        (
            "Kurs operatora wózka jezdniowego z egzaminem UDT.",
            90,
            "partner",
        ),
        (
            "Wniosek do sądu o rozłożenie kosztów sądowych na raty.",
            30,
            "client",
        ),
        (
            "Spotkania z kuratorem i pracownikiem socjalnym raz w miesiącu.",
            170,
            "social_worker",
        ),
        (
            "Wniosek o zasiłek celowy na kaucję za pokój.",
            150,
            "social_worker",
        ),
    ],
    client_duties: "Udział w zajęciach CIS i w kursie, przestrzeganie warunków dozoru, \
                    terminowe wpłaty rat, abstynencja.",
    worker_duties: "Współpraca z kuratorem sądowym, pomoc w napisaniu wniosku do sądu, \
                    wyszukiwanie ofert najmu, przygotowanie wniosku o zasiłek celowy.",
};

/// Disability and isolation.
const DISABILITY: Story = Story {
    situation: "Osoba z umiarkowanym stopniem niepełnosprawności (schorzenie narządu ruchu). Od \
                śmierci {żony|męża} mieszka sama, rzadko wychodzi z domu. Bez pracy od siedmiu \
                lat, utrzymuje się z renty socjalnej.",
    causes: "Choroba i długotrwała rehabilitacja, utrata pracy w magazynie, osamotnienie po \
             śmierci bliskiej osoby, bariery architektoniczne w miejscu zamieszkania.",
    goals: &[
        "Wyjście z izolacji: regularny udział w zajęciach grupowych CIS.",
        "Podjęcie pracy na stanowisku dostosowanym do niepełnosprawności (recepcja, praca biurowa).",
        "Uzyskanie dofinansowania z PCPR do zakupu sprzętu ortopedycznego.",
    ],
    actions: &[
        (
            "Wniosek do PCPR o dofinansowanie sprzętu ortopedycznego.",
            30,
            "social_worker",
        ),
        (
            "Zajęcia w pracowni porządkowo-gospodarczej na stanowisku recepcji.",
            170,
            "centre",
        ),
        ("Udział w grupie wsparcia raz w tygodniu.", 170, "client"),
        (
            "Konsultacja z doradcą zawodowym w sprawie zatrudnienia wspomaganego.",
            60,
            "centre",
        ),
    ],
    client_duties: "Udział w zajęciach i w grupie wsparcia, współpraca przy kompletowaniu \
                    dokumentów do PCPR.",
    worker_duties: "Przygotowanie wniosku do PCPR, organizacja dowozu na zajęcia w pierwszym \
                    miesiącu, kontakt z pracodawcami rynku chronionego.",
};

/// Debts and a bailiff's seizure, long-term unemployment.
const DEBTS: Story = Story {
    situation: "Od trzech lat bez stałej pracy, podejmuje prace dorywcze bez umowy. Ma \
                zadłużenie z tytułu pożyczek pozabankowych i zaległości czynszowych, prowadzone \
                jest postępowanie komornicze. {Mieszka|Mieszka} z bratem.",
    causes: "Utrata pracy po likwidacji zakładu, kolejne pożyczki na bieżące wydatki, obawa \
             przed legalnym zatrudnieniem z powodu zajęcia komorniczego.",
    goals: &[
        "Ustalenie z wierzycielami i komornikiem planu spłaty zadłużenia.",
        "Ukończenie kursu spawacza metodą MAG.",
        "Podjęcie legalnego zatrudnienia.",
    ],
    actions: &[
        (
            "Konsultacja w punkcie nieodpłatnej pomocy prawnej i poradnictwa dłużników.",
            14,
            "partner",
        ),
        (
            "Spis długów i przygotowanie propozycji ugód z wierzycielami.",
            45,
            "client",
        ),
        ("Skierowanie na kurs spawacza MAG.", 60, "social_worker"),
        ("Spotkania z doradcą zawodowym CIS.", 150, "centre"),
    ],
    client_duties: "Przedstawienie wszystkich dokumentów dotyczących zadłużenia, udział w \
                    zajęciach CIS i w kursie, niezaciąganie nowych pożyczek.",
    worker_duties: "Umówienie konsultacji prawnej, pomoc w korespondencji z wierzycielami, \
                    przygotowanie skierowania na kurs.",
};

/// At risk of eviction.
const EVICTION: Story = Story {
    situation: "Grozi {mu|jej} eksmisja z mieszkania komunalnego z powodu zaległości czynszowych \
                (ponad 14 miesięcy). Od czterech lat bez pracy, utrzymuje się z zasiłku stałego \
                matki, z którą mieszka.",
    causes: "Długotrwałe bezrobocie, brak nawyku planowania wydatków, choroba matki i rosnące \
             koszty leczenia.",
    goals: &[
        "Zawarcie ugody z gminą w sprawie spłaty zaległości czynszowych.",
        "Uzyskanie dodatku mieszkaniowego.",
        "Podjęcie zatrudnienia po zakończeniu zajęć w CIS.",
    ],
    actions: &[
        (
            "Wniosek o dodatek mieszkaniowy w Urzędzie Gminy.",
            21,
            "social_worker",
        ),
        (
            "Rozmowa w zakładzie gospodarki komunalnej w sprawie ugody.",
            30,
            "client",
        ),
        (
            "Udział w warsztatach z planowania budżetu domowego.",
            90,
            "centre",
        ),
        (
            "Terminowe opłacanie bieżącego czynszu i rat ugody.",
            170,
            "client",
        ),
    ],
    client_duties: "Terminowe opłacanie czynszu i rat, udział w zajęciach CIS i warsztatach, \
                    przedstawianie potwierdzeń wpłat.",
    worker_duties: "Pomoc w przygotowaniu wniosków i w rozmowie z zakładem gospodarki \
                    komunalnej, comiesięczny przegląd budżetu.",
};

/// After inpatient alcohol therapy.
const AFTER_THERAPY: Story = Story {
    situation: "Pół roku temu {ukończył|ukończyła} stacjonarną terapię uzależnienia od \
                alkoholu; od tego czasu utrzymuje abstynencję. {Mieszka|Mieszka} z matką w jej \
                mieszkaniu. Bez pracy od czterech lat, z zadłużeniem wobec spółdzielni \
                mieszkaniowej.",
    causes: "Wieloletnie nadużywanie alkoholu, utrata pracy kierowcy po zatrzymaniu prawa jazdy, \
             rozpad rodziny, zadłużenie.",
    goals: &[
        "Utrzymanie abstynencji i udział w terapii podtrzymującej.",
        "Poprawa relacji z dziećmi.",
        "Spłata zadłużenia według porozumienia ze spółdzielnią.",
    ],
    actions: &[
        (
            "Udział w terapii podtrzymującej w poradni leczenia uzależnień.",
            170,
            "client",
        ),
        (
            "Kontakt z poradnią rodzinną w sprawie spotkań z dziećmi.",
            45,
            "social_worker",
        ),
        (
            "Porozumienie ze spółdzielnią o spłacie zadłużenia w ratach.",
            30,
            "client",
        ),
        (
            "Spotkania z psychologiem CIS raz w miesiącu.",
            170,
            "centre",
        ),
    ],
    client_duties: "Utrzymanie abstynencji, udział w terapii i zajęciach CIS, terminowe wpłaty \
                    rat.",
    worker_duties: "Kontakt z poradnią leczenia uzależnień i poradnią rodzinną (za zgodą \
                    klienta), pomoc w rozmowach ze spółdzielnią.",
};

/// Long-term unemployment; the contract ended well.
const LONG_UNEMPLOYED: Story = Story {
    situation: "Od sześciu lat bez stałej pracy, {zarejestrowany|zarejestrowana} w PUP. \
                Wcześniej {pracował|pracowała} dorywczo przy remontach. Utrzymuje się z zasiłku \
                okresowego i prac sezonowych.",
    causes: "Brak potwierdzonych kwalifikacji, nieaktualne badania lekarskie, zniechęcenie po \
             kolejnych odmowach pracodawców.",
    goals: &[
        "Ukończenie kursu glazurnika z egzaminem czeladniczym.",
        "Uzyskanie stałego źródła dochodu.",
    ],
    actions: &[
        (
            "Skierowanie na badania z zakresu medycyny pracy.",
            10,
            "social_worker",
        ),
        ("Kurs glazurnika i egzamin czeladniczy.", 120, "partner"),
        (
            "Praktyka u pracodawcy współpracującego z CIS.",
            160,
            "centre",
        ),
    ],
    client_duties: "Udział w zajęciach pracowni remontowo-budowlanej, w kursie i praktyce.",
    worker_duties: "Skierowania na badania i kurs, kontakt z pracodawcą, spotkanie indywidualne \
                    raz w miesiącu.",
};

/// Alcohol misuse; the contract was broken.
const ALCOHOL: Story = Story {
    situation: "Nadużywa alkoholu, deklaruje gotowość podjęcia leczenia. Bez pracy od trzech lat, \
                {mieszka|mieszka} {sam|sama} w lokalu socjalnym z zaległościami w opłatach.",
    causes: "Uzależnienie od alkoholu, utrata pracy, konflikty rodzinne, brak wsparcia bliskich.",
    goals: &[
        "Podjęcie terapii uzależnienia w poradni leczenia uzależnień.",
        "Regularny udział w zajęciach CIS.",
    ],
    actions: &[
        (
            "Zgłoszenie się do poradni leczenia uzależnień i rozpoczęcie terapii.",
            30,
            "client",
        ),
        (
            "Skierowanie do poradni leczenia uzależnień.",
            7,
            "social_worker",
        ),
        (
            "Udział w grupie samopomocowej raz w tygodniu.",
            170,
            "client",
        ),
    ],
    client_duties: "Abstynencja w czasie zajęć, zgłoszenie się do poradni, obecność na zajęciach.",
    worker_duties: "Skierowanie do poradni, motywowanie do leczenia, kontakt z terapeutą za \
                    zgodą klienta.",
};

/// After drug therapy: a draft just begun.
const DRAFT: Story = Story {
    situation: "Po ukończeniu rocznej terapii uzależnienia od narkotyków w ośrodku \
                rehabilitacyjnym {wrócił|wróciła} do rodzinnej miejscowości. Mieszka u \
                rodziców, nie ma dochodu.",
    causes: "Uzależnienie od 17. roku życia, przerwana nauka w szkole branżowej.",
    goals: &["Utrzymanie abstynencji i udział w grupie wsparcia po terapii."],
    actions: &[],
    client_duties: "",
    worker_duties: "",
};

/// Part I of `story` for a person (`female`): the environmental interview on `interview`, the
/// contract from `from` for `months` months, the actions due within it.
fn contract(story: &Story, female: bool, interview: Date, from: Date, months: i32) -> Contract {
    let mut c = Contract::new();
    for (key, text) in [
        ("situation", story.situation),
        ("causes", story.causes),
        ("client_duties", story.client_duties),
        ("worker_duties", story.worker_duties),
    ] {
        c.set_text(key, &gendered(text, female));
    }
    c.set_text("interview_on", &dates::iso(interview));
    c.goals = story.goals.iter().map(|g| gendered(g, female)).collect();
    c.actions = story
        .actions
        .iter()
        .map(|(text, days, party)| Planned {
            text: gendered(text, female),
            due: dates::iso(from + Duration::days(*days)),
            party: (*party).to_owned(),
        })
        .collect();
    c.period_from = dates::iso(from);
    c.period_until = dates::iso(dates::add_months(from, months) - Duration::days(1));
    c
}

/// One step of a demo contract's history: (version, step code, days ago, comment).
type Step = (i32, &'static str, i64, Option<String>);

/// The statuses a step moves the contract between, and whether the manager takes it (else the
/// social worker), as the app records them.
fn transition(step: &str) -> (&'static str, &'static str, bool) {
    match step {
        "submit" => ("draft", "submitted", false),
        "return" => ("submitted", "draft", true),
        "approve" => ("submitted", "approved", true),
        "sign_centre" => ("approved", "approved", true),
        "sign" => ("approved", "signed", false),
        "start_realization" => ("signed", "in_realization", false),
        "amend" => ("in_realization", "draft", false),
        "evaluation_submit" => ("in_realization", "in_realization", false),
        "evaluation_approve" => ("in_realization", "in_realization", true),
        "close" => ("in_realization", "closed", true),
        _ => ("draft", "draft", false),
    }
}

/// The steps from the start to the realization: created, submitted, accepted, signed by the
/// manager, then by the client on `signed` days ago.
fn to_realization(signed: i64) -> Vec<Step> {
    vec![
        (1, "create", signed + 14, None),
        (1, "submit", signed + 9, None),
        (1, "approve", signed + 6, None),
        (1, "sign_centre", signed + 4, None),
        (1, "sign", signed, None),
        (1, "start_realization", signed, None),
    ]
}

/// One entry of a demo contract's log.
struct Entry {
    days: i64,
    kind: RecordKind,
    description: &'static str,
    planned: Option<i32>,
    result: Option<ActionResult>,
    record_type: Option<&'static str>,
    addressee: Option<&'static str>,
}

fn action(days: i64, planned: i32, result: ActionResult, description: &'static str) -> Entry {
    Entry {
        days,
        kind: RecordKind::Action,
        description,
        planned: Some(planned),
        result: Some(result),
        record_type: None,
        addressee: None,
    }
}

fn referral(days: i64, kind: &'static str, to: &'static str, description: &'static str) -> Entry {
    Entry {
        days,
        kind: RecordKind::Referral,
        description,
        planned: None,
        result: None,
        record_type: Some(kind),
        addressee: Some(to),
    }
}

fn benefit(days: i64, benefit: &'static str, description: &'static str) -> Entry {
    Entry {
        days,
        kind: RecordKind::BenefitApplication,
        description,
        planned: None,
        result: None,
        record_type: Some(benefit),
        addressee: None,
    }
}

fn meeting(days: i64, description: &'static str) -> Entry {
    Entry {
        days,
        kind: RecordKind::GroupMeeting,
        description,
        planned: None,
        result: None,
        record_type: None,
        addressee: None,
    }
}

/// A quarterly note: (days ago, the course so far, further actions, changes).
type Note = (i64, &'static str, &'static str, &'static str);

/// A demo contract's parts.
struct Demo {
    participant: Uuid,
    status: &'static str,
    follows: Option<Uuid>,
    /// (text, status, amendment's reason)
    versions: Vec<(Sections, &'static str, Option<String>)>,
    steps: Vec<Step>,
    entries: Vec<Entry>,
    notes: Vec<Note>,
    /// Part II: (outcome, what the client gained, whether it led towards the main goal); its
    /// dates and status are those of its steps.
    evaluation: Option<(Outcome, String, String)>,
}

struct People {
    centre: Uuid,
    worker: Uuid,
    manager: Uuid,
}

/// The moment of the `n`-th step taken `days` ago: during office hours, in order.
fn moment(today: Date, days: i64, n: usize) -> OffsetDateTime {
    let minutes = i64::try_from(n).unwrap_or(0) * 17;
    dates::polish_midnight(today - Duration::days(days))
        + Duration::hours(9)
        + Duration::minutes(minutes)
}

async fn insert(conn: &mut PgConnection, who: &People, today: Date, d: Demo) -> sqlx::Result<Uuid> {
    let current = i32::try_from(d.versions.len()).unwrap_or(1);
    let at = |i: usize| moment(today, d.steps[i].2, i);
    let last = d.steps.len().saturating_sub(1);
    let id: Uuid = sqlx::query_scalar(
        "insert into document (centre_id, participant_id, kind, status, current_version, author_id,
                               follows, created_at, updated_at)
         values ($1, $2, 'social_contract', $3::document_status, $4, $5, $6, $7, $8)
         returning document_id",
    )
    .bind(who.centre)
    .bind(d.participant)
    .bind(d.status)
    .bind(current)
    .bind(who.worker)
    .bind(d.follows)
    .bind(at(0))
    .bind(at(last))
    .fetch_one(&mut *conn)
    .await?;
    for (n, (sections, status, reason)) in d.versions.iter().enumerate() {
        let number = i32::try_from(n).unwrap_or(0) + 1;
        let created = d
            .steps
            .iter()
            .position(|s| s.0 == number && matches!(s.1, "create" | "amend"))
            .map_or_else(|| at(0), at);
        sqlx::query(
            "insert into document_version (document_id, number, based_on, status, sections, reason, created_by, created_at)
             values ($1, $2, $3, $4::document_status, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(number)
        .bind((number > 1).then_some(number - 1))
        .bind(*status)
        .bind(Json(sections))
        .bind(reason.as_deref())
        .bind(who.worker)
        .bind(created)
        .execute(&mut *conn)
        .await?;
    }
    for (i, (version, step, days, comment)) in d.steps.iter().enumerate() {
        let (from, to, by_manager) = transition(step);
        let by = if by_manager { who.manager } else { who.worker };
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
        .bind(comment.as_deref())
        .bind(by)
        .bind(at(i))
        .execute(&mut *conn)
        .await?;
        // The paper signatures: the manager's for the centre, then the client's, recorded by
        // whoever took the step.
        let party = match *step {
            "sign_centre" => "manager",
            "sign" => "participant",
            _ => continue,
        };
        sqlx::query(
            "insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by, recorded_at)
             values ($1, $2, $3::signature_party, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(version)
        .bind(party)
        .bind(who.centre)
        .bind(today - Duration::days(*days))
        .bind(by)
        .bind(at(i))
        .execute(&mut *conn)
        .await?;
    }
    for e in &d.entries {
        let record = NewRecord {
            kind: e.kind,
            happened_on: today - Duration::days(e.days),
            description: e.description,
            planned_action: e.planned,
            result: e.result,
            record_type: e.record_type,
            addressee: e.addressee,
        };
        contracts::add_record(&mut *conn, who.centre, id, &record, who.worker).await?;
    }
    for (days, course, planned, changes) in &d.notes {
        // Written on the version in force then: the first, until an amendment is signed.
        contracts::add_note(
            &mut *conn,
            who.centre,
            id,
            1,
            today - Duration::days(*days),
            course,
            planned,
            changes,
            who.worker,
        )
        .await?;
    }
    if let Some((outcome, gained, towards)) = &d.evaluation {
        let find = |code: &str| d.steps.iter().position(|s| s.1 == code);
        let (Some(submitted), approved) = (find("evaluation_submit"), find("evaluation_approve"))
        else {
            return Ok(id);
        };
        let written = d.steps[submitted].2;
        let (status, approver, approved_at) = match approved {
            Some(i) => ("approved", Some(who.manager), Some(at(i))),
            None => ("submitted", None, None),
        };
        sqlx::query(
            "insert into contract_evaluation (document_id, centre_id, status, outcome, evaluated_on, gained,
                                              towards_goal, revision, author_id, approved_by, approved_at, updated_at)
             values ($1, $2, $3::document_status, $4, $5, $6, $7, 2, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(who.centre)
        .bind(status)
        .bind(*outcome)
        .bind(today - Duration::days(written))
        .bind(gained)
        .bind(towards)
        .bind(who.worker)
        .bind(approver)
        .bind(approved_at)
        .bind(approved_at.unwrap_or_else(|| at(submitted)))
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The steps of Part II and the close, from `written` days ago.
fn evaluated(outcome: Outcome, written: i64) -> Vec<Step> {
    vec![
        (1, "evaluation_submit", written, None),
        (1, "evaluation_approve", written - 2, None),
        (
            1,
            "close",
            written - 2,
            Some(format!("Ocena realizacji kontraktu: {}.", outcome.label())),
        ),
    ]
}

/// One person of the caseload.
#[derive(sqlx::FromRow)]
struct Person {
    participant_id: Uuid,
    status: String,
    female: bool,
    ended_on: Option<Date>,
    termination_reason: Option<String>,
    /// Aged at least [`ADULT`] when the participation ended (or today).
    adult: bool,
}

/// The stories tell of years out of work, prison, widowhood: told of people at least this old.
const ADULT: i32 = 25;

/// Takes the first person not yet `used` whose status is the first of `statuses` anyone has,
/// an adult (see [`ADULT`]) if there is one.
fn take(people: &[Person], used: &mut Vec<Uuid>, statuses: &[&str]) -> Option<usize> {
    let found = [true, false].into_iter().find_map(|adult| {
        statuses.iter().find_map(|status| {
            people.iter().position(|p| {
                p.status == *status && (p.adult || !adult) && !used.contains(&p.participant_id)
            })
        })
    })?;
    used.push(people[found].participant_id);
    Some(found)
}

/// Days between `today` and the end of `person`'s participation (0 while it lasts): the closed
/// contracts of people who left are dated before they left.
fn before_end(person: &Person, today: Date) -> i64 {
    person
        .ended_on
        .map_or(0, |end| (today - end).whole_days().max(0))
}

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
                evaluation: None,
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
    use crate::contracts::content::check_draft;

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
