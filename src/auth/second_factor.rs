//! The second factor of logging in: TOTP codes (RFC 6238: HMAC-SHA-1, 6 digits, 30-second
//! steps, one step of clock drift either way) from an authenticator app, ten single-use
//! recovery codes, and the pending login between the password and the code.
//!
//! Invariants: a code is accepted once — the highest step accepted is stored per account and a
//! code of that step or an earlier one is refused; recovery codes are stored only as hashes and
//! each works once; a login past the password step only is a `pending_login` row (its own
//! `__Host-` cookie, a few minutes, one account), never a session, so every page but the code
//! and enrolment steps answers it as anonymous; the TOTP secret is stored sealed (AES-256-GCM
//! under the installation's key, bound to the account: `security::sealed`), never in clear.
//! The handlers are in `account::second_factor`.

use axum::http::{HeaderMap, HeaderValue};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use totp_rs::{Builder, Totp};
use uuid::Uuid;

use crate::config::Config;
use crate::domain::Role;
use crate::security::sealed::{Key, SealError};
use crate::security::{random_token, token_hash};

/// Name of the pending-login cookie (Secure, HttpOnly, SameSite=Strict, Path=/, no Domain).
pub const PENDING_COOKIE: &str = "__Host-teczka_login";
/// How long the code step waits after the password.
pub const PENDING_MINUTES: i64 = 5;
/// Recovery codes issued when a factor is confirmed.
pub const RECOVERY_CODES: usize = 10;
/// The issuer the authenticator app shows beside the account.
const ISSUER: &str = "Teczka";
/// Recovery codes use these 32 characters (no 0/o, 1/l/i: easy to copy by hand).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters of a recovery code (16 × 5 bits = 80 random bits), shown in groups of four.
const RECOVERY_LENGTH: usize = 16;

/// What follows a correct password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// No factor and none required: the session starts.
    Session,
    /// The account has a factor: its code.
    Code,
    /// The account must have a factor and has none: enrolment first.
    Enrol,
}

/// Decides the step after the password for an account with `role`.
pub async fn next_step(
    db: impl PgExecutor<'_>,
    config: &Config,
    user_id: Uuid,
    role: Role,
) -> sqlx::Result<NextStep> {
    let confirmed = sqlx::query_scalar!(
        "select confirmed_at is not null as \"c!\" from second_factor where staff_user_id = $1",
        user_id
    )
    .fetch_optional(db)
    .await?
    .unwrap_or(false);
    Ok(if confirmed {
        NextStep::Code
    } else if config.requires_second_factor(role) {
        NextStep::Enrol
    } else {
        NextStep::Session
    })
}

/// The TOTP generator of `secret` for the account `login`.
pub fn totp(secret: &[u8], login: &str) -> Option<Totp> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_issuer(Some(ISSUER))
        .with_account_name(login)
        .build()
        .ok()
}

/// 160 random bits, the length RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::rng().fill(&mut secret[..]);
    secret
}

/// The context a TOTP secret is sealed for: its account (a sealed secret copied to another
/// account's row does not open).
fn sealing_context(user_id: Uuid) -> Vec<u8> {
    [&b"second_factor.secret:"[..], user_id.as_bytes()].concat()
}

/// `secret` sealed for storing as the factor of the account `user_id`.
pub fn seal_secret(key: &Key, user_id: Uuid, secret: &[u8]) -> Vec<u8> {
    key.seal(secret, &sealing_context(user_id))
}

/// The secret stored sealed for the account `user_id`.
pub fn open_secret(key: &Key, user_id: Uuid, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    key.open(sealed, &sealing_context(user_id))
}

/// A key given as base32 (the demo's fixed key), if it is one.
pub fn secret_from_base32(text: &str) -> Option<Vec<u8>> {
    let secret = totp_rs::Secret::try_from_base32(text).ok()?;
    Some(secret.as_ref().to_vec())
}

/// `text` in groups of four characters, for reading aloud or typing (a key, a recovery code).
pub fn grouped(text: &str) -> String {
    group(text, ' ')
}

/// The secret as an authenticator app takes it typed by hand: base32 in groups of four.
pub fn secret_text(totp: &Totp) -> String {
    grouped(&totp.secret().to_base32())
}

