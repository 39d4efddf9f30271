-- Teczka schema, part 14: one-word search finds people by their town as well ("lodz" finds
-- everyone living in Łódź), folded like the names (fold_name(), migration 0007). The town
-- matches whole, not as a prefix: then the index below gives the search's order (folded
-- surname, id) for the one town, and a search reads one index range in order and stops after a
-- page, however many people live there.
alter table participant
    add column city_folded text collate "C" generated always as (fold_name(address_city)) stored;
create index participant_city_search_idx
    on participant (centre_id, city_folded, surname_folded, participant_id) include (surname);
