//! The one lockout under concurrency (SPEC §5): a try is counted before its
//! password is checked, so 64 wrong passwords sent at once check at most 5
//! hashes and leave the account locked, and a right password sent in the
//! same burst is refused; the lock is checked again when the session is made.

use crate::common;

use common::{Db, TestApp, JS, PASSWORD};
use app::error::PortalError;
use server::lockout::{self, Attempt, LockHolder, Taken, MAX_FAILURES};

const BURST: usize = 64;
const STAFF_PASSWORD: &str = "Quiet-Maple-Desk-19";

/// `BURST` wrong passwords, all at once, each from a browser of its own, and
/// one right one sent as soon as they have locked the account, while the rest
/// of the burst is still in flight; returns the right one's status. (Sent
/// blindly in the middle, the right one is sometimes among the first five
/// tries counted — the fifth may be right and sign in, as it should.)
async fn burst(app: &TestApp, path: &str, username: &str, right: &str) -> reqwest::StatusCode {
    let send = |password: String| {
        let (url, username) = (app.url(path), username.to_string());
        tokio::spawn(async move {
            let b = common::browser_builder().build().unwrap();
            b.post(url)
                .header("accept", JS)
                .form(&[("username", username.as_str()), ("password", password.as_str())])
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    let wrong: Vec<_> = (0..BURST).map(|i| send(format!("Wrong-Guess-{i}-x"))).collect();
    let started = std::time::Instant::now();
    loop {
        let locked: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM accounts WHERE locked_until IS NOT NULL) + \
             (SELECT COUNT(*) FROM staff_accounts WHERE locked_until IS NOT NULL)",
        )
        .fetch_one(&app.services.store)
        .await
        .unwrap();
        if locked > 0 {
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "the burst never locked the account");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let right = send(right.to_string()).await.unwrap();
    let mut statuses = Vec::new();
    for c in wrong {
        statuses.push(c.await.unwrap());
    }
    assert!(statuses.iter().all(|s| [401, 423].contains(&s.as_u16())), "{statuses:?}");
    right
}

fn production_hashes(c: &mut server::config::Config) {
    // Real argon2 parameters: each check takes long enough for the burst to overlap.
    c.argon2_memory_kib = 19456;
    c.argon2_iterations = 2;
}

async fn a_burst_of_wrong_passwords_checks_at_most_five_and_locks_the_patient(db: Db) {
    let app = TestApp::spawn_with(db, production_hashes).await;
    let id = app.enrolled_patient("Alice", "alice@example.com").await;
    let before = app.services.hasher.verifications();
    let right = burst(&app, "/api/login", "alice@example.com", PASSWORD).await;
    let checked = app.services.hasher.verifications() - before;
    assert!(
        checked <= MAX_FAILURES as u64,
        "{checked} hashes checked for {BURST} parallel guesses"
    );
    assert_eq!(right, 423, "the right password in the burst is refused");
    let (failures, locked_until): (i64, Option<i64>) = sqlx::query_as(
        "SELECT failed_attempts, locked_until FROM accounts WHERE id = $1",
    )
    .bind(app.account_of(id).await)
    .fetch_one(&app.services.store)
    .await
    .unwrap();
    assert!(
        locked_until.is_some_and(|u| u > app.services.clock.now()),
        "locked after the burst ({failures} failures)"
    );
    assert_eq!(
        app.call_login("alice@example.com", PASSWORD).await.status(),
        423
    );
}

async fn a_burst_of_wrong_passwords_checks_at_most_five_and_locks_staff(db: Db) {
    let app = TestApp::spawn_with(db, production_hashes).await;
    server::staff::add_if_missing(
        &app.services,
        "reception@example.com",
        "Front Desk",
        STAFF_PASSWORD,
    )
    .await
    .unwrap();
    let before = app.services.hasher.verifications();
    let right = burst(
        &app,
        "/api/staff_login",
        "reception@example.com",
        STAFF_PASSWORD,
    )
    .await;
    let checked = app.services.hasher.verifications() - before;
    assert!(
        checked <= MAX_FAILURES as u64,
        "{checked} hashes checked for {BURST} parallel guesses"
    );
    assert_eq!(right, 423, "the right password in the burst is refused");
    let b = common::browser_builder().build().unwrap();
    let again = b
        .post(app.url("/api/staff_login"))
        .header("accept", JS)
        .form(&[
            ("username", "reception@example.com"),
            ("password", STAFF_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 423, "staff locked after the burst");
}

async fn a_right_try_counted_before_others_locked_the_account_makes_no_session(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = app.enrolled_patient("Alice", "alice@example.com").await;
    let store = &app.services.store;
    let holder = LockHolder::Account(app.account_of(id).await);
    let Taken::Counted(right) = lockout::take(&app.services.lockout, holder, app.services.clock.now()).await.unwrap() else {
        panic!("first try refused")
    };
    for _ in 1..MAX_FAILURES {
        assert!(matches!(
            lockout::take(&app.services.lockout, holder, app.services.clock.now()).await.unwrap(),
            Taken::Counted(_)
        ));
    }
    assert!(
        matches!(lockout::take(&app.services.lockout, holder, app.services.clock.now()).await.unwrap(), Taken::Locked { until_reset: false }),
        "the sixth try is refused uncounted"
    );
    let mut tx = store.begin_write().await.unwrap();
    assert!(
        !lockout::settle(&app.services.lockout, &mut tx, &right, app.services.clock.now())
            .await
            .unwrap(),
        "locked by the others meanwhile"
    );
    tx.commit().await.unwrap();
}

async fn the_try_that_reaches_the_limit_with_the_right_password_signs_in(db: Db) {
    let app = TestApp::spawn(db).await;
    // Four wrong, then the right one: counted as the fifth, it locked the
    // account itself, and being right it clears the lock (SPEC §2.1).
    let id = app.enrolled_patient("Alice", "alice@example.com").await;
    let store = &app.services.store;
    let holder = LockHolder::Account(app.account_of(id).await);
    for _ in 1..MAX_FAILURES {
        lockout::take(&app.services.lockout, holder, app.services.clock.now()).await.unwrap();
    }
    let Taken::Counted(fifth) = lockout::take(&app.services.lockout, holder, app.services.clock.now()).await.unwrap() else {
        panic!("fifth try refused")
    };
    assert!(fifth.locks());
    let mut tx = store.begin_write().await.unwrap();
    assert!(lockout::settle(&app.services.lockout, &mut tx, &fifth, app.services.clock.now())
        .await
        .unwrap());
    tx.commit().await.unwrap();
    assert!(
        matches!(lockout::take(&app.services.lockout, holder, app.services.clock.now()).await.unwrap(), Taken::Counted(t) if t.failures() == 1),
        "cleared"
    );
}

/// The one lock sequence every secret goes through: a wrong secret stays
/// counted, a check that could not run gives its try back, and a locked
/// account's try checks nothing.
async fn an_attempt_counts_wrong_secrets_gives_back_checks_that_could_not_run_and_checks_nothing_when_locked(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = app.enrolled_patient("Alice", "alice@example.com").await;
    let (locks, holder) = (&app.services.lockout, LockHolder::Account(app.account_of(id).await));
    let now = || app.services.clock.now();
    let failures = || async {
        match lockout::take(locks, holder, now()).await.unwrap() {
            Taken::Counted(t) => {
                lockout::give_back(locks, &t).await.unwrap();
                t.failures() - 1
            }
            other => panic!("refused: {other:?}"),
        }
    };
    let busy = lockout::attempt(locks, holder, now(), async { Err::<Option<()>, _>(PortalError::Busy) }).await;
    assert!(matches!(busy, Err(PortalError::Busy)));
    assert_eq!(failures().await, 0, "a check that could not run was no guess");
    for n in 1..MAX_FAILURES {
        let wrong = lockout::attempt(locks, holder, now(), async { Ok::<Option<()>, PortalError>(None) }).await.unwrap();
        assert!(matches!(wrong, Attempt::Wrong(ref t) if t.failures() == n && !t.locks()), "{wrong:?}");
    }
    let last = lockout::attempt(locks, holder, now(), async { Ok::<Option<()>, PortalError>(None) }).await.unwrap();
    assert!(matches!(last, Attempt::Wrong(ref t) if t.locks()), "the fifth wrong one locks: {last:?}");
    drop(last);
    let checked = std::sync::atomic::AtomicBool::new(false);
    let refused = lockout::attempt(locks, holder, now(), async {
        checked.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok::<Option<()>, PortalError>(Some(()))
    })
    .await
    .unwrap();
    assert!(matches!(refused, Attempt::Locked { until_reset: false }), "{refused:?}");
    assert!(!checked.load(std::sync::atomic::Ordering::SeqCst), "a locked account's secret is never checked");
}

/// Right passwords sent at once (one patient on several devices, a load
/// test) all sign in: tries in flight never add up to a lock by themselves.
async fn parallel_right_passwords_all_sign_in(db: Db) {
    let app = TestApp::spawn_with(db, production_hashes).await;
    app.enrolled_patient("Alice", "alice@example.com").await;
    let mut calls = Vec::new();
    for _ in 0..16 {
        let url = app.url("/api/login");
        calls.push(tokio::spawn(async move {
            let b = common::browser_builder().build().unwrap();
            b.post(url).header("accept", JS).form(&[("username", "alice@example.com"), ("password", PASSWORD)]).send().await.unwrap().status()
        }));
    }
    for c in calls {
        assert_eq!(c.await.unwrap(), 200);
    }
}

each_store!(
    a_burst_of_wrong_passwords_checks_at_most_five_and_locks_the_patient,
    a_burst_of_wrong_passwords_checks_at_most_five_and_locks_staff,
    a_right_try_counted_before_others_locked_the_account_makes_no_session,
    the_try_that_reaches_the_limit_with_the_right_password_signs_in,
    parallel_right_passwords_all_sign_in,
    an_attempt_counts_wrong_secrets_gives_back_checks_that_could_not_run_and_checks_nothing_when_locked,
);
