-- The files held from review on a day, as a set: a list of reviews anti-joins it once. The
-- boolean `retention_held` (migration 0029) holds a subquery, so PostgreSQL cannot inline it
-- and runs it once per row: 0.22 ms for the first 101 of 3,000 reviews on the manager's Start,
-- against 0.005 ms for the anti-join. The rule stays in one place: `retention_held` now asks
-- this function.
create function retention_holds_on(p_on date) returns table (participant_id uuid)
language sql stable as $$
    select h.participant_id from retention_hold h
    where h.lifted_at is null and (h.until is null or h.until >= p_on)
$$;

create or replace function retention_held(p_participant uuid, p_on date) returns boolean
language sql stable as $$
    select exists (select 1 from retention_holds_on(p_on) h where h.participant_id = p_participant)
$$;
