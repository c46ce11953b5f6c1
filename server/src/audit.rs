//! The append-only audit log (SPEC §3): each entry's hash covers the previous
//! entry's hash, so editing or deleting a row breaks the chain at that row.
//! Entries never hold a password, token, code or answer.

use sha2::{Digest, Sha256};

use crate::client::ClientMeta;
use crate::store::{Dialect, Store, Tx};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Serializes appends on PostgreSQL so that the chain never forks.
const CHAIN_LOCK_KEY: i64 = 0x706f7274616c;

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
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CHAIN_LOCK_KEY).execute(&mut **tx).await?;
    }
    let prev: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_string());
    let ip = entry.client.ip_text();
    let ua = &entry.client.user_agent;
    let hash = chain_hash(&prev, now, entry.patient_id, entry.actor, entry.event, entry.detail, &ip, ua);
    sqlx::query(
        "INSERT INTO audit_events (at, patient_id, actor, event, detail, ip, user_agent, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now)
    .bind(entry.patient_id)
    .bind(entry.actor)
    .bind(entry.event)
    .bind(entry.detail)
    .bind(ip)
    .bind(ua)
    .bind(prev)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

type Row = (i64, i64, Option<i64>, String, String, String, String, String, String, String);

/// Walks the chain from the first entry. `Err(id)` names the first entry whose
/// hash or link to its predecessor doesn't hold.
pub async fn verify(store: &Store) -> anyhow::Result<Result<u64, i64>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, at, patient_id, actor, event, detail, ip, user_agent, prev_hash, hash FROM audit_events ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await?;
    let mut prev = GENESIS.to_string();
    for (id, at, patient_id, actor, event, detail, ip, ua, prev_hash, hash) in &rows {
        let expected = chain_hash(&prev, *at, *patient_id, actor, event, detail, ip, ua);
        if *prev_hash != prev || *hash != expected {
            return Ok(Err(*id));
        }
        prev = hash.clone();
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
