//! The SMTP sink (`smtp_sink.py`, aiosmtpd) as a child process on a loopback port.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    out: PathBuf,
    /// While this file exists, the sink holds each message before its 250.
    pub hold: PathBuf,
    _dir: tempfile::TempDir,
}

/// One message as the sink received it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    pub message_id: String,
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl SmtpSink {
    /// `SMTP_SINK_PYTHON` names a Python with aiosmtpd (scripts/test.sh makes one); else `python3`.
    pub fn start() -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("received.jsonl");
        let hold = dir.path().join("hold");
        let python = std::env::var("SMTP_SINK_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/common/smtp_sink.py");
        let mut child = Command::new(&python)
            .args([script, "--out", out.to_str().unwrap(), "--hold", hold.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("starting the SMTP sink with {python}: {e}"));
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let port = first.trim().parse().unwrap_or_else(|_| {
            panic!("the SMTP sink did not start (is aiosmtpd installed for {python}? scripts/test.sh installs it)")
        });
        SmtpSink { child, port, out, hold, _dir: dir }
    }

    /// `PORTAL_SMTP_URL` for this sink (plain SMTP on loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits up to `limit` until at least `n` messages arrived.
    pub async fn wait_for(&self, n: usize, limit: Duration) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n || start.elapsed() > limit {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
