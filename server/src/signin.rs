//! Patient sign-in (SPEC §2.1): one message for every wrong username or
//! password, a dummy hash for unknown usernames, the lock after 5 failures,
//! and a fresh session on success (the old id is never reused).

use app::error::PortalError;
use app::ids::PatientId;
use app::secret::Password;
use app::username::Username;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::credentials::HashError;
use crate::store::{accounts, outage, Tx};
use crate::store::states::EnrollmentState;
use crate::lockout::{self, LockHolder, LockState, Taken, Try};
use crate::sessions::{self, Person, SessionToken};
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::two_step::second_step;
use crate::Services;

/// Logs the cause and hands the browser the generic message, or, when the
/// database is away, the message that says to come back in a few minutes.
pub fn internal<E: std::fmt::Display + 'static>(e: E) -> PortalError {
    let any = &e as &dyn std::any::Any;
    let away = any.downcast_ref::<sqlx::Error>().is_some_and(outage::is_outage)
        || any.downcast_ref::<anyhow::Error>().is_some_and(|e| outage::caused_by_outage(e.as_ref()));
    if away {
        tracing::warn!(error = %e, "database unavailable");
        // The web layer gives the answer (or the page being rendered) its 503.
        return PortalError::Unavailable;
    }
    tracing::error!(error = %e, "internal error");
    PortalError::Internal
}

/// Every refusal with a `Portal(PortalError)` case: the one way its
/// internal failures become [`internal`]'s answer (`E::internal`).
pub trait Internal: From<PortalError> {
    fn internal(e: impl std::fmt::Display + 'static) -> Self {
        Self::from(internal(e))
    }
}

impl<E: From<PortalError>> Internal for E {}

impl From<HashError> for PortalError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => PortalError::Busy,
            HashError::Failed(e) => internal(e),
        }
    }
}

async fn record(svc: &Services, patient_id: Option<PatientId>, event: Event, client: &ClientMeta) -> Result<(), PortalError> {
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
    let detail = format!("{}={}", crate::staff::words::FAILED_ATTEMPTS, counted.failures);
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event, detail: &detail, client };
    svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// Takes a try at the account's lock before a password is checked: the
/// counted try, or the refusal of a locked account (audited as `refused_event`).
pub(crate) async fn take_try(svc: &Services, who: Person, client: &ClientMeta, refused_event: Event) -> Result<Try, PortalError> {
    match lockout::take(&svc.lockout, LockHolder::Account(who.account), svc.clock.now()).await.map_err(internal)? {
        Taken::Counted(t) => Ok(t),
        Taken::Locked { until_reset } => {
            record(svc, who.chart, refused_event, client).await?;
            Err(if until_reset { PortalError::LockedUntilReset } else { PortalError::Locked })
        }
        Taken::Gone => Err(PortalError::InvalidCredentials),
    }
}

/// Checks `password` against `hash` for a counted try; a check that could
/// not run (no hashing thread free) gives the try back.
pub(crate) async fn check_password(svc: &Services, t: &Try, password: String, hash: String) -> Result<bool, PortalError> {
    match svc.hasher.verify(password, Some(hash)).await {
        Ok(matched) => Ok(matched),
        Err(e) => {
            lockout::give_back(&svc.lockout, t).await.map_err(internal)?;
            Err(e.into())
        }
    }
}

async fn open_session(
    svc: &Services,
    who: Person,
    t: &Try,
    old: Option<&SessionToken>,
    client: &ClientMeta,
) -> Result<SessionToken, PortalError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    if !lockout::settle(&svc.lockout, &mut tx, t, at).await.map_err(internal)? {
        drop(tx);
        record(svc, who.chart, Event::SignInRefusedLocked, client).await?;
        return Err(PortalError::Locked);
    }
    let token = start_session(svc, &mut tx, who, old, Proved::Password, client, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(token)
}

/// What proved who opens a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proved {
    /// A password (two-step verification off, or the device remembered).
    Password,
    /// A password and then the second step.
    SecondStep,
    Passkey,
    /// A registration from an invitation.
    Registration,
}

impl Proved {
    /// How the audit log's `sign_in` names it (empty for a password).
    fn how(self) -> &'static str {
        match self {
            Proved::Password | Proved::SecondStep => "",
            Proved::Passkey => "passkey",
            Proved::Registration => "registration",
        }
    }

    /// Whether it counts as a second step passed (SPEC §5's recent second step).
    fn steps_up(self) -> bool {
        matches!(self, Proved::SecondStep | Proved::Passkey)
    }
}

