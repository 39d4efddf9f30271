-- Teczka schema, part 27: the data-protection officer's audit log (data_protection/): the
-- centre's audit events searchable by participant, staff member, action, outcome and period,
-- newest first a page at a time, and the reports built on them (files opened outside the
-- caseload, unusual days, refusals, exports and prints).
--
-- The app role still cannot read audit_event. It reads the centre's events through this view,
-- which runs with its owner's rights and shows only what the screens need: not the request id
-- nor the client's address. The view has no condition of its own, so it is not a security
-- barrier (a barrier protects a view's own condition, and it would keep the view from being
-- merged into the query: on a million rows of one centre the newest 50 then took 1.9 s, a
-- sort of every row of the period, instead of 3 ms reading 51 index entries). Every
-- condition of a query (the centre, the period, the cursor) reaches the indexes below; the
-- screens always ask for one centre (`centre_id = $1`), like every other read of the app.
create view centre_audit_event as
    select a.audit_event_id, a.occurred_at, a.centre_id, a.actor_id, a.actor_role, a.action,
           a.object_type, a.object_id, a.participant_id, a.outcome, a.detail
    from audit_event a;
revoke all on centre_audit_event from teczka_app;
grant select on centre_audit_event to teczka_app;

-- The search and the reports read a centre's events newest first (the cursor is the pair
-- (occurred_at, audit_event_id)):
--   * no filter, or a period, or an outcome: audit_event_centre_idx, read backwards from the
--     cursor until the page is full;
--   * one action (and every report: participant.view, the exports and prints):
--     audit_event_centre_action_idx;
--   * one participant: audit_event_participant_idx (a file's whole history is small);
--   * one staff member: audit_event_actor_idx (0001);
--   * refusals and failures are rare: audit_event_centre_refused_idx keeps them together.
create index audit_event_centre_idx on audit_event (centre_id, occurred_at desc, audit_event_id desc);
create index audit_event_centre_action_idx
    on audit_event (centre_id, action, occurred_at desc, audit_event_id desc);
create index audit_event_participant_idx
    on audit_event (participant_id, occurred_at desc, audit_event_id desc)
    where participant_id is not null;
create index audit_event_centre_refused_idx
    on audit_event (centre_id, occurred_at desc, audit_event_id desc)
    where outcome <> 'success';
