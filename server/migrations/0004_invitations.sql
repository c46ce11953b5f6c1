-- Invitations to register (SPEC §2.4): the link's token stored only as a
-- hash; 7-day life, single use, a newer invitation voids the older ones.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    email TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'used', 'void')),
    dob_failures BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX invitations_by_patient ON invitations (patient_id, state);
