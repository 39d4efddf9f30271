-- Teczka schema, part 24: the effectiveness report (issue 12) finds the people whose status
-- changed within a period by the centre and the date of the change, then reads each one's
-- changes by participant_status_change_idx. Without this index the report reads every change
-- of every centre.
create index participant_status_change_centre_idx on participant_status_change (centre_id, changed_on);
