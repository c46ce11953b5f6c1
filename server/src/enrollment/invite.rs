//! Invitations (SPEC §2.4): "Create your account" emails with a 7-day,
//! single-use link; a new invitation voids the older ones. The chart moves
//! Not invited → Invited.

use app::email::EmailAddress;
use app::i18n::t;

use app::ids::PatientId;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::store::states::EnrollmentState;
use crate::store::{invitations, patients};
use crate::store::Tx;
use crate::tokens::SecretToken;
use crate::Services;

pub const INVITATION_LIFE_SECS: i64 = 7 * 24 * 60 * 60;
pub const MAX_DOB_FAILURES: i64 = 5;
/// "That username is taken." answers one invitation gives before it is void.
pub const MAX_USERNAME_PROBES: i64 = 10;

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
pub async fn invite(svc: &Services, patient_id: PatientId, email: Option<&EmailAddress>, actor: Actor, client: &ClientMeta) -> Result<String, InviteError> {
    let row = patients::chart(&svc.store.pool, patient_id).await?;
    let patients::ChartRow { first_name, chart_email, state, invited_email, language: lang, .. } = row.ok_or(InviteError::NoSuchPatient)?;
    match state {
        Some(EnrollmentState::Enrolled) => return Err(InviteError::AlreadyEnrolled),
        Some(EnrollmentState::Revoked) => return Err(InviteError::Revoked),
        Some(EnrollmentState::Invited) | None => {}
    }
    let to = email.map(|e| e.as_str().to_string()).or(invited_email).or(chart_email).ok_or(InviteError::NoEmail)?;

    let at = svc.clock.now();
    let token = SecretToken::generate();
    let link = svc.config.public_url.join(&format!("register/{}", token.expose())).map_err(anyhow::Error::from)?;
    let mut tx = svc.store.begin_write().await?;
    void_open(&mut tx, patient_id, at).await?;
    invitations::insert(&mut tx, &token.storage_key(), patient_id, &to, at, at + INVITATION_LIFE_SECS).await?;
    patients::mark_invited(&mut tx, patient_id, &to, at).await?;
    let days = INVITATION_LIFE_SECS / (24 * 60 * 60);
    let body = t::invitation_body(lang, &first_name, days, link.as_str());
    let subject = t::invitation_subject(lang);
    let m = Message { channel: Channel::Email, to: &to, subject, body: &body, lang, patient_id: Some(patient_id) };
    outbox::enqueue(&mut tx, &svc.bodies, &m, at).await?;
    let entry = Entry { patient_id: Some(patient_id), actor, event: Event::Invited, detail: "", client };
    svc.audit.append(&mut tx, entry, at).await?;
    tx.commit().await?;
    Ok(link.to_string())
}

/// Voids every open invitation of a chart.
pub async fn void_open(tx: &mut Tx, patient_id: PatientId, at: i64) -> sqlx::Result<()> {
    invitations::void_open(tx, patient_id, at).await
}

/// An open, unexpired invitation as read for registration.
pub use crate::store::invitations::OpenRow as Open;

/// The invitation of `token` if it can still be used; with `for_update` (in
/// a transaction), its row stays locked until the transaction ends.
pub async fn find_open<'c, E>(svc: &Services, db: E, token: &SecretToken, for_update: bool, at: i64) -> sqlx::Result<Option<Open>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    invitations::find_open(db, &token.storage_key(), svc.store.hold_if(for_update), at).await
}