fn group(text: &str, separator: char) -> String {
    let mut out = String::with_capacity(text.len() * 5 / 4);
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// The `otpauth://` URL as a QR code: an SVG (presentation attributes only) in a `data:` URL
/// for an `<img>` (the CSP allows `img-src data:`).
pub fn qr_data_url(totp: &Totp) -> Option<String> {
    let url = totp.to_url().ok()?;
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    let svg = svg
        .split_once("?>")
        .map_or(svg.as_str(), |(_, rest)| rest)
        .to_owned();
    let encoded =
        percent_encoding::utf8_percent_encode(&svg, percent_encoding::NON_ALPHANUMERIC).to_string();
    Some(format!("data:image/svg+xml,{encoded}"))
}

/// A typed code, checked for its shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeInput {
    /// Six digits from the app.
    Totp(String),
    /// A recovery code, normalised (lower case, no separators).
    Recovery(String),
}

/// Reads what was typed into the code field: six digits, or (`recovery` allowed) a recovery
/// code; otherwise the Polish message to show.
pub fn parse_code(input: &str, recovery: bool) -> Result<CodeInput, &'static str> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase();
    if compact.is_empty() {
        return Err("Wpisz kod z aplikacji uwierzytelniającej.");
    }
    if compact.chars().all(|c| c.is_ascii_digit()) {
        return if compact.len() == 6 {
            Ok(CodeInput::Totp(compact))
        } else {
            Err("Kod z aplikacji ma dokładnie 6 cyfr.")
        };
    }
    if recovery
        && compact.len() == RECOVERY_LENGTH
        && compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
    {
        return Ok(CodeInput::Recovery(compact));
    }
    if recovery {
        Err(
            "Wpisz 6 cyfr z aplikacji uwierzytelniającej albo jeden z kodów odzyskiwania (16 znaków, np. abcd-efgh-jkmn-pqrs).",
        )
    } else {
        Err("Kod z aplikacji to 6 cyfr, bez liter.")
    }
}

/// Reads a code from the app (enrolment takes no recovery code): six digits, or the message.
pub fn parse_app_code(input: &str) -> Result<String, &'static str> {
    match parse_code(input, false)? {
        CodeInput::Totp(code) => Ok(code),
        CodeInput::Recovery(_) => Err("Kod z aplikacji to 6 cyfr, bez liter."),
    }
}

/// The account's factor, if any.
#[derive(Clone, Debug)]
pub struct Factor {
    /// The account.
    pub user_id: Uuid,
    /// The TOTP key as stored, sealed (see [`Factor::secret`]).
    pub sealed_secret: Vec<u8>,
    /// When the first code confirmed it (`None`: enrolment not finished).
    pub confirmed_at: Option<OffsetDateTime>,
    /// Recovery codes not used yet.
    pub codes_left: i64,
}

impl Factor {
    /// The TOTP key, opened with the installation's key.
    pub fn secret(&self, key: &Key) -> anyhow::Result<Vec<u8>> {
        open_secret(key, self.user_id, &self.sealed_secret)
            .map_err(|e| anyhow::anyhow!("the second factor of account {}: {e}", self.user_id))
    }
}

/// The account's factor, confirmed or not.
pub async fn factor(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Option<Factor>> {
    sqlx::query_as!(
        Factor,
        r#"select f.staff_user_id as user_id, f.sealed_secret, f.confirmed_at,
                  (select count(*) from recovery_code r
                   where r.staff_user_id = f.staff_user_id and r.used_at is null) as "codes_left!"
           from second_factor f where f.staff_user_id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Starts (or restarts) enrolment with a fresh secret, unless the account's factor is
/// confirmed already; returns whether a secret was stored.
pub async fn start_enrolment(
    db: impl PgExecutor<'_>,
    key: &Key,
    user_id: Uuid,
    centre_id: Uuid,
) -> sqlx::Result<bool> {
    let stored = sqlx::query!(
        r#"insert into second_factor (staff_user_id, centre_id, sealed_secret) values ($1, $2, $3)
           on conflict (staff_user_id) do update
             set sealed_secret = excluded.sealed_secret, created_at = now(), last_used_step = null
             where second_factor.confirmed_at is null"#,
        user_id,
        centre_id,
        seal_secret(key, user_id, &new_secret()),
    )
    .execute(db)
    .await?;
    Ok(stored.rows_affected() == 1)
}

/// Gives the account an unconfirmed secret unless it has one (enrolment during login keeps the
/// secret already shown, so a code scanned a minute ago still works).
pub async fn ensure_enrolment(
    db: impl PgExecutor<'_>,
    key: &Key,
    user_id: Uuid,
    centre_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into second_factor (staff_user_id, centre_id, sealed_secret) values ($1, $2, $3) on conflict do nothing",
        user_id,
        centre_id,
        seal_secret(key, user_id, &new_secret()),
    )
    .execute(db)
    .await?;
    Ok(())
}

/// How a code was judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Right, and not used before.
    Accepted,
    /// Not the code of this moment (±1 step).
    Wrong,
    /// The code of a step already used (or earlier).
    Reused,
}

impl Verdict {
    /// The audit detail of a refusal.
    pub fn detail(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Wrong => "wrong_code",
            Verdict::Reused => "reused_code",
        }
    }
}

