-- Teczka schema, part 3: the graduate follow-up schedule becomes an effective-dated parameter,
-- read like the participation rules (the row in force on the graduation date applies; a centre
-- may override the installation default, centre_id null).
--
-- months: the months after graduation at which a contact falls due. The default follows the CIS
-- standard of seed 002: at least quarterly in the first year, at least every six months in the
-- second and third.

create table follow_up_rule (
    follow_up_rule_id uuid primary key default gen_random_uuid(),
    centre_id      uuid references centre,
    valid_from     date not null,
    months         integer[] not null
        check (cardinality(months) between 1 and 36 and 0 < all(months) and 60 >= all(months)),
    source         text not null,
    created_at     timestamptz not null default now(),
    constraint follow_up_rule_key unique nulls not distinct (centre_id, valid_from)
);
insert into follow_up_rule (centre_id, valid_from, months, source) values
    (null, '2003-06-13', '{3,6,9,12,18,24,30,36}',
     'standard usług CIS: monitorowanie losów absolwenta przez 3 lata – co najmniej raz na kwartał w 1. roku, co najmniej raz na pół roku w 2. i 3. roku');
