//! Graduate follow-up, the rules after the second reading (issue 12): what a contact fulfils
//! (the due date's month, never an item planned after it), the end of the follow-up with the
//! last window, a missed contact that keeps no answers, the contact form read without a lock,
//! and the centre's settings (from tomorrow, a window of at most 45 days).

use reqwest::StatusCode;
use teczka::validate::dates::add_months;
use time::{Date, Duration};

use crate::follow_ups::{
    advance_days, advance_to, graduate, items, overdue_graduate, post_fields, reached, reached_but,
    record, scalar_count,
};
use crate::helpers::*;

/// The last day of `day`'s month.
fn month_end(day: Date) -> Date {
    day.replace_day(time::util::days_in_month(day.month(), day.year()))
        .unwrap()
}

#[tokio::test]
async fn a_contact_on_the_first_of_the_month_closes_an_item_due_at_its_end_and_it_leaves_start() {
    let app = spawn_app().await;
    // The first day of next month: an item due at its end is "due this month" but its 14-day
    // window has not opened yet.
    let real = today(&app).await;
    let first = month_end(real) + Duration::days(1);
    advance_to(&app, first);
    let id = graduate(
        &app,
        "Miesięczna",
        "socjalny1",
        add_months(month_end(first), -3),
    )
    .await;
    let due = items(&app, id).await;
    let (end, second) = (due[0].1, due[1].1);
    assert_eq!((end.month(), end.year()), (first.month(), first.year()));
    assert!(end - Duration::days(14) > first);

    let worker = app.login("socjalny1").await;
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    let this_month = list.split("id=\"due-h\"").nth(1).unwrap();
    assert!(this_month.contains("Miesięczna Jan"), "{list}");
    assert!(
        this_month.contains(&format!(
            "do wykonania – termin za {} dni",
            (end - first).whole_days()
        )),
        "{this_month}"
    );
    let (_, home) = body(&app, "/", &worker).await;
    assert!(home.contains("Miesięczna Jan"), "{home}");
    let path = format!("/participants/{id}/follow-ups/contact");
    let (_, form) = body(&app, &path, &worker).await;
    assert!(form.contains("Terminy, które zamknie udany kontakt z dzisiejszą datą"));
    assert!(form.contains(&polish(end)), "{form}");

    // Reached today: the item is closed and leaves the list and Start.
    let (status, _) = post_fields(&app, &path, &worker, &reached(first)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(items(&app, id).await[0].2, Some(first));
    let page = format!("/participants/{id}/follow-ups");
    let (_, timeline) = body(&app, &page, &worker).await;
    assert!(timeline.contains(&format!("Zapisano kontakt z {}.", polish(first))));
    let (_, home) = body(&app, "/", &worker).await;
    assert!(!home.contains("Miesięczna Jan"), "{home}");
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    let this_month = list.split("id=\"due-h\"").nth(1).unwrap();
    let this_month = this_month.split("id=\"upcoming-h\"").next().unwrap();
    assert!(!this_month.contains("Miesięczna Jan"), "{list}");

    // Another contact the same day closes nothing: the message says so and names what is next
    // (the second item's window opens on the first day of its month).
    let (status, _) = post_fields(&app, &path, &worker, &reached(first)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, timeline) = body(&app, &page, &worker).await;
    let message = format!(
        "Kontakt z {} zapisano; nie zamknął żadnego terminu – najbliższy termin {}, kontakt liczy się od {}.",
        polish(first),
        polish(second),
        polish(second.replace_day(1).unwrap())
    );
    assert!(timeline.contains(&message), "{timeline}");
}

#[tokio::test]
async fn an_extra_item_is_not_fulfilled_by_a_contact_dated_before_it_was_planned() {
    let app = spawn_app().await;
    let (id, first, _) = overdue_graduate(&app, "Późniejsza", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;
    let extra_on = today + Duration::days(5);
    let (status, _) = post_text(
        &app,
        &format!("/participants/{id}/follow-ups/extra"),
        &worker,
        &[
            ("extra_on", &iso(extra_on)),
            ("extra_note", "Rozmowa po zmianie pracy."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A call made yesterday, recorded today: it answers the overdue item, not the extra one
    // planned today (although its window had opened).
    let yesterday = today - Duration::days(1);
    let status = record(&app, id, &worker, &reached(yesterday)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let all = items(&app, id).await;
    assert!(all.contains(&("scheduled".to_owned(), first, Some(yesterday))));
    assert!(
        all.contains(&("extra".to_owned(), extra_on, None)),
        "{all:?}"
    );
    // Today's contact does.
    let status = record(&app, id, &worker, &reached(today)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        items(&app, id)
            .await
            .contains(&("extra".to_owned(), extra_on, Some(today)))
    );
}

#[tokio::test]
async fn a_contact_ten_days_after_the_last_due_date_is_recorded() {
    let app = spawn_app().await;
    let today = today(&app).await;
    let id = graduate(
        &app,
        "Ostatnia",
        "socjalny1",
        add_months(today - Duration::days(10), -36),
    )
    .await;
    let last = items(&app, id).await.last().unwrap().1;
    let until: Date =
        sqlx::query_scalar("select follow_up_until from participant where participant_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(until, last + Duration::days(14));
    let on = last + Duration::days(10);
    assert!(on <= today && today <= until);
    let worker = app.login("socjalny1").await;
    assert_eq!(
        record(&app, id, &worker, &reached(on)).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(items(&app, id).await.last().unwrap().2, Some(on));
}

#[tokio::test]
async fn a_missed_contact_stores_no_community_or_skills() {
    let app = spawn_app().await;
    let (id, _, _) = overdue_graduate(&app, "Nieobecna", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;
    let missed = reached_but(today, "reached", Some("no"));
    assert_eq!(
        record(&app, id, &worker, &missed).await,
        StatusCode::SEE_OTHER
    );
    let row: (bool, String, String, Option<String>, String) = sqlx::query_as(
        "select reached, community, skills, employment::text, actions from follow_up_contact
         where participant_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            false,
            String::new(),
            String::new(),
            None,
            "Bez potrzeby działań.".to_owned()
        )
    );
    // The table refuses it too.
    let refused = sqlx::query(
        "insert into follow_up_contact (participant_id, centre_id, contacted_on, reached, form,
             community, recorded_by)
         select participant_id, centre_id, contacted_on, false, form, 'Mieszka sama.', recorded_by
         from follow_up_contact where participant_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn the_contact_form_is_shown_while_another_change_holds_the_graduate() {
    let app = spawn_app().await;
    let (id, _, _) = overdue_graduate(&app, "Zajęta", "socjalny1").await;
    let worker = app.login("socjalny1").await;
    let mut lock = app.db.begin().await.unwrap();
    sqlx::query("select 1 from participant where participant_id = $1 for update")
        .bind(id)
        .execute(&mut *lock)
        .await
        .unwrap();
    let path = format!("/participants/{id}/follow-ups/contact");
    let (status, form) = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        body(&app, &path, &worker),
    )
    .await
    .expect("the form does not wait for the row lock");
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Kontakt z absolwentem: Zajęta Jan"));
    lock.rollback().await.unwrap();
}

#[tokio::test]
async fn the_contact_form_ties_the_reached_error_to_its_radios_and_asks_for_no_health_data() {
    let app = spawn_app().await;
    let (id, _, _) = overdue_graduate(&app, "Dostępna", "socjalny1").await;
    let today = today(&app).await;
    let worker = app.login("socjalny1").await;
    let path = format!("/participants/{id}/follow-ups/contact");
    let (_, form) = body(&app, &path, &worker).await;
    assert!(form.contains("Zatrudniony na podstawie umowy"));
    assert_eq!(
        form.matches("bez danych o zdrowiu ponad to, co niezbędne")
            .count(),
        2
    );
    assert!(!form.contains("aria-describedby=\"reached-error\""));
    let fields = reached_but(today, "reached", None);
    let (status, page) = post_fields(&app, &path, &worker, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("<p class=\"error\" id=\"reached-error\">"));
    assert_eq!(
        page.matches("aria-invalid=\"true\" aria-describedby=\"reached-error\"")
            .count(),
        2,
        "{page}"
    );
}

#[tokio::test]
async fn the_manager_sets_the_window_from_a_date_and_the_lists_use_it() {
    let app = spawn_app().await;
    let (id, first, _) = overdue_graduate(&app, "Okienna", "socjalny1").await;
    let today = today(&app).await;
    let manager = app.login("kierownik").await;
    let (status, page) = body(&app, "/settings/follow-ups", &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("obowiązuje dziś"));
    assert!(page.contains("<th scope=\"col\">Dotyczy</th>"));
    // A row from today (a day already counted) and windows over 45 days are refused.
    let tomorrow = today + Duration::days(1);
    for (from, window, message) in [
        (
            today,
            "25",
            format!(
                "Data nie może być wcześniejsza niż jutro ({}).",
                polish(tomorrow)
            ),
        ),
        (
            today - Duration::days(30),
            "25",
            format!(
                "Data nie może być wcześniejsza niż jutro ({}).",
                polish(tomorrow)
            ),
        ),
        (
            tomorrow,
            "60",
            "Podaj liczbę dni od 0 do 45. Szersze okno łączyłoby kolejne kwartały w jeden kontakt."
                .to_owned(),
        ),
        (tomorrow, "93", "Podaj liczbę dni od 0 do 45.".to_owned()),
    ] {
        let (status, page) = post_text(
            &app,
            "/settings/follow-ups",
            &manager,
            &[
                ("valid_from", &iso(from)),
                ("window_days", window),
                ("closer_days", "21"),
                ("source", "Zarządzenie nr 5/2026"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.contains(&message), "{message}: {page}");
        assert!(page.contains("Zarządzenie nr 5/2026"));
    }
    assert_eq!(
        scalar_count(
            &app,
            "select count(*) from follow_up_rule where centre_id is not null"
        )
        .await,
        0
    );
    // The table refuses a wider window too.
    assert!(
        sqlx::query("update follow_up_rule set window_days = 46")
            .execute(&app.db)
            .await
            .is_err()
    );
    // A window of 25 days from tomorrow: then the first contact (21 days late) is no longer
    // overdue.
    let (status, _) = post_text(
        &app,
        "/settings/follow-ups",
        &manager,
        &[
            ("valid_from", &iso(tomorrow)),
            ("window_days", "25"),
            ("closer_days", "21"),
            ("source", "Zarządzenie nr 5/2026"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let worker = app.login("socjalny1").await;
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    assert!(
        list.split("id=\"due-h\"")
            .next()
            .unwrap()
            .contains("Okienna Jan"),
        "still overdue today: {list}"
    );
    advance_days(&app, 1);
    let today = tomorrow;
    let row: (Vec<i32>, i32, i32, i32) = sqlx::query_as(
        "select months, window_days, closer_days, lasts_months from follow_up_rule where centre_id is not null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(row, (vec![3, 6, 9, 12, 18, 24, 30, 36], 25, 21, 36));
    let worker = app.login("socjalny1").await;
    let (_, list) = body(&app, "/follow-ups", &worker).await;
    let due = list.split("id=\"due-h\"").nth(1).unwrap();
    let late = (today - first).whole_days();
    assert!(
        due.contains(&format!("do wykonania – {late} dni po terminie")),
        "{list}"
    );
    let (_, page) = body(&app, &format!("/participants/{id}/follow-ups"), &worker).await;
    assert!(!page.contains("zaległy"));
}
