//! Sessions (`sessions`): rows keyed by the SHA-256 of the cookie's token.
//! The rules (timeouts, when to touch) are `crate::sessions`'.

use crate::sessions::Subject;
use crate::store::{Store, Tx};

#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub subject_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert(tx: &mut Tx, key: &str, subject: Subject, subject_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (id_hash, subject_kind, subject_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(key)
        .bind(subject)
        .bind(subject_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn find(store: &Store, key: &str, subject: Subject) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as("SELECT subject_id, created_at, last_seen_at FROM sessions WHERE id_hash = $1 AND subject_kind = $2")
        .bind(key)
        .bind(subject)
        .fetch_optional(&store.pool)
        .await
}

pub async fn touch(store: &Store, key: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2").bind(now).bind(key).execute(&store.pool).await?;
    Ok(())
}

pub async fn delete<'c, E>(db: E, key: &str) -> sqlx::Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(key).execute(db).await?;
    Ok(())
}

/// Deletes every session of one account but the one keyed `keep` (if any).
pub async fn delete_all(tx: &mut Tx, subject: Subject, subject_id: i64, keep: Option<&str>) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE subject_kind = $1 AND subject_id = $2 AND id_hash <> $3")
        .bind(subject)
        .bind(subject_id)
        .bind(keep.unwrap_or(""))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes every session last seen at or before `idle_before` or made at or before `made_before`.
pub async fn delete_expired(store: &Store, idle_before: i64, made_before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(idle_before)
        .bind(made_before)
        .execute(&store.pool)
        .await?;
    Ok(done.rows_affected())
}
