//! Server functions of the signed-in patient's account settings (SPEC §2.5).
//! Each change needs the current password; plain form posts come back to
//! `/settings` with the outcome.

use leptos::prelude::*;

use crate::error::PortalError;
use crate::secret::{Password, SecurityAnswer};
#[cfg(feature = "ssr")]
use crate::settings::Change;
use crate::settings::{SettingsError, SettingsView};

#[server(prefix = "/api", endpoint = "settings")]
pub async fn load_settings() -> Result<Option<SettingsView>, PortalError> {
    let (port, cx) = crate::port::settings()?;
    port.settings(&cx).await
}

#[cfg(feature = "ssr")]
pub(crate) fn after(port: &dyn crate::port::Settings, cx: &crate::port::HttpCx, change: Change, result: &Result<(), SettingsError>) {
    if cx.native_form() {
        // The page shows the outcome, success and refusal alike.
        port.remember_outcome(cx, change, result);
    }
    cx.post_redirect_get(result, "/settings", |_| "/settings".into());
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current: Password, password: Password, confirm: Password) -> Result<(), SettingsError> {
    let (port, cx) = crate::port::settings()?;
    let result = port.change_password(&cx, &current, &password, &confirm).await;
    after(port.as_ref(), &cx, Change::Password, &result);
    result
}

#[server(prefix = "/api", endpoint = "change_question")]
pub async fn change_question(current: Password, question: String, answer: SecurityAnswer) -> Result<(), SettingsError> {
    let (port, cx) = crate::port::settings()?;
    let result = port.change_question(&cx, &current, &question, &answer).await;
    after(port.as_ref(), &cx, Change::Question, &result);
    result
}

/// "Remove" beside a passkey: no prompt; the page confirms it.
#[server(prefix = "/api", endpoint = "remove_passkey")]
pub async fn remove_passkey(id: i64) -> Result<(), SettingsError> {
    let (port, cx) = crate::port::settings()?;
    let result = port.remove_passkey(&cx, id).await;
    after(port.as_ref(), &cx, Change::PasskeyRemoved, &result);
    result
}

#[server(prefix = "/api", endpoint = "change_mobile")]
pub async fn change_mobile(current: Password, phone: String) -> Result<(), SettingsError> {
    let (port, cx) = crate::port::settings()?;
    let result = port.change_mobile(&cx, &current, &phone).await;
    after(port.as_ref(), &cx, Change::Mobile, &result);
    result
}
