//! Patient sign-in end to end over HTTP, on SQLite and on PostgreSQL.

use crate::common;

use common::{location, session_cookie, TestApp, PASSWORD};

const WRONG: &str = "The username or password you entered is incorrect.";
const LOCKED: &str = "Your account is temporarily locked. Try again in 15 minutes, or use Forgot password? to reset your password.";


async fn failures_then(app: &TestApp, username: &str, n: usize) -> reqwest::Response {
    for _ in 0..n {
        let r = app.call_login(username, "wrong-password-1").await;
        assert_eq!(r.status(), 401);
    }
    app.call_login(username, "wrong-password-1").await
}

on_both_stores! {
    async fn the_right_password_opens_a_session_and_the_welcome_page(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let r = app.post_login_form("  ALICE@example.com ", PASSWORD).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/");
        let cookie = session_cookie(&r).expect("a session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let home = app.get("/").await;
        assert_eq!(home.status(), 200);
        let html = home.text().await.unwrap();
        assert!(html.contains("<h1>Welcome, Alice</h1>"), "{html}");
        assert!(html.contains("Sign out"));
    }

    async fn wrong_password_and_unknown_username_answer_identically(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let known = app.call_login("alice@example.com", "not-her-password").await;
        let (s1, b1) = (known.status(), known.bytes().await.unwrap());
        let unknown = app.call_login("nobody@example.com", "not-her-password").await;
        let (s2, b2) = (unknown.status(), unknown.bytes().await.unwrap());
        assert_eq!(s1, 401);
        assert_eq!((s1, &b1), (s2, &b2));
        assert!(String::from_utf8_lossy(&b1).contains("InvalidCredentials"));
    }

    async fn a_notice_the_server_did_not_sign_shows_nothing(app) {
        // The format notices had before they were signed (code and base64
        // username), and a sealed one with a made-up tag: neither shows.
        for forged in ["locked.YWxpY2VAZXhhbXBsZS5jb20", "eyJlcnJvciI6IkxvY2tlZCJ9.AAAA"] {
            let res = app.browser.get(app.url("/login")).header("accept", "text/html").header("cookie", format!("portal_notice={forged}")).send().await.unwrap();
            let html = res.text().await.unwrap();
            assert!(!html.contains(LOCKED) && !html.contains("alice@example.com"), "{forged}: {html}");
        }
    }

    async fn without_javascript_a_failure_redirects_back_and_the_page_shows_the_message(app) {
        let r = app.post_login_form("nobody@example.com", "whatever-it-is").await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/login");
        let page = app.get("/login").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains(WRONG), "{html}");
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("value=\"nobody@example.com\""));
        // Shown once: the notice is consumed.
        assert!(!app.page("/login").await.contains(WRONG));
    }

    async fn five_failures_in_a_row_lock_the_account_even_for_the_right_password(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let fifth = failures_then(&app, "alice@example.com", 4).await;
        assert_eq!(fifth.status(), 423);
        assert!(fifth.text().await.unwrap().contains("Locked"));
        let right = app.call_login("alice@example.com", PASSWORD).await;
        assert_eq!(right.status(), 423);
        let r = app.post_login_form("alice@example.com", PASSWORD).await;
        assert_eq!(location(&r), "/login");
        assert!(app.page("/login").await.contains(LOCKED));
    }

    async fn a_success_resets_the_failure_count(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        failures_then(&app, "alice@example.com", 3).await;
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 200);
        let after = failures_then(&app, "alice@example.com", 3).await;
        assert_eq!(after.status(), 401, "4 failures after a success must not lock");
    }

    async fn the_lock_ends_after_15_minutes(app) {
        app.services.clock.freeze();
        app.enrolled_patient("Alice", "alice@example.com").await;
        assert_eq!(failures_then(&app, "alice@example.com", 4).await.status(), 423);
        app.services.clock.advance(15 * 60 - 1);
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 423, "still locked a second before 15 minutes");
        app.services.clock.advance(1);
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 200);
    }

    async fn signing_in_again_issues_a_new_session_id_and_ends_the_old_one(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let first = session_cookie(&app.post_login_form("alice@example.com", PASSWORD).await).unwrap();
        let second = session_cookie(&app.post_login_form("alice@example.com", PASSWORD).await).unwrap();
        assert_ne!(first, second);
        let old_value = first.split(';').next().unwrap().to_string();
        let with_old = common::browser_builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let r = with_old.get(app.url("/")).header("accept", "text/html").header("cookie", old_value).send().await.unwrap();
        assert_eq!(r.status(), 302, "the replaced session must not open the home page");
    }

    async fn sign_out_ends_the_session(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        app.post_login_form("alice@example.com", PASSWORD).await;
        assert_eq!(app.get("/").await.status(), 200);
        let r = app.browser.post(app.url("/api/logout")).header("accept", "text/html").send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/login");
        let home = app.get("/").await;
        assert_eq!(home.status(), 302);
        assert_eq!(location(&home), "/login");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(count, 0);
    }

    async fn an_idle_session_ends(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        app.post_login_form("alice@example.com", PASSWORD).await;
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 1200")
            .execute(&app.services.store)
            .await
            .unwrap();
        assert_eq!(app.get("/").await.status(), 302);
    }

    async fn revoked_access_is_refused_with_its_own_message(app) {
        let id = app.enrolled_patient("Erin", "erin@example.com").await;
        server::patients::revoke(&app.services, id, server::audit::Actor::System, &server::client::ClientMeta::cli()).await.unwrap();
        let r = app.call_login("erin@example.com", PASSWORD).await;
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("Revoked"));
        // A wrong password tells nothing about the account's state.
        assert_eq!(app.call_login("erin@example.com", "wrong-password-1").await.status(), 401);
    }

    async fn every_step_is_in_the_audit_chain_and_an_edit_breaks_it(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        app.call_login("alice@example.com", "wrong-password-1").await;
        app.call_login("alice@example.com", PASSWORD).await;
        let events: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_events ORDER BY id")
            .fetch_all(&app.services.store)
            .await
            .unwrap();
        assert_eq!(events, ["chart_created", "enrolled", "sign_in_failed", "sign_in"]);
        let verify = || app.services.audit.verify(&app.services.store, None);
        assert_eq!(verify().await.unwrap(), server::audit::Verdict::Intact { entries: 4, unkeyed: 0 });
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM audit_events WHERE event = 'sign_in_failed'")
            .fetch_one(&app.services.store)
            .await
            .unwrap();
        let edit = || sqlx::query("UPDATE audit_events SET ip = '10.9.9.9' WHERE id = $1").bind(id).execute(&app.services.store);
        assert!(edit().await.is_err(), "the database refuses to edit an entry");
        super::common::unguard_audit(&app.services.store).await;
        edit().await.unwrap();
        assert_eq!(verify().await.unwrap(), server::audit::Verdict::BrokenAt(id));
        let secrets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%Harbor%' OR detail LIKE '%wrong-password%'")
            .fetch_one(&app.services.store)
            .await
            .unwrap();
        assert_eq!(secrets, 0);
    }
}

