//! Sessions (`sessions`): rows keyed by the SHA-256 of the cookie's token.
//! The rules (timeouts, when to touch) are `crate::sessions`'.

use app::ids::{AccountId, PatientId, StaffId};

use crate::store::{Store, Tx};

crate::store::states::text_enum! {
    /// Whose session a row is (`sessions.subject_kind`).
    Subject {
        /// A patient portal account's; the row also names the chart it is on.
        Patient = "patient",
        Staff = "staff",
    }
}

#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub subject_id: i64,
    /// The chart a patient session is on (`None` for staff).
    pub patient_id: Option<PatientId>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

async fn insert(tx: &mut Tx, key: &str, subject: Subject, subject_id: i64, patient_id: Option<PatientId>, now: i64, stepped_up_at: Option<i64>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, subject_kind, subject_id, patient_id, created_at, last_seen_at, stepped_up_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(key)
    .bind(subject)
    .bind(subject_id)
    .bind(patient_id)
    .bind(now)
    .bind(stepped_up_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A session of `account`, on the chart `patient_id` (none while no chart is shared with it).
/// `stepped_up_at`: when the sign-in that opens it passed a second step (or a passkey).
pub async fn insert_patient(tx: &mut Tx, key: &str, account: AccountId, patient_id: Option<PatientId>, now: i64, stepped_up_at: Option<i64>) -> sqlx::Result<()> {
    insert(tx, key, Subject::Patient, account.get(), patient_id, now, stepped_up_at).await
}

/// When the session `key` last passed a second step, if ever.
pub async fn stepped_up_at<'c, E>(db: E, key: &str) -> sqlx::Result<Option<i64>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let at: Option<Option<i64>> = sqlx::query_scalar("SELECT stepped_up_at FROM sessions WHERE id_hash = $1").bind(key).fetch_optional(db).await?;
    Ok(at.flatten())
}

/// The session `key` passed a second step at `at`.
pub async fn mark_stepped_up(tx: &mut Tx, key: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET stepped_up_at = $1 WHERE id_hash = $2").bind(at).bind(key).execute(&mut **tx).await?;
    Ok(())
}

pub async fn insert_staff(tx: &mut Tx, key: &str, staff: StaffId, now: i64) -> sqlx::Result<()> {
    insert(tx, key, Subject::Staff, staff.get(), None, now, None).await
}

pub async fn find(store: &Store, key: &str, subject: Subject) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as("SELECT subject_id, patient_id, created_at, last_seen_at FROM sessions WHERE id_hash = $1 AND subject_kind = $2")
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

/// Ends every session of one subject but `keep` (a storage key), if given.
pub async fn delete_all(tx: &mut Tx, subject: Subject, subject_id: i64, keep: Option<&str>) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE subject_kind = $1 AND subject_id = $2 AND id_hash <> $3")
        .bind(subject)
        .bind(subject_id)
        .bind(keep.unwrap_or(""))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

pub async fn delete_expired(store: &Store, idle_before: i64, made_before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(idle_before)
        .bind(made_before)
        .execute(&store.pool)
        .await?;
    Ok(done.rows_affected())
}
