//! Invitations, registration from one, and "Forgot username?" (SPEC §2.3,
//! §2.4), over HTTP as browsers post the forms, on SQLite and PostgreSQL.

use app::ids::{AccountId, PatientId};
use crate::common;

use common::{location, TestApp, FORM, JS};
use server::client::ClientMeta;
use server::enrollment::invite;
use server::outbox;

const NEW_PASSWORD: &str = "Copper-Kettle-Meadow-58";

/// An invitation's link token and its access code; shows as the token.
pub struct Invite {
    pub token: String,
    pub code: String,
}

impl std::fmt::Display for Invite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.token)
    }
}

impl From<invite::Invited> for Invite {
    fn from(i: invite::Invited) -> Invite {
        Invite { token: i.link.rsplit('/').next().unwrap().to_string(), code: i.code.expose().to_string() }
    }
}

/// Invites a new chart's own patient and returns (patient id, invitation).
async fn invited(app: &TestApp, first: &str, email: &str) -> (PatientId, Invite) {
    let id = app.chart(first, email).await;
    let sent = invite::invite(&app.services, id, invite::Invitee::Own(None), server::audit::Actor::Cli, &ClientMeta::cli()).await.unwrap();
    (id, sent.into())
}

fn form<'a>(inv: &'a Invite, dob: &'a str, username: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("token", &inv.token),
        ("access_code", &inv.code),
        ("dob", dob),
        ("username", username),
        ("password", NEW_PASSWORD),
        ("confirm", NEW_PASSWORD),
        ("question", "What was the make of your first car?"),
        ("answer", "Volvo"),
        ("phone", "(217) 555-0142"),
    ]
}

async fn state(app: &TestApp, id: PatientId) -> String {
    sqlx::query_scalar("SELECT state FROM enrollments WHERE patient_id = $1").bind(id).fetch_one(&app.services.store).await.unwrap()
}