mod http_rules {
    use super::common::{Db, TestApp};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_per_ip_limit_sign_in_answers_429_with_retry_after() {
        let app = TestApp::spawn_with(Db::Sqlite, |c| c.ip_limit = 3).await;
        for _ in 0..3 {
            assert_eq!(app.call_login("nobody@example.com", "x-password").await.status(), 401);
        }
        let r = app.call_login("nobody@example.com", "x-password").await;
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()["retry-after"], "60");
        assert!(r.text().await.unwrap().contains("TooManyAttempts"));
        let form = app.post_login_form("nobody@example.com", "x-password").await;
        assert_eq!(form.status(), 303);
        assert!(app.page("/login").await.contains("Too many attempts. Wait a minute and try again."));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn behind_a_trusted_proxy_each_client_has_its_own_budget_and_audit_address() {
        let login_from = |app: &TestApp, client: &'static str| {
            app.browser
                .post(app.url("/api/login"))
                .header("accept", super::common::JS)
                .header("x-forwarded-for", client)
                .form(&[("username", "nobody@example.com"), ("password", "x-password")])
                .send()
        };
        // Not trusted: the header is ignored, everyone through this peer shares one budget.
        let open = TestApp::spawn_with(Db::Sqlite, |c| c.ip_limit = 2).await;
        assert_eq!(login_from(&open, "198.51.100.1").await.unwrap().status(), 401);
        assert_eq!(login_from(&open, "198.51.100.2").await.unwrap().status(), 401);
        assert_eq!(login_from(&open, "198.51.100.3").await.unwrap().status(), 429);

