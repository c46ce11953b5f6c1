//! Passkeys (SPEC §2.1, §2.5) over HTTP on both stores, with a software
//! authenticator (webauthn-authenticator-rs): adding one, signing in with it
//! without a username and without the second step, and every refusal — a
//! used or expired ceremony, another origin, a counter going backwards, a
//! removed passkey, a revoked account.

use crate::common;

use common::{TestApp, JS, PASSWORD};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::{json, Value};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

const EMAIL: &str = "alice@example.com";

fn client() -> reqwest::Client {
    common::browser_builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn post_json(b: &reqwest::Client, app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    b.post(app.url(path)).header("accept", JS).json(body).send().await.unwrap()
}

async fn signed_in(b: &reqwest::Client, app: &TestApp) -> bool {
    b.post(app.url("/api/me")).header("accept", JS).send().await.unwrap().text().await.unwrap() != "null"
}

async fn audited(app: &TestApp, event: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE event = $1").bind(event).fetch_one(&app.services.store).await.unwrap()
}

fn origin(app: &TestApp) -> Url {
    server::passkeys::origin(&app.services.config)
}

/// A patient's passkey, as the test's authenticator holds it.
struct Key {
    authenticator: WebauthnAuthenticator<SoftPasskey>,
    credential_id: String,
    user_handle: String,
}

/// Adds a passkey named `name` for the signed-in `b`.
async fn add_passkey(b: &reqwest::Client, app: &TestApp, name: &str) -> Key {
    let start: Value = post_json(b, app, "/passkey/register/start", &json!({ "name": name, "current": PASSWORD })).await.json().await.unwrap();
    let mut options = start["options"].clone();
    assert_eq!(options["publicKey"]["authenticatorSelection"]["residentKey"], "required", "a discoverable credential: {start}");
    // The software authenticator keeps no resident keys; the test hands it the credential id instead.
    options["publicKey"]["authenticatorSelection"]["residentKey"] = json!("discouraged");
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = json!(false);
    let user_handle = options["publicKey"]["user"]["id"].as_str().unwrap().to_string();
    let ccr: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    let mut authenticator = WebauthnAuthenticator::new(SoftPasskey::new(true));
    let credential = authenticator.do_registration(origin(app), ccr).unwrap();
    let credential_id = serde_json::to_value(&credential).unwrap()["id"].as_str().unwrap().to_string();
    let res = post_json(b, app, "/passkey/register/finish", &json!({ "ceremony": start["ceremony"], "credential": credential })).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    Key { authenticator, credential_id, user_handle }
}

/// A sign-in ceremony answered by `key` (as if from `from`): its token and the answer.
async fn answer(app: &TestApp, key: &mut Key, from: Url) -> (Value, Value) {
    let start: Value = post_json(&client(), app, "/passkey/sign-in/start", &json!({})).await.json().await.unwrap();
    let mut options = start["options"].clone();
    assert_eq!(options["publicKey"]["allowCredentials"], json!([]), "no username, no list of credentials");
    options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": key.credential_id }]);
    let rcr: RequestChallengeResponse = serde_json::from_value(options).unwrap();
    let assertion = key.authenticator.do_authentication(from, rcr).unwrap();
    let mut assertion = serde_json::to_value(&assertion).unwrap();
    assertion["response"]["userHandle"] = json!(key.user_handle);
    (start["ceremony"].clone(), assertion)
}

async fn finish(b: &reqwest::Client, app: &TestApp, ceremony: &Value, assertion: &Value) -> reqwest::Response {
    post_json(b, app, "/passkey/sign-in/finish", &json!({ "ceremony": ceremony, "credential": assertion })).await
}

async fn error_of(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, res.json::<Value>().await.unwrap()["error"].as_str().unwrap_or_default().to_string())
}

