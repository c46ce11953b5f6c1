//! The staff console's server functions (SPEC §3) on both stores: every one
//! refuses a visitor and a patient; search; invite, unlock and revoke with
//! the staff member in the audit log; findings from real situations.

use crate::common;

use common::{TestApp, PASSWORD};
use server::client::ClientMeta;
use server::recovery::{reset, steps};

const JS: &str = "application/json";
const STAFF_PASSWORD: &str = "Quiet-Maple-Desk-19";

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(app.url(path)).header("accept", JS).form(form).send().await.unwrap()
}

fn browser() -> reqwest::Client {
    common::browser_builder().cookie_store(true).build().unwrap()
}

/// A browser signed in as staff.
async fn staff(app: &TestApp) -> reqwest::Client {
    server::staff::add_if_missing(&app.services, "reception@example.com", "Front Desk", STAFF_PASSWORD).await.unwrap();
    let b = browser();
    let res = common::staff_sign_in(app, &b, "Reception@Example.com", STAFF_PASSWORD, JS).await;
    assert_eq!(res.status(), 200);
    b
}

async fn chart(b: &reqwest::Client, app: &TestApp, id: app::ids::PatientId) -> serde_json::Value {
    let res = post(b, app, "/api/staff_chart", &[("id", &id.to_string()), ("audit_page", "1")]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn findings(c: &serde_json::Value) -> Vec<String> {
    c["findings"].as_array().unwrap().iter().map(|f| f["text"].as_str().unwrap().to_string()).collect()
}

on_both_stores! {
    async fn every_staff_function_refuses_a_visitor_and_a_patient(app) {
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        let patient = browser();
        assert_eq!(post(&patient, &app, "/api/login", &[("username", "alice@example.com"), ("password", PASSWORD)]).await.status(), 200);
        let id = id.to_string();
        let calls: [(&str, Vec<(&str, &str)>); 7] = [
            ("/api/staff_patients", vec![("query", ""), ("page", "1")]),
            ("/api/staff_chart", vec![("id", &id), ("audit_page", "1")]),
            ("/api/staff_invite", vec![("id", &id), ("email", "")]),
            ("/api/staff_unlock", vec![("id", &id)]),
            ("/api/staff_revoke", vec![("id", &id)]),
            ("/api/staff_add_family", vec![("id", &id), ("name", "Rosa"), ("email", "rosa@example.com"), ("relationship", "caregiver")]),
            ("/api/staff_person", vec![("id", &id), ("person", "g1"), ("action", "Remove")]),
        ];
        for who in [&browser(), &patient] {
            for (path, form) in &calls {
                assert_eq!(post(who, &app, path, form).await.status(), 401, "{path}");
            }
            assert_eq!(post(who, &app, "/api/staff_me", &[]).await.text().await.unwrap(), "null");
        }
        let page = patient.get(app.url("/staff")).header("accept", "text/html").send().await.unwrap();
        assert!(page.text().await.unwrap().contains("Staff sign in"), "a patient is sent to the staff sign-in");
        // And a staff session opens no patient page.
        let desk = staff(&app).await;
        assert_eq!(post(&desk, &app, "/api/me", &[]).await.text().await.unwrap(), "null");
    }

    async fn staff_sign_in_follows_the_patient_rules(app) {
        server::staff::add_if_missing(&app.services, "reception@example.com", "Front Desk", STAFF_PASSWORD).await.unwrap();
        let b = browser();
        let unknown = post(&b, &app, "/api/staff_login", &[("username", "nobody@example.com"), ("password", "x-wrong-1")]).await;
        let wrong = post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", "x-wrong-1")]).await;
        assert_eq!((unknown.status(), wrong.status()), (reqwest::StatusCode::UNAUTHORIZED, reqwest::StatusCode::UNAUTHORIZED));
        assert_eq!(unknown.text().await.unwrap(), wrong.text().await.unwrap());
        for _ in 0..3 {
            post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", "x-wrong-2")]).await;
        }
        // Four failures, then the right password and code: in (the right password doesn't count, the code clears).
        app.services.clock.freeze();
        assert_eq!(common::staff_sign_in(&app, &browser(), "reception@example.com", STAFF_PASSWORD, JS).await.status(), 200);
        for _ in 0..4 {
            post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", "x-wrong-2")]).await;
        }
        let locked = post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", "x-wrong-3")]).await;
        assert_eq!(locked.status(), 423);
        let right = post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", STAFF_PASSWORD)]).await;
        assert_eq!(right.status(), 423, "locked for 15 minutes");
    }

    async fn staff_need_their_authenticator_code_and_each_code_works_once(app) {
        app.services.clock.freeze();
        server::staff::add_if_missing(&app.services, "reception@example.com", "Front Desk", STAFF_PASSWORD).await.unwrap();
        let b = browser();
        let me = |b: &reqwest::Client| { let b = b.clone(); let app = &app; async move { post(&b, app, "/api/staff_me", &[]).await.text().await.unwrap() } };
        assert_eq!(post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", STAFF_PASSWORD)]).await.status(), 200);
        assert_eq!(me(&b).await, "null", "a right password alone opens no session");
        assert_eq!(post(&b, &app, "/api/staff_patients", &[("query", ""), ("page", "1")]).await.status(), 401);
        // The first time, the page shows the secret to set the app up with.
        let step: serde_json::Value = post(&b, &app, "/api/staff_second_step", &[]).await.json().await.unwrap();
        assert_eq!(step["pending"], true);
        let shown: String = step["setup"]["secret"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(shown.len(), 32, "160 bits in base32");
        assert!(step["setup"]["qr_svg"].as_str().unwrap().contains("<svg"));
        let again: serde_json::Value = post(&b, &app, "/api/staff_second_step", &[]).await.json().await.unwrap();
        assert_eq!(again["setup"]["secret"], step["setup"]["secret"], "the same attempt keeps its secret (a reload doesn't undo a scan)");
        // Each sign-in is offered a fresh secret: one someone saw on an earlier attempt never becomes valid.
        let seen_earlier = common::staff_code(&app.services, "reception@example.com").await;
        assert_eq!(post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", STAFF_PASSWORD)]).await.status(), 200);
        let step: serde_json::Value = post(&b, &app, "/api/staff_second_step", &[]).await.json().await.unwrap();
        assert_ne!(step["setup"]["secret"], again["setup"]["secret"], "a new attempt, a new secret");
        let code = common::staff_code(&app.services, "reception@example.com").await;
        assert_ne!(code, seen_earlier);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let refused = post(&b, &app, "/api/staff_verify", &[("code", wrong)]).await;
        assert_eq!(refused.status(), 401);
        assert!(refused.text().await.unwrap().contains("WrongVerificationCode"));
        assert_eq!(post(&b, &app, "/api/staff_verify", &[("code", &code)]).await.status(), 200);
        assert!(me(&b).await.contains("Front Desk"));
        // Set up: never shown again. The same code, a second time, is refused.
        let other = browser();
        assert_eq!(post(&other, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", STAFF_PASSWORD)]).await.status(), 200);
        let step: serde_json::Value = post(&other, &app, "/api/staff_second_step", &[]).await.json().await.unwrap();
        assert_eq!((step["pending"].as_bool(), step["setup"].is_null()), (Some(true), true));
        assert_eq!(post(&other, &app, "/api/staff_verify", &[("code", &code)]).await.status(), 401, "a code works once");
        // Wrong codes count toward the same lock as passwords.
        for _ in 0..3 {
            post(&other, &app, "/api/staff_verify", &[("code", wrong)]).await;
        }
        assert_eq!(post(&other, &app, "/api/staff_verify", &[("code", wrong)]).await.status(), 423);
        app.services.clock.advance(30);
        let next = common::staff_code(&app.services, "reception@example.com").await;
        assert_eq!(post(&other, &app, "/api/staff_verify", &[("code", &next)]).await.status(), 423, "locked, even for the right code");
        let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE event = 'staff_code_failed'").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(failed, 6, "one in the first sign-in, the reused code, and four more");

        // The CLI: unlock, reset the authenticator (set up again), disable (sessions end).
        server::staff::manage(&app.services, "reception@example.com", server::staff::Manage::Unlock).await.unwrap();
        server::staff::manage(&app.services, "reception@example.com", server::staff::Manage::ResetMfa).await.unwrap();
        assert_eq!(post(&other, &app, "/api/staff_second_step", &[]).await.json::<serde_json::Value>().await.unwrap()["pending"], false, "a reset ends pending sign-ins");
        assert_eq!(me(&b).await, "null", "and the sessions opened with the old authenticator");
        let third = browser();
        assert_eq!(common::staff_sign_in(&app, &third, "reception@example.com", STAFF_PASSWORD, JS).await.status(), 200);
        server::staff::manage(&app.services, "reception@example.com", server::staff::Manage::Disable).await.unwrap();
        assert_eq!(me(&b).await, "null", "disabling ends every session");
        assert_eq!(me(&third).await, "null");
        let disabled = post(&b, &app, "/api/staff_login", &[("username", "reception@example.com"), ("password", STAFF_PASSWORD)]).await;
        assert_eq!(disabled.status(), 401);
        server::staff::manage(&app.services, "reception@example.com", server::staff::Manage::Enable).await.unwrap();
        assert_eq!(common::staff_sign_in(&app, &b, "reception@example.com", STAFF_PASSWORD, JS).await.status(), 200);
        let lines = server::staff::list(&app.services).await.unwrap();
        assert_eq!(lines, ["reception@example.com\tFront Desk\tactive\tauthenticator set up\tnot locked"]);
    }

    async fn search_finds_by_name_prefix_or_date_of_birth_in_pages(app) {
        let desk = staff(&app).await;
        for i in 0..30 {
            app.chart(&format!("Zed{i:02}"), &format!("zed{i}@example.com")).await;
        }
        app.chart("Alice", "alice@example.com").await;
        let search = |q: &'static str, page: &'static str| {
            let desk = desk.clone();
            let app = &app;
            async move { post(&desk, app, "/api/staff_patients", &[("query", q), ("page", page)]).await.json::<serde_json::Value>().await.unwrap() }
        };
        let first = search("zED", "1").await;
        assert_eq!((first["rows"].as_array().unwrap().len(), first["has_more"].as_bool()), (25, Some(true)));
        let second = search("zed", "2").await;
        assert_eq!((second["rows"].as_array().unwrap().len(), second["has_more"].as_bool()), (5, Some(false)));
        let alice = search("ali", "1").await;
        assert_eq!(alice["rows"][0]["first_name"], "Alice");
        assert_eq!(alice["rows"][0]["status"], "NotInvited");
        assert_eq!(search("19800101", "1").await["rows"].as_array().unwrap().len(), 25);
        assert_eq!(search("19800102", "1").await["rows"].as_array().unwrap().len(), 0);
        assert_eq!(search("'; DROP TABLE patients; --", "1").await["rows"].as_array().unwrap().len(), 0);
    }

    async fn a_common_name_prefix_lists_every_match_in_order_page_by_page(app) {
        // 1 200 last names and 40 first names start with "Sa" among 1 500
        // charts: enough for the search to take its common-prefix path.
        for i in 0..1500 {
            let (first, last) = match i {
                0..1200 => (format!("Kim{i:04}"), format!("Sa{:04}", (i * 7) % 1200)),
                1200..1240 => (format!("Sam{i:04}"), format!("Lee{i:04}")),
                _ => (format!("Kim{i:04}"), format!("Tan{i:04}")),
            };
            sqlx::query("INSERT INTO patients (first_name, last_name, dob, created_at) VALUES ($1, $2, '19800101', 0)")
                .bind(first)
                .bind(last)
                .execute(&app.services.store)
                .await
                .unwrap();
        }
        let mut expected: Vec<(String, String, i64)> = sqlx::query_as("SELECT last_name, first_name, id FROM patients")
            .fetch_all(&app.services.store)
            .await
            .unwrap();
        expected.retain(|(last, first, _)| last.starts_with("Sa") || first.starts_with("Sa"));
        expected.sort();
        assert_eq!(expected.len(), 1240);
        let desk = staff(&app).await;
        let mut listed = Vec::new();
        for page in 1..=50 {
            let res = post(&desk, &app, "/api/staff_patients", &[("query", "sA"), ("page", &page.to_string())]).await;
            let page: serde_json::Value = res.json().await.unwrap();
            for r in page["rows"].as_array().unwrap() {
                listed.push((r["last_name"].as_str().unwrap().to_string(), r["first_name"].as_str().unwrap().to_string(), r["id"].as_i64().unwrap()));
            }
            if page["has_more"] == false {
                break;
            }
        }
        assert_eq!(listed, expected);
    }

    async fn invite_unlock_and_revoke_are_audited_with_the_staff_member(app) {
        let desk = staff(&app).await;
        let carol = app.chart("Carol", "carol@example.com").await;
        assert!(findings(&chart(&desk, &app, carol).await)[0].contains("Not invited"));
        let res = post(&desk, &app, "/api/staff_invite", &[("id", &carol.to_string()), ("email", "not-an-email")]).await;
        assert_eq!(res.status(), 400);
        assert_eq!(post(&desk, &app, "/api/staff_invite", &[("id", &carol.to_string()), ("email", "")]).await.status(), 200);
        let c = chart(&desk, &app, carol).await;
        assert_eq!(c["status"], "Invited");
        assert!(findings(&c).iter().any(|f| f.contains("nobody has used the link")), "{:?}", findings(&c));
        assert!(findings(&c).iter().any(|f| f.contains("No mobile number on file")), "{:?}", findings(&c));
        assert_eq!(c["audit"][0]["actor"], "Staff: Front Desk");
        assert_eq!(c["audit"][0]["event"], "Invitation sent");
        // Reading the chart is audited, the actor kept by staff id (shown by name).
        let staff_id: i64 = sqlx::query_scalar("SELECT id FROM staff_accounts").fetch_one(&app.services.store).await.unwrap();
        let viewers: Vec<String> = sqlx::query_scalar("SELECT actor FROM audit_events WHERE event = 'chart_viewed' AND patient_id = $1")
            .bind(carol)
            .fetch_all(&app.services.store)
            .await
            .unwrap();
        assert_eq!(viewers, vec![format!("staff:{staff_id}"); 2]);
        // Another site's link to the chart shows nothing and audits nothing: no
        // site can make the log say she viewed it. Her own click, or typing it, does.
        let views = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events WHERE event = 'chart_viewed' AND patient_id = $1").bind(carol).fetch_one(&app.services.store).await.unwrap()
        };
        let open = |site: &'static str| {
            let req = desk.get(app.url(&format!("/staff/patients/{carol}"))).header("accept", "text/html").header("sec-fetch-site", site);
            async move { req.send().await.unwrap() }
        };
        for site in ["cross-site", "same-site"] {
            let page = open(site).await.text().await.unwrap();
            assert!(page.contains("This chart was opened from another site. Open it from the patient list.") && !page.contains("carol@example.com"), "{page}");
        }
        assert_eq!(views().await, 2, "not audited");
        for site in ["same-origin", "none"] {
            assert_eq!(open(site).await.status(), 200, "{site}");
        }
        assert_eq!(views().await, 4, "audited");
        let invitation = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
        let link = invitation.lines().find_map(|l| l.strip_prefix("Create your account: ")).unwrap();
        let token = link.rsplit('/').next().unwrap();
        // Opening the link (a mail scanner does too) changes nothing; posting the form does.
        app.page(&format!("/register/{token}")).await;
        let seen = chart(&desk, &app, carol).await;
        assert!(findings(&seen).iter().any(|f| f.contains("nobody has used the link")));
        let code = seen["access_code"].as_str().expect("the dialog shows the open invitation's access code").to_string();
        assert_eq!(code.len(), 6);
        let form = [
            ("token", token),
            ("access_code", code.as_str()),
            ("dob", "19991231"),
            ("username", "carol@example.com"),
            ("password", "Copper-Kettle-Meadow-58"),
            ("confirm", "Copper-Kettle-Meadow-58"),
            ("question", "What was the make of your first car?"),
            ("answer", "Volvo"),
            ("phone", "(217) 555-0142"),
        ];
        assert_eq!(app.post("/api/register", super::common::JS, &form).await.status(), 401, "a wrong date of birth");
        let c = chart(&desk, &app, carol).await;
        assert!(findings(&c).iter().any(|f| f.contains("tried to register on") && f.contains("hasn't finished")), "{:?}", findings(&c));

        let alice = app.enrolled_patient("Alice", "alice@example.com").await;
        for _ in 0..5 {
            app.call_login("alice@example.com", "wrong-password").await;
        }
        let c = chart(&desk, &app, alice).await;
        assert!(c["locked_until"].is_string());
        assert!(findings(&c).iter().any(|f| f.starts_with("Locked until") && f.contains("after 5 failed sign-ins")), "{:?}", findings(&c));
        assert_eq!(post(&desk, &app, "/api/staff_unlock", &[("id", &alice.to_string())]).await.status(), 200);
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 200);
        let c = chart(&desk, &app, alice).await;
        assert!(c["audit"].as_array().unwrap().iter().any(|a| a["event"] == "Account unlocked" && a["actor"] == "Staff: Front Desk"));
        // Plain words: the five wrong passwords, with their count, by the patient from an address.
        assert!(c["audit"].as_array().unwrap().iter().any(|a| a["event"] == "Wrong password (5 failed in a row); the account is now locked"
            && a["actor"].as_str().unwrap().starts_with("Patient (from ")), "{}", c["audit"]);

        reset::request(&app.services, &ClientMeta::cli(), "alice@example.com").await.unwrap();
        let body = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
        let link = body.lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap();
        let token = server::tokens::SecretToken::from_presented(link.rsplit('/').next().unwrap().to_string());
        steps::send_code(&app.services, &ClientMeta::cli(), &token, Some("(217) 555-0199"), app::reset::SendBy::Voice).await.unwrap();
        let c = chart(&desk, &app, alice).await;
        assert!(findings(&c).iter().any(|f| f.contains("stopped at the code step; the last code went by voice call at")), "{:?}", findings(&c));
        assert_eq!(c["messages"][0]["channel"], "Voice call");
        assert_eq!(c["messages"][0]["delivery"], "Waiting to be sent");
        assert_eq!(c["messages"][0]["to"], "(•••) •••-0199", "a number is masked as the dialog shows it");
        assert!(!c.to_string().contains("5550199"), "the whole number shows nowhere on the chart");
        let email = c["messages"].as_array().unwrap().iter().find(|m| m["channel"] == "Email").unwrap();
        assert_eq!(email["to"], "alice@example.com");

        assert_eq!(post(&desk, &app, "/api/staff_revoke", &[("id", &alice.to_string())]).await.status(), 200);
        assert_eq!(post(&app.browser, &app, "/api/me", &[]).await.text().await.unwrap(), "null", "the patient's session ended");
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 403);
        assert!(matches!(steps::view(&app.services, &token).await, Err(app::reset::ResetError::NoLongerValid)), "the open reset link died");
        let before = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len();
        reset::request(&app.services, &ClientMeta::cli(), "alice@example.com").await.unwrap();
        assert_eq!(server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len(), before, "no reset email to a revoked account");
        let c = chart(&desk, &app, alice).await;
        assert_eq!(c["status"], "Revoked");
        assert!(c["audit"].as_array().unwrap().iter().any(|a| a["event"] == "Portal access turned off" && a["actor"] == "Staff: Front Desk"));
        assert_eq!(post(&desk, &app, "/api/staff_revoke", &[("id", &alice.to_string())]).await.status(), 409);
    }

    async fn staff_update_a_mobile_number_with_a_reason_and_the_patient_is_told(app) {
        let desk = staff(&app).await;
        let alice = app.enrolled_patient("Alice", "alice@example.com").await;
        let c = chart(&desk, &app, alice).await;
        assert_eq!(c["mobile"], "(•••) •••-0199");
        assert_eq!((c["dob"].as_str(), c["dob_typed"].as_str()), (Some("Jan 1, 1980"), Some("19800101")));
        assert_eq!(c["mail_from"], app.services.config.mail_from.as_str());
        let id = alice.to_string();
        let update = |phone: &'static str, reason: &'static str, confirmed: &'static str| {
            let (desk, app, id) = (desk.clone(), &app, id.clone());
            async move {
                post(&desk, app, "/api/staff_update_mobile", &[("id", &id), ("phone", phone), ("reason", reason), ("identity_confirmed", confirmed)]).await
            }
        };
        let mobile = || async {
            sqlx::query_scalar::<_, Option<String>>("SELECT mobile FROM patients WHERE id = $1").bind(alice).fetch_one(&app.services.store).await.unwrap()
        };
        let messages_before = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len();
        // Refusals change nothing: no reason, identity not confirmed, a bad number, the same number.
        let no_reason = update("(217) 555-0142", "  ", "true").await;
        assert_eq!(no_reason.status(), 400);
        assert!(no_reason.text().await.unwrap().contains("ReasonMissing"));
        assert_eq!(update("(217) 555-0142", "New phone", "false").await.status(), 400);
        assert_eq!(update("555-01", "New phone", "true").await.status(), 400);
        assert_eq!(update("(217) 555-0199", "New phone", "true").await.status(), 409);
        assert_eq!(mobile().await.as_deref(), Some("+12175550199"));
        assert_eq!(server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len(), messages_before);

        assert_eq!(update("(217) 555-0142", "Patient called from the new number; ID checked", "true").await.status(), 200);
        assert_eq!(mobile().await.as_deref(), Some("+12175550142"));
        let sent = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
        let told: Vec<(&str, &str)> = sent[messages_before..].iter().map(|m| (m.channel.as_str(), m.to.as_str())).collect();
        assert_eq!(told, [("sms", "+12175550199"), ("email", "alice@example.com")], "the old number and the email are told");
        assert!(sent.last().unwrap().body.contains("(•••) •••-0142"));
        let c = chart(&desk, &app, alice).await;
        assert_eq!(c["mobile"], "(•••) •••-0142");
        assert!(c["audit"].as_array().unwrap().iter().any(|a| a["event"] == "Mobile number changed by staff. Reason: Patient called from the new number; ID checked"
            && a["actor"] == "Staff: Front Desk"), "{}", c["audit"]);
        assert_eq!(c["messages"][0]["channel"], "Email");
        // The reset code now goes to the new number only.
        reset::request(&app.services, &ClientMeta::cli(), "alice@example.com").await.unwrap();
        let body = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
        let link = body.lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap();
        let token = server::tokens::SecretToken::from_presented(link.rsplit('/').next().unwrap().to_string());
        let old = steps::send_code(&app.services, &ClientMeta::cli(), &token, Some("(217) 555-0199"), app::reset::SendBy::Text).await;
        assert_eq!(old, Err(app::reset::ResetError::PhoneMismatch));
        assert!(steps::send_code(&app.services, &ClientMeta::cli(), &token, Some("(217) 555-0142"), app::reset::SendBy::Text).await.is_ok());
    }

    async fn staff_add_resend_unlock_and_remove_family_members_and_the_panel_names_them(app) {
        app.services.clock.freeze();
        let henry = app.enrolled_patient("Henry", "henry@example.com").await;
        let desk = staff(&app).await;
        let id = henry.to_string();
        let add = |name: &'static str, email: &'static str, relationship: &'static str| {
            let (desk, app, id) = (&desk, &app, id.clone());
            async move { post(desk, app, "/api/staff_add_family", &[("id", &id), ("name", name), ("email", email), ("relationship", relationship)]).await }
        };
        assert_eq!(add("Rosa Diaz", "rosa@example.com", "").await.status(), 400);
        assert_eq!(add("Rosa Diaz", "rosa@example.com", "parent").await.status(), 409, "no parent for an adult");
        assert_eq!(add("Rosa Diaz", "rosa@example.com", "caregiver").await.status(), 200);
        let c = chart(&desk, &app, henry).await;
        let row = &c["people"][0];
        assert_eq!((row["name"].as_str(), row["status"].as_str()), (Some("Rosa Diaz"), Some("Invited")));
        assert_eq!(row["actions"], serde_json::json!(["Resend", "Remove"]));
        let first_code = row["access_code"].as_str().unwrap().to_string();
        let key = row["key"].as_str().unwrap().to_string();

        // Eight days on, the invitation expired: the panel says so, and its fix resends it.
        app.services.clock.advance(8 * 24 * 60 * 60);
        let desk = staff(&app).await;
        let c = chart(&desk, &app, henry).await;
        assert!(findings(&c).iter().any(|f| f.starts_with("Rosa Diaz (Caregiver): the invitation expired on")), "{:?}", findings(&c));
        assert_eq!(c["findings"].as_array().unwrap().iter().find(|f| f["text"].as_str().unwrap().contains("expired")).unwrap()["fix"], serde_json::json!({"Person": [key, "Resend"]}));
        let resend = post(&desk, &app, "/api/staff_person", &[("id", &id), ("person", &key), ("action", "Resend")]).await;
        assert_eq!(resend.status(), 200);
        let c = chart(&desk, &app, henry).await;
        let row = &c["people"][0];
        let new_code = row["access_code"].as_str().unwrap().to_string();
        assert_ne!(new_code, first_code, "a new link brings a new code");
        assert_eq!(c["people"].as_array().unwrap().len(), 1, "the old invitation is void");

        // Rosa registers, then locks herself out: the panel names her and her own unlock.
        let m = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().into_iter().rev().find(|m| m.to == "rosa@example.com").unwrap();
        let token = m.body.split("/register/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
        let form = [("token", token.as_str()), ("dob", "19800101"), ("access_code", new_code.as_str()), ("your_dob", "19700505"), ("username", "rosa@example.com"),
            ("password", "Copper-Kettle-Meadow-58"), ("confirm", "Copper-Kettle-Meadow-58"), ("question", app::register::SECURITY_QUESTIONS[0]), ("answer", "Biscuit"), ("phone", "(217) 555-0177")];
        let rosa = browser();
        assert_eq!(post(&rosa, &app, "/api/register", &form).await.status(), 200);
        for _ in 0..5 {
            post(&browser(), &app, "/api/login", &[("username", "rosa@example.com"), ("password", "wrong-password-here")]).await;
        }
        let c = chart(&desk, &app, henry).await;
        let row = &c["people"][0];
        assert!(row["status"].as_str().unwrap().starts_with("Locked until"), "{row}");
        let key = row["key"].as_str().unwrap().to_string();
        assert!(key.starts_with('g'));
        assert!(findings(&c).iter().any(|f| f.starts_with("Rosa Diaz (Caregiver) is locked out until") && f.ends_with("after 5 failed sign-ins.")), "{:?}", findings(&c));
        assert!(findings(&c).iter().all(|f| !f.starts_with("Locked until")), "Henry himself is not locked");
        assert_eq!(post(&desk, &app, "/api/staff_person", &[("id", &id), ("person", &key), ("action", "Unlock")]).await.status(), 200);
        assert_eq!(post(&browser(), &app, "/api/login", &[("username", "rosa@example.com"), ("password", "Copper-Kettle-Meadow-58")]).await.status(), 200);

        // "Remove access": her live session loses the chart at once.
        assert_eq!(post(&desk, &app, "/api/staff_person", &[("id", &id), ("person", &key), ("action", "Remove")]).await.status(), 200);
        let gone = rosa.get(app.url(&format!("/charts/{henry}"))).header("accept", "text/html").send().await.unwrap();
        assert_eq!(gone.status(), 404, "she sees no chart now");
        assert_eq!(post(&desk, &app, "/api/staff_person", &[("id", &id), ("person", &key), ("action", "Remove")]).await.status(), 404);
        let c = chart(&desk, &app, henry).await;
        assert!(c["people"].as_array().unwrap().is_empty());
        let log: Vec<String> = c["audit"].as_array().unwrap().iter().map(|r| r["event"].as_str().unwrap().to_string()).collect();
        assert!(log.iter().any(|e| e == "Account unlocked: Rosa Diaz (Caregiver)") && log.iter().any(|e| e == "Access removed: Rosa Diaz (Caregiver)"), "{log:?}");
    }

    async fn staff_remove_a_patients_passkeys_and_every_session_ends(app) {
        let alice = app.enrolled_patient("Alice", "alice@example.com").await;
        let account = app.account_of(alice).await;
        let patient = browser();
        assert_eq!(post(&patient, &app, "/api/login", &[("username", "alice@example.com"), ("password", PASSWORD)]).await.status(), 200);
        let desk = staff(&app).await;
        let id = alice.to_string();
        let remove = |reason: &'static str, confirmed: &'static str| {
            let (desk, app, id) = (&desk, &app, id.clone());
            async move { post(desk, app, "/api/staff_remove_passkeys", &[("id", &id), ("reason", reason), ("identity_confirmed", confirmed)]).await.status().as_u16() }
        };
        assert_eq!(remove("Lost phone", "true").await, 409, "no passkeys to remove");
        let mut tx = app.services.store.begin_write().await.unwrap();
        for n in 0..2 {
            server::store::passkeys::insert(&mut tx, account, &format!("cred-{n}"), &format!("Phone {n}"), "{}", app.services.clock.now()).await.unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(chart(&desk, &app, alice).await["passkeys"], 2);
        assert_eq!(remove("Lost phone", "false").await, 400, "identity not confirmed");
        assert_eq!(remove("", "true").await, 400, "no reason");
        assert_eq!(chart(&desk, &app, alice).await["passkeys"], 2, "refusals changed nothing");
        assert_eq!(post(&patient, &app, "/api/me", &[]).await.text().await.unwrap() != "null", true);

        assert_eq!(remove("Lost phone; identity checked at the desk", "true").await, 200);
        let c = chart(&desk, &app, alice).await;
        assert_eq!(c["passkeys"], 0);
        assert!(c["audit"].as_array().unwrap().iter().any(|a| a["event"] == "Passkeys removed by staff. Reason: Lost phone; identity checked at the desk"));
        assert_eq!(post(&patient, &app, "/api/me", &[]).await.text().await.unwrap(), "null", "every session of the account ended");
        let told = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert_eq!((told.to.as_str(), told.subject.as_str()), ("alice@example.com", "Your passkeys were removed"));
    }
}
