-- Teczka schema, part 21: workshops with their instructors and weekly programme, the centre's
-- calendar, attendance in hours per participant and day, the benefit parameters (LAW.md
-- "Integration benefit"), and the monthly close with its frozen statements, bonus decisions
-- and corrections (issue 11).
--
-- Attendance at size. One row per participant and day: 50 centres × 200 participants at a time
-- × 5 years × ~250 working days is ~12.5 million rows. The primary key (participant_id, day)
-- is the only index, and every read goes through it:
--   * one participant's month: one range scan of the key;
--   * a group's day or month grid: the group's members (≤ 30, from workshop_membership) each
--     probe the key for the day or the month's range;
--   * a centre's monthly close: its participants of the month (≤ 200) each scan their month.
-- No read scans by centre or by date alone, so no second index is kept up on every insert.
-- Rows are narrow (status as a one-byte code, minutes as smallint) so the key's pages stay
-- dense. A group's save is one insert … on conflict statement; closing or exporting a month
-- takes no lock on attendance rows: a write takes a shared transaction-level advisory lock
-- keyed by its centre and month, and the close takes that one key exclusively while it
-- freezes, so a save never lands in a month being closed, and one centre's close never waits
-- for, nor holds up, another centre's attendance entry.

-- Several instructors per workshop (the single instructor_id column moves here).
create table workshop_instructor (
    workshop_id   uuid not null references workshop on delete cascade,
    staff_user_id uuid not null references staff_user,
    centre_id     uuid not null references centre,
    primary key (workshop_id, staff_user_id)
);
create index workshop_instructor_staff_idx on workshop_instructor (staff_user_id, workshop_id);
insert into workshop_instructor (workshop_id, staff_user_id, centre_id)
    select workshop_id, instructor_id, centre_id from workshop where instructor_id is not null;
alter table workshop drop column instructor_id;
alter table workshop add column active boolean not null default true;
-- Past memberships too: a month grid of an earlier month lists who was a member then.
create index workshop_membership_dates_idx on workshop_membership (workshop_id, member_from, participant_id);

-- Kinds of activities (art. 14: the head sets the monthly programme of activities). The
-- installation's five (centre_id null); a centre may add its own.
create table activity_type (
    activity_type_id uuid primary key default gen_random_uuid(),
    centre_id      uuid references centre,
    code           text not null check (code ~ '^[a-z0-9_]{1,40}$'),
    name           text not null check (char_length(name) between 1 and 100),
    group_activity boolean not null,
    constraint activity_type_key unique nulls not distinct (centre_id, code)
);
insert into activity_type (centre_id, code, name, group_activity) values
    (null, 'workshop', 'Zajęcia w pracowni', true),
    (null, 'counselling', 'Poradnictwo grupowe', true),
    (null, 'self_help', 'Grupa samopomocowa', true),
    (null, 'individual', 'Zajęcia indywidualne', false),
    (null, 'pai', 'Zajęcia grupowe PAI', true);

-- The workshop's weekly programme, in force from the first day of a month until the next one:
-- minutes of each activity on each weekday (1 = Monday … 5 = Friday). The planned hours of a
-- day, pre-filled in attendance, are the sum of that weekday's rows.
create table activity_plan (
    workshop_id      uuid not null references workshop on delete cascade,
    centre_id        uuid not null references centre,
    valid_from       date not null check (extract(day from valid_from) = 1),
    weekday          smallint not null check (weekday between 1 and 7),
    activity_type_id uuid not null references activity_type,
    minutes          smallint not null check (minutes between 15 and 720),
    primary key (workshop_id, valid_from, weekday, activity_type_id)
);

-- The participant's own limits (art. 14 ust. 1: for a significant or moderate disability the
-- rehabilitation act's limits apply) and the programme type (PAI: seed 003, at least 10 hours
-- of group activities a week).
alter table participant
    add column daily_limit_minutes smallint check (daily_limit_minutes between 60 and 720),
    add column weekly_limit_minutes smallint check (weekly_limit_minutes between 300 and 2400),
    add column pai boolean not null default false;