on_both_stores! {
    async fn a_passkey_signs_in_without_a_username_or_second_step_and_works_once_per_ceremony(app) {
        app.enrolled_patient("Alice", EMAIL).await;
        let b = client();
        // Nobody signed in: no passkey can be added.
        assert_eq!(post_json(&b, &app, "/passkey/register/start", &json!({})).await.status(), 401);
        assert_eq!(app.call_login(EMAIL, PASSWORD).await.status(), 200);
        let b = &app.browser;
        let too_long = post_json(b, &app, "/passkey/register/start", &json!({ "name": "x".repeat(61) })).await;
        assert_eq!(too_long.status(), 400);
        let mut key = add_passkey(b, &app, "My phone").await;
        assert_eq!(audited(&app, "passkey_added").await, 1);
        let settings = b.get(app.url("/settings")).header("accept", "text/html").send().await.unwrap().text().await.unwrap();
        assert!(settings.contains("My phone") && settings.contains("not used yet"), "the list shows it");

        // Two-step verification is on; a passkey sign-in skips it.
        let sent = b.post(app.url("/api/two_step_setup")).header("accept", JS).form(&[("by", "email"), ("intent", "send")]).send().await.unwrap();
        assert_eq!(sent.status(), 200);
        let body = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
        let code: String = body.split("code is ").nth(1).unwrap().chars().take(6).collect();
        let on = b.post(app.url("/api/two_step_setup")).header("accept", JS).form(&[("by", "email"), ("intent", "on"), ("current", PASSWORD), ("code", &code)]).send().await.unwrap();
        assert_eq!(on.status(), 200);

        let phone = client();
        let (ceremony, assertion) = answer(&app, &mut key, origin(&app)).await;
        let res = finish(&phone, &app, &ceremony, &assertion).await;
        assert_eq!(res.status(), 200);
        assert!(common::session_cookie(&res).is_some());
        assert!(signed_in(&phone, &app).await);
        assert_eq!(audited(&app, "passkey_used").await, 1);

        // The same answer again, or to the same ceremony: refused and audited.
        let replay = client();
        assert_eq!(error_of(finish(&replay, &app, &ceremony, &assertion).await).await, (401, app::passkeys::PasskeyError::Expired.to_string()));
        assert!(!signed_in(&replay, &app).await);
        // A ceremony older than 5 minutes is over. The clock stands still from
        // here: the sweep's boundary below is to the second.
        app.services.clock.freeze();
        let ceremonies = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM passkey_ceremonies").fetch_one(&app.services.store).await.unwrap() };
        // Every /login visit with JavaScript starts one for the autofill: no row, and no sign-in try.
        let rows = ceremonies().await;
        for _ in 0..5 {
            assert_eq!(post_json(&client(), &app, "/passkey/sign-in/start", &json!({})).await.status(), 200);
        }
        assert_eq!(ceremonies().await, rows, "a page view writes nothing");
        let (late, late_answer) = answer(&app, &mut key, origin(&app)).await;
        app.services.clock.advance(app::passkeys::CEREMONY_MINUTES * 60);
        assert_eq!(finish(&replay, &app, &late, &late_answer).await.status(), 401);
        assert!(audited(&app, "passkey_sign_in_refused").await >= 2);
        // A token that isn't one of ours, or was tampered with, is no ceremony.
        let forged = json!(late.as_str().unwrap().replacen('A', "B", 1));
        assert_eq!(error_of(finish(&client(), &app, &forged, &late_answer).await).await, (401, app::passkeys::PasskeyError::Expired.to_string()));
        // An answered ceremony's row (it marks it spent) goes an hour after the ceremony ended.
        let (spent, spent_answer) = answer(&app, &mut key, origin(&app)).await;
        assert_eq!(finish(&client(), &app, &spent, &spent_answer).await.status(), 200);
        assert!(ceremonies().await > 0);
        assert_eq!(server::store::passkeys::sweep_ceremonies(&app.services.store, app.services.clock.now()).await.unwrap(), 0, "not yet");
        let newest_ended = ceremonies().await;
        app.services.clock.advance(app::passkeys::CEREMONY_MINUTES * 60 + 3600);
        server::store::passkeys::sweep_ceremonies(&app.services.store, app.services.clock.now()).await.unwrap();
        assert!(ceremonies().await > 0, "the newest ended exactly an hour ago: kept ({newest_ended} before)");
        app.services.clock.advance(1);
        server::store::passkeys::sweep_ceremonies(&app.services.store, app.services.clock.now()).await.unwrap();
        assert_eq!(ceremonies().await, 0);
    }

    async fn another_origin_a_counter_going_back_and_a_removed_passkey_are_refused(app) {
        let id = app.enrolled_patient("Alice", EMAIL).await;
        app.call_login(EMAIL, PASSWORD).await;
        let mut key = add_passkey(&app.browser, &app, "Laptop").await;

        // A look-alike site relays the challenge: the browser there reports its own origin.
        let (ceremony, mut assertion) = answer(&app, &mut key, origin(&app)).await;
        let client_data = assertion["response"]["clientDataJSON"].as_str().unwrap();
        let mut seen: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(client_data).unwrap()).unwrap();
        seen["origin"] = json!("https://portal.evil.example");
        assertion["response"]["clientDataJSON"] = json!(URL_SAFE_NO_PAD.encode(serde_json::to_vec(&seen).unwrap()));
        assert_eq!(error_of(finish(&client(), &app, &ceremony, &assertion).await).await, (401, app::passkeys::PasskeyError::WrongSite.to_string()));

        // An answer for another relying party (its authenticator data names another RP ID).
        let (ceremony, mut assertion) = answer(&app, &mut key, origin(&app)).await;
        let data = assertion["response"]["authenticatorData"].as_str().unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(data).unwrap();
        bytes[..32].copy_from_slice(&<sha2::Sha256 as sha2::Digest>::digest(b"portal.evil.example"));
        assertion["response"]["authenticatorData"] = json!(URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(error_of(finish(&client(), &app, &ceremony, &assertion).await).await, (401, app::passkeys::PasskeyError::WrongSite.to_string()));

        // Two answers made in turn, sent the other way round: the counter went backwards.
        let (first, first_answer) = answer(&app, &mut key, origin(&app)).await;
        let (second, second_answer) = answer(&app, &mut key, origin(&app)).await;
        assert_eq!(finish(&client(), &app, &second, &second_answer).await.status(), 200);
        let cloned = client();
        assert_eq!(error_of(finish(&cloned, &app, &first, &first_answer).await).await, (401, app::passkeys::PasskeyError::Cloned.to_string()));
        assert!(!signed_in(&cloned, &app).await);

        let passkey_id: i64 = sqlx::query_scalar("SELECT id FROM passkeys WHERE account_id = $1").bind(app.account_of(id).await).fetch_one(&app.services.store).await.unwrap();
        let removed = app.browser.post(app.url("/api/remove_passkey")).header("accept", JS).form(&[("id", passkey_id.to_string())]).send().await.unwrap();
        assert_eq!(removed.status(), 200);
        assert_eq!(audited(&app, "passkey_removed").await, 1);
        let (ceremony, assertion) = answer(&app, &mut key, origin(&app)).await;
        assert_eq!(error_of(finish(&client(), &app, &ceremony, &assertion).await).await, (401, app::passkeys::PasskeyError::Unknown.to_string()));
        let again = app.browser.post(app.url("/api/remove_passkey")).header("accept", JS).form(&[("id", passkey_id.to_string())]).send().await.unwrap();
        assert_eq!(again.status(), 404);
    }

    async fn a_revoked_account_s_passkey_opens_nothing(app) {
        let id = app.enrolled_patient("Alice", EMAIL).await;
        app.call_login(EMAIL, PASSWORD).await;
        let mut key = add_passkey(&app.browser, &app, "Phone").await;
        let desk = server::staff::signin::StaffMember { id: app::ids::StaffId::new(1), name: "Front Desk".into() };
        server::staff::actions::revoke(&app.services, &desk, &server::client::ClientMeta::cli(), id).await.unwrap();
        let (ceremony, assertion) = answer(&app, &mut key, origin(&app)).await;
        let b = client();
        let (status, message) = error_of(finish(&b, &app, &ceremony, &assertion).await).await;
        assert_eq!((status, message.as_str()), (403, "Your portal access has been turned off. Please contact your practice."));
        assert!(!signed_in(&b, &app).await);
    }

    async fn a_borrowed_session_can_t_add_a_passkey_without_the_password(app) {
        app.enrolled_patient("Alice", EMAIL).await;
        app.call_login(EMAIL, PASSWORD).await;
        let ceremonies = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM passkey_ceremonies").fetch_one(&app.services.store).await.unwrap() };
        let none = post_json(&app.browser, &app, "/passkey/register/start", &json!({ "name": "Kiosk" })).await;
        assert_eq!(error_of(none).await.0, 400, "no password: asked for one");
        let guess = post_json(&app.browser, &app, "/passkey/register/start", &json!({ "name": "Kiosk", "current": "a-guess-1" })).await;
        assert_eq!(error_of(guess).await, (401, app::passkeys::PasskeyError::WrongPassword.to_string()));
        assert_eq!(ceremonies().await, 0, "no prompt was offered");
        assert_eq!(audited(&app, "settings_password_failed").await, 1, "a wrong password counts toward the lock");
        add_passkey(&app.browser, &app, "Phone").await;
        assert_eq!(ceremonies().await, 1);
        // Every credential change is emailed to the account (SPEC §5): added, then removed.
        let told = || async {
            let all = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
            all.iter().filter(|m| m.to == EMAIL && m.subject == "Your patient portal passkey list was changed").count()
        };
        assert_eq!(told().await, 1);
        let passkey_id: i64 = sqlx::query_scalar("SELECT id FROM passkeys").fetch_one(&app.services.store).await.unwrap();
        let removed = app.browser.post(app.url("/api/remove_passkey")).header("accept", JS).form(&[("id", passkey_id.to_string())]).send().await.unwrap();
        assert_eq!(removed.status(), 200);
        assert_eq!(told().await, 2);
    }

    async fn a_locked_account_still_signs_in_with_its_passkey_and_the_lock_holds_for_passwords(app) {
        // The lock stops guessing, and a passkey can't be guessed: someone who
        // locks Alice out with wrong passwords can't keep her out (passkeys.rs).
        app.enrolled_patient("Alice", EMAIL).await;
        app.call_login(EMAIL, PASSWORD).await;
        let mut key = add_passkey(&app.browser, &app, "Phone").await;
        let guesser = client();
        for i in 0..5 {
            guesser.post(app.url("/api/login")).header("accept", JS).form(&[("username", EMAIL), ("password", &format!("Wrong-Guess-{i}-x"))]).send().await.unwrap();
        }
        assert_eq!(app.call_login(EMAIL, PASSWORD).await.status(), 423, "locked");
        let (ceremony, assertion) = answer(&app, &mut key, origin(&app)).await;
        let b = client();
        assert_eq!(finish(&b, &app, &ceremony, &assertion).await.status(), 200);
        assert!(signed_in(&b, &app).await);
        assert_eq!(app.call_login(EMAIL, PASSWORD).await.status(), 423, "the lock still holds for passwords");
    }

    async fn someone_else_s_passkey_cannot_be_removed(app) {
        let alice = app.enrolled_patient("Alice", EMAIL).await;
        app.call_login(EMAIL, PASSWORD).await;
        add_passkey(&app.browser, &app, "Phone").await;
        let passkey_id: i64 = sqlx::query_scalar("SELECT id FROM passkeys WHERE account_id = $1").bind(app.account_of(alice).await).fetch_one(&app.services.store).await.unwrap();
        app.enrolled_patient("Bob", "bob@example.com").await;
        let bob = client();
        bob.post(app.url("/api/login")).header("accept", JS).form(&[("username", "bob@example.com"), ("password", PASSWORD)]).send().await.unwrap();
        let res = bob.post(app.url("/api/remove_passkey")).header("accept", JS).form(&[("id", passkey_id.to_string())]).send().await.unwrap();
        assert_eq!(res.status(), 404);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(left, 1);
    }
}

/// With a sign-in budget of 2 a minute per address, the autofill's five
/// ceremonies (five /login visits) leave it whole.
async fn the_autofill_spends_no_sign_in_try(db: common::Db) {
    let tight = TestApp::spawn_with(db, |c| c.ip_limit = 2).await;
    for _ in 0..5 {
        assert_eq!(post_json(&client(), &tight, "/passkey/sign-in/start", &json!({})).await.status(), 200, "a /login visit is no try");
    }
    assert_eq!(tight.call_login("nobody@example.com", "wrong-password-1").await.status(), 401, "the budget is whole");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_autofill_spends_no_sign_in_try_on_sqlite() {
    the_autofill_spends_no_sign_in_try(common::Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_autofill_spends_no_sign_in_try_on_postgres() {
    the_autofill_spends_no_sign_in_try(common::Db::Postgres).await;
}
