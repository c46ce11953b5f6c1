-- SPEC §5: at most 3 reset links (and 3 username reminders) an hour per
-- account. They were counted from the audit log by chart, so a caregiver's
-- requests counted against the patient whose chart they see, and an account
-- that sees no chart had nothing to count on. One row per email sent, by
-- account; rows older than an hour count for nothing and are swept.
CREATE TABLE recovery_emails (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);
CREATE INDEX recovery_emails_by_account ON recovery_emails (account_id, kind, sent_at);
