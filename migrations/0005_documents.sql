-- Teczka schema, part 5: the document engine (src/documents/). An approvable document (the
-- IPZS, the social contract) belongs to one participant, has a status, an append-only list of
-- versions (an amendment is a new version) and a history of every workflow step. The kinds add
-- their own tables as their issues arrive; nothing here shows on screen yet.
--
-- Invariants the database keeps as well as the code: a version approved or later is frozen (its
-- text never changes and it never becomes editable again), no version and no history row is ever
-- deleted, and a document's status moves only by a guarded update (`where status = <from>`).

create type document_kind as enum ('ipzs', 'social_contract');
create type document_status as enum ('draft', 'submitted', 'approved', 'signed', 'in_realization', 'closed');

create table document (
    document_id     uuid primary key default gen_random_uuid(),
    centre_id       uuid not null references centre,
    participant_id  uuid not null references participant,
    kind            document_kind not null,
    status          document_status not null default 'draft',
    current_version integer not null default 1 check (current_version >= 1),
    author_id       uuid not null references staff_user,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create trigger document_updated_at before update on document for each row execute function set_updated_at();
create index document_participant_idx on document (participant_id, kind, created_at);
-- Documents waiting for someone's step (the work lists of the next issues).
create index document_waiting_idx on document (centre_id, status, updated_at)
    where status in ('submitted', 'approved');

-- Sections: a JSON array of [key, text] pairs, in the document's order.
create table document_version (
    document_id uuid not null references document,
    number      integer not null check (number >= 1),
    based_on    integer,
    status      document_status not null default 'draft',
    sections    jsonb not null default '[]' check (jsonb_typeof(sections) = 'array'),
    created_by  uuid not null references staff_user,
    created_at  timestamptz not null default now(),
    primary key (document_id, number),
    constraint document_version_based_on check (based_on is null or based_on < number)
);

create function document_version_guard() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'a document version is never deleted';
    end if;
    if old.status in ('approved', 'signed', 'in_realization', 'closed') then
        if new.sections is distinct from old.sections or new.number <> old.number
           or new.document_id <> old.document_id or new.based_on is distinct from old.based_on then
            raise exception 'version % of document % is frozen', old.number, old.document_id;
        end if;
        if new.status in ('draft', 'submitted') then
            raise exception 'a frozen version never becomes editable again';
        end if;
    end if;
    return new;
end
$$;
create trigger document_version_guard before update or delete on document_version
    for each row execute function document_version_guard();

-- Every step taken on a document, in order: who, when, on which version, from, to, why.
create table document_event (
    document_event_id uuid primary key default gen_random_uuid(),
    document_id uuid not null references document,
    centre_id   uuid not null references centre,
    version     integer not null,
    step        text not null,
    from_status document_status not null,
    to_status   document_status not null,
    comment     text check (char_length(comment) <= 4000),
    decided_by  uuid not null references staff_user,
    occurred_at timestamptz not null default now()
);
create index document_event_idx on document_event (document_id, occurred_at);
revoke update, delete on document_event from teczka_app;
