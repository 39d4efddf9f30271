-- Teczka schema, part 18: the opinions that feed a participant's IPZS (opinions/). The
-- participant's social worker (or the manager) requests an opinion of one kind from a named
-- colleague of the matching role; that person writes it and signs it off. Who reads which is the
-- policy's field table (auth/policy/participants.rs); the database keeps what must never happen:
--   * an opinion is never deleted, and once signed off or withdrawn it never changes again (its
--     text, its dates, its author: frozen, dated and attributed);
--   * who it is about, who requested it, from whom and of which kind never change;
--   * a participant has at most one open (requested) opinion of each kind: requesting it again
--     withdraws the open one in the same transaction; signed-off ones stay as history (the
--     newest signed-off per kind is the current one);
--   * the author is active staff of the participant's centre whose role is the opinion's kind.
-- `revision` counts the saves of the draft (optimistic concurrency: a save names the revision
-- it was made from). Sections: a JSON array of [key, text] pairs, like document_version.

create type opinion_kind as enum ('psychologist', 'career_advisor', 'instructor');
create type opinion_status as enum ('requested', 'signed_off', 'withdrawn');

create table opinion (
    opinion_id     uuid primary key default gen_random_uuid(),
    centre_id      uuid not null references centre,
    participant_id uuid not null references participant,
    kind           opinion_kind not null,
    requested_by   uuid not null references staff_user,
    requested_at   timestamptz not null default now(),
    author_id      uuid not null references staff_user,
    status         opinion_status not null default 'requested',
    sections       jsonb not null default '[]' check (jsonb_typeof(sections) = 'array'),
    signed_off_at  timestamptz,
    withdrawn_at   timestamptz,
    withdrawn_by   uuid references staff_user,
    revision       integer not null default 1 check (revision >= 1),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint opinion_signed_off_dated check ((status = 'signed_off') = (signed_off_at is not null)),
    constraint opinion_withdrawn_dated
        check ((status = 'withdrawn') = (withdrawn_at is not null and withdrawn_by is not null))
);
create trigger opinion_updated_at before update on opinion for each row execute function set_updated_at();
create unique index opinion_one_open on opinion (participant_id, kind) where status = 'requested';
-- A participant's opinions with their history, newest first per kind.
create index opinion_participant_idx on opinion (participant_id, kind, requested_at desc);
-- "Opinie do napisania" on the author's Start.
create index opinion_open_author_idx on opinion (author_id, requested_at) where status = 'requested';

create function opinion_guard() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'an opinion is never deleted';
    end if;
    if tg_op = 'INSERT' then
        if not exists (select 1 from participant p
                       where p.participant_id = new.participant_id and p.centre_id = new.centre_id) then
            raise exception 'an opinion belongs to a participant of its centre';
        end if;
        if not exists (select 1 from staff_user u
                       where u.staff_user_id = new.author_id and u.centre_id = new.centre_id
                         and u.active and u.role::text = new.kind::text) then
            raise exception 'an opinion is written by active staff of its centre with the role of its kind';
        end if;
        return new;
    end if;
    if old.status <> 'requested' then
        raise exception 'opinion % is % and never changes again', old.opinion_id, old.status;
    end if;
    if new.opinion_id <> old.opinion_id or new.centre_id <> old.centre_id
       or new.participant_id <> old.participant_id or new.kind <> old.kind
       or new.requested_by <> old.requested_by or new.requested_at <> old.requested_at
       or new.author_id <> old.author_id or new.created_at <> old.created_at then
        raise exception 'who an opinion is about, by whom and for whom never changes';
    end if;
    return new;
end
$$;
create trigger opinion_guard before insert or update or delete on opinion
    for each row execute function opinion_guard();
revoke delete, truncate on opinion from teczka_app;

-- The opinions a centre requires before an IPZS is submitted (default: all three).
alter table centre add column required_opinions opinion_kind[] not null
    default '{psychologist,career_advisor,instructor}';
