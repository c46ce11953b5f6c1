//! Patient charts and their portal accounts: creating a chart, enrolling it
//! (the domain step that registration will call), and revoking access.

use app::dob::DateOfBirth;
use app::email::EmailAddress;
use app::phone::MobileNumber;
use app::secret::Password;
use app::username::Username;

use crate::audit::{self, Entry};
use crate::client::ClientMeta;
use crate::policy::{self, PasswordProblem, PersonalWords};
use crate::sessions::{self, Subject};
use crate::store::now;
use crate::Services;

pub struct NewPatient {
    pub first_name: String,
    pub last_name: String,
    pub dob: DateOfBirth,
    pub email: Option<EmailAddress>,
    pub mobile: Option<MobileNumber>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartProblem {
    #[error("first and last name must be 1 to 100 characters without control characters")]
    BadName,
}

fn clean_name(s: &str) -> Result<String, ChartProblem> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 100 || s.chars().any(char::is_control) {
        return Err(ChartProblem::BadName);
    }
    Ok(s.to_string())
}

/// Creates a chart and returns its id.
pub async fn add_patient(svc: &Services, p: NewPatient, client: &ClientMeta) -> anyhow::Result<i64> {
    let (first, last) = (clean_name(&p.first_name)?, clean_name(&p.last_name)?);
    let at = now();
    let mut tx = svc.store.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO patients (first_name, last_name, dob, email, mobile, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&first)
    .bind(&last)
    .bind(p.dob.compact())
    .bind(p.email.as_ref().map(|e| e.as_str().to_string()))
    .bind(p.mobile.as_ref().map(|m| m.e164().to_string()))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let entry = Entry { patient_id: Some(id), actor: "system", event: "chart_created", detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a patient gives to enroll (SPEC §2.4).
pub struct Enrollment {
    pub username: Username,
    pub password: Password,
    pub security_question: String,
    pub security_answer: String,
    pub mobile: MobileNumber,
}

#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    #[error("no such patient")]
    NoSuchPatient,
    #[error("this patient is already enrolled")]
    AlreadyEnrolled,
    #[error("That username is taken.")]
    UsernameTaken,
    #[error("{0}")]
    WeakPassword(#[from] PasswordProblem),
    #[error("Enter a security answer.")]
    EmptyAnswer,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for EnrollError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => EnrollError::UsernameTaken,
            _ => EnrollError::Internal(e.into()),
        }
    }
}

/// Answers compare case-insensitively with collapsed whitespace (SPEC §2.2).
pub fn normalize_answer(answer: &str) -> String {
    answer.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Enrolls a chart: checks the password policy, hashes the password and the
/// normalized answer, and records the account, all or nothing.
pub async fn enroll(svc: &Services, patient_id: i64, e: Enrollment, client: &ClientMeta) -> Result<(), EnrollError> {
    let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT p.dob, p.email, a.state FROM patients p LEFT JOIN portal_accounts a ON a.patient_id = p.id WHERE p.id = $1",
    )
    .bind(patient_id)
    .fetch_optional(&svc.store.pool)
    .await?;
    let (dob, email, state) = row.ok_or(EnrollError::NoSuchPatient)?;
    if state.is_some_and(|s| s != "invited") {
        return Err(EnrollError::AlreadyEnrolled);
    }
    let names: Vec<&str> = [Some(e.username.as_str()), email.as_deref()].into_iter().flatten().collect();
    policy::check(e.password.expose(), &PersonalWords { usernames: &names, dob: Some(&dob) })?;
    let answer = normalize_answer(&e.security_answer);
    if answer.is_empty() {
        return Err(EnrollError::EmptyAnswer);
    }
    let password_hash = svc.hasher.hash(e.password.expose().to_string()).await.map_err(anyhow::Error::from)?;
    let answer_hash = svc.hasher.hash(answer).await.map_err(anyhow::Error::from)?;

    let at = now();
    let mut tx = svc.store.begin_write().await?;
    sqlx::query(
        "INSERT INTO portal_accounts (patient_id, state, invited_email, username, password_hash, security_question, \
         security_answer_hash, enrolled_at, updated_at) VALUES ($1, 'enrolled', $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (patient_id) DO UPDATE SET state = 'enrolled', username = $3, password_hash = $4, \
         security_question = $5, security_answer_hash = $6, enrolled_at = $7, updated_at = $7, \
         failed_attempts = 0, locked_until = NULL",
    )
    .bind(patient_id)
    .bind(email.as_deref())
    .bind(e.username.as_str())
    .bind(password_hash)
    .bind(&e.security_question)
    .bind(answer_hash)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE patients SET mobile = $1 WHERE id = $2")
        .bind(e.mobile.e164())
        .bind(patient_id)
        .execute(&mut *tx)
        .await?;
    let entry = Entry { patient_id: Some(patient_id), actor: "patient", event: "enrolled", detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a chart as invited at `email` (the invitation email itself comes
/// with the registration flow).
pub async fn mark_invited(svc: &Services, patient_id: i64, email: &EmailAddress, client: &ClientMeta) -> anyhow::Result<()> {
    let at = now();
    let mut tx = svc.store.begin_write().await?;
    sqlx::query(
        "INSERT INTO portal_accounts (patient_id, state, invited_email, invited_at, updated_at) \
         VALUES ($1, 'invited', $2, $3, $3) ON CONFLICT (patient_id) DO NOTHING",
    )
    .bind(patient_id)
    .bind(email.as_str())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let entry = Entry { patient_id: Some(patient_id), actor: "system", event: "invited", detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Turns portal access off and ends the patient's sessions.
pub async fn revoke(svc: &Services, patient_id: i64, actor: &str, client: &ClientMeta) -> anyhow::Result<()> {
    let at = now();
    let mut tx = svc.store.begin_write().await?;
    sqlx::query("UPDATE portal_accounts SET state = 'revoked', updated_at = $1 WHERE patient_id = $2")
        .bind(at)
        .bind(patient_id)
        .execute(&mut *tx)
        .await?;
    sessions::end_all(&mut tx, Subject::Patient, patient_id).await?;
    let entry = Entry { patient_id: Some(patient_id), actor, event: "access_revoked", detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_ignore_case_and_extra_whitespace() {
        assert_eq!(normalize_answer("  Mr.   Biscuit\tJones "), "mr. biscuit jones");
        assert_eq!(normalize_answer("   "), "");
    }
}