-- Days the centre is closed besides public holidays (computed in code: domain::calendar).
create table centre_closed_day (
    centre_id  uuid not null references centre,
    day        date not null,
    reason     text not null check (char_length(reason) between 1 and 200),
    created_by uuid not null references staff_user,
    created_at timestamptz not null default now(),
    primary key (centre_id, day)
);

-- Other justified absences: the installation's dictionary.
create table absence_reason (
    code text primary key check (code ~ '^[a-z_]{1,40}$'),
    name text not null,
    sort smallint not null
);
insert into absence_reason (code, name, sort) values
    ('family_care', 'Opieka nad członkiem rodziny', 1),
    ('summons', 'Wezwanie do sądu, prokuratury lub urzędu', 2),
    ('medical', 'Badanie lekarskie lub leczenie bez zwolnienia', 3),
    ('bereavement', 'Śmierć lub pogrzeb bliskiej osoby', 4),
    ('job_interview', 'Rozmowa o pracę lub staż', 5),
    ('other', 'Inna przyczyna uznana przez kierownika', 6);

-- Attendance: status codes p present, s sick leave (zwolnienie lekarskie), j other justified
-- (with a reason), u unjustified, o day off. Minutes: hours present (0 for an absence).
create table attendance (
    participant_id uuid not null references participant on delete cascade,
    day            date not null,
    centre_id      uuid not null references centre,
    workshop_id    uuid references workshop,
    status         "char" not null check (status in ('p', 's', 'j', 'u', 'o')),
    minutes        smallint not null check (minutes between 0 and 1440),
    reason         text references absence_reason,
    recorded_by    uuid not null references staff_user,
    recorded_at    timestamptz not null default now(),
    corrected      boolean not null default false,
    primary key (participant_id, day),
    constraint attendance_minutes_present check (status = 'p' or minutes = 0),
    constraint attendance_reason check ((status = 'j') = (reason is not null))
);


-- The months in which a centre recorded attendance, kept by a statement trigger on every
-- insert (whoever writes): the manager's months to close are found here, never by scanning
-- attendance by centre.
create table attendance_month (
    centre_id uuid not null references centre,
    month     date not null check (extract(day from month) = 1),
    primary key (centre_id, month)
);
create function attendance_month_sync() returns trigger
language plpgsql as $$
begin
    insert into attendance_month (centre_id, month)
    select distinct centre_id, date_trunc('month', day)::date from new_rows
    on conflict do nothing;
    return null;
end $$;
create trigger attendance_month_insert after insert on attendance
    referencing new table as new_rows
    for each statement execute function attendance_month_sync();

-- A correction after the day (or of a reopened month): what it was, what it became, and why.
create table attendance_change (
    attendance_change_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    day            date not null,
    centre_id      uuid not null references centre,
    old_status     "char",
    old_minutes    smallint,
    new_status     "char" not null,
    new_minutes    smallint not null,
    reason         text not null check (char_length(reason) between 1 and 500),
    changed_by     uuid not null references staff_user,
    changed_at     timestamptz not null default now()
);
create index attendance_change_idx on attendance_change (participant_id, day);

