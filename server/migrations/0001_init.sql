-- Written for SQLite; PostgreSQL runs the same file with its own auto-increment
-- key (server/src/store.rs). Times are Unix seconds (BIGINT), so one set of
-- queries serves both.
CREATE TABLE patients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    dob TEXT NOT NULL,
    email TEXT,
    mobile TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX patients_by_name ON patients (last_name, first_name);
CREATE INDEX patients_by_dob ON patients (dob);
CREATE INDEX patients_by_email ON patients (email);

CREATE TABLE portal_accounts (
    patient_id BIGINT PRIMARY KEY REFERENCES patients (id),
    state TEXT NOT NULL CHECK (state IN ('invited', 'enrolled', 'revoked')),
    invited_email TEXT,
    invited_at BIGINT,
    username TEXT UNIQUE,
    password_hash TEXT,
    security_question TEXT,
    security_answer_hash TEXT,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    enrolled_at BIGINT,
    last_sign_in_at BIGINT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE staff_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('patient', 'staff')),
    subject_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_subject ON sessions (subject_kind, subject_id);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    patient_id BIGINT,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_patient ON audit_events (patient_id, id);
