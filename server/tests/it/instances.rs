//! Several instances behind one PostgreSQL behave as one (SPEC §6): a reset
//! started on one finishes on another, failed sign-ins on both lock the
//! account, and their delivery workers send each message once.

use crate::common;

use std::time::Duration;

use common::smtp_sink::SmtpSink;
use common::{fresh_database, Db, TestApp, JS, PASSWORD};
use server::config::{DeliveryMode, SmtpUrl};
use server::outbox;

async fn two_instances(adjust: impl Fn(&mut server::config::Config) + Copy) -> (TestApp, TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(Db::Postgres, &dir).await;
    let a = TestApp::spawn_on(url.clone(), dir, adjust).await;
    let b = TestApp::spawn_on(url, tempfile::tempdir().unwrap(), adjust).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_started_on_one_instance_finishes_on_another() {
    let (a, b) = two_instances(|_| {}).await;
    a.enrolled_patient("Alice", "alice@example.com").await;
    assert!(a.post("/api/forgot_password", JS, &[("username", "alice@example.com")]).await.status().is_success());
    let body = outbox::all(&b.services.store, &b.services.bodies).await.unwrap().pop().unwrap().body;
    let link = body.lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap().to_string();
    let token = link.rsplit('/').next().unwrap();

    assert!(b.page(&format!("/reset/{token}")).await.contains("Verify your identity"));
    let answered = b.post("/api/reset_answer", JS, &[("token", token), ("dob", "19800101"), ("answer", "Biscuit")]).await;
    assert_eq!(answered.status(), 200, "{}", answered.text().await.unwrap());
    let new = "Copper-Kettle-Meadow-58";
    let saved = a.post("/api/reset_password", JS, &[("token", token), ("password", new), ("confirm", new)]).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());

    assert_eq!(b.call_login("alice@example.com", PASSWORD).await.status(), 401);
    assert_eq!(b.call_login("alice@example.com", new).await.status(), 200);
    // The link is used up on both.
    assert_eq!(a.post("/api/reset_password", JS, &[("token", token), ("password", new), ("confirm", new)]).await.status(), 410);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_ip_limit_holds_across_instances() {
    let (a, b) = two_instances(|c| c.ip_limit = 4).await;
    // Both count in the same clock minute, however long the burst takes.
    a.services.clock.freeze();
    b.services.clock.freeze();
    // One client's burst, split across both instances, is limited as one instance limits it.
    for app in [&a, &b, &a, &b] {
        assert_eq!(app.call_login("nobody@example.com", "x-password").await.status(), 401);
    }
    assert_eq!(a.call_login("nobody@example.com", "x-password").await.status(), 429);
    assert_eq!(b.call_login("nobody@example.com", "x-password").await.status(), 429);
    // A minute later the count starts over.
    a.services.clock.advance(60);
    b.services.clock.advance(60);
    assert_eq!(b.call_login("nobody@example.com", "x-password").await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_split_across_instances_lock_the_account() {
    let (a, b) = two_instances(|_| {}).await;
    a.enrolled_patient("Alice", "alice@example.com").await;
    for (i, app) in [&a, &b, &a, &b].into_iter().enumerate() {
        assert_eq!(app.call_login("alice@example.com", "Wrong-Password-1").await.status(), 401, "failure {}", i + 1);
    }
    assert_eq!(b.call_login("alice@example.com", "Wrong-Password-1").await.status(), 423, "the fifth locks");
    assert_eq!(a.call_login("alice@example.com", PASSWORD).await.status(), 423, "locked on the other instance too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_send_each_queued_message_once() {
    const N: usize = 60;
    let sink = SmtpSink::start();
    let smtp = sink.url();
    // Queue first (no worker yet), then start two instances with live delivery.
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(Db::Postgres, &dir).await;
    let queue = TestApp::spawn_on(url.clone(), dir, |_| {}).await;
    let mut tx = queue.services.store.begin_write().await.unwrap();
    for i in 0..N {
        let to = format!("patient{i}@example.com");
        let m = outbox::Message { channel: outbox::Channel::Email, to: &to, subject: "Hello", body: "Hi", lang: app::i18n::Lang::En, patient_id: None };
        outbox::enqueue(&mut tx, &queue.services.bodies, &m, queue.services.clock.now()).await.unwrap();
    }
    tx.commit().await.unwrap();

    let live = |c: &mut server::config::Config| {
        c.delivery = Some(DeliveryMode::Live);
        c.smtp_url = Some(SmtpUrl(smtp.clone()));
        c.reset_methods = "question".parse().unwrap();
    };
    let _a = TestApp::spawn_on(url.clone(), tempfile::tempdir().unwrap(), live).await;
    let _b = TestApp::spawn_on(url, tempfile::tempdir().unwrap(), live).await;

    let got = sink.wait_for(N, Duration::from_secs(30)).await;
    // Give a double send time to show up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = if sink.received().len() > got.len() { sink.received() } else { got };
    let mut ids: Vec<String> = got.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), N, "each message exactly once");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), N);
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 1")
        .fetch_one(&queue.services.store)
        .await
        .unwrap();
    assert_eq!(sent, N as i64);
}
