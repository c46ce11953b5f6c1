//! Accounts apart from charts (SPEC §2.7): the migration that moves a
//! database as the previous release left it (one `portal_accounts` row per
//! chart holding both enrollment and credentials) to accounts, grants and
//! enrollments, on both stores, with every state in it; and that the ids of
//! an account and of a chart are two things once new accounts are made.

use app::ids::{AccountId, PatientId};
use server::credentials::{HashParams, Hasher};
use server::store::Store;
use server::tokens::SecretToken;
use server::two_step::codes;

use crate::common::{fresh_database, Db, TestApp, JS, PASSWORD};

/// The last migration before accounts had a table of their own.
const BEFORE_ACCOUNTS: i64 = 17;
const LOCKED_UNTIL: i64 = 4_102_444_800; // 2100-01-01
const BACKUP_CODE: &str = "abcde23456";

/// One chart per state the demo has, written as the previous release wrote them.
async fn fill_the_old_schema(store: &Store, keys: &TestApp, hash: &str) {
    let now = keys.services.clock.now();
    let patients = [
        (1, "Alice", "alice@example.com", "+12175550101"),
        (2, "Bob", "bob@example.com", "+12175550102"),
        (3, "Carol", "carol@example.com", "+12175550103"),
        (4, "David", "david@example.com", "+12175550104"),
        (5, "Erin", "erin@example.com", "+12175550105"),
        (6, "Frank", "frank@example.com", "+12175550106"),
    ];
    for (id, first, email, mobile) in patients {
        sqlx::query("INSERT INTO patients (id, first_name, last_name, dob, email, mobile, created_at, language) VALUES ($1, $2, 'Old', '19800101', $3, $4, $5, $6)")
            .bind(id)
            .bind(first)
            .bind(email)
            .bind(mobile)
            .bind(now)
            .bind(if id == 6 { "es" } else { "en" })
            .execute(store)
            .await
            .unwrap();
    }
    // Alice, Frank: enrolled; Bob: enrolled and locked; Carol: never invited;
    // David: invited; Erin: enrolled, then revoked.
    // (chart, state, username, failed tries, locked until)
    type Row<'a> = (i64, &'a str, Option<&'a str>, i64, Option<i64>);
    let rows: [Row; 5] = [
        (1, "enrolled", Some("alice@example.com"), 0, None),
        (2, "enrolled", Some("bob@example.com"), 5, Some(LOCKED_UNTIL)),
        (4, "invited", None, 0, None),
        (5, "revoked", Some("erin@example.com"), 0, None),
        (6, "enrolled", Some("frank-chose-this"), 0, None),
    ];
    for (id, state, username, failures, locked_until) in rows {
        sqlx::query(
            "INSERT INTO portal_accounts (patient_id, state, invited_email, invited_at, username, username_key, password_hash, \
             security_question, security_answer_hash, failed_attempts, locked_until, enrolled_at, last_sign_in_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $6, $8, $9, $10, $10, $4)",
        )
        .bind(id)
        .bind(state)
        .bind(format!("{}@example.com", ["", "alice", "bob", "", "david", "erin", "frank"][id as usize]))
        .bind(now - 100)
        .bind(username)
        .bind(username.map(|_| hash))
        .bind(username.map(|_| "What was the name of your first pet?"))
        .bind(failures)
        .bind(locked_until)
        .bind(username.map(|_| now - 50))
        .execute(store)
        .await
        .unwrap();
    }
    let q = |sql: &'static str| sqlx::query(sql);
    q("INSERT INTO invitations (token_hash, patient_id, email, state, created_at, expires_at, updated_at) VALUES ('inv', 4, 'david@example.com', 'open', 0, 4102444800, 0)")
        .execute(store)
        .await
        .unwrap();
    // Alice: two-step by text, a backup code, a remembered device, a passkey, a live session.
    q("INSERT INTO two_step_settings (patient_id, method, enabled_at) VALUES (1, 'text', 0)").execute(store).await.unwrap();
    sqlx::query("INSERT INTO backup_codes (patient_id, code_hmac) VALUES (1, $1)")
        .bind(codes::backup_digest(&keys.services.two_step_keys, AccountId::new(1), BACKUP_CODE))
        .execute(store)
        .await
        .unwrap();
    q("INSERT INTO remembered_devices (token_hash, patient_id, created_at, expires_at) VALUES ('device', 1, 0, 4102444800)").execute(store).await.unwrap();
    q("INSERT INTO sign_in_challenges (token_hash, patient_id, method, created_at, expires_at, ended_at) VALUES ('challenge', 1, 'text', 0, 60, 60)")
        .execute(store)
        .await
        .unwrap();
    q("INSERT INTO passkey_users (patient_id, user_handle) VALUES (1, 'handle-1')").execute(store).await.unwrap();
    q("INSERT INTO passkeys (patient_id, credential_id, name, passkey, created_at) VALUES (1, 'cred-1', 'Phone', '{}', 0)").execute(store).await.unwrap();
    sqlx::query("INSERT INTO sessions (id_hash, subject_kind, subject_id, created_at, last_seen_at) VALUES ($1, 'patient', 1, $2, $2)")
        .bind(SecretToken::from_presented("alice-session".into()).storage_key())
        .bind(now)
        .execute(store)
        .await
        .unwrap();
    // Frank: a reset link on its way.
    q("INSERT INTO reset_flows (token_hash, patient_id, step, created_at, expires_at, updated_at) VALUES ('flow', 6, 'choose_method', 0, 4102444800, 0)")
        .execute(store)
        .await
        .unwrap();
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(store).await.unwrap()
}

