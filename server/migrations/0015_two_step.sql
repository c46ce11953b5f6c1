-- Two-step verification for patients (SPEC §2.1, §2.5): off until a patient
-- turns it on. `method` is how codes come when it is on; while a patient sets
-- it up, `setup_*` hold the pending choice (a sent code's HMAC, or the new
-- authenticator secret, sealed with the server's key).
CREATE TABLE two_step_settings (
    patient_id BIGINT PRIMARY KEY REFERENCES patients (id),
    method TEXT,
    enabled_at BIGINT,
    totp_secret TEXT,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    setup_method TEXT,
    setup_code_hmac TEXT,
    setup_sent_at BIGINT,
    setup_failures BIGINT NOT NULL DEFAULT 0,
    setup_secret TEXT,
    codes_to_show TEXT
);

-- Between a right password and a right second step: no session yet, only this.
CREATE TABLE sign_in_challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    method TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    code_hmac TEXT,
    code_sent_at BIGINT,
    code_sends BIGINT NOT NULL DEFAULT 0,
    code_failures BIGINT NOT NULL DEFAULT 0,
    ended_at BIGINT,
    passed_at BIGINT
);
CREATE INDEX sign_in_challenges_by_patient ON sign_in_challenges (patient_id, created_at);

-- Ten single-use backup codes, kept only as HMACs.
CREATE TABLE backup_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    code_hmac TEXT NOT NULL,
    used_at BIGINT
);
CREATE INDEX backup_codes_by_patient ON backup_codes (patient_id);

-- "Remember this device for 30 days": the device cookie's token, hashed.
CREATE TABLE remembered_devices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX remembered_devices_by_patient ON remembered_devices (patient_id);
