-- Teczka schema, part 20: the social contract (kontrakt socjalny, seed 001) on the document
-- engine (src/contracts/, src/documents/).
--
-- Part I's text lives in `document_version.sections` like every approvable document's; its
-- amendments are the engine's versions. This part adds:
--   * the link of a renewal to the contract it follows (new specific goals need a new, full
--     contract, never an edit of a signed one);
--   * at most one contract in realization per participant;
--   * the monitoring entries shared by both kinds (the IPZS's table, renamed): the contract's
--     quarterly note (the course so far, further actions, changes) in the same rows;
--   * the realization log: actions taken, referrals, benefit applications, group meetings;
--   * Part II, the evaluation: written by the social worker, approved by someone else (the
--     manager), then frozen.

alter table document add column follows uuid references document;
-- A contract is renewed once (its continuation may itself be renewed).
create unique index document_follows_idx on document (follows) where follows is not null;

create unique index document_one_running_contract on document (participant_id)
    where kind = 'social_contract' and status = 'in_realization';
create index document_contract_idx on document (centre_id, participant_id)
    where kind = 'social_contract' and status <> 'closed';

-- One table of monitoring entries for every kind of document.
alter table ipzs_monitoring rename to document_monitoring;
alter table document_monitoring rename column ipzs_monitoring_id to document_monitoring_id;
alter index ipzs_monitoring_idx rename to document_monitoring_idx;
alter table document_monitoring
    add column planned text check (char_length(planned) <= 8000),
    add column changes text check (char_length(changes) <= 8000);

-- What the social worker records while a contract runs (seed 001, part V).
create type contract_record_kind as enum ('action', 'referral', 'benefit_application', 'group_meeting');
create type action_result as enum ('done', 'partly', 'not_done');

create table contract_record (
    contract_record_id uuid primary key default gen_random_uuid(),
    document_id  uuid not null references document,
    centre_id    uuid not null references centre,
    kind         contract_record_kind not null,
    happened_on  date not null,
    description  text not null check (char_length(description) between 1 and 4000),
    -- An action: the planned action's number in the version in force (optional) and its result.
    planned_action integer check (planned_action between 1 and 30),
    result       action_result,
    -- A referral: its type and to whom; a benefit application: the benefit.
    record_type  text check (char_length(record_type) <= 200),
    addressee    text check (char_length(addressee) <= 300),
    author_id    uuid not null references staff_user,
    created_at   timestamptz not null default now(),
    constraint contract_record_action check ((kind = 'action') = (result is not null)),
    constraint contract_record_planned check (kind = 'action' or planned_action is null)
);
create index contract_record_idx on contract_record (document_id, happened_on desc);
revoke update, delete on contract_record from teczka_app;

-- Part II: the evaluation of a contract at its end (seed 001, part VI).
create type contract_outcome as enum ('positive', 'broken', 'new_goals');

create table contract_evaluation (
    document_id  uuid primary key references document,
    centre_id    uuid not null references centre,
    status       document_status not null default 'draft'
        check (status in ('draft', 'submitted', 'approved')),
    outcome      contract_outcome not null,
    evaluated_on date not null,
    gained       text not null check (char_length(gained) between 1 and 8000),
    towards_goal text not null check (char_length(towards_goal) between 1 and 8000),
    revision     integer not null default 1 check (revision >= 1),
    author_id    uuid not null references staff_user,
    approved_by  uuid references staff_user,
    approved_at  timestamptz,
    updated_at   timestamptz not null default now(),
    -- Segregation of duties: whoever wrote the evaluation does not approve it.
    constraint contract_evaluation_duties check (approved_by is null or approved_by <> author_id),
    constraint contract_evaluation_approved check ((status = 'approved') = (approved_by is not null))
);
revoke delete on contract_evaluation from teczka_app;

create function contract_evaluation_guard() returns trigger language plpgsql as $$
begin
    if old.status = 'approved' then
        raise exception 'the evaluation of document % is approved and frozen', old.document_id;
    end if;
    return new;
end
$$;
create trigger contract_evaluation_guard before update on contract_evaluation
    for each row execute function contract_evaluation_guard();

-- The work lists: running contracts and programmes, per centre.
drop index document_running_idx;
create index document_running_idx on document (centre_id, kind, participant_id)
    where status = 'in_realization';
