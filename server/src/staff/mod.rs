//! Staff (SPEC §3): accounts created from the CLI, their sign-in, and the
//! console's reads and actions on patient charts.

pub mod actions;
pub mod charts;
pub mod findings;
pub mod port;
pub mod signin;

use app::email::EmailAddress;

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
