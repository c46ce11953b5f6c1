//! Server functions of "Forgot password?" and the reset wizard (SPEC §2.2).
//! Each works from JavaScript (answers with data, the page moves on in
//! place) and as a plain form post (answers with a 303 to the next page).

use leptos::prelude::*;

use crate::error::PortalError;
#[cfg(feature = "ssr")]
use crate::reset::{Method, ResetLink};
use crate::reset::{ForgotView, ResetError, ResetView, SendBy};
use crate::secret::{Password, SecurityAnswer};

#[server(prefix = "/api", endpoint = "load_forgot")]
pub async fn load_forgot() -> Result<ForgotView, PortalError> {
    let (port, cx) = crate::web::recovery()?;
    Ok(port.forgot_view(&cx))
}

/// "Reset Password": the same answer whether or not the username exists.
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn request_reset(username: String) -> Result<(), PortalError> {
    let (port, cx) = crate::web::recovery()?;
    cx.form(port.request_reset(&cx, &username).await, crate::web::to("/forgot-password?sent=1"), crate::web::to("/forgot-password"))
}

#[server(prefix = "/api", endpoint = "load_reset")]
pub async fn load_reset(token: String, method: Option<String>) -> Result<ResetView, PortalError> {
    let (port, cx) = crate::web::recovery()?;
    let Some(link) = ResetLink::parse(&token) else {
        return Ok(ResetView::invalid(port.methods()));
    };
    cx.read(port.load_reset(&cx, &link, method.as_deref().and_then(Method::parse)).await)
}

/// Ends a wizard step: a plain form post goes on to the link's page, or
/// after a refusal back to `method`'s.
#[cfg(feature = "ssr")]
fn step(cx: &crate::web::Web, link: &ResetLink, result: Result<(), ResetError>, back_to: Option<Method>) -> Result<(), ResetError> {
    cx.form(result, |_| link.page(None), |_| link.page(back_to))
}

#[cfg(feature = "ssr")]
fn link_of(token: &str) -> Result<ResetLink, ResetError> {
    ResetLink::parse(token).ok_or(ResetError::NoLongerValid)
}

/// "Date of birth" + "Security answer" → "Continue".
#[server(prefix = "/api", endpoint = "reset_answer")]
pub async fn answer_question(token: String, dob: String, answer: SecurityAnswer) -> Result<(), ResetError> {
    let (port, cx) = crate::web::recovery()?;
    let link = link_of(&token)?;
    step(&cx, &link, port.answer(&cx, &link, &dob, &answer).await, Some(Method::Question))
}

/// "Mobile phone number" + "How should we send the code?" → "Send code".
#[server(prefix = "/api", endpoint = "reset_send_code")]
pub async fn send_code(token: String, phone: String, send_by: SendBy) -> Result<(), ResetError> {
    let (port, cx) = crate::web::recovery()?;
    let link = link_of(&token)?;
    step(&cx, &link, port.send_code(&cx, &link, Some(&phone), send_by).await, Some(Method::Code))
}

/// "Resend code", to the number the last code went to.
#[server(prefix = "/api", endpoint = "reset_resend_code")]
pub async fn resend_code(token: String, send_by: SendBy) -> Result<(), ResetError> {
    let (port, cx) = crate::web::recovery()?;
    let link = link_of(&token)?;
    step(&cx, &link, port.send_code(&cx, &link, None, send_by).await, Some(Method::Code))
}

/// "Security Code" → "Check".
#[server(prefix = "/api", endpoint = "reset_check_code")]
pub async fn check_code(token: String, code: String) -> Result<(), ResetError> {
    let (port, cx) = crate::web::recovery()?;
    let link = link_of(&token)?;
    step(&cx, &link, port.check_code(&cx, &link, &code).await, Some(Method::Code))
}

/// "New password" + "Confirm new password" → "Save password", then `/login`.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn save_password(token: String, password: Password, confirm: Password) -> Result<(), ResetError> {
    let (port, cx) = crate::web::recovery()?;
    let link = link_of(&token)?;
    cx.form(port.save_password(&cx, &link, &password, &confirm).await, crate::web::to("/login"), |_| link.page(None))
}
