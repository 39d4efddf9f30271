-- Teczka schema, part 7: search that forgives missing Polish letters.
--
-- "urbanska" finds Urbańska, "krol" finds Król: names are searched folded, lower case and
-- without diacritics, by fold_name(), which maps exactly the letters of the application's
-- `domain::fold::FOLDED` (an integration test compares the two; both cases are listed here so
-- that the result does not depend on the database's lower()). translate() keeps one letter for
-- one, so a folded name stays a prefix-searchable key.
--
-- The folded names are stored (generated columns, byte order): a search orders its page by
-- the folded surname, and folding it again for every row read cost more than the rest of the
-- search (translate() walks its 110-letter map for every letter). The search indexes are
-- rebuilt on the stored keys, each still including the name it shows, so a search keeps
-- reading one index range in order and its count reads the index alone.

create function fold_name(name text) returns text
language sql immutable strict parallel safe
as $$ select translate(lower(name), 'ąćęłńóśźżáàâäãåāçčďéèêëěēíìîïīľĺňñôöõőøŕřšşťúùûüůűūýÿžğĄĆĘŁŃÓŚŹŻÁÀÂÄÃÅĀÇČĎÉÈÊËĚĒÍÌÎÏĪĽĹŇÑÔÖÕŐØŔŘŠŞŤÚÙÛÜŮŰŪÝŸŽĞ', 'acelnoszzaaaaaaaccdeeeeeeiiiiillnnooooorrsstuuuuuuuyyzgacelnoszzaaaaaaaccdeeeeeeiiiiillnnooooorrsstuuuuuuuyyzg') $$;

alter table participant
    add column surname_folded text collate "C" generated always as (fold_name(surname)) stored,
    add column first_names_folded text collate "C" generated always as (fold_name(first_names)) stored;

drop index participant_surname_search_idx;
create index participant_surname_search_idx
    on participant (centre_id, surname_folded, participant_id) include (surname);
drop index participant_first_names_search_idx;
create index participant_first_names_search_idx
    on participant (centre_id, first_names_folded, participant_id) include (first_names);
