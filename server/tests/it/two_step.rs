//! Two-step verification of patients (SPEC §2.1, §2.5) over HTTP, on both
//! stores: turning it on (text, email, authenticator app) and off, the
//! sign-in's second step, backup codes, remembered devices, and the limits.

use app::ids::PatientId;
use crate::common;

use common::{location, TestApp, FORM, JS, PASSWORD};
use server::authenticator::Authenticator;
use server::outbox;

const EMAIL: &str = "alice@example.com";

fn client() -> reqwest::Client {
    common::browser_builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn post(b: &reqwest::Client, app: &TestApp, path: &str, accept: &str, form: &[(&str, &str)]) -> reqwest::Response {
    b.post(app.url(path)).header("accept", accept).form(form).send().await.unwrap()
}

async fn sign_in(b: &reqwest::Client, app: &TestApp, password: &str) -> reqwest::Response {
    post(b, app, "/api/login", JS, &[("username", EMAIL), ("password", password)]).await
}

async fn signed_in(b: &reqwest::Client, app: &TestApp) -> bool {
    post(b, app, "/api/me", JS, &[]).await.text().await.unwrap() != "null"
}

/// The newest six-digit code sent to `to`, and how many messages went there.
async fn last_code_to(app: &TestApp, to: &str) -> (String, usize) {
    let sent: Vec<_> = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().into_iter().filter(|m| m.to == to).collect();
    let body = &sent.last().expect("a message").body;
    let code: String = body.split("code is ").nth(1).expect("a code").chars().take_while(char::is_ascii_digit).collect();
    assert_eq!(code.len(), app::two_step::CODE_DIGITS, "{body}");
    (code, sent.len())
}

async fn audited(app: &TestApp, event: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE event = $1").bind(event).fetch_one(&app.services.store).await.unwrap()
}

/// A code other than `code`.
fn other_than(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// Turns two-step verification on by text for a signed-in `b`; the backup codes.
async fn turn_on_by_text(b: &reqwest::Client, app: &TestApp) -> Vec<String> {
    let sent = post(b, app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "send")]).await;
    assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());
    let (code, _) = last_code_to(app, "+12175550199").await;
    let on = post(b, app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "on"), ("current", PASSWORD), ("code", &code)]).await;
    assert_eq!(on.status(), 200);
    on.json().await.unwrap()
}

/// Alice, enrolled, with two-step verification on by text: her id, and the
/// browser she turned it on in (still signed in).
async fn alice_with_text_codes(app: &TestApp) -> (PatientId, reqwest::Client) {
    let id = app.enrolled_patient("Alice", EMAIL).await;
    let b = client();
    sign_in(&b, app, PASSWORD).await;
    turn_on_by_text(&b, app).await;
    (id, b)
}

