//! SPEC §5 headers on every page and response, and the attributes of every
//! cookie the server sets, behind TLS (PORTAL_PUBLIC_URL https://): checked
//! signed out, signed in as a patient and signed in as staff.

use crate::common;

use common::{Db, TestApp, PASSWORD};

const STAFF_PASSWORD: &str = "Quiet-Maple-Desk-19";

const PAGES: &[&str] = &[
    "/",
    "/login",
    "/forgot-password",
    "/forgot-username",
    "/reset/not-a-link",
    "/register/not-a-link",
    "/settings",
    "/staff/login",
    "/staff/verify",
    "/staff",
    "/staff/patients/1",
    "/no-such-page",
];

fn check_headers(what: &str, h: &reqwest::header::HeaderMap, page: bool) {
    let csp = h.get("content-security-policy").map(|v| v.to_str().unwrap()).unwrap_or_else(|| panic!("{what}: no CSP"));
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{what}: {csp}");
    if page {
        assert!(csp.contains("'nonce-") && csp.contains("'wasm-unsafe-eval'"), "{what}: pages run their wasm: {csp}");
    }
    assert_eq!(h.get("referrer-policy").map(|v| v.to_str().unwrap()), Some("same-origin"), "{what}");
    assert_eq!(h.get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{what}");
    assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{what}");
    assert_eq!(h.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"), "{what}");
    let hsts = h.get("strict-transport-security").map(|v| v.to_str().unwrap()).unwrap_or_default();
    assert!(hsts.starts_with("max-age=") && hsts.contains("includeSubDomains"), "{what}: HSTS {hsts:?}");
}

fn check_cookies(what: &str, h: &reqwest::header::HeaderMap) -> usize {
    let mut n = 0;
    for c in h.get_all("set-cookie") {
        let c = c.to_str().unwrap();
        n += 1;
        assert!(c.starts_with("__Host-"), "{what}: behind TLS every cookie is __Host- prefixed: {}", c.split('=').next().unwrap());
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(c.contains(attribute), "{what}: cookie without {attribute}: {}", c.split(';').next().unwrap().split('=').next().unwrap());
        }
    }
    n
}

fn client() -> reqwest::Client {
    common::browser_builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_and_cookie_carries_the_security_rules() {
    let app = TestApp::spawn_with(Db::Sqlite, |c| c.public_url = "https://portal.example".parse().unwrap()).await;
    app.enrolled_patient("Alice", "alice@example.com").await;
    server::staff::add_if_missing(&app.services, "reception@example.com", "Reception", STAFF_PASSWORD).await.unwrap();
    let (anonymous, patient, staff) = (client(), client(), client());
    let mut cookies = 0;

    // Signing in, both ways, sets cookies; so does a refused no-JS form (the notice).
    for (who, path, user, password) in [
        (&patient, "/api/login", "alice@example.com", PASSWORD),
        (&staff, "/api/staff_login", "reception@example.com", STAFF_PASSWORD),
        (&anonymous, "/api/login", "alice@example.com", "Wrong-Password-1"),
    ] {
        let r = who.post(app.url(path)).header("accept", "text/html").form(&[("username", user), ("password", password)]).send().await.unwrap();
        check_headers(path, r.headers(), false);
        cookies += check_cookies(path, r.headers());
    }
    assert!(cookies >= 3, "{cookies} cookies seen");

    for (kind, who) in [("signed out", &anonymous), ("patient", &patient), ("staff", &staff)] {
        for page in PAGES {
            let r = who.get(app.url(page)).header("accept", "text/html").send().await.unwrap();
            let what = format!("{page} ({kind}, {})", r.status());
            assert!(!r.status().is_server_error(), "{what}");
            let html = r.headers().get("content-type").is_some_and(|v| v.to_str().unwrap().starts_with("text/html"));
            check_headers(&what, r.headers(), html && r.status() == 200);
            check_cookies(&what, r.headers());
        }
    }
    for path in ["/healthz", "/api/me", "/api/staff_me"] {
        let r = anonymous.get(app.url(path)).send().await.unwrap();
        check_headers(path, r.headers(), false);
    }
    let r = anonymous.post(app.url("/api/me")).send().await.unwrap();
    check_headers("POST /api/me", r.headers(), false);
}
