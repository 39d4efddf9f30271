-- Teczka schema, part 30: the annual report to the voivode (art. 5 of the act on social
-- employment; due by 31 March), saved as dated versions (issue 13).
--
-- A version keeps the figures exactly as they were computed when it was saved (figures, a JSON
-- document of counts and grosze written by reports/annual), the texts the data cannot give
-- (the financial plan, the forecast, remarks), who prepared it and when, and the "as at" date
-- the figures were read at. Versions are numbered per centre and year; the app only adds them
-- (a later view, print or export shows exactly what was saved), so the app role may not alter
-- or delete them. The number is taken under the unique constraint: two managers saving at the
-- same moment get one version each or a conflict, never the same number.

create table annual_report (
    annual_report_id uuid primary key default gen_random_uuid(),
    centre_id        uuid not null references centre,
    year             smallint not null check (year between 2000 and 2200),
    version          integer not null check (version >= 1),
    as_at            date not null,
    figures          jsonb not null,
    financial_plan   text not null check (char_length(financial_plan) <= 4000),
    forecast         text not null check (char_length(forecast) <= 4000),
    remarks          text not null check (char_length(remarks) <= 4000),
    prepared_by      uuid not null references staff_user,
    prepared_at      timestamptz not null default now(),
    constraint annual_report_version_key unique (centre_id, year, version),
    -- The figures are read at the end of the "as at" day: the year must have ended by then.
    constraint annual_report_as_at_after_year check (as_at >= make_date(year, 12, 31))
);
revoke update, delete, truncate on annual_report from teczka_app;

-- The staff count of a year needs to know when accounts were deactivated and reactivated,
-- which only the append-only audit log keeps. The app role may not read audit_event; this
-- view gives it those two actions' account and time and nothing else (a security barrier, as
-- participant_file_view in part 9).
create view staff_active_change with (security_barrier) as
    select a.object_id as staff_user_id, a.action = 'staff.reactivate' as active, a.occurred_at
    from audit_event a
    where a.action in ('staff.deactivate', 'staff.reactivate') and a.outcome = 'success'
      and a.object_id is not null;
