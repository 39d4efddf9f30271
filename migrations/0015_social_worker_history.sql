-- Teczka schema, part 15: the history of a file's social workers. Every assignment and
-- reassignment (one file's, or several at once from the list) writes a row in the same
-- statement as the change: who looked after the person before, who does now, who decided and
-- when. Rows are never changed or removed. The file's timeline shows them to the readers of
-- the status history.
create table social_worker_change (
    social_worker_change_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant,
    centre_id      uuid not null references centre,
    from_worker    uuid references staff_user,
    to_worker      uuid not null references staff_user,
    changed_by     uuid not null references staff_user,
    changed_at     timestamptz not null default now()
);
create index social_worker_change_idx on social_worker_change (participant_id, changed_at);
revoke update, delete, truncate on social_worker_change from teczka_app;
