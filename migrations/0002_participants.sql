-- Teczka schema, part 2: participants, their lifecycle, recruitment file, workshops (minimal:
-- membership drives the instructor's scope), participation rules and the follow-up schedule.
--
-- Index design (the list, search and file page must stay fast at 100,000+ participants; see
-- PERFORMANCE.md and scripts/bench):
--   * Lists page with keyset pagination, never OFFSET. Each sort order has an index whose
--     columns are exactly the ORDER BY, led by centre_id, so page N costs the same as page 1:
--       participant_name_idx        (centre_id, surname, first_names, participant_id)  - A–Z
--       participant_status_name_idx (centre_id, status, surname, first_names, participant_id)
--       participant_worker_name_idx (centre_id, social_worker_id, surname, first_names, participant_id)
--       participant_created_idx     (centre_id, created_at desc, participant_id desc) - newest
--       participant_planned_end_idx (centre_id, planned_end_on, participant_id) - ending soonest
--     surname/first_names carry the ICU Polish collation, so the A–Z order is Polish (Ł after L)
--     and the index serves it.
--   * Search is a prefix range (lower(x) >= 'kowal' and < 'kowam') on byte-order (COLLATE "C")
--     lower-case expression indexes: participant_surname_search_idx and
--     participant_first_names_search_idx. ILIKE '%x%' would scan the table.
--   * PESEL is stored COLLATE "C"; the unique index participant_pesel_key (centre_id, pesel)
--     both refuses a second registration in the centre and serves PESEL-prefix search.
--   * The file page reads by primary key; its history, documents, extensions and follow-ups by
--     (participant_id, ...) indexes; the "who viewed this file" panel by
--     audit_event_file_view_idx.

create type participant_status as enum ('candidate', 'reserve', 'trial', 'participant', 'graduate', 'terminated');
create type eligibility_category as enum (
    'homeless', 'alcohol', 'drugs', 'mental_illness', 'long_term_unemployed', 'prison', 'refugee', 'disability', 'other'
);
create type referral_applicant as enum ('person', 'ops', 'pcpr', 'addiction_facility', 'ngo', 'kis');
create type referral_referrer as enum ('ops', 'pup');
create type recruitment_document_kind as enum (
    'recruitment_survey', 'gdpr_consent', 'participation_declaration', 'personal_data_card',
    'eligibility_statement', 'environmental_interview'
);
create type graduation_outcome as enum ('employment', 'own_business', 'period_elapsed');
create type employment_contract as enum ('permanent', 'fixed_term', 'supported_employment', 'social_cooperative');
create type termination_reason as enum ('persistent_violation', 'left_permanently', 'withdrawal');

-- Effective-dated participation rules (LAW.md "Time"): the rule in force on the admission date
-- applies; a centre may override the installation default (centre_id null).
create table participation_rule (
    participation_rule_id uuid primary key default gen_random_uuid(),
    centre_id      uuid references centre,
    valid_from     date not null,
    trial_months   integer not null check (trial_months between 0 and 12),
    base_months    integer not null check (base_months between 1 and 60),
    cap_months     integer not null check (cap_months between 1 and 120),
    source         text not null,
    created_at     timestamptz not null default now(),
    constraint participation_rule_base_within_cap check (base_months <= cap_months),
    constraint participation_rule_key unique nulls not distinct (centre_id, valid_from)
);
insert into participation_rule (centre_id, valid_from, trial_months, base_months, cap_months, source) values
    (null, '2003-06-13', 1, 11, 18, 'ustawa z 13 czerwca 2003 r. o zatrudnieniu socjalnym, art. 13 (brzmienie sprzed 15.02.2022)'),
    (null, '2022-02-15', 1, 11, 24, 'ustawa o zatrudnieniu socjalnym, art. 13 (Dz.U. 2022 poz. 218; t.j. Dz.U. 2025 poz. 83)');

create table participant (
    participant_id       uuid primary key default gen_random_uuid(),
    centre_id            uuid not null references centre,
    surname              text collate "pl-PL-x-icu" not null check (char_length(surname) between 1 and 100),
    first_names          text collate "pl-PL-x-icu" not null check (char_length(first_names) between 1 and 100),
    pesel                text collate "C" check (pesel ~ '^[0-9]{11}$'),
    birth_date           date not null,
    sex                  char(1) check (sex in ('K', 'M')),
    -- A person without PESEL (e.g. a refugee) is identified by a document number instead.
    id_document          text check (char_length(id_document) <= 50),
    address_street       text not null default '' check (char_length(address_street) <= 200),
    address_postal_code  text not null default '' check (address_postal_code = '' or address_postal_code ~ '^[0-9]{2}-[0-9]{3}$'),
    address_city         text not null default '' check (char_length(address_city) <= 100),
    -- The OPS responsible for the place of residence (it refers the person and agrees to admission).
    responsible_ops      text not null default '' check (char_length(responsible_ops) <= 200),
    phone                text check (char_length(phone) <= 30),
    categories           eligibility_category[] not null check (cardinality(categories) >= 1),
    category_other       text check (char_length(category_other) <= 500),
    -- Art. 1 ust. 3: no unemployment benefit, pension or similar entitlement (date of the declaration).
    no_exclusion_declared_on date not null,
    applicant            referral_applicant not null,
    applicant_institution text check (char_length(applicant_institution) <= 200),
    referrer             referral_referrer not null,
    referrer_institution text not null check (char_length(referrer_institution) between 1 and 200),
    referral_date        date not null,
    consent_date         date not null,
    consent_scope        text not null check (char_length(consent_scope) between 1 and 1000),
    social_worker_id     uuid references staff_user,
    status               participant_status not null default 'candidate',
    admitted_on          date,
    ops_agreement_name   text check (char_length(ops_agreement_name) <= 200),
    ops_agreement_date   date,
    trial_ends_on        date,
    planned_end_on       date,
    cap_end_on           date,
    ended_on             date,
    graduation_outcome   graduation_outcome,
    employment_contract  employment_contract,
    termination_reason   termination_reason,
    created_by           uuid references staff_user,
    version              integer not null default 0,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint participant_identified check (pesel is not null or id_document is not null),
    constraint participant_other_described check (not ('other' = any(categories)) or category_other is not null),
    constraint participant_pesel_key unique (centre_id, pesel)
);
create trigger participant_updated_at before update on participant for each row execute function set_updated_at();
create index participant_name_idx on participant (centre_id, surname, first_names, participant_id);
create index participant_status_name_idx on participant (centre_id, status, surname, first_names, participant_id);
create index participant_worker_name_idx on participant (centre_id, social_worker_id, surname, first_names, participant_id);
create index participant_created_idx on participant (centre_id, created_at desc, participant_id desc);
create index participant_planned_end_idx on participant (centre_id, planned_end_on, participant_id);
create index participant_surname_search_idx on participant (centre_id, (lower(surname) collate "C"), participant_id);
create index participant_first_names_search_idx on participant (centre_id, (lower(first_names) collate "C"), participant_id);

-- Every status change, in order (who, when, from, to, reason).
create table participant_status_change (
    participant_status_change_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    centre_id      uuid not null references centre,
    from_status    participant_status,
    to_status      participant_status not null,
    changed_on     date not null,
    reason         text check (char_length(reason) <= 2000),
    decided_by     uuid references staff_user,
    recorded_at    timestamptz not null default now()
);
create index participant_status_change_idx on participant_status_change (participant_id, recorded_at);

-- Extension decisions (who decided, why, the new planned end).
create table participation_extension (
    participation_extension_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    centre_id      uuid not null references centre,
    decided_on     date not null,
    decided_by     uuid not null references staff_user,
    reason         text not null check (char_length(reason) between 1 and 2000),
    previous_end_on date not null,
    new_end_on     date not null check (new_end_on > previous_end_on),
    recorded_at    timestamptz not null default now()
);
create index participation_extension_idx on participation_extension (participant_id, recorded_at);

-- The recruitment file: each document is a dated record with its author and a short content.
create table recruitment_document (
    recruitment_document_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    centre_id      uuid not null references centre,
    kind           recruitment_document_kind not null,
    document_date  date not null,
    content        text not null check (char_length(content) between 1 and 4000),
    author_id      uuid not null references staff_user,
    created_at     timestamptz not null default now()
);
create index recruitment_document_idx on recruitment_document (participant_id, kind, document_date);

-- Workshops (pracownie). The workshop screens come later; membership already defines which
-- participants an instructor may see.
create table workshop (
    workshop_id   uuid primary key default gen_random_uuid(),
    centre_id     uuid not null references centre,
    name          text not null check (char_length(name) between 1 and 100),
    instructor_id uuid references staff_user,
    created_at    timestamptz not null default now(),
    constraint workshop_name_key unique (centre_id, name)
);
create table workshop_membership (
    workshop_membership_id uuid primary key default gen_random_uuid(),
    workshop_id    uuid not null references workshop,
    participant_id uuid not null references participant on delete cascade,
    centre_id      uuid not null references centre,
    member_from    date not null,
    member_until   date,
    constraint workshop_membership_dates check (member_until is null or member_until >= member_from)
);
-- At most one open membership per participant.
create unique index workshop_membership_current_key on workshop_membership (participant_id) where member_until is null;
create index workshop_membership_workshop_idx on workshop_membership (workshop_id, participant_id) where member_until is null;

-- The 3-year graduate follow-up schedule, created at graduation (screens come later).
create table follow_up (
    follow_up_id   uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    centre_id      uuid not null references centre,
    sequence       integer not null,
    due_on         date not null,
    contacted_on   date,
    created_at     timestamptz not null default now(),
    constraint follow_up_sequence_key unique (participant_id, sequence)
);
create index follow_up_due_idx on follow_up (centre_id, due_on) where contacted_on is null;

-- "Who viewed this file": exactly the rows the panel lists, in the order it lists them, so the
-- latest 50 are read straight from the index however often the file has been opened.
create index audit_event_file_view_idx on audit_event (participant_id, occurred_at desc)
    where action = 'participant.view' and outcome = 'success';

-- The "who viewed this file" panel. The app role may not read audit_event itself; this function
-- (run with its owner's rights) returns only the latest views of one participant of one centre.
create function participant_file_views(p_participant uuid, p_centre uuid)
returns table (occurred_at timestamptz, viewer text, actor_role staff_role, detail text)
language sql stable security definer set search_path = public, pg_temp as $$
    select a.occurred_at, u.full_name, a.actor_role, a.detail
    from audit_event a left join staff_user u on u.staff_user_id = a.actor_id
    where a.participant_id = p_participant and a.action = 'participant.view' and a.outcome = 'success'
      and exists (select 1 from participant p where p.participant_id = p_participant and p.centre_id = p_centre)
    order by a.occurred_at desc
    limit 50
$$;
revoke all on function participant_file_views(uuid, uuid) from public;
grant execute on function participant_file_views(uuid, uuid) to teczka_app;
