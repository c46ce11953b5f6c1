//! Durability of the outbox (SPEC §4): kill the server with SIGKILL while it
//! is sending, start it again, and every queued message reaches the SMTP
//! server — at least once, exactly once by Message-ID — on both stores.

mod common;

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::smtp_sink::SmtpSink;
use common::{fresh_database, test_config, Db};
use server::outbox;

const N: usize = 30;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn portal(database_url: &str, smtp: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("PORTAL_DELIVERY", "live")
        .env("PORTAL_SMTP_URL", smtp)
        .env("PORTAL_RESET_METHODS", "question")
        .env("PORTAL_DELIVERY_TIMEOUT_SECS", "2")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

async fn a_killed_server_loses_no_message(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let services = server::Services::start(test_config(url.clone())).await.unwrap();
    let mut tx = services.store.begin_write().await.unwrap();
    let mut queued = Vec::new();
    for i in 0..N {
        let to = format!("patient{i}@example.com");
        let m = outbox::Message { channel: outbox::Channel::Email, to: &to, subject: "Hello", body: "Hi", patient_id: None };
        queued.push(outbox::enqueue(&mut tx, &m, server::store::now()).await.unwrap());
    }
    tx.commit().await.unwrap();

    // The SMTP server holds every message it receives: the first server dies mid-send.
    let sink = SmtpSink::start();
    std::fs::write(&sink.hold, "").unwrap();
    let mut first = portal(&url, &sink.url());
    let mid_send = sink.wait_for(1, Duration::from_secs(20)).await;
    assert!(!mid_send.is_empty(), "the first server never sent");
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    std::fs::remove_file(&sink.hold).unwrap();

    let mut second = portal(&url, &sink.url());
    let start = Instant::now();
    let mut left = i64::MAX;
    while left > 0 && start.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        left = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .fetch_one(&services.store.pool)
            .await
            .unwrap();
    }
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(left, 0, "messages left unsent after the restart");

    let received = sink.received();
    eprintln!("{} in flight at the kill; {} deliveries for {N} messages", mid_send.len(), received.len());
    let ids: BTreeSet<String> = received.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), N, "every message, once by Message-ID ({} deliveries in all)", received.len());
    for id in queued {
        assert!(ids.iter().any(|m| m.starts_with(&format!("<outbox-{id}-"))), "message {id} never arrived");
    }
    // The copies are only those the killed server had in flight.
    assert!(received.len() - N <= 16, "{} copies", received.len() - N);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_killed_server_loses_no_message() {
    a_killed_server_loses_no_message(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_killed_server_loses_no_message() {
    a_killed_server_loses_no_message(Db::Postgres).await;
}
