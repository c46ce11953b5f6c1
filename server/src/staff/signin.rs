//! Staff sign-in: the rules of patient sign-in (SPEC §2.1, §3) on the staff
//! accounts — one message for any wrong email or password, a dummy hash for
//! unknown ones, the lock after 5 failures, a fresh session each time.

use app::error::PortalError;
use app::secret::Password;
use app::username::Username;

use crate::audit::{self, Entry};
use crate::client::ClientMeta;
use crate::lockout::LockState;
use crate::sessions::{self, SessionToken, Subject};
use crate::signin::internal;
use crate::store::now;
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
        format!("staff:{}", self.name)
    }
}

async fn note(svc: &Services, actor: &str, event: &str, client: &ClientMeta) -> Result<(), PortalError> {
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let entry = Entry { patient_id: None, actor, event, detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, now()).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}

pub async fn sign_in(svc: &Services, client: &ClientMeta, old: Option<SessionToken>, email: &str, password: &Password) -> Result<SessionToken, PortalError> {
    svc.throttle.check(Endpoint::SignIn, client.ip)?;
    let email = Username::parse(email)?;
    let password = password.for_sign_in()?.to_string();
    let row: Option<(i64, String, String, i64, Option<i64>)> =
        sqlx::query_as("SELECT id, name, password_hash, failed_attempts, locked_until FROM staff_accounts WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&svc.store.pool)
            .await
            .map_err(internal)?;
    let Some((id, name, hash, failures, locked_until)) = row else {
        svc.hasher.verify(password, None).await?;
        note(svc, "anonymous", "staff_sign_in_failed_unknown", client).await?;
        return Err(PortalError::InvalidCredentials);
    };
    let actor = StaffMember { id, name }.actor();
    let lock = LockState { failures, locked_until };
    let at = now();
    if lock.is_locked(at) {
        svc.hasher.verify(password, None).await?;
        note(svc, &actor, "staff_sign_in_refused_locked", client).await?;
        return Err(PortalError::Locked);
    }
    if !svc.hasher.verify(password, Some(hash)).await? {
        let next = lock.after_failure(at);
        sqlx::query("UPDATE staff_accounts SET failed_attempts = $1, locked_until = $2 WHERE id = $3")
            .bind(next.failures)
            .bind(next.locked_until)
            .bind(id)
            .execute(&svc.store.pool)
            .await
            .map_err(internal)?;
        note(svc, &actor, "staff_sign_in_failed", client).await?;
        return Err(if next.is_locked(at) { PortalError::Locked } else { PortalError::InvalidCredentials });
    }
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    sqlx::query("UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    if let Some(old) = &old {
        sessions::end(&mut tx, old).await.map_err(internal)?;
    }
    let token = sessions::create(&mut tx, Subject::Staff, id, at).await.map_err(internal)?;
    let entry = Entry { patient_id: None, actor: &actor, event: "staff_sign_in", detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(token)
}

/// The staff member of a session, touching its idle timer.
pub async fn current(svc: &Services, token: &SessionToken) -> Result<Option<StaffMember>, PortalError> {
    let Some(id) = sessions::lookup(&svc.store, token, Subject::Staff, svc.config.session_rules(), now()).await.map_err(internal)? else {
        return Ok(None);
    };
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM staff_accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(&svc.store.pool)
        .await
        .map_err(internal)?;
    Ok(name.map(|name| StaffMember { id, name }))
}

pub async fn sign_out(svc: &Services, token: &SessionToken) -> Result<(), PortalError> {
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    sessions::end(&mut tx, token).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}
