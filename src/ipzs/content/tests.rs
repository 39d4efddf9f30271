use super::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn a_programme_round_trips_through_its_stored_sections() {
    let mut p = Programme::new("Pracownia gastronomiczna", "MOPS w Lesznowoli");
    p.goals = vec![
        Goal {
            text: "Podjęcie pracy w gastronomii".into(),
            measure: "Umowa o pracę".into(),
            due: "2027-06-30".into(),
        },
        Goal {
            text: "Prawo jazdy kat. B".into(),
            measure: "Zdany egzamin".into(),
            due: "2027-03-31".into(),
        },
    ];
    p.period_from = "2026-12-01".into();
    p.period_until = "2027-11-30".into();
    let stored = p.to_sections();
    assert_eq!(stored.get("goal.2.text"), Some("Prawo jazdy kat. B"));
    assert_eq!(stored.get("stage.9.name"), Some("Egzamin końcowy"));
    assert_eq!(stored.get("workshop"), Some("Pracownia gastronomiczna"));
    assert_eq!(Programme::from_sections(&stored), p);
    let shown = p.labelled();
    assert_eq!(shown.get("Cel 2 – termin"), Some("31.03.2027"));
    assert_eq!(
        shown.get("Planowany okres uczestnictwa"),
        Some("01.12.2026 – 30.11.2027")
    );
}

#[test]
fn the_form_drops_removed_rows_and_orders_the_stages_by_their_numbers() {
    let posted = parse_form(pairs(&[
        ("revision", "3"),
        ("goal_1_text", "Cel pierwszy"),
        ("goal_2_text", "Cel usunięty"),
        ("goal_2_remove", "tak"),
        ("stage_1_name", "Teoria"),
        ("stage_1_order", "3"),
        ("stage_2_name", "BHP"),
        ("stage_2_order", "1"),
        ("stage_3_name", "Egzamin"),
        ("stage_3_order", "2"),
        ("stage_4_name", ""),
        ("action", "add_stage"),
    ]))
    .expect("a form of this page");
    assert_eq!(posted.revision, 3);
    assert_eq!(posted.action, FormAction::AddStage);
    let goals: Vec<_> = posted
        .programme
        .goals
        .iter()
        .map(|g| g.text.as_str())
        .collect();
    assert_eq!(goals, ["Cel pierwszy"]);
    let stages: Vec<_> = posted
        .programme
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(stages, ["BHP", "Egzamin", "Teoria"]);
}

#[test]
fn fields_not_of_this_form_are_refused() {
    for forged in [
        "status",
        "stage_31_name",
        "stage_0_name",
        "stage_x_name",
        "stage_1_colour",
        "goal_1",
    ] {
        let refused = parse_form(pairs(&[("revision", "1"), (forged, "x")]));
        assert_eq!(
            refused.err(),
            Some(UnknownField(forged.to_owned())),
            "{forged}"
        );
    }
    assert!(
        parse_form(pairs(&[("diagnosis_sources", "x")])).is_err(),
        "no revision"
    );
}

#[test]
fn a_draft_may_be_incomplete_but_not_wrong() {
    let no_limit = |_: Date| None::<Date>;
    let year = |from: Date| Some(dates::add_months(from, 25));
    let empty = Programme::new("", "");
    assert!(check_draft(&empty, year).is_empty(), "an empty draft saves");
    assert!(!empty.missing().is_empty());

    let mut p = Programme::new("Pracownia", "MOPS");
    p.stages[0].from = "2027-02-01".into();
    p.stages[0].until = "2027-01-01".into();
    p.goals[0].due = "31.02.2027".into();
    p.period_from = "2026-12-01".into();
    p.period_until = "2029-12-01".into();
    let e = check_draft(&p, year);
    assert!(e["stage_1_until"].contains("koniec nie może być wcześniej"));
    assert!(e.contains_key("goal_1_due"));
    assert!(
        e["period_until"].contains("do 01.01.2029"),
        "{}",
        &e["period_until"]
    );
    assert!(check_draft(&p, no_limit).contains_key("period_from"));
}

#[test]
fn a_complete_programme_misses_nothing_and_each_gap_is_named() {
    let mut p = Programme::new("Pracownia", "MOPS");
    for (key, _) in TEXTS {
        p.set_text(key, "tekst");
    }
    p.set_text("ops_date", "2026-11-20");
    p.goals = vec![Goal {
        text: "Praca".into(),
        measure: "Umowa".into(),
        due: "2027-06-30".into(),
    }];
    for s in &mut p.stages {
        s.from = "2026-12-01".into();
        s.until = "2027-01-31".into();
    }
    p.period_from = "2026-12-01".into();
    p.period_until = "2027-11-30".into();
    assert!(p.missing().is_empty(), "{:?}", p.missing());
    p.goals[0].measure.clear();
    p.set_text("training", "");
    let m = p.missing();
    let fields: Vec<_> = m.iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["goal_1_measure", "training"]);
}

#[test]
fn a_stage_given_another_stages_number_moves_before_it() {
    let posted = parse_form(pairs(&[
        ("revision", "1"),
        ("stage_1_name", "Teoria"),
        ("stage_1_order", "1"),
        ("stage_2_name", "BHP"),
        ("stage_2_order", "2"),
        ("stage_3_name", "Egzamin"),
        ("stage_3_order", "1"),
    ]))
    .expect("a form of this page");
    let stages: Vec<_> = posted
        .programme
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(stages, ["Egzamin", "Teoria", "BHP"]);
}
