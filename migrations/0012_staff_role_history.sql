-- Teczka schema, part 12: what the administrator's account page shows about an account's past
-- (users/): every role it has had, and its last successful login.
--
-- staff_role_change has one row per role an account was given: the first row of an account is
-- its creation (from_role is null), every later row a change from one role to another, with who
-- made it and when. The row is written in the same statement as the change (users/db.rs), so the
-- latest row's to_role is the account's role. The app may only add rows, never alter them.
-- changed_by is null where no person is on record: an account made by `teczka create-admin` or
-- the demo data, or a change made before this history was kept whose author is not in the log.
--
-- staff_user.last_login_at is set by the login in the transaction that starts the session and
-- audits the login (account/mod.rs); null means the account has never signed in. Setting it does
-- not bump the account's version: a login is not an edit an open admin form should trip over.

create table staff_role_change (
    staff_role_change_id uuid primary key default gen_random_uuid(),
    staff_user_id        uuid not null references staff_user,
    from_role            staff_role,
    to_role              staff_role not null,
    changed_by           uuid references staff_user,
    changed_at           timestamptz not null default now(),
    constraint staff_role_change_changes_role check (from_role is distinct from to_role)
);
create index staff_role_change_account_idx on staff_role_change (staff_user_id, changed_at desc);
revoke update, delete, truncate on staff_role_change from teczka_app;

alter table staff_user add column last_login_at timestamptz;

-- Backfill, from what the append-only audit log has kept. First the role changes made so far
-- (action staff.change_role, detail 'from->to'); details that do not name two different roles
-- are skipped rather than guessed.
insert into staff_role_change (staff_user_id, from_role, to_role, changed_by, changed_at)
select a.object_id,
       split_part(a.detail, '->', 1)::staff_role,
       split_part(a.detail, '->', 2)::staff_role,
       a.actor_id,
       a.occurred_at
from audit_event a
join staff_user u on u.staff_user_id = a.object_id
where a.action = 'staff.change_role'
  and a.outcome = 'success'
  and split_part(a.detail, '->', 1) in (select unnest(enum_range(null::staff_role))::text)
  and split_part(a.detail, '->', 2) in (select unnest(enum_range(null::staff_role))::text)
  and split_part(a.detail, '->', 1) <> split_part(a.detail, '->', 2);

-- Then every account's creation, at its created_at: with the role its first recorded change
-- started from (or its current role, if it never changed), by whoever the log says created it.
insert into staff_role_change (staff_user_id, from_role, to_role, changed_by, changed_at)
select u.staff_user_id,
       null,
       coalesce((select c.from_role from staff_role_change c
                 where c.staff_user_id = u.staff_user_id
                 order by c.changed_at limit 1),
                u.role),
       (select a.actor_id from audit_event a
        where a.action = 'staff.create' and a.outcome = 'success' and a.object_id = u.staff_user_id
        order by a.occurred_at limit 1),
       u.created_at
from staff_user u;

-- The last successful login each account has had (action login.success); updated_at is left as
-- it was, since nobody edited the accounts.
alter table staff_user disable trigger staff_user_updated_at;
update staff_user u
set last_login_at = l.last_login_at
from (select object_id, max(occurred_at) as last_login_at
      from audit_event
      where action = 'login.success' and outcome = 'success' and object_id is not null
      group by object_id) l
where l.object_id = u.staff_user_id;
alter table staff_user enable trigger staff_user_updated_at;
