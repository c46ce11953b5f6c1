//! The append-only audit log (SPEC §3): each entry's hash covers the previous
//! entry's hash, so editing or deleting a row breaks the chain at that row.
//! Entries never hold a password, token, code or answer.

use sha2::{Digest, Sha256};

use crate::client::ClientMeta;
use crate::store::audit as store;
use crate::store::{Dialect, Store, Tx};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub struct Entry<'a> {
    pub patient_id: Option<i64>,
    /// `patient`, `staff:{id}`, `system` or `anonymous`.
    pub actor: &'a str,
    pub event: &'a str,
    pub detail: &'a str,
    pub client: &'a ClientMeta,
}

fn chain_hash(prev: &str, at: i64, patient_id: Option<i64>, actor: &str, event: &str, detail: &str, ip: &str, ua: &str) -> String {
    let mut h = Sha256::new();
    let patient = patient_id.map(|p| p.to_string()).unwrap_or_default();
    for field in [prev, &at.to_string(), &patient, actor, event, detail, ip, ua] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

pub async fn append(tx: &mut Tx, dialect: Dialect, entry: Entry<'_>, now: i64) -> sqlx::Result<()> {
    let prev = store::newest_hash_for_append(tx, dialect).await?.unwrap_or_else(|| GENESIS.to_string());
    let ip = entry.client.ip_text();
    let ua = &entry.client.user_agent;
    let hash = chain_hash(&prev, now, entry.patient_id, entry.actor, entry.event, entry.detail, &ip, ua);
    let row = store::AuditRow {
        id: 0,
        at: now,
        patient_id: entry.patient_id,
        actor: entry.actor.to_string(),
        event: entry.event.to_string(),
        detail: entry.detail.to_string(),
        ip,
        user_agent: ua.clone(),
        prev_hash: prev,
        hash,
    };
    store::insert(tx, &row).await
}

/// Walks the chain from the first entry. `Err(id)` names the first entry whose
/// hash or link to its predecessor doesn't hold.
pub async fn verify(store: &Store) -> anyhow::Result<Result<u64, i64>> {
    let rows = store::all(store).await?;
    let mut prev = GENESIS.to_string();
    for r in &rows {
        let expected = chain_hash(&prev, r.at, r.patient_id, &r.actor, &r.event, &r.detail, &r.ip, &r.user_agent);
        if r.prev_hash != prev || r.hash != expected {
            return Ok(Err(r.id));
        }
        prev = r.hash.clone();
    }
    Ok(Ok(rows.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let base = chain_hash(GENESIS, 1, Some(2), "patient", "sign_in", "", "127.0.0.1", "ua");
        assert_ne!(base, chain_hash("1", 1, Some(2), "patient", "sign_in", "", "127.0.0.1", "ua"));
        assert_ne!(base, chain_hash(GENESIS, 2, Some(2), "patient", "sign_in", "", "127.0.0.1", "ua"));
        assert_ne!(base, chain_hash(GENESIS, 1, None, "patient", "sign_in", "", "127.0.0.1", "ua"));
        assert_ne!(base, chain_hash(GENESIS, 1, Some(2), "patient", "sign_i", "n", "127.0.0.1", "ua"));
        assert_eq!(base, chain_hash(GENESIS, 1, Some(2), "patient", "sign_in", "", "127.0.0.1", "ua"));
    }
}
