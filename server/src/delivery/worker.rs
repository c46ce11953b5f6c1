//! The delivery worker: claims due outbox rows for a lease (on PostgreSQL
//! with `FOR UPDATE SKIP LOCKED`, so that the workers of several instances
//! never take one row twice), sends them side by side, and records the
//! outcome. A worker that dies mid-send leaves its rows claimed until the
//! lease ends; then any worker sends them again (at least once; the email's
//! Message-ID stays the same, so a receiver can drop the copy).

use std::sync::Arc;
use std::time::Duration;

use super::phone::Phone;
use super::plan::Plan;
use super::retry::Retry;
use super::smtp::Mailer;
use super::{Failure, Outgoing};
use crate::clock::Clock;
use crate::outbox::Channel;
use crate::sealed::Sealer;
use crate::store::outbox as outbox_store;
use crate::store::states::DeliveryStatus;
use crate::store::Store;
use crate::Services;

/// Rows one worker claims at a time.
const BATCH: i64 = 16;
/// How often an idle worker looks for due rows.
const POLL: Duration = Duration::from_secs(1);

/// Where each channel goes.
pub struct Senders {
    pub mailer: Mailer,
    pub phone: Option<Phone>,
}

impl Senders {
    pub async fn send(&self, m: &Outgoing) -> Result<(), Failure> {
        match (m.channel, &self.phone) {
            (Channel::Email, _) => self.mailer.send(m).await,
            (Channel::Sms, Some(phone)) => phone.text(m).await,
            (Channel::Voice, Some(phone)) => phone.call(m).await,
            (Channel::Sms | Channel::Voice, None) => {
                Err(Failure::Permanent("text and voice delivery are not configured (PORTAL_SMS_URL)".into()))
            }
        }
    }
}

pub struct Worker {
    store: Store,
    bodies: Sealer,
    clock: Clock,
    senders: Senders,
    retry: Retry,
    timeout: Duration,
}

impl Worker {
    /// The worker the configuration asks for: `None` for the dev outbox, an
    /// error naming the variable when live delivery lacks a setting.
    pub fn from_services(services: &Services) -> anyhow::Result<Option<Worker>> {
        let config = &services.config;
        let (smtp, phone) = match super::plan(config).map_err(anyhow::Error::msg)? {
            Plan::Outbox => return Ok(None),
            Plan::Live { smtp, phone } => (smtp, phone),
        };
        let timeout = Duration::from_secs(u64::from(config.delivery_timeout_secs));
        let mailer = Mailer::new(&smtp, &config.mail_from_name, &config.mail_from, timeout)?;
        let phone = phone.map(|p| Phone::new(p, timeout)).transpose()?;
        Ok(Some(Worker {
            store: services.store.clone(),
            bodies: services.bodies.clone(),
            clock: services.clock.clone(),
            senders: Senders { mailer, phone },
            retry: Retry::from_config(config),
            timeout,
        }))
    }

    /// Starts the worker the configuration asks for, if any, for as long as the process runs.
    pub fn spawn(services: &Arc<Services>) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
        let (keep, stop) = tokio::sync::watch::channel(false);
        Ok(Self::from_services(services)?.map(|w| {
            tokio::spawn(async move {
                let _keep = keep;
                w.run(stop).await
            })
        }))
    }

    /// Starts the worker, which stops once `stop` turns true: it finishes the
    /// batch in hand (each send bounded by its timeout) and records every
    /// outcome, so it leaves no message claimed.
    pub fn spawn_until(services: &Arc<Services>, stop: tokio::sync::watch::Receiver<bool>) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
        Ok(Self::from_services(services)?.map(|w| tokio::spawn(w.run(stop))))
    }

    pub async fn run(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        tracing::info!("delivery worker started");
        while !*stop.borrow() {
            match self.deliver_due(self.clock.now()).await {
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "delivery: reading the outbox failed"),
            }
            tokio::select! {
                _ = stop.changed() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
        tracing::info!("delivery worker stopped");
    }

    /// The longest a stopping worker may take: one send, and recording it.
    pub fn drain_limit(services: &Services) -> Duration {
        Duration::from_secs(u64::from(services.config.delivery_timeout_secs) + 5)
    }

    /// Claims the rows due at `now`, sends them and records each outcome;
    /// returns how many it tried.
    pub async fn deliver_due(&self, now: i64) -> sqlx::Result<usize> {
        // A send can't outlive `timeout`, so a live worker always finishes before its lease ends.
        let lease_until = now + self.timeout.as_secs() as i64 + 10;
        let claimed = claim(&self.store, &self.bodies, now, lease_until).await?;
        let outcomes = futures::future::join_all(claimed.iter().map(|(m, opened)| async move {
            if let Err(why) = opened {
                return Err(Failure::Permanent(why.to_string()));
            }
            match tokio::time::timeout(self.timeout, self.senders.send(m)).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Failure::Transient(format!("no answer within {} s", self.timeout.as_secs()))),
            }
        }))
        .await;
        let claimed: Vec<Outgoing> = claimed.into_iter().map(|(m, _)| m).collect();
        for (m, outcome) in claimed.iter().zip(outcomes) {
            record(&self.store, m, outcome, self.clock.now().max(now), self.retry).await?;
        }
        Ok(claimed.len())
    }
}

/// The due rows, each with its body opened, or why it doesn't open (then it fails for good).
async fn claim(store: &Store, bodies: &Sealer, now: i64, lease_until: i64) -> sqlx::Result<Vec<(Outgoing, Result<(), crate::sealed::Unsealed>)>> {
    let rows = outbox_store::claim(store, now, lease_until, BATCH).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let opened = bodies.open(m.channel.as_str(), &m.recipient, &m.body);
            let (body, opened) = match opened {
                Ok(body) => (body, Ok(())),
                Err(why) => (String::new(), Err(why)),
            };
            let out = Outgoing { id: m.id, channel: m.channel, to: m.recipient, subject: m.subject, body, created_at: m.created_at, attempts: m.attempts, lang: m.language };
            (out, opened)
        })
        .collect())
}

async fn record(store: &Store, m: &Outgoing, outcome: Result<(), Failure>, now: i64, retry: Retry) -> sqlx::Result<()> {
    use DeliveryStatus::{Failed, Queued, Sent};
    // A server's reply often quotes the address; the log and `last_error` name the message by id instead.
    let outcome = outcome.map_err(|f| f.map_reason(|r| r.replace(m.to.as_str(), "<recipient>")));
    let (status, error, next) = match outcome {
        Ok(()) => (Sent, None, now),
        Err(Failure::Permanent(reason)) => (Failed, Some(reason), now),
        Err(Failure::Transient(reason)) => match retry.wait_after(m.attempts) {
            Some(wait) => (Queued, Some(reason), now + wait),
            None => (Failed, Some(format!("gave up after {} tries: {reason}", m.attempts)), now),
        },
    };
    match (status, &error) {
        (Sent, _) => tracing::info!(id = m.id, channel = m.channel.as_str(), "delivery: sent"),
        (Queued, Some(e)) => tracing::warn!(id = m.id, channel = m.channel.as_str(), attempts = m.attempts, error = %e, "delivery: will try again"),
        (Queued | Failed, e) => tracing::warn!(id = m.id, channel = m.channel.as_str(), error = ?e, "delivery: failed"),
    }
    let outcome = match status {
        Sent => "sent",
        Queued => "retry",
        Failed => "failed",
    };
    crate::metrics::delivery(m.channel.as_str(), outcome);
    let sent_at = (status == Sent).then_some(now);
    outbox_store::finish(store, m.id, status, error, next, sent_at).await
}
