//! The port between the UI and the backend. `app/` defines it; `server/`
//! implements it and alone touches credentials, storage and sessions. No
//! HTTP here: each method takes the request as a [`Visit`] (who asks, which
//! of our cookies they presented, as [`crate::jar::Jar`]s) and typed inputs,
//! answers a typed outcome, and says in the [`Visit`] which cookies the
//! answer keeps or forgets; the web layer ([`crate::web`]) names and writes
//! them, and decides redirects and status codes.
//!
//! When the [`Visit`] is a plain form post (its answer is the next page), a
//! method that ends a form keeps what that page must show — the refusal, what
//! was typed (never a password, answer or code), or a settings change's
//! outcome — and the web layer sends the browser there.

use crate::ids::PatientId;
use std::sync::Arc;

use crate::visit::Visit;

use crate::register::{ForgotUsernameView, LinkOutcome, LinkTyped, RegisterTyped, RegisterView};
use crate::reset::{ForgotView, ResetView};
use crate::settings::SettingsView;
use crate::session::{LoginNotice, PatientView};
use crate::error::PortalError;
use crate::register::{RegisterError, UsernameHelpError};
use crate::settings::SettingsError;
use crate::staff::{ChartView, PatientPage, Reason, SecondStepView, StaffError};
use crate::reset::{Method, ResetError, ResetLink, ResetMethods, SendBy};
use crate::secret::{Password, SecurityAnswer};
use crate::two_step::{CodesBy, SignIn, TwoStepError, VerifyView};

#[async_trait::async_trait]
pub trait Portal: Send + Sync + 'static {
    /// Signs a patient in and keeps the new session, or, when two-step
    /// verification is on, the second step waiting for its code.
    async fn sign_in(&self, cx: &Visit, username: &str, password: &Password) -> Result<SignIn, PortalError>;
    /// What `/login/verify` shows (and forgets the last refusal).
    async fn second_step(&self, cx: &Visit) -> Result<VerifyView, PortalError>;
    /// "Verification code" → "Verify": a right one makes the session.
    async fn verify(&self, cx: &Visit, code: &str, remember: bool) -> Result<(), TwoStepError>;
    /// "Resend code".
    async fn resend(&self, cx: &Visit) -> Result<(), TwoStepError>;
    /// Ends the request's session (if any) and forgets its cookie.
    async fn sign_out(&self, cx: &Visit) -> Result<(), PortalError>;
    /// The signed-in patient, touching the session's idle timer.
    async fn current_patient(&self, cx: &Visit) -> Result<Option<PatientView>, PortalError>;
    /// `/`: the charts the signed-in account sees; `None` when nobody is signed in.
    async fn home(&self, cx: &Visit) -> Result<Option<crate::family::HomeView>, PortalError>;
    /// `/charts/{id}`: `Ok(None)` when the account doesn't see the chart; `NotSignedIn` without a session.
    async fn chart(&self, cx: &Visit, id: crate::ids::PatientId) -> Result<Option<crate::family::ChartPage>, PortalError>;
    /// What the sign-in page should show after a form post without JavaScript.
    fn take_login_notice(&self, cx: &Visit) -> LoginNotice;
}

pub type SharedPortal = Arc<dyn Portal>;

/// "Forgot password?" and the reset wizard.
#[async_trait::async_trait]
pub trait Recovery: Send + Sync + 'static {
    fn methods(&self) -> ResetMethods;
    /// What `/forgot-password` shows (and forgets the last refusal).
    fn forgot_view(&self, cx: &Visit) -> ForgotView;
    async fn request_reset(&self, cx: &Visit, username: &str) -> Result<(), PortalError>;
    /// What `/reset/{token}` shows; reading changes nothing.
    async fn load_reset(&self, cx: &Visit, link: &ResetLink, method: Option<Method>) -> Result<ResetView, PortalError>;
    async fn answer(&self, cx: &Visit, link: &ResetLink, dob: &str, answer: &SecurityAnswer) -> Result<(), ResetError>;
    /// Sends a code to `phone` (it must match the number on file), or with
    /// `None` to the number the last code went to.
    async fn send_code(&self, cx: &Visit, link: &ResetLink, phone: Option<&str>, send_by: SendBy) -> Result<(), ResetError>;
    async fn check_code(&self, cx: &Visit, link: &ResetLink, code: &str) -> Result<(), ResetError>;
    /// Saves the new password and leaves a status for `/login`.
    async fn save_password(&self, cx: &Visit, link: &ResetLink, new: &Password, confirm: &Password) -> Result<(), ResetError>;
}

pub type SharedRecovery = Arc<dyn Recovery>;

/// Registration from an invitation and "Forgot username?".
#[async_trait::async_trait]
pub trait Registration: Send + Sync + 'static {
    /// What `/register/{token}` shows; reading changes nothing.
    async fn registration(&self, cx: &Visit, token: &str) -> Result<RegisterView, PortalError>;
    /// Enrolls the invited chart and keeps the new session.
    async fn register(
        &self,
        cx: &Visit,
        token: &str,
        typed: &RegisterTyped,
        password: &Password,
        confirm: &Password,
        answer: &SecurityAnswer,
    ) -> Result<(), RegisterError>;
    /// "Link to my account": adds the invitation's chart to an existing account and signs it in.
    async fn link(&self, cx: &Visit, token: &str, typed: &LinkTyped, password: &Password) -> Result<LinkOutcome, RegisterError>;
    /// "Text me a code" to the invited chart's mobile number.
    async fn send_registration_code(&self, cx: &Visit, token: &str) -> Result<crate::register::TextCodeOffer, RegisterError>;
    fn forgot_username_view(&self, cx: &Visit) -> ForgotUsernameView;
    async fn send_usernames(&self, cx: &Visit, email: &str, dob: &str) -> Result<(), UsernameHelpError>;
}

