//! Security primitives with no knowledge of requests or the database: password hashing and the
//! password policy, the per-IP rate limiter, random tokens with their stored hashes, and values
//! sealed (encrypted) at rest with the installation's key.

pub mod password;
pub mod ratelimit;
pub mod sealed;

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits as 64 hex characters (session tokens, CSRF tokens).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a token: what the database stores instead of the token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hashes_differ() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a).len(), 32);
    }
}
