-- Teczka schema, part 10: whether a participant has a workshop now, kept on the participant
-- by the database.
--
-- "Uczestnicy bez pracowni" on the manager's Start page looked for active participants without
-- a current placement by walking every active participant and probing workshop_membership:
-- 42,000 probes at 100,000 participants when everyone had a workshop (1.6 s a page,
-- scripts/bench). The flag, kept exact by a statement trigger on workshop_membership (every
-- insert, end or removal of a placement, the demo's COPY included), lets a partial index hold
-- exactly the participants without a workshop, so the group reads only them.

alter table participant add column has_workshop boolean not null default false;

update participant p set has_workshop = true
where exists (select 1 from workshop_membership m
              where m.participant_id = p.participant_id and m.member_until is null);

create function participant_has_workshop_sync() returns trigger
language plpgsql as $$
begin
    update participant p
    set has_workshop = exists (select 1 from workshop_membership m
                               where m.participant_id = p.participant_id and m.member_until is null)
    where p.participant_id in (select participant_id from changed_rows);
    return null;
end;
$$;

create trigger workshop_membership_insert_sync after insert on workshop_membership
    referencing new table as changed_rows
    for each statement execute function participant_has_workshop_sync();
create trigger workshop_membership_update_sync after update on workshop_membership
    referencing new table as changed_rows
    for each statement execute function participant_has_workshop_sync();
create trigger workshop_membership_delete_sync after delete on workshop_membership
    referencing old table as changed_rows
    for each statement execute function participant_has_workshop_sync();

create index participant_no_workshop_idx on participant (centre_id, admitted_on, participant_id)
    where status in ('trial', 'participant') and not has_workshop;
