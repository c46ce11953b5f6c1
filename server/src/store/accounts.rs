//! Patients' portal accounts (`portal_accounts`, with what they need of
//! `patients`): one read of an account for every page and check that needs
//! one, and the writes of sign-in, reset and settings. The lock columns are
//! `locks`'; enrollment's upsert is `patients`'.

use app::i18n::Lang;
use crate::store::states::{AccountState, TwoStepMethod};
use crate::store::{Store, Tx};

/// What sign-in needs of the account a username names.
#[derive(Debug, sqlx::FromRow)]
pub struct SignInRow {
    pub patient_id: i64,
    pub state: AccountState,
    pub password_hash: Option<String>,
    /// How two-step codes come, while it is on (read in the same query: sign-in is the hot path).
    pub two_step: Option<TwoStepMethod>,
}

pub async fn by_username(store: &Store, username: &str) -> sqlx::Result<Option<SignInRow>> {
    sqlx::query_as(
        "SELECT a.patient_id, a.state, a.password_hash, t.method AS two_step FROM portal_accounts a \
         LEFT JOIN two_step_settings t ON t.patient_id = a.patient_id WHERE a.username = $1",
    )
        .bind(username)
        .fetch_optional(&store.pool)
        .await
}

/// A patient's account with the chart fields the portal shows or checks.
#[derive(Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub patient_id: i64,
    pub state: AccountState,
    pub first_name: String,
    /// The invited email, else the chart's.
    pub email: Option<String>,
    pub username: Option<String>,
    /// `YYYYMMDD`.
    pub dob: String,
    pub mobile: Option<String>,
    pub password_hash: Option<String>,
    pub security_question: Option<String>,
    pub security_answer_hash: Option<String>,
    /// The language messages to the patient go out in (SPEC §2.6).
    #[sqlx(try_from = "String")]
    pub language: Lang,
}

const ACCOUNT: &str = "SELECT p.id AS patient_id, a.state, p.first_name, COALESCE(a.invited_email, p.email) AS email, a.username, \
     p.dob, p.mobile, a.password_hash, a.security_question, a.security_answer_hash, p.language \
     FROM portal_accounts a JOIN patients p ON p.id = a.patient_id";

/// The account of a patient (any state); `None` when never invited.
pub async fn of_patient<'c, E>(db: E, patient_id: i64) -> sqlx::Result<Option<AccountRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{ACCOUNT} WHERE p.id = $1"))).bind(patient_id).fetch_optional(db).await
}

/// The account a username names, if it is enrolled.
pub async fn enrolled_by_username(store: &Store, username: &str) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{ACCOUNT} WHERE a.username = $1 AND a.state = $2")))
        .bind(username)
        .bind(AccountState::Enrolled)
        .fetch_optional(&store.pool)
        .await
}

/// Enrolled accounts whose chart has `dob` and whose invited or chart email is `email`, by username.
pub async fn enrolled_by_email_and_dob(store: &Store, email: &str, dob: &str) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ACCOUNT} WHERE a.state = $3 AND p.dob = $1 AND (a.invited_email = $2 OR p.email = $2) ORDER BY a.username"
    )))
    .bind(dob)
    .bind(email)
    .bind(AccountState::Enrolled)
    .fetch_all(&store.pool)
    .await
}

/// Holds off other writers to a patient's account until `tx` ends (PostgreSQL
/// locks the row; SQLite's write transaction already excludes others), so a
/// count read in `tx` stays true until it commits.
pub async fn hold(tx: &mut Tx, patient_id: i64, lock: &'static str) -> sqlx::Result<()> {
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!("SELECT patient_id FROM portal_accounts WHERE patient_id = $1{lock}");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(patient_id).fetch_optional(&mut **tx).await?;
    Ok(())
}

pub async fn mark_signed_in(tx: &mut Tx, patient_id: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE portal_accounts SET last_sign_in_at = $1, updated_at = $1 WHERE patient_id = $2")
        .bind(at)
        .bind(patient_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx, patient_id: i64, hash: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE portal_accounts SET password_hash = $1, updated_at = $2 WHERE patient_id = $3")
        .bind(hash)
        .bind(at)
        .bind(patient_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_question(tx: &mut Tx, patient_id: i64, question: &str, answer_hash: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE portal_accounts SET security_question = $1, security_answer_hash = $2, updated_at = $3 WHERE patient_id = $4")
        .bind(question)
        .bind(answer_hash)
        .bind(at)
        .bind(patient_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The chart's mobile number, in E.164.
pub async fn set_mobile(tx: &mut Tx, patient_id: i64, e164: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE patients SET mobile = $1 WHERE id = $2").bind(e164).bind(patient_id).execute(&mut **tx).await?;
    Ok(())
}

/// The state of a patient's account; `None` when never invited.
pub async fn state_of(store: &Store, patient_id: i64) -> sqlx::Result<Option<AccountState>> {
    sqlx::query_scalar("SELECT state FROM portal_accounts WHERE patient_id = $1").bind(patient_id).fetch_optional(&store.pool).await
}

/// Accounts with a username but no look-alike key (registered before keys), by id.
pub async fn usernames_without_key(store: &Store) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT patient_id, username FROM portal_accounts WHERE username IS NOT NULL AND username_key IS NULL ORDER BY patient_id")
        .fetch_all(&store.pool)
        .await
}

/// Sets an account's look-alike key; false when another account holds it.
pub async fn set_username_key(store: &Store, patient_id: i64, key: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE portal_accounts SET username_key = $1 WHERE patient_id = $2").bind(key).bind(patient_id).execute(&store.pool).await;
    match done {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}
