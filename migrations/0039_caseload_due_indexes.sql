-- The participants' work on a social worker's Start (`participants::db::inbox::due`): trial
-- periods ending, participation ending, the reserve list waiting for an IPZS — each the
-- caseload's first five by date and a count capped at 101. The centre's indexes by date
-- (part 2 and later) serve the manager's view; for a caseload they were walked in date order
-- over every person of the centre, filtered by social worker: fast for a caseload of
-- thousands (its people come soon), 23 ms for a caseload of 60 in a centre of 100,000. These
-- put the social worker between the centre and the date, so a caseload of any size reads only
-- its own people, already in order.
create index participant_worker_trial_idx on participant (centre_id, social_worker_id, trial_ends_on, participant_id)
    where status = 'trial';
create index participant_worker_active_end_idx on participant (centre_id, social_worker_id, planned_end_on, participant_id)
    where status in ('trial', 'participant');
create index participant_worker_reserve_idx on participant (centre_id, social_worker_id, created_at, participant_id)
    where status = 'reserve';
