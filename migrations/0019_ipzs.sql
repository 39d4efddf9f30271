-- Teczka schema, part 19: the IPZS on the document engine (src/ipzs/, src/documents/).
--
-- The programme's text lives in `document_version.sections` (part 5) like every approvable
-- document's; this part adds what the IPZS needs and the social contract will share:
--   * an amendment's reason and a draft's revision (optimistic concurrency of the edit form);
--   * the paper signatures' dates per version and party, who recorded them, and an optional scan
--     (kept in the database, so a backup holds it);
--   * segregation of duties in the database too: the author of a version never approves or
--     returns it;
--   * the monitoring and evaluation entries of a programme (seed 002), append-only, with the
--     effective-dated interval at which one is due.

alter table document_version
    add column reason   text check (char_length(reason) <= 2000),
    add column revision integer not null default 1 check (revision >= 1);

-- One IPZS at a time per participant (a closed one stays; a new admission starts a new one).
create unique index document_one_open_ipzs on document (participant_id)
    where kind = 'ipzs' and status <> 'closed';

-- Segregation of duties: the author of the version (its `created_by`) neither approves nor
-- returns it, whoever asks.
create function document_event_duties() returns trigger language plpgsql as $$
begin
    if new.step in ('approve', 'return') and exists (
        select 1 from document_version v
        where v.document_id = new.document_id and v.number = new.version
          and v.created_by = new.decided_by
    ) then
        raise exception 'the author of version % of document % may not %',
            new.version, new.document_id, new.step;
    end if;
    return new;
end
$$;
create trigger document_event_duties before insert on document_event
    for each row execute function document_event_duties();

create type signature_party as enum ('participant', 'manager');

-- The paper signatures of one version: the date each party signed, who recorded it and when.
create table document_signature (
    document_id uuid not null,
    version     integer not null,
    party       signature_party not null,
    centre_id   uuid not null references centre,
    signed_on   date not null,
    recorded_by uuid not null references staff_user,
    recorded_at timestamptz not null default now(),
    primary key (document_id, version, party),
    foreign key (document_id, version) references document_version
);
revoke update, delete on document_signature from teczka_app;

-- The scan of a signed version (PDF, JPEG or PNG, checked by its first bytes).
create table document_scan (
    document_scan_id uuid primary key default gen_random_uuid(),
    document_id uuid not null,
    version     integer not null,
    centre_id   uuid not null references centre,
    media_type  text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
    file_name   text not null check (char_length(file_name) between 1 and 200),
    content     bytea not null check (octet_length(content) between 1 and 10485760),
    uploaded_by uuid not null references staff_user,
    uploaded_at timestamptz not null default now(),
    foreign key (document_id, version) references document_version
);
create index document_scan_idx on document_scan (document_id, version, uploaded_at);
revoke update, delete on document_scan from teczka_app;

-- Monitoring and evaluation of a programme (seed 002): dated entries at the start, during and
-- at the end, with an assessment per goal of the version in force.
create type monitoring_phase as enum ('start', 'during', 'end');

create table ipzs_monitoring (
    ipzs_monitoring_id uuid primary key default gen_random_uuid(),
    document_id uuid not null references document,
    centre_id   uuid not null references centre,
    version     integer not null,
    phase       monitoring_phase not null,
    entry_on    date not null,
    situation   text not null check (char_length(situation) between 1 and 8000),
    -- [{"goal": "<section key>", "assessment": "approaching|not_approaching|changed", "comment": "…"}]
    goals       jsonb not null default '[]' check (jsonb_typeof(goals) = 'array'),
    author_id   uuid not null references staff_user,
    created_at  timestamptz not null default now()
);
create index ipzs_monitoring_idx on ipzs_monitoring (document_id, entry_on desc);
revoke update, delete on ipzs_monitoring from teczka_app;

-- How often a monitoring entry is due at least (seed 002: quarterly).
create table monitoring_rule (
    monitoring_rule_id uuid primary key default gen_random_uuid(),
    centre_id   uuid references centre,
    valid_from  date not null,
    months      integer not null check (months between 1 and 12),
    source      text not null,
    created_at  timestamptz not null default now(),
    constraint monitoring_rule_key unique nulls not distinct (centre_id, valid_from)
);
insert into monitoring_rule (centre_id, valid_from, months, source) values
    (null, '2003-06-13', 3,
     'standard usług CIS (monitorowanie i ewaluacja IPZS): co najmniej raz na kwartał');

-- The work lists: programmes in realization, per centre.
create index document_running_idx on document (centre_id, participant_id)
    where kind = 'ipzs' and status = 'in_realization';
