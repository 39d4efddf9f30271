//! The Polish names of the audit log's action codes: the one table the data-protection
//! officer's search offers as its "Czynność" select and shows in its rows and export. Every
//! code the application writes has a line here (a test in `data_protection` checks the
//! policy's actions; the others are the codes written by name, listed by area).

/// (code, Polish label), in the order the select lists them (by area).
pub const ACTIONS: &[(&str, &str)] = &[
    // Signing in and the account.
    ("login.success", "Logowanie"),
    ("login.failure", "Nieudane logowanie"),
    ("login.throttled", "Logowanie wstrzymane (zbyt wiele prób)"),
    ("login.rate_limited", "Logowanie zablokowane (limit prób)"),
    (
        "login.password",
        "Hasło przyjęte, logowanie czeka na drugi składnik",
    ),
    (
        "login.second_factor",
        "Kod drugiego składnika przy logowaniu",
    ),
    ("logout", "Wylogowanie"),
    ("account.change_password", "Zmiana własnego hasła"),
    (
        "account.second_factor",
        "Konfiguracja drugiego składnika logowania",
    ),
    ("csrf.rejected", "Odrzucony formularz (brak tokenu CSRF)"),
    ("route.enter", "Wejście na stronę bez uprawnień"),
    ("home.view", "Strona startowa"),
    // Staff accounts.
    ("staff.view", "Podgląd kont pracowników"),
    ("staff.create", "Utworzenie konta pracownika"),
    ("staff.change_role", "Zmiana roli pracownika"),
    ("staff.set_active", "Zmiana aktywności konta"),
    ("staff.deactivate", "Dezaktywacja konta"),
    ("staff.reactivate", "Przywrócenie konta"),
    ("staff.reset_password", "Nowe hasło jednorazowe"),
    ("staff.unlock", "Odblokowanie konta"),
    (
        "staff.reset_second_factor",
        "Reset drugiego składnika logowania pracownika",
    ),
    ("staff.access_log", "Przegląd rejestru dostępu"),
    ("centre.settings", "Zmiana ustawień ośrodka"),
    // Participants' files.
    ("participant.list", "Lista uczestników"),
    ("participant.search", "Wyszukiwanie uczestników"),
    ("participant.register", "Rejestracja kandydata"),
    ("participant.view", "Otwarcie teczki"),
    ("participant.edit", "Edycja danych uczestnika"),
    ("participant.status.reserve", "Wpis na listę rezerwową"),
    ("participant.status.trial", "Przyjęcie na okres próbny"),
    (
        "participant.status.participant",
        "Potwierdzenie uczestnictwa",
    ),
    ("participant.status.graduate", "Ukończenie zajęć"),
    ("participant.status.terminated", "Zakończenie uczestnictwa"),
    ("participant.extend", "Przedłużenie uczestnictwa"),
    (
        "participant.assign_social_worker",
        "Przydział pracownika socjalnego",
    ),
    (
        "participant.reassign",
        "Zmiana pracownika socjalnego wielu osób",
    ),
    ("participant.add_document", "Dokument rekrutacyjny"),
    ("participant.assign_workshop", "Przydział do pracowni"),
    ("participant.access_log", "Przegląd „Kto przeglądał teczkę”"),
    ("participant.add_note", "Notatka w teczce"),
    // Documents (IPZS, social contracts).
    ("document.create", "Nowy dokument"),
    ("document.edit", "Edycja dokumentu"),
    ("document.view", "Odczyt dokumentu"),
    ("document.print", "Wydruk dokumentu"),
    ("document.submit", "Przekazanie dokumentu do zatwierdzenia"),
    ("document.return", "Zwrot dokumentu do poprawy"),
    ("document.approve", "Zatwierdzenie dokumentu"),
    ("document.sign", "Podpisy dokumentu"),
    ("document.sign_for_centre", "Podpis w imieniu ośrodka"),
    (
        "document.start_realization",
        "Rozpoczęcie realizacji dokumentu",
    ),
    ("document.close", "Zamknięcie dokumentu"),
    ("document.amend", "Aneks do dokumentu"),
    ("document.monitoring", "Wpis monitoringu"),
    ("document.record", "Wpis realizacji kontraktu"),
    ("document.evaluate", "Ocena kontraktu"),
    ("document.scan.upload", "Dodanie skanu dokumentu"),
    // Opinions for the IPZS.
    ("opinion.request", "Prośba o opinię"),
    ("opinion.view", "Odczyt opinii"),
    ("opinion.write", "Pisanie opinii"),
    ("opinion.sign_off", "Podpisanie opinii"),
    ("opinion.withdraw", "Wycofanie prośby o opinię"),
    // Workshops, attendance, benefits.
    ("workshop.manage", "Zarządzanie pracowniami"),
    ("workshop.create", "Nowa pracownia"),
    ("workshop.update", "Zmiana pracowni"),
    ("workshop.member_start", "Początek członkostwa w pracowni"),
    ("workshop.member_end", "Koniec członkostwa w pracowni"),
    ("workshop.plan_save", "Plan tygodnia pracowni"),
    ("activity_type.add", "Nowy rodzaj zajęć"),
    ("calendar.closed_day_add", "Dzień wolny ośrodka"),
    ("calendar.closed_day_remove", "Usunięcie dnia wolnego"),
    ("attendance.record", "Lista obecności"),
    ("attendance.correct", "Korekta obecności"),
    ("attendance.view", "Kalendarz obecności uczestnika"),
    ("benefit.statement", "Zestawienie świadczenia"),
    ("benefit.manage", "Zmiana zasad świadczenia"),
    ("benefit.month", "Miesiąc świadczeń"),
    ("benefit.bonus", "Premia motywacyjna"),
    ("benefit.close", "Zamknięcie miesiąca świadczeń"),
    ("benefit.reopen", "Ponowne otwarcie miesiąca"),
    ("benefit.recompute", "Przeliczenie świadczeń"),
    ("benefit.export", "Eksport list świadczeń"),
    // Follow-up and reports.
    ("follow_up.view", "Listy kontaktów po ukończeniu"),
    ("follow_up.contact", "Kontakt z absolwentem"),
    ("follow_up.manage", "Zmiana harmonogramu kontaktów"),
    ("report.view", "Raport efektywności"),
    ("report.print", "Wydruk raportu efektywności"),
    ("report.export", "Eksport raportu efektywności"),
    ("annual_report.view", "Sprawozdanie roczne"),
    ("annual_report.save", "Zapis wersji sprawozdania rocznego"),
    ("annual_report.print", "Wydruk sprawozdania rocznego"),
    ("annual_report.export", "Eksport sprawozdania rocznego"),
    // Data protection.
    ("subject_access.print", "Dane osoby – wydruk (art. 15 RODO)"),
    (
        "subject_access.export",
        "Dane osoby – eksport JSON (art. 15 RODO)",
    ),
    ("participant.rectifications", "Historia zmian danych osoby"),
    (
        "retention.view",
        "Przegląd teczek po okresie przechowywania",
    ),
    ("retention.manage", "Zmiana przechowywania teczki"),
    ("retention.rules", "Okresy przechowywania teczek"),
    ("retention.found", "Teczka po okresie przechowywania"),
    ("retention.hold", "Wstrzymanie usunięcia teczki"),
    ("retention.hold_lift", "Zniesienie wstrzymania usunięcia"),
    ("retention.anonymise", "Anonimizacja teczki"),
    // The audit log itself.
    ("audit.search", "Przegląd dziennika zdarzeń"),
    ("audit.export", "Eksport dziennika zdarzeń"),
    ("audit.report", "Raporty ochrony danych"),
];

/// The Polish label of `code`, if the table has it.
pub fn label(code: &str) -> Option<&'static str> {
    ACTIONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The label of `code`, or the code itself (an action written before the table knew it).
pub fn label_or_code(code: &str) -> &str {
    label(code).unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_once() {
        let mut codes: Vec<_> = ACTIONS.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        let len = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), len);
        assert_eq!(label("participant.view"), Some("Otwarcie teczki"));
        assert_eq!(label_or_code("something.new"), "something.new");
    }
}
