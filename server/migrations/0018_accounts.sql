-- SPEC §2.7: an account is a person who signs in; a chart (`patients`) is a
-- patient's record; a grant says which account sees which chart. Until now
-- one row of `portal_accounts` per chart held both the chart's enrollment
-- and the credentials. This moves today's data, nothing lost: each chart
-- with a username becomes one account (its id the chart's id, so every row
-- that named the patient now names the same person's account) with a
-- "self" grant; `portal_accounts` keeps only the enrollment, as
-- `enrollments`; what belongs to the person (two-step verification, backup
-- codes, remembered devices, passkeys, passkey ceremonies, reset flows,
-- sessions) is keyed by the account.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    username_key TEXT,
    password_hash TEXT NOT NULL,
    security_question TEXT,
    security_answer_hash TEXT,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    last_sign_in_at BIGINT,
    -- SPEC §2.6: the language messages to the person go out in.
    language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX accounts_by_username_key ON accounts (username_key);

INSERT INTO accounts (id, username, username_key, password_hash, security_question, security_answer_hash,
                      failed_attempts, locked_until, last_sign_in_at, language, created_at, updated_at)
SELECT a.patient_id, a.username, a.username_key, a.password_hash, a.security_question, a.security_answer_hash,
       a.failed_attempts, a.locked_until, a.last_sign_in_at, p.language, COALESCE(a.enrolled_at, a.updated_at), a.updated_at
FROM portal_accounts a JOIN patients p ON p.id = a.patient_id
WHERE a.username IS NOT NULL AND a.password_hash IS NOT NULL;

-- postgres only
-- SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM accounts), false);
-- both

-- Which account sees which chart, as what, given by whom, until when.
-- `granted_by` is an actor as the audit log writes it; `ends_at` is when the
-- grant ends by itself (a minor's 18th birthday), `ended_at` when it ended.
CREATE TABLE grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    relationship TEXT NOT NULL CHECK (relationship IN ('self', 'parent', 'spouse', 'adult_child', 'caregiver', 'other')),
    granted_by TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    ends_at BIGINT,
    ended_at BIGINT,
    end_reason TEXT CHECK (end_reason IN ('removed', 'left', 'turned_18'))
);
-- A person is at most one chart's own patient, and a chart has at most one own account.
CREATE UNIQUE INDEX grants_self_by_account ON grants (account_id) WHERE relationship = 'self' AND ended_at IS NULL;
CREATE UNIQUE INDEX grants_self_by_patient ON grants (patient_id) WHERE relationship = 'self' AND ended_at IS NULL;
CREATE UNIQUE INDEX grants_live_by_pair ON grants (account_id, patient_id) WHERE ended_at IS NULL;
CREATE INDEX grants_by_patient ON grants (patient_id);

INSERT INTO grants (account_id, patient_id, relationship, granted_by, granted_at)
SELECT id, id, 'self', 'system', created_at FROM accounts;

-- The chart's enrollment: whether its own patient was invited, enrolled, or
-- had their access turned off.
CREATE TABLE enrollments (
    patient_id BIGINT PRIMARY KEY REFERENCES patients (id),
    state TEXT NOT NULL CHECK (state IN ('invited', 'enrolled', 'revoked')),
    invited_email TEXT,
    invited_at BIGINT,
    enrolled_at BIGINT,
    updated_at BIGINT NOT NULL
);
INSERT INTO enrollments (patient_id, state, invited_email, invited_at, enrolled_at, updated_at)
SELECT patient_id, state, invited_email, invited_at, enrolled_at, updated_at FROM portal_accounts;
DROP TABLE portal_accounts;

-- A patient session knows its account (`subject_id`) and the chart it is on.
ALTER TABLE sessions ADD COLUMN patient_id BIGINT;
UPDATE sessions SET patient_id = subject_id WHERE subject_kind = 'patient';

-- What belongs to the person moves from the chart to the account. SQLite
-- can't change a foreign key in place: each table is made anew and its rows
-- copied (rows of a chart that never had an account can't exist; any would
-- be left behind). PostgreSQL renames the column and swaps the key.
-- sqlite only
CREATE TABLE two_step_settings_new (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
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
INSERT INTO two_step_settings_new SELECT * FROM two_step_settings WHERE patient_id IN (SELECT id FROM accounts);
DROP TABLE two_step_settings;
ALTER TABLE two_step_settings_new RENAME TO two_step_settings;

CREATE TABLE sign_in_challenges_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
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
INSERT INTO sign_in_challenges_new SELECT * FROM sign_in_challenges WHERE patient_id IN (SELECT id FROM accounts);
DROP TABLE sign_in_challenges;
ALTER TABLE sign_in_challenges_new RENAME TO sign_in_challenges;
CREATE INDEX sign_in_challenges_by_account ON sign_in_challenges (account_id, created_at);

CREATE TABLE backup_codes_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    code_hmac TEXT NOT NULL,
    used_at BIGINT
);
INSERT INTO backup_codes_new SELECT * FROM backup_codes WHERE patient_id IN (SELECT id FROM accounts);
DROP TABLE backup_codes;
ALTER TABLE backup_codes_new RENAME TO backup_codes;
CREATE INDEX backup_codes_by_account ON backup_codes (account_id);

