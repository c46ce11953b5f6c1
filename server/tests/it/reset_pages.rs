//! "Forgot password?" and the reset wizard over HTTP, as a browser without
//! JavaScript posts the forms (303s, a remembered refusal) and as the
//! hydrated page calls the server functions (statuses), on both stores.

use crate::common;

use common::{location, TestApp, FORM, JS};
use server::outbox;

/// Asks for Alice's reset through the form and returns the link's token.
async fn token(app: &TestApp) -> String {
    app.enrolled_patient("Alice", "alice@example.com").await;
    let res = app.post("/api/forgot_password", FORM, &[("username", "alice@example.com")]).await;
    assert_eq!(res.status(), 303);
    let body = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
    let url = body.lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap().to_string();
    url.rsplit('/').next().unwrap().to_string()
}

on_both_stores! {
    async fn forgot_password_answers_every_username_alike_and_remembers_a_refusal(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let known = app.post("/api/forgot_password", FORM, &[("username", "alice@example.com")]).await;
        let unknown = app.post("/api/forgot_password", FORM, &[("username", "nobody@example.com")]).await;
        assert_eq!((known.status(), location(&known)), (reqwest::StatusCode::SEE_OTHER, "/forgot-password?sent=1".into()));
        assert_eq!((unknown.status(), location(&unknown)), (reqwest::StatusCode::SEE_OTHER, "/forgot-password?sent=1".into()));
        assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
        let page = app.page("/forgot-password?sent=1").await;
        assert!(page.contains("Check your email") && page.contains(&app.services.config.mail_from) && page.contains("spam or junk"), "{page}");

        let empty = app.post("/api/forgot_password", FORM, &[("username", "  ")]).await;
        assert_eq!(location(&empty), "/forgot-password");
        let page = app.page("/forgot-password").await;
        let alert = r#"class="error">Enter your username.<"#;
        assert!(page.contains(alert), "{page}");
        assert!(!app.page("/forgot-password").await.contains(alert), "shown once");
        let js = app.post("/api/forgot_password", JS, &[("username", "")]).await;
        assert_eq!(js.status(), 400);
    }

    async fn a_refused_step_without_javascript_comes_back_with_its_message_and_the_typed_date(app) {
        let token = token(&app).await;
        let page = app.page(&format!("/reset/{token}")).await;
        assert!(page.contains("Answer my security question") && page.contains("Send a security code to my mobile phone"), "{page}");

        let res = app.post("/api/reset_answer", FORM, &[("token", &token), ("dob", "1980-01-01"), ("answer", "Biscuit")]).await;
        assert_eq!(location(&res), format!("/reset/{token}?method=question"));
        let page = app.page(&location(&res)).await;
        assert!(page.contains("Use digits only, like 19800101.") && page.contains(r#"value="1980-01-01""#), "{page}");
        assert!(page.contains("What was the name of your first pet?"), "{page}");
        assert!(!page.contains("Biscuit"), "the answer is never shown again");

        let res = app.post("/api/reset_answer", FORM, &[("token", &token), ("dob", "19800101"), ("answer", "Biscuit")]).await;
        assert_eq!(location(&res), format!("/reset/{token}"));
        assert!(app.page(&location(&res)).await.contains("Choose a new password"));
        let new = "Copper-Kettle-Meadow-58";
        let res = app.post("/api/reset_password", FORM, &[("token", &token), ("password", new), ("confirm", new)]).await;
        assert_eq!(location(&res), "/login");
        let login = app.page("/login").await;
        assert!(login.contains("Your password has been reset. Sign in with your new password."), "{login}");
        assert_eq!(app.call_login("alice@example.com", new).await.status(), 200);
        let used = app.page(&format!("/reset/{token}")).await;
        assert!(used.contains("This link is no longer valid.") && used.contains(r#"href="/forgot-password""#), "{used}");
        assert!(used.contains("This link was already used to reset your password."), "{used}");
    }

    async fn the_page_s_calls_get_statuses_and_a_forged_notice_is_ignored(app) {
        let token = token(&app).await;
        let bad = app.post("/api/reset_send_code", JS, &[("token", &token), ("phone", "(217) 555-0100"), ("send_by", "text")]).await;
        assert_eq!(bad.status(), 401, "a number that doesn't match proves nothing (Refusal::NotProven)");
        let odd = app.post("/api/reset_send_code", JS, &[("token", &token), ("phone", "(217) 555-0199"), ("send_by", "fax")]).await;
        assert_eq!(odd.status(), 400);
        let ok = app.post("/api/reset_send_code", JS, &[("token", &token), ("phone", "217-555-0199"), ("send_by", "voice")]).await;
        assert_eq!(ok.status(), 200);
        let again = app.post("/api/reset_resend_code", JS, &[("token", &token), ("send_by", "text")]).await;
        assert_eq!(again.status(), 429);
        let wait: i64 = again.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        let page = app.page(&format!("/reset/{token}")).await;
        assert!(page.contains("We sent a code by voice call to (•••) •••-0199 at") && page.contains("Resend code in "), "{page}");
        let wrong = app.post("/api/reset_check_code", JS, &[("token", &token), ("code", "1234")]).await;
        assert_eq!(wrong.status(), 400);

        let forged = "eyJlcnJvciI6Ik5vTWF0Y2giLCJkb2IiOiIiLCJwaG9uZSI6IiJ9.AAAA";
        let res = app.browser.get(app.url(&format!("/reset/{token}"))).header("cookie", format!("portal_reset_notice={forged}")).send().await.unwrap();
        assert!(!res.text().await.unwrap().contains("doesn't match our records"));
        let nonsense = app.page("/reset/..%2F..%2Fetc").await;
        assert!(nonsense.contains("This link is no longer valid."), "{nonsense}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practice_that_turned_questions_off_offers_and_accepts_codes_only() {
    let app = TestApp::spawn_with(common::Db::Sqlite, |c| c.reset_methods = "code".parse().unwrap()).await;
    let token = token(&app).await;
    let page = app.page(&format!("/reset/{token}")).await;
    assert!(!page.contains("Answer my security question") && page.contains("Send a security code to my mobile phone"), "{page}");
    let question = app.page(&format!("/reset/{token}?method=question")).await;
    assert!(!question.contains("first pet"), "{question}");
    let res = app.post("/api/reset_answer", JS, &[("token", &token), ("dob", "19800101"), ("answer", "Biscuit")]).await;
    assert_eq!(res.status(), 409);
}
