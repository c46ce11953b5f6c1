//! The audit log (`audit_events`): appends and reads. The chain's rule (what
//! each entry's MAC covers) is `crate::audit`'s.

use app::ids::PatientId;
use crate::store::{Dialect, Store, Tx};

/// Serializes appends on PostgreSQL so that the chain never forks.
const CHAIN_LOCK_KEY: i64 = 0x706f7274616c;

/// One entry as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub patient_id: Option<PatientId>,
    pub actor: String,
    pub event: String,
    pub detail: String,
    pub ip: String,
    pub user_agent: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The newest entry's hash, with appends held off until `tx` ends (PostgreSQL
/// takes a transaction lock; SQLite's write transaction already excludes others).
pub async fn newest_hash_for_append(tx: &mut Tx, dialect: Dialect) -> sqlx::Result<Option<String>> {
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CHAIN_LOCK_KEY).execute(&mut **tx).await?;
    }
    sqlx::query_scalar("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").fetch_optional(&mut **tx).await
}

/// Appends `row` (its `id` is the database's to give).
pub async fn insert(tx: &mut Tx, row: &AuditRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_events (at, patient_id, actor, event, detail, ip, user_agent, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(row.at)
    .bind(row.patient_id)
    .bind(&row.actor)
    .bind(&row.event)
    .bind(&row.detail)
    .bind(&row.ip)
    .bind(&row.user_agent)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The newest entry's id and stored MAC.
pub async fn newest(store: &Store) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").fetch_optional(&store.pool).await
}

/// Every entry, oldest first.
pub async fn all(store: &Store) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query_as("SELECT id, at, patient_id, actor, event, detail, ip, user_agent, prev_hash, hash FROM audit_events ORDER BY id")
        .fetch_all(&store.pool)
        .await
}
