-- A participant's workshop placements, past ones included, by participant: the Start page of a
-- social worker with a caseload of tens reads the missing attendance from the caseload's people
-- (`attendance::inbox`), each person's placements in the last two weeks by this index. Before,
-- only the current placement was indexed by participant (`workshop_membership_current_key`),
-- and the statement had to walk every member of the caseload's workshops (0.2–0.4 s for a
-- caseload of 60 in workshops of thousands at 100,000 participants).
create index workshop_membership_participant_idx on workshop_membership (participant_id, member_from);
