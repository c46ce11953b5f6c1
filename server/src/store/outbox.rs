//! The outbox (`outbox`): messages queued in the transaction of the change
//! that causes them, claimed by delivery workers under a lease, and marked
//! sent, failed, or due again.

use app::ids::PatientId;
use app::i18n::Lang;
use crate::store::states::Channel;
use crate::store::states::DeliveryStatus;
use crate::store::{Store, Tx};

#[allow(clippy::too_many_arguments)]
pub async fn insert(tx: &mut Tx, channel: Channel, to: &str, subject: &str, body: &str, lang: Lang, patient_id: Option<PatientId>, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO outbox (channel, recipient, subject, body, patient_id, created_at, language) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(channel)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(patient_id)
    .bind(now)
    .bind(lang.tag())
    .fetch_one(&mut **tx)
    .await
}

/// A message as the dev outbox and a delivery worker read it.
#[derive(Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
    /// What a call is spoken in.
    #[sqlx(try_from = "String")]
    pub language: Lang,
}

/// How many messages wait to go out, and when the oldest was queued.
pub async fn queue_state(store: &Store) -> sqlx::Result<(i64, Option<i64>)> {
    sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = $1").bind(DeliveryStatus::Queued).fetch_one(&store.pool).await
}

/// Every message, oldest first.
pub async fn all(store: &Store) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as("SELECT id, channel, recipient, subject, body, created_at, attempts, language FROM outbox ORDER BY id").fetch_all(&store.pool).await
}

/// Queued messages whose body may predate sealing (`LIKE` can't tell; the caller checks).
pub async fn unsealed_queued(store: &Store) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as("SELECT id, channel, recipient, subject, body, created_at, attempts, language FROM outbox WHERE status = $1 AND body NOT LIKE 'x1:%'")
        .bind(DeliveryStatus::Queued)
        .fetch_all(&store.pool)
        .await
}

/// Replaces a body, if it is still `old`.
pub async fn replace_body(store: &Store, id: i64, old: &str, new: &str) -> sqlx::Result<u64> {
    let r = sqlx::query("UPDATE outbox SET body = $1 WHERE id = $2 AND body = $3").bind(new).bind(id).bind(old).execute(&store.pool).await?;
    Ok(r.rows_affected())
}

/// Erases the body of every message sent or failed for good.
pub async fn erase_finished_bodies(store: &Store) -> sqlx::Result<u64> {
    let r = sqlx::query("UPDATE outbox SET body = '' WHERE status <> $1 AND body <> ''").bind(DeliveryStatus::Queued).execute(&store.pool).await?;
    Ok(r.rows_affected())
}

/// Leases up to `limit` queued messages due at `now` until `lease_until`,
/// counting the try; several workers pass over each other's rows (PostgreSQL
/// skips locked rows; SQLite's writes queue). Oldest first.
pub async fn claim(store: &Store, now: i64, lease_until: i64, limit: i64) -> sqlx::Result<Vec<MessageRow>> {
    // Only a fixed suffix (" FOR UPDATE SKIP LOCKED" or nothing) is added to the literal.
    let sql = format!(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN (\
           SELECT id FROM outbox WHERE status = $4 AND next_attempt_at <= $2 \
           AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3{}) \
         RETURNING id, channel, recipient, subject, body, created_at, attempts, language",
        store.skip_locked()
    );
    let mut rows: Vec<MessageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .bind(DeliveryStatus::Queued)
        .fetch_all(&store.pool)
        .await?;
    rows.sort_by_key(|m| m.id);
    Ok(rows)
}

/// Records a claimed message's outcome: `status`, the reason, when it is due
/// again; `sent_at` when it went out. Only a message still queued changes;
/// one that leaves the queue (sent, or failed for good) loses its body.
pub async fn finish(store: &Store, id: i64, status: DeliveryStatus, error: Option<String>, next_attempt_at: i64, sent_at: Option<i64>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = $1, last_error = $2, next_attempt_at = $3, claimed_until = NULL, \
         sent_at = COALESCE($4, sent_at), body = CASE WHEN $1 = $6 THEN body ELSE '' END WHERE id = $5 AND status = $6",
    )
    .bind(status)
    .bind(error)
    .bind(next_attempt_at)
    .bind(sent_at)
    .bind(id)
    .bind(DeliveryStatus::Queued)
    .execute(&store.pool)
    .await?;
    Ok(())
}
