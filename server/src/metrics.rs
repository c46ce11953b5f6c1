//! Metrics (SPEC §6): `GET /metrics` in Prometheus text, through the
//! `metrics` facade and `metrics-exporter-prometheus`'s recorder (no HTTP
//! listener of its own: the portal's router serves it). Every audit event is
//! counted by name (sign-ins, resets, codes, locks — by step and outcome, as
//! the audit log names them), plus responses by route and status, request
//! latency, the hash queue, deliveries, and the outbox (read at scrape time).

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::store::Store;

/// How often pending histogram samples are folded into their buckets.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's one recorder; every `Services` (tests start several) shares it.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])
            .expect("fixed buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder installed first (none is) would only mean these metrics go there.
        let _ = metrics::set_global_recorder(recorder);
        // Histogram samples wait in the recorder until upkeep (or a scrape)
        // folds them into their buckets: without it an unscraped server grows
        // by every request's sample (seen in bench/soak.sh: +0.4 MiB a minute).
        let upkeep = handle.clone();
        let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || loop {
            std::thread::sleep(UPKEEP_EVERY);
            upkeep.run_upkeep();
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "metrics: no upkeep thread; samples are folded in at each scrape only");
        }
        handle
    })
}

/// Installs the recorder (once per process).
pub fn install() {
    handle();
}

/// An audit event: sign-in outcomes, reset and code steps, locks, staff actions.
pub fn event(name: &str) {
    metrics::counter!("portal_events_total", "event" => name.to_string()).increment(1);
}

/// A response, by route (never a token: `route` is the logged form) and status.
pub fn response(route: &str, status: u16, took: Duration) {
    let class = status.to_string();
    metrics::counter!("portal_responses_total", "route" => route.to_string(), "status" => class).increment(1);
    metrics::histogram!("portal_request_seconds", "route" => route.to_string()).record(took.as_secs_f64());
}

pub fn hash_queued() {
    metrics::gauge!("portal_hash_queue_depth").increment(1.0);
}

/// A hash or verification left the queue for a core after waiting `waited`.
pub fn hash_started(waited: Duration) {
    metrics::gauge!("portal_hash_queue_depth").decrement(1.0);
    metrics::histogram!("portal_hash_wait_seconds").record(waited.as_secs_f64());
}

/// A delivery's outcome: `sent`, `retry` or `failed`.
pub fn delivery(channel: &str, outcome: &str) {
    metrics::counter!("portal_deliveries_total", "channel" => channel.to_string(), "outcome" => outcome.to_string()).increment(1);
}

/// The text `GET /metrics` answers, the outbox read now.
pub async fn render(store: &Store, now: i64) -> String {
    match crate::store::outbox::queue_state(store).await {
        Ok((depth, oldest)) => {
            metrics::gauge!("portal_outbox_depth").set(depth as f64);
            metrics::gauge!("portal_outbox_oldest_age_seconds").set(oldest.map_or(0, |t| (now - t).max(0)) as f64);
            metrics::gauge!("portal_database_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: reading the outbox");
            metrics::gauge!("portal_database_up").set(0.0);
        }
    }
    handle().render()
}
