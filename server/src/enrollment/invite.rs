//! Invitations (SPEC §2.4): "Create your account" emails with a 7-day,
//! single-use link; a new invitation voids the older ones. The chart moves
//! Not invited → Invited.

use app::email::EmailAddress;

use crate::audit::{self, Entry};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::store::states::{AccountState, InvitationState};
use crate::store::Tx;
use crate::tokens::SecretToken;
use crate::Services;

pub const INVITATION_LIFE_SECS: i64 = 7 * 24 * 60 * 60;
pub const MAX_DOB_FAILURES: i64 = 5;
pub const EMAIL_SUBJECT: &str = "Create your patient portal account";

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("no patient has that id")]
    NoSuchPatient,
    #[error("the patient is already enrolled")]
    AlreadyEnrolled,
    #[error("the patient's portal access is revoked")]
    Revoked,
    #[error("the chart has no email address; give one with --email")]
    NoEmail,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for InviteError {
    fn from(e: sqlx::Error) -> Self {
        InviteError::Internal(e.into())
    }
}

/// Invites a chart at `email` (else the chart's) and returns the link.
pub async fn invite(svc: &Services, patient_id: i64, email: Option<&EmailAddress>, actor: &str, client: &ClientMeta) -> Result<String, InviteError> {
    let row: Option<(String, Option<String>, Option<AccountState>, Option<String>)> = sqlx::query_as(
        "SELECT p.first_name, p.email, a.state, a.invited_email FROM patients p \
         LEFT JOIN portal_accounts a ON a.patient_id = p.id WHERE p.id = $1",
    )
    .bind(patient_id)
    .fetch_optional(&svc.store.pool)
    .await?;
    let (first_name, chart_email, state, invited_email) = row.ok_or(InviteError::NoSuchPatient)?;
    match state {
        Some(AccountState::Enrolled) => return Err(InviteError::AlreadyEnrolled),
        Some(AccountState::Revoked) => return Err(InviteError::Revoked),
        Some(AccountState::Invited) | None => {}
    }
    let to = email.map(|e| e.as_str().to_string()).or(invited_email).or(chart_email).ok_or(InviteError::NoEmail)?;

    let at = svc.clock.now();
    let token = SecretToken::generate();
    let link = svc.config.public_url.join(&format!("register/{}", token.expose())).map_err(anyhow::Error::from)?;
    let mut tx = svc.store.begin_write().await?;
    void_open(&mut tx, patient_id, at).await?;
    sqlx::query(
        "INSERT INTO invitations (token_hash, patient_id, email, state, created_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $6, $4, $5, $4)",
    )
    .bind(token.storage_key())
    .bind(patient_id)
    .bind(&to)
    .bind(at)
    .bind(at + INVITATION_LIFE_SECS)
    .bind(InvitationState::Open)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO portal_accounts (patient_id, state, invited_email, invited_at, updated_at) VALUES ($1, $4, $2, $3, $3) \
         ON CONFLICT (patient_id) DO UPDATE SET invited_email = $2, invited_at = $3, updated_at = $3",
    )
    .bind(patient_id)
    .bind(&to)
    .bind(at)
    .bind(AccountState::Invited)
    .execute(&mut *tx)
    .await?;
    let days = INVITATION_LIFE_SECS / (24 * 60 * 60);
    let body = format!(
        "Hello {first_name},\n\nYour practice invites you to its patient portal, where you can see your health \
         information and message your care team.\nOpen this link within {days} days to choose a username and password:\n\n\
         Create your account: {link}\n\nIf you weren't expecting this email, you can ignore it.\n"
    );
    let m = Message { channel: Channel::Email, to: &to, subject: EMAIL_SUBJECT, body: &body, patient_id: Some(patient_id) };
    outbox::enqueue(&mut tx, &m, at).await?;
    let entry = Entry { patient_id: Some(patient_id), actor, event: "invited", detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await?;
    tx.commit().await?;
    Ok(link.to_string())
}

/// Voids every open invitation of a chart.
pub async fn void_open(tx: &mut Tx, patient_id: i64, at: i64) -> sqlx::Result<()> {
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
pub struct Open {
    pub id: i64,
    pub patient_id: i64,
    pub email: String,
    pub dob_failures: i64,
}

/// The invitation of `token` if it can still be used; with `for_update` (in
/// a transaction), its row stays locked until the transaction ends.
pub async fn find_open<'c, E>(svc: &Services, db: E, token: &SecretToken, for_update: bool, at: i64) -> sqlx::Result<Option<Open>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!(
        "SELECT id, patient_id, email, dob_failures FROM invitations \
         WHERE token_hash = $1 AND state = $3 AND expires_at > $2{}",
        if for_update { svc.store.for_update() } else { "" }
    );
    let row: Option<(i64, i64, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(token.storage_key())
        .bind(at)
        .bind(InvitationState::Open)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(id, patient_id, email, dob_failures)| Open { id, patient_id, email, dob_failures }))
}
