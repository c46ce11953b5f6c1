//! What the staff console shows and can be told (SPEC §3).

use serde::{Deserialize, Serialize};

use crate::email::EmailProblem;
use crate::family::PersonKey;
use crate::ids::PatientId;
use crate::phone::PhoneProblem;
use crate::error::{PortalError, Refusal, UserError};

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
    pub id: PatientId,
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
    TurnOffTwoStep,
    /// What fixes one of "People with access".
    Person(PersonKey, PersonAction),
}

/// What staff do for one of "People with access" (SPEC §2.7, §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonAction {
    /// "Resend invitation": a new link and access code to the same person.
    Resend,
    /// "Unlock account": the person's own account.
    Unlock,
    /// "Remove access": ends a grant, or withdraws an invitation.
    Remove,
}

impl PersonAction {
    pub fn label(self) -> &'static str {
        match self {
            PersonAction::Resend => "Resend invitation",
            PersonAction::Unlock => "Unlock account",
            PersonAction::Remove => "Remove access",
        }
    }

    /// What the dialog announces once it is done.
    pub fn done(self) -> &'static str {
        match self {
            PersonAction::Resend => "Invitation sent again, with a new access code.",
            PersonAction::Unlock => "Account unlocked.",
            PersonAction::Remove => "Access removed. They were told by email.",
        }
    }
}

/// One line of the troubleshooting panel: why the patient may not get in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub text: String,
    pub fix: Option<Fix>,
}

/// One audit entry, in plain words for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// "Tue Mar 3, 10:47" in the practice's time zone.
    pub at: String,
    /// "Patient (from 203.0.113.9)", "Staff: Dana Reyes".
    pub actor: String,
    /// "Wrong code entered (3 tries left)".
    pub event: String,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub at: String,
    /// "Email", "Text message", "Voice call".
    pub channel: String,
    pub to: String,
    pub subject: String,
    /// "Sent", "Not delivered: the mail server refused the address"…
    pub delivery: String,
    /// The mail server's or phone service's own words, when it refused.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartView {
    pub id: PatientId,
    pub first_name: String,
    pub last_name: String,
    /// Readable: "Mar 12, 1985".
    pub dob: String,
    /// As the patient types it: "19850312".
    pub dob_typed: String,
    pub status: PortalStatus,
    /// "Tue Mar 3, 10:47" while locked.
    pub locked_until: Option<String>,
    /// The mobile number on file, masked: "(•••) •••-4567".
    pub mobile: Option<String>,
    /// What staff tell a patient: the address the emails come from, and the portal's.
    pub mail_from: String,
    pub portal_url: String,
    /// The email used to enroll (or to invite, before enrollment).
    pub email: Option<String>,
    /// The username, when the patient chose one that differs from the email.
    pub username: Option<String>,
    pub enrolled_on: Option<String>,
    pub last_sign_in: Option<String>,
    /// How two-step codes come ("Text message to (•••) •••-4567"), or `None` while it is off.
    pub two_step: Option<String>,
    /// How many passkeys the patient added.
    pub passkeys: i64,
    /// The language messages to the patient go out in.
    pub language: crate::i18n::Lang,
    /// The open invitation's access code, to read to the patient (SPEC §2.4).
    pub access_code: Option<String>,
    /// Family members and caregivers who see the chart or were invited to (SPEC §2.7).
    pub people: Vec<PersonWithAccess>,
    /// The relationships "Add a family member or caregiver" offers ("Parent or guardian" only under 18).
    pub offered: Vec<crate::family::Relation>,
    /// Why the patient can't have an account of their own, if so ("under 13").
    pub no_own_account: Option<String>,
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
    #[error("Patients under 13 get access through a parent or guardian.")]
    UnderThirteen,
    #[error("\"Parent or guardian\" is only for a patient under 18. Choose another relationship.")]
    ParentOfAdult,
    #[error("Enter the person's name.")]
    NameMissing,
    #[error("{0}")]
    Email(EmailProblem),
    #[error("{0}")]
    Phone(PhoneProblem),
    #[error("That is already the mobile number on file.")]
    SameMobile,
    #[error("Enter the reason for the change (at most {MAX_REASON_CHARS} characters).")]
    ReasonMissing,
    #[error("Confirm the patient's identity first.")]
    IdentityNotConfirmed,
    #[error("Two-step verification is already off for this patient.")]
    TwoStepAlreadyOff,
    #[error("This patient has no passkeys.")]
    NoPasskeys,
    #[error("Choose the relationship.")]
    Relationship,
    #[error("That person no longer has access to this chart, or has nothing to do.")]
    NoSuchPerson,
    /// A chart opened by another site's link (`Sec-Fetch-Site`): shown
    /// only when the staff member opens it here, so that no site can make
    /// the audit log say they viewed it.
    #[error("This chart was opened from another site. Open it from the patient list.")]
    FromAnotherSite,
    #[error("{0}")]
    Portal(PortalError),
}

/// Someone other than the patient who sees the chart, or was invited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonWithAccess {
    pub key: PersonKey,
    pub name: String,
    /// "Parent or guardian".
    pub relationship: String,
    /// "Active", "Invited", "Locked until Tue Mar 3, 10:47".
    pub status: String,
    pub email: Option<String>,
    /// The open invitation's access code, while invited.
    pub access_code: Option<String>,
    /// "Ends Mon Dec 14, 2026 (turns 18)".
    pub ends: Option<String>,
    /// What staff can do for this person, in the order the row shows it.
    pub actions: Vec<PersonAction>,
}

/// The longest "Reason" a staff member may give for a change.
pub const MAX_REASON_CHARS: usize = 200;

/// Why staff changed something for a patient: one line, 1–200 characters,
/// no control characters; kept in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Reason, StaffError> {
        let t = raw.trim();
        let ok = !t.is_empty() && t.chars().count() <= MAX_REASON_CHARS && !t.chars().any(char::is_control);
        if ok { Ok(Reason(t.to_string())) } else { Err(StaffError::ReasonMissing) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::wraps_portal_error!(StaffError);

impl UserError for StaffError {
    fn refusal(&self) -> Refusal {
        match self {
            StaffError::NoSuchPatient | StaffError::NoSuchPerson => Refusal::NotFound,
            StaffError::FromAnotherSite => Refusal::Forbidden,
            StaffError::UnderThirteen | StaffError::ParentOfAdult => Refusal::Conflict,
            StaffError::NameMissing | StaffError::Relationship => Refusal::BadInput,
            StaffError::AlreadyEnrolled | StaffError::AlreadyRevoked | StaffError::SameMobile | StaffError::TwoStepAlreadyOff | StaffError::NoPasskeys => Refusal::Conflict,
            StaffError::NoEmail
            | StaffError::Email(_)
            | StaffError::Phone(_)
            | StaffError::ReasonMissing
            | StaffError::IdentityNotConfirmed => Refusal::BadInput,
            StaffError::Portal(e) => e.refusal(),
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
