//! Crash safety (SPEC §4): kill the server with SIGKILL while it is sending,
//! or in the middle of a burst of sign-ups and resets, start it again, and
//! every acknowledged change is there and every queued message reaches the
//! SMTP server — at least once, exactly once by Message-ID — on both stores.

use crate::common;

use std::collections::BTreeSet;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::process::{free_port, portal_serve, wait_for_health};
use common::smtp_sink::SmtpSink;
use common::{add_chart, fresh_database, test_config, Db};
use server::outbox;

const N: usize = 30;

fn portal(database_url: &str, smtp: &str) -> Child {
    portal_on(database_url, smtp, free_port())
}

fn portal_on(database_url: &str, smtp: &str, port: u16) -> Child {
    portal_serve(database_url, smtp, port).spawn().unwrap()
}

async fn a_killed_server_loses_no_message(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let services = server::Services::start(test_config(url.clone())).await.unwrap();
    let mut tx = services.store.begin_write().await.unwrap();
    let mut queued = Vec::new();
    for i in 0..N {
        let to = format!("patient{i}@example.com");
        let m = outbox::Message { channel: outbox::Channel::Email, to: &to, subject: "Hello", body: "Hi", lang: app::i18n::Lang::En, patient_id: None };
        queued.push(outbox::enqueue(&mut tx, &services.bodies, &m, services.clock.now()).await.unwrap());
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
            .fetch_one(&services.store)
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

/// SIGTERM while a message is being sent: the server finishes what it has in
/// hand, records it, and exits, leaving no message claimed (none waits for a
/// lease to run out before another instance may send it).
async fn a_stopped_server_leaves_no_message_claimed(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let services = server::Services::start(test_config(url.clone())).await.unwrap();
    let mut tx = services.store.begin_write().await.unwrap();
    for i in 0..4 {
        let to = format!("patient{i}@example.com");
        let m = outbox::Message { channel: outbox::Channel::Email, to: &to, subject: "Hello", body: "Hi", lang: app::i18n::Lang::En, patient_id: None };
        outbox::enqueue(&mut tx, &services.bodies, &m, services.clock.now()).await.unwrap();
    }
    tx.commit().await.unwrap();
    let sink = SmtpSink::start();
    std::fs::write(&sink.hold, "").unwrap();
    let mut server = portal(&url, &sink.url());
    assert!(!sink.wait_for(1, Duration::from_secs(20)).await.is_empty(), "the server never sent");
    let term = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(term.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "still running 20 s after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    std::fs::remove_file(&sink.hold).unwrap();
    assert!(status.success(), "{status:?}");
    let claimed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE claimed_until IS NOT NULL")
        .fetch_one(&services.store)
        .await
        .unwrap();
    assert_eq!(claimed, 0, "a message left claimed at exit");
}

/// What one request of the burst was, and whether the server acknowledged it.
enum Sent {
    Registration { username: String, acknowledged: bool },
    Reset { account: app::ids::AccountId, acknowledged: bool },
}

/// How a request of the burst ended.
fn in_flight(r: &Result<reqwest::Response, reqwest::Error>) -> bool {
    // Connected, sent, and then no answer: the server died while serving it.
    r.as_ref().is_err_and(|e| !e.is_connect())
}

const NEW_PASSWORD: &str = "Copper-Kettle-Meadow-58";

async fn a_killed_burst_keeps_every_acknowledged_change(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let services = server::Services::start(test_config(url.clone())).await.unwrap();
    let cli = server::client::ClientMeta::cli();
    let mut burst: Vec<(Sent, Vec<(String, String)>)> = Vec::new();
    for i in 0..20 {
        let email = format!("new{i}@example.com");
        let id = add_chart(&services, "New", &format!("Patient{i}"), &email).await;
        let sent = server::enrollment::invite::invite(&services, id, server::enrollment::invite::Invitee::Own(None), server::audit::Actor::Cli, &cli).await.unwrap();
        let token = sent.link.rsplit('/').next().unwrap().to_string();
        let form = [
            ("token", token.as_str()),
            ("access_code", sent.code.expose()),
            ("dob", "19800101"),
            ("username", email.as_str()),
            ("password", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
            ("question", app::register::SECURITY_QUESTIONS[0]),
            ("answer", "Biscuit"),
            ("phone", "(217) 555-0199"),
        ];
        let form = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        burst.push((Sent::Registration { username: email, acknowledged: false }, form));

        let enrolled = format!("old{i}@example.com");
        let id = add_chart(&services, "Old", &format!("Patient{i}"), &enrolled).await;
        let account = server::demo::enroll_with(&services, id, &enrolled, NEW_PASSWORD, "(217) 555-0199").await.unwrap();
        burst.push((Sent::Reset { account, acknowledged: false }, vec![("username".into(), enrolled)]));
    }
    let emails_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&services.store).await.unwrap();

    let sink = SmtpSink::start();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut first = portal_on(&url, &sink.url(), port);
    wait_for_health(&base).await;
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let cut_off = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (sent, form) in burst {
        let (base, acknowledged, cut_off) = (base.clone(), acknowledged.clone(), cut_off.clone());
        tasks.push(tokio::spawn(async move {
            let path = match sent {
                Sent::Registration { .. } => "/api/register",
                Sent::Reset { .. } => "/api/forgot_password",
            };
            let answer = common::browser_builder().build().unwrap().post(format!("{base}{path}")).header("accept", "application/json").form(&form).send().await;
            if in_flight(&answer) {
                cut_off.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            let ok = answer.is_ok_and(|r| r.status() == 200);
            if ok {
                acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            match sent {
                Sent::Registration { username, .. } => Sent::Registration { username, acknowledged: ok },
                Sent::Reset { account, .. } => Sent::Reset { account, acknowledged: ok },
            }
        }));
    }
    // Kill it mid-burst: once some, not all, have been acknowledged.
    let start = Instant::now();
    while acknowledged.load(std::sync::atomic::Ordering::SeqCst) < 8 && start.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let acked = results.iter().filter(|s| matches!(s, Sent::Registration { acknowledged: true, .. } | Sent::Reset { acknowledged: true, .. })).count();
    eprintln!("{acked} of {} requests acknowledged before the kill", results.len());
    assert!(acked >= 8, "the burst never got going");
    let cut_off = cut_off.load(std::sync::atomic::Ordering::SeqCst);
    assert!(cut_off >= 1, "no request was in flight at the kill ({acked} acknowledged): the test would prove nothing");

    let mut second = portal(&url, &sink.url());
    let start = Instant::now();
    let mut left = i64::MAX;
    while left > 0 && start.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        left = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'").fetch_one(&services.store).await.unwrap();
    }
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(left, 0, "queued messages never went out after the restart");

    for sent in &results {
        match sent {
            Sent::Registration { username, acknowledged: true } => {
                let state: Option<String> = sqlx::query_scalar(
                    "SELECT e.state FROM accounts a JOIN grants g ON g.account_id = a.id JOIN enrollments e ON e.patient_id = g.patient_id \
                     WHERE a.username = $1",
                )
                    .bind(username)
                    .fetch_optional(&services.store)
                    .await
                    .unwrap();
                assert_eq!(state.as_deref(), Some("enrolled"), "acknowledged registration of {username} lost");
            }
            Sent::Reset { account, acknowledged: true } => {
                let flows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reset_flows WHERE account_id = $1")
                    .bind(account)
                    .fetch_one(&services.store)
                    .await
                    .unwrap();
                assert_eq!(flows, 1, "acknowledged reset of account {account} lost");
            }
            _ => {}
        }
    }
    let emails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&services.store).await.unwrap();
    let ids: BTreeSet<String> = sink.received().iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len() as i64, emails, "every queued email reached the SMTP server ({emails_before} before the burst)");
}

each_store!(a_killed_server_loses_no_message, a_killed_burst_keeps_every_acknowledged_change, a_stopped_server_leaves_no_message_claimed);
