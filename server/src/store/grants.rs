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
    ends_at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO grants (account_id, patient_id, relationship, granted_by, granted_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(account)
        .bind(patient_id)
        .bind(relationship)
        .bind(granted_by)
        .bind(at)
        .bind(ends_at)
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

/// Whether grant `g` is live at the moment bound as `now` (`$2`, say): not
/// ended, and not past the day it ends by itself (a minor's 18th birthday,
/// which the sweep may not have reached yet).
pub(crate) fn live(g: &str, now: &str) -> String {
    format!("{g}.ended_at IS NULL AND ({g}.ends_at IS NULL OR {g}.ends_at > {now})")
}

/// The chart an account `a` is on when it signs in, as a subquery: its own,
/// else the first it was given that is live at `now` (a placeholder); NULL
/// when it sees none. The one statement of the rule, for sign-in's single
/// read and [`home_chart`].
pub(crate) fn home_chart_sql(now: &str) -> String {
    format!(
        "(SELECT h.patient_id FROM grants h WHERE h.account_id = a.id AND {} \
         ORDER BY CASE WHEN h.relationship = 'self' THEN 0 ELSE 1 END, h.id LIMIT 1)",
        live("h", now)
    )
}

/// The chart `account` is on when it signs in at `at` (see [`home_chart_sql`]).
pub async fn home_chart<'c, E>(db: E, account: AccountId, at: i64) -> sqlx::Result<Option<PatientId>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("SELECT {} FROM accounts a WHERE a.id = $1", home_chart_sql("$2"));
    let chart: Option<Option<PatientId>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(account).bind(at).fetch_optional(db).await?;
    Ok(chart.flatten())
}

/// A chart an account sees, as `/` lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct SeenRow {
    pub patient_id: PatientId,
    pub first_name: String,
    pub last_name: String,
    pub relationship: Relationship,
}

/// The charts `account` sees at `at`: its own first, then in the order given.
pub async fn seen_by<'c, E>(db: E, account: AccountId, at: i64) -> sqlx::Result<Vec<SeenRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!(
        "SELECT g.patient_id, p.first_name, p.last_name, g.relationship FROM grants g JOIN patients p ON p.id = g.patient_id \
         WHERE g.account_id = $1 AND {} ORDER BY CASE WHEN g.relationship = 'self' THEN 0 ELSE 1 END, g.id",
        live("g", "$2")
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(account).bind(at).fetch_all(db).await
}

/// The first names of the charts whose grant to `account` ended because
/// their patient turned 18, ended since `since`.
pub async fn ended_turned_18<'c, E>(db: E, account: AccountId, since: i64) -> sqlx::Result<Vec<String>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "SELECT p.first_name FROM grants g JOIN patients p ON p.id = g.patient_id \
         WHERE g.account_id = $1 AND g.end_reason = 'turned_18' AND g.ended_at >= $2 \
         AND NOT EXISTS (SELECT 1 FROM grants n WHERE n.account_id = g.account_id AND n.patient_id = g.patient_id AND n.ended_at IS NULL) \
         ORDER BY g.ended_at",
    )
    .bind(account)
    .bind(since)
    .fetch_all(db)
    .await
}

/// How `account` sees `patient_id` at `at`, if it does.
pub async fn relationship<'c, E>(db: E, account: AccountId, patient_id: PatientId, at: i64) -> sqlx::Result<Option<Relationship>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("SELECT g.relationship FROM grants g WHERE g.account_id = $1 AND g.patient_id = $2 AND {}", live("g", "$3"));
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(account).bind(patient_id).bind(at).fetch_optional(db).await
}

/// Someone given access to a chart (a live grant), or invited to it.
#[derive(Debug, sqlx::FromRow)]
pub struct PersonRow {
    /// The grant's id; `None` for an invitation not yet taken up.
    pub grant_id: Option<i64>,
    /// The open invitation's id, for one not yet taken up.
    pub invitation_id: Option<i64>,
    pub account_id: Option<AccountId>,
    pub name: String,
    pub relationship: Relationship,
    pub email: Option<String>,
    pub username: Option<String>,
    pub locked_until: Option<i64>,
    /// Wrong tries counted toward the account's lock.
    pub failures: Option<i64>,
    pub since: i64,
    pub ends_at: Option<i64>,
    /// An invitation's token hash and sealed access code.
    pub token_hash: Option<String>,
    pub code_sealed: Option<String>,
    /// When an invitation stops working (it is listed after that too, until
    /// it is resent or withdrawn: staff see it expired).
    pub expires_at: Option<i64>,
}

