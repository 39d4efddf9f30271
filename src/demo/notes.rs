//! Demo case notes: each active participant's file has notes of every visibility (the social
//! worker's for the team and for social work, the psychologist's therapy note, the instructor's
//! for the team) and some have a corrected note, so the timeline shows every state.

use sqlx::{Postgres, Transaction};
use time::Date;
use uuid::Uuid;

/// (kind, topic, text, visibility, who writes it: a role)
const NOTES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "conversation",
        "Rozmowa wstępna o planie na miesiąc",
        "Omówiono obecność na zajęciach i dojazdy. Uczestnik chce zdobyć uprawnienia na wózek widłowy; ustalono, że zapyta w PUP o szkolenie.",
        "team",
        "social_worker",
    ),
    (
        "home_visit",
        "Wizyta w miejscu zamieszkania",
        "Warunki mieszkaniowe trudne: jeden pokój, zaległości w opłatach za energię. Ustalono wniosek o zasiłek celowy w OPS.",
        "social_work",
        "social_worker",
    ),
    (
        "conversation",
        "Sesja indywidualna",
        "Praca nad motywacją i radzeniem sobie ze stresem w grupie. Kolejna sesja za dwa tygodnie.",
        "psychologist",
        "psychologist",
    ),
    (
        "other",
        "Postępy w pracowni",
        "Pracuje sumiennie, pomaga nowym osobom. Do poprawy: punktualność w poniedziałki.",
        "team",
        "instructor",
    ),
    (
        "institution",
        "Kontakt z PUP",
        "Potwierdzono status osoby bezrobotnej; doradca PUP prześle ofertę stażu po zakończeniu udziału.",
        "social_work",
        "social_worker",
    ),
];

/// Adds the demo notes to the active participants of `centre_id` and corrects one of them.
pub async fn seed(
    tx: &mut Transaction<'_, Postgres>,
    centre_id: Uuid,
    today: Date,
) -> sqlx::Result<()> {
    for (n, (kind, topic, body, visibility, role)) in NOTES.iter().enumerate() {
        // The writer: the file's social worker, or the centre's first staff member of the role
        // (an instructor writes only on the files of their workshops' members).
        sqlx::query(
            "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body, visibility, created_at)
             select p.centre_id, p.participant_id,
                    case when $5 = 'social_worker' then p.social_worker_id else u.staff_user_id end,
                    $6::date - (abs(hashtext(p.participant_id::text || $7)) % 20 + $8)::int,
                    $2::case_note_kind, $3, $4, $9::case_note_visibility,
                    now() - make_interval(days => abs(hashtext(p.participant_id::text || $7)) % 20 + $8)
             from participant p
             left join lateral (select s.staff_user_id from staff_user s
                                where s.centre_id = p.centre_id and s.role::text = $5 and s.active
                                order by s.login limit 1) u on true
             where p.centre_id = $1 and p.status in ('trial', 'participant')
               and (case when $5 = 'social_worker' then p.social_worker_id else u.staff_user_id end) is not null
               and ($5 <> 'instructor' or exists (
                    select 1 from workshop_membership m join workshop_instructor w using (workshop_id)
                    where m.participant_id = p.participant_id and m.member_until is null
                      and w.staff_user_id = u.staff_user_id))",
        )
        .bind(centre_id)
        .bind(kind)
        .bind(topic)
        .bind(body)
        .bind(role)
        .bind(today)
        .bind(format!("note{n}"))
        .bind(i32::try_from(n * 9).unwrap_or(0))
        .bind(visibility)
        .execute(&mut **tx)
        .await?;
    }
    // One correction per centre: the social worker corrects a home-visit note.
    sqlx::query(
        "insert into case_note (centre_id, participant_id, author_id, noted_on, kind, topic, body, visibility, corrects_id)
         select n.centre_id, n.participant_id, n.author_id, n.noted_on, n.kind, n.topic,
                'Warunki mieszkaniowe trudne: jeden pokój, zaległości w opłatach za energię i wodę (korekta: także woda). '
                || 'Ustalono wniosek o zasiłek celowy w OPS.',
                n.visibility, n.case_note_id
         from case_note n
         where n.centre_id = $1 and n.kind = 'home_visit'
         order by n.participant_id limit 1",
    )
    .bind(centre_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
