//! `portal-bench scale`: latency of the queries that grow with the store,
//! against a server whose database bench/scale.sh filled with generated
//! patients (bench/seed.sql). One request at a time, so each number is one
//! request's own latency, not a queue's.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::load::percentile;

pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
}

fn latency(mut samples: Vec<Duration>) -> Latency {
    samples.sort();
    Latency { p50_ms: percentile(&samples, 0.5), p99_ms: percentile(&samples, 0.99) }
}

/// Sign-ins of `rounds` generated patients spread over the whole store.
pub async fn sign_ins(base: &str, patients: u64, password: &str, rounds: u64) -> anyhow::Result<Latency> {
    let client = crate::browser().build().expect("client");
    let mut samples = Vec::new();
    for k in 0..rounds {
        // Spread over the ids: the first, the last and evenly between.
        let i = 1 + k * (patients - 1) / (rounds - 1).max(1);
        let form = [("username", format!("p{i}@bench.example")), ("password", password.to_string())];
        let t = Instant::now();
        let r = client.post(format!("{base}/api/login")).header("accept", "application/json").form(&form).send().await?;
        let status = r.status();
        r.bytes().await?;
        if !status.is_success() {
            bail!("sign-in of p{i}@bench.example answered {status}");
        }
        samples.push(t.elapsed());
    }
    Ok(latency(samples))
}

/// A staff session cookie (`name=value`) for the search requests.
pub async fn staff_cookie(base: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let r = crate::browser().build().expect("client")
        .post(format!("{base}/api/staff_login"))
        .header("accept", "application/json")
        .form(&[("username", email), ("password", password)])
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("staff sign-in answered {}", r.status());
    }
    let cookie = r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).next().context("no session cookie")?;
    Ok(cookie.split(';').next().unwrap_or_default().to_string())
}

/// The staff search for `query` at `page`, `rounds` times; also how many rows
/// the last answer held, so a query that matches nothing can't pass as fast.
pub async fn search(base: &str, cookie: &str, query: &str, page: u32, rounds: u32) -> anyhow::Result<(Latency, usize)> {
    let client = crate::browser().build().expect("client");
    let mut samples = Vec::new();
    let mut rows = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let r = client
            .post(format!("{base}/api/staff_patients"))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .form(&[("query", query.to_string()), ("page", page.to_string())])
            .send()
            .await?;
        let status = r.status();
        let body = r.bytes().await?;
        if !status.is_success() {
            bail!("search {query:?} page {page} answered {status}");
        }
        samples.push(t.elapsed());
        rows = String::from_utf8_lossy(&body).matches("\"last_name\"").count();
    }
    Ok((latency(samples), rows))
}
