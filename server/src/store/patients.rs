//! Charts (`patients`) with their portal account when they have one, as
//! enrollment and invitations read them, and the enrollment's write.

use app::i18n::Lang;

use crate::store::states::AccountState;
use crate::store::{Store, Tx};

/// A chart and, when it was ever invited, its account's state and invited email.
#[derive(Debug, sqlx::FromRow)]
pub struct ChartRow {
    pub first_name: String,
    /// `YYYYMMDD`.
    pub dob: String,
    pub chart_email: Option<String>,
    pub mobile: Option<String>,
    pub state: Option<AccountState>,
    pub invited_email: Option<String>,
    /// The language messages to the patient go out in (SPEC §2.6).
    #[sqlx(try_from = "String")]
    pub language: Lang,
}

pub async fn chart<'c, E>(db: E, patient_id: i64) -> sqlx::Result<Option<ChartRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT p.first_name, p.dob, p.email AS chart_email, p.mobile, a.state, a.invited_email, p.language FROM patients p \
         LEFT JOIN portal_accounts a ON a.patient_id = p.id WHERE p.id = $1",
    )
    .bind(patient_id)
    .fetch_optional(db)
    .await
}

/// A new chart; its id.
pub async fn insert(tx: &mut Tx, first: &str, last: &str, dob: &str, email: Option<&str>, mobile: Option<&str>, at: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO patients (first_name, last_name, dob, email, mobile, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(first)
    .bind(last)
    .bind(dob)
    .bind(email)
    .bind(mobile)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

/// The username of another account whose look-alike key is `key`.
pub async fn username_with_key(tx: &mut Tx, key: &str, other_than: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT username FROM portal_accounts WHERE username_key = $1 AND patient_id <> $2")
        .bind(key)
        .bind(other_than)
        .fetch_optional(&mut **tx)
        .await
}

/// What enrolling writes to the account.
pub struct Enrolled<'a> {
    pub patient_id: i64,
    pub email: Option<&'a str>,
    pub username: &'a str,
    pub username_key: &'a str,
    pub password_hash: &'a str,
    pub security_question: &'a str,
    pub answer_hash: &'a str,
}

/// Enrolls a chart that has no account or an invited one (a fresh lock
/// count); false when the account is already enrolled or revoked.
pub async fn enroll(tx: &mut Tx, e: &Enrolled<'_>, at: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO portal_accounts (patient_id, state, invited_email, username, username_key, password_hash, security_question, \
         security_answer_hash, enrolled_at, updated_at) VALUES ($1, $9, $2, $3, $8, $4, $5, $6, $7, $7) \
         ON CONFLICT (patient_id) DO UPDATE SET state = $9, username = $3, username_key = $8, password_hash = $4, \
         security_question = $5, security_answer_hash = $6, enrolled_at = $7, updated_at = $7, \
         failed_attempts = 0, locked_until = NULL WHERE portal_accounts.state = $10",
    )
    .bind(e.patient_id)
    .bind(e.email)
    .bind(e.username)
    .bind(e.password_hash)
    .bind(e.security_question)
    .bind(e.answer_hash)
    .bind(at)
    .bind(e.username_key)
    .bind(AccountState::Enrolled)
    .bind(AccountState::Invited)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An invited account (or the invitation renewed on one): where it was sent.
pub async fn mark_invited(tx: &mut Tx, patient_id: i64, email: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO portal_accounts (patient_id, state, invited_email, invited_at, updated_at) VALUES ($1, $4, $2, $3, $3) \
         ON CONFLICT (patient_id) DO UPDATE SET invited_email = $2, invited_at = $3, updated_at = $3",
    )
    .bind(patient_id)
    .bind(email)
    .bind(at)
    .bind(AccountState::Invited)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_state(tx: &mut Tx, patient_id: i64, state: AccountState, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE portal_accounts SET state = $3, updated_at = $1 WHERE patient_id = $2")
        .bind(at)
        .bind(patient_id)
        .bind(state)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The first chart with `email` on file.
pub async fn id_by_email(store: &Store, email: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM patients WHERE email = $1 ORDER BY id LIMIT 1").bind(email).fetch_optional(&store.pool).await
}

/// The chart's language (SPEC §2.6): messages to the patient go out in it.
pub async fn language<'c, E>(db: E, patient_id: i64) -> sqlx::Result<Lang>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let tag: Option<String> = sqlx::query_scalar("SELECT language FROM patients WHERE id = $1").bind(patient_id).fetch_optional(db).await?;
    Ok(tag.and_then(|t| Lang::try_from(t).ok()).unwrap_or_default())
}

/// Whether the chart exists (and now has `lang`).
pub async fn set_language<'c, E>(db: E, patient_id: i64, lang: Lang) -> sqlx::Result<bool>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let r = sqlx::query("UPDATE patients SET language = $1 WHERE id = $2").bind(lang.tag()).bind(patient_id).execute(db).await?;
    Ok(r.rows_affected() == 1)
}