async fn today_s_data_moves_to_accounts_and_nothing_is_lost(db: Db) {
    // A server of this release on a database of its own only lends its keys
    // (the same secret key as every test server) to write what the old one sealed.
    let keys = TestApp::spawn(db).await;
    let hash = Hasher::new(HashParams { memory_kib: 1024, iterations: 1, parallelism: 1 }, 1, 4).unwrap().hash(PASSWORD.into()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let old = Store::connect(&url).await.unwrap();
    old.migrate_until(BEFORE_ACCOUNTS).await.unwrap();
    fill_the_old_schema(&old, &keys, &hash).await;

    let app = TestApp::spawn_on(url, dir, |_| {}).await;
    let store = &app.services.store;

    // One account per chart that had a username, its id the chart's, with everything it held.
    let accounts: Vec<(AccountId, String, String, i64, Option<i64>, String)> =
        sqlx::query_as("SELECT id, username, password_hash, failed_attempts, locked_until, language FROM accounts ORDER BY id")
            .fetch_all(store)
            .await
            .unwrap();
    let ids: Vec<i64> = accounts.iter().map(|a| a.0.get()).collect();
    assert_eq!(ids, [1, 2, 5, 6]);
    assert_eq!(accounts[3].1, "frank-chose-this");
    assert!(accounts.iter().all(|a| a.2 == hash));
    assert_eq!((accounts[1].3, accounts[1].4), (5, Some(LOCKED_UNTIL)), "Bob stays locked");
    assert_eq!(accounts[3].5, "es", "the language the patient chose");
    let grants: Vec<(AccountId, PatientId, String)> =
        sqlx::query_as("SELECT account_id, patient_id, relationship FROM grants ORDER BY id").fetch_all(store).await.unwrap();
    let expected: Vec<_> = ids.iter().map(|&i| (AccountId::new(i), PatientId::new(i), "self".to_string())).collect();
    assert_eq!(grants, expected);
    let states: Vec<(PatientId, String, Option<String>)> =
        sqlx::query_as("SELECT patient_id, state, invited_email FROM enrollments ORDER BY patient_id").fetch_all(store).await.unwrap();
    let states: Vec<_> = states.into_iter().map(|(p, s, e)| (p.get(), s, e.is_some())).collect();
    assert_eq!(
        states,
        [(1, "enrolled".into(), true), (2, "enrolled".into(), true), (4, "invited".into(), true), (5, "revoked".into(), true), (6, "enrolled".into(), true)]
    );
    for (table, rows) in [
        ("SELECT COUNT(*) FROM two_step_settings WHERE account_id = 1", 1),
        ("SELECT COUNT(*) FROM backup_codes WHERE account_id = 1", 1),
        ("SELECT COUNT(*) FROM remembered_devices WHERE account_id = 1", 1),
        ("SELECT COUNT(*) FROM sign_in_challenges WHERE account_id = 1", 1),
        ("SELECT COUNT(*) FROM passkey_users WHERE account_id = 1", 1),
        ("SELECT COUNT(*) FROM passkeys WHERE account_id = 1", 1),
        ("SELECT COUNT(*) FROM reset_flows WHERE account_id = 6", 1),
        ("SELECT COUNT(*) FROM invitations WHERE patient_id = 4", 1),
        ("SELECT COUNT(*) FROM sessions WHERE subject_id = 1 AND patient_id = 1", 1),
    ] {
        assert_eq!(count(store, table).await, rows, "{table}");
    }

    // And it all still works: the session open before the upgrade…
    let page = app.page_request("/").header("cookie", "portal_session=alice-session").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Welcome, Alice"), "{page}");
    // …Alice's password, then her second step with the backup code made before;
    assert_eq!(app.call_login("alice@example.com", PASSWORD).await.text().await.unwrap(), "\"SecondStep\"");
    let verified = app.post("/api/verify", JS, &[("code", BACKUP_CODE)]).await;
    assert_eq!(verified.status(), 200, "{}", verified.text().await.unwrap());
    // Bob still locked, Erin still turned off, Frank by the username he chose.
    assert_eq!(app.call_login("bob@example.com", PASSWORD).await.status(), 423);
    assert_eq!(app.call_login("erin@example.com", PASSWORD).await.status(), 403);
    assert_eq!(app.call_login("frank-chose-this", PASSWORD).await.status(), 200);

    // A new account gets an id of its own, past the moved ones (PostgreSQL's
    // identity was moved on), while its chart's id is another number.
    let carol = PatientId::new(3);
    let account = server::demo::enroll_with(&app.services, carol, "carol@example.com", PASSWORD, "(217) 555-0103").await.unwrap();
    assert_eq!(account, AccountId::new(7));
    assert_eq!(app.account_of(carol).await, account);
    assert_eq!(app.call_login("carol@example.com", PASSWORD).await.status(), 200);
}

/// A chart made after the accounts are apart: its account's id is not its
/// chart's, and every per-person thing follows the account.
async fn a_new_patient_s_account_and_chart_have_ids_of_their_own(db: Db) {
    let app = TestApp::spawn(db).await;
    let first = app.chart("Ann", "ann@example.com").await;
    let alice = app.enrolled_patient("Alice", "alice@example.com").await;
    let account = app.account_of(alice).await;
    assert_ne!(account.get(), alice.get(), "ids of two kinds that happen to differ here: a mix-up would show");
    assert_eq!(first.get() + 1, alice.get());
    assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 200);
    let (session_account, session_chart): (AccountId, PatientId) =
        sqlx::query_as("SELECT subject_id, patient_id FROM sessions WHERE subject_kind = 'patient'").fetch_one(&app.services.store).await.unwrap();
    assert_eq!((session_account, session_chart), (account, alice), "a session knows its account and the chart it is on");
}

