-- Row-level security: a second wall between centres (issue 14).
--
-- The first wall is the application's own `centre_id = $1` in every query. This is the second:
-- every table holding a centre's data answers the app role (`teczka_app`) only with the rows
-- of the centre named by the connection's setting `app.centre_id`, and refuses to take rows
-- for another centre. The server sets it on every connection it takes from its pool
-- (`db::rls`): the signed-in user's centre inside a request, or nothing — and where the
-- setting is empty a table shows no rows at all. So a query that forgot its centre filter, or
-- took a participant's id from the wrong place, still cannot read or change another centre.
--
-- Who is not behind it, and why:
--   * the migration owner (migrations, `teczka seed`, backup and restore). FORCE ROW LEVEL
--     SECURITY is not set on any table, deliberately: the owner is the maintenance identity,
--     and the few SECURITY DEFINER functions below and in earlier parts (the session lookup
--     and the pending login before the centre is known, the audit seal, anonymisation) are the
--     narrow, reviewed doors
--     through which the app role reaches across the wall; FORCE would close them as well. The
--     server never connects as the owner; `teczka_app` is neither owner nor superuser and has
--     no BYPASSRLS (tests/api/row_security.rs checks all three).
--   * tables that hold no centre's data: `session` (keyed by a token hash, read before the
--     centre is known), `login_throttle`, `audit_seal`, the `absence_reason` dictionary.
--
-- Tables without a `centre_id` of their own follow their parent: a document's versions
-- through `document`, a role change through `staff_user`. The rule tables whose rows with no
-- centre are the installation's defaults show those to every centre, and take new rows only
-- for the centre itself.
--
-- The audit log: the app role may only INSERT (part 1), and may write a row for no centre (a
-- failed login) or for its own; before a user is known (the login) any row. The views the app
-- role reads it through run with the owner's rights, so they carry the same condition in
-- their own WHERE.
--
-- Cost: the condition is one equality on an indexed column, compared with a value fixed for
-- the statement; README ("Performance") records the benchmark before and after. One planner
-- rule matters: behind a policy, a query's own condition may serve as an index condition only
-- if its operator is LEAKPROOF (it can reveal nothing about rows the policy hides), and
-- PostgreSQL does not mark the equality of enum values so, though it only compares two OIDs.
-- Every `status = …`/`status in (…)` and `kind = …` of the app is such an equality; without
-- the mark the Start page's document groups read every document of the centre (0.07 ms →
-- 2 ms each at 100,000 participants). Marking a built-in function needs a superuser: the
-- embedded cluster's owner is one; on another server a database administrator runs the two
-- ALTER FUNCTION statements below once (README, "Deploying for real").

do $$
begin
    if (select rolsuper from pg_roles where rolname = current_user) then
        alter function enum_eq(anyenum, anyenum) leakproof;
        alter function enum_ne(anyenum, anyenum) leakproof;
    end if;
end
$$;

create function app_centre() returns uuid
language sql stable parallel safe as $$
    select nullif(current_setting('app.centre_id', true), '')::uuid
$$;

do $$
declare
    t record;
begin
    -- Every table with a NOT NULL centre_id: the rows of the current centre only.
    for t in
        select c.relname
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'centre_id' and not a.attisdropped
        where n.nspname = 'public' and c.relkind = 'r' and a.attnotnull
          and c.relname <> 'audit_event'
    loop
        execute format('alter table %I enable row level security', t.relname);
        execute format(
            'create policy centre_wall on %I to teczka_app
                 using (centre_id = app_centre()) with check (centre_id = app_centre())',
            t.relname);
    end loop;
end
$$;

-- The effective-dated rules: the installation's defaults (no centre) are read by every centre.
do $$
declare
    t text;
begin
    foreach t in array array['activity_type', 'benefit_rule', 'follow_up_rule', 'monitoring_rule',
                             'participation_rule', 'unemployment_benefit']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy centre_wall on %I to teczka_app
                 using (centre_id is null or centre_id = app_centre())
                 with check (centre_id = app_centre())',
            t);
    end loop;
end
$$;

alter table document_version enable row level security;
create policy centre_wall on document_version to teczka_app
    using (exists (select 1 from document d where d.document_id = document_version.document_id))
    with check (exists (select 1 from document d where d.document_id = document_version.document_id));

