//! Server functions of the signed-in patient's account settings (SPEC §2.5).
//! Each change needs the current password; plain form posts come back to
//! `/settings` with the outcome.

use leptos::prelude::*;

use crate::error::PortalError;
use crate::secret::{Password, SecurityAnswer};
use crate::settings::{SettingsError, SettingsView};

#[server(prefix = "/api", endpoint = "settings")]
pub async fn load_settings() -> Result<Option<SettingsView>, PortalError> {
    let (port, cx) = crate::web::settings()?;
    cx.read(port.settings(&cx).await)
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current: Password, password: Password, confirm: Password) -> Result<(), SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings", port.change_password(&cx, &current, &password, &confirm).await)
}

#[server(prefix = "/api", endpoint = "change_question")]
pub async fn change_question(current: Password, question: String, answer: SecurityAnswer) -> Result<(), SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings", port.change_question(&cx, &current, &question, &answer).await)
}

/// "Remove" beside a passkey: no prompt; the page confirms it.
#[server(prefix = "/api", endpoint = "remove_passkey")]
pub async fn remove_passkey(id: i64) -> Result<(), SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings", port.remove_passkey(&cx, id).await)
}

#[server(prefix = "/api", endpoint = "change_mobile")]
pub async fn change_mobile(current: Password, phone: String) -> Result<(), SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings", port.change_mobile(&cx, &current, &phone).await)
}

/// "Family and caregivers" → "Invite": the patient's current password, and
/// the person's name, email and relationship. The page then shows the
/// access code to give them, once.
#[server(prefix = "/api", endpoint = "invite_family")]
pub async fn invite_family(current: Password, name: String, email: String, relationship: String) -> Result<crate::family::CodeToGive, SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings#family", port.invite_family(&cx, &current, &name, &email, &relationship).await)
}

/// "Remove" beside one of "People who can see your records".
#[server(prefix = "/api", endpoint = "remove_access")]
pub async fn remove_access(person: crate::family::PersonKey) -> Result<(), SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings#family", port.remove_access(&cx, person).await)
}

/// "Remove" beside one of "Records shared with you": the account stops seeing that chart.
#[server(prefix = "/api", endpoint = "stop_seeing")]
pub async fn stop_seeing(chart: crate::ids::PatientId) -> Result<(), SettingsError> {
    let (port, cx) = crate::web::settings()?;
    cx.form_on("/settings#family", port.stop_seeing(&cx, chart).await)
}