/// An account with no chart of its own (a caregiver) signs in on the chart
/// it was given; one that sees no chart at all still signs in (the account
/// is the person's), on no chart.
async fn an_account_without_a_chart_of_its_own_signs_in_on_the_chart_it_was_given(db: Db) {
    let app = TestApp::spawn(db).await;
    let henry = app.enrolled_patient("Henry", "henry@example.com").await;
    let pool = &app.services.store;
    let rosa: AccountId = sqlx::query_scalar(
        "INSERT INTO accounts (username, username_key, password_hash, created_at, updated_at) \
         SELECT 'rosa@example.com', 'rosa@example.com', password_hash, 0, 0 FROM accounts WHERE username = 'henry@example.com' RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(app.call_login("rosa@example.com", PASSWORD).await.status(), 200, "no chart to open, but the account is hers");
    sqlx::query("INSERT INTO grants (account_id, patient_id, relationship, granted_by, granted_at) VALUES ($1, $2, 'caregiver', 'system', 0)")
        .bind(rosa)
        .bind(henry)
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(app.call_login("rosa@example.com", PASSWORD).await.status(), 200);
    let on: PatientId = sqlx::query_scalar("SELECT patient_id FROM sessions WHERE subject_kind = 'patient' AND subject_id = $1")
        .bind(rosa.get())
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(on, henry);
}

/// Rows hand back value types: a stored date of birth or mobile number that
/// doesn't parse (written by hand, not through the portal) fails the read
/// loudly, naming what it is and its length, never its value.
async fn a_stored_value_that_does_not_parse_fails_the_read_without_saying_it(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = app.enrolled_patient("Alice", "alice@example.com").await;
    let store = &app.services.store;
    let read = || async { server::store::patients::chart(store, id).await.map(|c| c.map(|c| (c.dob.compact(), c.mobile))) };
    assert!(matches!(read().await, Ok(Some(_))), "the enrolled chart reads");
    for (column, value, what) in [("dob", "1985-03-12 by hand", "date of birth"), ("mobile", "call the front desk", "mobile number")] {
        let sql = format!("UPDATE patients SET {column} = $1 WHERE id = $2");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).bind(id).execute(store).await.unwrap();
        let err = read().await.expect_err(column).to_string();
        assert!(err.contains(what) && err.contains(&format!("({} characters)", value.len())), "{err}");
        assert!(!err.contains(value), "the value itself stays out of the error: {err}");
        let valid = if column == "dob" { "19850312" } else { "+12175550101" };
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE patients SET {column} = $1 WHERE id = $2"))).bind(valid).bind(id).execute(store).await.unwrap();
    }
}

each_store!(
    a_stored_value_that_does_not_parse_fails_the_read_without_saying_it,
    today_s_data_moves_to_accounts_and_nothing_is_lost,
    a_new_patient_s_account_and_chart_have_ids_of_their_own,
    an_account_without_a_chart_of_its_own_signs_in_on_the_chart_it_was_given
);
