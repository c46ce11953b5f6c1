-- Every message to a patient, written in the same transaction as the change
-- that causes it; a delivery worker (or the dev outbox) reads it from here.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'voice')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    patient_id BIGINT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_by_patient ON outbox (patient_id, id);
CREATE INDEX outbox_by_status ON outbox (status, id);
