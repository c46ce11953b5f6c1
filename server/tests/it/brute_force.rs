//! Brute force (SPEC §5): 1 000 guesses at passwords and at a security code,
//! from one IP and spread over many (loopback source addresses 127.0.x.y),
//! counted by what the server did with them: the per-IP throttle and the
//! per-account limits let through no more than the spec allows.

use crate::common;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use app::reset::SendBy;
use common::{Db, TestApp, PASSWORD};
use server::client::ClientMeta;
use server::outbox;
use server::recovery::{reset, steps};
use server::tokens::SecretToken;

const GUESSES: usize = 1000;

/// One client per source address, 200 of them (127.0.1.1 ...).
fn clients(n: usize) -> Vec<reqwest::Client> {
    (0..n)
        .map(|i| {
            let ip = Ipv4Addr::new(127, 0, 1 + (i / 250) as u8, 1 + (i % 250) as u8);
            common::browser_builder().local_address(IpAddr::V4(ip)).build().unwrap()
        })
        .collect()
}

async fn spawn() -> TestApp {
    // The default per-IP limit (the tests otherwise turn it off).
    TestApp::spawn_with(Db::Sqlite, |c| c.ip_limit = 30).await
}

fn tally(counts: &mut BTreeMap<u16, usize>, status: reqwest::StatusCode) {
    *counts.entry(status.as_u16()).or_default() += 1;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_ip_guessing_passwords_over_many_accounts_is_throttled() {
    let app = spawn().await;
    let mut accounts = Vec::new();
    for i in 0..50 {
        let email = format!("patient{i}@example.com");
        app.enrolled_patient("Pat", &email).await;
        accounts.push(email);
    }
    let one = &clients(1)[0];
    let start = Instant::now();
    let mut counts = BTreeMap::new();
    for i in 0..GUESSES {
        let guess = format!("Guess-{i}-Password");
        let r = one.post(app.url("/api/login")).form(&[("username", accounts[i % 50].as_str()), ("password", &guess)]).send().await.unwrap();
        tally(&mut counts, r.status());
    }
    let minutes = start.elapsed().as_secs_f64() / 60.0;
    eprintln!("one IP, {GUESSES} guesses over 50 accounts in {:.1} s: {counts:?}", minutes * 60.0);
    let checked = counts.get(&401).copied().unwrap_or(0) + counts.get(&423).copied().unwrap_or(0);
    // A burst of 30, then 30 a minute.
    assert!(checked as f64 <= 30.0 + 30.0 * minutes + 1.0, "{checked} guesses were checked");
    assert_eq!(counts.get(&429).copied().unwrap_or(0), GUESSES - checked);
    assert!(!counts.contains_key(&200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_ips_guessing_one_password_hit_the_account_lock() {
    let app = spawn().await;
    app.enrolled_patient("Alice", "alice@example.com").await;
    let many = clients(200);
    let mut counts = BTreeMap::new();
    for i in 0..GUESSES {
        let guess = format!("Guess-{i}-Password");
        let r = many[i % many.len()].post(app.url("/api/login")).form(&[("username", "alice@example.com"), ("password", &guess)]).send().await.unwrap();
        tally(&mut counts, r.status());
    }
    eprintln!("200 IPs, {GUESSES} guesses at one account: {counts:?}");
    assert_eq!(counts.get(&401), Some(&4), "four wrong passwords are told so; the fifth locks");
    assert_eq!(counts.get(&423), Some(&(GUESSES - 4)));
    assert_eq!(app.call_login("alice@example.com", PASSWORD).await.status(), 423, "locked even for the right password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_ips_guessing_a_code_get_five_tries() {
    let app = spawn().await;
    app.enrolled_patient("Alice", "alice@example.com").await;
    reset::request(&app.services, &ClientMeta::cli(), "alice@example.com").await.unwrap();
    let body = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
    let link = body.lines().find_map(|l| l.strip_prefix("Reset password: ")).unwrap().to_string();
    let token = link.rsplit('/').next().unwrap().to_string();
    let secret = SecretToken::from_presented(token.clone());
    steps::send_code(&app.services, &ClientMeta::cli(), &secret, Some("(217) 555-0199"), SendBy::Text).await.unwrap();
    let sms = outbox::all(&app.services.store, &app.services.bodies).await.unwrap().pop().unwrap().body;
    let real = common::code_in(&sms);

    let many = clients(200);
    let mut told = BTreeMap::new();
    for i in 0..GUESSES {
        let guess = format!("{:05}", (i * 7919) % 100_000);
        if guess == real {
            continue;
        }
        let r = many[i % many.len()]
            .post(app.url("/api/reset_check_code"))
            .header("accept", "application/json")
            .form(&[("token", token.as_str()), ("code", guess.as_str())])
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let kind = text.split(['"', ':', '{']).find(|s| !s.is_empty()).unwrap_or("").to_string();
        *told.entry((status, kind)).or_insert(0usize) += 1;
    }
    eprintln!("200 IPs, {GUESSES} code guesses at one reset: {told:?}");
    let wrong: usize = told.iter().filter(|((_, k), _)| k == "WrongCode").map(|(_, n)| n).sum();
    assert_eq!(wrong, 4, "four wrong codes are told their tries left; the fifth ends the code: {told:?}");
    assert!(!told.keys().any(|(s, _)| *s == 200), "{told:?}");
    // The right code no longer works either: the code ended with the fifth wrong one.
    let r = many[0].post(app.url("/api/reset_check_code")).header("accept", "application/json").form(&[("token", token.as_str()), ("code", real.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 410, "the right code, well formed, is refused as ended: {}", r.text().await.unwrap());
}
