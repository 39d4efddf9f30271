-- Teczka schema, part 25: graduate follow-up after the second reading (issue 12).
--
--   * follow_up_closer: the history of closer contact — each marking and each end, with its
--     date, the reason in the social worker's words, who recorded it and when. The reason is
--     part of the file (the graduate's timeline shows it to those who may read the file); the
--     audit row keeps only typed values. Rows are never changed or removed by the app.
--     Earlier markings, whose reason only the audit detail held, are copied from it.
--   * A missed contact learns nothing of the graduate's situation: no community and skills
--     text either (the form always said so; rows that kept it are cleared first).
--   * The tolerance window is at most 45 days: with quarterly due dates a wider window let one
--     contact fulfil two quarters.
--   * The follow-up ends when the last due date's window closes: graduation + lasts_months +
--     window_days of the rule in force at graduation (a contact made within that window can
--     still be recorded). Existing graduates' ends are computed again the same way.
--
-- Size: a few rows per graduate with closer contact; the timeline reads
-- follow_up_closer_participant_idx.

create table follow_up_closer (
    follow_up_closer_id uuid primary key default gen_random_uuid(),
    participant_id uuid not null references participant on delete cascade,
    centre_id      uuid not null references centre,
    -- true: closer contact marked (from effective_on); false: ended (on effective_on).
    closer         boolean not null,
    effective_on   date not null,
    reason         text not null check (char_length(reason) between 1 and 200),
    recorded_by    uuid not null references staff_user,
    recorded_at    timestamptz not null default now()
);
create index follow_up_closer_participant_idx on follow_up_closer (participant_id, recorded_at);

insert into follow_up_closer (participant_id, centre_id, closer, effective_on, reason, recorded_by, recorded_at)
select a.participant_id, p.centre_id, a.detail like 'closer on %',
       substring(a.detail from '(?:since|on)=([0-9]{4}-[0-9]{2}-[0-9]{2})')::date,
       left(coalesce(nullif(btrim(substring(a.detail from ' reason=(.*)$')), ''), 'nie podano'), 200),
       a.actor_id, a.occurred_at
from audit_event a join participant p on p.participant_id = a.participant_id
where a.action = 'follow_up.manage' and a.outcome = 'success' and a.actor_id is not null
  and a.detail ~ '^closer (on|off) .*(since|on)=[0-9]{4}-[0-9]{2}-[0-9]{2}';

revoke update, delete, truncate on follow_up_closer from teczka_app;

update follow_up_contact set community = '', skills = ''
    where not reached and (community <> '' or skills <> '');
alter table follow_up_contact
    add constraint follow_up_contact_missed check (reached or (community = '' and skills = ''));

update follow_up_rule set window_days = 45 where window_days > 45;
alter table follow_up_rule
    drop constraint follow_up_rule_window_days_check,
    add constraint follow_up_rule_window_days_check check (window_days between 0 and 45);

update participant p
   set follow_up_until = (p.ended_on + make_interval(months => r.lasts_months))::date + r.window_days
  from follow_up_rule r
 where p.follow_up_until is not null and p.ended_on is not null
   and r.follow_up_rule_id = (
       select r2.follow_up_rule_id from follow_up_rule r2
        where (r2.centre_id = p.centre_id or r2.centre_id is null) and r2.valid_from <= p.ended_on
        order by r2.valid_from desc, r2.centre_id is not null desc
        limit 1);
