-- Teczka schema, part 34: when each running document's next monitoring entry is counted from.
--
-- The social worker's Start lists the IPZS and contracts whose next monitoring entry falls due
-- within two weeks or is overdue: at least every N months (the centre's effective-dated
-- setting, part 19) from the participant's first signature or the latest entry. Part 19 read
-- every running document of the caseload and its entries on every visit to find the few due
-- (3–4 ms a kind for a caseload of 49,000). The day the interval counts from is now kept per
-- document, here, and indexed, so the list reads only the documents due, in order, up to a cap.
--
-- It is the day counted from, not the due date: the interval is a setting that may change from
-- any day, and the due date follows it without rewriting a row.
--
-- A row exists exactly while the document is not closed and its participant has signed some
-- version; `since` is the later of the first participant signature and the latest monitoring
-- entry. Triggers keep it where that changes (a participant signature recorded, a monitoring
-- entry recorded, the document's status moved — closing it removes the row), recomputing the
-- row from those tables, so the order of the writes does not matter.

create table document_monitoring_since (
    document_id    uuid primary key references document,
    centre_id      uuid not null references centre,
    participant_id uuid not null references participant,
    kind           document_kind not null,
    since          date not null
);
-- The Start's read: one centre's documents of one kind, the longest waiting first.
create index document_monitoring_since_idx on document_monitoring_since (centre_id, kind, since, document_id);

create function document_monitoring_since_refresh(p_document uuid) returns void
language sql as $$
    delete from document_monitoring_since n
    where n.document_id = p_document
      and not exists (select 1 from document d where d.document_id = p_document and d.status <> 'closed'
                        and exists (select 1 from document_signature g
                                    where g.document_id = d.document_id and g.party = 'participant'));
    insert into document_monitoring_since (document_id, centre_id, participant_id, kind, since)
    select d.document_id, d.centre_id, d.participant_id, d.kind,
           greatest((select max(m.entry_on) from document_monitoring m where m.document_id = d.document_id),
                    s.signed_on)
    from document d
    cross join lateral (select min(g.signed_on) as signed_on from document_signature g
                        where g.document_id = d.document_id and g.party = 'participant') s
    where d.document_id = p_document and d.status <> 'closed' and s.signed_on is not null
    on conflict (document_id) do update set since = excluded.since
        where document_monitoring_since.since is distinct from excluded.since;
$$;

create function document_monitoring_since_touch() returns trigger language plpgsql as $$
begin
    perform document_monitoring_since_refresh(new.document_id);
    return null;
end
$$;

create trigger document_monitoring_since_signature after insert on document_signature
    for each row when (new.party = 'participant') execute function document_monitoring_since_touch();
create trigger document_monitoring_since_entry after insert or update of entry_on on document_monitoring
    for each row execute function document_monitoring_since_touch();
create trigger document_monitoring_since_status after update of status on document
    for each row when (old.status is distinct from new.status)
    execute function document_monitoring_since_touch();

-- The documents running today.
select document_monitoring_since_refresh(document_id) from document where status <> 'closed';