/// Checks a six-digit code against the account's secret at `now` (locking the factor's row for
/// the transaction) and, when right and new, stores its step as the last used. A secret that
/// does not open (another key, changed) is an error naming the key ids, not a wrong code.
pub async fn check_totp(
    conn: &mut PgConnection,
    key: &Key,
    user_id: Uuid,
    login: &str,
    code: &str,
    now: OffsetDateTime,
) -> crate::error::Result<Verdict> {
    let Some(row) = sqlx::query!(
        "select sealed_secret, last_used_step from second_factor where staff_user_id = $1 for update",
        user_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Verdict::Wrong);
    };
    let seconds = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let secret = open_secret(key, user_id, &row.sealed_secret)
        .map_err(|e| anyhow::anyhow!("the second factor of account {user_id}: {e}"))?;
    let Some(step) = totp(&secret, login).and_then(|t| t.check(code, seconds)) else {
        return Ok(Verdict::Wrong);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    if row.last_used_step.is_some_and(|last| step <= last) {
        return Ok(Verdict::Reused);
    }
    sqlx::query!(
        "update second_factor set last_used_step = $2 where staff_user_id = $1",
        user_id,
        step
    )
    .execute(&mut *conn)
    .await?;
    Ok(Verdict::Accepted)
}

/// Hash of a recovery code as stored: SHA-256 over the account id and the normalised code.
fn recovery_hash(user_id: Uuid, code: &str) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(user_id.as_bytes());
    hasher.update(code.as_bytes());
    hasher.finalize().to_vec()
}

/// Ten fresh recovery codes (normalised: lower case, no separators).
fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            (0..RECOVERY_LENGTH)
                .map(|_| {
                    char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
                })
                .collect()
        })
        .collect()
}

/// Uses one recovery code (normalised); false when it is not one of the account's unused codes.
pub async fn use_recovery_code(
    conn: &mut PgConnection,
    user_id: Uuid,
    code: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let used = sqlx::query!(
        "update recovery_code set used_at = $3 where staff_user_id = $1 and code_hash = $2 and used_at is null",
        user_id,
        recovery_hash(user_id, code),
        now
    )
    .execute(&mut *conn)
    .await?;
    Ok(used.rows_affected() == 1)
}

/// Marks the factor confirmed and issues a fresh set of recovery codes (any earlier ones end);
/// returns them as shown once: groups of four.
pub async fn confirm(
    conn: &mut PgConnection,
    user_id: Uuid,
    centre_id: Uuid,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<String>> {
    sqlx::query!(
        "update second_factor set confirmed_at = $2 where staff_user_id = $1",
        user_id,
        now
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from recovery_code where staff_user_id = $1",
        user_id
    )
    .execute(&mut *conn)
    .await?;
    let codes = new_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| recovery_hash(user_id, c)).collect();
    sqlx::query!(
        "insert into recovery_code (staff_user_id, centre_id, code_hash) select $1, $2, unnest($3::bytea[])",
        user_id,
        centre_id,
        &hashes
    )
    .execute(&mut *conn)
    .await?;
    Ok(codes.iter().map(|c| group(c, '-')).collect())
}

