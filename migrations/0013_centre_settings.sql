-- Teczka schema, part 13: the centre's own settings (settings.rs). The first: whether admission
-- (reserve list → trial period) requires a complete recruitment file. Off by default: the
-- manager admits with documents missing only after confirming, by name, which ones are missing.
alter table centre add column require_recruitment_documents boolean not null default false;
