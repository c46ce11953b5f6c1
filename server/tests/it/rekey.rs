//! Key rotation (SPEC §6): with the new key current and the old one in
//! `PORTAL_OLD_SECRET_KEYS`, everything the old key sealed still opens and
//! its audit MACs still verify; `portal rekey` seals it all again under the
//! new key, after which the old key is no longer needed to open anything; a
//! secret no key given opens gives a staff member's try back instead of
//! counting it as a wrong code.

use app::ids::PatientId;
use server::audit::{Actor, Verdict};
use server::client::ClientMeta;
use server::enrollment::invite::{self, Invitee};
use server::secret_key::SecretKey;
use server::Services;

use crate::common::{self, Db, TestApp, PASSWORD};

const STAFF: &str = "reception@example.com";
const STAFF_PASSWORD: &str = "Quiet-Maple-Desk-19";

/// Another instance on the database at `database_url`, with `current` and `old` keys.
async fn with_keys(database_url: &str, current: SecretKey, old: Vec<SecretKey>) -> std::sync::Arc<Services> {
    let mut config = common::test_config(database_url.to_string());
    config.secret_key = Some(current);
    config.old_secret_keys = Some(server::secret_key::OldKeys(old));
    Services::start(config).await.unwrap()
}

async fn rotation(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = common::fresh_database(db, &dir).await;
    let app = TestApp::spawn_on(url.clone(), dir, |_| {}).await;
    let old = SecretKey::parse(common::SECRET_KEY).unwrap();
    let new = SecretKey::random();

    // Under the old key: a waiting invitation email and its access code, a
    // patient's offered authenticator key, a staff member's secret.
    app.enrolled_patient("Alice", "alice@example.com").await;
    assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 200);
    assert!(app.page("/settings").await.contains("totp-secret"));
    let dana: PatientId = app.chart("Dana", "dana@example.com").await;
    invite::invite(&app.services, dana, Invitee::Own(None), Actor::Cli, &ClientMeta::cli()).await.unwrap();
    let code = invite::open_code(&app.services, dana, None, false).await.unwrap().expect("a code");
    server::staff::add_if_missing(&app.services, STAFF, "Front Desk", STAFF_PASSWORD).await.unwrap();
    server::staff::signin::sign_in(&app.services, &ClientMeta::cli(), STAFF, &app::secret::Password::new(STAFF_PASSWORD)).await.unwrap();
    let staff_code = common::staff_code(&app.services, STAFF).await;
    let waiting = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
    assert!(!waiting.is_empty());

    // Rotated: the new key current, the old one listed. Everything opens and verifies.
    let rotated = with_keys(&url, new.clone(), vec![old.clone()]).await;
    assert_eq!(server::outbox::all(&rotated.store, &rotated.bodies).await.unwrap().len(), waiting.len());
    assert_eq!(invite::open_code(&rotated, dana, None, false).await.unwrap(), Some(code.clone()));
    assert_eq!(common::staff_code(&rotated, STAFF).await, staff_code);
    assert!(matches!(rotated.audit.verify(&rotated.store, None).await.unwrap(), Verdict::Intact { unkeyed: 0, .. }));

    let done = server::rekey::rekey(&rotated).await.unwrap();
    assert!(done.resealed >= 4, "{done:?}");
    assert_eq!(done.unopenable, 0);
    assert_eq!(server::rekey::rekey(&rotated).await.unwrap().resealed, 0, "all under the new key now");

    // The old key gone: what was sealed opens under the new key alone.
    let new_only = with_keys(&url, new.clone(), Vec::new()).await;
    let bodies: Vec<String> = server::outbox::all(&new_only.store, &new_only.bodies).await.unwrap().into_iter().map(|m| m.body).collect();
    assert_eq!(bodies, waiting.iter().map(|m| m.body.clone()).collect::<Vec<_>>());
    assert_eq!(invite::open_code(&new_only, dana, None, false).await.unwrap(), Some(code));
    assert_eq!(common::staff_code(&new_only, STAFF).await, staff_code);
    // The audit chain's entries are never rewritten: their MACs need the old key listed.
    assert!(matches!(new_only.audit.verify(&new_only.store, None).await.unwrap(), Verdict::BrokenAt(_)));

    // A secret no key given opens: the staff member's try is given back, not counted as wrong.
    let lost = with_keys(&url, SecretKey::random(), Vec::new()).await;
    let token = server::staff::signin::sign_in(&app.services, &ClientMeta::cli(), STAFF, &app::secret::Password::new(STAFF_PASSWORD)).await.unwrap();
    let failures = || async { sqlx::query_scalar::<_, i64>("SELECT failed_attempts FROM staff_accounts").fetch_one(&app.services.store).await.unwrap() };
    let before = failures().await;
    assert!(server::staff::signin::verify(&lost, &ClientMeta::cli(), &token, None, "123456").await.is_err());
    assert_eq!(failures().await, before, "not counted as a wrong code");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_on_sqlite() {
    rotation(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_on_postgres() {
    rotation(Db::Postgres).await;
}
