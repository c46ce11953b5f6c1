//! Account enumeration (SPEC §2.1–2.3): sign-in, forgot password and forgot
//! username answer byte for byte alike for an existing and an unknown account,
//! and take about the same time (medians within 10 % over 200 requests each).

use crate::common;

use std::time::{Duration, Instant};

use common::{Db, TestApp, JS};

const ROUNDS: usize = 200;

/// Status, the headers' names and values that are not per-response, and the body.
async fn shape(r: reqwest::Response) -> (u16, Vec<String>, Vec<u8>) {
    let status = r.status().as_u16();
    let mut headers: Vec<String> = r
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date" && *name != "content-security-policy")
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("?")))
        .collect();
    headers.sort();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

/// The page with the per-response CSP nonce (in `nonce` and `crossorigin` attributes) blanked.
fn without_nonces(page: &str) -> String {
    let mut out = page.to_string();
    for attr in ["nonce=\"", "crossorigin=\""] {
        let parts: Vec<&str> = out.split(attr).collect();
        let mut joined = parts[0].to_string();
        for part in &parts[1..] {
            joined.push_str(attr);
            joined.push_str(part.split_once('"').map_or(*part, |(_, rest)| rest));
        }
        out = joined;
    }
    out
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// Medians of `known` and `unknown` requests made in turn, `ROUNDS` each.
async fn medians<F, G, Fut1, Fut2>(known: F, unknown: G) -> (Duration, Duration)
where
    F: Fn(usize) -> Fut1,
    G: Fn(usize) -> Fut2,
    Fut1: std::future::Future<Output = reqwest::Response>,
    Fut2: std::future::Future<Output = reqwest::Response>,
{
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..ROUNDS {
        let t = Instant::now();
        let r = known(i).await;
        r.bytes().await.unwrap();
        a.push(t.elapsed());
        let t = Instant::now();
        let r = unknown(i).await;
        r.bytes().await.unwrap();
        b.push(t.elapsed());
    }
    (median(a), median(b))
}

fn close(what: &str, (known, unknown): (Duration, Duration)) {
    let (k, u) = (known.as_secs_f64(), unknown.as_secs_f64());
    let diff = (k - u).abs() / k.max(u);
    eprintln!("{what}: median known {:.2} ms, unknown {:.2} ms ({:.1} % apart)", k * 1e3, u * 1e3, diff * 100.0);
    assert!(diff < 0.10, "{what}: medians {known:?} vs {unknown:?} differ by {:.1} %", diff * 100.0);
}

async fn answers_are_byte_identical(db: Db) {
    let app = TestApp::spawn(db).await;
    app.enrolled_patient("Alice", "alice@example.com").await;

    let known = shape(app.post("/api/login", JS, &[("username", "alice@example.com"), ("password", "Wrong-Password-1")]).await).await;
    let unknown = shape(app.post("/api/login", JS, &[("username", "nobody@example.com"), ("password", "Wrong-Password-1")]).await).await;
    assert_eq!(known.0, 401);
    assert_eq!(known, unknown, "sign-in");

    let known = shape(app.post("/api/forgot_password", JS, &[("username", "alice@example.com")]).await).await;
    let unknown = shape(app.post("/api/forgot_password", JS, &[("username", "nobody@example.com")]).await).await;
    assert_eq!(known.0, 200);
    assert_eq!(known, unknown, "forgot password");

    let known = shape(app.post("/api/forgot_username", JS, &[("email", "alice@example.com"), ("dob", "19800101")]).await).await;
    let unknown = shape(app.post("/api/forgot_username", JS, &[("email", "nobody@example.com"), ("dob", "19800101")]).await).await;
    assert_eq!(known.0, 200);
    assert_eq!(known, unknown, "forgot username");
    assert_eq!(server::outbox::all(&app.services.store, &app.services.bodies).await.unwrap().len(), 2, "the known ones did send");

    // Without JavaScript: the same redirect, and the same page after it but for the typed name.
    for (path, field, next) in [("/api/login", "username", "/login"), ("/api/forgot_password", "username", "/forgot-password")] {
        let mut pages = Vec::new();
        for who in ["alice@example.com", "nobody@example.com"] {
            let mut form = vec![(field, who)];
            if path == "/api/login" {
                form.push(("password", "Wrong-Password-1"));
            }
            let r = app.browser.post(app.url(path)).header("accept", "text/html").form(&form).send().await.unwrap();
            assert_eq!(r.status(), 303, "{path}");
            let location = r.headers()["location"].to_str().unwrap().to_string();
            assert!(location.starts_with(next), "{location}");
            let page = app.page(&location).await.replace(who, "USERNAME");
            let page = without_nonces(&page);
            pages.push((location, page));
        }
        assert_eq!(pages[0], pages[1], "{path} without JavaScript");
    }
}

async fn answers_take_about_the_same_time(db: Db) {
    let app = TestApp::spawn(db).await;
    // 4 wrong passwords each: enough accounts that none locks.
    let mut known = Vec::new();
    for i in 0..ROUNDS / 4 {
        let email = format!("patient{i}@example.com");
        app.enrolled_patient("Pat", &email).await;
        known.push(email);
    }
    let known = &known;
    let app = &app;
    for _ in 0..20 {
        app.post("/api/login", JS, &[("username", "warm@example.com"), ("password", "x")]).await;
    }
    close(
        "sign-in",
        medians(
            |i| async move { app.post("/api/login", JS, &[("username", &known[i % known.len()]), ("password", "Wrong-Password-1")]).await },
            |i| async move { app.post("/api/login", JS, &[("username", &format!("nobody{i}@example.com")), ("password", "Wrong-Password-1")]).await },
        )
        .await,
    );
    close(
        "forgot password",
        medians(
            |i| async move { app.post("/api/forgot_password", JS, &[("username", &known[i % known.len()])]).await },
            |i| async move { app.post("/api/forgot_password", JS, &[("username", &format!("nobody{i}@example.com"))]).await },
        )
        .await,
    );
    close(
        "forgot username",
        medians(
            |i| async move { app.post("/api/forgot_username", JS, &[("email", &known[i % known.len()]), ("dob", "19800101")]).await },
            |i| async move { app.post("/api/forgot_username", JS, &[("email", &format!("nobody{i}@example.com")), ("dob", "19800101")]).await },
        )
        .await,
    );
}

each_store!(answers_are_byte_identical, answers_take_about_the_same_time);
