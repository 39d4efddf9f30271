-- The centre's work generation: a number that changes with every committed write to the
-- centre's data, so that a work list computed at one generation is known to be still true
-- while the generation holds (issue 12: Start, read far more often than the centre writes,
-- is then served from what the server kept, see `home::kept`).
--
-- Every table is watched except those written on every request or read by no work list:
-- `session` (touched by requests, its count of work is written by Start itself), the audit
-- log (`audit_event`, written by every read of a file) and its seal (`audit_seal`), and the
-- two tables below. tests/api/work_generation.rs checks that every other table is watched, so
-- a table added later without the trigger fails the tests.
--
-- How a write moves the number, at its transaction's commit:
--   * after each statement on a watched table, `work_changed()` notes the transaction once
--     (a transaction-local setting) by inserting a row into `work_change`;
--   * that row's trigger is deferred to the commit, where it adds a random step (1 to 2^20)
--     to the generation of the centre the connection works for (`app_centre()`, set by the server on every
--     checkout), or of every centre when none is named (migrations, `teczka seed`, the daily
--     jobs, the login before its centre is known), and deletes the row.
-- The generation's rows are locked only at commit, when the transaction waits for nothing else,
-- so two transactions of one centre cannot deadlock on it. A rolled-back transaction (or
-- savepoint) takes its note and its setting with it and moves nothing. A statement that
-- changes no row still counts as a write: it only costs the next Start one recomputation.
--
-- The number is read with the session (`session_principal`, one statement on every request)
-- and never goes back, so a list kept at generation g is used only while the centre is at g.
-- The step is random so that the numbers of two histories do not meet: after a restore from a
-- backup, or a failover that lost commits, the centre's number goes back and grows again by
-- other commits, and a server still running would otherwise find the numbers of lists it kept
-- before (restart the servers after a restore all the same; README "Deploying for real").
--
-- Writers must be READ COMMITTED (the app's are; the few REPEATABLE READ transactions read,
-- and write only the audit log): `work_changed()` refuses a write to a watched table under
-- another level, since the commit's update of the generation could fail there.
--
-- Writes that change no centre's work list but would otherwise name no centre (a failed login's
-- counter, the pruning of old counters) name the nil centre (`db::rls::NO_CENTRE`), so that
-- they do not make every centre's lists be read again.

-- A centre's number is the sum of its rows, one per shard: each commit adds its step to a shard
-- picked at random, so the centre's commits wait on each other's row only when they pick the
-- same of sixteen (with one row, a centre's commits would be serialized, flush included: about
-- 3,000 a second here against 12,000; README "Performance"). Every commit still moves the sum.
create table work_generation (
    centre_id uuid not null,
    shard smallint not null,
    generation bigint not null default 0,
    primary key (centre_id, shard)
);
insert into work_generation (centre_id, shard) select centre_id, 0 from centre;

-- The app role reads its own centre's number through the session lookup; it writes nothing
-- here itself (the functions below do, with their owner's rights).
alter table work_generation enable row level security;
create policy centre_wall on work_generation to teczka_app
    using (centre_id = app_centre()) with check (centre_id = app_centre());
revoke insert, update, delete, truncate on work_generation from teczka_app;

-- One row per writing transaction, while it runs.
create table work_change (
    work_change_id bigint generated always as identity primary key
);
revoke all on work_change from teczka_app;

create function work_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    -- At commit the generation's row is updated; under REPEATABLE READ or SERIALIZABLE that
    -- update fails whenever another commit moved the same row after the snapshot. Such a
    -- transaction may read, and write the audit log, but not a watched table: say so now,
    -- at the statement, rather than fail at random at commit.
    if current_setting('transaction_isolation') <> 'read committed' then
        raise exception 'a write to % under % isolation: the work generation (migration 0041) needs READ COMMITTED',
            tg_table_name, current_setting('transaction_isolation');
    end if;
    if current_setting('teczka.work_changed', true) is distinct from 'y' then
        perform set_config('teczka.work_changed', 'y', true);
        insert into work_change default values;
    end if;
    return null;
end
$$;

create function work_generation_advance() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    v_centre uuid := app_centre();
    v_shard smallint := floor(random() * 16);
    v_step bigint := 1 + floor(random() * 1048576);
begin
    if v_centre is null then
        -- In one order, so that two such commits cannot deadlock on the centres' rows.
        insert into work_generation (centre_id, shard, generation)
        select c.centre_id, v_shard, v_step from centre c order by c.centre_id
        on conflict (centre_id, shard) do update set generation = work_generation.generation + v_step;
    else
        insert into work_generation (centre_id, shard, generation) values (v_centre, v_shard, v_step)
        on conflict (centre_id, shard) do update set generation = work_generation.generation + v_step;
    end if;
    delete from work_change w where w.work_change_id = new.work_change_id;
    return null;
end
$$;

create constraint trigger work_generation_advance after insert on work_change
    deferrable initially deferred
    for each row execute function work_generation_advance();

do $$
declare
    t record;
begin
    for t in
        select c.relname
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and c.relname not in ('session', 'audit_event', 'audit_seal', 'work_generation',
                                'work_change', '_sqlx_migrations')
    loop
        execute format(
            'create trigger work_changed after insert or update or delete or truncate on %I
                 for each statement execute function work_changed()',
            t.relname);
    end loop;
end
$$;

-- The session lookup returns the generation of the user's centre as well (a centre the
-- trigger has not reached yet is at 0). Its columns change, so it is dropped and made again,
-- with the same rights.
drop function session_principal(bytea);
create function session_principal(p_hash bytea)
returns table (
    user_id uuid, csrf_token text, created_at timestamptz, last_seen_at timestamptz,
    flash_kind text, flash_message text, work_count integer, work_counted_at timestamptz,
    centre_id uuid, role staff_role, login text, full_name text, must_change_password boolean,
    centre_name text, work_generation bigint
)
language plpgsql stable security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
begin
    return query
    select s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.flash_kind, s.flash_message,
           s.work_count, s.work_counted_at,
           u.centre_id, u.role, u.login, u.full_name, u.must_change_password,
           c.name,
           coalesce((select sum(g.generation) from work_generation g
                     where g.centre_id = u.centre_id), 0)::bigint
    from session s
    join staff_user u on u.staff_user_id = s.user_id
    join centre c on c.centre_id = u.centre_id
    where s.session_hash = p_hash and u.active;
end
$$;
revoke all on function session_principal(bytea) from public;
grant execute on function session_principal(bytea) to teczka_app;