-- The unemployment benefit (zasiłek dla bezrobotnych, the basic amount for the first 90 days):
-- the base of the integration benefit, revalued every 1 June by the minister's notice. The
-- installation ships the known amounts; a centre's manager adds the next one (centre_id set)
-- when the notice is published.
create table unemployment_benefit (
    unemployment_benefit_id uuid primary key default gen_random_uuid(),
    centre_id     uuid references centre,
    valid_from    date not null,
    amount_grosze integer not null check (amount_grosze between 10000 and 10000000),
    source        text not null check (char_length(source) between 1 and 500),
    created_by    uuid references staff_user,
    created_at    timestamptz not null default now(),
    constraint unemployment_benefit_key unique nulls not distinct (centre_id, valid_from)
);
insert into unemployment_benefit (centre_id, valid_from, amount_grosze, source) values
    (null, '2021-06-01', 124080, 'Obwieszczenie Ministra Rozwoju, Pracy i Technologii w sprawie wysokości zasiłku dla bezrobotnych – od 1 czerwca 2021 r.'),
    (null, '2022-06-01', 130410, 'Obwieszczenie Ministra Rodziny i Polityki Społecznej w sprawie wysokości zasiłku dla bezrobotnych (M.P. 2022 poz. 486) – od 1 czerwca 2022 r.'),
    (null, '2023-06-01', 149190, 'Obwieszczenie Ministra Rodziny i Polityki Społecznej w sprawie wysokości zasiłku dla bezrobotnych – od 1 czerwca 2023 r.'),
    (null, '2024-06-01', 166200, 'Obwieszczenie Ministra Rodziny, Pracy i Polityki Społecznej w sprawie wysokości zasiłku dla bezrobotnych – od 1 czerwca 2024 r.'),
    (null, '2025-06-01', 172190, 'Obwieszczenie Ministra Rodziny, Pracy i Polityki Społecznej z 19 maja 2025 r. w sprawie wysokości zasiłku dla bezrobotnych – od 1 czerwca 2025 r.');

-- The benefit rules (LAW.md): fractions are per day of the monthly base. The 2022 reform
-- (Dz.U. 2022 poz. 218, in force 15 February 2022) changed the percentage, the days off and
-- the bonus cap; both rows ship.
create table benefit_rule (
    benefit_rule_id        uuid primary key default gen_random_uuid(),
    centre_id              uuid references centre,
    valid_from             date not null,
    base_percent           smallint not null check (base_percent between 1 and 500),
    days_off_allowance     smallint not null check (days_off_allowance between 0 and 60),
    unjustified_num        smallint not null check (unjustified_num >= 0),
    unjustified_den        smallint not null check (unjustified_den > 0),
    forfeit_after          smallint not null check (forfeit_after between 0 and 31),
    sick_num               smallint not null check (sick_num >= 0),
    sick_den               smallint not null check (sick_den > 0),
    sick_day_limit         smallint not null check (sick_day_limit between 0 and 31),
    other_num              smallint not null check (other_num >= 0),
    other_den              smallint not null check (other_den > 0),
    other_day_limit        smallint check (other_day_limit between 0 and 31),
    proration_den          smallint not null check (proration_den between 0 and 31),
    bonus_cap_percent      smallint not null check (bonus_cap_percent between 0 and 500),
    bonus_in_trial         boolean not null,
    pai_min_weekly_minutes smallint not null check (pai_min_weekly_minutes between 0 and 2400),
    source                 text not null check (char_length(source) between 1 and 1000),
    created_by             uuid references staff_user,
    created_at             timestamptz not null default now(),
    constraint benefit_rule_key unique nulls not distinct (centre_id, valid_from),
    constraint benefit_rule_fractions check (unjustified_num <= unjustified_den and sick_num <= sick_den and other_num <= other_den)
);
insert into benefit_rule (centre_id, valid_from, base_percent, days_off_allowance, unjustified_num,
        unjustified_den, forfeit_after, sick_num, sick_den, sick_day_limit, other_num, other_den,
        other_day_limit, proration_den, bonus_cap_percent, bonus_in_trial, pai_min_weekly_minutes, source) values
    (null, '2003-06-13', 100, 6, 1, 20, 3, 1, 40, 14, 0, 1, null, 30, 20, false, 600,
     'ustawa z 13 czerwca 2003 r. o zatrudnieniu socjalnym przed nowelizacją z 2022 r.: art. 15 (100% zasiłku dla bezrobotnych, 6 dni wolnych), art. 15a (premia do 20% świadczenia); potrącenia 1/20 za dzień nieusprawiedliwionej nieobecności, utrata świadczenia po więcej niż 3 dniach, zwolnienie lekarskie 1/40 do 14 dni, proporcja 1/30 za dzień – praktyka CIS'),
    (null, '2022-02-15', 120, 12, 1, 20, 3, 1, 40, 14, 0, 1, null, 30, 100, false, 600,
     'ustawa o zatrudnieniu socjalnym (Dz.U. 2025 poz. 83) po nowelizacji Dz.U. 2022 poz. 218: art. 15 (120% zasiłku dla bezrobotnych, 12 dni wolnych), art. 15 ust. 7a (zwolnienie lekarskie), art. 15a (premia motywacyjna do 100% świadczenia, nie w okresie próbnym); potrącenia 1/20 za dzień nieusprawiedliwionej nieobecności, utrata świadczenia po więcej niż 3 dniach, zwolnienie lekarskie 1/40 do 14 dni, proporcja 1/30 za dzień – praktyka CIS; PAI co najmniej 10 godzin zajęć grupowych tygodniowo (seed 003)');

