-- Teczka schema, part 11: case notes on a participant's file (participants/notes.rs). A note is
-- dated by its author (the day of the conversation, visit or call), has a kind, a topic, a text
-- and a visibility its author chose: the team (everyone who may open the file), social work
-- (the manager and the file's social workers) or the psychologists only (therapy notes; the
-- manager sees that one exists, not what it says). Who reads which is the policy's field table
-- (auth/policy/participants.rs); the database keeps what must never happen:
--   * notes are never edited or deleted: a correction is a new note that names the note it
--     corrects (corrects_id), with the same visibility, and a note is corrected at most once
--     (the unique index: a correction of a correction corrects the latest text);
--   * a note belongs to a participant of its own centre.
-- The file's timeline pages through notes newest first by (noted_on, created_at, case_note_id),
-- which case_note_timeline_idx serves for one participant.

create type case_note_kind as enum ('conversation', 'home_visit', 'phone_call', 'institution', 'other');
create type case_note_visibility as enum ('team', 'social_work', 'psychologist');

create table case_note (
    case_note_id   uuid primary key default gen_random_uuid(),
    centre_id      uuid not null references centre,
    participant_id uuid not null references participant,
    author_id      uuid not null references staff_user,
    noted_on       date not null,
    kind           case_note_kind not null,
    topic          text not null check (char_length(topic) between 1 and 200),
    body           text not null check (char_length(body) between 1 and 8000),
    visibility     case_note_visibility not null,
    corrects_id    uuid references case_note,
    created_at     timestamptz not null default now()
);
create index case_note_timeline_idx on case_note (participant_id, noted_on desc, created_at desc, case_note_id desc);
create unique index case_note_corrected_once on case_note (corrects_id) where corrects_id is not null;

create function case_note_guard() returns trigger language plpgsql as $$
declare
    original case_note;
begin
    if not exists (select 1 from participant p
                   where p.participant_id = new.participant_id and p.centre_id = new.centre_id) then
        raise exception 'a case note belongs to a participant of its centre';
    end if;
    if new.corrects_id is not null then
        select * into original from case_note where case_note_id = new.corrects_id;
        if original.participant_id <> new.participant_id or original.visibility <> new.visibility then
            raise exception 'a correction keeps the participant and the visibility of the note it corrects';
        end if;
    end if;
    return new;
end
$$;
create trigger case_note_guard before insert on case_note
    for each row execute function case_note_guard();
revoke update, delete, truncate on case_note from teczka_app;
