//! Invitations (SPEC §2.4, §2.7): a "Create your account" email with a
//! 7-day, single-use link, and the practice's access code that goes with it
//! by another way (in person, by phone). An invitation is for the chart's own
//! patient (the chart moves Not invited → Invited; under 13 there is none)
//! or for a family member or caregiver ("Parent or guardian" only while the
//! patient is under 18). A new invitation voids the older ones of its kind.

use app::access_code::AccessCode;
use app::email::EmailAddress;
use app::family::{Relation, OWN_ACCOUNT_AGE};
use app::i18n::t;
use app::ids::PatientId;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::store::invitations::{self, NewInvitation};
use crate::store::states::EnrollmentState;
use crate::store::patients;
use crate::store::Tx;
use crate::tokens::SecretToken;
use crate::Services;

pub const INVITATION_LIFE_SECS: i64 = 7 * 24 * 60 * 60;
/// Wrong dates of birth or access codes an invitation takes before it is void.
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
    #[error("Patients under 13 get access through a parent or guardian.")]
    UnderThirteen,
    #[error("\"Parent or guardian\" is only for a patient under 18; choose another relationship")]
    ParentOfAdult,
    #[error("give the person's name")]
    NoName,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for InviteError {
    fn from(e: sqlx::Error) -> Self {
        InviteError::Internal(e.into())
    }
}

/// Who an invitation is for.
#[derive(Debug, Clone, Copy)]
pub enum Invitee<'a> {
    /// The chart's own patient, at this email (else the one invited before, else the chart's).
    Own(Option<&'a EmailAddress>),
    /// A family member or caregiver.
    Family { email: &'a EmailAddress, name: &'a str, relation: Relation },
}

/// A sent invitation: the link the email carries and the code to hand over.
#[derive(Debug)]
pub struct Invited {
    pub id: i64,
    pub link: String,
    pub code: AccessCode,
}

/// Invites `invitee` to the chart `patient_id`.
pub async fn invite(svc: &Services, patient_id: PatientId, invitee: Invitee<'_>, actor: Actor, client: &ClientMeta) -> Result<Invited, InviteError> {
    let row = patients::chart(&svc.store, patient_id).await?;
    let chart = row.ok_or(InviteError::NoSuchPatient)?;
    let age = crate::family::age(svc, chart.dob, svc.clock.now());
    let (to, relation, name) = match invitee {
        Invitee::Own(email) => {
            match chart.state {
                Some(EnrollmentState::Enrolled) => return Err(InviteError::AlreadyEnrolled),
                Some(EnrollmentState::Revoked) => return Err(InviteError::Revoked),
                Some(EnrollmentState::Invited) | None => {}
            }
            if age < OWN_ACCOUNT_AGE {
                return Err(InviteError::UnderThirteen);
            }
            let to = email.map(|e| e.as_str().to_string()).or(chart.invited_email.clone()).or(chart.chart_email.clone());
            (to.ok_or(InviteError::NoEmail)?, None, None)
        }
        Invitee::Family { email, name, relation } => {
            if !Relation::offered_at(age).contains(&relation) {
                return Err(InviteError::ParentOfAdult);
            }
            let name = name.trim();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(InviteError::NoName);
            }
            (email.as_str().to_string(), Some(relation), Some(name.chars().take(100).collect::<String>()))
        }
    };

    let at = svc.clock.now();
    let token = SecretToken::generate();
    let link = svc.config.public_url.join(&format!("register/{}", token.expose())).map_err(anyhow::Error::from)?;
    let token_key = token.storage_key();
    let code = svc.access_codes.make(&token_key);
    let by = actor.text();
    let mut tx = svc.store.begin_write().await?;
    invitations::void_open_of_kind(&mut tx, patient_id, relation.map(|_| to.as_str()), at).await?;
    let new = NewInvitation {
        token_key: &token_key,
        patient_id,
        email: &to,
        code_mac: &code.mac,
        code_sealed: &code.sealed,
        relation,
        invitee_name: name.as_deref(),
        invited_by: &by,
    };
    let id = invitations::insert(&mut tx, &new, at, at + INVITATION_LIFE_SECS).await?;
    let days = INVITATION_LIFE_SECS / (24 * 60 * 60);
    let lang = chart.language;
    let (subject, body, event, detail) = match (&name, relation) {
        (Some(name), Some(relation)) => (
            t::family_invitation_subject(lang, &chart.first_name, svc.config.practice_name.as_str()),
            t::family_invitation_body(lang, name, &chart.first_name, days, link.as_str()),
            Event::FamilyInvited,
            crate::audit::detail::person(name, relation, Some(&to)),
        ),
        _ => {
            patients::mark_invited(&mut tx, patient_id, &to, at).await?;
            (t::invitation_subject(lang).to_string(), t::invitation_body(lang, &chart.first_name, days, link.as_str()), Event::Invited, String::new())
        }
    };
    let m = Message { channel: Channel::Email, to: &to, subject: &subject, body: &body, lang, patient_id: Some(patient_id) };
    outbox::enqueue(&mut tx, &svc.bodies, &m, at).await?;
    let entry = Entry { patient_id: Some(patient_id), actor, event, detail: &detail, client };
    svc.audit.append(&mut tx, entry, at).await?;
    tx.commit().await?;
    Ok(Invited { id, link: link.to_string(), code: code.code })
}

/// The access code of the chart's newest open invitation (to `email`, when
/// given; the patient's own only, when `own_only`), for staff and `portal
/// access-code` to read out.
pub async fn open_code(svc: &Services, patient_id: PatientId, email: Option<&EmailAddress>, own_only: bool) -> sqlx::Result<Option<AccessCode>> {
    let row = invitations::newest_open_code(&svc.store, patient_id, email.map(|e| e.as_str()), own_only, svc.clock.now()).await?;
    Ok(row.and_then(|(token_key, sealed)| svc.access_codes.open(&token_key, &sealed)))
}

/// An open, unexpired invitation as read for registration.
pub use crate::store::invitations::OpenRow as Open;

/// The invitation of `token` if it can still be used.
pub async fn find_open(svc: &Services, token: &SecretToken, at: i64) -> sqlx::Result<Option<Open>> {
    invitations::find_open(&svc.store, &token.storage_key(), at).await
}

/// [`find_open`] in `tx`, which will write it: its row stays held until `tx` ends.
pub async fn find_open_for_update(svc: &Services, tx: &mut Tx, token: &SecretToken, at: i64) -> sqlx::Result<Option<Open>> {
    invitations::find_open_for_update(&svc.store, tx, &token.storage_key(), at).await
}
