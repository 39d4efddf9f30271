-- Teczka schema, part 4: the read paths of the home page and the file page at 100,000+
-- participants (scripts/bench).
--
--   * participant_active_end_idx: the active participants by planned end. The manager's
--     "ending within 30 days or overdue" list and the list's "ending soonest" order read it in
--     order and stop; the full participant_planned_end_idx would first walk every graduate and
--     terminated person whose planned end lies in the past.
--   * participant_file_view replaces the participant_file_views function (below).

create index participant_active_end_idx on participant (centre_id, planned_end_on, participant_id)
    where status in ('trial', 'participant');

-- A search's capped count reads the prefix-range indexes only (an expression index serves an
-- index-only scan once it includes the column the expression reads): the count of "kowal" went
-- from 207 buffers to 6.
drop index participant_surname_search_idx;
create index participant_surname_search_idx
    on participant (centre_id, (lower(surname) collate "C"), participant_id) include (surname);
drop index participant_first_names_search_idx;
create index participant_first_names_search_idx
    on participant (centre_id, (lower(first_names) collate "C"), participant_id) include (first_names);

-- The latest views of a file come straight from the index, without visiting the table (the
-- panel's columns are in it): about a tenth of the manager's file page.
drop index audit_event_file_view_idx;
create index audit_event_file_view_idx on audit_event (participant_id, occurred_at desc)
    include (actor_id, actor_role, detail)
    where action = 'participant.view' and outcome = 'success';

-- "Who viewed this file" as a view the application role may read: the file page reads it in
-- the same statement as the file, with the rest of the page (a SECURITY DEFINER function is
-- never inlined and is planned again at every call, which cost a third of the page). The view
-- shows only successful file views, runs with its owner's rights (the app role still cannot read
-- audit_event itself), and is a security barrier, so no function of a query can see the rows it
-- filters out. Its rows come in the order of audit_event_file_view_idx, so "the latest 50 of one
-- participant" stops after 50 index entries (a barrier keeps the query's LIMIT outside it). The
-- app may only read it.
create view participant_file_view with (security_barrier) as
    select a.participant_id, a.occurred_at, a.actor_id, a.actor_role, a.detail
    from audit_event a
    where a.action = 'participant.view' and a.outcome = 'success'
    order by a.participant_id, a.occurred_at desc;
revoke all on participant_file_view from teczka_app;
grant select on participant_file_view to teczka_app;

drop function participant_file_views(uuid, uuid);
