-- The second factor of logging in (TOTP, RFC 6238), its recovery codes, and the short-lived
-- record of a login that has passed the password step only.
--
-- `second_factor` holds one authenticator per account: unconfirmed (`confirmed_at` null) from
-- the moment enrolment shows the secret until the first code confirms it. `last_used_step` is
-- the highest TOTP time step accepted so far: a code of that step or an earlier one is refused
-- (RFC 6238 section 5.2: a code is used once).
create table second_factor (
    staff_user_id uuid primary key references staff_user on delete cascade,
    centre_id uuid not null references centre,
    secret bytea not null check (length(secret) between 16 and 64),
    created_at timestamptz not null default now(),
    confirmed_at timestamptz,
    last_used_step bigint
);

-- Ten single-use codes per confirmed factor, stored as SHA-256 of the account id and the
-- code (80 random bits each; see src/auth/second_factor.rs).
create table recovery_code (
    staff_user_id uuid not null references second_factor on delete cascade,
    centre_id uuid not null references centre,
    code_hash bytea not null,
    used_at timestamptz,
    primary key (staff_user_id, code_hash)
);

-- A login past the password step, waiting for the code (or for enrolment): not a session.
-- The browser holds a random token in its own `__Host-teczka_login` cookie; the row holds its
-- SHA-256, is bound to one account and expires after a few minutes.
create table pending_login (
    token_hash bytea primary key,
    staff_user_id uuid not null references staff_user on delete cascade,
    centre_id uuid not null references centre,
    next_path text not null default '',
    expires_at timestamptz not null
);
create index pending_login_user on pending_login (staff_user_id);
create index pending_login_expiry on pending_login (expires_at);
