-- Teczka schema, part 17: the number of things on a user's work list ("Do zrobienia"), kept
-- with the session when Start is shown, so that every page's navigation can show it without
-- recounting (auth/session.rs). A count older than a few minutes is not shown, and the user's
-- own writes forget it (their work may have changed): the navigation never shows a stale count.
alter table session add column work_count integer, add column work_counted_at timestamptz;
