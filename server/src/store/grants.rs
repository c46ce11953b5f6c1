//! Grants (`grants`): which account sees which chart, as what (SPEC §2.7).
//! An account's own chart is its "self" grant.

use app::ids::{AccountId, PatientId};

use crate::store::states::Relationship;
use crate::store::Tx;

/// Gives `account` access to `patient_id` as `relationship`; `granted_by`
/// is the actor as the audit log writes it.
pub async fn insert(
    tx: &mut Tx,
    account: AccountId,
    patient_id: PatientId,
    relationship: Relationship,
    granted_by: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO grants (account_id, patient_id, relationship, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(account)
        .bind(patient_id)
        .bind(relationship)
        .bind(granted_by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The account whose own chart `patient_id` is, if its patient has one.
pub async fn own_account<'c, E>(db: E, patient_id: PatientId) -> sqlx::Result<Option<AccountId>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT account_id FROM grants WHERE patient_id = $1 AND relationship = $2 AND ended_at IS NULL")
        .bind(patient_id)
        .bind(Relationship::Own)
        .fetch_optional(db)
        .await
}

/// The chart an account is on when it signs in: its own, else the first it
/// was given that is still live; `None` when it sees none.
pub async fn home_chart<'c, E>(db: E, account: AccountId) -> sqlx::Result<Option<PatientId>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "SELECT patient_id FROM grants WHERE account_id = $1 AND ended_at IS NULL \
         ORDER BY CASE WHEN relationship = $2 THEN 0 ELSE 1 END, id LIMIT 1",
    )
    .bind(account)
    .bind(Relationship::Own)
    .fetch_optional(db)
    .await
}
