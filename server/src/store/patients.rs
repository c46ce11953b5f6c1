//! Charts (`patients`) with their portal account when they have one, as
//! enrollment and invitations read them, and the enrollment's write.

use app::i18n::Lang;

use app::ids::{AccountId, PatientId};

use crate::store::states::{EnrollmentState, Relationship};
use crate::store::{Store, Tx};

/// A chart and, when it was ever invited, its account's state and invited email.
#[derive(Debug, sqlx::FromRow)]
pub struct ChartRow {
    pub first_name: String,
    pub dob: app::dob::DateOfBirth,
    pub chart_email: Option<String>,
    pub mobile: Option<app::phone::MobileNumber>,
    pub state: Option<EnrollmentState>,
    pub invited_email: Option<String>,
    /// The language messages to the patient go out in (SPEC §2.6).
    #[sqlx(try_from = "String")]
    pub language: Lang,
}

pub async fn chart<'c, E>(db: E, patient_id: PatientId) -> sqlx::Result<Option<ChartRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT p.first_name, p.dob, p.email AS chart_email, p.mobile, a.state, a.invited_email, p.language FROM patients p \
         LEFT JOIN enrollments a ON a.patient_id = p.id WHERE p.id = $1",
    )
    .bind(patient_id)
    .fetch_optional(db)
    .await
}

/// A new chart; its id.
pub async fn insert(tx: &mut Tx, first: &str, last: &str, dob: &str, email: Option<&str>, mobile: Option<&str>, at: i64) -> sqlx::Result<PatientId> {
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

/// The username of the account whose look-alike key is `key`, if any.
pub async fn username_with_key(tx: &mut Tx, key: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT username FROM accounts WHERE username_key = $1").bind(key).fetch_optional(&mut **tx).await
}

/// What enrolling writes: the chart's enrollment and its patient's new account.
pub struct Enrolled<'a> {
    pub patient_id: PatientId,
    pub email: Option<&'a str>,
    pub username: &'a str,
    pub username_key: &'a str,
    pub password_hash: &'a str,
    pub security_question: &'a str,
    pub answer_hash: &'a str,
}

/// Enrolls a chart never invited or invited: its enrollment, a new account
/// and the account's "self" grant; `None` (nothing written) when the chart
/// is already enrolled or revoked.
pub async fn enroll(tx: &mut Tx, e: &Enrolled<'_>, at: i64) -> sqlx::Result<Option<AccountId>> {
    let done = sqlx::query(
        "INSERT INTO enrollments (patient_id, state, invited_email, enrolled_at, updated_at) VALUES ($1, $3, $2, $4, $4) \
         ON CONFLICT (patient_id) DO UPDATE SET state = $3, enrolled_at = $4, updated_at = $4 WHERE enrollments.state = $5",
    )
    .bind(e.patient_id)
    .bind(e.email)
    .bind(EnrollmentState::Enrolled)
    .bind(at)
    .bind(EnrollmentState::Invited)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let account: AccountId = sqlx::query_scalar(
        "INSERT INTO accounts (username, username_key, password_hash, security_question, security_answer_hash, language, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, (SELECT language FROM patients WHERE id = $7), $6, $6) RETURNING id",
    )
    .bind(e.username)
    .bind(e.username_key)
    .bind(e.password_hash)
    .bind(e.security_question)
    .bind(e.answer_hash)
    .bind(at)
    .bind(e.patient_id)
    .fetch_one(&mut **tx)
    .await?;
    crate::store::grants::insert(tx, account, e.patient_id, Relationship::Own, "patient", at, None).await?;
    Ok(Some(account))
}

/// An invited chart (or the invitation renewed on one): where it was sent.
pub async fn mark_invited(tx: &mut Tx, patient_id: PatientId, email: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO enrollments (patient_id, state, invited_email, invited_at, updated_at) VALUES ($1, $4, $2, $3, $3) \
         ON CONFLICT (patient_id) DO UPDATE SET invited_email = $2, invited_at = $3, updated_at = $3",
    )
    .bind(patient_id)
    .bind(email)
    .bind(at)
    .bind(EnrollmentState::Invited)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_state(tx: &mut Tx, patient_id: PatientId, state: EnrollmentState, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE enrollments SET state = $3, updated_at = $1 WHERE patient_id = $2")
        .bind(at)
        .bind(patient_id)
        .bind(state)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The first chart with `email` on file.
pub async fn id_by_email(store: &Store, email: &str) -> sqlx::Result<Option<PatientId>> {
    sqlx::query_scalar("SELECT id FROM patients WHERE email = $1 ORDER BY id LIMIT 1").bind(email).fetch_optional(&store.pool).await
}

/// The chart's language (SPEC §2.6): messages to the patient go out in it.
pub async fn language<'c, E>(db: E, patient_id: PatientId) -> sqlx::Result<Lang>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let tag: Option<String> = sqlx::query_scalar("SELECT language FROM patients WHERE id = $1").bind(patient_id).fetch_optional(db).await?;
    Ok(tag.and_then(|t| Lang::try_from(t).ok()).unwrap_or_default())
}

/// Whether the chart exists (and now has `lang`).
pub async fn set_language(tx: &mut Tx, patient_id: PatientId, lang: Lang) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE patients SET language = $1 WHERE id = $2").bind(lang.tag()).bind(patient_id).execute(&mut **tx).await?;
    sqlx::query("UPDATE accounts SET language = $1 WHERE id IN (SELECT account_id FROM grants WHERE patient_id = $2 AND relationship = $3 AND ended_at IS NULL)")
        .bind(lang.tag())
        .bind(patient_id)
        .bind(Relationship::Own)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// A chart's first and last name.
pub async fn names<'c, E>(db: E, patient_id: PatientId) -> sqlx::Result<Option<(String, String)>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as("SELECT first_name, last_name FROM patients WHERE id = $1").bind(patient_id).fetch_optional(db).await
}
