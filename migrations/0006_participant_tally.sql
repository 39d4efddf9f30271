-- Teczka schema, part 6: how many participants each centre has in each status, kept by the
-- database itself.
--
-- The list shows "N uczestników" (up to "ponad 1000"). Counting a centre's whole list up to
-- its cap walked 1,001 index entries on every page of a manager's list at 100,000
-- participants, about two fifths of the page's statement (scripts/bench, README). The whole
-- list and the list of one status are sums of these rows instead. Statement-level triggers
-- with transition tables keep them exact for every write: a registration, a status change,
-- a COPY of the demo data (one update per statement, not per row), a deletion. Lists with
-- other filters still count their rows, up to the cap.

create table participant_tally (
    centre_id uuid not null references centre,
    status participant_status not null,
    n bigint not null,
    primary key (centre_id, status)
);

-- Rows are added in key order, so two writers that touch the same rows lock them in the same
-- order and cannot deadlock on them.
create function participant_tally_update() returns trigger
language plpgsql as $$
begin
    insert into participant_tally as t (centre_id, status, n)
    select centre_id, status, sum(delta)
    from (
        select centre_id, status, 1 as delta from new_rows
        union all
        select centre_id, status, -1 from old_rows
    ) changes
    group by centre_id, status
    having sum(delta) <> 0
    order by centre_id, status
    on conflict (centre_id, status) do update set n = t.n + excluded.n;
    return null;
end;
$$;

create function participant_tally_insert() returns trigger
language plpgsql as $$
begin
    insert into participant_tally as t (centre_id, status, n)
    select centre_id, status, count(*) from new_rows
    group by centre_id, status
    order by centre_id, status
    on conflict (centre_id, status) do update set n = t.n + excluded.n;
    return null;
end;
$$;

create function participant_tally_delete() returns trigger
language plpgsql as $$
begin
    update participant_tally t set n = t.n - gone.n
    from (select centre_id, status, count(*) as n from old_rows group by centre_id, status) gone
    where t.centre_id = gone.centre_id and t.status = gone.status;
    return null;
end;
$$;

create function participant_tally_truncate() returns trigger
language plpgsql as $$
begin
    delete from participant_tally;
    return null;
end;
$$;

create trigger participant_tally_insert after insert on participant
    referencing new table as new_rows
    for each statement execute function participant_tally_insert();
create trigger participant_tally_update after update on participant
    referencing old table as old_rows new table as new_rows
    for each statement execute function participant_tally_update();
create trigger participant_tally_delete after delete on participant
    referencing old table as old_rows
    for each statement execute function participant_tally_delete();
create trigger participant_tally_truncate after truncate on participant
    for each statement execute function participant_tally_truncate();

insert into participant_tally (centre_id, status, n)
select centre_id, status, count(*) from participant group by centre_id, status;
