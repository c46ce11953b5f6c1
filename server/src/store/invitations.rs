//! Invitation links (`invitations`), stored as their token's hash.

use app::ids::PatientId;
use crate::store::states::InvitationState;
use crate::store::{Hold, Tx};

pub async fn insert(tx: &mut Tx, token_key: &str, patient_id: PatientId, email: &str, at: i64, expires_at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO invitations (token_hash, patient_id, email, state, created_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $6, $4, $5, $4)",
    )
    .bind(token_key)
    .bind(patient_id)
    .bind(email)
    .bind(at)
    .bind(expires_at)
    .bind(InvitationState::Open)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Voids every open invitation of a chart.
pub async fn void_open(tx: &mut Tx, patient_id: PatientId, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE invitations SET state = $3, updated_at = $1 WHERE patient_id = $2 AND state = $4")
        .bind(at)
        .bind(patient_id)
        .bind(InvitationState::Void)
        .bind(InvitationState::Open)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An open, unexpired invitation as read for registration.
#[derive(Debug, sqlx::FromRow)]
pub struct OpenRow {
    pub id: i64,
    pub patient_id: PatientId,
    pub email: String,
    pub dob_failures: i64,
    pub username_probes: i64,
}

/// The open invitation whose token hashes to `token_key`, unexpired at `at`;
/// `hold`: [`Store::held`] inside a transaction that will write it, else [`Hold::NO`].
pub async fn find_open<'c, E>(db: E, token_key: &str, hold: Hold, at: i64) -> sqlx::Result<Option<OpenRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!(
        "SELECT id, patient_id, email, dob_failures, username_probes FROM invitations WHERE token_hash = $1 AND state = $3 AND expires_at > $2{}",
        hold.suffix()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_key).bind(at).bind(InvitationState::Open).fetch_optional(db).await
}

/// What an invitation counts against its cap.
#[derive(Debug, Clone, Copy)]
pub enum Refused {
    /// A date of birth that didn't match the chart.
    Dob,
    /// A username refused as taken (a probe).
    Username,
}

/// Records the `n`th refusal of its kind; `state` is what it leaves the invitation in.
pub async fn count_refusal(tx: &mut Tx, id: i64, refused: Refused, n: i64, state: InvitationState, at: i64) -> sqlx::Result<()> {
    let sql = match refused {
        Refused::Dob => "UPDATE invitations SET dob_failures = $1, state = $2, updated_at = $3 WHERE id = $4",
        Refused::Username => "UPDATE invitations SET username_probes = $1, state = $2, updated_at = $3 WHERE id = $4",
    };
    sqlx::query(sql).bind(n).bind(state).bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn mark_used(tx: &mut Tx, id: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE invitations SET state = $3, updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .bind(InvitationState::Used)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The first time the registration form was posted (for the staff panel only;
/// a GET changes nothing: mail scanners open links too).
pub async fn mark_opened<'c, E>(db: E, id: i64, at: i64) -> sqlx::Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE invitations SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL").bind(at).bind(id).execute(db).await?;
    Ok(())
}
