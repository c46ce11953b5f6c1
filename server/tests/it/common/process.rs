//! The real `portal` binary as a child process: what the crash and proxy
//! tests kill with SIGKILL, which an in-process server can't be.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `portal serve` on `port` with fast hashes, the tests' secret key, live
/// delivery to the SMTP server at `smtp`, and reset by security question;
/// callers add to it before spawning.
pub fn portal_serve(database_url: &str, smtp: &str, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portal"));
    command
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("PORTAL_SECRET_KEY", super::SECRET_KEY)
        .env("PORTAL_ARGON2_MEMORY_KIB", "1024")
        .env("PORTAL_ARGON2_ITERATIONS", "1")
        .env("PORTAL_IP_LIMIT", "0")
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_DELIVERY", "live")
        .env("PORTAL_SMTP_URL", smtp)
        .env("PORTAL_RESET_METHODS", "question")
        .env("PORTAL_DELIVERY_TIMEOUT_SECS", "2")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    command
}

/// Waits (up to 30 s) until `base/healthz` answers 200.
pub async fn wait_for_health(base: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server at {base} never became healthy");
}
