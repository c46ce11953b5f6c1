//! Accounts (`accounts`): the people who sign in, each with what they need
//! of their own chart (the "self" grant's `patients` row and its
//! `enrollments` state). One read of an account for every page and check
//! that needs one, and the writes of sign-in, reset and settings. The lock
//! columns are `locks`'; an account is made by `patients::enroll`.

use app::i18n::Lang;
use app::ids::{AccountId, PatientId};

use crate::store::grants::home_chart_sql;
use crate::store::states::{EnrollmentState, Relationship, TwoStepMethod};
use crate::store::{Store, Tx};

/// The enrollment of an account `a`'s own chart, if it has one: `g` the
/// live "self" grant, `e` its chart's enrollment (both outer: a family
/// member or caregiver may have no chart of their own).
const OWN_ENROLLMENT: &str = "LEFT JOIN grants g ON g.account_id = a.id AND g.relationship = 'self' AND g.ended_at IS NULL \
     LEFT JOIN enrollments e ON e.patient_id = g.patient_id";

/// What sign-in needs of the account a username names, in one indexed read.
#[derive(Debug, sqlx::FromRow)]
pub struct SignInRow {
    pub account_id: AccountId,
    /// The chart a session opens on: the account's own, else the first it
    /// was given; `None` when it sees none.
    pub patient_id: Option<PatientId>,
    /// The own chart's enrollment; an account without a chart of its own is enrolled.
    pub state: EnrollmentState,
    pub password_hash: String,
    /// How two-step codes come, while it is on (read in the same query: sign-in is the hot path).
    pub two_step: Option<TwoStepMethod>,
}

pub async fn by_username(store: &Store, username: &str, at: i64) -> sqlx::Result<Option<SignInRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT a.id AS account_id, {} AS patient_id, COALESCE(e.state, $2) AS state, a.password_hash, t.method AS two_step \
         FROM accounts a {OWN_ENROLLMENT} LEFT JOIN two_step_settings t ON t.account_id = a.id WHERE a.username = $1",
        home_chart_sql("$3")
    )))
    .bind(username)
    .bind(EnrollmentState::Enrolled)
    .bind(at)
    .fetch_optional(&store.pool)
    .await
}

/// An account with the fields of its own chart that the portal shows or checks.
#[derive(Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub account_id: AccountId,
    /// The own chart, else the first chart given: whose log hears of the
    /// account (`None` while it sees no chart).
    pub patient_id: Option<PatientId>,
    /// `None` for a family member or caregiver with no chart here.
    pub own_chart: Option<PatientId>,
    pub state: EnrollmentState,
    pub first_name: String,
    /// The invited email, else the chart's.
    pub email: Option<String>,
    pub username: String,
    pub dob: app::dob::DateOfBirth,
    pub mobile: Option<app::phone::MobileNumber>,
    pub password_hash: String,
    pub security_question: Option<String>,
    pub security_answer_hash: Option<String>,
    /// The language messages to the person go out in (SPEC §2.6).
    #[sqlx(try_from = "String")]
    pub language: Lang,
}

/// An account and its own chart's fields, else (a family member or
/// caregiver) the account's own; `patient_id` is the own chart, else the
/// first chart it was given, else none.
const ACCOUNT: &str = "SELECT a.id AS account_id, COALESCE(g.patient_id, (SELECT h.patient_id FROM grants h \
     WHERE h.account_id = a.id AND h.ended_at IS NULL ORDER BY h.id LIMIT 1)) AS patient_id, g.patient_id AS own_chart, \
     COALESCE(e.state, 'enrolled') AS state, COALESCE(p.first_name, a.first_name) AS first_name, \
     COALESCE(e.invited_email, p.email, a.email) AS email, a.username, COALESCE(p.dob, a.dob) AS dob, \
     COALESCE(p.mobile, a.mobile) AS mobile, a.password_hash, a.security_question, a.security_answer_hash, a.language \
     FROM accounts a LEFT JOIN grants g ON g.account_id = a.id AND g.relationship = 'self' AND g.ended_at IS NULL \
     LEFT JOIN patients p ON p.id = g.patient_id LEFT JOIN enrollments e ON e.patient_id = g.patient_id";

/// An account with its own chart.
pub async fn of_account<'c, E>(db: E, id: AccountId) -> sqlx::Result<Option<AccountRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{ACCOUNT} WHERE a.id = $1"))).bind(id).fetch_optional(db).await
}

/// The account a username names, if it is enrolled.
pub async fn enrolled_by_username(store: &Store, username: &str) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{ACCOUNT} WHERE a.username = $1 AND COALESCE(e.state, 'enrolled') = $2")))
        .bind(username)
        .bind(EnrollmentState::Enrolled)
        .fetch_optional(&store.pool)
        .await
}

/// Enrolled accounts whose own chart has `dob` and whose invited or chart email is `email`, by username.
pub async fn enrolled_by_email_and_dob(store: &Store, email: &str, dob: &str) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ACCOUNT} WHERE COALESCE(e.state, 'enrolled') = $3 AND COALESCE(p.dob, a.dob) = $1 \
         AND (e.invited_email = $2 OR p.email = $2 OR (g.patient_id IS NULL AND a.email = $2)) ORDER BY a.username"
    )))
    .bind(dob)
    .bind(email)
    .bind(EnrollmentState::Enrolled)
    .fetch_all(&store.pool)
    .await
}

/// Holds off other writers to an account until `tx` ends (PostgreSQL locks
/// the row; SQLite's write transaction already excludes others), so a count
/// read in `tx` stays true until it commits.
pub async fn hold(store: &Store, tx: &mut Tx, id: AccountId) -> sqlx::Result<()> {
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!("SELECT id FROM accounts WHERE id = $1{}", store.for_update());
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    Ok(())
}

