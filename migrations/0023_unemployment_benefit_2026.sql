-- Teczka schema, part 23: the unemployment benefit from 1 June 2026 (the base of the integration
-- benefit is 120 % of it, LAW.md "Integration benefit"). The amount of the first 90 days of the
-- right to the benefit, as the act points to it.

insert into unemployment_benefit (centre_id, valid_from, amount_grosze, source) values
    (null, '2026-06-01', 178390, 'Obwieszczenie Ministra Rodziny, Pracy i Polityki Społecznej z 2 marca 2026 r. w sprawie wysokości zasiłku dla bezrobotnych – od 1 czerwca 2026 r. (1783,90 zł w okresie pierwszych 90 dni)')
on conflict do nothing;
