//! The demo contracts' stories: Part I's texts of the situations, in the person's
//! grammatical gender.

/// `text` in the person's grammatical gender: every `{masculine|feminine}` becomes one form.
pub(super) fn gendered(text: &str, female: bool) -> String {
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
pub(super) struct Story {
    pub(super) situation: &'static str,
    pub(super) causes: &'static str,
    pub(super) goals: &'static [&'static str],
    /// (what, days after the contract's start, who: a `content::Party` code)
    pub(super) actions: &'static [(&'static str, i64, &'static str)],
    pub(super) client_duties: &'static str,
    pub(super) worker_duties: &'static str,
}

/// Homelessness: the first contract (documents, a training flat).
pub(super) const HOMELESS: Story = Story {
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
pub(super) const HOMELESS_NEXT: Story = Story {
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
pub(super) const PARENT: Story = Story {
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
pub(super) const AFTER_PRISON: Story = Story {
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
pub(super) const DISABILITY: Story = Story {
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
pub(super) const DEBTS: Story = Story {
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
pub(super) const EVICTION: Story = Story {
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
pub(super) const AFTER_THERAPY: Story = Story {
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
pub(super) const LONG_UNEMPLOYED: Story = Story {
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
pub(super) const ALCOHOL: Story = Story {
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
pub(super) const DRAFT: Story = Story {
    situation: "Po ukończeniu rocznej terapii uzależnienia od narkotyków w ośrodku \
                rehabilitacyjnym {wrócił|wróciła} do rodzinnej miejscowości. Mieszka u \
                rodziców, nie ma dochodu.",
    causes: "Uzależnienie od 17. roku życia, przerwana nauka w szkole branżowej.",
    goals: &["Utrzymanie abstynencji i udział w grupie wsparcia po terapii."],
    actions: &[],
    client_duties: "",
    worker_duties: "",
};
