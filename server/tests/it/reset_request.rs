//! Asking for a reset link (SPEC §2.2 steps 1–3), on SQLite and PostgreSQL.

use app::ids::PatientId;
use crate::common;

use server::client::ClientMeta;
use server::outbox;
use server::recovery::reset::request;
const EMAIL_SUBJECT: &str = "Reset your patient portal password";

fn link_in(body: &str) -> String {
    body.lines()
        .find_map(|l| l.strip_prefix("Reset password: "))
        .expect("a Reset password link")
        .to_string()
}

async fn steps(app: &common::TestApp, patient_id: PatientId) -> Vec<String> {
    sqlx::query_scalar("SELECT f.step FROM reset_flows f JOIN grants g ON g.account_id = f.account_id WHERE g.patient_id = $1 ORDER BY f.id")
        .bind(patient_id)
        .fetch_all(&app.services.store)
        .await
        .unwrap()
}

on_both_stores! {
    async fn a_known_username_gets_one_email_with_a_link_and_an_unknown_one_gets_none(app) {
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        let cli = ClientMeta::cli();
        assert_eq!(request(&app.services, &cli, " Alice@Example.com ").await, Ok(()));
        assert_eq!(request(&app.services, &cli, "nobody@example.com").await, Ok(()));
        let sent = outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
        assert_eq!(sent.len(), 1);
        let m = &sent[0];
        assert_eq!((m.channel.as_str(), m.to.as_str(), m.subject.as_str()), ("email", "alice@example.com", EMAIL_SUBJECT));
        let link = link_in(&m.body);
        assert!(link.starts_with(&format!("{}reset/", app.services.config.public_url)), "{link}");
        let token = link.rsplit('/').next().unwrap();
        assert_eq!(token.len(), 43, "a 256-bit token");
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM reset_flows").fetch_one(&app.services.store).await.unwrap();
        assert_ne!(stored, token, "only the hash is stored");
        assert_eq!(steps(&app, id).await, ["choose_method"]);
        let audit: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_events WHERE event LIKE 'reset%' ORDER BY id")
            .fetch_all(&app.services.store)
            .await
            .unwrap();
        assert_eq!(audit, ["reset_requested", "reset_requested_no_account"]);
    }

    async fn a_new_request_voids_the_older_link(app) {
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        let cli = ClientMeta::cli();
        request(&app.services, &cli, "alice@example.com").await.unwrap();
        request(&app.services, &cli, "alice@example.com").await.unwrap();
        assert_eq!(steps(&app, id).await, ["void", "choose_method"]);
        let sent = outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
        assert_ne!(link_in(&sent[0].body), link_in(&sent[1].body));
    }

    async fn at_most_three_emails_an_hour_and_past_that_the_newest_link_stays_alive(app) {
        app.services.clock.freeze();
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        let cli = ClientMeta::cli();
        // Asked for at once, from many tabs: still three.
        let asks = (0..8).map(|_| request(&app.services, &cli, "alice@example.com"));
        assert!(futures::future::join_all(asks).await.into_iter().all(|r| r.is_ok()), "the same answer every time");
        assert_eq!(outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len(), 3);
        assert_eq!(steps(&app, id).await, ["void", "void", "choose_method"], "the third link is not voided by the five after it");
        app.services.clock.advance(3600);
        request(&app.services, &cli, "alice@example.com").await.unwrap();
        assert_eq!(outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len(), 4, "an hour later, one more");
    }

    async fn no_email_goes_to_a_revoked_account(app) {
        let id = app.enrolled_patient("Erin", "erin@example.com").await;
        server::patients::revoke(&app.services, id, server::audit::Actor::System, &ClientMeta::cli()).await.unwrap();
        assert_eq!(request(&app.services, &ClientMeta::cli(), "erin@example.com").await, Ok(()));
        assert!(outbox::all(&app.services.store, &app.services.bodies).await.unwrap().is_empty());
        assert!(steps(&app, id).await.is_empty());
    }

    async fn bad_usernames_are_refused_before_any_work(app) {
        let r = request(&app.services, &ClientMeta::cli(), "   ").await;
        assert_eq!(r, Err(app::error::PortalError::BadInput(app::error::InputProblem::UsernameMissing)));
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(audit, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_requests_are_throttled_per_ip() {
    let app = common::TestApp::spawn_with(common::Db::Sqlite, |c| c.ip_limit = 2).await;
    let client = ClientMeta { ip: Some([192, 0, 2, 7].into()), user_agent: String::new() };
    for _ in 0..2 {
        assert_eq!(request(&app.services, &client, "nobody@example.com").await, Ok(()));
    }
    assert_eq!(request(&app.services, &client, "nobody@example.com").await, Err(app::error::PortalError::TooManyAttempts));
}
