//! Server functions: public HTTP endpoints under `/api/`, each one line over
//! the [`Portal`](crate::port::Portal) port, which authorizes every call itself.

pub mod register;
pub mod reset;
pub mod settings;
pub mod staff;
pub mod two_step;

use leptos::prelude::*;

use crate::error::PortalError;
use crate::secret::Password;
use crate::session::{LoginNotice, PatientView};

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: Password) -> Result<crate::two_step::SignIn, PortalError> {
    let (portal, cx) = crate::port::current()?;
    portal.sign_in(&cx, &username, &password).await
}

#[server(prefix = "/api", endpoint = "me")]
pub async fn current_patient() -> Result<Option<PatientView>, PortalError> {
    let (portal, cx) = crate::port::current()?;
    portal.current_patient(&cx).await
}

#[server(prefix = "/api", endpoint = "login_notice")]
pub async fn take_login_notice() -> Result<LoginNotice, PortalError> {
    let (portal, cx) = crate::port::current()?;
    Ok(portal.take_login_notice(&cx))
}
