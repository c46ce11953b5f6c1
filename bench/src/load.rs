//! Closed-loop load on loopback: `clients` tasks, each sending its next
//! request as soon as the last one answered, for a fixed window.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

pub struct Run {
    pub per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub busy: usize,
    pub errors: usize,
    pub peak_kib: Option<u64>,
}

/// Verifies per second with every core busy, at the server's default parameters.
pub fn argon2_verifies_per_sec(cores: usize, window: Duration) -> f64 {
    let params = Params::new(19456, 2, 1, None).expect("argon2 parameters");
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let hash = argon.hash_password(b"Harbor-Lantern-73").expect("hash").to_string();
    let start = Instant::now();
    let counts: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..cores)
            .map(|_| {
                let (argon, hash) = (argon.clone(), hash.clone());
                s.spawn(move || {
                    let parsed = PasswordHash::new(&hash).expect("parse");
                    let mut n = 0;
                    while start.elapsed() < window {
                        argon.verify_password(b"Harbor-Lantern-73", &parsed).expect("verify");
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
    });
    counts.iter().sum::<usize>() as f64 / start.elapsed().as_secs_f64()
}

pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// The server's peak resident memory (VmHWM), in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Throughput and latency of the successful answers; `peak_kib` is left empty.
async fn closed_loop<F, Fut>(clients: usize, window: Duration, one: F) -> Run
where
    F: Fn(reqwest::Client) -> Fut + Send + Sync + 'static + Clone,
    Fut: std::future::Future<Output = Result<reqwest::StatusCode, reqwest::Error>> + Send,
{
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (stop, one) = (stop.clone(), one.clone());
            tokio::spawn(async move {
                let client = crate::browser().pool_max_idle_per_host(1).redirect(reqwest::redirect::Policy::none()).build().expect("client");
                let (mut ok, mut busy, mut errors) = (Vec::new(), 0, 0);
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    match one(client.clone()).await {
                        Ok(s) if s.is_success() => ok.push(t.elapsed()),
                        Ok(s) if s == reqwest::StatusCode::SERVICE_UNAVAILABLE => busy += 1,
                        _ => errors += 1,
                    }
                }
                (ok, busy, errors)
            })
        })
        .collect();
    tokio::time::sleep(window).await;
    stop.store(true, Ordering::Relaxed);
    let (mut all, mut busy, mut errors) = (Vec::new(), 0, 0);
    for t in tasks {
        let (ok, b, e) = t.await.unwrap_or_default();
        all.extend(ok);
        busy += b;
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    Run { per_sec: all.len() as f64 / elapsed, p50_ms: percentile(&all, 0.50), p99_ms: percentile(&all, 0.99), busy, errors, peak_kib: None }
}

pub async fn logins(base: &str, user: &str, password: &str, clients: usize, window: Duration, pid: Option<u32>) -> anyhow::Result<Run> {
    let (url, form) = (format!("{base}/api/login"), [("username", user.to_string()), ("password", password.to_string())]);
    let run = closed_loop(clients, window, move |c: reqwest::Client| {
        let (url, form) = (url.clone(), form.clone());
        async move { c.post(url).header("accept", "application/json").form(&form).send().await.map(|r| r.status()) }
    })
    .await;
    Ok(Run { peak_kib: pid.and_then(peak_kib), ..run })
}

/// The Django peer (bench/peer): its `LoginView` answers a sign-in with 302,
/// a wrong one with 200 and the form again, so only a 302 counts. The CSRF
/// cookie and form field carry one fixed token, as a browser's would.
pub async fn peer_logins(base: &str, user: &str, password: &str, clients: usize, window: Duration) -> anyhow::Result<Run> {
    const CSRF: &str = "benchbenchbenchbenchbenchbench12";
    let url = format!("{base}/login/");
    let form = [("csrfmiddlewaretoken", CSRF.to_string()), ("username", user.to_string()), ("password", password.to_string())];
    let run = closed_loop(clients, window, move |c: reqwest::Client| {
        let (url, form) = (url.clone(), form.clone());
        async move {
            let r = c.post(url).header("cookie", format!("csrftoken={CSRF}")).form(&form).send().await?;
            Ok(match r.status() {
                reqwest::StatusCode::FOUND => reqwest::StatusCode::OK,
                reqwest::StatusCode::OK => reqwest::StatusCode::UNAUTHORIZED,
                other => other,
            })
        }
    })
    .await;
    Ok(run)
}

pub async fn pages(base: &str, path: &str, clients: usize, window: Duration) -> anyhow::Result<Run> {
    let url = format!("{base}{path}");
    let run = closed_loop(clients, window, move |c: reqwest::Client| {
        let url = url.clone();
        async move {
            let r = c.get(url).header("accept", "text/html").send().await?;
            let status = r.status();
            r.bytes().await?;
            Ok(status)
        }
    })
    .await;
    Ok(run)
}
