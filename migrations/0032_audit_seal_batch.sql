-- Teczka schema, part 32: a seal's batch reads at most its own rows.
--
-- Part 31 found the first unsettled row by reading every row after the last seal, so sealing a
-- backlog (an installation upgraded with 600,000 rows never sealed) read the whole tail once per
-- batch of 5,000: quadratic, minutes of database time. The first unsettled row is now looked
-- for only among the next p_limit rows, which the batch reads anyway.

create or replace function audit_seal_next(p_limit integer, p_settle interval) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    last_seal audit_seal;
    after_id  bigint;
    upto_id   bigint;
    counted   integer;
    hashed    bytea;
begin
    perform pg_advisory_xact_lock(hashtextextended('audit-seal', 0));
    select * into last_seal from audit_seal order by audit_seal_id desc limit 1;
    after_id := coalesce(last_seal.last_event_id, 0);
    -- The next p_limit rows in id order, up to (not including) the first one not yet settled.
    select max(b.audit_event_id) into upto_id from (
        select a.audit_event_id, a.occurred_at,
               bool_or(a.occurred_at >= now() - p_settle) over (order by a.audit_event_id) as young
        from (select audit_event_id, occurred_at from audit_event
              where audit_event_id > after_id order by audit_event_id limit p_limit) a
    ) b where not b.young;
    if upto_id is null then
        return 0;
    end if;
    -- The range starts right after the last seal, so a row in a gap is covered too.
    select h.row_count, h.rows_hash into counted, hashed from audit_rows_hash(after_id + 1, upto_id) h;
    insert into audit_seal (first_event_id, last_event_id, row_count, rows_hash, previous_hash, seal_hash)
    values (after_id + 1, upto_id, counted, hashed, last_seal.seal_hash,
            audit_seal_hash(last_seal.seal_hash, after_id + 1, upto_id, counted, hashed));
    return counted;
end
$$;
revoke all on function audit_seal_next(integer, interval) from public;
grant execute on function audit_seal_next(integer, interval) to teczka_app;
