-- Live delivery (SPEC §4): a worker claims due rows for a lease, sends them,
-- and either marks them sent/failed or schedules the next try.
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
