//! Server functions of two-step verification (SPEC §2.1, §2.5): the
//! sign-in's second step at `/login/verify`, and the settings section.

use leptos::prelude::*;

use crate::error::PortalError;
use crate::secret::Password;
use crate::settings::SettingsError;
#[cfg(feature = "ssr")]
use crate::settings::Change;
use crate::two_step::{CodesBy, TwoStepError, VerifyView};

/// What `/login/verify` shows.
#[server(prefix = "/api", endpoint = "second_step")]
pub async fn second_step() -> Result<VerifyView, PortalError> {
    let (portal, cx) = crate::port::current()?;
    portal.second_step(&cx).await
}

/// "Verification code" → "Verify"; the check box "Remember this device for 30 days" sends `remember`.
#[server(prefix = "/api", endpoint = "verify")]
pub async fn verify(code: String, remember: Option<String>) -> Result<(), TwoStepError> {
    let (portal, cx) = crate::port::current()?;
    let result = portal.verify(&cx, &code, remember.is_some()).await;
    cx.post_redirect_get(&result, "/", |e| after_refusal(portal.as_ref(), &cx, e));
    result
}

/// "Resend code".
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), TwoStepError> {
    let (portal, cx) = crate::port::current()?;
    let result = portal.resend(&cx).await;
    cx.post_redirect_get(&result, "/login/verify", |e| after_refusal(portal.as_ref(), &cx, e));
    result
}

/// Where a refused second step goes: back to it with the refusal, or, once
/// it is over, to `/login`.
#[cfg(feature = "ssr")]
fn after_refusal(portal: &dyn crate::port::Portal, cx: &crate::port::HttpCx, e: &TwoStepError) -> String {
    match e {
        TwoStepError::Portal(PortalError::NotSignedIn) => "/login".into(),
        TwoStepError::Portal(PortalError::Locked) => {
            portal.remember_login_error(cx, &PortalError::Locked, "");
            "/login".into()
        }
        e => {
            portal.remember_verify_error(cx, e);
            "/login/verify".into()
        }
    }
}

/// "Send code" (`intent` = `send`) or "Turn on" (`intent` = `on`) in the
/// "Two-step verification" section; "Turn on" answers the backup codes.
#[server(prefix = "/api", endpoint = "two_step_setup")]
pub async fn two_step_setup(by: CodesBy, intent: Option<String>, current: Option<Password>, code: Option<String>) -> Result<Vec<String>, SettingsError> {
    let (port, cx) = crate::port::settings()?;
    let send = intent.as_deref() == Some("send");
    let result = port.two_step_setup(&cx, by, send, &current.unwrap_or_default(), code.as_deref().unwrap_or_default()).await;
    let change = if send { Change::CodeSent } else { Change::TwoStepOn };
    crate::api::settings::after(port.as_ref(), &cx, change, &result.as_ref().map(drop).map_err(Clone::clone));
    result
}

#[server(prefix = "/api", endpoint = "turn_off_two_step")]
pub async fn turn_off_two_step(current: Password) -> Result<(), SettingsError> {
    let (port, cx) = crate::port::settings()?;
    let result = port.turn_off_two_step(&cx, &current).await;
    crate::api::settings::after(port.as_ref(), &cx, Change::TwoStepOff, &result);
    result
}
