//! Server functions of two-step verification (SPEC §2.1, §2.5): the
//! sign-in's second step at `/login/verify`, and the settings section.

use leptos::prelude::*;

use crate::error::PortalError;
use crate::secret::Password;
use crate::settings::SettingsError;
use crate::two_step::{CodesBy, TwoStepError, VerifyView};

/// What `/login/verify` shows.
#[server(prefix = "/api", endpoint = "second_step")]
pub async fn second_step() -> Result<VerifyView, PortalError> {
    let (portal, cx) = crate::web::current()?;
    cx.read(portal.second_step(&cx).await)
}

/// "Verification code" → "Verify"; the check box "Remember this device for 30 days" sends `remember`.
#[server(prefix = "/api", endpoint = "verify")]
pub async fn verify(code: String, remember: Option<String>) -> Result<(), TwoStepError> {
    let (portal, cx) = crate::web::current()?;
    cx.form(portal.verify(&cx, &code, remember.is_some()).await, crate::web::to("/"), after_refusal)
}

/// "Resend code".
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), TwoStepError> {
    let (portal, cx) = crate::web::current()?;
    cx.form(portal.resend(&cx).await, crate::web::to("/login/verify"), after_refusal)
}

/// Where a refused second step goes: back to it, or, once it is over, to `/login`.
#[cfg(feature = "ssr")]
fn after_refusal(e: &TwoStepError) -> String {
    match e {
        TwoStepError::Portal(PortalError::NotSignedIn | PortalError::Locked | PortalError::LockedUntilReset) => "/login".into(),
        _ => "/login/verify".into(),
    }
}

/// "Send code" (`intent` = `send`) or "Turn on" (`intent` = `on`) in the
/// "Two-step verification" section; "Turn on" answers the backup codes.
#[server(prefix = "/api", endpoint = "two_step_setup")]
pub async fn two_step_setup(by: CodesBy, intent: Option<String>, current: Option<Password>, code: Option<String>) -> Result<Vec<String>, SettingsError> {
    let (port, cx) = crate::web::settings()?;
    let (send, current, code) = (intent.as_deref() == Some("send"), current.unwrap_or_default(), code.unwrap_or_default());
    cx.form_on("/settings", port.two_step_setup(&cx, by, send, &current, &code).await)
}

#[server(prefix = "/api", endpoint = "turn_off_two_step")]
pub async fn turn_off_two_step(current: Password) -> Result<(), SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings", port.turn_off_two_step(&cx, &current).await)
}
