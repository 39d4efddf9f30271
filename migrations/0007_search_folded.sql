-- Teczka schema, part 7: search that forgives missing Polish letters.
--
-- "urbanska" finds Urbańska, "krol" finds Król: names are searched folded, lower case and
-- without diacritics, by fold_name(), which maps exactly the letters of the application's
-- `domain::fold::FOLDED` (an integration test compares the two; both cases are listed here so
-- that the result does not depend on the database's lower()). translate() keeps one letter for
-- one, so the folded name stays a prefix-searchable key: the search indexes are rebuilt on it,
-- each still including the name it shows, and a search keeps reading one index range in order.

create function fold_name(name text) returns text
language sql immutable strict parallel safe
as $$ select translate(lower(name), 'ąćęłńóśźżáàâäãåāçčďéèêëěēíìîïīľĺňñôöõőøŕřšşťúùûüůűūýÿžğĄĆĘŁŃÓŚŹŻÁÀÂÄÃÅĀÇČĎÉÈÊËĚĒÍÌÎÏĪĽĹŇÑÔÖÕŐØŔŘŠŞŤÚÙÛÜŮŰŪÝŸŽĞ', 'acelnoszzaaaaaaaccdeeeeeeiiiiillnnooooorrsstuuuuuuuyyzgacelnoszzaaaaaaaccdeeeeeeiiiiillnnooooorrsstuuuuuuuyyzg') $$;

drop index participant_surname_search_idx;
create index participant_surname_search_idx
    on participant (centre_id, (fold_name(surname) collate "C"), participant_id) include (surname);
drop index participant_first_names_search_idx;
create index participant_first_names_search_idx
    on participant (centre_id, (fold_name(first_names) collate "C"), participant_id) include (first_names);
