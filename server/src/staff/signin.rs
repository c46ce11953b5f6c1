//! Staff sign-in: the rules of patient sign-in (SPEC §2.1, §3) on the staff
//! accounts — one message for any wrong email or password, a dummy hash for
//! unknown ones, the lock after 5 failures, a fresh session each time.

use app::error::PortalError;
use app::secret::Password;
use app::username::Username;

use crate::audit::Entry;
use crate::client::ClientMeta;
use crate::lockout::{self, LockHolder, Taken};
use crate::sessions::{self, SessionToken, Subject};
use crate::signin::{check_password, internal};
use crate::store::staff as staff_store;
use crate::throttle::Endpoint;
use crate::Services;

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
}

impl StaffMember {
    /// How the audit log names them.
    pub fn actor(&self) -> String {
        format!("staff:{}", self.id)
    }
}

async fn note(svc: &Services, actor: &str, event: &str, client: &ClientMeta) -> Result<(), PortalError> {
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let entry = Entry { patient_id: None, actor, event, detail: "", client };
    svc.audit.append(&mut tx, entry, svc.clock.now()).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}

pub async fn sign_in(svc: &Services, client: &ClientMeta, old: Option<SessionToken>, email: &str, password: &Password) -> Result<SessionToken, PortalError> {
    svc.throttle.check(Endpoint::SignIn, client.ip)?;
    let email = Username::parse(email)?;
    let password = password.for_sign_in()?.to_string();
    let Some(staff_store::StaffRow { id, name, password_hash: hash }) = staff_store::by_email(&svc.store, email.as_str()).await.map_err(internal)? else {
        lockout::wait_as_long_as_a_take(&svc.store).await;
        svc.hasher.verify(password, None).await?;
        note(svc, "anonymous", "staff_sign_in_failed_unknown", client).await?;
        return Err(PortalError::InvalidCredentials);
    };
    let actor = StaffMember { id, name }.actor();
    let t = match lockout::take(&svc.store, LockHolder::Staff(id), svc.clock.now()).await.map_err(internal)? {
        Taken::Counted(t) => t,
        Taken::Locked => {
            note(svc, &actor, "staff_sign_in_refused_locked", client).await?;
            return Err(PortalError::Locked);
        }
        Taken::Gone => return Err(PortalError::InvalidCredentials),
    };
    if !check_password(svc, &t, password, Some(hash)).await? {
        note(svc, &actor, "staff_sign_in_failed", client).await?;
        return Err(if t.locks() { PortalError::Locked } else { PortalError::InvalidCredentials });
    }
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    if !lockout::settle(&svc.store, &mut tx, &t, at).await.map_err(internal)? {
        drop(tx);
        note(svc, &actor, "staff_sign_in_refused_locked", client).await?;
        return Err(PortalError::Locked);
    }
    if let Some(old) = &old {
        sessions::end(&mut tx, old).await.map_err(internal)?;
    }
    let token = sessions::create(&mut tx, Subject::Staff, id, at).await.map_err(internal)?;
    let entry = Entry { patient_id: None, actor: &actor, event: "staff_sign_in", detail: "", client };
    svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(token)
}

/// The staff member of a session, touching its idle timer.
pub async fn current(svc: &Services, token: &SessionToken) -> Result<Option<StaffMember>, PortalError> {
    let Some(id) = sessions::lookup(&svc.store, token, Subject::Staff, svc.config.session_rules(), svc.clock.now()).await.map_err(internal)? else {
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
