//! A patient's password checked under the account's lock (SPEC §2.1, §5):
//! at sign-in and wherever settings ask for the current password. The one
//! lock sequence is [`lockout::attempt`]'s; this adds what a patient's
//! password audits (a wrong one with its count, a locked account's refusal).

use app::error::PortalError;
use app::ids::PatientId;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::internal::internal;
use crate::lockout::{self, Attempt, LockHolder, LockState, Try};
use crate::sessions::Person;
use crate::Services;

/// Audits `event` with no detail, as the patient of `patient_id` (anonymous without one).
pub(crate) async fn record(svc: &Services, patient_id: Option<PatientId>, event: Event, client: &ClientMeta) -> Result<(), PortalError> {
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let actor = if patient_id.is_some() { Actor::Patient } else { Actor::Anonymous };
    let entry = Entry { patient_id, actor, event, detail: "", client };
    svc.audit.append(&mut tx, entry, svc.clock.now()).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// Audits a wrong password or answer that was counted toward the lock;
/// `event` names what failed (`_account_locked` is added when this failure
/// locked the account).
pub(crate) async fn audit_failure(svc: &Services, who: Person, client: &ClientMeta, event: Event, counted: &LockState) -> Result<(), PortalError> {
    let at = svc.clock.now();
    let event = if counted.is_locked(at) { event.when_it_locked() } else { event };
    let detail = crate::audit::detail::failed_attempts(counted.failures);
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event, detail: &detail, client };
    svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// A wrong password: counted toward the lock, and audited.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WrongPassword {
    /// Whether this try locked the account.
    pub locks: bool,
}

/// A patient's password checked under the account's lock
/// ([`lockout::attempt`]): the right one's try, to settle where it acts; a
/// wrong one audited as `failed` (counted); a locked account's try refused
/// and audited as `refused` (uncounted).
pub(crate) async fn check_password(
    svc: &Services,
    who: Person,
    client: &ClientMeta,
    (password, hash): (String, String),
    failed: Event,
    refused: Event,
) -> Result<Result<Try, WrongPassword>, PortalError> {
    let holder = LockHolder::Account(who.account);
    match lockout::attempt(&svc.lockout, holder, svc.clock.now(), matches(svc, password, hash)).await? {
        Attempt::Right(t, ()) => Ok(Ok(t)),
        Attempt::Wrong(t) => {
            audit_failure(svc, who, client, failed, &t.counted()).await?;
            Ok(Err(WrongPassword { locks: t.locks() }))
        }
        Attempt::Locked { until_reset } => {
            record(svc, who.chart, refused, client).await?;
            Err(if until_reset { PortalError::LockedUntilReset } else { PortalError::Locked })
        }
        Attempt::Gone => Err(PortalError::InvalidCredentials),
    }
}

/// `Some` when `password` matches `hash`: the check [`lockout::attempt`] runs.
pub(crate) async fn matches(svc: &Services, password: String, hash: String) -> Result<Option<()>, PortalError> {
    Ok(svc.hasher.verify(password, Some(hash)).await?.then_some(()))
}
