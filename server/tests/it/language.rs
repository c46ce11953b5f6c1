//! SPEC §2.6: pages in the visitor's language (the link's choice, then
//! `Accept-Language`), a signed-in choice saved to the account, and every
//! message in the account's (or, before registration, the chart's) language.

use crate::common;

use app::i18n::Lang;
use app::reset::SendBy;
use common::{location, TestApp, PASSWORD};
use server::client::ClientMeta;
use server::outbox;
use server::recovery::{reset, steps};
use server::store::patients;
use server::tokens::SecretToken;

async fn page_with(app: &TestApp, path: &str, accept_language: &str) -> String {
    let req = app.page_request(path);
    let req = if accept_language.is_empty() { req } else { req.header("accept-language", accept_language) };
    req.send().await.unwrap().text().await.unwrap()
}

async fn last_message(app: &TestApp) -> outbox::DevMessage {
    outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap()
}

/// Alice, enrolled, with a reset link asked for; the link's token from the email.
async fn link_in_last_email(app: &TestApp) -> SecretToken {
    let body = last_message(app).await.body;
    let url = body.lines().find_map(|l| l.strip_prefix("Reset password: ").or_else(|| l.strip_prefix("Restablecer la contraseña: "))).unwrap();
    SecretToken::from_presented(url.rsplit('/').next().unwrap().to_string())
}

