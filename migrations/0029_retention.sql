-- Teczka schema, part 29: retention with legal hold, and the rectification history (issue 13,
-- data protection items 3 and 4; src/retention/, src/participants/rectification.rs).
--
--   * retention_rule: how long the centre keeps a file of each retention class, in months, as
--     effective-dated rows (valid from, optionally to) set by the manager from the centre's
--     archival rules (its instrukcja kancelaryjna). Nothing ships: with no row in force for a
--     class, no file of that class is ever due. Rows are only added, never changed.
--   * retention_hold: a legal hold on one file (reason, who, until a date or indefinitely);
--     lifting it records who and when. A held file is never found due nor anonymised.
--   * retention_review: a file the daily scan found past its period ("due for review"), one
--     row per file (the scan inserts it once: rerunning changes nothing), and its anonymisation
--     once the manager confirmed it.
--   * participant_rectification: every change of the participant's data made through the
--     edit form, field by field, with the previous and the new value, who and when. The app
--     may only add rows; anonymisation clears the values (and nothing else) through the
--     function below.
--   * anonymise_participant(): the one path that may rewrite a file's personal data and free
--     text. It runs with its owner's rights (the app role may not update notes, contacts or
--     frozen documents itself) and sets a transaction-local mark; the guards of frozen rows
--     (document versions, opinions, evaluations) skip an update only when the mark names the
--     row's participant and the statement runs as the table's owner. The audit log is never
--     touched.

create type retention_class as enum ('graduate_file', 'terminated_file', 'candidate_file', 'benefit_records');

create table retention_rule (
    retention_rule_id uuid primary key default gen_random_uuid(),
    centre_id   uuid not null references centre,
    class       retention_class not null,
    valid_from  date not null,
    valid_to    date,
    months      integer not null check (months between 1 and 1200),
    source      text not null check (char_length(source) between 1 and 300),
    created_by  uuid references staff_user,
    created_at  timestamptz not null default now(),
    constraint retention_rule_key unique (centre_id, class, valid_from),
    constraint retention_rule_dates check (valid_to is null or valid_to >= valid_from)
);
revoke update, delete, truncate on retention_rule from teczka_app;

create table retention_hold (
    retention_hold_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant,
    centre_id   uuid not null references centre,
    reason      text not null check (char_length(reason) between 1 and 500),
    until       date,
    set_by      uuid not null references staff_user,
    set_at      timestamptz not null default now(),
    lifted_by   uuid references staff_user,
    lifted_at   timestamptz,
    constraint retention_hold_lifted check ((lifted_by is null) = (lifted_at is null))
);
-- At most one hold in place per file.
create unique index retention_hold_open_key on retention_hold (participant_id) where lifted_at is null;
create index retention_hold_centre_idx on retention_hold (centre_id, set_at) where lifted_at is null;
revoke delete, truncate on retention_hold from teczka_app;

create table retention_review (
    participant_id uuid primary key references participant,
    centre_id     uuid not null references centre,
    class         retention_class not null,
    reference_on  date not null,
    due_on        date not null,
    found_at      timestamptz not null default now(),
    anonymised_at timestamptz,
    anonymised_by uuid references staff_user,
    constraint retention_review_anonymised check ((anonymised_at is null) = (anonymised_by is null))
);
create index retention_review_pending_idx on retention_review (centre_id, due_on, participant_id)
    where anonymised_at is null;
revoke delete, truncate on retention_review from teczka_app;

create table participant_rectification (
    participant_rectification_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant,
    centre_id   uuid not null references centre,
    field       text not null check (char_length(field) between 1 and 100),
    old_value   text,
    new_value   text,
    changed_by  uuid not null references staff_user,
    changed_at  timestamptz not null default now()
);
create index participant_rectification_idx on participant_rectification (participant_id, changed_at desc);
revoke update, delete, truncate on participant_rectification from teczka_app;

-- Whether the current statement is the anonymisation of `p_participant`: the mark set by
-- anonymise_participant() in this transaction, and the statement running as the owner of the
-- guarded table (the app role could set the mark itself, but never runs as the owner).
create function anonymising(p_participant uuid, p_table regclass) returns boolean
language sql stable as $$
    select coalesce(current_setting('teczka.anonymising', true), '') = p_participant::text
       and current_user = (select pg_get_userbyid(relowner) from pg_class where oid = p_table)
$$;

-- The same for a row of a participant's document.
create function anonymising_document(p_document uuid, p_table regclass) returns boolean
language sql stable as $$
    select anonymising((select participant_id from document where document_id = p_document), p_table)
$$;

-- The guards of parts 5, 18 and 20 stay as they are for every write but the anonymisation's
-- updates: their update triggers now skip exactly those rows. Inserts and deletes keep their
-- unconditional guards.
drop trigger document_version_guard on document_version;
create trigger document_version_guard_delete before delete on document_version
    for each row execute function document_version_guard();
create trigger document_version_guard before update on document_version
    for each row when (not anonymising_document(old.document_id, 'document_version'))
    execute function document_version_guard();

drop trigger opinion_guard on opinion;
create trigger opinion_guard_insert_delete before insert or delete on opinion
    for each row execute function opinion_guard();
create trigger opinion_guard before update on opinion
    for each row when (not anonymising(old.participant_id, 'opinion'))
    execute function opinion_guard();

