//! Families and caregivers (SPEC §2.4, §2.7) over HTTP, on SQLite and
//! PostgreSQL: access codes, a caregiver's registration, "Link to my
//! account", `/charts/{id}` answering 404 alike for someone else's chart and
//! a missing one, access removed at once, a parent's access ending on the
//! 18th birthday (test clock across the boundary), and the age rules.

use app::family::{PersonKey, Relation};
use app::ids::PatientId;
use crate::common;

use common::{location, TestApp, FORM, JS, PASSWORD};
use server::audit::Actor;
use server::client::ClientMeta;
use server::enrollment::invite::{self, InviteError, Invitee};

const NEW_PASSWORD: &str = "Copper-Kettle-Meadow-58";
const DAY: i64 = 24 * 60 * 60;

/// A chart born `dob` (`YYYYMMDD`).
async fn chart_born(app: &TestApp, first: &str, last: &str, dob: &str, email: &str) -> PatientId {
    let p = server::patients::NewPatient {
        first_name: first.into(),
        last_name: last.into(),
        dob: app::dob::DateOfBirth::parse(dob, app.services.clock.today()).unwrap(),
        email: Some(app::email::EmailAddress::parse(email).unwrap()),
        mobile: None,
        language: app::i18n::Lang::En,
    };
    server::patients::add_patient(&app.services, p, &ClientMeta::cli()).await.unwrap()
}

/// `YYYYMMDD` of the day `years` years before today, `days` days later.
fn born(app: &TestApp, years: i64, days: i64) -> String {
    let today = jiff::Timestamp::from_second(app.services.clock.now()).unwrap().to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let d = today.checked_sub(jiff::Span::new().years(years)).unwrap().checked_add(jiff::Span::new().days(days)).unwrap();
    d.strftime("%Y%m%d").to_string()
}

/// Invites `name` at `email` to `chart` as `relation`: (token, code).
async fn grant(app: &TestApp, chart: PatientId, email: &str, name: &str, relation: Relation) -> (String, String) {
    let email = app::email::EmailAddress::parse(email).unwrap();
    let sent = invite::invite(&app.services, chart, Invitee::Family { email: &email, name, relation }, Actor::Cli, &ClientMeta::cli()).await.unwrap();
    (sent.link.rsplit('/').next().unwrap().to_string(), sent.code.expose().to_string())
}

/// Dana Reyes (born 19800101, mobile (217) 555-0142), invited to register: her chart and the link's token.
async fn invited_with_mobile(app: &TestApp) -> (PatientId, String) {
    let p = server::patients::NewPatient {
        first_name: "Dana".into(),
        last_name: "Reyes".into(),
        dob: app::dob::DateOfBirth::parse("19800101", app.services.clock.today()).unwrap(),
        email: Some(app::email::EmailAddress::parse("dana@example.com").unwrap()),
        mobile: Some(app::phone::MobileNumber::parse("(217) 555-0142").unwrap()),
        language: app::i18n::Lang::En,
    };
    let dana = server::patients::add_patient(&app.services, p, &ClientMeta::cli()).await.unwrap();
    let sent = invite::invite(&app.services, dana, Invitee::Own(None), Actor::Cli, &ClientMeta::cli()).await.unwrap();
    (dana, sent.link.rsplit('/').next().unwrap().to_string())
}

