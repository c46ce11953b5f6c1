//! Per-IP attempt counts (`ip_throttle`), one row per endpoint, address
//! bucket and minute, shared by every instance on the database.

use crate::store::Store;

/// Counts one attempt in `minute` and returns the minute's count so far.
pub async fn count(store: &Store, endpoint: &str, bucket: &str, minute: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO ip_throttle (endpoint, bucket, minute, attempts) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (endpoint, bucket, minute) DO UPDATE SET attempts = ip_throttle.attempts + 1 RETURNING attempts",
    )
    .bind(endpoint)
    .bind(bucket)
    .bind(minute)
    .fetch_one(&store.pool)
    .await
}

/// Forgets minutes before `minute`.
pub async fn forget_before(store: &Store, minute: i64) -> sqlx::Result<u64> {
    let r = sqlx::query("DELETE FROM ip_throttle WHERE minute < $1").bind(minute).execute(&store.pool).await?;
    Ok(r.rows_affected())
}
