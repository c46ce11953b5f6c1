//! A bounded soak: `clients` closed-loop clients sending mixed traffic for
//! `total`, one table row per `every`: answers per second, latency, 503s,
//! errors and the server's resident memory, so that growth or drift shows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::load::percentile;

/// What the clients saw since the last row.
#[derive(Default)]
struct Window {
    ok: Vec<Duration>,
    busy: usize,
    errors: usize,
}

/// The requests a client cycles through: pages, sign-ins (right and wrong,
/// each an argon2 verify), a signed-in page, a reset request, the health check.
#[derive(Clone, Copy)]
enum Kind {
    LoginPage,
    SignIn,
    ForgotPage,
    WrongSignIn,
    Settings,
    ResetRequest,
    Health,
}

const CYCLE: [Kind; 8] = [Kind::LoginPage, Kind::SignIn, Kind::ForgotPage, Kind::Settings, Kind::WrongSignIn, Kind::LoginPage, Kind::ResetRequest, Kind::Health];

async fn send(c: &reqwest::Client, base: &str, kind: Kind, user: &str, password: &str) -> Result<reqwest::StatusCode, reqwest::Error> {
    let form = |u: &str, p: &str| vec![("username", u.to_string()), ("password", p.to_string())];
    let r = match kind {
        Kind::LoginPage => c.get(format!("{base}/login")).header("accept", "text/html").send().await?,
        Kind::ForgotPage => c.get(format!("{base}/forgot-password")).header("accept", "text/html").send().await?,
        Kind::Settings => c.get(format!("{base}/settings")).header("accept", "text/html").send().await?,
        Kind::Health => c.get(format!("{base}/healthz")).send().await?,
        Kind::SignIn => c.post(format!("{base}/api/login")).header("accept", "application/json").form(&form(user, password)).send().await?,
        Kind::WrongSignIn => {
            c.post(format!("{base}/api/login")).header("accept", "application/json").form(&form("nobody@example.com", "Wrong-Password-1")).send().await?
        }
        Kind::ResetRequest => {
            c.post(format!("{base}/api/forgot_password")).header("accept", "application/json").form(&[("username", "nobody@example.com")]).send().await?
        }
    };
    let status = r.status();
    r.bytes().await?;
    // A wrong password is answered 401: that is the right answer to it.
    Ok(match (kind, status) {
        (Kind::WrongSignIn, reqwest::StatusCode::UNAUTHORIZED) => reqwest::StatusCode::OK,
        _ => status,
    })
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

pub async fn run(base: &str, pid: Option<u32>, user: &str, password: &str, clients: usize, total: Duration, every: Duration) -> anyhow::Result<()> {
    let window = Arc::new(Mutex::new(Window::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for n in 0..clients {
        let (window, stop, base, user, password) = (window.clone(), stop.clone(), base.to_string(), user.to_string(), password.to_string());
        tasks.push(tokio::spawn(async move {
            let c = crate::browser().cookie_store(true).pool_max_idle_per_host(1).redirect(reqwest::redirect::Policy::none()).build().expect("client");
            let mut i = n; // clients start at different places in the cycle
            while !stop.load(Ordering::Relaxed) {
                let kind = CYCLE[i % CYCLE.len()];
                i += 1;
                let t = Instant::now();
                let answer = send(&c, &base, kind, &user, &password).await;
                let took = t.elapsed();
                let mut w = window.lock().expect("window");
                match answer {
                    Ok(s) if s.is_success() || s.is_redirection() => w.ok.push(took),
                    Ok(reqwest::StatusCode::SERVICE_UNAVAILABLE) => w.busy += 1,
                    _ => w.errors += 1,
                }
            }
        }));
    }
    println!("| minute | answers /s | p50 ms | p99 ms | 503s | errors | server RSS MiB |\n|---|---|---|---|---|---|---|");
    let start = Instant::now();
    let (mut rss_first, mut rss_last, mut errors, mut row) = (None, None, 0, 0);
    while start.elapsed() < total {
        row += 1;
        tokio::time::sleep(every).await;
        let mut w = std::mem::take(&mut *window.lock().expect("window"));
        w.ok.sort();
        let rss = pid.and_then(rss_kib).map(|k| k as f64 / 1024.0);
        // The first row includes the warm-up (caches, pools, sessions).
        if row == 2 {
            rss_first = rss;
        }
        rss_last = rss;
        errors += w.errors;
        println!(
            "| {:.1} | {:.0} | {:.1} | {:.1} | {} | {} | {} |",
            start.elapsed().as_secs_f64() / 60.0,
            w.ok.len() as f64 / every.as_secs_f64(),
            percentile(&w.ok, 0.50),
            percentile(&w.ok, 0.99),
            w.busy,
            w.errors,
            rss.map_or("-".into(), |m| format!("{m:.1}"))
        );
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await?;
    }
    if let (Some(a), Some(b)) = (rss_first, rss_last) {
        println!("\nresident memory from the second row to the last: {a:.1} → {b:.1} MiB ({:+.1} MiB); {errors} errors in all", b - a);
    }
    Ok(())
}
