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

/// `/` of the signed-in account: its charts; `None` when nobody is signed in.
#[server(prefix = "/api", endpoint = "home")]
pub async fn load_home() -> Result<Option<crate::family::HomeView>, PortalError> {
    let (portal, cx) = crate::web::current()?;
    cx.read(portal.home(&cx).await)
}

/// `/charts/{id}`: `Ok(None)` when the account doesn't see that chart (as
/// when none has that id); `NotSignedIn` when nobody is signed in.
#[server(prefix = "/api", endpoint = "chart")]
pub async fn load_chart(id: String) -> Result<Option<crate::family::ChartPage>, PortalError> {
    let (portal, cx) = crate::web::current()?;
    cx.read(match id.parse::<crate::ids::PatientId>() {
        Ok(id) => portal.chart(&cx, id).await,
        Err(_) => portal.home(&cx).await.and_then(|h| h.map(|_| None).ok_or(PortalError::NotSignedIn)),
    })
}

#[server(prefix = "/api", endpoint = "login_notice")]
pub async fn take_login_notice() -> Result<LoginNotice, PortalError> {
    let (portal, cx) = crate::web::current()?;
    Ok(portal.take_login_notice(&cx))
}
