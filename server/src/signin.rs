//! Patient sign-in (SPEC §2.1): one message for every wrong username or
//! password, a dummy hash for unknown usernames, the lock after 5 failures,
//! and a fresh session on success (the old id is never reused).

use app::error::PortalError;
use app::secret::Password;
use app::username::Username;

use crate::audit::{self, Entry};
use crate::client::ClientMeta;
use crate::credentials::HashError;
use crate::lockout::LockState;
use crate::sessions::{self, SessionToken, Subject};
use crate::store::now;
use crate::throttle::Endpoint;
use crate::Services;

/// Logs the cause and hands the browser the generic message.
pub fn internal(e: impl std::fmt::Display) -> PortalError {
    tracing::error!(error = %e, "internal error");
    PortalError::Internal
}

impl From<HashError> for PortalError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => PortalError::Busy,
            HashError::Failed(e) => internal(e),
        }
    }
}

struct Account {
    patient_id: i64,
    state: String,
    password_hash: Option<String>,
    lock: LockState,
}

async fn find_account(svc: &Services, username: &Username) -> Result<Option<Account>, PortalError> {
    let row: Option<(i64, String, Option<String>, i64, Option<i64>)> = sqlx::query_as(
        "SELECT patient_id, state, password_hash, failed_attempts, locked_until FROM portal_accounts WHERE username = $1",
    )
    .bind(username.as_str())
    .fetch_optional(&svc.store.pool)
    .await
    .map_err(internal)?;
    Ok(row.map(|(patient_id, state, password_hash, failures, locked_until)| Account {
        patient_id,
        state,
        password_hash,
        lock: LockState { failures, locked_until },
    }))
}

async fn record(svc: &Services, patient_id: Option<i64>, event: &str, client: &ClientMeta) -> Result<(), PortalError> {
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let actor = if patient_id.is_some() { "patient" } else { "anonymous" };
    let entry = Entry { patient_id, actor, event, detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, now()).await.map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// Counts a failure toward the lock, atomically across instances; returns
/// whether the account is now locked. `event` names what failed in the audit
/// log (`_account_locked` is added when this failure locked the account).
pub(crate) async fn record_failure(svc: &Services, patient_id: i64, client: &ClientMeta, event: &str) -> Result<bool, PortalError> {
    let at = now();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!(
        "SELECT failed_attempts, locked_until FROM portal_accounts WHERE patient_id = $1{}",
        svc.store.for_update()
    );
    let (failures, locked_until): (i64, Option<i64>) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(patient_id).fetch_one(&mut *tx).await.map_err(internal)?;
    let next = LockState { failures, locked_until }.after_failure(at);
    sqlx::query("UPDATE portal_accounts SET failed_attempts = $1, locked_until = $2, updated_at = $3 WHERE patient_id = $4")
        .bind(next.failures)
        .bind(next.locked_until)
        .bind(at)
        .bind(patient_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let locked = next.is_locked(at);
    let event = if locked { format!("{event}_account_locked") } else { event.to_string() };
    let detail = format!("failed_attempts={}", next.failures);
    let entry = Entry { patient_id: Some(patient_id), actor: "patient", event: &event, detail: &detail, client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(locked)
}

async fn open_session(
    svc: &Services,
    patient_id: i64,
    old: Option<&SessionToken>,
    client: &ClientMeta,
) -> Result<SessionToken, PortalError> {
    let at = now();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    sqlx::query(
        "UPDATE portal_accounts SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = $1, updated_at = $1 \
         WHERE patient_id = $2",
    )
    .bind(at)
    .bind(patient_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if let Some(old) = old {
        sessions::end(&mut tx, old).await.map_err(internal)?;
    }
    let token = sessions::create(&mut tx, Subject::Patient, patient_id, at).await.map_err(internal)?;
    let entry = Entry { patient_id: Some(patient_id), actor: "patient", event: "sign_in", detail: "", client };
    audit::append(&mut tx, svc.store.dialect, entry, at).await.map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(token)
}

#[tracing::instrument(skip_all)]
pub async fn sign_in(
    svc: &Services,
    client: &ClientMeta,
    old_session: Option<SessionToken>,
    username: &str,
    password: &Password,
) -> Result<SessionToken, PortalError> {
    svc.throttle.check(Endpoint::SignIn, client.ip)?;
    let username = Username::parse(username)?;
    let password = password.for_sign_in()?.to_string();

    let Some(account) = find_account(svc, &username).await? else {
        svc.hasher.verify(password, None).await?;
        record(svc, None, "sign_in_failed_unknown_username", client).await?;
        return Err(PortalError::InvalidCredentials);
    };
    if account.lock.is_locked(now()) {
        svc.hasher.verify(password, None).await?;
        record(svc, Some(account.patient_id), "sign_in_refused_locked", client).await?;
        return Err(PortalError::Locked);
    }
    let matched = svc.hasher.verify(password, account.password_hash).await?;
    if !matched {
        let locked = record_failure(svc, account.patient_id, client, "sign_in_failed").await?;
        return Err(if locked { PortalError::Locked } else { PortalError::InvalidCredentials });
    }
    match account.state.as_str() {
        "enrolled" => open_session(svc, account.patient_id, old_session.as_ref(), client).await,
        "revoked" => {
            record(svc, Some(account.patient_id), "sign_in_refused_revoked", client).await?;
            Err(PortalError::Revoked)
        }
        _ => Err(PortalError::InvalidCredentials),
    }
}

/// Ends the session, if it exists.
pub async fn sign_out(svc: &Services, token: &SessionToken, client: &ClientMeta) -> Result<(), PortalError> {
    let patient = sessions::lookup(&svc.store, token, Subject::Patient, svc.config.session_rules(), now())
        .await
        .map_err(internal)?;
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    sessions::end(&mut tx, token).await.map_err(internal)?;
    if let Some(patient_id) = patient {
        let entry = Entry { patient_id: Some(patient_id), actor: "patient", event: "sign_out", detail: "", client };
        audit::append(&mut tx, svc.store.dialect, entry, now()).await.map_err(internal)?;
    }
    tx.commit().await.map_err(internal)
}
