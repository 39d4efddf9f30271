//! The participant vocabulary the policy reasons about: where a person is in the programme and
//! the eligibility categories with the data class each one reveals.

use super::vocabulary;

vocabulary! {
    /// Where a participant is in the programme (DOMAIN.md "Participant lifecycle").
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "participant_status", rename_all = "snake_case")]
    pub enum Status {
        /// Kandydat: referred or self-reported.
        Candidate = ("candidate", "Kandydat"),
        /// Lista rezerwowa: eligible, waiting for a place.
        Reserve = ("reserve", "Lista rezerwowa"),
        /// Okres próbny: admitted, first month.
        Trial = ("trial", "Okres próbny"),
        /// Uczestnik: the programme runs.
        Participant = ("participant", "Uczestnik"),
        /// Absolwent: completed (employment, business, or the period elapsed).
        Graduate = ("graduate", "Absolwent"),
        /// Zakończył (przerwał): ended early, with a reason.
        Terminated = ("terminated", "Zakończył (przerwał)"),
    }
}

impl Status {
    /// The status of one person, in the grammatical gender Polish needs for it ("Kandydatka",
    /// "Absolwent", "Zakończyła udział"); the plain label when the sex is not recorded.
    pub fn label_for(self, female: Option<bool>) -> &'static str {
        match (self, female) {
            (Status::Candidate, Some(true)) => "Kandydatka",
            (Status::Participant, Some(true)) => "Uczestniczka",
            (Status::Graduate, Some(true)) => "Absolwentka",
            (Status::Terminated, Some(true)) => "Zakończyła udział (przerwała)",
            (Status::Terminated, Some(false)) => "Zakończył udział (przerwał)",
            _ => self.label(),
        }
    }

    /// In the programme now (the trial month counts): attends, gets the benefit.
    pub fn is_active(self) -> bool {
        matches!(self, Status::Trial | Status::Participant)
    }

    /// Participation has ended (graduated or terminated).
    pub fn has_ended(self) -> bool {
        matches!(self, Status::Graduate | Status::Terminated)
    }

    /// The lifecycle's arrows. Anything else is an impossible transition; in particular a
    /// participant graduates from the programme, never during the trial period.
    pub fn can_move_to(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Candidate, Reserve)
                | (Reserve, Trial)
                | (Trial, Participant)
                | (Participant, Graduate)
                | (Candidate | Reserve | Trial | Participant, Terminated)
        )
    }
}

vocabulary! {
    /// Eligibility under art. 1 ust. 2 of the act (more than one may apply).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "eligibility_category", rename_all = "snake_case")]
    pub enum Category {
        /// Bezdomni realizujący indywidualny program wychodzenia z bezdomności.
        Homeless = ("homeless", "Osoba bezdomna realizująca indywidualny program wychodzenia z bezdomności"),
        /// Uzależnieni od alkoholu.
        Alcohol = ("alcohol", "Osoba uzależniona od alkoholu"),
        /// Uzależnieni od narkotyków lub innych środków odurzających.
        Drugs = ("drugs", "Osoba uzależniona od narkotyków lub innych środków odurzających"),
        /// Chorzy psychicznie.
        MentalIllness = ("mental_illness", "Osoba z zaburzeniami psychicznymi"),
        /// Długotrwale bezrobotni.
        LongTermUnemployed = ("long_term_unemployed", "Osoba długotrwale bezrobotna"),
        /// Zwalniani z zakładów karnych.
        Prison = ("prison", "Osoba zwolniona z zakładu karnego"),
        /// Uchodźcy realizujący indywidualny program integracji.
        Refugee = ("refugee", "Uchodźca realizujący indywidualny program integracji"),
        /// Osoby niepełnosprawne.
        Disability = ("disability", "Osoba z niepełnosprawnością"),
        /// Inna sytuacja (the list in the act is "in particular"), with a description.
        Other = ("other", "Inna sytuacja wykluczenia (opis)"),
    }
}

vocabulary! {
    /// Who reads a case note on a participant's file: chosen by its author; what each role
    /// reads of each is the policy's field table (`Field::for_note`).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "case_note_visibility", rename_all = "snake_case")]
    pub enum NoteVisibility {
        /// Everyone who may open the file.
        Team = ("team", "Zespół – każdy, kto może otworzyć teczkę"),
        /// The manager and the file's social worker.
        SocialWork = ("social_work", "Praca socjalna – kierownik i pracownik socjalny"),
        /// Psychologists only (a therapy note; the manager sees that it exists).
        Psychologist = ("psychologist", "Tylko psycholog – notatka terapeutyczna"),
    }
}

impl NoteVisibility {
    /// The short form the timeline shows beside a note.
    pub fn short_label(self) -> &'static str {
        match self {
            NoteVisibility::Team => "widoczna dla zespołu",
            NoteVisibility::SocialWork => "praca socjalna",
            NoteVisibility::Psychologist => "tylko psycholog",
        }
    }
}

/// How sensitive a category's label is (LAW.md "Who may take part").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitivity {
    /// Ordinary personal data.
    General,
    /// Reveals health, addiction, mental illness, disability or homelessness (GDPR art. 9).
    Health,
    /// Reveals a criminal record (GDPR art. 10).
    Criminal,
}

impl Category {
    /// Which data class the label belongs to.
    pub fn sensitivity(self) -> Sensitivity {
        match self {
            Category::Homeless
            | Category::Alcohol
            | Category::Drugs
            | Category::MentalIllness
            | Category::Disability => Sensitivity::Health,
            Category::Prison => Sensitivity::Criminal,
            Category::LongTermUnemployed | Category::Refugee | Category::Other => {
                Sensitivity::General
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_allows_exactly_the_documented_arrows() {
        use Status::*;
        let allowed = [
            (Candidate, Reserve),
            (Reserve, Trial),
            (Trial, Participant),
            (Participant, Graduate),
            (Candidate, Terminated),
            (Reserve, Terminated),
            (Trial, Terminated),
            (Participant, Terminated),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn a_persons_status_agrees_with_their_sex() {
        assert_eq!(Status::Candidate.label_for(Some(true)), "Kandydatka");
        assert_eq!(Status::Candidate.label_for(Some(false)), "Kandydat");
        assert_eq!(Status::Graduate.label_for(Some(true)), "Absolwentka");
        assert_eq!(Status::Participant.label_for(Some(true)), "Uczestniczka");
        assert_eq!(
            Status::Terminated.label_for(Some(true)),
            "Zakończyła udział (przerwała)"
        );
        assert_eq!(
            Status::Terminated.label_for(Some(false)),
            "Zakończył udział (przerwał)"
        );
        assert_eq!(Status::Trial.label_for(Some(true)), "Okres próbny");
        assert_eq!(Status::Graduate.label_for(None), "Absolwent");
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(c));
        }
    }

    #[test]
    fn health_and_criminal_categories_are_marked_special() {
        assert_eq!(Category::Alcohol.sensitivity(), Sensitivity::Health);
        assert_eq!(Category::Homeless.sensitivity(), Sensitivity::Health);
        assert_eq!(Category::Prison.sensitivity(), Sensitivity::Criminal);
        assert_eq!(
            Category::LongTermUnemployed.sensitivity(),
            Sensitivity::General
        );
    }
}
