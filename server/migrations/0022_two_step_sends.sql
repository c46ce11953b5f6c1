-- SPEC §5: at most 3 two-step codes in 10 minutes and 10 a day per account,
-- across sign-ins, resends and set-up. One row per code sent by text or
-- email; rows older than a day count for nothing and are swept.
CREATE TABLE two_step_sends (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    sent_at BIGINT NOT NULL
);
CREATE INDEX two_step_sends_by_account ON two_step_sends (account_id, sent_at);
