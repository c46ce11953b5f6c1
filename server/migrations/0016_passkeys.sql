-- Passkeys (SPEC §2.1, §2.5): a patient's WebAuthn credentials, each with
-- the name the patient gave it; the credential as webauthn-rs keeps it
-- (public key, counter) in `passkey`. Each patient has one random user
-- handle, the only thing of theirs an authenticator stores.
CREATE TABLE passkey_users (
    patient_id BIGINT PRIMARY KEY REFERENCES patients (id),
    user_handle TEXT NOT NULL UNIQUE
);

CREATE TABLE passkeys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    counter BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_by_patient ON passkeys (patient_id);

-- A ceremony in progress (registration or sign-in): its state stays here,
-- never in the browser; it expires, and works once.
CREATE TABLE passkey_ceremonies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    patient_id BIGINT,
    name TEXT,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
