-- Teczka schema, part 4: the read paths of the home page and the file page at 100,000+
-- participants (scripts/bench).
--
--   * participant_active_end_idx: the active participants by planned end. The manager's
--     "ending within 30 days or overdue" list and the list's "ending soonest" order read it in
--     order and stop; the full participant_planned_end_idx would first walk every graduate and
--     terminated person whose planned end lies in the past.
--   * participant_file_views becomes PL/pgSQL: a SQL function that cannot be inlined (it is
--     SECURITY DEFINER) is planned again at every call; PL/pgSQL keeps its plan for the session.

create index participant_active_end_idx on participant (centre_id, planned_end_on, participant_id)
    where status in ('trial', 'participant');

create or replace function participant_file_views(p_participant uuid, p_centre uuid)
returns table (occurred_at timestamptz, viewer text, actor_role staff_role, detail text)
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return query
    select a.occurred_at, u.full_name, a.actor_role, a.detail
    from audit_event a left join staff_user u on u.staff_user_id = a.actor_id
    where a.participant_id = p_participant and a.action = 'participant.view' and a.outcome = 'success'
      and exists (select 1 from participant p where p.participant_id = p_participant and p.centre_id = p_centre)
    order by a.occurred_at desc
    limit 50;
end
$$;
