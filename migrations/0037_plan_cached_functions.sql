-- The functions every request (or every write of a document) calls, rewritten in PL/pgSQL so
-- that their statements are planned once per connection instead of once per call.
--
-- PostgreSQL (before 18) plans the body of a SQL-language function on every call unless it can
-- inline it, and a SECURITY DEFINER function, or one with a SET clause, is never inlined. The
-- session lookup (`session_principal`, part 35), which every signed-in request makes, so cost
-- about 0.16–0.19 ms of planning per call at 100,000 participants, against 0.02–0.03 ms as
-- PL/pgSQL, whose statements keep their plans for the life of the connection (2,000 calls in
-- a loop: 318–390 ms against 40–57 ms). The same holds for the login's and the code step's
-- lookups, the "who viewed this file" page, and the refresh of a document's monitoring day
-- that the document triggers call (part 34).
--
-- Same names, arguments, results and rights: `create or replace` keeps the grants. Inside
-- PL/pgSQL the names of a RETURNS TABLE's columns are variables too; every column below is
-- qualified, and `#variable_conflict use_column` settles any doubt the way SQL did.

create or replace function session_principal(p_hash bytea)
returns table (
    user_id uuid, csrf_token text, created_at timestamptz, last_seen_at timestamptz,
    flash_kind text, flash_message text, work_count integer, work_counted_at timestamptz,
    centre_id uuid, role staff_role, login text, full_name text, must_change_password boolean,
    centre_name text
)
language plpgsql stable security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
begin
    return query
    select s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.flash_kind, s.flash_message,
           s.work_count, s.work_counted_at,
           u.centre_id, u.role, u.login, u.full_name, u.must_change_password,
           c.name
    from session s
    join staff_user u on u.staff_user_id = s.user_id
    join centre c on c.centre_id = u.centre_id
    where s.session_hash = p_hash and u.active;
end
$$;

create or replace function login_principal(p_login text)
returns table (
    staff_user_id uuid, centre_id uuid, role staff_role, password_hash text, active boolean,
    must_change_password boolean, one_time_password_expires_at timestamptz
)
language plpgsql stable security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
begin
    return query
    select u.staff_user_id, u.centre_id, u.role, u.password_hash, u.active,
           u.must_change_password, u.one_time_password_expires_at
    from staff_user u
    where u.login = p_login;
end
$$;

create or replace function pending_principal(p_hash bytea, p_now timestamptz)
returns table (
    hash bytea, user_id uuid, centre_id uuid, role staff_role, login text,
    must_change_password boolean, next_path text
)
language plpgsql stable security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
begin
    return query
    select p.token_hash, p.staff_user_id, u.centre_id, u.role, u.login, u.must_change_password,
           p.next_path
    from pending_login p join staff_user u on u.staff_user_id = p.staff_user_id
    where p.token_hash = p_hash and p.expires_at > p_now and u.active;
end
$$;

create or replace function participant_file_views(p_participant uuid, p_centre uuid)
returns table (occurred_at timestamptz, viewer text, actor_role staff_role, detail text)
language plpgsql stable security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
begin
    return query
    select a.occurred_at, u.full_name, a.actor_role, a.detail
    from audit_event a left join staff_user u on u.staff_user_id = a.actor_id
    where a.participant_id = p_participant and a.action = 'participant.view' and a.outcome = 'success'
      and exists (select 1 from participant p where p.participant_id = p_participant and p.centre_id = p_centre)
    order by a.occurred_at desc
    limit 50;
end
$$;

create or replace function document_monitoring_since_refresh(p_document uuid) returns void
language plpgsql as $$
begin
    delete from document_monitoring_since n
    where n.document_id = p_document
      and not exists (select 1 from document d where d.document_id = p_document and d.status <> 'closed'
                        and exists (select 1 from document_signature g
                                    where g.document_id = d.document_id and g.party = 'participant'));
    insert into document_monitoring_since (document_id, centre_id, participant_id, kind, since)
    select d.document_id, d.centre_id, d.participant_id, d.kind,
           greatest((select max(m.entry_on) from document_monitoring m where m.document_id = d.document_id),
                    s.signed_on)
    from document d
    cross join lateral (select min(g.signed_on) as signed_on from document_signature g
                        where g.document_id = d.document_id and g.party = 'participant') s
    where d.document_id = p_document and d.status <> 'closed' and s.signed_on is not null
    on conflict (document_id) do update set since = excluded.since
        where document_monitoring_since.since is distinct from excluded.since;
end
$$;
