//! The fixture of the Start tests: work of every kind for every role of centre A (and some of
//! centre B's), on a fixed day.

use std::time::Duration as StdDuration;

use teczka::domain::calendar;
use teczka::validate::dates::{add_months, polish_today};
use time::{Date, Duration, OffsetDateTime, Weekday};
use uuid::Uuid;

use crate::helpers::*;

/// The app's clock moved to a fixed day: the first Wednesday at least a week ahead (the clock
/// only moves forward), at 09:00 UTC (10:00 or 11:00 in Warsaw, the same day). Returns it.
fn set_clock(app: &TestApp) -> Date {
    let now = OffsetDateTime::now_utc();
    let mut day = polish_today(now) + Duration::days(7);
    while day.weekday() != Weekday::Wednesday {
        day = day.next_day().unwrap();
    }
    let at = day.midnight().assume_utc() + Duration::hours(9);
    app.advance(StdDuration::from_secs((at - now).whole_seconds() as u64));
    assert_eq!(app.state.today(), day);
    day
}

/// A moment on `day` (noon in Warsaw, whatever the season).
fn on(day: Date) -> OffsetDateTime {
    day.midnight().assume_utc() + Duration::hours(11)
}

/// One fixture with work of every kind, on the fixed day.
pub struct Fixture {
    pub today: Date,
    /// The last working day before today: attendance not entered.
    pub missed: Date,
    /// The previous month: attendance recorded, not closed.
    pub month: Date,
    pub stolarnia: Uuid,
    pub ogrod: Uuid,
    /// socjalny1's, in Stolarnia: opinions requested from the psychologist (20 days ago), the
    /// career advisor and the instructor; an approved contract waiting for the centre's
    /// signature.
    pub opinions: Uuid,
    pub psychologist_opinion: Uuid,
    pub advisor_opinion: Uuid,
    pub instructor_opinion: Uuid,
    pub contract: Uuid,
    /// socjalny2's, in Ogród: an IPZS submitted for approval.
    pub submitted: Uuid,
    /// socjalny1's, in Stolarnia: an IPZS returned to its author.
    pub returned: Uuid,
    /// socjalny1's, in Stolarnia: an IPZS in realization, its monitoring due on `monitoring_due`.
    pub monitored: Uuid,
    pub monitoring_due: Date,
    /// Trial periods: socjalny1's ends in 3 days, socjalny2's ended 2 days ago.
    pub trial_soon: Uuid,
    pub trial_past: Uuid,
    /// socjalny1's, on the reserve list without an IPZS: the admission waits.
    pub reserve: Uuid,
    /// socjalny1's candidate with a complete recruitment file.
    pub candidate: Uuid,
    /// Graduates with a follow-up contact: socjalny1's due today and 20 days after its date
    /// (overdue: the window is 14 days),
    /// socjalny2's overdue.
    pub due_graduate: Uuid,
    pub late_graduate: Uuid,
    pub other_graduate: Uuid,
    /// Centre B: a trial ending, an IPZS submitted, an opinion requested.
    pub b_trial: Uuid,
    pub b_ipzs: Uuid,
    pub b_opinion: Uuid,
}

