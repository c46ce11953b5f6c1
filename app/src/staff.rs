//! What the staff console shows and can be told (SPEC §3).

use serde::{Deserialize, Serialize};

use crate::email::EmailProblem;
use crate::error::{PortalError, UserError};

/// A chart's portal enrollment status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalStatus {
    NotInvited,
    Invited,
    Enrolled,
    Revoked,
}

impl PortalStatus {
    pub fn label(self) -> &'static str {
        match self {
            PortalStatus::NotInvited => "Not invited",
            PortalStatus::Invited => "Invited",
            PortalStatus::Enrolled => "Enrolled",
            PortalStatus::Revoked => "Access revoked",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub dob: String,
    pub status: PortalStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientPage {
    pub rows: Vec<PatientRow>,
    /// 1-based; `has_more` when a next page exists.
    pub page: u32,
    pub has_more: bool,
}

/// What fixes a finding, as a button in the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fix {
    SendInvitation,
    ResendInvitation,
    Unlock,
}

/// One line of the troubleshooting panel: why the patient may not get in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub text: String,
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// `YYYY-MM-DD HH:MM` in the practice's time zone.
    pub at: String,
    pub actor: String,
    pub event: String,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub at: String,
    pub channel: String,
    pub to: String,
    pub subject: String,
    /// "queued", "sent" or "failed".
    pub status: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartView {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub dob: String,
    pub status: PortalStatus,
    /// `HH:MM` while locked.
    pub locked_until: Option<String>,
    /// The email used to enroll (or to invite, before enrollment).
    pub email: Option<String>,
    /// The username, when the patient chose one that differs from the email.
    pub username: Option<String>,
    pub enrolled_on: Option<String>,
    pub last_sign_in: Option<String>,
    pub findings: Vec<Finding>,
    pub audit: Vec<AuditRow>,
    pub audit_page: u32,
    pub audit_has_more: bool,
    pub messages: Vec<MessageRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum StaffError {
    #[error("No patient has that chart.")]
    NoSuchPatient,
    #[error("This patient is already enrolled.")]
    AlreadyEnrolled,
    #[error("This patient's portal access is turned off.")]
    AlreadyRevoked,
    #[error("The chart has no email address. Enter one to send the invitation.")]
    NoEmail,
    #[error("{0}")]
    Email(EmailProblem),
    #[error("{0}")]
    Portal(PortalError),
}

crate::wraps_portal_error!(StaffError);

impl UserError for StaffError {
    fn status(&self) -> u16 {
        match self {
            StaffError::NoSuchPatient => 404,
            StaffError::AlreadyEnrolled | StaffError::AlreadyRevoked => 409,
            StaffError::Portal(e) => e.status(),
            _ => 400,
        }
    }

    fn retry_after(&self) -> Option<u32> {
        match self {
            StaffError::Portal(e) => e.retry_after(),
            _ => None,
        }
    }
}

/// What `/staff/verify` shows: the second step of a staff sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondStepView {
    /// False when no right password is waiting for its code: the page sends the browser to sign in.
    pub pending: bool,
    /// Until the authenticator app is set up (the first sign-in): what it needs.
    pub setup: Option<AuthenticatorSetup>,
    /// The refusal of the code posted last, without JavaScript.
    pub error: Option<PortalError>,
}

/// The secret an authenticator app needs, as a QR code and as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorSetup {
    /// Base32, in groups of four.
    pub secret: String,
    /// An SVG of the `otpauth://` URL's QR code.
    pub qr_svg: String,
}
