-- A password reset in progress (see server/src/recovery/flow.rs for its rules).
-- The link's token and the code are stored only as a hash and an HMAC.
CREATE TABLE reset_flows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    step TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    answer_failures BIGINT NOT NULL DEFAULT 0,
    code_hmac TEXT,
    code_channel TEXT,
    code_sent_at BIGINT,
    code_sends BIGINT NOT NULL DEFAULT 0,
    code_failures BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reset_flows_by_patient ON reset_flows (patient_id, step);
