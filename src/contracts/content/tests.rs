//! Part I's shapes: the form, the sections, the labelled text, the draft's checks.

use super::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn today() -> Date {
    dates::parse("2026-12-01").unwrap()
}

#[test]
fn every_part_round_trips_through_the_sections() {
    let posted = parse_form(pairs(&[
        ("revision", "3"),
        ("version", "1"),
        ("situation", "Bezdomny od 2 lat, bez dochodu."),
        ("causes", "Utrata pracy, zadłużenie."),
        ("main_goal", MAIN_GOAL),
        ("goal_1", "Ukończenie kursu pomocnika kucharza."),
        ("goal_2", ""),
        ("goal_3", "Uregulowanie zadłużenia alimentacyjnego."),
        ("action_1_text", "Złożenie wniosku o zasiłek celowy."),
        ("action_1_due", "15.01.2027"),
        ("action_1_party", "social_worker"),
        ("action_2_text", "Udział w grupie samopomocowej."),
        ("action_2_due", "2027-03-31"),
        ("action_2_party", "client"),
        ("client_duties", "Udział w zajęciach."),
        ("worker_duties", "Wsparcie w sprawach urzędowych."),
        ("support", SUPPORT),
        ("interview_on", "2026-11-20"),
        ("period_from", "2026-12-01"),
        ("period_until", "2027-05-31"),
    ]))
    .unwrap();
    assert_eq!(posted.revision, 3);
    assert!(check_draft(&posted.contract, today()).is_empty());
    let c = posted.contract.normalized();
    assert_eq!(c.goals.len(), 2, "the empty goal row is dropped");
    assert_eq!(
        c.actions[0].due, "2027-01-15",
        "a Polish date is stored as ISO"
    );
    assert_eq!(Contract::from_sections(&c.to_sections()), c);
    assert!(c.missing().is_empty());
    let labelled = c.labelled();
    assert_eq!(
        labelled.get("Działanie 1 – termin i kto"),
        Some("15.01.2027, pracownik socjalny")
    );
    assert_eq!(
        labelled.get("Okres obowiązywania kontraktu"),
        Some("01.12.2026 – 31.05.2027")
    );
}

#[test]
fn a_new_contract_starts_with_the_seeds_main_goal() {
    let c = Contract::new();
    assert_eq!(c.text("main_goal"), MAIN_GOAL);
    let missing = c.missing();
    assert!(missing.contains_key("goal_1"));
    assert!(missing.contains_key("situation"));
    assert!(missing.contains_key("period_from"));
    assert!(!missing.contains_key("main_goal"));
}

#[test]
fn a_draft_may_be_incomplete_but_not_wrong() {
    let mut c = Contract::new();
    c.period_from = "2027-01-01".into();
    c.period_until = "2026-12-31".into();
    c.actions = vec![Planned {
        text: "Wniosek".into(),
        due: "2026-12-15".into(),
        party: "somebody".into(),
    }];
    c.set_text("interview_on", "2027-02-01");
    let e = check_draft(&c, today());
    assert!(e.field("period_until").unwrap().contains("wcześniej"));
    assert!(e.field("action_1_party").is_some());
    assert!(e.field("interview_on").unwrap().contains("przyszłości"));

    c.period_until = "2027-06-30".into();
    let e = check_draft(&c, today());
    assert_eq!(
        e.field("action_1_due"),
        Some("Działanie 1: termin (15.12.2026) jest przed początkiem kontraktu (01.01.2027).")
    );
    c.actions[0].due = "nie wiem".into();
    assert!(
        check_draft(&c, today())
            .field("action_1_due")
            .unwrap()
            .starts_with("Działanie 1: ")
    );
}

#[test]
fn forged_or_unknown_fields_are_not_a_form_of_this_page() {
    for name in [
        "status",
        "goal_31",
        "goal_0",
        "action_1_colour",
        "step_1_name",
    ] {
        let err = parse_form(pairs(&[("revision", "1"), (name, "x")])).unwrap_err();
        assert_eq!(err, UnknownField(name.to_owned()));
    }
    assert!(
        parse_form(pairs(&[("situation", "x")])).is_err(),
        "revision"
    );
}

#[test]
fn goals_compare_by_their_words_not_their_spacing() {
    let mut a = Contract::new();
    a.goals = vec!["Ukończenie  kursu".into(), " ".into()];
    let mut b = Contract::new();
    b.goals = vec!["Ukończenie kursu\n".into()];
    assert_eq!(a.goal_texts(), b.goal_texts());
    b.goals.push("Nowy cel".into());
    assert_ne!(a.goal_texts(), b.goal_texts());
}
