-- Staff sign in with a second factor (SPEC §3): an authenticator app (TOTP).
-- The secret is sealed with the server's key; the last time step a code was
-- accepted for is kept, so that no code works twice. A staff member can be
-- disabled (the CLI), which ends their sessions.
ALTER TABLE staff_accounts ADD COLUMN disabled_at BIGINT;
ALTER TABLE staff_accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE staff_accounts ADD COLUMN totp_enrolled_at BIGINT;
ALTER TABLE staff_accounts ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- Between a right password and a right code: no session yet, only this.
CREATE TABLE staff_challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    staff_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX staff_challenges_by_staff ON staff_challenges (staff_id);
