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

/// The chart an account `a` is on when it signs in, as a subquery: its own,
/// else the first it was given that is still live; NULL when it sees none.
/// The one statement of the rule, for sign-in's single read and [`home_chart`].
pub(crate) const HOME_CHART: &str = "(SELECT h.patient_id FROM grants h WHERE h.account_id = a.id AND h.ended_at IS NULL \
     ORDER BY CASE WHEN h.relationship = 'self' THEN 0 ELSE 1 END, h.id LIMIT 1)";

/// The chart `account` is on when it signs in (see [`HOME_CHART`]).
pub async fn home_chart<'c, E>(db: E, account: AccountId) -> sqlx::Result<Option<PatientId>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("SELECT {HOME_CHART} FROM accounts a WHERE a.id = $1");
    let chart: Option<Option<PatientId>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(account).fetch_optional(db).await?;
    Ok(chart.flatten())
}
