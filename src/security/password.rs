//! Password hashing (argon2id with the crate's defaults: m=19456 KiB, t=2, p=1) and the
//! password policy (12–128 characters, no composition rules, common and context words refused).
//!
//! Hashing is CPU- and memory-heavy, so it runs on the blocking pool behind a semaphore: a burst
//! of logins can neither stall the async runtime nor use more than `permits × 19 MiB`.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, Params};
use rand::Rng;
use tokio::sync::Semaphore;
use tracing::Span;

/// Shortest password accepted (ASVS 6.2.1).
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted; longer input is refused before hashing (DoS guard).
pub const MAX_LENGTH: usize = 128;

/// Words that make a password guessable in a CIS; the user's own login, name and centre are
/// added per check.
const CONTEXT_WORDS: &[&str] = &[
    "teczka",
    "cis",
    "centrum",
    "integracja",
    "integracji",
    "spoleczna",
    "społeczna",
    "społecznej",
    "socjalny",
    "socjalna",
    "pracownik",
    "kierownik",
    "administrator",
    "admin",
    "psycholog",
    "doradca",
    "instruktor",
    "uczestnik",
    "haslo",
    "hasło",
    "password",
    "polska",
];

/// Hashes and verifies passwords off the async executor.
#[derive(Debug)]
pub struct Passwords {
    permits: Semaphore,
    /// Verified against when the login is unknown, so that path costs the same as a wrong
    /// password for a real account (no user enumeration by timing).
    dummy_hash: String,
}

impl Passwords {
    /// Prepares the service; computes the dummy hash once (about as long as one login).
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        let dummy_hash = hash_now(&random_password_material())?;
        Ok(Self {
            permits: Semaphore::new(concurrency),
            dummy_hash,
        })
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        let span = Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(|| hash_now(&password))).await?
    }

    /// Waits for a turn to hash (at most `TECZKA_HASH_CONCURRENCY` at once). The login takes
    /// its turn before it opens its transaction, so that a burst of logins waits without
    /// holding the pool's connections (scripts/soak found sign-ins starving other requests).
    pub async fn turn(&self) -> anyhow::Result<HashTurn<'_>> {
        Ok(HashTurn(self.permits.acquire().await?))
    }

    /// Checks `password` against `stored`; with no stored hash it checks against the dummy
    /// hash and answers `false`, taking the same time.
    pub async fn verify(&self, password: String, stored: Option<String>) -> anyhow::Result<bool> {
        let turn = self.turn().await?;
        self.verify_in_turn(&turn, password, stored).await
    }

    /// [`Passwords::verify`] in a turn already taken.
    pub async fn verify_in_turn(
        &self,
        _turn: &HashTurn<'_>,
        password: String,
        stored: Option<String>,
    ) -> anyhow::Result<bool> {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.clone());
        let span = Span::current();
        let matches = tokio::task::spawn_blocking(move || {
            span.in_scope(|| {
                PasswordHash::new(&hash)
                    .map(|parsed| {
                        Argon2::default()
                            .verify_password(password.as_bytes(), &parsed)
                            .is_ok()
                    })
                    .unwrap_or(false)
            })
        })
        .await?;
        Ok(known && matches)
    }
}

/// A turn to hash a password, held until dropped.
#[derive(Debug)]
pub struct HashTurn<'a>(#[allow(dead_code)] tokio::sync::SemaphorePermit<'a>);

fn hash_now(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
}

/// True when a stored hash was made with other (older, weaker) parameters than today's
/// defaults, so the login should store a fresh hash.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return true;
    };
    let current = Params::default();
    parsed.algorithm.as_str() != "argon2id"
        || params.m_cost() != current.m_cost()
        || params.t_cost() != current.t_cost()
        || params.p_cost() != current.p_cost()
}

