-- bench/scale.sh: @N@ generated patients, each with an enrolled portal
-- account (username p{i}@bench.example) whose password and answer hashes are
-- the demo patient Alice's, so "Harbor-Lantern-73" signs any of them in.
-- Names come from 20 syllables: 8 000 last names, 400 first names, spread
-- evenly. Runs on SQLite and PostgreSQL; @DOB@ is each one's date expression.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @N@),
s(syl) AS (SELECT 'bakoritesamilonaduvepegihuzocajefyxowu')
INSERT INTO patients (first_name, last_name, dob, email, mobile, created_at)
SELECT
  upper(substr(syl, 1 + 2 * ((i / 7) % 20), 1)) || substr(syl, 2 + 2 * ((i / 7) % 20), 1)
    || substr(syl, 1 + 2 * ((i / 140) % 20), 2),
  upper(substr(syl, 1 + 2 * (i % 20), 1)) || substr(syl, 2 + 2 * (i % 20), 1)
    || substr(syl, 1 + 2 * ((i / 20) % 20), 2) || substr(syl, 1 + 2 * ((i / 400) % 20), 2),
  @DOB@,
  'p' || i || '@bench.example',
  NULL,
  1764000000
FROM n, s;

-- Each chart's own account (SPEC §2.7: accounts apart from charts), a
-- "self" grant, and the enrollment. An ASCII username is its own look-alike
-- key (server/src/lookalike.rs).
INSERT INTO accounts (username, username_key, password_hash, security_question, security_answer_hash,
  failed_attempts, language, created_at, updated_at)
SELECT p.email, p.email, a.password_hash, a.security_question, a.security_answer_hash, 0, 'en', 1764000000, 1764000000
FROM patients p, accounts a
WHERE p.email LIKE '%@bench.example' AND a.username = 'alice@example.com';

INSERT INTO grants (account_id, patient_id, relationship, granted_by, granted_at)
SELECT a.id, p.id, 'self', 'system', 1764000000
FROM accounts a JOIN patients p ON p.email = a.username
WHERE a.username LIKE '%@bench.example';

INSERT INTO enrollments (patient_id, state, enrolled_at, updated_at)
SELECT id, 'enrolled', 1764000000, 1764000000 FROM patients WHERE email LIKE '%@bench.example';

ANALYZE;
