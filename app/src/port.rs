//! The port between the UI and the backend. `app/` defines it; `server/`
//! implements it and alone touches credentials, storage and sessions.

use std::sync::Arc;

use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::api::{LoginNotice, PatientView};
use crate::error::PortalError;
use crate::secret::Password;

/// The request being served (headers, client address in `extensions`) and
/// the response being built (cookies and status go here).
pub struct HttpCx {
    pub parts: Parts,
    pub response: ResponseOptions,
}

#[async_trait::async_trait]
pub trait Portal: Send + Sync + 'static {
    /// Signs a patient in and sets the session cookie on the response.
    async fn sign_in(&self, cx: &HttpCx, username: &str, password: &Password) -> Result<(), PortalError>;
    /// Ends the request's session (if any) and clears its cookie.
    async fn sign_out(&self, cx: &HttpCx) -> Result<(), PortalError>;
    /// The signed-in patient, touching the session's idle timer.
    async fn current_patient(&self, cx: &HttpCx) -> Result<Option<PatientView>, PortalError>;
    /// What the sign-in page should show after a form post without JavaScript.
    fn take_login_notice(&self, cx: &HttpCx) -> LoginNotice;
}

pub type SharedPortal = Arc<dyn Portal>;

/// The backend and the request at hand, from the server function's context.
pub fn current() -> Result<(SharedPortal, HttpCx), PortalError> {
    let portal = use_context::<SharedPortal>().ok_or(PortalError::Internal)?;
    let parts = use_context::<Parts>().ok_or(PortalError::Internal)?;
    let response = use_context::<ResponseOptions>().ok_or(PortalError::Internal)?;
    Ok((portal, HttpCx { parts, response }))
}