on_both_stores! {
    async fn pages_follow_the_choice_then_accept_language_and_staff_pages_stay_english(app) {
        let en = page_with(&app, "/login", "").await;
        assert!(en.contains(r#"<html lang="en""#) && en.contains(">Sign in</h1>") && en.contains(">Español</a>"), "{en}");
        let es = page_with(&app, "/login", "es-MX,es;q=0.9,en;q=0.5").await;
        assert!(es.contains(r#"<html lang="es""#) && es.contains(">Iniciar sesión</h1>") && es.contains(">English</a>"), "{es}");

        // The link keeps the choice and comes back to the page it was on.
        let res = app.get("/language/es?back=%2Fforgot-password%3Fx%3D1").await;
        assert_eq!((res.status().as_u16(), location(&res).as_str()), (303, "/forgot-password?x=1"));
        let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(cookie.starts_with("portal_lang=es;") && cookie.contains("Max-Age="), "{cookie}");
        let chosen = page_with(&app, "/login", "en-US").await;
        assert!(chosen.contains(r#"<html lang="es""#) && chosen.contains(">Iniciar sesión</h1>"), "the choice beats the browser's");

        let staff = page_with(&app, "/staff/login", "es").await;
        assert!(staff.contains(r#"<html lang="en""#) && !staff.contains("Español</a>"), "staff pages are English, without the link");

        // Only our languages, and only back to this site.
        assert_eq!(app.get("/language/fr?back=/login").await.status(), 404);
        assert_eq!(location(&app.get("/language/en?back=//evil.example/x").await), "/");
        assert_eq!(location(&app.get("/language/en?back=https://evil.example/").await), "/");
        // A tab or newline browsers drop would make `//evil.example`; a NUL can't be a header (it answered 500).
        for hostile in ["/%09/evil.example", "/%0a/evil.example", "/%00", "/%5C/evil.example", "/%20/evil.example"] {
            let res = app.get(&format!("/language/en?back={hostile}")).await;
            assert_eq!((res.status().as_u16(), location(&res)), (303, "/".to_string()), "{hostile}");
        }
    }

    async fn a_signed_in_choice_is_saved_and_messages_go_out_in_it(app) {
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        assert_eq!(app.post_login_form("alice@example.com", PASSWORD).await.status(), 303);
        assert_eq!(patients::language(&app.services.store, id).await.unwrap(), Lang::En);
        // Another site's link or image changes no account (only this browser's cookie).
        let follow = |to: &'static str, site: &'static str| {
            let req = app.page_request(to).header("sec-fetch-site", site);
            async move { req.send().await.unwrap() }
        };
        for site in ["cross-site", "same-site"] {
            let res = follow("/language/es?back=/", site).await;
            assert_eq!(res.status(), 303);
            assert!(res.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("portal_lang=es;")), "this browser still switches");
            assert_eq!(patients::language(&app.services.store, id).await.unwrap(), Lang::En, "{site}: not saved to the account");
        }
        assert_eq!(follow("/language/es?back=/", "same-origin").await.status(), 303);
        assert_eq!(patients::language(&app.services.store, id).await.unwrap(), Lang::Es, "followed from our page: saved to the account");
        assert_eq!(follow("/language/en?back=/", "none").await.status(), 303);
        assert_eq!(patients::language(&app.services.store, id).await.unwrap(), Lang::En, "typed: saved too");
        assert_eq!(follow("/language/es?back=/", "same-origin").await.status(), 303);

        // Messages follow the account's language, whoever asks for them.
        let cli = ClientMeta::cli();
        reset::request(&app.services, &cli, "alice@example.com").await.unwrap();
        let m = last_message(&app).await;
        assert_eq!(m.subject, "Restablezca la contraseña de su portal del paciente");
        assert!(m.body.starts_with("Hola, Alice:") && m.body.contains("en los próximos 60 minutos"), "{}", m.body);

        let token = link_in_last_email(&app).await;
        steps::send_code(&app.services, &cli, &token, Some("(217) 555-0199"), SendBy::Voice).await.unwrap();
        let call = last_message(&app).await;
        assert!(call.body.starts_with("Su código de seguridad del portal del paciente es: "), "{}", call.body);
        let spoken: String = sqlx::query_scalar("SELECT language FROM outbox ORDER BY id DESC LIMIT 1").fetch_one(&app.services.store).await.unwrap();
        assert_eq!(spoken, "es", "the call is spoken in Spanish");

        // Back to English: the next message is English again.
        assert_eq!(follow("/language/en?back=/", "same-origin").await.status(), 303);
        reset::request(&app.services, &cli, "alice@example.com").await.unwrap();
        assert_eq!(last_message(&app).await.subject, "Reset your patient portal password");
    }

    async fn the_choice_survives_sign_in_and_an_accounts_language_follows_it_to_a_new_device(app) {
        let id = app.enrolled_patient("Alice", "alice@example.com").await;
        // Chosen before signing in: saved to the account at sign-in.
        assert_eq!(app.get("/language/es?back=/login").await.status(), 303);
        assert_eq!(app.post_login_form("alice@example.com", PASSWORD).await.status(), 303);
        assert_eq!(patients::language(&app.services.store, id).await.unwrap(), Lang::Es);
        assert!(app.page("/").await.contains(r#"<html lang="es""#));

        // A device that never chose gets the account's language at sign-in.
        let other = common::browser_builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let res = other
            .post(app.url("/api/login"))
            .header("accept", common::FORM)
            .header("accept-language", "en-US")
            .form(&[("username", "alice@example.com"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let cookies: Vec<&str> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
        assert!(cookies.iter().any(|c| c.starts_with("portal_lang=es;")), "{cookies:?}");
        let home = other.get(app.url("/")).header("accept-language", "en-US").send().await.unwrap().text().await.unwrap();
        assert!(home.contains(r#"<html lang="es""#), "the account's language beats the browser's");
    }

    async fn before_registration_the_charts_language_is_used(app) {
        let p = server::patients::NewPatient {
            first_name: "Rosa".into(),
            last_name: "Tester".into(),
            dob: app::dob::DateOfBirth::parse("19800101", app.services.clock.today()).unwrap(),
            email: Some(app::email::EmailAddress::parse("rosa@example.com").unwrap()),
            mobile: None,
            language: Lang::Es,
        };
        let id = server::patients::add_patient(&app.services, p, &ClientMeta::cli()).await.unwrap();
        server::enrollment::invite::invite(&app.services, id, server::enrollment::invite::Invitee::Own(None), server::audit::Actor::Cli, &ClientMeta::cli()).await.unwrap();
        let m = last_message(&app).await;
        assert_eq!(m.subject, "Cree su cuenta del portal del paciente");
        assert!(m.body.contains("en los próximos 7 días") && m.body.contains("Crear su cuenta: "), "{}", m.body);
    }
}
