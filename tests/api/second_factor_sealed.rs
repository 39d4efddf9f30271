//! The TOTP secret at rest: the `second_factor` row holds it sealed (AES-256-GCM under the
//! app's key, `security::sealed`), never the key shown on the enrolment page, and logging in
//! with a code works through the seal; a sealed secret moved to another account does not open.

use reqwest::{Method, StatusCode};

use crate::helpers::*;
use crate::second_factor::{
    as_pending, code_now, code_step, password_step, secret_on_page, secret_text_on_page,
};

async fn stored(app: &TestApp, login: &str) -> Vec<u8> {
    sqlx::query_scalar("select sealed_secret from second_factor where staff_user_id = $1")
        .bind(app.user_id(login).await)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn the_stored_secret_is_sealed_and_a_code_still_logs_in() {
    let app = crate::second_factor::spawn_requiring().await;
    let (token, to) = password_step(&app, "kierownik").await;
    assert_eq!(to, "/login/second-factor");
    let page = as_pending(&app, Method::GET, &to, &token, &[])
        .await
        .text()
        .await
        .unwrap();
    let secret = secret_on_page(&page);
    let text = secret_text_on_page(&page);
    assert_eq!((secret.len(), text.len()), (20, 32));

    // The row holds neither the key's bytes nor its base32 text; it holds version 1, the
    // app's key id, a 12-byte nonce, 20 bytes of ciphertext and a 16-byte tag.
    let sealed = stored(&app, "kierownik").await;
    assert!(!sealed.windows(20).any(|w| w == secret.as_slice()));
    assert!(!sealed.windows(8).any(|w| w == &text.as_bytes()[..8]));
    assert_eq!(sealed.len(), 1 + 8 + 12 + 20 + 16);
    assert_eq!(sealed[0], 1);
    assert_eq!(hex(&sealed[1..9]), app.state.sealing_key.id().to_string());
    let kierownik = app.user_id("kierownik").await;
    assert_eq!(
        teczka::auth::second_factor::open_secret(&app.state.sealing_key, kierownik, &sealed)
            .unwrap(),
        secret,
        "the seal opens to the key shown"
    );
    // Shown again (the enrolment page reads it back through the seal), it is the same key.
    let again = as_pending(&app, Method::GET, &to, &token, &[])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(secret_text_on_page(&again), text);

    // Enrolment confirms with a code; the next login's code step works through the seal.
    let done = as_pending(
        &app,
        Method::POST,
        &to,
        &token,
        &[("code", &code_now(&app, &secret))],
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(session_cookie(&done).is_some());
    assert_eq!(
        stored(&app, "kierownik").await,
        sealed,
        "confirming keeps the seal"
    );
    app.advance(std::time::Duration::from_secs(30));
    let (token, to) = password_step(&app, "kierownik").await;
    assert_eq!(to, "/login/code");
    let ok = code_step(&app, &token, &code_now(&app, &secret)).await;
    assert_redirect(&ok, "/");
    assert_eq!(app.session_count("kierownik").await, 2);

    // The sealed secret copied to the administrator's row does not open there (it is bound to
    // its account): the code step fails instead of logging in.
    sqlx::query(
        "insert into second_factor (staff_user_id, centre_id, sealed_secret, confirmed_at)
         select staff_user_id, centre_id, $2, now() from staff_user where login = $1",
    )
    .bind("admin")
    .bind(&sealed)
    .execute(&app.db)
    .await
    .unwrap();
    let (token, to) = password_step(&app, "admin").await;
    assert_eq!(to, "/login/code");
    let refused = code_step(&app, &token, &code_now(&app, &secret)).await;
    assert_eq!(refused.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(session_cookie(&refused).is_none());
    assert_eq!(app.session_count("admin").await, 0);
}