        let app = TestApp::spawn_with(Db::Sqlite, |c| {
            c.ip_limit = 2;
            c.trusted_proxies = "127.0.0.1/32".parse().unwrap();
        })
        .await;
        assert_eq!(login_from(&app, "198.51.100.1").await.unwrap().status(), 401);
        assert_eq!(login_from(&app, "198.51.100.1").await.unwrap().status(), 401);
        assert_eq!(login_from(&app, "198.51.100.1").await.unwrap().status(), 429, "one client's third try");
        assert_eq!(login_from(&app, "198.51.100.2").await.unwrap().status(), 401, "another client is not blocked");
        // A client can't pick a fresh address by prepending its own.
        assert_eq!(login_from(&app, "10.9.9.9, 198.51.100.1").await.unwrap().status(), 429);
        // IPv6 clients count per /64.
        assert_eq!(login_from(&app, "2001:db8:0:7::1").await.unwrap().status(), 401);
        assert_eq!(login_from(&app, "2001:db8:0:7::2").await.unwrap().status(), 401);
        assert_eq!(login_from(&app, "2001:db8:0:7::3").await.unwrap().status(), 429);
        let ips: Vec<String> = sqlx::query_scalar("SELECT DISTINCT ip FROM audit_events WHERE event = 'sign_in_failed_unknown_username' ORDER BY ip")
            .fetch_all(&app.services.store)
            .await
            .unwrap();
        assert_eq!(ips, ["198.51.100.1", "198.51.100.2", "2001:db8:0:7::1", "2001:db8:0:7::2"], "the audit records the real client");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn metrics_count_what_happens_and_answer_this_machine_or_the_token_only() {
        let app = TestApp::spawn_with(Db::Sqlite, |c| c.metrics_token = Some(server::config::ConfigToken("scrape-secret".into()))).await;
        app.enrolled_patient("Alice", "alice@example.com").await;
        assert_eq!(app.call_login("alice@example.com", "wrong-password-1").await.status(), 401);
        assert_eq!(app.call_login("alice@example.com", super::PASSWORD).await.status(), 200);
        // Made-up paths, as a scanner sends them: refused, and no label of their own.
        for n in 0..3 {
            let post = app.browser.post(app.url(&format!("/made-up-{n}"))).send().await.unwrap();
            assert!(post.status().is_client_error());
            let api = app.browser.get(app.url(&format!("/api/made-up-{n}"))).send().await.unwrap();
            assert!(api.status().is_client_error());
        }
        app.get("/reset/not-a-real-token-but-a-path").await;
        let r = app.get("/metrics").await;
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        for line in [
            "portal_events_total{event=\"sign_in\"}",
            "portal_events_total{event=\"sign_in_failed\"}",
            "portal_responses_total{route=\"/api/login\",status=\"401\"}",
            "portal_request_seconds_bucket{route=\"/api/login\"",
            "portal_hash_wait_seconds_count",
            "portal_hash_queue_depth",
            "portal_outbox_depth",
            "portal_outbox_oldest_age_seconds",
            "portal_responses_total{route=\"(unmatched)\"",
            "portal_responses_total{route=\"/api/(unknown)\"",
            "portal_responses_total{route=\"/reset/{token}\"",
        ] {
            assert!(text.contains(line), "no {line} in:\n{text}");
        }
        assert!(!text.contains("made-up") && !text.contains("not-a-real-token"), "a label made from a raw path:\n{text}");
        // Through a proxy, or from elsewhere: only with the token.
        let forwarded = app.browser.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9");
        assert_eq!(forwarded.send().await.unwrap().status(), 404);
        let wrong = app.browser.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9").bearer_auth("guess");
        assert_eq!(wrong.send().await.unwrap().status(), 404);
        let scraper = app.browser.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9").bearer_auth("scrape-secret");
        assert_eq!(scraper.send().await.unwrap().status(), 200);

        // In production a loopback client is no proof (a proxy on the machine may add no header): the token only.
        let prod = TestApp::spawn_with(Db::Sqlite, |c| {
            super::common::production(c);
            c.metrics_token = Some(server::config::ConfigToken("scrape-secret".into()));
        })
        .await;
        assert_eq!(prod.get("/metrics").await.status(), 404, "loopback alone, in production");
        assert_eq!(prod.browser.get(prod.url("/metrics")).bearer_auth("scrape-secret").send().await.unwrap().status(), 200);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_carry_the_security_headers() {
        let app = TestApp::spawn(Db::Sqlite).await;
        let r = app.get("/login").await;
        assert_eq!(r.status(), 200);
        let h = r.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("'nonce-") && csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h.get("strict-transport-security").is_none(), "no HSTS without TLS");
        let html = r.text().await.unwrap();
        let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
        assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the CSP nonce");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
        let app = TestApp::spawn(Db::Sqlite).await;
        let missing = app.browser.post(app.url("/api/login")).header("accept", "text/html").form(&[("username", "a")]).send().await.unwrap();
        assert_eq!(missing.status(), 400);
        let body = missing.text().await.unwrap();
        assert!(body.contains("Malformed"), "{body}");
        let huge = "x".repeat(200_000);
        let big = app.browser.post(app.url("/api/login")).header("accept", "text/html").form(&[("username", huge.as_str()), ("password", "p")]).send().await.unwrap();
        assert_eq!(big.status(), 413);
        let fnless = app.browser.post(app.url("/api/login")).header("accept", "application/json").form(&[("username", "a")]).send().await.unwrap();
        assert_eq!(fnless.status(), 400);
        for (user, pass, want) in [("", "x", "UsernameMissing"), ("a\u{0}b", "x", "UsernameInvalid"), ("alice", "", "PasswordMissing")] {
            let r = app.call_login(user, pass).await;
            assert_eq!(r.status(), 400, "{user:?}");
            assert!(r.text().await.unwrap().contains(want));
        }
        // A sign-in form from before the server functions (a page left open across an upgrade) is sent on.
        let old_form = app.browser.post(app.url("/login")).header("accept", "text/html").form(&[("username", "a"), ("password", "p")]).send().await.unwrap();
        assert_eq!((old_form.status().as_u16(), old_form.headers()["location"].to_str().unwrap()), (307, "/api/login"));
        let bytes = app.browser.post(app.url("/api/login")).header("accept", "text/html").header("content-type", "application/x-www-form-urlencoded").body(vec![b'u', b'=', 0xff, 0xfe, b'&', b'p', b'=', b'x']).send().await.unwrap();
        assert_eq!(bytes.status(), 400);
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(audit, 0, "refused input leaves no trace");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cross_site_posts_are_refused() {
        let app = TestApp::spawn(Db::Sqlite).await;
        // A browser of its own, without the test clients' Sec-Fetch-Site, keeping cookies.
        let old_browser = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let post = |headers: Vec<(&'static str, String)>, csrf: &str| {
            let mut r = old_browser.post(app.url("/api/login")).header("accept", "text/html");
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.form(&[("username", "nobody@example.com"), ("password", "x-password"), ("csrf", csrf)]).send()
        };
        // A browser that sends fetch metadata is believed.
        assert_eq!(post(vec![("sec-fetch-site", "cross-site".into())], "").await.unwrap().status(), 403);
        assert_eq!(post(vec![("sec-fetch-site", "same-site".into())], "").await.unwrap().status(), 403);
        // One that doesn't must send our origin: none, null or another is refused.
        let ours = app.services.config.public_url.origin().ascii_serialization();
        assert_eq!(post(vec![], "").await.unwrap().status(), 403);
        assert_eq!(post(vec![("origin", "null".into())], "").await.unwrap().status(), 403);
        assert_eq!(post(vec![("origin", "https://evil.example".into())], "").await.unwrap().status(), 403);
        // Our origin, but a form post without the token of the page it came from is refused too.
        let refused = post(vec![("origin", ours.clone())], "").await.unwrap();
        assert_eq!(refused.status(), 403);
        assert!(refused.text().await.unwrap().contains("Reload the page"));
        let page = old_browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let token = page.split(r#"name="csrf" value=""#).nth(1).and_then(|t| t.split('"').next()).expect("a csrf field in the form").to_string();
        assert_eq!(token.len(), 43, "{token}");
        assert_eq!(post(vec![("origin", ours.clone())], "forged-token-forged-token-forged-token-abcd").await.unwrap().status(), 403);
        let sent = post(vec![("origin", ours)], &token).await.unwrap();
        assert_eq!(sent.status(), 303, "our page's form, with its token, goes through");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn home_without_a_session_redirects_to_sign_in_and_health_answers() {
        let app = TestApp::spawn(Db::Sqlite).await;
        let r = app.get("/").await;
        assert_eq!(r.status(), 302);
        assert_eq!(r.headers()["location"], "/login");
        assert_eq!(app.get("/healthz").await.status(), 200);
        assert_eq!(app.get("/no/such/page").await.status(), 404);
    }
}

mod dev_outbox {
    use super::common::{Db, TestApp};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_dev_outbox_lists_messages_as_json_and_is_refused_in_production() {
        let app = TestApp::spawn(Db::Sqlite).await;
        let mut tx = app.services.store.begin_write().await.unwrap();
        let m = server::outbox::Message {
            channel: server::outbox::Channel::Sms,
            to: "+12175550101",
            subject: "",
            body: "Your code is 12345",
            lang: app::i18n::Lang::En,
            patient_id: None,
        };
        server::outbox::enqueue(&mut tx, &app.services.bodies, &m, 0).await.unwrap();
        tx.commit().await.unwrap();
        let r = app.get("/dev/outbox").await;
        assert_eq!(r.status(), 200);
        let json: serde_json::Value = r.json().await.unwrap();
        let stored: String = sqlx::query_scalar("SELECT body FROM outbox").fetch_one(&app.services.store).await.unwrap();
        assert!(!stored.contains("12345"), "the body is sealed at rest: {stored}");
        assert_eq!(
            json,
            serde_json::json!([{"id": 1, "channel": "sms", "to": "+12175550101", "subject": "", "body": "Your code is 12345", "created_at": "1970-01-01T00:00:00Z"}])
        );

        // A proxy on this machine forwarding someone else's request gets nothing.
        let forwarded = app.browser.get(app.url("/dev/outbox")).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
        assert_eq!(forwarded.status(), 404);
        // A server listening on every interface: a loopback peer may be a proxy that says nothing.
        let dir = tempfile::tempdir().unwrap();
        let url = super::common::fresh_database(Db::Sqlite, &dir).await;
        let open = TestApp::spawn_listening_as(url, dir, |_| {}, "0.0.0.0:3000".parse().unwrap()).await;
        assert_eq!(open.get("/dev/outbox").await.status(), 404);
        assert_eq!(open.get("/metrics").await.status(), 404, "nor the metrics without the token");

        // Live delivery in development: the messages go out, and are not published too.
        let live = TestApp::spawn_with(Db::Sqlite, |c| {
            c.delivery = Some(server::config::DeliveryMode::Live);
            c.smtp_url = Some(server::config::SmtpUrl("smtp://127.0.0.1:9".into()));
            c.reset_methods = "question".parse().unwrap();
        })
        .await;
        assert_eq!(live.get("/dev/outbox").await.status(), 404);

        // Production must deliver live.
        let prod = TestApp::spawn_with(Db::Sqlite, super::common::production).await;
        assert_eq!(prod.get("/dev/outbox").await.status(), 404);
    }
}
