//! Live delivery (SPEC §4): email to a real SMTP server (aiosmtpd) on
//! loopback, texts and calls to a Twilio-style provider on loopback, retries
//! with backoff, and permanent failures, on SQLite and PostgreSQL.

use crate::common;

use std::time::Duration;

use common::provider::{Provider, Reply};
use common::smtp_sink::SmtpSink;
use common::{Db, TestApp};
use server::config::{Config, DeliveryMode, ConfigToken, SmtpUrl};
use server::delivery::worker::Worker;
use server::outbox::{self, Channel, Message};
use server::Services;

/// Live delivery to `smtp` (and `provider`, when given), with short waits.
pub fn live(c: &mut Config, smtp: &str, provider: Option<&str>) {
    c.delivery = Some(DeliveryMode::Live);
    c.smtp_url = Some(SmtpUrl(smtp.into()));
    c.delivery_timeout_secs = 1;
    c.delivery_retry_secs = 30;
    c.delivery_retry_max_secs = 3600;
    match provider {
        Some(base) => {
            c.sms_url = Some(base.parse().unwrap());
            c.sms_account = Some("AC123".into());
            c.sms_token = Some(ConfigToken("tok-secret".into()));
            c.sms_from = Some("+12175550100".into());
        }
        None => c.reset_methods = "question".parse().unwrap(),
    }
}

/// A worker of its own over `app`'s database, driven by the test's clock.
async fn worker(app: &TestApp, adjust: impl FnOnce(&mut Config)) -> Worker {
    let mut config = app.services.config.clone();
    adjust(&mut config);
    let services = Services::start(config).await.unwrap();
    Worker::from_services(&services).unwrap().expect("live delivery")
}

