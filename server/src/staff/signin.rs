//! Staff sign-in: the rules of patient sign-in (SPEC §2.1, §3) on the staff
//! accounts — one message for any wrong email or password, a dummy hash for
//! unknown ones, the lock after 5 failures — then always the second step: a
//! right password only opens a 10-minute challenge, and the session comes
//! with a right authenticator code. Wrong codes count toward the same lock,
//! and the count is cleared only when the code is right.

use app::ids::StaffId;
use app::error::PortalError;
use app::secret::Password;
use app::username::Username;

use crate::audit::{Actor, Entry, Event};
use crate::authenticator::Authenticator;
use crate::tokens::SecretToken;
use crate::client::ClientMeta;
use crate::lockout::{self, Attempt, LockHolder, Try};
use crate::sessions::{self, SessionToken};
use crate::internal::internal;
use crate::password::matches;
use crate::store::staff as staff_store;
use crate::throttle::Endpoint;
use crate::Services;

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: StaffId,
    pub name: String,
}

impl StaffMember {
    /// How the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor::Staff(self.id)
    }
}

async fn note(svc: &Services, actor: Actor, event: Event, client: &ClientMeta) -> Result<(), PortalError> {
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let entry = Entry { patient_id: None, actor, event, detail: "", client };
    svc.audit.append(&mut tx, entry, svc.clock.now()).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// A staff member's locked account: the try refused (uncounted) and audited.
async fn refuse_locked(svc: &Services, actor: Actor, client: &ClientMeta) -> PortalError {
    match note(svc, actor, Event::StaffSignInRefusedLocked, client).await {
        Ok(()) => PortalError::Locked,
        Err(e) => e,
    }
}

/// The AAD of a staff member's sealed authenticator secret.
pub const SEALED_AS: &str = "totp";

/// How long a right password waits for its code.
pub const CHALLENGE_SECS: i64 = 10 * 60;

/// The password step: a right password for an enabled account opens a
/// challenge (its token goes in a cookie); no session yet. Failed tries
/// before it stay counted until the code is right.
pub async fn sign_in(svc: &Services, client: &ClientMeta, email: &str, password: &Password) -> Result<SecretToken, PortalError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let email = Username::parse(email)?;
    let password = password.for_sign_in()?.to_string();
    let Some(staff_store::StaffRow { id, name, password_hash: hash, disabled_at }) = staff_store::by_email(&svc.store, email.as_str()).await.map_err(internal)? else {
        lockout::wait_as_long_as_a_take(&svc.lockout).await;
        svc.hasher.verify(password, None).await?;
        note(svc, Actor::Anonymous, Event::StaffSignInFailedUnknown, client).await?;
        return Err(PortalError::InvalidCredentials);
    };
    let actor = StaffMember { id, name }.actor();
    let t = match lockout::attempt(&svc.lockout, LockHolder::Staff(id), svc.clock.now(), matches(svc, password, hash)).await? {
        Attempt::Right(t, ()) => t,
        Attempt::Wrong(t) => {
            note(svc, actor, Event::StaffSignInFailed, client).await?;
            return Err(if t.locks() { PortalError::Locked } else { PortalError::InvalidCredentials });
        }
        Attempt::Locked { .. } => return Err(refuse_locked(svc, actor, client).await),
        Attempt::Gone => return Err(PortalError::InvalidCredentials),
    };
    if disabled_at.is_some() {
        note(svc, actor, Event::StaffSignInRefusedDisabled, client).await?;
        return Err(PortalError::InvalidCredentials);
    }
    // A right password is not a failure: its own try is given back, while
    // earlier failures stay counted until the code is right.
    lockout::give_back(&svc.lockout, &t).await.map_err(internal)?;
    offer_authenticator(svc, id).await?;
    let at = svc.clock.now();
    let token = SecretToken::generate();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    if !lockout::still_open(&svc.lockout, &mut tx, &t, at).await.map_err(internal)? {
        drop(tx);
        return Err(refuse_locked(svc, actor, client).await);
    }
    staff_store::insert_challenge(&mut tx, &token.storage_key(), id, at, at + CHALLENGE_SECS).await.map_err(internal)?;
    svc.audit.append(&mut tx, Entry { patient_id: None, actor, event: Event::StaffPasswordOk, detail: "", client }, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(token)
}

/// Makes a fresh authenticator secret for each sign-in of a staff member
/// whose authenticator is not set up (the first sign-in, or after `portal
/// staff reset-mfa`): a secret someone saw on an earlier attempt's page
/// never becomes the one that is set up.
async fn offer_authenticator(svc: &Services, id: StaffId) -> Result<(), PortalError> {
    // Kept only while it is not set up (the store's condition).
    let sealed = svc.authenticators.seal(SEALED_AS, &id.to_string(), &Authenticator::new_secret());
    staff_store::offer_secret(&svc.store, id, &sealed).await.map_err(internal)?;
    Ok(())
}

/// The staff member's authenticator and whether it is set up yet.
async fn authenticator(svc: &Services, id: StaffId, email: &str) -> Result<(Authenticator, bool, i64), PortalError> {
    let row = staff_store::second_factor(&svc.store, id).await.map_err(internal)?.ok_or(PortalError::NotSignedIn)?;
    let sealed = row.totp_secret.ok_or(PortalError::NotSignedIn)?;
    let secret = svc.authenticators.open(SEALED_AS, &id.to_string(), &sealed).map_err(internal)?;
    let a = Authenticator::new(&secret, email).map_err(internal)?;
    Ok((a, row.totp_enrolled_at.is_some(), row.totp_last_step))
}

/// The second step of a challenge: what the page shows.
pub struct SecondStep {
    pub staff_id: StaffId,
    /// While the authenticator is not set up: the secret as text, and the QR code (SVG).
    pub setup: Option<(String, String)>,
}

/// The enabled staff member (id, name, email) a live challenge is for.
async fn challenged(svc: &Services, token: &SecretToken) -> Result<Option<(StaffId, String, String)>, PortalError> {
    let Some(id) = staff_store::challenge(&svc.store, &token.storage_key(), svc.clock.now()).await.map_err(internal)? else {
        return Ok(None);
    };
    let identity = staff_store::name_and_email(&svc.store, id).await.map_err(internal)?;
    Ok(identity.map(|(name, email)| (id, name, email)))
}

/// The second step the challenge `token` is at, if it is live.
pub async fn second_step(svc: &Services, token: &SecretToken) -> Result<Option<SecondStep>, PortalError> {
    let Some((id, _, email)) = challenged(svc, token).await? else { return Ok(None) };
    let (a, enrolled, _) = authenticator(svc, id, &email).await?;
    Ok(Some(SecondStep { staff_id: id, setup: (!enrolled).then(|| (a.secret_text(), a.qr_svg())) }))
}

/// "Verification code" → "Verify": a right code of an unused step makes the
/// session (and sets the authenticator up, the first time).
pub async fn verify(svc: &Services, client: &ClientMeta, challenge: &SecretToken, old: Option<SessionToken>, code: &str) -> Result<SessionToken, PortalError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let Some((id, name, email)) = challenged(svc, challenge).await? else { return Err(PortalError::NotSignedIn) };
    let actor = StaffMember { id, name }.actor();
    let at = svc.clock.now();
    // A secret no key given opens (a rotation missing its old key) is our
    // fault, not a wrong code: the attempt gives its try back.
    let check = async {
        let (a, enrolled, last_step) = authenticator(svc, id, &email).await?;
        Ok::<_, PortalError>(a.step_of(code, at).filter(|s| *s > last_step).map(|used| (used, enrolled)))
    };
    let wrong = |t: &Try| if t.locks() { PortalError::Locked } else { PortalError::WrongVerificationCode };
    let (t, (used, enrolled)) = match lockout::attempt(&svc.lockout, LockHolder::Staff(id), at, check).await? {
        Attempt::Right(t, found) => (t, found),
        Attempt::Wrong(t) => {
            note(svc, actor, Event::StaffCodeFailed, client).await?;
            return Err(wrong(&t));
        }
        Attempt::Locked { .. } => return Err(refuse_locked(svc, actor, client).await),
        Attempt::Gone => return Err(PortalError::NotSignedIn),
    };
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    if !lockout::settle(&svc.lockout, &mut tx, &t, at).await.map_err(internal)? {
        drop(tx);
        return Err(refuse_locked(svc, actor, client).await);
    }
    if !staff_store::use_step(&mut tx, id, used, at).await.map_err(internal)? {
        // Another request used this code first: nothing of this transaction stays, the try stays counted.
        drop(tx);
        note(svc, actor, Event::StaffCodeFailed, client).await?;
        return Err(wrong(&t));
    }
    staff_store::end_challenges(&mut tx, id).await.map_err(internal)?;
    if let Some(old) = &old {
        sessions::end(&mut tx, old).await.map_err(internal)?;
    }
    let token = sessions::create_staff(&mut tx, id, at).await.map_err(internal)?;
    if !enrolled {
        svc.audit.append(&mut tx, Entry { patient_id: None, actor, event: Event::StaffAuthenticatorSetUp, detail: "", client }, at).await.map_err(internal)?;
    }
    svc.audit.append(&mut tx, Entry { patient_id: None, actor, event: Event::StaffSignIn, detail: "", client }, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(token)
}

/// The staff member of a session, touching its idle timer.
pub async fn current(svc: &Services, token: &SessionToken) -> Result<Option<StaffMember>, PortalError> {
    let Some(id) = sessions::lookup_staff(&svc.store, token, svc.config.session_rules(), svc.clock.now()).await.map_err(internal)? else {
        return Ok(None);
    };
    let name = staff_store::name_of(&svc.store, id).await.map_err(internal)?;
    Ok(name.map(|name| StaffMember { id, name }))
}

pub async fn sign_out(svc: &Services, token: &SessionToken) -> Result<(), PortalError> {
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    sessions::end(&mut tx, token).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}
