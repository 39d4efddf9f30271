-- The TOTP secrets encrypted at rest (SECURITY.md: "Store seeds encrypted"; encryption at
-- rest: app-level AES-256-GCM). `second_factor.secret` held the key in clear; from now on
-- `sealed_secret` holds it sealed by the application (src/security/sealed.rs):
--
--     version (1 byte, 0x01) ‖ key id (8) ‖ nonce (12) ‖ ciphertext (16–64) ‖ tag (16)
--
-- under the installation's key, which lives in a file outside the database
-- (TECZKA_SECRET_KEY_FILE; in the embedded demo `secret-key` in TECZKA_DATA_DIR) and never
-- appears in SQL. The key id (the first 8 bytes of SHA-256 of the key) lets a value sealed
-- under another key be refused with both ids named; the account id is authenticated with the
-- value, so a sealed secret copied to another account's row does not open.
--
-- Existing clear secrets cannot be converted here: SQL has no key, and must not be given one.
-- The second factor is new and unreleased (merged the same day, no installation runs it), so
-- this migration deletes every existing factor instead of keeping a second, clear read path:
-- unconfirmed enrolments are simply started again, and an account that had confirmed one
-- enrols again at its next login when its role requires a factor (or from its account page),
-- exactly as before its first enrolment. Their recovery codes go with them (on delete
-- cascade); pending logins are unaffected. The embedded demo puts its fixed factor for
-- `kierownik-mfa` back, sealed, at its next start (src/demo/staff.rs).
delete from second_factor;

alter table second_factor drop constraint second_factor_secret_check;
alter table second_factor rename column secret to sealed_secret;
alter table second_factor add constraint second_factor_sealed_secret_format check (
    substring(sealed_secret from 1 for 1) = '\x01'::bytea
    and length(sealed_secret) between 1 + 8 + 12 + 16 + 16 and 1 + 8 + 12 + 64 + 16
);
comment on column second_factor.sealed_secret is
    'TOTP key sealed with AES-256-GCM by the application: version 0x01, key id (8), nonce (12), ciphertext, tag (16)';