async fn enqueue(app: &TestApp, channel: Channel, to: &str, body: &str) -> i64 {
    let mut tx = app.services.store.begin_write().await.unwrap();
    let m = Message { channel, to, subject: "Your code", body, lang: app::i18n::Lang::En, patient_id: None };
    let id = outbox::enqueue(&mut tx, &app.services.bodies, &m, app.services.clock.now()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// (status, attempts, last_error, next_attempt_at) of one row.
async fn row(app: &TestApp, id: i64) -> (String, i64, Option<String>, i64) {
    sqlx::query_as("SELECT status, attempts, last_error, next_attempt_at FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(&app.services.store)
        .await
        .unwrap()
}

async fn wait_until_settled(app: &TestApp, limit: Duration) {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .fetch_one(&app.services.store)
            .await
            .unwrap();
        if queued == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("messages still queued after {limit:?}");
}

async fn a_reset_email_arrives_over_smtp(db: Db) {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(db, |c| live(c, &url, None)).await;
    app.enrolled_patient("Alice", "alice@example.com").await;
    let asked = app.browser.post(app.url("/api/forgot_password")).form(&[("username", "alice@example.com")]).send().await.unwrap();
    assert!(asked.status().is_success(), "{}", asked.status());

    let got = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let queued = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
    let m = &got[0];
    assert_eq!(m.mail_from, "portal@example.com");
    assert_eq!(m.from, "Patient Portal <portal@example.com>");
    assert_eq!((m.rcpt_tos.as_slice(), m.to.as_str()), (&["alice@example.com".to_string()][..], "alice@example.com"));
    assert_eq!(m.subject, queued.subject);
    let link = m.text.as_deref().unwrap().lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap();
    assert!(link.contains("/reset/"), "{link}");
    assert!(m.html.as_deref().unwrap().contains(&format!("<a href=\"{link}\">Reset password</a>")), "{m:?}");
    assert!(m.message_id.starts_with(&format!("<outbox-{}-", queued.id)) && m.message_id.ends_with("@example.com>"), "{}", m.message_id);

    wait_until_settled(&app, Duration::from_secs(5)).await;
    let (status, attempts, error, _) = row(&app, queued.id).await;
    assert_eq!((status.as_str(), attempts, error), ("sent", 1, None));
    // Sent: the link is gone from the database; status, channel and times stay.
    let (body, channel, sent_at): (String, String, Option<i64>) =
        sqlx::query_as("SELECT body, channel, sent_at FROM outbox WHERE id = $1").bind(queued.id).fetch_one(&app.services.store).await.unwrap();
    assert_eq!((body.as_str(), channel.as_str()), ("", "email"));
    assert!(sent_at.is_some());
}

async fn a_bounced_address_fails_at_once_with_the_servers_reason(db: Db) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn(db).await;
    let id = enqueue(&app, Channel::Email, "nobody@bounce.example", "Hello").await;
    let w = worker(&app, |c| live(c, &sink.url(), None)).await;
    assert_eq!(w.deliver_due(app.services.clock.now()).await.unwrap(), 1);
    let (status, attempts, error, _) = row(&app, id).await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    assert!(error.as_deref().unwrap().contains("550"), "{error:?}");
    assert!(!error.as_deref().unwrap().contains("nobody@bounce.example"), "the address is not kept in the reason: {error:?}");
    assert!(sink.received().is_empty());
    let body: String = sqlx::query_scalar("SELECT body FROM outbox WHERE id = $1").bind(id).fetch_one(&app.services.store).await.unwrap();
    assert_eq!(body, "", "failed for good: the body is erased");
}

async fn smtp_that_is_down_is_tried_again_later(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = enqueue(&app, Channel::Email, "alice@example.com", "Hello").await;
    // Nothing listens on port 9 of loopback: connection refused, a passing failure.
    let w = worker(&app, |c| live(c, "smtp://127.0.0.1:9", None)).await;
    let t0 = app.services.clock.now();
    assert_eq!(w.deliver_due(t0).await.unwrap(), 1);
    let (status, attempts, error, next) = row(&app, id).await;
    assert_eq!((status.as_str(), attempts), ("queued", 1));
    assert!(error.is_some());
    assert!((t0 + 30..=t0 + 32).contains(&next), "next try at +{}", next - t0);
}

async fn texts_and_calls_go_to_the_provider_as_it_expects(db: Db) {
    let provider = Provider::start(vec![]).await;
    let app = TestApp::spawn(db).await;
    let text = enqueue(&app, Channel::Sms, "+12175550199", "Your code is 12345.").await;
    let call = enqueue(&app, Channel::Voice, "+12175550199", "Your code is 1, 2, 3, 4, 5.").await;
    let w = worker(&app, |c| live(c, "smtp://127.0.0.1:9", Some(&provider.base))).await;
    assert_eq!(w.deliver_due(app.services.clock.now()).await.unwrap(), 2);

    let mut requests = provider.requests();
    requests.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(requests.len(), 2, "{requests:?}");
    let basic = format!("Basic {}", base64_of("AC123:tok-secret"));
    let (calls, messages) = (&requests[0], &requests[1]);
    assert_eq!(messages.path, "/2010-04-01/Accounts/AC123/Messages.json");
    assert_eq!(messages.authorization.as_deref(), Some(basic.as_str()));
    assert_eq!((messages.field("To"), messages.field("From")), (Some("+12175550199"), Some("+12175550100")));
    assert_eq!(messages.field("Body"), Some("Your code is 12345."));
    assert_eq!(calls.path, "/2010-04-01/Accounts/AC123/Calls.json");
    assert_eq!(calls.authorization.as_deref(), Some(basic.as_str()));
    assert_eq!(calls.field("To"), Some("+12175550199"));
    let twiml = calls.field("Twiml").unwrap();
    assert!(twiml.starts_with(r#"<Response><Say language="en-US">Your code is 1, 2, 3, 4, 5.</Say>"#), "{twiml}");
    for id in [text, call] {
        assert_eq!(row(&app, id).await.0, "sent");
    }
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

async fn passing_provider_errors_are_retried_with_doubling_waits(db: Db) {
    let provider = Provider::start(vec![
        Reply::Status(503, "<html>busy</html>"),
        Reply::Status(429, r#"{"code": 20429, "message": "Too Many Requests"}"#),
        Reply::Hang(Duration::from_secs(3)),
    ])
    .await;
    let app = TestApp::spawn(db).await;
    let id = enqueue(&app, Channel::Sms, "+12175550199", "Your code is 12345.").await;
    let w = worker(&app, |c| live(c, "smtp://127.0.0.1:9", Some(&provider.base))).await;
    let t0 = app.services.clock.now();

    assert_eq!(w.deliver_due(t0).await.unwrap(), 1);
    let (status, attempts, error, next) = row(&app, id).await;
    assert_eq!((status.as_str(), attempts, error.as_deref()), ("queued", 1, Some("provider answered 503 Service Unavailable")));
    assert!((t0 + 30..=t0 + 32).contains(&next), "first wait {}", next - t0);
    assert_eq!(w.deliver_due(next - 1).await.unwrap(), 0, "not due before its time");

    assert_eq!(w.deliver_due(next).await.unwrap(), 1);
    let (status, attempts, error, next2) = row(&app, id).await;
    assert_eq!((status.as_str(), attempts, error.as_deref()), ("queued", 2, Some("provider answered 429: Too Many Requests")));
    assert!((next + 60..=next + 62).contains(&next2), "second wait {}", next2 - next);

    // The provider does not answer within the 1-second timeout.
    assert_eq!(w.deliver_due(next2).await.unwrap(), 1);
    let (status, attempts, error, next3) = row(&app, id).await;
    assert_eq!((status.as_str(), attempts), ("queued", 3));
    assert!(error.as_deref().unwrap().contains("in time") || error.as_deref().unwrap().contains("no answer"), "{error:?}");
    assert!((next2 + 120..=next2 + 122).contains(&next3), "third wait {}", next3 - next2);

    assert_eq!(w.deliver_due(next3).await.unwrap(), 1);
    assert_eq!(row(&app, id).await.0, "sent");
    assert_eq!(provider.requests().len(), 4);
}

async fn a_refused_number_fails_at_once_and_a_hopeless_one_gives_up(db: Db) {
    let provider = Provider::start(vec![
        Reply::Status(400, r#"{"code": 21211, "message": "The 'To' number +15555550100 is not a valid phone number."}"#),
        Reply::Status(500, ""),
        Reply::Status(500, ""),
    ])
    .await;
    let app = TestApp::spawn(db).await;
    let refused = enqueue(&app, Channel::Sms, "+15555550100", "Your code is 12345.").await;
    let w = worker(&app, |c| {
        live(c, "smtp://127.0.0.1:9", Some(&provider.base));
        c.delivery_max_attempts = 2;
    })
    .await;
    let t0 = app.services.clock.now();
    w.deliver_due(t0).await.unwrap();
    let (status, attempts, error, _) = row(&app, refused).await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    assert_eq!(error.as_deref(), Some("provider answered 400: The 'To' number <recipient> is not a valid phone number."));

    let hopeless = enqueue(&app, Channel::Voice, "+12175550199", "Your code is 1, 2, 3, 4, 5.").await;
    w.deliver_due(t0).await.unwrap();
    w.deliver_due(t0 + 3600).await.unwrap();
    let (status, attempts, error, _) = row(&app, hopeless).await;
    assert_eq!((status.as_str(), attempts), ("failed", 2));
    assert_eq!(error.as_deref(), Some("gave up after 2 tries: provider answered 500 Internal Server Error"));
}

each_store!(
    a_reset_email_arrives_over_smtp,
    a_bounced_address_fails_at_once_with_the_servers_reason,
    smtp_that_is_down_is_tried_again_later,
    texts_and_calls_go_to_the_provider_as_it_expects,
    passing_provider_errors_are_retried_with_doubling_waits,
    a_refused_number_fails_at_once_and_a_hopeless_one_gives_up,
);