/// A new browser whose right password left it at the second step, and the code that was sent.
async fn at_second_step(app: &TestApp) -> (reqwest::Client, String) {
    let b = client();
    assert_eq!(sign_in(&b, app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"");
    (b, last_code_to(app, "+12175550199").await.0)
}

/// The authenticator a patient's settings offer (as the QR code carries it).
async fn offered_app(app: &TestApp, patient: PatientId) -> Authenticator {
    let id = app.account_of(patient).await;
    let sealed: String = sqlx::query_scalar("SELECT setup_secret FROM two_step_settings WHERE account_id = $1")
        .bind(id)
        .fetch_one(&app.services.store)
        .await
        .unwrap();
    let secret = app.services.authenticators.open("patient-totp", &id.to_string(), &sealed).unwrap();
    Authenticator::new(&secret, EMAIL).unwrap()
}

/// Messages sent to `to` so far.
async fn messages_to(app: &TestApp, to: &str) -> usize {
    outbox::all(&app.services.store, &app.services.bodies).await.unwrap().into_iter().filter(|m| m.to == to).count()
}

on_both_stores! {
    async fn setting_up_by_text_counts_toward_the_same_cap(app) {
        app.enrolled_patient("Alice", EMAIL).await;
        let b = client();
        sign_in(&b, &app, PASSWORD).await;
        for _ in 0..server::two_step::send_cap::IN_TEN_MINUTES {
            assert_eq!(post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "send")]).await.status(), 200);
            app.services.clock.advance(60);
        }
        let fourth = post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "send")]).await;
        assert_eq!(fourth.status(), 429);
        assert!(fourth.text().await.unwrap().contains("TooManyCodes"));
        assert_eq!(messages_to(&app, "+12175550199").await, 3);
    }

    async fn an_account_is_sent_three_codes_in_ten_minutes_and_ten_a_day_across_set_up_sign_ins_and_resends(app) {
        use server::two_step::send_cap::{IN_A_DAY, IN_TEN_MINUTES};
        const MOBILE: &str = "+12175550199";
        alice_with_text_codes(&app).await; // the set-up code: one
        let (_, _) = at_second_step(&app).await; // two
        at_second_step(&app).await; // three
        assert_eq!(messages_to(&app, MOBILE).await, IN_TEN_MINUTES as usize);

        // A right password past the cap opens the step, but no code goes; the page says why.
        let capped = client();
        assert_eq!(sign_in(&capped, &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"");
        assert_eq!(messages_to(&app, MOBILE).await, IN_TEN_MINUTES as usize, "no fourth code in 10 minutes");
        let page = capped.get(app.url("/login/verify")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Too many codes were sent. Use another way to verify, or try again later."), "{page}");
        assert!(!page.contains("We sent a"), "no code went, and the page says none did: {page}");
        assert_eq!(audited(&app, "two_step_codes_capped").await, 1);
        // "Resend code" is refused the same way, a minute later.
        app.services.clock.advance(60);
        let resend = post(&capped, &app, "/api/resend_verification", JS, &[]).await;
        assert_eq!(resend.status(), 429);
        assert!(resend.text().await.unwrap().contains("TooManyCodes"));
        assert_eq!(messages_to(&app, MOBILE).await, IN_TEN_MINUTES as usize);

        // Ten minutes after the first, codes go again, until ten in the day.
        let mut sent = IN_TEN_MINUTES;
        while sent < IN_A_DAY {
            app.services.clock.advance(10 * 60);
            for _ in 0..IN_TEN_MINUTES.min(IN_A_DAY - sent) {
                at_second_step(&app).await;
                sent += 1;
            }
        }
        assert_eq!(messages_to(&app, MOBILE).await, IN_A_DAY as usize);
        app.services.clock.advance(10 * 60);
        sign_in(&client(), &app, PASSWORD).await;
        assert_eq!(messages_to(&app, MOBILE).await, IN_A_DAY as usize, "no eleventh code in a day");
        // A day after the first code, they go again.
        app.services.clock.advance(24 * 60 * 60);
        at_second_step(&app).await;
        assert_eq!(messages_to(&app, MOBILE).await, IN_A_DAY as usize + 1);
        let swept = server::two_step::send_cap::sweep(&app.services.store, app.services.clock.now()).await.unwrap();
        assert_eq!(swept, IN_A_DAY as u64, "the day-old sends are forgotten, the newest kept");
    }

    async fn turning_access_off_ends_a_second_step_under_way(app) {
        let (id, _) = alice_with_text_codes(&app).await;
        let (b, code) = at_second_step(&app).await;
        let desk = server::staff::signin::StaffMember { id: app::ids::StaffId::new(1), name: "Front Desk".into() };
        server::staff::actions::revoke(&app.services, &desk, &server::client::ClientMeta::cli(), id).await.unwrap();
        let r = post(&b, &app, "/api/verify", JS, &[("code", &code)]).await;
        assert_eq!(r.status(), 401, "the right code opens nothing once access is off");
        assert!(!signed_in(&b, &app).await);
    }

    async fn a_text_code_turns_it_on_and_then_no_session_exists_until_the_second_step(app) {
        app.enrolled_patient("Alice", EMAIL).await;
        let b = client();
        assert_eq!(sign_in(&b, &app, PASSWORD).await.text().await.unwrap(), "\"Done\"", "off by default");
        // "Turn on" before any code was sent, with a wrong password, with a wrong code: refused, nothing on.
        let early = post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "on"), ("current", PASSWORD), ("code", "123456")]).await;
        assert_eq!(early.status(), 409, "another step first (Refusal::Conflict)");
        assert!(early.text().await.unwrap().contains("SendCodeFirst"));
        assert_eq!(post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "send")]).await.status(), 200);
        let too_soon = post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "send")]).await;
        assert_eq!(too_soon.status(), 429, "60 s between setup codes");
        assert_eq!(too_soon.headers()["retry-after"], "60", "and it says how long to wait");
        let (code, _) = last_code_to(&app, "+12175550199").await;
        let wrong_password = post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "on"), ("current", "not-it"), ("code", &code)]).await;
        assert_eq!(wrong_password.status(), 401);
        let wrong_code = post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "on"), ("current", PASSWORD), ("code", &other_than(&code))]).await;
        assert_eq!(wrong_code.status(), 401);
        assert!(wrong_code.text().await.unwrap().contains("\"WrongCode\":4"));
        let on = post(&b, &app, "/api/two_step_setup", JS, &[("by", "text"), ("intent", "on"), ("current", PASSWORD), ("code", &code)]).await;
        assert_eq!(on.status(), 200);
        let codes: Vec<String> = on.json().await.unwrap();
        assert_eq!(codes.len(), 10);
        assert_eq!(audited(&app, "two_step_turned_on").await, 1);
        let stored: Vec<String> = sqlx::query_scalar("SELECT code_hmac FROM backup_codes").fetch_all(&app.services.store).await.unwrap();
        assert_eq!(stored.len(), 10);
        assert!(codes.iter().all(|c| !stored.iter().any(|s| s.contains(&c.replace('-', "")))), "kept only as HMACs");

        let other = client();
        let res = sign_in(&other, &app, PASSWORD).await;
        assert_eq!(res.status(), 200);
        assert!(common::session_cookie(&res).is_none(), "no session before the second step");
        assert_eq!(res.text().await.unwrap(), "\"SecondStep\"");
        assert!(!signed_in(&other, &app).await);
        let (code, _) = last_code_to(&app, "+12175550199").await;
        let wrong = post(&other, &app, "/api/verify", JS, &[("code", &other_than(&code))]).await;
        assert_eq!(wrong.status(), 401);
        assert!(!signed_in(&other, &app).await);
        let right = post(&other, &app, "/api/verify", JS, &[("code", &code)]).await;
        assert_eq!(right.status(), 200);
        assert!(signed_in(&other, &app).await);
        assert_eq!(audited(&app, "two_step_passed").await, 1);
        // The step is used up: the same code again opens nothing more.
        let again = client();
        assert_eq!(post(&again, &app, "/api/verify", JS, &[("code", &code)]).await.status(), 401);
    }

    async fn five_wrong_codes_end_the_step_and_lock_the_account(app) {
        alice_with_text_codes(&app).await;
        let (other, code) = at_second_step(&app).await;
        let wrong = other_than(&code);
        for left in (1..=4).rev() {
            let res = post(&other, &app, "/api/verify", JS, &[("code", &wrong)]).await;
            assert_eq!(res.status(), 401);
            assert!(res.text().await.unwrap().contains(&format!("\"WrongCode\":{left}")));
        }
        let fifth = post(&other, &app, "/api/verify", JS, &[("code", &wrong)]).await;
        assert_eq!(fifth.status(), 423, "the fifth wrong code locks the account");
        assert_eq!(post(&other, &app, "/api/verify", JS, &[("code", &code)]).await.status(), 401, "the step is over");
        assert!(!signed_in(&other, &app).await);
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.status(), 423, "the lock holds for the password too");
        assert_eq!(audited(&app, "two_step_failed_ended").await, 1);
    }

    async fn twenty_wrong_codes_in_a_row_lock_the_account_until_a_reset_or_staff(app) {
        use server::lockout::{LOCK_SECS, MAX_FAILURES, MAX_SECOND_FACTOR_MISSES};
        app.services.clock.freeze();
        let (id, _) = alice_with_text_codes(&app).await;
        let mut missed = 0;
        // Each step takes 5 wrong codes and locks for 15 minutes; the count carries across locks.
        while missed < MAX_SECOND_FACTOR_MISSES {
            app.services.clock.advance(LOCK_SECS);
            let (other, code) = at_second_step(&app).await;
            let wrong = other_than(&code);
            for _ in 0..MAX_FAILURES {
                let res = post(&other, &app, "/api/verify", JS, &[("code", &wrong)]).await;
                missed += 1;
                let body = res.text().await.unwrap();
                if missed < MAX_SECOND_FACTOR_MISSES {
                    assert!(!body.contains("LockedUntilReset"), "{missed}: {body}");
                } else {
                    assert!(body.contains("LockedUntilReset"), "the {missed}th: {body}");
                }
            }
        }
        assert_eq!(audited(&app, "locked_until_reset").await, 1);
        let told = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert_eq!((told.to.as_str(), told.subject.as_str()), (EMAIL, "Your patient portal account is locked"));
        assert!(told.body.contains("20 wrong verification codes in a row"), "{}", told.body);
        // A day later the right password still opens nothing, and the page says what does.
        app.services.clock.advance(24 * 60 * 60);
        let refused = sign_in(&client(), &app, PASSWORD).await;
        assert_eq!(refused.status(), 423);
        assert!(refused.text().await.unwrap().contains("LockedUntilReset"));
        let desk = server::staff::signin::StaffMember { id: app::ids::StaffId::new(1), name: "Front Desk".into() };
        let chart = server::staff::charts::chart(&app.services, &desk, &server::client::ClientMeta::cli(), id, 1).await.unwrap();
        assert!(chart.findings.iter().any(|f| f.text.starts_with("Locked after 20 wrong verification codes in a row")), "{:?}", chart.findings);
        // Staff "Unlock account" opens it, and the count starts again.
        server::staff::actions::unlock(&app.services, &desk, &server::client::ClientMeta::cli(), id).await.unwrap();
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"");
        let misses: i64 = sqlx::query_scalar("SELECT second_factor_misses FROM accounts").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(misses, 0);
    }

    async fn parallel_codes_cannot_outrun_the_lock(app) {
        alice_with_text_codes(&app).await;
        let (other, code) = at_second_step(&app).await;
        let wrong = other_than(&code);
        let burst = (0..32).map(|_| {
            let (other, app, c) = (other.clone(), &app, wrong.clone());
            async move { post(&other, app, "/api/verify", JS, &[("code", &c)]).await.status().as_u16() }
        });
        let statuses = futures::future::join_all(burst).await;
        let failures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE event LIKE 'two_step_failed%'")
            .fetch_one(&app.services.store)
            .await
            .unwrap();
        assert!(failures <= 5, "at most 5 codes were checked: {failures} ({statuses:?})");
        assert!(statuses.contains(&423), "the burst locked the account: {statuses:?}");
        assert_eq!(post(&other, &app, "/api/verify", JS, &[("code", &code)]).await.status(), 401, "the right code after it: the step is over");
        assert!(!signed_in(&other, &app).await);
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.status(), 423, "and the account locked");
    }

    async fn the_authenticator_key_offered_belongs_to_the_session_that_was_shown_it(app) {
        let id = app.enrolled_patient("Alice", EMAIL).await;
        let key_on = |b: reqwest::Client| {
            let app = &app;
            async move {
                let page = b.get(app.url("/settings")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
                let at = page.find("id=\"totp-secret\"").expect("the key is offered");
                page[at..].split('>').nth(1).unwrap().split('<').next().unwrap().to_string()
            }
        };
        let kiosk = client();
        sign_in(&kiosk, &app, PASSWORD).await;
        let seen = key_on(kiosk.clone()).await;
        let seen_auth = offered_app(&app, id).await;
        assert_eq!(key_on(kiosk.clone()).await, seen, "a reload keeps this session's key (a scan stays good)");
        // Alice's own session is offered a fresh key; the one seen at the kiosk can't be set up any more.
        let own = client();
        sign_in(&own, &app, PASSWORD).await;
        let hers = key_on(own.clone()).await;
        assert_ne!(hers, seen);
        let now = app.services.clock.now();
        let stale = post(&kiosk, &app, "/api/two_step_setup", JS, &[("by", "app"), ("intent", "on"), ("current", PASSWORD), ("code", &seen_auth.code_at(now))]).await;
        assert_eq!(stale.status(), 401, "the key another session replaced");
        let auth = offered_app(&app, id).await;
        let on = post(&own, &app, "/api/two_step_setup", JS, &[("by", "app"), ("intent", "on"), ("current", PASSWORD), ("code", &auth.code_at(now))]).await;
        assert_eq!(on.status(), 200);
    }

    async fn an_authenticator_app_and_backup_codes_each_work_once(app) {
        let id = app.enrolled_patient("Alice", EMAIL).await;
        let b = client();
        sign_in(&b, &app, PASSWORD).await;
        let settings = b.get(app.url("/settings")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
        assert!(settings.contains("id=\"totp-secret\""), "the key is offered as text");
        let auth = offered_app(&app, id).await;
        let now = app.services.clock.now();
        let on = post(&b, &app, "/api/two_step_setup", JS, &[("by", "app"), ("intent", "on"), ("current", PASSWORD), ("code", &auth.code_at(now))]).await;
        assert_eq!(on.status(), 200);
        let codes: Vec<String> = on.json().await.unwrap();

        // The app's code of the step it was turned on with doesn't work twice.
        let other = client();
        assert_eq!(sign_in(&other, &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"");
        assert_eq!(post(&other, &app, "/api/verify", JS, &[("code", &auth.code_at(now))]).await.status(), 401);
        app.services.clock.advance(server::authenticator::STEP_SECS);
        let now = app.services.clock.now();
        assert_eq!(post(&other, &app, "/api/verify", JS, &[("code", &auth.code_at(now))]).await.status(), 200);

        let third = client();
        sign_in(&third, &app, PASSWORD).await;
        assert_eq!(post(&third, &app, "/api/verify", JS, &[("code", &codes[0].to_uppercase())]).await.status(), 200, "a backup code, typed in capitals");
        let fourth = client();
        sign_in(&fourth, &app, PASSWORD).await;
        assert_eq!(post(&fourth, &app, "/api/verify", JS, &[("code", &codes[0])]).await.status(), 401, "used once");
        assert_eq!(post(&fourth, &app, "/api/verify", JS, &[("code", &codes[1])]).await.status(), 200);
        let fifth = client();
        sign_in(&fifth, &app, PASSWORD).await;
        let malformed = post(&fifth, &app, "/api/verify", JS, &[("code", "12")]).await;
        assert_eq!(malformed.status(), 400, "not a try: a code's or backup code's shape only");
        assert_eq!(post(&fifth, &app, "/api/verify", JS, &[("code", &codes[2])]).await.status(), 200);
    }

    async fn a_remembered_device_skips_the_step_until_the_password_changes(app) {
        alice_with_text_codes(&app).await;
        let (phone, code) = at_second_step(&app).await;
        let sent = last_code_to(&app, "+12175550199").await.1;
        let passed = post(&phone, &app, "/api/verify", JS, &[("code", &code), ("remember", "on")]).await;
        assert_eq!(passed.status(), 200);
        let cookies: Vec<String> = passed.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        let device = cookies.iter().find(|c| c.starts_with("portal_device=")).expect("a device cookie");
        assert!(device.contains("Max-Age=2592000") && device.contains("HttpOnly"), "{device}");
        post(&phone, &app, "/api/logout", FORM, &[]).await;
        assert_eq!(sign_in(&phone, &app, PASSWORD).await.text().await.unwrap(), "\"Done\"", "this device is remembered");
        assert_eq!(last_code_to(&app, "+12175550199").await.1, sent, "and no code was sent");
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"", "another device isn't");

        // A password change forgets every device; two-step verification stays on.
        const NEW: &str = "Copper-Kettle-Meadow-58";
        let changed = post(&phone, &app, "/api/change_password", JS, &[("current", PASSWORD), ("password", NEW), ("confirm", NEW)]).await;
        assert_eq!(changed.status(), 200);
        post(&phone, &app, "/api/logout", FORM, &[]).await;
        assert_eq!(sign_in(&phone, &app, NEW).await.text().await.unwrap(), "\"SecondStep\"");
        assert_eq!(audited(&app, "devices_forgotten").await, 1);
    }

    async fn a_step_past_its_life_takes_no_code_and_sends_none(app) {
        use server::two_step::flow::{RESEND_SECS, STEP_LIFE_SECS};
        app.services.clock.freeze();
        alice_with_text_codes(&app).await;
        let (phone, _) = at_second_step(&app).await;
        app.services.clock.advance(STEP_LIFE_SECS - RESEND_SECS);
        assert_eq!(post(&phone, &app, "/api/resend_verification", JS, &[]).await.status(), 200, "still alive: a new code");
        let (fresh, _) = last_code_to(&app, "+12175550199").await;
        app.services.clock.advance(RESEND_SECS);
        let sent = messages_to(&app, "+12175550199").await;
        assert_eq!(post(&phone, &app, "/api/resend_verification", JS, &[]).await.status(), 401, "the step outlived: sign in again");
        assert_eq!(messages_to(&app, "+12175550199").await, sent, "nothing sent");
        assert_eq!(post(&phone, &app, "/api/verify", JS, &[("code", &fresh)]).await.status(), 401, "its newest code, still within its 10 minutes, opens nothing");
        assert!(!signed_in(&phone, &app).await);
    }

    async fn old_second_steps_and_expired_devices_are_swept(app) {
        use server::two_step::second_step::{sweep, KEPT_SECS, REMEMBER_SECS};
        app.services.clock.freeze();
        alice_with_text_codes(&app).await;
        let (phone, code) = at_second_step(&app).await;
        assert_eq!(post(&phone, &app, "/api/verify", JS, &[("code", &code), ("remember", "on")]).await.status(), 200);
        let rows = || async {
            let pool = &app.services.store;
            let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_challenges").fetch_one(pool).await.unwrap();
            let devices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM remembered_devices").fetch_one(pool).await.unwrap();
            (steps, devices)
        };
        let before = rows().await;
        assert!(before.0 >= 1 && before.1 == 1, "{before:?}");
        app.services.clock.advance(KEPT_SECS - 1);
        assert_eq!(sweep(&app.services.store, app.services.clock.now()).await.unwrap(), 0, "a second before the day is out: kept");
        app.services.clock.advance(1);
        assert_eq!(sweep(&app.services.store, app.services.clock.now()).await.unwrap(), before.0 as u64);
        assert_eq!(rows().await, (0, 1), "the steps go; the device still lets this phone skip the step");
        post(&phone, &app, "/api/logout", FORM, &[]).await;
        assert_eq!(sign_in(&phone, &app, PASSWORD).await.text().await.unwrap(), "\"Done\"");
        app.services.clock.advance(REMEMBER_SECS - KEPT_SECS);
        sweep(&app.services.store, app.services.clock.now()).await.unwrap();
        assert_eq!(rows().await.1, 0, "30 days after it was remembered, the device is forgotten");
    }

    async fn without_javascript_the_step_is_plain_forms(app) {
        alice_with_text_codes(&app).await;
        let other = client();
        let res = post(&other, &app, "/api/login", FORM, &[("username", EMAIL), ("password", PASSWORD)]).await;
        assert_eq!((res.status().as_u16(), location(&res)), (303, "/login/verify".to_string()));
        let page = other.get(app.url("/login/verify")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Enter your verification code"));
        assert!(page.contains("by text message to (•••) •••-0199"), "{page}");
        assert!(page.contains("Remember this device for 30 days"));
        let (code, _) = last_code_to(&app, "+12175550199").await;
        let wrong = post(&other, &app, "/api/verify", FORM, &[("code", &other_than(&code))]).await;
        assert_eq!((wrong.status().as_u16(), location(&wrong)), (303, "/login/verify".to_string()));
        let page = other.get(app.url("/login/verify")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
        assert!(page.contains("That code isn&#x27;t right. You have 4 tries left.") || page.contains("That code isn't right. You have 4 tries left."), "{page}");
        // Resend: not before the countdown, then a new code that alone works.
        let early = post(&other, &app, "/api/resend_verification", FORM, &[]).await;
        assert_eq!(location(&early), "/login/verify");
        app.services.clock.advance(60);
        post(&other, &app, "/api/resend_verification", FORM, &[]).await;
        let (newer, _) = last_code_to(&app, "+12175550199").await;
        if newer != code {
            let old = post(&other, &app, "/api/verify", FORM, &[("code", &code)]).await;
            assert_eq!(location(&old), "/login/verify", "only the newest code works");
        }
        let right = post(&other, &app, "/api/verify", FORM, &[("code", &newer)]).await;
        assert_eq!((right.status().as_u16(), location(&right)), (303, "/".to_string()));
        assert!(signed_in(&other, &app).await);
    }

    async fn turning_it_off_needs_the_password_and_takes_the_backup_codes(app) {
        let (_, b) = alice_with_text_codes(&app).await;
        assert_eq!(post(&b, &app, "/api/turn_off_two_step", JS, &[("current", "not-it")]).await.status(), 401);
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"", "still on");
        assert_eq!(post(&b, &app, "/api/turn_off_two_step", JS, &[("current", PASSWORD)]).await.status(), 200);
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"Done\"");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM backup_codes").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(left, 0, "the backup codes went with it");
        assert_eq!(audited(&app, "two_step_turned_off").await, 1);
    }

    async fn a_password_reset_keeps_it_on_and_forgets_every_device(app) {
        use app::secret::Password;
        use server::client::ClientMeta;
        use server::recovery::{reset, steps};
        use server::tokens::SecretToken;
        alice_with_text_codes(&app).await;
        let (phone, code) = at_second_step(&app).await;
        assert_eq!(post(&phone, &app, "/api/verify", JS, &[("code", &code), ("remember", "on")]).await.status(), 200);

        reset::request(&app.services, &ClientMeta::cli(), EMAIL).await.unwrap();
        let body = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
        let url = body.lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap();
        let token = SecretToken::from_presented(url.rsplit('/').next().unwrap().to_string());
        steps::answer(&app.services, &ClientMeta::cli(), &token, "19800101", "Biscuit").await.unwrap();
        const NEW: &str = "Copper-Kettle-Meadow-58";
        steps::save_password(&app.services, &ClientMeta::cli(), &token, &Password::new(NEW), &Password::new(NEW)).await.unwrap();

        assert_eq!(sign_in(&phone, &app, NEW).await.text().await.unwrap(), "\"SecondStep\"", "still on, and the device forgotten");
    }

    async fn staff_turn_it_off_for_a_patient_stuck_at_the_second_step(app) {
        const STAFF_PASSWORD: &str = "Quiet-Maple-Desk-19";
        let (alice, at_home) = alice_with_text_codes(&app).await;
        // A sign-in left at the second step (the phone was lost, say).
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"");

        server::staff::add_if_missing(&app.services, "reception@example.com", "Front Desk", STAFF_PASSWORD).await.unwrap();
        let desk = client();
        assert_eq!(common::staff_sign_in(&app, &desk, "reception@example.com", STAFF_PASSWORD, JS).await.status(), 200);
        let id = alice.to_string();
        let chart = || async {
            post(&desk, &app, "/api/staff_chart", JS, &[("id", &id), ("audit_page", "1")]).await.json::<serde_json::Value>().await.unwrap()
        };
        let c = chart().await;
        assert_eq!(c["two_step"], "by text message to (•••) •••-0199");
        let stuck = c["findings"].as_array().unwrap().iter().find(|f| f["text"].as_str().unwrap().starts_with("Waiting at two-step verification since")).expect("a finding");
        assert_eq!(stuck["fix"], "TurnOffTwoStep");

        let off = |reason: &'static str, confirmed: &'static str| {
            let (desk, app, id) = (desk.clone(), &app, id.clone());
            async move { post(&desk, app, "/api/staff_turn_off_two_step", JS, &[("id", &id), ("reason", reason), ("identity_confirmed", confirmed)]).await.status().as_u16() }
        };
        assert_eq!(off("Lost phone", "false").await, 400, "identity not confirmed");
        assert_eq!(off("  ", "true").await, 400, "no reason");
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"", "refusals changed nothing");
        assert!(signed_in(&at_home, &app).await);
        assert_eq!(off("Lost phone", "true").await, 200);
        assert!(!signed_in(&at_home, &app).await, "every session of the account ends with it");
        let c = chart().await;
        assert!(c["two_step"].is_null());
        assert!(c["audit"].as_array().unwrap().iter().any(|a| a["event"] == "Two-step verification turned off by staff. Reason: Lost phone" && a["actor"] == "Staff: Front Desk"));
        let told = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert_eq!((told.to.as_str(), told.subject.as_str()), (EMAIL, "Two-step verification was turned off"));
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"Done\"");
        assert_eq!(off("Lost phone", "true").await, 409);
    }

    async fn credential_changes_need_a_second_step_passed_in_the_last_ten_minutes(app) {
        app.services.clock.freeze();
        let (_, b) = alice_with_text_codes(&app).await;
        let invite = |b: &reqwest::Client| {
            let (b, app) = (b.clone(), &app);
            async move {
                post(&b, app, "/api/invite_family", JS, &[("current", PASSWORD), ("name", "Rosa Diaz"), ("email", "rosa@example.com"), ("relationship", "caregiver")]).await
            }
        };
        // The code that turned it on counts as a second step, for 10 minutes.
        app.services.clock.advance(server::changes::step_up::RECENT_SECS - 1);
        assert_eq!(invite(&b).await.status(), 200);
        app.services.clock.advance(1);
        let refused = invite(&b).await;
        assert_eq!(refused.status(), 403);
        assert!(refused.text().await.unwrap().contains("SignInAgain"));
        assert_eq!(post(&b, &app, "/api/turn_off_two_step", JS, &[("current", PASSWORD)]).await.status(), 403);
        assert_eq!(post(&b, &app, "/api/change_mobile", JS, &[("current", PASSWORD), ("phone", "(217) 555-0188")]).await.status(), 403);
        let passkey = b.post(app.url("/passkey/register/start")).json(&serde_json::json!({ "name": "", "current": PASSWORD })).send().await.unwrap();
        assert_eq!(passkey.status(), 403, "no passkey from a session past its second step");
        assert_eq!(sign_in(&client(), &app, PASSWORD).await.text().await.unwrap(), "\"SecondStep\"", "still on");
        let invitations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE relationship IS NOT NULL").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(invitations, 1, "only the first went");

        // A fresh sign-in through the second step may.
        let (fresh, code) = at_second_step(&app).await;
        assert_eq!(post(&fresh, &app, "/api/verify", JS, &[("code", &code)]).await.status(), 200);
        assert_eq!(post(&fresh, &app, "/api/turn_off_two_step", JS, &[("current", PASSWORD)]).await.status(), 200);
        // With it off, a password-only session changes the number.
        assert_eq!(post(&b, &app, "/api/change_mobile", JS, &[("current", PASSWORD), ("phone", "(217) 555-0188")]).await.status(), 200);
    }
}
