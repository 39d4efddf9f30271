-- Teczka schema, part 8: the read paths of "Do zrobienia" on the home page (the work due on
-- participants, participants/db/inbox.rs). Each group reads its first rows in the order it
-- shows them and counts up to its cap from one of these partial indexes, so the manager's
-- Start page costs the same at 100 participants and at 100,000 (scripts/bench).

-- Trial periods ending soonest.
create index participant_trial_end_idx on participant (centre_id, trial_ends_on, participant_id)
    where status = 'trial';
-- The reserve list and the candidates without a social worker, longest waiting first.
create index participant_reserve_idx on participant (centre_id, created_at, participant_id)
    where status = 'reserve';
create index participant_unassigned_idx on participant (centre_id, created_at, participant_id)
    where status = 'candidate' and social_worker_id is null;
-- (Participants without a workshop: migration 0010.)