CREATE TABLE remembered_devices_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
INSERT INTO remembered_devices_new SELECT * FROM remembered_devices WHERE patient_id IN (SELECT id FROM accounts);
DROP TABLE remembered_devices;
ALTER TABLE remembered_devices_new RENAME TO remembered_devices;
CREATE INDEX remembered_devices_by_account ON remembered_devices (account_id);

CREATE TABLE passkey_users_new (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
    user_handle TEXT NOT NULL UNIQUE
);
INSERT INTO passkey_users_new SELECT * FROM passkey_users WHERE patient_id IN (SELECT id FROM accounts);
DROP TABLE passkey_users;
ALTER TABLE passkey_users_new RENAME TO passkey_users;

CREATE TABLE passkeys_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    counter BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
INSERT INTO passkeys_new SELECT * FROM passkeys WHERE patient_id IN (SELECT id FROM accounts);
DROP TABLE passkeys;
ALTER TABLE passkeys_new RENAME TO passkeys;
CREATE INDEX passkeys_by_account ON passkeys (account_id);

CREATE TABLE reset_flows_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    step TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    answer_failures BIGINT NOT NULL DEFAULT 0,
    code_hmac TEXT,
    code_channel TEXT,
    code_sent_at BIGINT,
    code_sends BIGINT NOT NULL DEFAULT 0,
    code_failures BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    number_failures BIGINT NOT NULL DEFAULT 0
);
INSERT INTO reset_flows_new SELECT * FROM reset_flows WHERE patient_id IN (SELECT id FROM accounts);
DROP TABLE reset_flows;
ALTER TABLE reset_flows_new RENAME TO reset_flows;
CREATE INDEX reset_flows_by_account ON reset_flows (account_id, step);
-- postgres only
-- DELETE FROM two_step_settings WHERE patient_id NOT IN (SELECT id FROM accounts);
-- ALTER TABLE two_step_settings RENAME COLUMN patient_id TO account_id;
-- ALTER TABLE two_step_settings DROP CONSTRAINT two_step_settings_patient_id_fkey;
-- ALTER TABLE two_step_settings ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
-- DELETE FROM sign_in_challenges WHERE patient_id NOT IN (SELECT id FROM accounts);
-- ALTER TABLE sign_in_challenges RENAME COLUMN patient_id TO account_id;
-- ALTER TABLE sign_in_challenges DROP CONSTRAINT sign_in_challenges_patient_id_fkey;
-- ALTER TABLE sign_in_challenges ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
-- ALTER INDEX sign_in_challenges_by_patient RENAME TO sign_in_challenges_by_account;
-- DELETE FROM backup_codes WHERE patient_id NOT IN (SELECT id FROM accounts);
-- ALTER TABLE backup_codes RENAME COLUMN patient_id TO account_id;
-- ALTER TABLE backup_codes DROP CONSTRAINT backup_codes_patient_id_fkey;
-- ALTER TABLE backup_codes ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
-- ALTER INDEX backup_codes_by_patient RENAME TO backup_codes_by_account;
-- DELETE FROM remembered_devices WHERE patient_id NOT IN (SELECT id FROM accounts);
-- ALTER TABLE remembered_devices RENAME COLUMN patient_id TO account_id;
-- ALTER TABLE remembered_devices DROP CONSTRAINT remembered_devices_patient_id_fkey;
-- ALTER TABLE remembered_devices ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
-- ALTER INDEX remembered_devices_by_patient RENAME TO remembered_devices_by_account;
-- DELETE FROM passkey_users WHERE patient_id NOT IN (SELECT id FROM accounts);
-- ALTER TABLE passkey_users RENAME COLUMN patient_id TO account_id;
-- ALTER TABLE passkey_users DROP CONSTRAINT passkey_users_patient_id_fkey;
-- ALTER TABLE passkey_users ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
-- DELETE FROM passkeys WHERE patient_id NOT IN (SELECT id FROM accounts);
-- ALTER TABLE passkeys RENAME COLUMN patient_id TO account_id;
-- ALTER TABLE passkeys DROP CONSTRAINT passkeys_patient_id_fkey;
-- ALTER TABLE passkeys ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
-- ALTER INDEX passkeys_by_patient RENAME TO passkeys_by_account;
-- DELETE FROM reset_flows WHERE patient_id NOT IN (SELECT id FROM accounts);
-- ALTER TABLE reset_flows RENAME COLUMN patient_id TO account_id;
-- ALTER TABLE reset_flows DROP CONSTRAINT reset_flows_patient_id_fkey;
-- ALTER TABLE reset_flows ADD FOREIGN KEY (account_id) REFERENCES accounts (id);
-- ALTER INDEX reset_flows_by_patient RENAME TO reset_flows_by_account;
-- both

-- A ceremony's account (a sign-in ceremony has none until it ends).
ALTER TABLE passkey_ceremonies RENAME COLUMN patient_id TO account_id;