pub async fn mark_signed_in(tx: &mut Tx, id: AccountId, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET last_sign_in_at = $1, updated_at = $1 WHERE id = $2").bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx, id: AccountId, hash: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_question(tx: &mut Tx, id: AccountId, question: &str, answer_hash: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET security_question = $1, security_answer_hash = $2, updated_at = $3 WHERE id = $4")
        .bind(question)
        .bind(answer_hash)
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The chart's mobile number, in E.164.
/// Sets the mobile number of a chart, the one its patient's account uses.
pub async fn set_mobile(tx: &mut Tx, patient_id: PatientId, e164: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE patients SET mobile = $1 WHERE id = $2").bind(e164).bind(patient_id).execute(&mut **tx).await?;
    Ok(())
}

/// Sets the mobile number of an account: its own chart's, else the account's own.
pub async fn set_account_mobile(tx: &mut Tx, account: AccountId, own_chart: Option<PatientId>, e164: &str) -> sqlx::Result<()> {
    match own_chart {
        Some(chart) => set_mobile(tx, chart, e164).await,
        None => {
            sqlx::query("UPDATE accounts SET mobile = $1 WHERE id = $2").bind(e164).bind(account).execute(&mut **tx).await?;
            Ok(())
        }
    }
}

/// A family member's or caregiver's new account, with no chart of its own.
pub struct NewFamilyAccount<'a> {
    pub username: &'a str,
    pub username_key: &'a str,
    pub password_hash: &'a str,
    pub security_question: &'a str,
    pub answer_hash: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub dob: &'a str,
    pub mobile: &'a str,
    pub language: Lang,
}

pub async fn insert_family(tx: &mut Tx, n: &NewFamilyAccount<'_>, at: i64) -> sqlx::Result<AccountId> {
    sqlx::query_scalar(
        "INSERT INTO accounts (username, username_key, password_hash, security_question, security_answer_hash, language, \
         first_name, last_name, email, dob, mobile, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(n.username)
    .bind(n.username_key)
    .bind(n.password_hash)
    .bind(n.security_question)
    .bind(n.answer_hash)
    .bind(n.language.tag())
    .bind(n.first_name)
    .bind(n.last_name)
    .bind(n.email)
    .bind(n.dob)
    .bind(n.mobile)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

/// The enrollment state of a chart; `None` when never invited.
pub async fn state_of(store: &Store, patient_id: PatientId) -> sqlx::Result<Option<EnrollmentState>> {
    sqlx::query_scalar("SELECT state FROM enrollments WHERE patient_id = $1").bind(patient_id).fetch_optional(&store.pool).await
}

/// Accounts without a look-alike key (registered before keys), by id.
pub async fn usernames_without_key(store: &Store) -> sqlx::Result<Vec<(AccountId, String)>> {
    sqlx::query_as("SELECT id, username FROM accounts WHERE username_key IS NULL ORDER BY id").fetch_all(&store.pool).await
}

/// Sets an account's look-alike key; false when another account holds it.
pub async fn set_username_key(store: &Store, id: AccountId, key: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE accounts SET username_key = $1 WHERE id = $2").bind(key).bind(id).execute(&store.pool).await;
    match done {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

/// The language messages to the account go out in (SPEC §2.6).
pub async fn language<'c, E>(db: E, id: AccountId) -> sqlx::Result<Lang>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let tag: Option<String> = sqlx::query_scalar("SELECT language FROM accounts WHERE id = $1").bind(id).fetch_optional(db).await?;
    Ok(tag.and_then(|t| Lang::try_from(t).ok()).unwrap_or_default())
}

/// Saves the account's language, and its own chart's (where staff see it).
pub async fn set_language(tx: &mut Tx, id: AccountId, lang: Lang) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET language = $1 WHERE id = $2").bind(lang.tag()).bind(id).execute(&mut **tx).await?;
    sqlx::query("UPDATE patients SET language = $1 WHERE id IN (SELECT patient_id FROM grants WHERE account_id = $2 AND relationship = $3 AND ended_at IS NULL)")
        .bind(lang.tag())
        .bind(id)
        .bind(Relationship::Own)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_joins_name_the_own_chart_by_its_stored_text() {
        let own = format!("g.relationship = '{}'", Relationship::Own.as_str());
        assert!(OWN_ENROLLMENT.contains(&own) && ACCOUNT.contains(&own));
        assert!(home_chart_sql("$1").contains(&format!("h.relationship = '{}'", Relationship::Own.as_str())));
        assert!(ACCOUNT.contains(&format!("COALESCE(e.state, '{}')", EnrollmentState::Enrolled.as_str())));
    }
}

/// How to reach the person of an account: its own chart's name and email,
/// else the account's own.
#[derive(Debug, sqlx::FromRow)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    #[sqlx(try_from = "String")]
    pub language: Lang,
}

impl Contact {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

pub async fn contact<'c, E>(db: E, account: AccountId) -> sqlx::Result<Option<Contact>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT COALESCE(p.first_name, a.first_name, a.username) AS first_name, COALESCE(p.last_name, a.last_name, '') AS last_name, \
         COALESCE(e.invited_email, p.email, a.email) AS email, a.language FROM accounts a \
         LEFT JOIN grants g ON g.account_id = a.id AND g.relationship = 'self' AND g.ended_at IS NULL \
         LEFT JOIN patients p ON p.id = g.patient_id LEFT JOIN enrollments e ON e.patient_id = g.patient_id WHERE a.id = $1",
    )
    .bind(account)
    .fetch_optional(db)
    .await
}
