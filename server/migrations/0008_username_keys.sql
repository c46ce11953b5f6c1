-- Look-alike keys of usernames (server/src/lookalike.rs): unique, so no two
-- accounts show the same username. Accounts made before are given theirs by
-- `lookalike::backfill` after the migrations run.
ALTER TABLE portal_accounts ADD COLUMN username_key TEXT;
CREATE UNIQUE INDEX portal_accounts_by_username_key ON portal_accounts (username_key);
