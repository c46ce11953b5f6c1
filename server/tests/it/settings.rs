//! A signed-in patient's account settings (SPEC §2.5), over HTTP, on both
//! stores: each change needs the current password, is audited and emailed.

use crate::common;

use common::{TestApp, PASSWORD};
use server::outbox;

const FORM: &str = "text/html";
const JS: &str = "application/json";
const NEW_PASSWORD: &str = "Copper-Kettle-Meadow-58";

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, accept: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(app.url(path)).header("accept", accept).form(form).send().await.unwrap()
}

/// The session cookie a response sets, as a `Cookie` header value.
fn session_cookie(r: &reqwest::Response) -> Option<String> {
    common::session_cookie(r).map(|c| c.split(';').next().unwrap_or_default().to_string())
}

async fn audited(app: &TestApp, event: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE event = $1").bind(event).fetch_one(&app.services.store).await.unwrap()
}

async fn last_subject(app: &TestApp) -> String {
    outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().subject
}

on_both_stores! {
    async fn nothing_changes_without_a_session(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let b = &app.browser;
        let res = post(b, &app, "/api/change_mobile", JS, &[("current", PASSWORD), ("phone", "(217) 555-0188")]).await;
        assert_eq!(res.status(), 401);
        let res = post(b, &app, "/api/change_password", JS, &[("current", PASSWORD), ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)]).await;
        assert_eq!(res.status(), 401);
        let page = app.get("/settings").await;
        assert!(page.status().is_redirection() && page.headers()["location"] == "/login", "{:?}", page.headers());
    }

    async fn a_new_password_ends_the_other_sessions_and_rotates_this_one(app) {
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        let login = app.call_login("alice@example.com", PASSWORD).await;
        assert_eq!(login.status(), 200);
        let before = session_cookie(&login).unwrap();
        // A reset link asked for before the change dies with it.
        assert!(post(&app.browser, &app, "/api/forgot_password", JS, &[("username", "alice@example.com")]).await.status().is_success());
        let other = common::browser_builder().cookie_store(true).build().unwrap();
        assert_eq!(post(&other, &app, "/api/login", JS, &[("username", "alice@example.com"), ("password", PASSWORD)]).await.status(), 200);

        let b = &app.browser;
        let wrong = post(b, &app, "/api/change_password", JS, &[("current", "not-it"), ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)]).await;
        assert_eq!(wrong.status(), 401);
        let weak = post(b, &app, "/api/change_password", JS, &[("current", PASSWORD), ("password", "password1"), ("confirm", "password1")]).await;
        assert_eq!(weak.status(), 400);
        let ok = post(b, &app, "/api/change_password", JS, &[("current", PASSWORD), ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)]).await;
        assert_eq!(ok.status(), 200);
        let after = session_cookie(&ok).expect("a fresh session id");
        assert_ne!(before, after);
        assert_eq!(last_subject(&app).await, "Your patient portal password was changed");
        assert_eq!(audited(&app, "password_changed").await, 1);
        assert!(app.page("/").await.contains("Welcome, Alice"), "this browser stays signed in");
        let with_old = common::browser_builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let old = with_old.get(app.url("/")).header("accept", "text/html").header("cookie", before).send().await.unwrap();
        assert_eq!(old.status(), 302, "the old session id opens nothing");
        let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reset_flows WHERE account_id = $1 AND step <> 'void'")
            .bind(app.account_of(id).await)
            .fetch_one(&app.services.store)
            .await
            .unwrap();
        assert_eq!(open, 0, "the reset link asked for before is void");
        let me = post(&other, &app, "/api/me", JS, &[]).await.text().await.unwrap();
        assert_eq!(me, "null", "the other session ended");
        assert_eq!(app.call_login("alice@example.com", NEW_PASSWORD).await.status(), 200);
    }

    async fn question_and_mobile_change_with_the_current_password_and_plain_forms_come_back(app) {
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        app.call_login("alice@example.com", PASSWORD).await;
        let b = &app.browser;
        let odd = post(b, &app, "/api/change_question", JS, &[("current", PASSWORD), ("question", "What is your PIN?"), ("answer", "1234")]).await;
        assert_eq!(odd.status(), 400);
        let q = "What is the name of the street you grew up on?";
        let res = post(b, &app, "/api/change_question", FORM, &[("current", PASSWORD), ("question", q), ("answer", "Elm Street")]).await;
        assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, "/settings"));
        let page = app.page("/settings").await;
        assert!(page.contains("Your security question was changed.") && page.contains(&format!(r#"value="{q}" selected"#)), "{page}");
        let stored: String = sqlx::query_scalar("SELECT security_question FROM accounts WHERE id = $1").bind(app.account_of(id).await).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(stored, q);

        let bad = post(b, &app, "/api/change_mobile", FORM, &[("current", PASSWORD), ("phone", "555-01")]).await;
        assert_eq!(bad.status(), 303);
        assert!(app.page("/settings").await.contains("Enter a 10-digit US mobile number"));
        let res = post(b, &app, "/api/change_mobile", JS, &[("current", PASSWORD), ("phone", "217.555.0188")]).await;
        assert_eq!(res.status(), 200);
        let mobile: String = sqlx::query_scalar("SELECT mobile FROM patients WHERE id = $1").bind(id).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(mobile, "+12175550188");
        assert_eq!(last_subject(&app).await, "Your patient portal mobile number was changed");
        assert_eq!((audited(&app, "security_question_changed").await, audited(&app, "mobile_changed").await), (1, 1));
    }

    async fn wrong_current_passwords_count_toward_the_lock(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        app.call_login("alice@example.com", PASSWORD).await;
        let b = &app.browser;
        for _ in 0..4 {
            let res = post(b, &app, "/api/change_mobile", JS, &[("current", "guess"), ("phone", "(217) 555-0188")]).await;
            assert_eq!(res.status(), 401);
        }
        let res = post(b, &app, "/api/change_mobile", JS, &[("current", "guess"), ("phone", "(217) 555-0188")]).await;
        assert_eq!(res.status(), 423);
        let res = post(b, &app, "/api/change_mobile", JS, &[("current", PASSWORD), ("phone", "(217) 555-0188")]).await;
        assert_eq!(res.status(), 423, "locked: even the right password waits");
    }
}
