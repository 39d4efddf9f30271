-- Teczka schema, part 22: graduate follow-up (monitoring absolwentów, seed 002; issue 12).
--
-- The schedule stays in follow_up (one row per contact due, created at graduation from the
-- follow_up_rule in force that day). This part adds:
--   * to the rule, the centre's tolerance window around every due date, the interval of closer
--     contact, and how long the follow-up lasts (it ends by itself then);
--   * to the participant, the end of their follow-up (fixed at graduation from the rule) and
--     the date from which their situation needs closer contact;
--   * the kind of a due item (from the schedule, an extra contact the social worker added, or
--     one brought forward by closer contact) and the contact that fulfilled it;
--   * the contacts themselves, immutable once recorded: the effectiveness report reads them
--     "as at" a date (recorded_at ≤ that date), so a later contact never changes an earlier
--     report. A missed contact (could not reach) is a row with reached = false and fulfils
--     nothing.
--
-- Size: a graduate has ~8–12 items and a few contacts; 100,000 participants give ~1 million
-- items at most. Due lists read follow_up_due_idx (centre, open, by date) joined to the
-- participant by key; a graduate's timeline reads follow_up_contact_participant_idx.

alter table follow_up_rule
    add column window_days  integer not null default 14 check (window_days between 0 and 92),
    add column closer_days  integer not null default 30 check (closer_days between 7 and 183),
    add column lasts_months integer not null default 36 check (lasts_months between 1 and 60);

alter table participant
    add column follow_up_until date,
    add column follow_up_closer_since date;
update participant set follow_up_until = (ended_on + interval '36 months')::date
    where status = 'graduate' and ended_on is not null;

create type follow_up_kind as enum ('scheduled', 'extra', 'closer');
-- How the contact was made; "partner": information from a partner institution.
create type contact_form as enum ('visit', 'phone', 'letter', 'partner');
-- The partner institution: OPS, PUP, the municipal commission for alcohol problems (GKRPA),
-- other (named in partner_name).
create type contact_partner as enum ('ops', 'pup', 'gkrpa', 'other');
create type graduate_employment as enum (
    'employed', 'self_employed', 'social_cooperative', 'supported_employment',
    'registered_unemployed', 'not_working', 'unknown');
-- The contract of an employed graduate.
create type graduate_contract as enum ('permanent', 'fixed_term', 'mandate', 'specific_work', 'other');
create type skills_match as enum ('yes', 'partly', 'no', 'unknown');

create table follow_up_contact (
    follow_up_contact_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    centre_id      uuid not null references centre,
    contacted_on   date not null,
    reached        boolean not null,
    form           contact_form not null,
    partner        contact_partner,
    partner_name   text check (char_length(partner_name) <= 200),
    employment     graduate_employment,
    contract       graduate_contract,
    community      text not null default '' check (char_length(community) <= 4000),
    skills         text not null default '' check (char_length(skills) <= 4000),
    skills_match   skills_match,
    problems       text not null default '' check (char_length(problems) <= 4000),
    actions        text not null default '' check (char_length(actions) <= 4000),
    referred_to_ops boolean not null default false,
    recorded_by    uuid not null references staff_user,
    recorded_at    timestamptz not null default now(),
    constraint follow_up_contact_partner check ((form = 'partner') = (partner is not null)),
    constraint follow_up_contact_partner_named check (partner is distinct from 'other' or partner_name is not null),
    constraint follow_up_contact_reached check (reached or (employment is null and contract is null and skills_match is null)),
    constraint follow_up_contact_employment check (not reached or employment is not null),
    constraint follow_up_contact_contract check (contract is null or employment = 'employed')
);
create index follow_up_contact_participant_idx on follow_up_contact (participant_id, contacted_on desc);
create index follow_up_contact_centre_idx on follow_up_contact (centre_id, contacted_on);

alter table follow_up
    add column kind follow_up_kind not null default 'scheduled',
    add column follow_up_contact_id uuid references follow_up_contact,
    add column added_by uuid references staff_user,
    add column note text check (char_length(note) <= 500),
    add constraint follow_up_fulfilled check (follow_up_contact_id is null or contacted_on is not null);
create index follow_up_participant_idx on follow_up (participant_id, due_on);

-- Contacts are never changed or removed by the app (the report reads them "as at" a date).
revoke update, delete, truncate on follow_up_contact from teczka_app;
