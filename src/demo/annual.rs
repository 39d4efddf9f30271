//! The annual report's demo: in the first centre, two saved versions for the year just ended —
//! one as at 31 January (the figures as they stood then) and a revised one as at yesterday
//! with the texts reworded — so the list, a version, its print and downloads, and the
//! comparison have data; the report of the current quarter's reminder is then gone for that
//! year (the second centre keeps it in the first quarter). Computed by the app's own code.
//! Added once.

use sqlx::PgPool;
use time::{Date, Month};

/// The hand-filled texts of the two versions: (financial plan, forecast, remarks).
const TEXTS: [[&str; 3]; 2] = [
    [
        "Dotacja gminy: 420 000 zł. Na świadczenia integracyjne i premie \
         motywacyjne: 310 000 zł. Przychody z działalności pracowni: ok. 35 000 zł.",
        "W przyszłym roku planujemy 30 miejsc i uruchomienie pracowni ogrodniczej.",
        "Wersja robocza – do uzgodnienia z księgowością.",
    ],
    [
        "Dotacja gminy: 420 000 zł. Na świadczenia integracyjne i premie \
         motywacyjne: 310 000 zł. Przychody z działalności pracowni: 38 200 zł.",
        "W przyszłym roku planujemy 30 miejsc i uruchomienie pracowni ogrodniczej od kwietnia.",
        "Kwoty przychodów uzgodnione z księgowością.",
    ],
];

/// Adds the two versions when the first centre has none for the year just ended.
pub async fn seed(db: &PgPool, centre: &str, today: Date) -> anyhow::Result<()> {
    let year = today.year() - 1;
    let Some(row) = sqlx::query!(
        "select c.centre_id, s.staff_user_id from centre c
         join staff_user s on s.centre_id = c.centre_id and s.role = 'manager'
         where c.name = $1 order by s.login limit 1",
        centre
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(());
    };
    if crate::reports::has_version(db, row.centre_id, year).await? {
        return Ok(());
    }
    let Some(yesterday) = today.previous_day() else {
        return Ok(());
    };
    // As at 31 January when that day has passed; otherwise both as at yesterday.
    let january = Date::from_calendar_date(today.year(), Month::January, 31)?;
    let first = if january < today { january } else { yesterday };
    for (as_at, texts) in [first, yesterday].into_iter().zip(TEXTS) {
        crate::reports::demo_version(
            db,
            row.centre_id,
            row.staff_user_id,
            (year, as_at, today),
            texts,
        )
        .await?;
    }
    Ok(())
}
