//! The persisted outbox (SPEC §4): messages are rows written in the same
//! transaction as the change that causes them, so none is lost and no request
//! waits on SMTP or SMS. In development they stay here, readable at
//! `GET /dev/outbox` and by `portal outbox`.

use app::i18n::Lang;
use app::ids::PatientId;
use serde::Serialize;

use crate::sealed::Sealer;
use crate::store::outbox as store;
use crate::store::{Store, Tx};

pub use crate::store::states::Channel;

pub struct Message<'a> {
    pub channel: Channel,
    /// An email address, or a phone number in E.164.
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The language the message is written in (a call is spoken in it).
    pub lang: Lang,
    pub patient_id: Option<PatientId>,
}

/// Queues `m` with its body sealed (`sealed.rs`): only this server's key opens it.
pub async fn enqueue(tx: &mut Tx, bodies: &Sealer, m: &Message<'_>, now: i64) -> sqlx::Result<i64> {
    let body = bodies.seal(m.channel.as_str(), m.to, m.body);
    store::insert(tx, m.channel, m.to, m.subject, &body, m.lang, m.patient_id, now).await
}

/// Seals the bodies of messages queued before bodies were sealed, and erases
/// those of messages already sent or failed; returns how many rows changed.
pub async fn seal_old_bodies(store: &Store, bodies: &Sealer) -> sqlx::Result<u64> {
    let mut changed = store::erase_finished_bodies(store).await?;
    for m in store::unsealed_queued(store).await? {
        if !Sealer::is_sealed(&m.body) {
            let sealed = bodies.seal(m.channel.as_str(), &m.recipient, &m.body);
            changed += store::replace_body(store, m.id, &m.body, &sealed).await?;
        }
    }
    Ok(changed)
}

/// One message as `GET /dev/outbox` shows it (SPEC §4).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DevMessage {
    pub id: i64,
    pub channel: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// Every message, newest last; a body that doesn't open (erased, or not
/// sealed with this key) shows why instead.
pub async fn all(store: &Store, bodies: &Sealer) -> sqlx::Result<Vec<DevMessage>> {
    Ok(store::all(store)
        .await?
        .into_iter()
        .map(|m| DevMessage {
            id: m.id,
            channel: m.channel.as_str().to_string(),
            body: bodies.open(m.channel.as_str(), &m.recipient, &m.body).unwrap_or_else(|why| format!("({why})")),
            to: m.recipient,
            subject: m.subject,
            created_at: rfc3339(m.created_at),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