/// A second browser with a cookie jar of its own.
fn other_browser() -> reqwest::Client {
    common::browser_builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn caregiver_form(app: &TestApp, browser: &reqwest::Client, token: &str, code: &str, patient_dob: &str) -> reqwest::Response {
    let form = [
        ("token", token),
        ("dob", patient_dob),
        ("access_code", code),
        ("your_dob", "19700505"),
        ("username", "rosa@example.com"),
        ("password", NEW_PASSWORD),
        ("confirm", NEW_PASSWORD),
        ("question", app::register::SECURITY_QUESTIONS[0]),
        ("answer", "Biscuit"),
        ("phone", "(217) 555-0177"),
    ];
    browser.post(app.url("/api/register")).header("accept", JS).form(&form).send().await.unwrap()
}

/// A page with its per-response CSP nonce taken out.
fn without_nonce(page: &str) -> String {
    let nonce = page.split("nonce=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
    if nonce.is_empty() { page.to_string() } else { page.replace(&nonce, "NONCE") }
}

async fn page_of(app: &TestApp, browser: &reqwest::Client, path: &str) -> (u16, String) {
    let r = browser.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

on_both_stores! {
    async fn a_wrong_access_code_counts_like_a_wrong_date_and_five_void_the_invitation(app) {
        let id = app.chart("Dana", "dana@example.com").await;
        let sent = invite::invite(&app.services, id, Invitee::Own(None), Actor::Cli, &ClientMeta::cli()).await.unwrap();
        let token = sent.link.rsplit('/').next().unwrap().to_string();
        let right = sent.code.expose().to_string();
        assert_eq!(right.len(), 6);
        let wrong = if right.starts_with('A') { format!("B{}", &right[1..]) } else { format!("A{}", &right[1..]) };
        let post = |code: String| {
            let token = token.clone();
            let app = &app;
            async move {
                let form = [("token", token.as_str()), ("dob", "19800101"), ("access_code", code.as_str()), ("username", "dana@example.com"),
                    ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD), ("question", app::register::SECURITY_QUESTIONS[0]), ("answer", "Volvo"), ("phone", "(217) 555-0142")];
                app.post("/api/register", JS, &form).await
            }
        };
        let bad_shape = post("K7P".into()).await;
        assert_eq!(bad_shape.status(), 400, "a code of the wrong shape is bad input, not a try");
        let r = post(wrong.clone()).await;
        assert_eq!(r.status(), 401);
        assert!(r.text().await.unwrap().contains("DobMismatch"));
        // The CLI and the staff dialog read the same code out.
        assert_eq!(invite::open_code(&app.services, id, None, true).await.unwrap().map(|c| c.expose().to_string()), Some(right.clone()));
        for _ in 0..3 {
            assert_eq!(post(wrong.clone()).await.status(), 401);
        }
        assert_eq!(post(wrong.to_lowercase()).await.status(), 410, "the fifth wrong try voids the invitation");
        assert_eq!(post(right.to_lowercase()).await.status(), 410, "even the right code is too late");
        assert!(invite::open_code(&app.services, id, None, false).await.unwrap().is_none());
    }

    async fn a_caregiver_registers_sees_the_chart_and_anything_else_is_not_found(app) {
        let henry = chart_born(&app, "Henry", "Okafor", "19400210", "henry@example.com").await;
        let other = chart_born(&app, "Olive", "Stone", "19500101", "olive@example.com").await;
        let (token, code) = grant(&app, henry, "rosa@example.com", "Rosa Diaz", Relation::Caregiver).await;
        let page = app.page(&format!("/register/{token}")).await;
        assert!(page.contains("Your date of birth") && page.contains("Access code") && page.contains("Already have an account?"), "{page}");
        let m = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert_eq!((m.to.as_str(), m.subject.as_str()), ("rosa@example.com", "Henry's records at Riverside Family Practice"));
        assert!(!m.body.contains(&code), "the access code never travels with the link");

        let rosa = other_browser();
        assert_eq!(caregiver_form(&app, &rosa, &token, &code, "19400211").await.status(), 401, "the patient's date of birth, not hers");
        assert_eq!(caregiver_form(&app, &rosa, &token, &code, "19400210").await.status(), 200);
        let (status, chart) = page_of(&app, &rosa, &format!("/charts/{henry}")).await;
        assert_eq!(status, 200);
        assert!(chart.contains("Henry Okafor&#x27;s records") || chart.contains("Henry Okafor's records"), "{chart}");
        let (hidden, hidden_body) = page_of(&app, &rosa, &format!("/charts/{other}")).await;
        let (missing, missing_body) = page_of(&app, &rosa, "/charts/999999").await;
        assert_eq!((hidden, missing), (404, 404));
        assert_eq!(
            without_nonce(&hidden_body.replace(&other.to_string(), "ID")),
            without_nonce(&missing_body.replace("999999", "ID")),
            "someone else's chart reads exactly as a missing one"
        );
        let (_, home) = page_of(&app, &rosa, "/").await;
        assert!(home.contains("Welcome, Rosa"), "{home}");

        // The chart's audit log names who was given access, as what; Henry is told.
        let log = app.services.store.clone();
        let events: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_events WHERE patient_id = $1 ORDER BY id").bind(henry).fetch_all(&log).await.unwrap();
        assert!(events.contains(&"family_invited".to_string()) && events.contains(&"access_given".to_string()), "{events:?}");
        let told = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
        assert!(told.iter().any(|m| m.to == "henry@example.com" && m.body.contains("Rosa Diaz (Caregiver)")));
        // Forgot username finds her account by her own email and date of birth.
        let r = app.post("/api/forgot_username", JS, &[("email", "rosa@example.com"), ("dob", "19700505")]).await;
        assert!(r.status().is_success());
        let last = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert!(last.to == "rosa@example.com" && last.body.contains("rosa@example.com"), "{}", last.body);

        // Henry removes her access: her session loses the chart at once.
        let grant_id: i64 = sqlx::query_scalar("SELECT id FROM grants WHERE patient_id = $1 AND relationship = 'caregiver'").bind(henry).fetch_one(&log).await.unwrap();
        let henry_account = server::demo::enroll_with(&app.services, henry, "henry@example.com", PASSWORD, "(217) 555-0190").await.unwrap();
        let _ = henry_account;
        assert!(server::family::remove(&app.services, henry, PersonKey::Grant(grant_id), Actor::Patient, &ClientMeta::cli()).await.unwrap());
        let (gone, _) = page_of(&app, &rosa, &format!("/charts/{henry}")).await;
        assert_eq!(gone, 404, "her session lost the chart at once");
        let (status, home) = page_of(&app, &rosa, "/").await;
        assert_eq!(status, 200, "the account is still hers: she stays signed in");
        assert!(home.contains("No records are shared with you right now.") && !home.contains("Henry Okafor"), "{home}");
    }

    async fn a_parent_with_no_chart_of_their_own_keeps_the_account_when_the_child_turns_18(app) {
        app.services.clock.freeze();
        let teen_dob = born(&app, 18, 1);
        let teen = chart_born(&app, "Tess", "Nguyen", &teen_dob, "tess@example.com").await;
        let (token, code) = grant(&app, teen, "rosa@example.com", "Rosa Nguyen", Relation::Parent).await;
        let parent = other_browser();
        assert_eq!(caregiver_form(&app, &parent, &token, &code, &teen_dob).await.status(), 200);
        assert_eq!(page_of(&app, &parent, &format!("/charts/{teen}")).await.0, 200);
        let ends: i64 = sqlx::query_scalar("SELECT ends_at FROM grants WHERE patient_id = $1 AND relationship = 'parent'").bind(teen).fetch_one(&app.services.store).await.unwrap();
        app.services.clock.advance(ends - app.services.clock.now());
        assert_eq!(server::family::sweep_turned_18(&app.services).await.unwrap(), 1);

        // She signs in (a day has passed) and is not refused as turned off: the page says why the chart went.
        let form = [("username", "rosa@example.com"), ("password", NEW_PASSWORD)];
        assert_eq!(parent.post(app.url("/api/login")).header("accept", JS).form(&form).send().await.unwrap().status(), 200);
        let (status, home) = page_of(&app, &parent, "/").await;
        assert_eq!(status, 200, "{home}");
        assert!(home.contains("Welcome, Rosa") && (home.contains("Tess&#x27;s records are no longer shared with you") || home.contains("Tess's records are no longer shared with you")), "{home}");
        assert_eq!(page_of(&app, &parent, &format!("/charts/{teen}")).await.0, 404);
        assert_eq!(page_of(&app, &parent, "/settings").await.0, 200, "her own settings are still hers");
        // She can still ask for a reset link.
        let r = app.post("/api/forgot_password", JS, &[("username", "rosa@example.com")]).await;
        assert!(r.status().is_success());
        let last = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert!(last.to == "rosa@example.com" && last.body.contains("/reset/"), "{}", last.body);
    }

    async fn a_parent_links_an_existing_account_and_sees_both_charts(app) {
        let alice = app.enrolled_patient("Alice", "alice@example.com").await;
        let ben = chart_born(&app, "Ben", "Nguyen", &born(&app, 8, 0), "alice@example.com").await;
        let (token, code) = grant(&app, ben, "alice@example.com", "Alice Tester", Relation::Parent).await;
        let ben_dob = born(&app, 8, 0);
        let link = |password: &'static str| {
            let form = vec![("token", token.clone()), ("dob", ben_dob.clone()), ("access_code", code.clone()), ("username", "alice@example.com".to_string()), ("password", password.to_string())];
            let app = &app;
            async move { app.browser.post(app.url("/api/link_account")).header("accept", FORM).form(&form).send().await.unwrap() }
        };
        let wrong = link("not-her-password").await;
        assert_eq!(location(&wrong), format!("/register/{token}/link"));
        let failed: i64 = sqlx::query_scalar("SELECT failed_attempts FROM accounts WHERE id = $1").bind(app.account_of(alice).await).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(failed, 1, "a wrong password counts toward that account's lock");
        let ok = link(PASSWORD).await;
        assert_eq!(location(&ok), "/");
        let home = app.page("/").await;
        assert!(home.contains("Records you can see") && home.contains("Alice Tester") && home.contains("Ben Nguyen") && home.contains("your child"), "{home}");
        assert!(app.page(&format!("/charts/{ben}")).await.contains("Ben Nguyen"));
        assert!(app.page(&format!("/register/{token}")).await.contains("no longer valid"), "used up");
    }

    async fn reset_links_are_counted_per_account_so_a_caregiver_never_uses_up_the_patients(app) {
        use server::recovery::flow::{EMAILS_PER_HOUR, HOUR_SECS};
        app.services.clock.freeze();
        let henry = chart_born(&app, "Henry", "Okafor", "19400210", "henry@example.com").await;
        server::demo::enroll_with(&app.services, henry, "henry@example.com", PASSWORD, "(217) 555-0190").await.unwrap();
        let (token, code) = grant(&app, henry, "rosa@example.com", "Rosa Diaz", Relation::Caregiver).await;
        assert_eq!(caregiver_form(&app, &other_browser(), &token, &code, "19400210").await.status(), 200);
        let links_to = |to: &'static str| {
            let app = &app;
            async move {
                let all = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
                all.iter().filter(|m| m.to == to && m.body.contains("/reset/")).count() as i64
            }
        };
        let ask = |username: &'static str| {
            let app = &app;
            async move { assert!(app.post("/api/forgot_password", JS, &[("username", username)]).await.status().is_success()) }
        };
        for _ in 0..=EMAILS_PER_HOUR {
            ask("rosa@example.com").await;
        }
        assert_eq!(links_to("rosa@example.com").await, EMAILS_PER_HOUR, "the hour's limit holds for her account");
        ask("henry@example.com").await;
        assert_eq!(links_to("henry@example.com").await, 1, "hers never count against the patient whose chart she sees");
        app.services.clock.advance(HOUR_SECS - 1);
        ask("rosa@example.com").await;
        assert_eq!(links_to("rosa@example.com").await, EMAILS_PER_HOUR, "a second before the hour is over");
        app.services.clock.advance(1);
        ask("rosa@example.com").await;
        assert_eq!(links_to("rosa@example.com").await, EMAILS_PER_HOUR + 1, "the first of the hour counts no more");
        let swept = server::recovery::reset::sweep_hourly_emails(&app.services.store, app.services.clock.now()).await.unwrap();
        assert_eq!(swept, EMAILS_PER_HOUR as u64 + 1, "her first three and his, an hour old, go; her newest stays");
    }

    async fn a_parents_access_ends_on_the_18th_birthday(app) {
        app.services.clock.freeze();
        app.enrolled_patient("Alice", "alice@example.com").await;
        // Turns 18 tomorrow (the practice's time zone is UTC here).
        let teen_dob = born(&app, 18, 1);
        let teen = chart_born(&app, "Tess", "Nguyen", &teen_dob, "tess@example.com").await;
        let (token, code) = grant(&app, teen, "alice@example.com", "Alice Tester", Relation::Parent).await;
        let form = [("token", token.as_str()), ("dob", teen_dob.as_str()), ("access_code", code.as_str()), ("username", "alice@example.com"), ("password", PASSWORD)];
        assert_eq!(app.post("/api/link_account", JS, &form).await.status(), 200);
        let ends: i64 = sqlx::query_scalar("SELECT ends_at FROM grants WHERE patient_id = $1 AND relationship = 'parent'").bind(teen).fetch_one(&app.services.store).await.unwrap();
        let now = app.services.clock.now();
        assert!(ends > now && ends <= now + DAY, "ends at the start of the birthday");
        app.services.clock.advance(ends - now - 1);
        assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 200);
        assert_eq!(app.get(&format!("/charts/{teen}")).await.status(), 200, "a second before the birthday");
        app.services.clock.advance(1);
        // Every read checks the day, before any sweep.
        assert_eq!(app.get(&format!("/charts/{teen}")).await.status(), 404, "from the birthday on");
        assert!(!app.page("/").await.contains("Tess Nguyen"));
        assert_eq!(server::family::sweep_turned_18(&app.services).await.unwrap(), 1);
        assert_eq!(server::family::sweep_turned_18(&app.services).await.unwrap(), 0, "once");
        let reason: String = sqlx::query_scalar("SELECT end_reason FROM grants WHERE patient_id = $1").bind(teen).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(reason, "turned_18");
        let home = app.page("/").await;
        assert!(home.contains("Tess&#x27;s records are no longer shared with you") || home.contains("Tess's records are no longer shared with you"), "{home}");
        // Now an adult, Tess can be invited on her own; a parent can no longer be added.
        let again = app::email::EmailAddress::parse("alice@example.com").unwrap();
        let refused = invite::invite(&app.services, teen, Invitee::Family { email: &again, name: "Alice", relation: Relation::Parent }, Actor::Cli, &ClientMeta::cli()).await;
        assert!(matches!(refused, Err(InviteError::ParentOfAdult)));
        assert!(invite::invite(&app.services, teen, Invitee::Own(None), Actor::Cli, &ClientMeta::cli()).await.is_ok());
    }

    async fn under_13_no_own_invitation_and_one_accounts_lock_never_locks_another(app) {
        let kid = chart_born(&app, "Kai", "Nguyen", &born(&app, 12, 0), "kai@example.com").await;
        let refused = invite::invite(&app.services, kid, Invitee::Own(None), Actor::Cli, &ClientMeta::cli()).await;
        assert!(matches!(refused, Err(InviteError::UnderThirteen)));
        assert_eq!(refused.unwrap_err().to_string(), "Patients under 13 get access through a parent or guardian.");
        // Two accounts see one chart; locking one leaves the other open.
        let henry = chart_born(&app, "Henry", "Okafor", "19400210", "henry@example.com").await;
        server::demo::enroll_with(&app.services, henry, "henry@example.com", PASSWORD, "(217) 555-0190").await.unwrap();
        let (token, code) = grant(&app, henry, "rosa@example.com", "Rosa Diaz", Relation::Caregiver).await;
        assert_eq!(caregiver_form(&app, &other_browser(), &token, &code, "19400210").await.status(), 200);
        for _ in 0..5 {
            app.call_login("henry@example.com", "wrong-password-here").await;
        }
        assert_eq!(app.call_login("henry@example.com", PASSWORD).await.status(), 423, "Henry is locked");
        assert_eq!(app.call_login("rosa@example.com", NEW_PASSWORD).await.status(), 200, "Rosa is not");
    }

    async fn an_adult_patient_invites_from_settings_reads_the_code_once_and_removes_access(app) {
        let henry = chart_born(&app, "Henry", "Okafor", "19400210", "henry@example.com").await;
        server::demo::enroll_with(&app.services, henry, "henry@example.com", PASSWORD, "(217) 555-0190").await.unwrap();
        assert_eq!(app.call_login("henry@example.com", PASSWORD).await.status(), 200);
        let invite = |accept: &'static str, name: &'static str, email: &'static str, relationship: &'static str, current: &'static str| {
            let app = &app;
            async move { app.post("/api/invite_family", accept, &[("current", current), ("name", name), ("email", email), ("relationship", relationship)]).await }
        };
        let invitations = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM invitations WHERE patient_id = $1").bind(henry).fetch_one(&app.services.store).await.unwrap() };
        let before = invitations().await;
        assert_eq!(invite(JS, "Rosa Diaz", "rosa@example.com", "caregiver", "not-his-password").await.status(), 401);
        assert_eq!(invite(JS, "Rosa Diaz", "rosa@example.com", "", PASSWORD).await.status(), 400, "a relationship is chosen");
        assert_eq!(invite(JS, "Rosa Diaz", "rosa at example", "caregiver", PASSWORD).await.status(), 400);
        assert_eq!(invite(JS, " ", "rosa@example.com", "caregiver", PASSWORD).await.status(), 400);
        let parent = invite(JS, "Rosa Diaz", "rosa@example.com", "parent", PASSWORD).await;
        assert_eq!(parent.status(), 400);
        assert!(parent.text().await.unwrap().contains("ParentOfAdult"), "no parent for an adult's chart");
        assert_eq!(invitations().await, before, "a refused invitation sends nothing");

        // With JavaScript the answer carries the code; it is the invitation's own.
        let ok = invite(JS, "Rosa Diaz", "rosa@example.com", "caregiver", PASSWORD).await;
        assert_eq!(ok.status(), 200);
        let shown: app::family::CodeToGive = ok.json().await.unwrap();
        let rosa_email = app::email::EmailAddress::parse("rosa@example.com").unwrap();
        let code = invite::open_code(&app.services, henry, Some(&rosa_email), false).await.unwrap().unwrap();
        assert_eq!((shown.name.as_str(), shown.code.as_str(), shown.days), ("Rosa Diaz", code.expose(), 7));
        // Without it, the page the form lands on shows the code once.
        let posted = invite(FORM, "Sam Okafor", "sam@example.com", "adult-child", PASSWORD).await;
        assert_eq!((posted.status().as_u16(), location(&posted)), (303, "/settings#family".to_string()));
        let sam_email = app::email::EmailAddress::parse("sam@example.com").unwrap();
        let sam_code = invite::open_code(&app.services, henry, Some(&sam_email), false).await.unwrap().unwrap();
        let page = app.page("/settings").await;
        assert!(page.contains("Give this access code to Sam Okafor: <strong class=\"access-code\">") && page.contains(sam_code.expose()), "{page}");
        assert!(!app.page("/settings").await.contains(sam_code.expose()), "shown once");
        let told = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
        assert!(told.iter().all(|m| !m.body.contains(sam_code.expose()) && !m.body.contains(code.expose())), "the code is never sent");

        // Rosa registers; Henry's list shows her active and Sam invited.
        let (token, _) = {
            let m = told.iter().rev().find(|m| m.to == "rosa@example.com").unwrap();
            (m.body.split("/register/").nth(1).unwrap().split_whitespace().next().unwrap().to_string(), ())
        };
        let rosa = other_browser();
        assert_eq!(caregiver_form(&app, &rosa, &token, code.expose(), "19400210").await.status(), 200);
        let page = app.page("/settings").await;
        assert!(page.contains("People who can see your records") && page.contains("Rosa Diaz") && page.contains("Caregiver · Active") && page.contains("Adult child · Invited"), "{page}");
        let (_, rosa_settings) = page_of(&app, &rosa, "/settings").await;
        assert!(rosa_settings.contains("Records shared with you") && rosa_settings.contains("Henry Okafor"), "{rosa_settings}");
        assert!(!rosa_settings.contains("family-relationship"), "no invite form without a chart of her own");

        // "Remove" (a plain form): her session loses the chart at once, and she is told.
        let grant_id: i64 = sqlx::query_scalar("SELECT id FROM grants WHERE patient_id = $1 AND relationship = 'caregiver'").bind(henry).fetch_one(&app.services.store).await.unwrap();
        let key = format!("g{grant_id}");
        let removed = app.post("/api/remove_access", FORM, &[("person", key.as_str())]).await;
        assert_eq!(location(&removed), "/settings#family");
        assert!(app.page("/settings").await.contains("Access removed."));
        let gone = rosa.get(app.url(&format!("/charts/{henry}"))).header("accept", "text/html").send().await.unwrap();
        assert_eq!(gone.status(), 404, "not hers to see any more");
        let last = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert_eq!((last.to.as_str(), last.subject.as_str()), ("rosa@example.com", "Your access to a patient's records ended"));
        assert_eq!(app.post("/api/remove_access", JS, &[("person", key.as_str())]).await.status(), 404, "nothing left to remove");
        assert_eq!(app.post("/api/remove_access", JS, &[("person", "x1")]).await.status(), 400);

        // Withdrawing Sam's invitation ends its link.
        let inv: i64 = sqlx::query_scalar("SELECT id FROM invitations WHERE patient_id = $1 AND email = 'sam@example.com' AND state = 'open'").bind(henry).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(app.post("/api/remove_access", JS, &[("person", format!("i{inv}").as_str())]).await.status(), 200);
        assert!(invite::open_code(&app.services, henry, Some(&sam_email), false).await.unwrap().is_none());
        let events: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_events WHERE patient_id = $1").bind(henry).fetch_all(&app.services.store).await.unwrap();
        assert!(events.contains(&"access_removed".to_string()) && events.contains(&"invitation_withdrawn".to_string()), "{events:?}");
    }

    async fn someone_elses_chart_is_not_theirs_to_share_and_a_parent_can_stop_seeing(app) {
        let alice = app.enrolled_patient("Alice", "alice@example.com").await;
        let ben = chart_born(&app, "Ben", "Nguyen", &born(&app, 8, 0), "alice@example.com").await;
        let (token, code) = grant(&app, ben, "alice@example.com", "Alice Tester", Relation::Parent).await;
        let ben_dob = born(&app, 8, 0);
        let form = [("token", token.as_str()), ("dob", ben_dob.as_str()), ("access_code", code.as_str()), ("username", "alice@example.com"), ("password", PASSWORD)];
        assert_eq!(app.post("/api/link_account", JS, &form).await.status(), 200);
        // A removal names only the patient's own chart's people: Alice can't remove herself from Ben's as if she were Ben.
        let own_grant: i64 = sqlx::query_scalar("SELECT id FROM grants WHERE patient_id = $1").bind(ben).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(app.post("/api/remove_access", JS, &[("person", format!("g{own_grant}").as_str())]).await.status(), 404);
        let page = app.page("/settings").await;
        assert!(page.contains("Records shared with you") && page.contains("Ben Nguyen"), "{page}");
        // "Remove" beside Ben's records.
        let left = app.post("/api/stop_seeing", FORM, &[("chart", ben.to_string().as_str())]).await;
        assert_eq!(location(&left), "/settings#family");
        assert!(app.page("/settings").await.contains("You no longer see those records."));
        assert_eq!(app.get(&format!("/charts/{ben}")).await.status(), 404);
        assert_eq!(app.get("/").await.status(), 200, "her own chart stays");
        assert_eq!(app.post("/api/stop_seeing", JS, &[("chart", alice.to_string().as_str())]).await.status(), 404, "not her own chart");
        assert!(app.page(&format!("/charts/{alice}")).await.contains("Alice"));

        // A patient of 15 has an account, and can't share it.
        let teen = chart_born(&app, "Tess", "Nguyen", &born(&app, 15, 0), "tess@example.com").await;
        server::demo::enroll_with(&app.services, teen, "tess@example.com", PASSWORD, "(217) 555-0191").await.unwrap();
        let tess = other_browser();
        assert_eq!(tess.post(app.url("/api/login")).header("accept", JS).form(&[("username", "tess@example.com"), ("password", PASSWORD)]).send().await.unwrap().status(), 200);
        let r = tess.post(app.url("/api/invite_family")).header("accept", JS)
            .form(&[("current", PASSWORD), ("name", "Max"), ("email", "max@example.com"), ("relationship", "other")]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let (_, settings) = page_of(&app, &tess, "/settings").await;
        assert!(settings.contains("call your practice") && !settings.contains("family-relationship"), "{settings}");
    }

    async fn a_patient_sends_at_most_ten_invitations_a_day(app) {
        app.services.clock.freeze();
        let henry = chart_born(&app, "Henry", "Okafor", "19400210", "henry@example.com").await;
        server::demo::enroll_with(&app.services, henry, "henry@example.com", PASSWORD, "(217) 555-0190").await.unwrap();
        assert_eq!(app.call_login("henry@example.com", PASSWORD).await.status(), 200);
        let send = |n: i64| {
            let app = &app;
            async move {
                let email = format!("person{n}@example.com");
                app.post("/api/invite_family", JS, &[("current", PASSWORD), ("name", "Someone"), ("email", email.as_str()), ("relationship", "other")]).await.status().as_u16()
            }
        };
        for n in 0..server::account::family::INVITATIONS_A_DAY {
            assert_eq!(send(n).await, 200);
        }
        assert_eq!(send(99).await, 429);
        app.services.clock.advance(DAY + 1);
        assert_eq!(app.call_login("henry@example.com", PASSWORD).await.status(), 200);
        assert_eq!(send(100).await, 200, "a day later");
    }

    async fn text_me_a_code_stands_in_for_the_access_code_with_the_reset_codes_limits(app) {
        app.services.clock.freeze();
        let (dana, token) = invited_with_mobile(&app).await;
        let page = app.page(&format!("/register/{token}")).await;
        assert!(page.contains("Text me a code") && page.contains("(•••) •••-0142"), "{page}");
        let send = || {
            let (app, token) = (&app, token.clone());
            async move { app.post("/api/registration_code", JS, &[("token", token.as_str())]).await }
        };
        let texted = || async {
            let m = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
            assert_eq!(m.to, "+12175550142");
            common::code_in(&m.body)
        };
        let first = send().await;
        assert_eq!(first.status(), 200);
        let offer: app::register::TextCodeOffer = first.json().await.unwrap();
        assert_eq!((offer.resend_in, offer.sends_left, offer.minutes), (60, 2, 10));
        let old_code = texted().await;
        assert_eq!(send().await.status(), 429, "60 seconds between codes");
        app.services.clock.advance(60);
        assert_eq!(send().await.status(), 200);
        let code = texted().await;
        let register = |code: String| {
            let (app, token) = (&app, token.clone());
            async move {
                let form = [("token", token.as_str()), ("dob", "19800101"), ("access_code", code.as_str()), ("username", "dana@example.com"),
                    ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD), ("question", app::register::SECURITY_QUESTIONS[0]), ("answer", "Volvo"), ("phone", "(•••) •••-0142")];
                app.post("/api/register", JS, &form).await
            }
        };
        if old_code != code {
            assert_eq!(register(old_code).await.status(), 401, "only the newest code works, and a wrong one is a try");
        }
        assert_eq!(register("00000".to_string()).await.status(), 401);
        let failures: i64 = sqlx::query_scalar("SELECT dob_failures FROM invitations WHERE patient_id = $1 AND state = 'open'").bind(dana).fetch_one(&app.services.store).await.unwrap();
        assert!(failures >= 1, "wrong codes count toward voiding the invitation");
        app.services.clock.advance(60);
        assert_eq!(send().await.status(), 200, "the third");
        let newest = texted().await;
        app.services.clock.advance(60);
        assert_eq!(send().await.status(), 429, "no fourth");
        // A code lives 10 minutes.
        app.services.clock.advance(9 * 60 + 59 - 60);
        let ok = register(newest).await;
        assert_eq!(ok.status(), 200, "the newest code, within its 10 minutes, stands in for the access code");

        // A family member's invitation offers none: the chart's mobile is the patient's.
        let (family_token, _) = grant(&app, dana, "rosa@example.com", "Rosa Diaz", Relation::Other).await;
        assert!(!app.page(&format!("/register/{family_token}")).await.contains("Text me a code"));
        assert_eq!(app.post("/api/registration_code", JS, &[("token", family_token.as_str())]).await.status(), 409);
    }

    async fn a_texted_code_stops_working_after_ten_minutes(app) {
        app.services.clock.freeze();
        let (_, token) = invited_with_mobile(&app).await;
        assert_eq!(app.post("/api/registration_code", FORM, &[("token", token.as_str())]).await.status(), 303, "a plain form goes back to the page");
        assert!(app.page(&format!("/register/{token}")).await.contains("We texted a code to (•••) •••-0142"));
        let m = server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        let code = common::code_in(&m.body);
        app.services.clock.advance(10 * 60);
        let form = [("token", token.as_str()), ("dob", "19800101"), ("access_code", code.as_str()), ("username", "dana@example.com"),
            ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD), ("question", app::register::SECURITY_QUESTIONS[0]), ("answer", "Volvo"), ("phone", "(•••) •••-0142")];
        assert_eq!(app.post("/api/register", JS, &form).await.status(), 401, "ten minutes on, the code is spent");
    }
}
