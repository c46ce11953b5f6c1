//! Server functions of registration from an invitation (SPEC §2.4) and
//! "Forgot username?" (SPEC §2.3); plain form posts get a 303 like the
//! reset wizard's.

use leptos::prelude::*;

use crate::error::PortalError;
#[cfg(feature = "ssr")]
use crate::register::{LinkTyped, RegisterTyped};
use crate::register::{ForgotUsernameView, LinkOutcome, RegisterError, RegisterView, UsernameHelpError};
use crate::secret::{Password, SecurityAnswer};

#[server(prefix = "/api", endpoint = "registration")]
pub async fn load_registration(token: String) -> Result<RegisterView, PortalError> {
    let (port, cx) = crate::web::registration()?;
    cx.read(port.registration(&cx, &token).await)
}

/// "Create account": enrolls the chart and signs the patient in.
#[server(prefix = "/api", endpoint = "register")]
#[allow(clippy::too_many_arguments)]
pub async fn register(
    token: String,
    dob: String,
    access_code: String,
    #[server(default)] your_dob: String,
    username: String,
    password: Password,
    confirm: Password,
    question: String,
    answer: SecurityAnswer,
    phone: String,
) -> Result<(), RegisterError> {
    let (port, cx) = crate::web::registration()?;
    let typed = RegisterTyped { dob, access_code, your_dob, username, question, phone };
    cx.form(port.register(&cx, &token, &typed, &password, &confirm, &answer).await, crate::web::to("/"), |_| crate::register::page_of(&token))
}

/// "Text me a code": a code to the chart's mobile number, which goes in "Access code".
#[server(prefix = "/api", endpoint = "registration_code")]
pub async fn send_registration_code(token: String) -> Result<crate::register::TextCodeOffer, RegisterError> {
    let (port, cx) = crate::web::registration()?;
    let page = crate::register::page_of(&token);
    cx.form_on(&page, port.send_registration_code(&cx, &token).await)
}

/// "Link to my account": the invitation's chart joins an existing account,
/// which then signs in as at `/login` (its second step when it has one).
#[server(prefix = "/api", endpoint = "link_account")]
pub async fn link_account(token: String, dob: String, access_code: String, username: String, password: Password) -> Result<LinkOutcome, RegisterError> {
    let (port, cx) = crate::web::registration()?;
    let typed = LinkTyped { dob, access_code, username };
    let outcome = port.link(&cx, &token, &typed, &password).await;
    let next = |o: &LinkOutcome| if *o == LinkOutcome::SecondStep { "/login/verify".to_string() } else { "/".to_string() };
    cx.form(outcome, next, |_| crate::register::link_page_of(&token))
}

#[server(prefix = "/api", endpoint = "forgot_username_view")]
pub async fn load_forgot_username() -> Result<ForgotUsernameView, PortalError> {
    let (port, cx) = crate::web::registration()?;
    Ok(port.forgot_username_view(&cx))
}

/// "Send username": the same answer whether or not anything matched.
#[server(prefix = "/api", endpoint = "forgot_username")]
pub async fn send_usernames(email: String, dob: String) -> Result<(), UsernameHelpError> {
    let (port, cx) = crate::web::registration()?;
    cx.form(port.send_usernames(&cx, &email, &dob).await, crate::web::to("/forgot-username?sent=1"), crate::web::to("/forgot-username"))
}
