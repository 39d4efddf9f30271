-- Teczka schema, part 31: the sealed audit chain (issue 14).
--
-- audit_event stays append-only and is written in the same transaction as the change it
-- describes. A background task (app.rs, every few seconds, off the request path) seals the rows
-- written since the last seal, in batches, into a hash chain: each seal holds the range of
-- event ids it covers, the number of rows, a SHA-256 over the rows' canonical text, the previous
-- seal's hash and its own hash over all of that. `teczka audit verify` recomputes every seal and
-- names the first one that no longer matches: a row changed, removed or slipped into a sealed
-- range breaks it, and so does a changed or removed seal (the next seal names its hash).
--
-- Which rows a seal may cover. An event's id is drawn when its row is inserted, inside a
-- transaction that may commit later than a transaction that drew a higher id; a seal over
-- "everything up to id N" could then miss a row committed after it. So a batch ends before the
-- first row whose transaction began less than `settle` ago (the app passes 2 minutes; its
-- transactions are bounded by statement_timeout 15 s and idle_in_transaction 30 s): older
-- transactions have committed or rolled back, so the range is final. Rows wait that long for
-- their seal; a crash between batches loses nothing, the next run seals what is left, and two
-- sealers never interleave (an advisory lock).
--
-- The app role only calls the two SECURITY DEFINER functions; it reads neither table.

create table audit_seal (
    audit_seal_id  bigint generated always as identity primary key,
    first_event_id bigint not null,
    last_event_id  bigint not null,
    row_count      integer not null check (row_count > 0),
    rows_hash      bytea not null,
    previous_hash  bytea,
    seal_hash      bytea not null,
    sealed_at      timestamptz not null default now(),
    constraint audit_seal_range check (first_event_id <= last_event_id)
);
revoke all on audit_seal from teczka_app;
create trigger audit_seal_no_update before update or delete on audit_seal
    for each row execute function audit_event_is_append_only();
create trigger audit_seal_no_truncate before truncate on audit_seal
    for each statement execute function audit_event_is_append_only();

-- One row as the chain hashes it: every column in a fixed order, the time as exact epoch
-- microseconds (a timestamp's text would follow the session's time zone).
create function audit_event_text(a audit_event) returns text
language sql immutable as $$
    select jsonb_build_array(a.audit_event_id, (extract(epoch from a.occurred_at) * 1000000)::bigint,
                             a.actor_id, a.actor_role, a.centre_id, a.action, a.object_type,
                             a.object_id, a.participant_id, a.request_id, host(a.client_ip),
                             a.outcome, a.detail)::text
$$;

-- The hash of the rows with ids in [first, last], in id order.
create function audit_rows_hash(p_first bigint, p_last bigint) returns table (row_count integer, rows_hash bytea)
language sql stable as $$
    select count(*)::integer,
           sha256(convert_to(coalesce(string_agg(audit_event_text(a), E'\n' order by a.audit_event_id), ''), 'UTF8'))
    from audit_event a
    where a.audit_event_id between p_first and p_last
$$;

create function audit_seal_hash(p_previous bytea, p_first bigint, p_last bigint, p_count integer, p_rows bytea)
returns bytea language sql immutable as $$
    select sha256(coalesce(p_previous, ''::bytea)
                  || convert_to(p_first::text || ':' || p_last::text || ':' || p_count::text || ':', 'UTF8')
                  || p_rows)
$$;

-- Seals at most p_limit settled rows after the last seal; returns how many rows it sealed.
create function audit_seal_next(p_limit integer, p_settle interval) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    last_seal audit_seal;
    after_id  bigint;
    young_id  bigint;
    upto_id   bigint;
    first_id  bigint;
    counted   integer;
    hashed    bytea;
begin
    perform pg_advisory_xact_lock(hashtextextended('audit-seal', 0));
    select * into last_seal from audit_seal order by audit_seal_id desc limit 1;
    after_id := coalesce(last_seal.last_event_id, 0);
    -- The first row not yet settled: the batch ends before it.
    select min(audit_event_id) into young_id from audit_event
        where audit_event_id > after_id and occurred_at >= now() - p_settle;
    select min(audit_event_id), max(audit_event_id) into first_id, upto_id from (
        select audit_event_id from audit_event
        where audit_event_id > after_id and (young_id is null or audit_event_id < young_id)
        order by audit_event_id limit p_limit) batch;
    if first_id is null then
        return 0;
    end if;
    -- The range starts right after the last seal, so a row in a gap before first_id is covered.
    select h.row_count, h.rows_hash into counted, hashed from audit_rows_hash(after_id + 1, upto_id) h;
    insert into audit_seal (first_event_id, last_event_id, row_count, rows_hash, previous_hash, seal_hash)
    values (after_id + 1, upto_id, counted, hashed, last_seal.seal_hash,
            audit_seal_hash(last_seal.seal_hash, after_id + 1, upto_id, counted, hashed));
    return counted;
end
$$;

-- Checks the whole chain: the seals counted, the events they cover, and the first seal that
-- does not match (null when all do) with what is wrong with it.
create function audit_verify()
returns table (seals bigint, events bigint, broken_seal bigint, problem text)
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
    s          audit_seal;
    previous   audit_seal;
    h          record;
    n_seals    bigint := 0;
    n_events   bigint := 0;
begin
    for s in select * from audit_seal order by audit_seal_id loop
        if previous.audit_seal_id is null then
            if s.previous_hash is not null or s.first_event_id <> 1 and exists (
                   select 1 from audit_event where audit_event_id < s.first_event_id) then
                return query select n_seals, n_events, s.audit_seal_id, 'początek łańcucha nie pasuje';
                return;
            end if;
        elsif s.previous_hash is distinct from previous.seal_hash
              or s.first_event_id <> previous.last_event_id + 1 then
            return query select n_seals, n_events, s.audit_seal_id, 'pieczęć nie łączy się z poprzednią';
            return;
        end if;
        select * into h from audit_rows_hash(s.first_event_id, s.last_event_id);
        if h.row_count <> s.row_count or h.rows_hash <> s.rows_hash then
            return query select n_seals, n_events, s.audit_seal_id, 'zdarzenia objęte pieczęcią zostały zmienione';
            return;
        end if;
        if audit_seal_hash(s.previous_hash, s.first_event_id, s.last_event_id, s.row_count, s.rows_hash)
           <> s.seal_hash then
            return query select n_seals, n_events, s.audit_seal_id, 'skrót pieczęci nie pasuje';
            return;
        end if;
        n_seals := n_seals + 1;
        n_events := n_events + s.row_count;
        previous := s;
    end loop;
    return query select n_seals, n_events, null::bigint, null::text;
end
$$;

revoke all on function audit_seal_next(integer, interval) from public;
revoke all on function audit_verify() from public;
grant execute on function audit_seal_next(integer, interval) to teczka_app;
grant execute on function audit_verify() to teczka_app;

-- The events written after the last seal.
create function audit_unsealed() returns bigint
language sql stable security definer set search_path = public, pg_temp as $$
    select count(*) from audit_event
    where audit_event_id > coalesce((select max(last_event_id) from audit_seal), 0)
$$;
revoke all on function audit_unsealed() from public;
grant execute on function audit_unsealed() to teczka_app;
