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
    let (port, cx) = crate::port::recovery()?;
    Ok(port.forgot_view(&cx))
}

/// "Reset Password": the same answer whether or not the username exists.
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn request_reset(username: String) -> Result<(), PortalError> {
    let (port, cx) = crate::port::recovery()?;
    let result = port.request_reset(&cx, &username).await;
    if cx.native_form() {
        // The next page echoes what was typed, after a refusal and after success alike.
        port.remember_forgot(&cx, result.as_ref().err(), &username);
    }
    cx.post_redirect_get(&result, "/forgot-password?sent=1", |_| "/forgot-password".into());
    result
}

#[server(prefix = "/api", endpoint = "load_reset")]
pub async fn load_reset(token: String, method: Option<String>) -> Result<ResetView, PortalError> {
    let (port, cx) = crate::port::recovery()?;
    let Some(link) = ResetLink::parse(&token) else {
        return Ok(ResetView::invalid(port.methods()));
    };
    port.load_reset(&cx, &link, method.as_deref().and_then(Method::parse)).await
}

/// Ends a wizard step: a plain form post goes on to the link's page (with
/// `method` shown again after a refusal, and the refusal remembered).
#[cfg(feature = "ssr")]
fn after_step(
    port: &dyn crate::port::Recovery,
    cx: &crate::port::HttpCx,
    link: &ResetLink,
    result: &Result<(), ResetError>,
    back_to: Option<Method>,
    typed: crate::port::Typed<'_>,
) {
    cx.post_redirect_get(result, &link.page(None), |e| {
        port.remember_step_error(cx, link, e, typed);
        link.page(back_to)
    });
}

#[cfg(feature = "ssr")]
fn link_of(token: &str) -> Result<ResetLink, ResetError> {
    ResetLink::parse(token).ok_or(ResetError::NoLongerValid)
}

/// "Date of birth" + "Security answer" → "Continue".
#[server(prefix = "/api", endpoint = "reset_answer")]
pub async fn answer_question(token: String, dob: String, answer: SecurityAnswer) -> Result<(), ResetError> {
    let (port, cx) = crate::port::recovery()?;
    let link = link_of(&token)?;
    let result = port.answer(&cx, &link, &dob, &answer).await;
    let typed = crate::port::Typed { dob: &dob, phone: "" };
    after_step(port.as_ref(), &cx, &link, &result, Some(Method::Question), typed);
    result
}

/// "Mobile phone number" + "How should we send the code?" → "Send code".
#[server(prefix = "/api", endpoint = "reset_send_code")]
pub async fn send_code(token: String, phone: String, send_by: SendBy) -> Result<(), ResetError> {
    let (port, cx) = crate::port::recovery()?;
    let link = link_of(&token)?;
    let result = port.send_code(&cx, &link, Some(&phone), send_by).await;
    let typed = crate::port::Typed { dob: "", phone: &phone };
    after_step(port.as_ref(), &cx, &link, &result, Some(Method::Code), typed);
    result
}

/// "Resend code", to the number the last code went to.
#[server(prefix = "/api", endpoint = "reset_resend_code")]
pub async fn resend_code(token: String, send_by: SendBy) -> Result<(), ResetError> {
    let (port, cx) = crate::port::recovery()?;
    let link = link_of(&token)?;
    let result = port.send_code(&cx, &link, None, send_by).await;
    after_step(port.as_ref(), &cx, &link, &result, Some(Method::Code), crate::port::Typed::default());
    result
}

/// "Security Code" → "Check".
#[server(prefix = "/api", endpoint = "reset_check_code")]
pub async fn check_code(token: String, code: String) -> Result<(), ResetError> {
    let (port, cx) = crate::port::recovery()?;
    let link = link_of(&token)?;
    let result = port.check_code(&cx, &link, &code).await;
    after_step(port.as_ref(), &cx, &link, &result, Some(Method::Code), crate::port::Typed::default());
    result
}

/// "New password" + "Confirm new password" → "Save password", then `/login`.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn save_password(token: String, password: Password, confirm: Password) -> Result<(), ResetError> {
    let (port, cx) = crate::port::recovery()?;
    let link = link_of(&token)?;
    let result = port.save_password(&cx, &link, &password, &confirm).await;
    cx.post_redirect_get(&result, "/login", |e| {
        port.remember_step_error(&cx, &link, e, crate::port::Typed::default());
        link.page(None)
    });
    result
}