/// The one way a patient's session opens, in `tx`, once whatever proves who
/// they are has passed (a password and the lock, a second step, a passkey, a
/// registration): the account is marked signed in, the session this browser
/// presented ends (an id is never reused), a fresh one opens on the
/// person's chart (knowing whether a second step opened it), and `sign_in`
/// is audited with how they proved it.
pub(crate) async fn start_session(
    svc: &Services,
    tx: &mut Tx,
    who: Person,
    old: Option<&SessionToken>,
    proved: Proved,
    client: &ClientMeta,
    at: i64,
) -> sqlx::Result<SessionToken> {
    accounts::mark_signed_in(tx, who.account, at).await?;
    if let Some(old) = old {
        sessions::end(tx, old).await?;
    }
    let token = sessions::create_patient(tx, who, at, proved.steps_up().then_some(at)).await?;
    let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event: Event::SignIn, detail: proved.how(), client };
    svc.audit.append(tx, entry, at).await?;
    Ok(token)
}

/// What a right password opens: a session, or (two-step verification on,
/// device not remembered) the second step, whose token goes in its cookie.
#[derive(Debug)]
pub enum SignedIn {
    Session(SessionToken),
    SecondStep(SecretToken),
}

#[tracing::instrument(skip_all)]
pub async fn sign_in(
    svc: &Services,
    client: &ClientMeta,
    old_session: Option<SessionToken>,
    device: Option<SecretToken>,
    username: &str,
    password: &Password,
) -> Result<SignedIn, PortalError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let username = Username::parse(username)?;
    let password = password.for_sign_in()?.to_string();

    let Some(account) = accounts::by_username(&svc.store, username.as_str(), svc.clock.now()).await.map_err(internal)? else {
        lockout::wait_as_long_as_a_take(&svc.lockout).await;
        svc.hasher.verify(password, None).await?;
        record(svc, None, Event::SignInFailedUnknownUsername, client).await?;
        return Err(PortalError::InvalidCredentials);
    };
    // An account that sees no chart (a parent whose child turned 18, a
    // caregiver whose access was removed) still signs in: it is theirs.
    let who = Person { account: account.account_id, chart: account.patient_id };
    let t = take_try(svc, who, client, Event::SignInRefusedLocked).await?;
    if !check_password(svc, &t, password, account.password_hash).await? {
        audit_failure(svc, who, client, Event::SignInFailed, &t.counted()).await?;
        return Err(if t.locks() { PortalError::Locked } else { PortalError::InvalidCredentials });
    }
    match account.state {
        EnrollmentState::Enrolled => match second_step::needed(svc, who.account, account.two_step, device.as_ref()).await? {
            None => open_session(svc, who, &t, old_session.as_ref(), client).await.map(SignedIn::Session),
            Some(method) => {
                // A right password is not a failure: its own try is given back,
                // while earlier failures stay counted until the second step passes.
                lockout::give_back(&svc.lockout, &t).await.map_err(internal)?;
                match second_step::start(svc, who, method, &t, client).await {
                    Err(PortalError::Locked) => {
                        record(svc, who.chart, Event::SignInRefusedLocked, client).await?;
                        Err(PortalError::Locked)
                    }
                    other => other.map(SignedIn::SecondStep),
                }
            }
        },
        EnrollmentState::Revoked => {
            lockout::give_back(&svc.lockout, &t).await.map_err(internal)?;
            record(svc, who.chart, Event::SignInRefusedRevoked, client).await?;
            Err(PortalError::Revoked)
        }
        // No password yet: the check above failed against the dummy hash.
        EnrollmentState::Invited => Err(PortalError::InvalidCredentials),
    }
}

/// Ends the session, if it exists.
pub async fn sign_out(svc: &Services, token: &SessionToken, client: &ClientMeta) -> Result<(), PortalError> {
    let who = sessions::lookup_patient(&svc.store, token, svc.config.session_rules(), svc.clock.now()).await.map_err(internal)?;
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    sessions::end(&mut tx, token).await.map_err(internal)?;
    if let Some(who) = who {
        let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event: Event::SignOut, detail: "", client };
        svc.audit.append(&mut tx, entry, svc.clock.now()).await.map_err(internal)?;
    }
    tx.commit().await.map_err(internal)
}