alter table staff_role_change enable row level security;
create policy centre_wall on staff_role_change to teczka_app
    using (exists (select 1 from staff_user u where u.staff_user_id = staff_role_change.staff_user_id))
    with check (exists (select 1 from staff_user u where u.staff_user_id = staff_role_change.staff_user_id));

alter table audit_event enable row level security;
create policy centre_wall on audit_event for insert to teczka_app
    with check (centre_id is null or app_centre() is null or centre_id = app_centre());

-- The views over the audit log run as their owner (the app role cannot read the table): each
-- keeps to the current centre itself.
create or replace view participant_file_view with (security_barrier) as
    select a.participant_id, a.occurred_at, a.actor_id, a.actor_role, a.detail, a.audit_event_id
    from audit_event a
    where a.action = 'participant.view' and a.outcome = 'success' and a.centre_id = app_centre()
    order by a.participant_id, a.occurred_at desc;

create or replace view centre_audit_event as
    select a.audit_event_id, a.occurred_at, a.centre_id, a.actor_id, a.actor_role, a.action,
           a.object_type, a.object_id, a.participant_id, a.outcome, a.detail
    from audit_event a
    where a.centre_id = app_centre();

create or replace view staff_active_change with (security_barrier) as
    select a.object_id as staff_user_id, a.action = 'staff.reactivate' as active, a.occurred_at
    from audit_event a
    where a.action in ('staff.deactivate', 'staff.reactivate') and a.outcome = 'success'
      and a.object_id is not null and a.centre_id = app_centre();

-- The doors through the wall, each returning only what its caller needs.

-- The session of a cookie, before the centre is known (every signed-in request).
create function session_principal(p_hash bytea)
returns table (
    user_id uuid, csrf_token text, created_at timestamptz, last_seen_at timestamptz,
    flash_kind text, flash_message text, work_count integer, work_counted_at timestamptz,
    centre_id uuid, role staff_role, login text, full_name text, must_change_password boolean,
    centre_name text
)
language sql stable security definer set search_path = public, pg_temp as $$
    select s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.flash_kind, s.flash_message,
           s.work_count, s.work_counted_at,
           u.centre_id, u.role, u.login, u.full_name, u.must_change_password,
           c.name
    from session s
    join staff_user u on u.staff_user_id = s.user_id
    join centre c on c.centre_id = u.centre_id
    where s.session_hash = p_hash and u.active
$$;
revoke all on function session_principal(bytea) from public;
grant execute on function session_principal(bytea) to teczka_app;

-- The account a login names, before the centre is known (POST /login).
create function login_principal(p_login text)
returns table (
    staff_user_id uuid, centre_id uuid, role staff_role, password_hash text, active boolean,
    must_change_password boolean, one_time_password_expires_at timestamptz
)
language sql stable security definer set search_path = public, pg_temp as $$
    select u.staff_user_id, u.centre_id, u.role, u.password_hash, u.active,
           u.must_change_password, u.one_time_password_expires_at
    from staff_user u
    where u.login = p_login
$$;
revoke all on function login_principal(text) from public;
grant execute on function login_principal(text) to teczka_app;

-- The centres, for the server's daily tasks that visit each centre in turn under its setting.
create function centre_ids() returns setof uuid
language sql stable security definer set search_path = public, pg_temp as $$
    select centre_id from centre order by name
$$;
revoke all on function centre_ids() from public;
grant execute on function centre_ids() to teczka_app;

-- A login past the password step only (part 33), before the centre is known (the code step).
create function pending_principal(p_hash bytea, p_now timestamptz)
returns table (
    hash bytea, user_id uuid, centre_id uuid, role staff_role, login text,
    must_change_password boolean, next_path text
)
language sql stable security definer set search_path = public, pg_temp as $$
    select p.token_hash, p.staff_user_id, u.centre_id, u.role, u.login, u.must_change_password,
           p.next_path
    from pending_login p join staff_user u on u.staff_user_id = p.staff_user_id
    where p.token_hash = p_hash and p.expires_at > p_now and u.active
$$;
revoke all on function pending_principal(bytea, timestamptz) from public;
grant execute on function pending_principal(bytea, timestamptz) to teczka_app;

-- The server checks at start that the schema is current (src/cli.rs, `pending_migrations`),
-- as the app role; it may read the list of applied migrations, nothing more.
-- (The table is sqlx's; a schema applied by psql alone, as scripts/sqlx-prepare does, has none.)
do $$
begin
    if to_regclass('_sqlx_migrations') is not null then
        grant select on _sqlx_migrations to teczka_app;
    end if;
end
$$;
