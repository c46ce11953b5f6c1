//! Server functions: public HTTP endpoints under `/api/`, each one call of a
//! port method (which authorizes the call itself) with the request as a
//! [`Visit`](crate::visit::Visit), answered through the web layer
//! ([`crate::web`]: `form` decides post/redirect/get, the cookies set go onto
//! the response).

pub mod register;
pub mod reset;
pub mod settings;
pub mod staff;
pub mod two_step;

use leptos::prelude::*;

use crate::error::PortalError;
use crate::secret::Password;
use crate::session::{LoginNotice, PatientView};

/// "Sign in": the page's code, or the form itself without JavaScript.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: Password) -> Result<crate::two_step::SignIn, PortalError> {
    let (portal, cx) = crate::web::current()?;
    cx.form(portal.sign_in(&cx, &username, &password).await, |s| s.page().into(), crate::web::to("/login"))
}

/// "Sign out": back to `/login`; the session cookie is cleared either way.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), PortalError> {
    let (portal, cx) = crate::web::current()?;
    cx.form_on("/login", portal.sign_out(&cx).await)
}

#[server(prefix = "/api", endpoint = "me")]
pub async fn current_patient() -> Result<Option<PatientView>, PortalError> {
    let (portal, cx) = crate::web::current()?;
    portal.current_patient(&cx).await
}

#[server(prefix = "/api", endpoint = "login_notice")]
pub async fn take_login_notice() -> Result<LoginNotice, PortalError> {
    let (portal, cx) = crate::web::current()?;
    Ok(portal.take_login_notice(&cx))
}