on_both_stores! {
    async fn an_invitation_is_emailed_and_a_newer_one_voids_it(app) {
        app.services.clock.freeze();
        let (id, old) = invited(&app, "Dana", "dana@example.com").await;
        assert_eq!(state(&app, id).await, "invited");
        let m = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap();
        assert_eq!((m.to.as_str(), m.subject.as_str()), ("dana@example.com", app::i18n::t::invitation_subject(app::i18n::Lang::En)));
        assert!(m.body.contains(&format!("Create your account: {}register/{old}", app.services.config.public_url)), "{}", m.body);
        assert!(app.page(&format!("/register/{old}")).await.contains("Welcome, Dana."));

        let dana_w = app::email::EmailAddress::parse("dana.w@example.com").unwrap();
        let new = invite::invite(&app.services, id, invite::Invitee::Own(Some(&dana_w)), server::audit::Actor::Cli, &ClientMeta::cli()).await.unwrap().link;
        let invalid = "This invitation is no longer valid. Ask your practice to send a new one.";
        assert!(app.page(&format!("/register/{old}")).await.contains(invalid));
        let new_token = new.rsplit('/').next().unwrap();
        let page = app.page(&format!("/register/{new_token}")).await;
        assert!(page.contains(r#"value="dana.w@example.com""#), "the username is pre-filled with the invited email");

        app.services.clock.advance(7 * 24 * 60 * 60 - 60);
        assert!(!app.page(&format!("/register/{new_token}")).await.contains(invalid), "still valid a minute before 7 days");
        app.services.clock.advance(60);
        assert!(app.page(&format!("/register/{new_token}")).await.contains(invalid), "expired after 7 days");
    }

    async fn a_patient_registers_without_javascript_and_is_signed_in(app) {
        let (id, token) = invited(&app, "Dana", "dana@example.com").await;
        let res = app.post("/api/register", FORM, &form(&token, "1980-01-01", "dana@example.com")).await;
        assert_eq!(location(&res), format!("/register/{token}"));
        let page = app.page(&location(&res)).await;
        assert!(page.contains("Use digits only, like 19800101.") && page.contains(r#"value="1980-01-01""#), "{page}");
        assert!(!page.contains("Volvo") && !page.contains(NEW_PASSWORD), "secrets are never shown again");

        let res = app.post("/api/register", FORM, &form(&token, "19800102", "dana@example.com")).await;
        assert!(app.page(&location(&res)).await.contains("The date of birth or access code doesn't match our records."));

        let res = app.post("/api/register", FORM, &form(&token, "19800101", "Dana.Custom")).await;
        assert_eq!((res.status().as_u16(), location(&res)), (303, "/".into()));
        assert!(app.page("/").await.contains("Welcome, Dana"));
        assert_eq!(state(&app, id).await, "enrolled");
        let mobile: String = sqlx::query_scalar("SELECT mobile FROM patients WHERE id = $1").bind(id).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(mobile, "+12175550142");
        assert_eq!(app.call_login("dana.custom", NEW_PASSWORD).await.status(), 200);
        assert!(app.page(&format!("/register/{token}")).await.contains("no longer valid"), "used up");
    }

    async fn five_wrong_dates_of_birth_void_the_invitation(app) {
        let (_, token) = invited(&app, "Dana", "dana@example.com").await;
        for _ in 0..4 {
            assert_eq!(app.post("/api/register", JS, &form(&token, "19800102", "dana@example.com")).await.status(), 401);
        }
        assert_eq!(app.post("/api/register", JS, &form(&token, "19800102", "dana@example.com")).await.status(), 410);
        assert_eq!(app.post("/api/register", JS, &form(&token, "19800101", "dana@example.com")).await.status(), 410);
    }

    async fn a_taken_username_is_refused_and_of_two_racing_registrations_one_wins(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let (_, a) = invited(&app, "Dana", "dana@example.com").await;
        let res = app.post("/api/register", JS, &form(&a, "19800101", "ALICE@example.com")).await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("UsernameTaken"));

        let (_, b) = invited(&app, "Eve", "eve@example.com").await;
        let (fa, fb) = (form(&a, "19800101", "shared-name"), form(&b, "19800101", "shared-name"));
        let (ra, rb) = tokio::join!(app.post("/api/register", JS, &fa), app.post("/api/register", JS, &fb));
        let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409]);
        let holders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE username = 'shared-name'")
            .fetch_one(&app.services.store)
            .await
            .unwrap();
        assert_eq!(holders, 1);
    }

    async fn a_username_that_looks_like_a_taken_one_is_refused_and_changes_nothing(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let (id, token) = invited(&app, "Dana", "dana@example.com").await;
        let look_alike = "That username looks the same as one already in use. Choose another.";
        for name in ["\u{430}lice@example.com", "ＡＬＩＣＥ@example.com", "\u{3b1}lice@example.com"] {
            let res = app.post("/api/register", JS, &form(&token, "19800101", name)).await;
            assert_eq!(res.status(), 409, "{name}");
            assert!(res.text().await.unwrap().contains("UsernameLookAlike"), "{name}");
        }
        let res = app.post("/api/register", FORM, &form(&token, "19800101", "\u{430}lice@example.com")).await;
        let page = app.page(&location(&res)).await;
        assert!(page.contains(look_alike), "{page}");
        for hidden in ["dana\u{200b}@example.com", "\u{202e}moc.elpmaxe@anad"] {
            let res = app.post("/api/register", JS, &form(&token, "19800101", hidden)).await;
            assert_eq!(res.status(), 400, "{hidden:?}");
        }
        assert_eq!(state(&app, id).await, "invited", "nothing changed");
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&app.services.store)
            .await
            .unwrap();
        assert_eq!(accounts, 1);

        // A letter with an accent is not a look-alike; the invitation still works.
        assert_eq!(app.post("/api/register", JS, &form(&token, "19800101", "Dána@example.com")).await.status(), 200);
        assert_eq!(state(&app, id).await, "enrolled");
    }

    async fn accounts_made_before_look_alike_keys_get_theirs_at_start(app) {
        let alice = app.account_of(app.enrolled_patient("Alice", "alice@example.com").await).await;
        let pool = &app.services.store;
        sqlx::query("UPDATE accounts SET username_key = NULL").execute(pool).await.unwrap();
        let twin: AccountId = sqlx::query_scalar(
            "INSERT INTO accounts (username, password_hash, created_at, updated_at) VALUES ($1, 'x', 0, 0) RETURNING id",
        )
        .bind("\u{430}lice@example.com")
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(server::lookalike::backfill(&app.services.store).await.unwrap(), 1, "the later of the two keeps none");
        let keys: Vec<(AccountId, Option<String>)> = sqlx::query_as("SELECT id, username_key FROM accounts ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
        assert_eq!(keys, vec![(alice, Some("alice@example.com".to_string())), (twin, None)]);
        assert_eq!(server::lookalike::backfill(&app.services.store).await.unwrap(), 1, "run again: nothing new");
    }

    async fn forgot_username_lists_every_account_of_an_email_and_birth_date(app) {
        let kid1 = app.chart("Kim", "family@example.com").await;
        let kid2 = app.chart("Lee", "family@example.com").await;
        server::demo::enroll_with(&app.services, kid1, "kim-nguyen", common::PASSWORD, "(217) 555-0150").await.unwrap();
        server::demo::enroll_with(&app.services, kid2, "lee-nguyen", common::PASSWORD, "(217) 555-0151").await.unwrap();
        let before = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len();

        let known = app.post("/api/forgot_username", FORM, &[("email", " Family@Example.com "), ("dob", "19800101")]).await;
        let unknown = app.post("/api/forgot_username", FORM, &[("email", "nobody@example.com"), ("dob", "19800101")]).await;
        assert_eq!(location(&known), "/forgot-username?sent=1");
        assert_eq!(location(&unknown), "/forgot-username?sent=1");
        assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
        let sent = outbox::all(&app.services.store, &app.services.bodies).await.unwrap();
        assert_eq!(sent.len(), before + 1, "one email, none for the unknown address");
        let m = sent.last().unwrap();
        assert_eq!((m.to.as_str(), m.subject.as_str()), ("family@example.com", app::i18n::t::username_email_subject(app::i18n::Lang::En)));
        assert!(m.body.contains("kim-nguyen") && m.body.contains("lee-nguyen"), "{}", m.body);

        let bad = app.post("/api/forgot_username", FORM, &[("email", "family@example.com"), ("dob", "1980.01.01")]).await;
        assert_eq!(location(&bad), "/forgot-username");
        let page = app.page("/forgot-username").await;
        assert!(page.contains("Use digits only, like 19800101.") && page.contains(r#"value="family@example.com""#), "{page}");
        assert_eq!(app.post("/api/forgot_username", JS, &[("email", "not-an-email"), ("dob", "19800101")]).await.status(), 400);
    }

    async fn the_link_shows_the_mobile_masked_and_a_get_changes_nothing(app) {
        let id = app.chart("Dana", "dana@example.com").await;
        sqlx::query("UPDATE patients SET mobile = '+12175550142' WHERE id = $1").bind(id).execute(&app.services.store).await.unwrap();
        let token: Invite = invite::invite(&app.services, id, invite::Invitee::Own(None), server::audit::Actor::Cli, &server::client::ClientMeta::cli()).await.unwrap().into();
        let row = || sqlx::query_as::<_, (Option<i64>, i64)>("SELECT opened_at, dob_failures FROM invitations WHERE patient_id = $1").bind(id).fetch_one(&app.services.store);
        let before = row().await.unwrap();
        let page = app.page(&format!("/register/{token}")).await;
        assert!(page.contains("(•••) •••-0142") && !page.contains("555-0142"), "the full number shows only after the date of birth passes");
        assert_eq!(row().await.unwrap(), before, "a GET writes nothing");
        // Sent back masked as it was shown, the number on file is kept.
        let mut f = form(&token, "19800101", "dana@example.com");
        f.retain(|(k, _)| *k != "phone");
        f.push(("phone", "(•••) •••-0142"));
        assert_eq!(app.post("/api/register", JS, &f).await.status(), 200);
        let mobile: String = sqlx::query_scalar("SELECT mobile FROM patients WHERE id = $1").bind(id).fetch_one(&app.services.store).await.unwrap();
        assert_eq!(mobile, "+12175550142");
    }

    async fn taken_username_probes_are_capped_per_invitation_and_cost_no_hash(app) {
        app.enrolled_patient("Alice", "alice@example.com").await;
        let (_, token) = invited(&app, "Dana", "dana@example.com").await;
        let hashes = app.services.hasher.hashes_made();
        for _ in 1..server::enrollment::invite::MAX_USERNAME_PROBES {
            let r = app.post("/api/register", JS, &form(&token, "19800101", "alice@example.com")).await;
            assert_eq!(r.status(), 409, "That username is taken.");
        }
        assert_eq!(app.services.hasher.hashes_made(), hashes, "the username is checked before any hash");
        let last = app.post("/api/register", JS, &form(&token, "19800101", "alice@example.com")).await;
        assert!(last.text().await.unwrap().contains("NoLongerValid"), "past the cap the invitation is void");
        let ok = app.post("/api/register", JS, &form(&token, "19800101", "dana@example.com")).await;
        assert!(ok.text().await.unwrap().contains("NoLongerValid"));
    }

    async fn forgot_username_sends_at_most_three_emails_an_hour(app) {
        app.services.clock.freeze();
        app.enrolled_patient("Alice", "alice@example.com").await;
        let asked = || app.post("/api/forgot_username", JS, &[("email", "alice@example.com"), ("dob", "19800101")]);
        for _ in 0..5 {
            assert!(asked().await.status().is_success(), "the same answer past the limit");
        }
        assert_eq!(outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len(), 3);
        app.services.clock.advance(3600);
        asked().await;
        assert_eq!(outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len(), 4);
    }
}