pub type SharedRegistration = Arc<dyn Registration>;

/// The signed-in patient's account settings; each method checks the session.
#[async_trait::async_trait]
pub trait Settings: Send + Sync + 'static {
    /// `None` when no patient is signed in.
    async fn settings(&self, cx: &Visit) -> Result<Option<SettingsView>, PortalError>;
    async fn change_password(&self, cx: &Visit, current: &Password, new: &Password, confirm: &Password) -> Result<(), SettingsError>;
    async fn change_question(&self, cx: &Visit, current: &Password, question: &str, answer: &SecurityAnswer) -> Result<(), SettingsError>;
    async fn change_mobile(&self, cx: &Visit, current: &Password, phone: &str) -> Result<(), SettingsError>;
    /// "Send code" (`send`) or "Turn on" for two-step verification; "Turn on" answers the backup codes.
    async fn two_step_setup(&self, cx: &Visit, by: CodesBy, send: bool, current: &Password, code: &str) -> Result<Vec<String>, SettingsError>;
    async fn turn_off_two_step(&self, cx: &Visit, current: &Password) -> Result<(), SettingsError>;
    /// "Remove" beside a passkey.
    async fn remove_passkey(&self, cx: &Visit, id: i64) -> Result<(), SettingsError>;
    /// "Invite" a family member or caregiver to the patient's own records.
    /// Answers the access code to give the person (shown once).
    async fn invite_family(&self, cx: &Visit, current: &Password, name: &str, email: &str, relationship: &str) -> Result<crate::family::CodeToGive, SettingsError>;
    /// "Remove" someone's access to the patient's own records.
    async fn remove_access(&self, cx: &Visit, person: crate::family::PersonKey) -> Result<(), SettingsError>;
    /// The account stops seeing someone else's chart.
    async fn stop_seeing(&self, cx: &Visit, chart: crate::ids::PatientId) -> Result<(), SettingsError>;
}

pub type SharedSettings = Arc<dyn Settings>;

/// The staff console; every method but sign-in checks the staff session.
#[async_trait::async_trait]
pub trait Staff: Send + Sync + 'static {
    /// The password step: a right one leaves a challenge for [`Staff::verify`], no session.
    async fn sign_in(&self, cx: &Visit, username: &str, password: &Password) -> Result<(), PortalError>;
    async fn second_step(&self, cx: &Visit) -> Result<SecondStepView, PortalError>;
    /// The authenticator code: a right one makes the staff session.
    async fn verify(&self, cx: &Visit, code: &str) -> Result<(), PortalError>;
    fn take_login_notice(&self, cx: &Visit) -> LoginNotice;
    async fn sign_out(&self, cx: &Visit) -> Result<(), PortalError>;
    async fn me(&self, cx: &Visit) -> Result<Option<String>, PortalError>;
    async fn search(&self, cx: &Visit, query: &str, page: u32) -> Result<PatientPage, PortalError>;
    async fn chart(&self, cx: &Visit, id: PatientId, audit_page: u32) -> Result<ChartView, StaffError>;
    async fn invite(&self, cx: &Visit, id: PatientId, email: &str) -> Result<(), StaffError>;
    async fn unlock(&self, cx: &Visit, id: PatientId) -> Result<(), StaffError>;
    async fn revoke(&self, cx: &Visit, id: PatientId) -> Result<(), StaffError>;
    /// "Update mobile number", after the staff member confirmed the patient's identity.
    async fn update_mobile(&self, cx: &Visit, id: PatientId, phone: &str, reason: &Reason) -> Result<(), StaffError>;
    /// "Turn off two-step verification", after the staff member confirmed the patient's identity.
    async fn turn_off_two_step(&self, cx: &Visit, id: PatientId, reason: &Reason) -> Result<(), StaffError>;
    /// "Save language": the patient's language for messages and pages (SPEC §2.6).
    async fn set_language(&self, cx: &Visit, id: PatientId, lang: crate::i18n::Lang) -> Result<(), StaffError>;
    /// "Remove passkeys": every passkey of the chart's own account, its sessions ended.
    async fn remove_passkeys(&self, cx: &Visit, id: PatientId, reason: &Reason) -> Result<(), StaffError>;
    /// "Add a family member or caregiver".
    async fn add_family(&self, cx: &Visit, id: PatientId, name: &str, email: &str, relationship: &str) -> Result<(), StaffError>;
    /// An action beside one of "People with access".
    async fn person(&self, cx: &Visit, id: PatientId, person: crate::family::PersonKey, action: crate::staff::PersonAction) -> Result<(), StaffError>;
}

pub type SharedStaff = Arc<dyn Staff>;
