//! Values encrypted at rest with the installation's secret key (AES-256-GCM, RustCrypto
//! `aes-gcm`): today the TOTP secrets of the second factor.
//!
//! A sealed value is `version (1) ‖ key id (8) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. The nonce
//! is 96 random bits, fresh for every value. The key id is the first 8 bytes of SHA-256 of the
//! key, so a value sealed under another key is refused with both ids named (rotation: a new
//! key, values re-sealed under it). The version byte, the key id and a caller's `context` (for
//! the TOTP secret: the account id) are authenticated with the value, so a sealed value copied
//! to another row does not open.
//!
//! The key is 32 random bytes, written as 64 hexadecimal characters in a file readable only by
//! the service user (`TECZKA_SECRET_KEY_FILE`); it is never in the database, never in SQL text,
//! and [`Key`] prints only its id.

use std::fmt;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use anyhow::{Context, bail};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::Config;

/// Name of the key file the embedded (demo) installation creates in `TECZKA_DATA_DIR`.
pub const KEY_FILE_NAME: &str = "secret-key";
/// The format of sealed values written today.
const VERSION: u8 = 1;
const KEY_ID_LEN: usize = 8;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;

/// The id stored beside every value sealed with a key: the first 8 bytes of its SHA-256.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyId([u8; KEY_ID_LEN]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// Why a sealed value does not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// Too short, or a format version this program does not know.
    #[error("the stored value is not a sealed value this version of Teczka can read")]
    Malformed,
    /// Sealed under another key.
    #[error(
        "the stored value was sealed with key {stored}, but the key loaded (TECZKA_SECRET_KEY_FILE, or secret-key in TECZKA_DATA_DIR) is {loaded}; restore the key file that belongs to this database"
    )]
    WrongKey {
        /// The id stored with the value.
        stored: KeyId,
        /// The id of the key loaded.
        loaded: KeyId,
    },
    /// The right key, but the value (or its context) was changed.
    #[error(
        "the stored value sealed with key {0} failed authentication (changed, or moved to another record)"
    )]
    Tampered(KeyId),
}

/// The installation's secret key, ready to seal and open values.
#[derive(Clone)]
pub struct Key {
    cipher: Aes256Gcm,
    id: KeyId,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(id {}, ***)", self.id)
    }
}

impl Key {
    /// The key made of `bytes`.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let digest = Sha256::digest(bytes);
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&digest[..KEY_ID_LEN]);
        Self {
            cipher: Aes256Gcm::new(bytes.into()),
            id: KeyId(id),
        }
    }

    /// The key's id, as stored with every value it seals.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// `plain` encrypted under this key with a fresh random nonce, bound to `context`.
    pub fn seal(&self, plain: &[u8], context: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + plain.len() + TAG_LEN);
        out.push(VERSION);
        out.extend_from_slice(&self.id.0);
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        out.extend_from_slice(&nonce);
        let aad = associated(&out[..1 + KEY_ID_LEN], context);
        // Encryption fails only for messages of gigabytes; a TOTP secret is 20 bytes.
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .unwrap_or_default();
        out.extend_from_slice(&sealed);
        out
    }

    /// The value `sealed` holds, if it was sealed under this key for `context` and not changed.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, SealError> {
        if sealed.len() < HEADER_LEN + TAG_LEN || sealed[0] != VERSION {
            return Err(SealError::Malformed);
        }
        let mut stored = [0u8; KEY_ID_LEN];
        stored.copy_from_slice(&sealed[1..1 + KEY_ID_LEN]);
        let stored = KeyId(stored);
        if stored != self.id {
            return Err(SealError::WrongKey {
                stored,
                loaded: self.id,
            });
        }
        let aad = associated(&sealed[..1 + KEY_ID_LEN], context);
        self.cipher
            .decrypt(
                Nonce::from_slice(&sealed[1 + KEY_ID_LEN..HEADER_LEN]),
                Payload {
                    msg: &sealed[HEADER_LEN..],
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::Tampered(stored))
    }

    /// The key of the file `config.secret_key_file` names (resolved by [`key_file`] first).
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let path = config.secret_key_file.as_deref().ok_or_else(|| {
            anyhow::anyhow!("no secret key file (TECZKA_SECRET_KEY_FILE) in the configuration")
        })?;
        Self::from_file(path)
    }

    /// Reads the key from `path`: 64 hexadecimal characters (surrounding whitespace ignored).
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the secret key file {} (TECZKA_SECRET_KEY_FILE)",
                path.display()
            )
        })?;
        let bytes = parse_hex_key(text.trim()).with_context(|| {
            format!(
                "the secret key file {} (TECZKA_SECRET_KEY_FILE) must hold 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`",
                path.display()
            )
        })?;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                file = %path.display(),
                "the secret key file is readable by other users; make it readable only by the service user (chmod 600)"
            );
        }
        Ok(Self::from_bytes(&bytes))
    }
}

/// The associated data authenticated with a value: its header and the caller's context.
fn associated(header: &[u8], context: &[u8]) -> Vec<u8> {
    [header, context].concat()
}

fn parse_hex_key(text: &str) -> anyhow::Result<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        bail!("not 64 characters");
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).context("not hexadecimal")?;
    }
    Ok(key)
}

