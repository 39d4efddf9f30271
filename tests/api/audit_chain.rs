//! The sealed audit chain (issue 14): the server's sealing seals settled rows in batches into a
//! hash chain through the app role (which reads neither the log nor the seals), verification
//! checks the whole chain, a crash between batches loses nothing, and a row changed, removed or
//! slipped into a sealed range by the database owner breaks the seal that covers it.

use std::time::Duration;

use teczka::audit::seal::{self, Verification};

use crate::helpers::*;

async fn events(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn seals(app: &TestApp) -> Vec<(i64, i64, i64, i32)> {
    sqlx::query_as(
        "select audit_seal_id, first_event_id, last_event_id, row_count from audit_seal
         order by audit_seal_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// Runs `sql` as the database owner with the append-only guard off, as an attacker with the
/// owner's password could.
pub(crate) async fn tamper(app: &TestApp, sql: &str, id: i64) {
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("alter table audit_event disable trigger audit_event_no_update")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(sql).bind(id).execute(&mut *tx).await.unwrap();
    sqlx::query("alter table audit_event enable trigger audit_event_no_update")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_chain_seals_settled_rows_in_batches_verifies_and_names_the_first_tampered_seal() {
    let app = spawn_app().await;
    // The app role reads neither table.
    for read in [
        "select count(*) from audit_event",
        "select count(*) from audit_seal",
    ] {
        let result = sqlx::query(read).fetch_one(&app.state.db).await;
        assert!(result.is_err(), "the app role ran {read}");
    }
    // Some history: sign-ins (and a failed one) write audit rows.
    app.login("kierownik").await;
    app.login("socjalny1").await;
    app.post(
        "/login",
        None,
        &[("login", "socjalny1"), ("password", "zle-haslo-123")],
    )
    .await;
    let first = events(&app).await;
    assert!(first >= 3, "{first}");

    // Rows younger than the settling time wait: nothing is sealed.
    let young = seal::seal_batch(&app.state.db, Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(young, 0);
    assert!(seals(&app).await.is_empty());

    // A batch seals everything settled, through the app role.
    let sealed = seal::seal_pending(&app.state.db, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(sealed, first);
    // More history, then the process "crashes" after one more batch and a restart seals the
    // rest: two seals, chained, covering every row once.
    app.login("psycholog").await;
    app.login("doradca").await;
    let second = seal::seal_batch(&app.state.db, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(i64::from(second), events(&app).await - first);
    assert_eq!(
        seal::seal_pending(&app.state.db, Duration::ZERO)
            .await
            .unwrap(),
        0,
        "sealing again seals nothing"
    );
    let chain = seals(&app).await;
    assert_eq!(chain.len(), 2, "{chain:?}");
    assert_eq!(chain[0].1, 1);
    assert_eq!(
        chain[1].1,
        chain[0].2 + 1,
        "the second seal starts after the first"
    );
    let total = events(&app).await;
    let ok = seal::verify(&app.state.db).await.unwrap();
    assert_eq!(
        ok,
        Verification {
            seals: 2,
            events: total,
            unsealed: 0,
            broken: None
        }
    );

    // New rows wait unsealed and are reported so.
    app.login("instruktor").await;
    let waiting = seal::verify(&app.state.db).await.unwrap();
    assert_eq!(waiting.unsealed, events(&app).await - total);
    assert!(waiting.broken.is_none());
    assert!(waiting.report().contains("bez pieczęci"));

    // The owner changes a row of the second seal: verification names that seal.
    let second_seal = chain[1].0;
    tamper(
        &app,
        "update audit_event set detail = 'zmienione' where audit_event_id = $1",
        chain[1].1,
    )
    .await;
    let broken = seal::verify(&app.state.db).await.unwrap();
    assert_eq!(broken.seals, 1, "the first seal still matches");
    assert_eq!(
        broken.broken,
        Some((
            second_seal,
            "zdarzenia objęte pieczęcią zostały zmienione".to_owned()
        ))
    );
    assert!(
        broken
            .report()
            .contains(&format!("PIERWSZA NIEZGODNA PIECZĘĆ: nr {second_seal}"))
    );
}

#[tokio::test]
async fn a_removed_row_or_a_row_slipped_into_a_sealed_range_breaks_the_first_seal() {
    let app = spawn_app().await;
    app.login("kierownik").await;
    app.login("socjalny1").await;
    seal::seal_pending(&app.state.db, Duration::ZERO)
        .await
        .unwrap();
    let chain = seals(&app).await;
    assert_eq!(chain.len(), 1);
    let first_seal = chain[0].0;
    assert!(seal::verify(&app.state.db).await.unwrap().broken.is_none());

    // A row removed.
    tamper(
        &app,
        "delete from audit_event where audit_event_id = $1",
        chain[0].2,
    )
    .await;
    let removed = seal::verify(&app.state.db).await.unwrap();
    assert_eq!(removed.broken.map(|(s, _)| s), Some(first_seal));

    // Put back exactly as it was, the chain would match again; a different row in its place
    // does not.
    sqlx::query(
        "insert into audit_event (audit_event_id, action, outcome, detail)
         overriding system value values ($1, 'login.success', 'success', 'podrzucone')",
    )
    .bind(chain[0].2)
    .execute(&app.db)
    .await
    .unwrap();
    let slipped = seal::verify(&app.state.db).await.unwrap();
    assert_eq!(slipped.broken.map(|(s, _)| s), Some(first_seal));
}
