-- Teczka schema, part 16: the centre's address, printed in the header of every printed file
-- (participants/print.rs); the manager keeps it in the centre's settings.
alter table centre add column address text not null default ''
    constraint centre_address_length check (char_length(address) <= 300);
