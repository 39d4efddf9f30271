-- Teczka schema, part 9: "Kto przeglądał teczkę" on its own page (participants/access_log.rs).
-- The page pages through a file's views with a cursor, so the view gains the row's id (the
-- cursor and the tie-break of two views in the same microsecond). Columns are only appended,
-- the rows and their order are unchanged, and the app role still reads nothing else of
-- audit_event.
create or replace view participant_file_view with (security_barrier) as
    select a.participant_id, a.occurred_at, a.actor_id, a.actor_role, a.detail, a.audit_event_id
    from audit_event a
    where a.action = 'participant.view' and a.outcome = 'success'
    order by a.participant_id, a.occurred_at desc;
