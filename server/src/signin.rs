//! Patient sign-in (SPEC §2.1): one message for every wrong username or
//! password, a dummy hash for unknown usernames, the lock after 5 failures,
//! and a fresh session on success (the old id is never reused).

use app::error::PortalError;
use app::secret::Password;
use app::username::Username;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::password::{check_password, record};
use crate::store::accounts;
use crate::store::states::EnrollmentState;
use crate::lockout::{self, Try};
use crate::sessions::{self, Person, Proved, SessionToken};
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::two_step::second_step;
use crate::Services;

use crate::internal::internal;

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
    let token = sessions::start(svc, &mut tx, who, old, Proved::Password, client, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
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
    let secret = (password, account.password_hash);
    let t = match check_password(svc, who, client, secret, Event::SignInFailed, Event::SignInRefusedLocked).await? {
        Ok(t) => t,
        Err(wrong) => return Err(if wrong.locks { PortalError::Locked } else { PortalError::InvalidCredentials }),
    };
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
