//! The reset wizard's steps after the emailed link, on SQLite and PostgreSQL.

use app::ids::PatientId;
use crate::common;

use app::reset::{ResetError, SendBy};
use app::secret::{Password, PasswordProblem};
use common::{TestApp, PASSWORD};
use server::client::ClientMeta;
use server::outbox;
use server::recovery::{reset, steps};
use server::tokens::SecretToken;

const NEW_PASSWORD: &str = "Copper-Kettle-Meadow-58";
const MOBILE: &str = "(217) 555-0199";

/// Enrolls Alice, asks for a reset, and returns the link's token.
async fn link(app: &TestApp) -> (PatientId, SecretToken) {
    let id = app.enrolled_patient("Alice", "alice@example.com").await;
    reset::request(&app.services, &ClientMeta::cli(), "alice@example.com").await.unwrap();
    let body = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
    let url = body.lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap();
    (id, SecretToken::from_presented(url.rsplit('/').next().unwrap().to_string()))
}

fn cli() -> ClientMeta {
    ClientMeta::cli()
}

async fn last_message(app: &TestApp) -> outbox::DevMessage {
    outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap()
}

on_both_stores! {
    async fn the_security_question_path_ends_with_a_new_password_that_signs_in(app) {
        let (_, token) = link(&app).await;
        app.post_login_form("alice@example.com", PASSWORD).await;
        assert_eq!(steps::question(&app.services, &token).await.unwrap(), "What was the name of your first pet?");
        // A date that doesn't parse gets its message and is not a try.
        for _ in 0..6 {
            assert!(matches!(steps::answer(&app.services, &cli(), &token, "1980-01-01", "biscuit").await, Err(ResetError::Dob(_))));
        }
        assert_eq!(steps::answer(&app.services, &cli(), &token, "19800102", "Biscuit").await, Err(ResetError::NoMatch(4)));
        assert_eq!(steps::answer(&app.services, &cli(), &token, "19800101", "Mittens").await, Err(ResetError::NoMatch(3)));
        assert_eq!(
            ResetError::NoMatch(3).to_string(),
            "The date of birth or security answer doesn't match our records. You have 3 tries left."
        );
        assert_eq!(steps::answer(&app.services, &cli(), &token, "19800101", "  BISCUIT ").await, Ok(()));

        let (new, weak) = (Password::new(NEW_PASSWORD), Password::new("password1"));
        assert_eq!(steps::save_password(&app.services, &cli(), &token, &new, &weak).await, Err(ResetError::Password(PasswordProblem::Mismatch)));
        assert_eq!(steps::save_password(&app.services, &cli(), &token, &weak, &weak).await, Err(ResetError::Password(PasswordProblem::TooGuessable)));
        assert_eq!(steps::save_password(&app.services, &cli(), &token, &new, &new).await, Ok(()));

        // Used up, sessions ended, patient told, new password works and the old one doesn't.
        assert_eq!(steps::question(&app.services, &token).await, Err(ResetError::NoLongerValid));
        assert_eq!(app.get("/").await.status(), 302);
        let m = last_message(&app).await;
        assert_eq!((m.to.as_str(), m.subject.as_str()), ("alice@example.com", "Your patient portal password was changed"));
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 401);
        assert_eq!(app.call_login("alice@example.com", NEW_PASSWORD).await.status(), 200);
    }

    async fn five_wrong_answers_end_the_flow_and_lock_the_account(app) {
        let (_, token) = link(&app).await;
        steps::question(&app.services, &token).await.unwrap();
        for left in (1..=4).rev() {
            assert_eq!(steps::answer(&app.services, &cli(), &token, "19800101", "wrong").await, Err(ResetError::NoMatch(left)));
        }
        assert_eq!(ResetError::NoMatch(1).to_string().rsplit(". ").next(), Some("You have 1 try left."));
        assert_eq!(steps::answer(&app.services, &cli(), &token, "19800101", "wrong").await, Err(ResetError::NoLongerValid));
        let page = app.page(&format!("/reset/{}", token.expose())).await;
        assert!(page.contains("This link is no longer valid.") && page.contains("It ended after 5 wrong answers"), "{page}");
        assert_eq!(steps::answer(&app.services, &cli(), &token, "19800101", "biscuit").await, Err(ResetError::NoLongerValid));
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 423, "the tries count toward the lock");
    }

    async fn a_reset_clears_the_lock(app) {
        let (_, token) = link(&app).await;
        for _ in 0..5 {
            app.call_login("alice@example.com", "wrong-password-1").await;
        }
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 423);
        steps::question(&app.services, &token).await.unwrap();
        steps::answer(&app.services, &cli(), &token, "19800101", "biscuit").await.unwrap();
        let new = Password::new(NEW_PASSWORD);
        steps::save_password(&app.services, &cli(), &token, &new, &new).await.unwrap();
        assert_eq!(app.call_login("alice@example.com", NEW_PASSWORD).await.status(), 200);
    }

    async fn five_wrong_mobile_numbers_end_the_link(app) {
        let (_, token) = link(&app).await;
        let s = &app.services;
        for _ in 0..4 {
            assert_eq!(steps::send_code(s, &cli(), &token, Some("(217) 555-0100"), SendBy::Text).await, Err(ResetError::PhoneMismatch));
        }
        assert_eq!(steps::send_code(s, &cli(), &token, Some("(217) 555-0100"), SendBy::Text).await, Err(ResetError::NoLongerValid));
        assert_eq!(steps::send_code(s, &cli(), &token, Some(MOBILE), SendBy::Text).await, Err(ResetError::NoLongerValid), "even the right number now");
        let page = app.page(&format!("/reset/{}", token.expose())).await;
        assert!(page.contains("It ended after 5 mobile numbers that didn&#x27;t match") || page.contains("It ended after 5 mobile numbers that didn't match"), "{page}");
    }

    async fn the_code_path_checks_the_number_the_interval_and_the_code(app) {
        app.services.clock.freeze();
        let (_, token) = link(&app).await;
        let s = &app.services;
        assert_eq!(steps::send_code(s, &cli(), &token, Some("(217) 555-0100"), SendBy::Text).await, Err(ResetError::PhoneMismatch));
        assert!(matches!(steps::send_code(s, &cli(), &token, Some("555-01"), SendBy::Text).await, Err(ResetError::Phone(_))));
        let sent = steps::send_code(s, &cli(), &token, Some("+1 217 555 0199"), SendBy::Text).await.unwrap();
        assert_eq!(sent.last_four, "0199");
        let m = last_message(&app).await;
        assert_eq!((m.channel.as_str(), m.to.as_str()), ("sms", "+12175550199"));
        let code = common::code_in(&m.body);
        assert_eq!(code.len(), 5, "{}", m.body);
        assert_eq!(steps::send_code(s, &cli(), &token, Some(MOBILE), SendBy::Text).await, Err(ResetError::ResendIn(60)));

        let wrong = if code == "00000" { "11111" } else { "00000" };
        assert_eq!(steps::check_code(s, &cli(), &token, wrong).await, Err(ResetError::WrongCode(4)));
        assert!(matches!(steps::check_code(s, &cli(), &token, "12").await, Err(ResetError::Code(_))));
        assert_eq!(steps::check_code(s, &cli(), &token, &code).await, Ok(()));
        let stored: Option<String> = sqlx::query_scalar("SELECT code_hmac FROM reset_flows").fetch_one(&s.store).await.unwrap();
        assert!(!stored.unwrap().contains(&code), "only an HMAC of the code is stored");
    }

    async fn a_voice_code_reads_its_digits_one_by_one(app) {
        let (_, token) = link(&app).await;
        steps::send_code(&app.services, &cli(), &token, Some(MOBILE), SendBy::Voice).await.unwrap();
        let m = last_message(&app).await;
        assert_eq!(m.channel, "voice");
        assert!(m.body.contains(", "), "{}", m.body);
        let digits: Vec<char> = m.body.split("is: ").nth(1).unwrap().split('.').next().unwrap().chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits.len(), 5);
    }

    async fn opening_the_link_changes_nothing_and_an_expired_link_is_refused(app) {
        app.services.clock.freeze();
        let (_, token) = link(&app).await;
        for _ in 0..3 {
            assert_eq!(steps::view(&app.services, &token).await.unwrap().flow.step, server::recovery::flow::Step::ChooseMethod);
        }
        app.services.clock.advance(59 * 60);
        assert!(steps::view(&app.services, &token).await.is_ok(), "live for 60 minutes");
        app.services.clock.advance(60);
        assert!(matches!(steps::view(&app.services, &token).await, Err(ResetError::NoLongerValid)), "expired after 60 minutes");
        assert!(app.page(&format!("/reset/{}", token.expose())).await.contains("Links work for 60 minutes, and this one is older."));
        let unknown = SecretToken::from_presented("not-a-token".into());
        assert!(matches!(steps::view(&app.services, &unknown).await, Err(ResetError::NoLongerValid)));
        assert!(app.page("/reset/not-a-token").await.contains("Links work once, for 60 minutes"));
    }

    async fn a_newer_link_voids_the_older_one(app) {
        let (_, old) = link(&app).await;
        reset::request(&app.services, &cli(), "alice@example.com").await.unwrap();
        assert_eq!(steps::question(&app.services, &old).await, Err(ResetError::NoLongerValid));
        assert!(app.page(&format!("/reset/{}", old.expose())).await.contains("A newer link was sent"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_answer_is_audited_once_with_its_count() {
    let app = TestApp::spawn(common::Db::Sqlite).await;
    let (id, token) = link(&app).await;
    steps::question(&app.services, &token).await.unwrap();
    steps::answer(&app.services, &cli(), &token, "19800101", "wrong").await.unwrap_err();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT event, detail FROM audit_events WHERE patient_id = $1 AND event LIKE 'reset_question%'")
        .bind(id)
        .fetch_all(&app.services.store)
        .await
        .unwrap();
    assert_eq!(rows, [("reset_question_failed".to_string(), "failed_attempts=1".to_string())]);
}
