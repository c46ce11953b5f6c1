//! The database going away under load (SPEC §6): requests fail fast with
//! 503 and `Retry-After` instead of hanging, `/healthz` says so, and the
//! server recovers on its own when the database is back, every change it
//! acknowledged kept. "Away" is PostgreSQL refusing new connections to the
//! test's database and ending the ones it has, as a restart does.

use crate::common;

use std::time::{Duration, Instant};

use common::{fresh_database, Db, TestApp, JS, PASSWORD};
use server::outbox;

/// Stops (or again allows) connections to the database `url` names, ending
/// the open ones when it stops them.
async fn database_answers(url: &str, allow: bool) {
    let name = url::Url::parse(url).unwrap().path().trim_start_matches('/').to_string();
    let mut admin = url::Url::parse(url).unwrap();
    admin.set_path("postgres");
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(admin.as_str()).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {allow}"))).execute(&mut conn).await.unwrap();
    if !allow {
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            .bind(&name)
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_answers_503_at_once_and_the_server_recovers_on_its_own() {
    const PATIENTS: usize = 24;
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(Db::Postgres, &dir).await;
    let app = TestApp::spawn_on(url.clone(), dir, |_| {}).await;
    let emails: Vec<String> = (0..PATIENTS).map(|i| format!("p{i}@example.com")).collect();
    for (i, email) in emails.iter().enumerate() {
        app.enrolled_patient(&format!("P{i}"), email).await;
    }

    // Each patient asks for a reset email, one every 100 ms, while the
    // database goes away for a while and comes back.
    let load = {
        let (browser, base, emails) = (app.browser.clone(), app.base.clone(), emails.clone());
        tokio::spawn(async move {
            let mut answers = Vec::new();
            for email in emails {
                let sent = browser
                    .post(format!("{base}/api/forgot_password"))
                    .header("accept", JS)
                    .form(&[("username", email.as_str())])
                    .send()
                    .await
                    .unwrap();
                answers.push((email, sent.status().as_u16()));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            answers
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    database_answers(&url, false).await;

    let asked = Instant::now();
    let refused = app.call_login(&emails[0], PASSWORD).await;
    let waited = asked.elapsed();
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], app::error::UNAVAILABLE_RETRY_SECS.to_string().as_str());
    let said: app::error::PortalError = refused.json().await.unwrap();
    assert_eq!(said, app::error::PortalError::Unavailable);
    // Told within the pool's acquire timeout, not after the 30 s request timeout.
    assert!(waited < Duration::from_secs(15), "the answer took {waited:?}");
    assert_eq!(app.get("/healthz").await.status(), 503);
    // A page that reads the database says so in its status, for people and proxies alike.
    let page = app.get(&format!("/reset/{}", "A".repeat(43))).await;
    assert_eq!(page.status(), 503);
    assert!(page.text().await.unwrap().contains("The portal is unavailable right now"));

    tokio::time::sleep(Duration::from_secs(1)).await;
    database_answers(&url, true).await;
    let back = Instant::now();
    while app.get("/healthz").await.status() != 200 {
        assert!(back.elapsed() < Duration::from_secs(20), "still unhealthy after the database came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let answers = load.await.unwrap();
    let queued: Vec<String> = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().into_iter().map(|m| m.to).collect();
    for (email, status) in &answers {
        assert!(*status == 200 || *status == 503, "{email} was answered {status}");
        if *status == 200 {
            assert!(queued.contains(email), "{email} was told a link was sent, but none is queued");
        }
    }
    assert!(answers.iter().any(|(_, s)| *s == 200), "{answers:?}");
    assert_eq!(app.call_login(&emails[0], PASSWORD).await.status(), 200, "signs in once the database is back");
}