-- The month of a centre: absent = open. Closing freezes the statements (revision n); a reopen
-- (with its reason) lets attendance change again; the next close writes revision n + 1 and a
-- correction for every participant whose amounts differ.
create table benefit_month (
    centre_id     uuid not null references centre,
    month         date not null check (extract(day from month) = 1),
    closed        boolean not null,
    revision      integer not null check (revision >= 1),
    closed_by     uuid not null references staff_user,
    closed_at     timestamptz not null,
    reopened_by   uuid references staff_user,
    reopened_at   timestamptz,
    reopen_reason text check (char_length(reopen_reason) <= 500),
    primary key (centre_id, month)
);

-- A participant's frozen statement of a closed month: the amounts and the explanation.
create table benefit_statement (
    participant_id uuid not null references participant on delete cascade,
    month          date not null,
    revision       integer not null,
    centre_id      uuid not null references centre,
    base_grosze    integer not null,
    benefit_grosze integer not null check (benefit_grosze >= 0),
    bonus_grosze   integer not null check (bonus_grosze >= 0),
    explanation    jsonb not null,
    created_at     timestamptz not null default now(),
    primary key (participant_id, month, revision)
);
create index benefit_statement_month_idx on benefit_statement (centre_id, month, revision);

-- A motivational bonus decision (art. 15a): proposed by a staff member with a justification,
-- decided by the manager.
create table bonus_decision (
    bonus_decision_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    month          date not null check (extract(day from month) = 1),
    centre_id      uuid not null references centre,
    amount_grosze  integer not null check (amount_grosze >= 0),
    justification  text not null check (char_length(justification) between 1 and 2000),
    proposed_by    uuid not null references staff_user,
    granted        boolean not null,
    decided_by     uuid not null references staff_user,
    decided_at     timestamptz not null default now(),
    constraint bonus_decision_key unique (participant_id, month)
);
create index bonus_decision_month_idx on bonus_decision (centre_id, month);

-- A difference found when a closed month was closed again or recomputed: it goes to the next
-- list for the PUP (pup_month, set when that month is closed).
create table benefit_correction (
    benefit_correction_id uuid primary key default gen_random_uuid(),
    participant_id  uuid not null references participant on delete cascade,
    month           date not null,
    centre_id       uuid not null references centre,
    from_revision   integer not null,
    to_revision     integer not null,
    benefit_diff_grosze integer not null,
    bonus_diff_grosze   integer not null,
    reason          text not null check (char_length(reason) between 1 and 500),
    created_by      uuid not null references staff_user,
    created_at      timestamptz not null default now(),
    pup_month       date
);
create index benefit_correction_pending_idx on benefit_correction (centre_id, created_at) where pup_month is null;
create index benefit_correction_pup_idx on benefit_correction (centre_id, pup_month);
