//! The patient's session as the pages see it: who is signed in, and what
//! the sign-in page shows after a form post made without JavaScript.

use serde::{Deserialize, Serialize};

use crate::error::PortalError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientView {
    pub first_name: String,
    /// Seconds of inactivity after which the session ends.
    pub idle_timeout_secs: u32,
}

/// What the sign-in page shows: the outcome of a form post made without
/// JavaScript (error and the username typed), carried over the redirect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginNotice {
    pub error: Option<PortalError>,
    pub username: String,
    /// The patient just saved a new password through the reset wizard.
    pub password_reset: bool,
}