/// Everyone but the patient who sees or was invited to see `patient_id`
/// (an invitation still open, expired or not), in the order they came;
/// each account's name is its own chart's, else its own.
pub async fn people_of<'c, E>(db: E, patient_id: PatientId, at: i64) -> sqlx::Result<Vec<PersonRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!(
        "SELECT g.id AS grant_id, NULL AS invitation_id, a.id AS account_id, \
         COALESCE(op.first_name || ' ' || op.last_name, a.first_name || ' ' || a.last_name, a.username) AS name, \
         g.relationship, COALESCE(op.email, a.email) AS email, a.username, a.locked_until, a.failed_attempts AS failures, g.granted_at AS since, g.ends_at, \
         NULL AS token_hash, NULL AS code_sealed, NULL AS expires_at \
         FROM grants g JOIN accounts a ON a.id = g.account_id \
         LEFT JOIN grants og ON og.account_id = a.id AND og.relationship = 'self' AND og.ended_at IS NULL \
         LEFT JOIN patients op ON op.id = og.patient_id \
         WHERE g.patient_id = $1 AND g.relationship <> 'self' AND {} \
         UNION ALL \
         SELECT NULL, i.id, NULL, COALESCE(i.invitee_name, i.email), i.relationship, i.email, NULL, NULL, NULL, i.created_at, NULL, \
         i.token_hash, i.access_code_sealed, i.expires_at \
         FROM invitations i WHERE i.patient_id = $1 AND i.relationship IS NOT NULL AND i.state = 'open' \
         ORDER BY since",
        live("g", "$2")
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(patient_id).bind(at).fetch_all(db).await
}

/// A live grant as its ending reads it.
#[derive(Debug, sqlx::FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub account_id: AccountId,
    pub patient_id: PatientId,
    pub relationship: Relationship,
}

/// The live grant `id` on `patient_id`.
pub async fn live_on(tx: &mut Tx, id: i64, patient_id: PatientId) -> sqlx::Result<Option<GrantRow>> {
    sqlx::query_as("SELECT id, account_id, patient_id, relationship FROM grants WHERE id = $1 AND patient_id = $2 AND ended_at IS NULL")
        .bind(id)
        .bind(patient_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The live grant of `account` on `patient_id`.
pub async fn live_of(tx: &mut Tx, account: AccountId, patient_id: PatientId) -> sqlx::Result<Option<GrantRow>> {
    sqlx::query_as("SELECT id, account_id, patient_id, relationship FROM grants WHERE account_id = $1 AND patient_id = $2 AND ended_at IS NULL")
        .bind(account)
        .bind(patient_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The grants whose own end (`ends_at`) has come by `at` and that nothing ended yet.
pub async fn due(tx: &mut Tx, at: i64) -> sqlx::Result<Vec<GrantRow>> {
    sqlx::query_as("SELECT id, account_id, patient_id, relationship FROM grants WHERE ends_at IS NOT NULL AND ends_at <= $1 AND ended_at IS NULL ORDER BY id")
        .bind(at)
        .fetch_all(&mut **tx)
        .await
}

/// Ends grant `id` for `reason` (`removed`, `left`, `turned_18`); false when it had ended already.
pub async fn end(tx: &mut Tx, id: i64, reason: &str, at: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE grants SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL")
        .bind(at)
        .bind(reason)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// A grant of a chart that ended because its patient turned 18.
#[derive(Debug, sqlx::FromRow)]
pub struct EndedRow {
    pub name: String,
    pub relationship: Relationship,
    pub ended_at: i64,
}

/// The grants to `patient_id` that ended at its 18th birthday since `since`.
pub async fn ended_turned_18_on<'c, E>(db: E, patient_id: PatientId, since: i64) -> sqlx::Result<Vec<EndedRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT COALESCE(op.first_name || ' ' || op.last_name, a.first_name || ' ' || a.last_name, a.username) AS name, g.relationship, g.ended_at \
         FROM grants g JOIN accounts a ON a.id = g.account_id \
         LEFT JOIN grants og ON og.account_id = a.id AND og.relationship = 'self' AND og.ended_at IS NULL \
         LEFT JOIN patients op ON op.id = og.patient_id \
         WHERE g.patient_id = $1 AND g.end_reason = 'turned_18' AND g.ended_at >= $2 ORDER BY g.ended_at",
    )
    .bind(patient_id)
    .bind(since)
    .fetch_all(db)
    .await
}