/// The key file the server uses: `TECZKA_SECRET_KEY_FILE`; without it, in the embedded (demo)
/// installation, `secret-key` in `TECZKA_DATA_DIR`, created at the first start. With
/// `DATABASE_URL` and no key file the server refuses to start: a key created on its own would
/// not be in the administrator's backups.
pub fn key_file(config: &Config) -> anyhow::Result<PathBuf> {
    if let Some(path) = &config.secret_key_file {
        return Ok(path.clone());
    }
    if config.database_url.is_some() {
        bail!(
            "TECZKA_SECRET_KEY_FILE is not set: with DATABASE_URL the server needs the key that encrypts the second-factor secrets, a file of 64 hexadecimal characters readable only by the service user (create it once with `openssl rand -hex 32 > FILE && chmod 600 FILE`, and back it up apart from the database; see README)"
        );
    }
    let path = config.data_dir.join(KEY_FILE_NAME);
    if !path.exists() {
        create_key_file(&path)?;
    }
    Ok(path)
}

/// Writes a new random key to `path` (mode 0600), unless a file is there already.
pub fn create_key_file(path: &Path) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // Written whole under a temporary name, then linked into place: a crash leaves no
    // half-written key, and a key already there is never replaced.
    let temporary = dir.join(format!("{KEY_FILE_NAME}.{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)
        .and_then(|mut file| {
            file.write_all(format!("{text}\n").as_bytes())?;
            file.sync_all()
        });
    let linked = written.and_then(|()| match std::fs::hard_link(&temporary, path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    });
    let _ = std::fs::remove_file(&temporary);
    linked.with_context(|| format!("cannot create the secret key file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> Key {
        Key::from_bytes(&[byte; 32])
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context() {
        let k = key(7);
        let sealed = k.seal(b"twenty-byte-secret!!", b"account-1");
        assert_eq!(sealed.len(), HEADER_LEN + 20 + TAG_LEN);
        assert_eq!(sealed[0], VERSION);
        assert_eq!(&sealed[1..9], &k.id().0);
        assert_eq!(
            k.open(&sealed, b"account-1").as_deref(),
            Ok(&b"twenty-byte-secret!!"[..])
        );
    }

    #[test]
    fn two_seals_of_one_value_differ_and_hold_no_clear_text() {
        let k = key(7);
        let a = k.seal(b"twenty-byte-secret!!", b"c");
        let b = k.seal(b"twenty-byte-secret!!", b"c");
        assert_ne!(a, b);
        assert_ne!(a[1 + KEY_ID_LEN..HEADER_LEN], b[1 + KEY_ID_LEN..HEADER_LEN]);
        assert!(!a.windows(20).any(|w| w == b"twenty-byte-secret!!"));
    }

    #[test]
    fn a_changed_value_or_another_context_is_refused() {
        let k = key(7);
        let sealed = k.seal(b"secret", b"account-1");
        for i in HEADER_LEN - NONCE_LEN..sealed.len() {
            let mut tampered = sealed.clone();
            tampered[i] ^= 1;
            assert_eq!(
                k.open(&tampered, b"account-1"),
                Err(SealError::Tampered(k.id())),
                "byte {i}"
            );
        }
        assert_eq!(
            k.open(&sealed, b"account-2"),
            Err(SealError::Tampered(k.id()))
        );
        assert_eq!(
            k.open(&sealed[..20], b"account-1"),
            Err(SealError::Malformed)
        );
        let mut version = sealed.clone();
        version[0] = 2;
        assert_eq!(k.open(&version, b"account-1"), Err(SealError::Malformed));
    }

    #[test]
    fn another_key_is_refused_naming_both_key_ids() {
        let (right, wrong) = (key(7), key(8));
        let sealed = right.seal(b"secret", b"c");
        let error = wrong.open(&sealed, b"c").unwrap_err();
        assert_eq!(
            error,
            SealError::WrongKey {
                stored: right.id(),
                loaded: wrong.id()
            }
        );
        let message = error.to_string();
        assert!(message.contains(&right.id().to_string()), "{message}");
        assert!(message.contains(&wrong.id().to_string()), "{message}");
        // The id is the first 8 bytes of SHA-256 of the key, in hex.
        let digest = Sha256::digest([7u8; 32]);
        let expected: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(right.id().to_string(), expected);
    }

    #[test]
    fn the_key_never_prints() {
        let k = key(0xab);
        let shown = format!("{k:?}");
        assert!(!shown.contains("abab"), "{shown}");
        assert!(shown.contains(&k.id().to_string()));
    }

    #[test]
    fn the_key_file_is_created_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("teczka-key-{}", uuid::Uuid::new_v4()));
        let config = Config {
            data_dir: dir.clone(),
            ..Config::default()
        };
        let path = key_file(&config).unwrap();
        assert_eq!(path, dir.join(KEY_FILE_NAME));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let first = Key::from_file(&path).unwrap();
        assert_eq!(key_file(&config).unwrap(), path);
        let again = Key::from_file(&path).unwrap();
        assert_eq!(first.id(), again.id(), "reused, not replaced");
        let sealed = first.seal(b"x", b"c");
        assert_eq!(again.open(&sealed, b"c").as_deref(), Ok(&b"x"[..]));

        std::fs::write(&path, "not a key\n").unwrap();
        let error = format!("{:#}", Key::from_file(&path).unwrap_err());
        assert!(error.contains("64 hexadecimal"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn with_a_database_url_and_no_key_file_the_server_does_not_start() {
        let config = Config {
            database_url: Some(crate::config::Secret::new("postgres://x@localhost/y")),
            data_dir: PathBuf::from("/nonexistent"),
            ..Config::default()
        };
        let error = key_file(&config).unwrap_err().to_string();
        assert!(error.contains("TECZKA_SECRET_KEY_FILE"), "{error}");
        let given = Config {
            secret_key_file: Some(PathBuf::from("/etc/teczka/secret-key")),
            ..config
        };
        assert_eq!(
            key_file(&given).unwrap(),
            PathBuf::from("/etc/teczka/secret-key")
        );
    }
}
