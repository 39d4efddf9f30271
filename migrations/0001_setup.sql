-- Teczka schema, part 1: helpers, the application role, centres, staff, sessions and the audit log.
--
-- Two database roles:
--   * the migration owner (whoever runs `teczka migrate`) owns every table;
--   * `teczka_app` is the role the web server uses. It is never the owner, never a superuser,
--     and on `audit_event` it may only INSERT (the log is append-only).
-- The app role cannot even read the audit log; what a screen needs from it comes through
-- SECURITY DEFINER functions owned by the migration owner (e.g. participant_file_views).
-- A production login role is either `teczka_app` itself (ALTER ROLE teczka_app LOGIN PASSWORD ...)
-- or any login role that has been granted membership in it.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'teczka_app') then
        create role teczka_app nologin;
    end if;
end
$$;

grant usage on schema public to teczka_app;
-- Every table and sequence the migration owner creates from now on is usable by the app role.
alter default privileges in schema public grant select, insert, update, delete on tables to teczka_app;
alter default privileges in schema public grant usage, select on sequences to teczka_app;

-- Keeps updated_at honest without relying on every UPDATE statement to set it.
create or replace function set_updated_at() returns trigger language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end
$$;

create table centre (
    centre_id  uuid primary key default gen_random_uuid(),
    name       text not null constraint centre_name_length check (char_length(name) between 1 and 200),
    city       text not null default '' constraint centre_city_length check (char_length(city) <= 100),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint centre_name_key unique (name)
);
create trigger centre_updated_at before update on centre for each row execute function set_updated_at();

create type staff_role as enum (
    'admin', 'manager', 'social_worker', 'psychologist', 'career_advisor', 'instructor'
);

create table staff_user (
    staff_user_id        uuid primary key default gen_random_uuid(),
    centre_id            uuid not null references centre,
    login                text not null constraint staff_user_login_format check (login ~ '^[a-z0-9._-]{3,40}$'),
    full_name            text not null constraint staff_user_full_name_length check (char_length(full_name) between 1 and 200),
    role                 staff_role not null,
    password_hash        text not null,
    -- A one-time password (issued by create-admin or an admin reset) must be replaced at first
    -- login and stops working at one_time_password_expires_at.
    must_change_password boolean not null default false,
    one_time_password_expires_at timestamptz,
    active               boolean not null default true,
    version              integer not null default 0,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
-- Logins are stored lower-case; the unique index is what the code maps to "login taken".
create unique index staff_user_login_key on staff_user (login);
create index staff_user_centre_idx on staff_user (centre_id, full_name);
create trigger staff_user_updated_at before update on staff_user for each row execute function set_updated_at();

-- Failed-login counters are keyed by the login *as typed* (normalised), whether or not such an
-- account exists, so that throttling behaves the same for unknown logins (no user enumeration).
create table login_throttle (
    login_key       text primary key,
    failed_count    integer not null default 0,
    last_failed_at  timestamptz,
    locked_until    timestamptz
);

-- Server-side sessions. The cookie holds a random 256-bit token; only its SHA-256 is stored, so a
-- leaked table does not hand out live sessions. user_id lets us end every session of a user.
create table session (
    session_hash   bytea primary key,
    user_id        uuid not null references staff_user on delete cascade,
    csrf_token     text not null,
    created_at     timestamptz not null,
    last_seen_at   timestamptz not null,
    flash_kind     text,
    flash_message  text
);
create index session_user_idx on session (user_id);
create index session_last_seen_idx on session (last_seen_at);

-- Append-only audit log: who did what to which object, when, from where, with what outcome.
create table audit_event (
    audit_event_id bigint generated always as identity primary key,
    occurred_at    timestamptz not null default now(),
    actor_id       uuid,
    actor_role     staff_role,
    centre_id      uuid,
    action         text not null,
    object_type    text,
    object_id      uuid,
    participant_id uuid,
    request_id     text,
    client_ip      inet,
    outcome        text not null constraint audit_event_outcome check (outcome in ('success', 'failure', 'denied')),
    detail         text
);
create index audit_event_actor_idx on audit_event (actor_id, occurred_at);
create index audit_event_object_idx on audit_event (object_id, occurred_at) where object_id is not null;

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end
$$;
create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_is_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only();
revoke select, update, delete, truncate on audit_event from teczka_app;