pub async fn arrange(app: &TestApp) -> Fixture {
    let today = set_clock(app);
    let missed =
        *calendar::working_days(today - Duration::days(14), today - Duration::days(1), &[])
            .last()
            .unwrap();
    let month = add_months(calendar::month_start(today), -1);
    let stolarnia = app
        .workshop(CENTRE_A, "Stolarnia", Some("instruktor"))
        .await;
    let ogrod = app.workshop(CENTRE_A, "Ogród", None).await;
    let b_workshop = app
        .workshop(CENTRE_B, "Krawiectwo", Some("instruktor2"))
        .await;
    // In the programme, each in a workshop from the day attendance was missed (so that day is
    // the only one without an entry).
    let member = |worker: &'static str,
                  surname: &'static str,
                  workshop: Uuid,
                  centre: &'static str| async move {
        let id = app
            .fixture_participant(centre, surname, Some(worker), None)
            .await;
        sqlx::query(
            "insert into workshop_membership (workshop_id, participant_id, centre_id, member_from)
             select $1, participant_id, centre_id, $3 from participant where participant_id = $2",
        )
        .bind(workshop)
        .bind(id)
        .bind(missed)
        .execute(&app.db)
        .await
        .unwrap();
        id
    };
    let opinions = member("socjalny1", "Opiniowana", stolarnia, CENTRE_A).await;
    let submitted_of = member("socjalny2", "Zatwierdzana", ogrod, CENTRE_A).await;
    let returned_of = member("socjalny1", "Zwrócona", stolarnia, CENTRE_A).await;
    let monitored_of = member("socjalny1", "Monitorowana", stolarnia, CENTRE_A).await;
    let trial_soon = member("socjalny1", "Próbna", stolarnia, CENTRE_A).await;
    let trial_past = member("socjalny2", "Spóźniona", ogrod, CENTRE_A).await;
    let b_trial = member("socjalny3", "Obca", b_workshop, CENTRE_B).await;
    for (id, ends) in [
        (trial_soon, today + Duration::days(3)),
        (trial_past, today - Duration::days(2)),
        (b_trial, today + Duration::days(1)),
    ] {
        sqlx::query(
            "update participant set status = 'trial', trial_ends_on = $2 where participant_id = $1",
        )
        .bind(id)
        .bind(ends)
        .execute(&app.db)
        .await
        .unwrap();
    }

    // Opinions requested (one in centre B), each on a known day.
    let opinion = |participant: Uuid,
                   kind: &'static str,
                   author: &'static str,
                   requester: &'static str,
                   at: Date| async move {
        // Asked on a known day (the request's time never changes afterwards, so it is set
        // here rather than by `fixture_opinion`).
        sqlx::query_scalar::<_, Uuid>(
            "insert into opinion (centre_id, participant_id, kind, requested_by, requested_at, author_id)
             select p.centre_id, p.participant_id, $2::opinion_kind, r.staff_user_id, $5, a.staff_user_id
             from participant p, staff_user r, staff_user a
             where p.participant_id = $1 and a.login = $3 and r.login = $4
             returning opinion_id",
        )
        .bind(participant)
        .bind(kind)
        .bind(author)
        .bind(requester)
        .bind(on(at))
        .fetch_one(&app.db)
        .await
        .unwrap()
    };
    let psychologist_opinion = opinion(
        opinions,
        "psychologist",
        "psycholog",
        "socjalny1",
        today - Duration::days(20),
    )
    .await;
    let advisor_opinion = opinion(
        opinions,
        "career_advisor",
        "doradca",
        "socjalny1",
        today - Duration::days(2),
    )
    .await;
    let instructor_opinion = opinion(
        opinions,
        "instructor",
        "instruktor",
        "socjalny1",
        today - Duration::days(3),
    )
    .await;
    let b_opinion = opinion(
        b_trial,
        "psychologist",
        "psycholog2",
        "socjalny3",
        today - Duration::days(1),
    )
    .await;

    // Documents, each waiting since a known day.
    let document = |participant: Uuid, kind: &'static str, status: &'static str, since: Date| async move {
        sqlx::query_scalar::<_, Uuid>(
            "with d as (insert into document (centre_id, participant_id, kind, status, author_id, created_at, updated_at)
                        select p.centre_id, p.participant_id, $2::document_kind, $3::document_status, p.social_worker_id, $4, $4
                        from participant p where p.participant_id = $1
                        returning document_id, author_id)
             insert into document_version (document_id, number, status, sections, created_by)
             select document_id, 1, $3::document_status, '[]', author_id from d returning document_id",
        )
        .bind(participant)
        .bind(kind)
        .bind(status)
        .bind(on(since))
        .fetch_one(&app.db)
        .await
        .unwrap()
    };
    let submitted = document(submitted_of, "ipzs", "submitted", today - Duration::days(5)).await;
    let contract = document(
        opinions,
        "social_contract",
        "approved",
        today - Duration::days(4),
    )
    .await;
    let returned = document(returned_of, "ipzs", "draft", today - Duration::days(6)).await;
    sqlx::query(
        "insert into document_event (document_id, centre_id, version, step, from_status, to_status, comment, decided_by, occurred_at)
         select d.document_id, d.centre_id, 1, 'return', 'submitted', 'draft', 'Uzupełnij cele.', u.staff_user_id, $2
         from document d, staff_user u where d.document_id = $1 and u.login = 'kierownik'",
    )
    .bind(returned)
    .bind(on(today - Duration::days(6)))
    .execute(&app.db)
    .await
    .unwrap();
    // Signed by the participant 85 days ago, no entry since: the quarterly entry falls due
    // within the next two weeks.
    let signed = today - Duration::days(85);
    let monitored = document(monitored_of, "ipzs", "in_realization", signed).await;
    sqlx::query(
        "insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
         select d.document_id, 1, party::signature_party, d.centre_id, $2, d.author_id
         from document d, unnest(array['participant', 'manager']) party where d.document_id = $1",
    )
    .bind(monitored)
    .bind(signed)
    .execute(&app.db)
    .await
    .unwrap();
    let b_ipzs = document(b_trial, "ipzs", "submitted", today - Duration::days(1)).await;

    // socjalny1's person on the reserve list; socjalny1's candidate with every document.
    let reserve = app
        .fixture_participant(CENTRE_A, "Rezerwowa", Some("socjalny1"), None)
        .await;
    app.before_admission(reserve, "reserve").await;
    let candidate = app
        .fixture_participant(CENTRE_A, "Gotowa", Some("socjalny1"), None)
        .await;
    app.before_admission(candidate, "candidate").await;
    sqlx::query(
        "insert into recruitment_document (participant_id, centre_id, kind, document_date, content, author_id)
         select p.participant_id, p.centre_id, k, $2, 'Dokument', p.social_worker_id
         from participant p, unnest(enum_range(null::recruitment_document_kind)) k where p.participant_id = $1",
    )
    .bind(candidate)
    .bind(today - Duration::days(10))
    .execute(&app.db)
    .await
    .unwrap();

    // Graduates with follow-up contacts due.
    let graduate = |worker: &'static str, surname: &'static str, due: Date| async move {
        let id = app
            .fixture_participant(CENTRE_A, surname, Some(worker), None)
            .await;
        sqlx::query(
            "update participant set status = 'graduate', ended_on = $2, graduation_outcome = 'employment',
                    employment_contract = 'permanent', follow_up_until = ($2 + interval '36 months')::date
             where participant_id = $1",
        )
        .bind(id)
        .bind(today - Duration::days(200))
        .execute(&app.db)
        .await
        .unwrap();
        sqlx::query(
            "insert into follow_up (participant_id, centre_id, sequence, due_on)
             select participant_id, centre_id, 1, $2 from participant where participant_id = $1",
        )
        .bind(id)
        .bind(due)
        .execute(&app.db)
        .await
        .unwrap();
        id
    };
    let due_graduate = graduate("socjalny1", "Terminowy", today).await;
    // 20 days after the due date: past the 14-day window, overdue.
    let late_graduate = graduate("socjalny1", "Zaległy", today - Duration::days(20)).await;
    let other_graduate = graduate("socjalny2", "Cudzy", today - Duration::days(20)).await;

    // The previous month: attendance recorded, the month not closed; a correction waiting.
    sqlx::query(
        "insert into attendance_month (centre_id, month) select centre_id, $1 from centre where name = $2",
    )
    .bind(month)
    .bind(CENTRE_A)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into benefit_correction (participant_id, month, centre_id, from_revision, to_revision,
                                         benefit_diff_grosze, bonus_diff_grosze, reason, created_by)
         select p.participant_id, $2, p.centre_id, 1, 2, -1234, 0, 'Korekta obecności', u.staff_user_id
         from participant p, staff_user u where p.participant_id = $1 and u.login = 'kierownik'",
    )
    .bind(opinions)
    .bind(month)
    .execute(&app.db)
    .await
    .unwrap();

    Fixture {
        today,
        missed,
        month,
        stolarnia,
        ogrod,
        opinions,
        psychologist_opinion,
        advisor_opinion,
        instructor_opinion,
        contract,
        submitted,
        returned,
        monitored,
        monitoring_due: add_months(signed, 3),
        trial_soon,
        trial_past,
        reserve,
        candidate,
        due_graduate,
        late_graduate,
        other_graduate,
        b_trial,
        b_ipzs,
        b_opinion,
    }
}