/// Removes the account's factor, its recovery codes and any pending login (the administrator's
/// reset); the next login leads to enrolment when the role requires a factor.
pub async fn remove(conn: &mut PgConnection, user_id: Uuid) -> sqlx::Result<bool> {
    let removed = sqlx::query!(
        "delete from second_factor where staff_user_id = $1",
        user_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from pending_login where staff_user_id = $1",
        user_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(removed.rows_affected() == 1)
}

/// A login past the password step.
#[derive(Clone, Debug)]
pub struct Pending {
    /// Key of the row (SHA-256 of the cookie token).
    pub hash: Vec<u8>,
    /// The account.
    pub user_id: Uuid,
    /// Its centre.
    pub centre_id: Uuid,
    /// Its role.
    pub role: Role,
    /// Its login (the throttle's key and the authenticator's account name).
    pub login: String,
    /// It holds a one-time password (the password page comes next).
    pub must_change_password: bool,
    /// Where the login was headed.
    pub next_path: String,
}

/// Records a login past the password step (replacing the account's earlier one, dropping
/// expired ones); returns the cookie token.
pub async fn begin_pending(
    conn: &mut PgConnection,
    user_id: Uuid,
    centre_id: Uuid,
    next_path: &str,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    sqlx::query!(
        "delete from pending_login where staff_user_id = $1 or expires_at < $2",
        user_id,
        now
    )
    .execute(&mut *conn)
    .await?;
    let token = random_token();
    sqlx::query!(
        "insert into pending_login (token_hash, staff_user_id, centre_id, next_path, expires_at) values ($1, $2, $3, $4, $5)",
        token_hash(&token),
        user_id,
        centre_id,
        next_path,
        now + time::Duration::minutes(PENDING_MINUTES),
    )
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// The pending login the request's cookie names, if it has not expired and its account is
/// active.
pub async fn pending(
    db: impl PgExecutor<'_>,
    headers: &HeaderMap,
    now: OffsetDateTime,
) -> sqlx::Result<Option<Pending>> {
    let Some(token) = crate::auth::session::cookie_token(headers, PENDING_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    // Before the centre is known: through the database's door for it (migration 0035).
    sqlx::query_as!(
        Pending,
        r#"select hash as "hash!", user_id as "user_id!", centre_id as "centre_id!",
                  role as "role!: Role", login as "login!",
                  must_change_password as "must_change_password!", next_path as "next_path!"
           from pending_principal($1, $2)"#,
        &hash,
        now
    )
    .fetch_optional(db)
    .await
}

/// Ends a pending login (it became a session).
pub async fn end_pending(db: impl PgExecutor<'_>, hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("delete from pending_login where token_hash = $1", hash)
        .execute(db)
        .await?;
    Ok(())
}

/// `Set-Cookie` value that installs a pending-login token.
pub fn pending_cookie(token: &str) -> HeaderValue {
    HeaderValue::try_from(format!(
        "{PENDING_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={}",
        PENDING_MINUTES * 60
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` value that removes the pending-login cookie.
pub fn pending_removal_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-teczka_login=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_by_shape() {
        assert_eq!(
            parse_code(" 123 456 ", true),
            Ok(CodeInput::Totp("123456".into()))
        );
        assert!(parse_code("12345", true).is_err());
        assert!(parse_code("1234567", false).is_err());
        assert!(parse_code("", true).is_err());
        assert!(parse_code("12a456", false).is_err());
        assert_eq!(
            parse_code("ABCD-efgh-jkmn-pqrs", true),
            Ok(CodeInput::Recovery("abcdefghjkmnpqrs".into()))
        );
        assert!(parse_code("abcd-efgh-jkmn-pqrs", false).is_err());
        // 0, 1, l, o and i are not in the alphabet.
        assert!(parse_code("abcd-efgh-jkmn-pqr0", true).is_err());
    }

    #[test]
    fn the_app_and_the_server_agree_on_rfc_6238_vectors() {
        // RFC 6238 appendix B, SHA-1, the last 6 of the 8 digits.
        let totp = totp(b"12345678901234567890", "test").unwrap();
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(totp.generate(time).to_string(), code, "at {time}");
        }
        // A code of the step before and after is accepted, two steps away is not.
        assert!(totp.check("287082", 59 + 30).is_some());
        assert!(totp.check("287082", 59 + 60).is_none());
    }

    #[test]
    fn secrets_are_grouped_base32_and_the_qr_has_no_style() {
        let totp = totp(&[7u8; 20], "kierownik").unwrap();
        let text = secret_text(&totp);
        assert_eq!(text.len(), 32 + 7);
        assert!(text.split(' ').all(|g| g.len() == 4));
        let qr = qr_data_url(&totp).unwrap();
        assert!(qr.starts_with("data:image/svg+xml,"));
        assert!(!qr.contains("style"));
    }
}
