//! Staff (SPEC §3): accounts created from the CLI, their sign-in, and the
//! console's reads and actions on patient charts.

pub mod actions;
pub mod charts;
pub mod findings;
pub mod port;
pub mod signin;
pub mod words;

use app::email::EmailAddress;

use crate::audit::{Actor, Event};
use crate::policy::{self, PersonalWords};
use crate::Services;

/// Creates a staff account unless one exists for `email`; true when created.
pub async fn add_if_missing(svc: &Services, email: &str, name: &str, password: &str) -> anyhow::Result<bool> {
    let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        anyhow::bail!("--name must be 1 to 100 characters");
    }
    policy::check(password, &PersonalWords { usernames: &[email.as_str()], dob: None })
        .map_err(|e| anyhow::anyhow!("password: {e}"))?;
    if crate::store::staff::by_email(&svc.store, email.as_str()).await?.is_some() {
        return Ok(false);
    }
    let hash = svc.hasher.hash(password.to_string()).await?;
    crate::store::staff::insert(&svc.store, email.as_str(), name, &hash, svc.clock.now()).await?;
    Ok(true)
}

/// What the CLI's `portal staff disable | enable | unlock | reset-mfa` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manage {
    /// No more sign-ins; every session and pending sign-in ends.
    Disable,
    Enable,
    /// Clears the lock after failed passwords or codes.
    Unlock,
    /// Forgets the authenticator: the next sign-in sets up a new one.
    ResetMfa,
}

impl Manage {
    fn event(self) -> Event {
        match self {
            Manage::Disable => Event::StaffDisabled,
            Manage::Enable => Event::StaffEnabled,
            Manage::Unlock => Event::StaffUnlocked,
            Manage::ResetMfa => Event::StaffAuthenticatorReset,
        }
    }
}

/// Applies `what` to the staff account of `email`, audited, in one transaction.
pub async fn manage(svc: &Services, email: &str, what: Manage) -> anyhow::Result<()> {
    use crate::store::staff as store;
    let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await?;
    let Some(id) = store::id_of(&mut tx, email.as_str()).await? else {
        anyhow::bail!("no staff account for {}", email.as_str());
    };
    match what {
        Manage::Disable => {
            store::set_disabled(&mut tx, id, Some(at)).await?;
            crate::sessions::end_all_of_staff(&mut tx, id).await?;
            store::end_challenges(&mut tx, id).await?;
        }
        Manage::Enable => store::set_disabled(&mut tx, id, None).await?,
        Manage::Unlock => {
            crate::lockout::clear(&mut tx, crate::lockout::LockHolder::Staff(id), at).await?;
        }
        Manage::ResetMfa => {
            store::reset_second_factor(&mut tx, id).await?;
            store::end_challenges(&mut tx, id).await?;
            // A session opened with the old authenticator ends with it (SPEC §5).
            crate::sessions::end_all_of_staff(&mut tx, id).await?;
        }
    }
    let actor = Actor::Staff(id);
    let client = crate::client::ClientMeta::cli();
    let entry = crate::audit::Entry { patient_id: None, actor, event: what.event(), detail: "", client: &client };
    svc.audit.append(&mut tx, entry, at).await?;
    tx.commit().await?;
    Ok(())
}

/// `portal staff list`: one line per account, tab-separated.
pub async fn list(svc: &Services) -> anyhow::Result<Vec<String>> {
    let now = svc.clock.now();
    Ok(crate::store::staff::list(&svc.store)
        .await?
        .into_iter()
        .map(|r| {
            let state = if r.disabled_at.is_some() { "disabled" } else { "active" };
            let second = if r.totp_enrolled_at.is_some() { "authenticator set up" } else { "authenticator not set up" };
            let lock = match r.locked_until.filter(|u| *u > now) {
                Some(u) => format!("locked until {}", svc.config.local_date_time(u)),
                None => "not locked".into(),
            };
            format!("{}\t{}\t{state}\t{second}\t{lock}", r.email, r.name)
        })
        .collect())
}