drop trigger contract_evaluation_guard on contract_evaluation;
create trigger contract_evaluation_guard before update on contract_evaluation
    for each row when (not anonymising_document(old.document_id, 'contract_evaluation'))
    execute function contract_evaluation_guard();

-- Whether a legal hold keeps `p_participant`'s file on `p_on`: one not lifted whose last day,
-- if it has one, has not passed.
create function retention_held(p_participant uuid, p_on date) returns boolean
language sql stable as $$
    select exists (select 1 from retention_hold h where h.participant_id = p_participant
                   and h.lifted_at is null and (h.until is null or h.until >= p_on))
$$;

-- The text that replaces what a required free-text column held.
create function anonymised_text() returns text language sql immutable as $$ select '[usunięto]' $$;

-- Anonymises one file of one centre in place: identity and contact data, every free text, the
-- rectification history's values; scans are deleted. Kept: the status history's dates and
-- statuses, categories, sex, the year of birth, attendance, benefit amounts, follow-up
-- employment codes, document statuses and dates: every figure a past report or list added up.
-- Refused unless the file was found due, is not anonymised yet and has no hold in place.
create function anonymise_participant(p_participant uuid, p_centre uuid, p_actor uuid, p_today date)
returns void language plpgsql security definer set search_path = public, pg_temp as $$
declare
    gone constant text := anonymised_text();
    docs uuid[];
begin
    perform 1 from participant where participant_id = p_participant and centre_id = p_centre for update;
    if not found then
        raise exception 'no participant % in centre %', p_participant, p_centre;
    end if;
    if not exists (select 1 from retention_review r where r.participant_id = p_participant
                   and r.centre_id = p_centre and r.anonymised_at is null) then
        raise exception 'participant % is not due for review', p_participant;
    end if;
    if retention_held(p_participant, p_today) then
        raise exception 'participant % is under a legal hold', p_participant;
    end if;
    perform set_config('teczka.anonymising', p_participant::text, true);
    docs := array(select document_id from document where participant_id = p_participant);

    update participant set
        surname = 'Zanonimizowano', first_names = 'Osoba', pesel = null,
        birth_date = make_date(extract(year from birth_date)::int, 1, 1),
        id_document = 'zanonimizowano', address_street = '', address_postal_code = '',
        address_city = '', responsible_ops = '', phone = null,
        category_other = case when category_other is null then null else gone end,
        applicant_institution = null, referrer_institution = gone, consent_scope = gone,
        ops_agreement_name = case when ops_agreement_name is null then null else gone end,
        version = version + 1
    where participant_id = p_participant;
    update participant_status_change set reason = null
        where participant_id = p_participant and reason is not null;
    update participation_extension set reason = gone where participant_id = p_participant;
    update recruitment_document set content = gone where participant_id = p_participant;
    update case_note set topic = gone, body = gone where participant_id = p_participant;
    update document_version v set
        sections = coalesce((select jsonb_agg(jsonb_build_array(s -> 0, '') order by n)
                             from jsonb_array_elements(v.sections) with ordinality as e(s, n)), '[]'),
        reason = null
    where v.document_id = any(docs);
    update document_event e set comment = null
    where e.comment is not null and e.document_id = any(docs);
    update document_monitoring m set situation = gone, planned = null, changes = null,
        goals = coalesce((select jsonb_agg(case when g ? 'comment' then jsonb_set(g, '{comment}', '""') else g end order by n)
                          from jsonb_array_elements(m.goals) with ordinality as x(g, n)), '[]')
    where m.document_id = any(docs);
    delete from document_scan where document_id = any(docs);
    update contract_record c set description = gone, record_type = null, addressee = null
    where c.document_id = any(docs);
    update contract_evaluation set gained = gone, towards_goal = gone where document_id = any(docs);
    update opinion o set
        sections = coalesce((select jsonb_agg(jsonb_build_array(s -> 0, '') order by n)
                             from jsonb_array_elements(o.sections) with ordinality as e(s, n)), '[]')
    where o.participant_id = p_participant;
    update attendance_change set reason = gone where participant_id = p_participant;
    update bonus_decision set justification = gone where participant_id = p_participant;
    update benefit_correction set reason = gone where participant_id = p_participant;
    update follow_up set note = null where participant_id = p_participant and note is not null;
    update follow_up_contact set
        partner_name = case when partner_name is null then null else gone end,
        community = '', skills = '', problems = '', actions = ''
    where participant_id = p_participant;
    update follow_up_closer set reason = gone where participant_id = p_participant;
    update participant_rectification set old_value = null, new_value = null
        where participant_id = p_participant;
    update retention_review set anonymised_at = now(), anonymised_by = p_actor
        where participant_id = p_participant;
    perform set_config('teczka.anonymising', '', true);
end
$$;
revoke all on function anonymise_participant(uuid, uuid, uuid, date) from public;
grant execute on function anonymise_participant(uuid, uuid, uuid, date) to teczka_app;

-- The row of a class in force in a centre on a day: the latest that started by then and has
-- not ended (valid_to is its last day). None: no period, nothing of the class is due.
create function retention_rule_in_force(p_centre uuid, p_class retention_class, p_on date)
returns uuid language sql stable as $$
    select retention_rule_id from retention_rule
    where centre_id = p_centre and class = p_class and valid_from <= p_on
      and (valid_to is null or valid_to >= p_on)
    order by valid_from desc
    limit 1
$$;
