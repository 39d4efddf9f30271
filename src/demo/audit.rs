//! The first demo centre's audit log, worth searching in the data-protection officer's
//! "Dziennik zdarzeń" and reports: sign-ins and list searches by every staff member over six
//! weeks, file views by the social workers and the manager, prints of files and documents,
//! the monthly benefit exports and an export of the effectiveness report, refused attempts, an
//! unusual day (the manager opened 30 files), and one file opened outside the caseload (the
//! second social worker opened a participant of the first, nine days ago). Everything is dated
//! in the past; the step is added once (it looks for its refused export).

use sqlx::PgPool;

/// Adds the audit rows to the centre named `centre_name`, unless they are there.
pub(super) async fn seed(pool: &PgPool, centre_name: &str) -> anyhow::Result<()> {
    let Some(centre_id) =
        sqlx::query_scalar::<_, uuid::Uuid>("select centre_id from centre where name = $1")
            .bind(centre_name)
            .fetch_optional(pool)
            .await?
    else {
        return Ok(());
    };
    let done: bool = sqlx::query_scalar(
        "select exists (select 1 from centre_audit_event where centre_id = $1
                        and action = 'benefit.export' and outcome = 'denied')",
    )
    .bind(centre_id)
    .fetch_one(pool)
    .await?;
    if done {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    // Every statement below inserts rows of this shape: (login, action, outcome, participant,
    // detail, moment), the actor's role and centre from the account.
    let statements = [
        // Sign-ins on working mornings and a list search most days, six weeks back.
        "select u.login, 'login.success', 'success', null::uuid, null::text,
                date_trunc('day', now()) - make_interval(days => d) + make_interval(mins => 7 * 60 + 40 + abs(hashtext(u.login)) % 50)
         from staff_user u cross join generate_series(1, 42) d
         where u.centre_id = $1 and u.role <> 'admin' and u.login <> 'socjalny2'
           and extract(isodow from now() - make_interval(days => d)) < 6",
        "select u.login, 'participant.search', 'success', null::uuid, null::text,
                date_trunc('day', now()) - make_interval(days => d) + make_interval(mins => 9 * 60 + abs(hashtext(u.login || d)) % 300)
         from staff_user u cross join generate_series(1, 42) d
         where u.centre_id = $1 and u.role in ('manager', 'social_worker', 'psychologist', 'career_advisor')
           and u.login <> 'socjalny2' and extract(isodow from now() - make_interval(days => d)) < 6 and d % 3 <> 0",
        // The social workers open their own people's files, every few days for three weeks.
        "select u.login, 'participant.view', 'success', p.participant_id,
                'identity,personal,contact,referral,categories.general,categories.health,categories.criminal,participation,status_history,recruitment_documents',
                date_trunc('day', now()) - make_interval(days => d) + make_interval(mins => 10 * 60 + abs(hashtext(p.participant_id::text || d)) % 360)
         from participant p join staff_user u on u.staff_user_id = p.social_worker_id
         cross join generate_series(8, 22, 4) d
         where p.centre_id = $1 and u.login <> 'socjalny2' and p.status in ('trial', 'participant', 'candidate', 'reserve')",
        // Prints: files by the manager, documents by the first social worker, the report.
        "select 'kierownik', 'participant.view', 'success', p.participant_id,
                'print,identity,personal,contact,referral,participation,status_history',
                now() - make_interval(days => (3 + n * 6)::int, hours => 2)
         from (select participant_id, row_number() over (order by surname, participant_id) as n
               from participant where centre_id = $1 and status = 'participant') p where n <= 3",
        "select 'socjalny1', 'document.print', 'success', p.participant_id, null::text,
                now() - make_interval(days => (5 + n * 7)::int, hours => 4)
         from (select participant_id, row_number() over (order by surname desc, participant_id) as n
               from participant p join staff_user u on u.staff_user_id = p.social_worker_id
               where p.centre_id = $1 and u.login = 'socjalny1' and p.status = 'participant') p where n <= 2",
        "select 'kierownik', 'report.print', 'success', null::uuid, null::text, now() - interval '16 days 3 hours'",
        // Exports: the benefit lists of the last two months, the effectiveness report.
        "select 'kierownik', 'benefit.export', 'success', null::uuid, l || ' rows=14',
                now() - make_interval(days => m * 30 + 4, hours => 5, mins => case when l = 'pup.csv' then 12 else 0 end)
         from generate_series(0, 1) m cross join unnest(array['pup.csv', 'payroll.xlsx']) l",
        "select 'kierownik', 'report.export', 'success', null::uuid, 'xlsx', now() - interval '16 days 2 hours'",
        // Refused: the instructor tried the benefit export, the psychologist the report, the
        // administrator the participant list.
        "select 'instruktor', 'benefit.export', 'denied', null::uuid, null::text, now() - interval '11 days 6 hours'",
        "select 'psycholog', 'report.view', 'denied', null::uuid, null::text, now() - interval '6 days 3 hours'",
        "select 'admin', 'route.enter', 'denied', null::uuid, 'GET /participants', now() - interval '20 days 1 hour'",
        // The unusual day: the manager opened 30 files twelve days ago (checking before an audit).
        "select 'kierownik', 'participant.view', 'success', p.participant_id,
                'identity,personal,contact,referral,categories.general,participation,status_history',
                date_trunc('day', now()) - interval '12 days' + make_interval(hours => 9, mins => (n * 9)::int)
         from (select participant_id, row_number() over (order by surname, participant_id) as n
               from participant where centre_id = $1) p where n <= 30",
        // Outside the caseload: the second social worker opened a file of the first.
        "select 'socjalny2', 'participant.view', 'success', p.participant_id,
                'identity,personal,contact,referral,categories.general,categories.health,categories.criminal,participation,status_history',
                date_trunc('day', now()) - interval '9 days' + interval '13 hours 17 minutes'
         from participant p join staff_user u on u.staff_user_id = p.social_worker_id
         where p.centre_id = $1 and u.login = 'socjalny1' and p.status = 'participant'
         order by p.surname, p.participant_id limit 1",
    ];
    for rows in statements {
        let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(
            "insert into audit_event (actor_id, actor_role, centre_id, action, object_type, object_id,
                                      participant_id, outcome, detail, occurred_at, request_id)
             select u.staff_user_id, u.role, u.centre_id, r.action,
                    case when r.participant is null then null else 'participant' end,
                    r.participant, r.participant, r.outcome, r.detail, r.at, 'demo'
             from (",
        );
        // `rows` is one of the constant selects above; its `$1` is the centre bound below.
        q.push(rows)
            .push(
                ") as r(login, action, outcome, participant, detail, at)
                 join staff_user u on u.login = r.login and u.centre_id = ",
            )
            .push_bind(centre_id);
        q.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