/// Checks a new password against the policy. `context` holds words tied to the user (login,
/// name, centre name, city). Returns the Polish message to show next to the field.
pub fn check_policy(password: &str, context: &[&str]) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(
            "Hasło musi mieć co najmniej 12 znaków (zalecamy 15 lub więcej, np. kilka niepowiązanych słów).",
        );
    }
    if length > MAX_LENGTH {
        return Err("Hasło może mieć najwyżej 128 znaków.");
    }
    let lowered = password.to_lowercase();
    let mut inputs: Vec<String> = CONTEXT_WORDS.iter().map(|w| (*w).to_owned()).collect();
    for item in context {
        let item = item.to_lowercase();
        inputs.extend(
            item.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_owned),
        );
        inputs.push(item);
    }
    // A password made only of context words (ignoring digits, spaces and punctuation) is
    // refused outright, whatever its length; zxcvbn covers the subtler cases.
    let letters: String = lowered.chars().filter(|c| c.is_alphabetic()).collect();
    let words: Vec<String> = inputs
        .iter()
        .map(|w| w.chars().filter(|c| c.is_alphabetic()).collect::<String>())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    if composed_of(&letters, &words) {
        return Err(
            "Hasło nie może składać się z loginu, imienia, nazwy ośrodka ani podobnych słów.",
        );
    }
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(password, &refs);
    if (estimate.score() as u8) < 3 {
        return Err(
            "To hasło jest zbyt łatwe do odgadnięcia (popularne hasło, wzór z klawiatury albo słowa związane z Tobą lub ośrodkiem). Wybierz dłuższe hasło, np. kilka niepowiązanych słów.",
        );
    }
    Ok(())
}

/// True when `text` (non-empty) is a concatenation of `words` (repetitions allowed).
fn composed_of(text: &str, words: &[String]) -> bool {
    if text.is_empty() {
        return false;
    }
    // reachable[i]: the first i bytes are a concatenation of words.
    let mut reachable = vec![false; text.len() + 1];
    reachable[0] = true;
    for i in 0..text.len() {
        if !reachable[i] || !text.is_char_boundary(i) {
            continue;
        }
        for w in words {
            if text[i..].starts_with(w.as_str()) {
                reachable[i + w.len()] = true;
            }
        }
    }
    reachable[text.len()]
}

/// A random one-time password such as `k7mq-4tzx-9pwa-r2hd` (about 78 bits), without
/// characters that are easy to confuse when read aloud or copied from paper.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let groups: Vec<String> = (0..4)
        .map(|_| {
            (0..4)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect()
        })
        .collect();
    groups.join("-")
}

fn random_password_material() -> String {
    super::random_token()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_count_characters_not_bytes() {
        assert!(check_policy("krótkie-1", &[]).is_err());
        assert!(check_policy(&"ż".repeat(129), &[]).is_err());
        assert!(check_policy("zielony rower jedzie pod górę", &[]).is_ok());
    }

    #[test]
    fn common_and_context_passwords_are_refused() {
        for weak in [
            "password1234",
            "qwertyuiop12",
            "123456789012",
            "aaaaaaaaaaaa",
        ] {
            assert!(check_policy(weak, &[]).is_err(), "{weak} accepted");
        }
        assert!(
            check_policy(
                "CIS Zielona Góra 2026",
                &["CIS Zielona Góra", "Zielona Góra"]
            )
            .is_err()
        );
        assert!(check_policy("socjalny1socjalny1", &["socjalny1"]).is_err());
        assert!(check_policy("Testowo Kierownik Teczka", &["Testowo"]).is_err());
        assert!(check_policy("anna.nowak anna.nowak", &["anna.nowak", "Anna Nowak"]).is_err());
    }

    #[test]
    fn long_passphrases_and_unicode_are_accepted() {
        assert!(check_policy("ciepła herbata o ósmej rano", &[]).is_ok());
        assert!(check_policy(&"łódź żółw gęś jaźń ".repeat(3), &[]).is_ok());
    }

    #[test]
    fn one_time_passwords_are_long_and_distinct() {
        let a = one_time_password();
        let b = one_time_password();
        assert_eq!(a.chars().count(), 19);
        assert_ne!(a, b);
    }

    #[test]
    fn default_hashes_do_not_need_rehash_but_weaker_ones_do() {
        let strong = hash_now("jakieś długie hasło testowe").expect("hash");
        assert!(strong.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!needs_rehash(&strong));
        let weak = Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            Params::new(1024, 1, 1, None).expect("params"),
        )
        .hash_password(b"x")
        .expect("hash")
        .to_string();
        assert!(needs_rehash(&weak));
    }
}
