//! The port between the UI and the backend. `app/` defines it; `server/`
//! implements it and alone touches credentials, storage and sessions.

use std::sync::Arc;

use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::register::{ForgotUsernameView, RegisterTyped, RegisterView};
use crate::reset::{ForgotView, ResetView};
use crate::settings::SettingsView;
use crate::session::{LoginNotice, PatientView};
use crate::error::PortalError;
use crate::register::{RegisterError, UsernameHelpError};
use crate::settings::{Change, SettingsError};
use crate::staff::{ChartView, PatientPage, Reason, SecondStepView, StaffError};
use crate::reset::{Method, ResetError, ResetLink, ResetMethods, SendBy};
use crate::secret::{Password, SecurityAnswer};
use crate::two_step::{CodesBy, SignIn, TwoStepError, VerifyView};

/// The request being served (headers, client address in `extensions`) and
/// the response being built (cookies and status go here).
pub struct HttpCx {
    pub parts: Parts,
    pub response: ResponseOptions,
}

impl HttpCx {
    /// A plain HTML form post (JavaScript off), as opposed to a call from the
    /// page's code: the browser asks for HTML and must be redirected.
    pub fn native_form(&self) -> bool {
        self.parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    }

    /// The one place a plain form post's answer is decided (post/redirect/
    /// get): `303` to `done` after success; after a refusal, `refused` keeps
    /// what the next page must show and names that page. A call from the
    /// page's code gets the result itself (with the error's own status).
    pub fn post_redirect_get<T, E>(&self, result: &Result<T, E>, done: &str, refused: impl FnOnce(&E) -> String) {
        if !self.native_form() {
            return;
        }
        match result {
            Ok(_) => self.see_other(done),
            Err(e) => self.see_other(&refused(e)),
        }
    }

    /// Answers with `303 See Other` to `location` (post/redirect/get).
    pub fn see_other(&self, location: &str) {
        if let Ok(value) = http::HeaderValue::from_str(location) {
            self.response.insert_header(http::header::LOCATION, value);
            self.response.set_status(http::StatusCode::SEE_OTHER);
        }
    }
}

/// What a patient typed into a refused form, shown again after the redirect.
/// Never the answer, code or password.
#[derive(Debug, Clone, Copy, Default)]
pub struct Typed<'a> {
    pub dob: &'a str,
    pub phone: &'a str,
}

#[async_trait::async_trait]
pub trait Portal: Send + Sync + 'static {
    /// Signs a patient in and sets the session cookie on the response, or,
    /// when two-step verification is on, the second step's cookie.
    async fn sign_in(&self, cx: &HttpCx, username: &str, password: &Password) -> Result<SignIn, PortalError>;
    /// What `/login/verify` shows (and forgets the last refusal).
    async fn second_step(&self, cx: &HttpCx) -> Result<VerifyView, PortalError>;
    /// "Verification code" → "Verify": a right one makes the session.
    async fn verify(&self, cx: &HttpCx, code: &str, remember: bool) -> Result<(), TwoStepError>;
    /// "Resend code".
    async fn resend(&self, cx: &HttpCx) -> Result<(), TwoStepError>;
    fn remember_verify_error(&self, cx: &HttpCx, error: &TwoStepError);
    /// Ends the request's session (if any) and clears its cookie.
    async fn sign_out(&self, cx: &HttpCx) -> Result<(), PortalError>;
    /// The signed-in patient, touching the session's idle timer.
    async fn current_patient(&self, cx: &HttpCx) -> Result<Option<PatientView>, PortalError>;
    /// What the sign-in page should show after a form post without JavaScript.
    fn take_login_notice(&self, cx: &HttpCx) -> LoginNotice;
    /// Leaves a refusal for `/login` to show.
    fn remember_login_error(&self, cx: &HttpCx, error: &PortalError, username: &str);
}

pub type SharedPortal = Arc<dyn Portal>;

/// "Forgot password?" and the reset wizard.
#[async_trait::async_trait]
pub trait Recovery: Send + Sync + 'static {
    fn methods(&self) -> ResetMethods;
    /// What `/forgot-password` shows (and forgets the last refusal).
    fn forgot_view(&self, cx: &HttpCx) -> ForgotView;
    async fn request_reset(&self, cx: &HttpCx, username: &str) -> Result<(), PortalError>;
    /// Keeps what was typed (and the refusal, if any) for the page a plain
    /// form post goes to next, which echoes the username back.
    fn remember_forgot(&self, cx: &HttpCx, error: Option<&PortalError>, username: &str);
    /// What `/reset/{token}` shows; reading changes nothing.
    async fn load_reset(&self, cx: &HttpCx, link: &ResetLink, method: Option<Method>) -> Result<ResetView, PortalError>;
    fn remember_step_error(&self, cx: &HttpCx, link: &ResetLink, error: &ResetError, typed: Typed<'_>);
    async fn answer(&self, cx: &HttpCx, link: &ResetLink, dob: &str, answer: &SecurityAnswer) -> Result<(), ResetError>;
    /// Sends a code to `phone` (it must match the number on file), or with
    /// `None` to the number the last code went to.
    async fn send_code(&self, cx: &HttpCx, link: &ResetLink, phone: Option<&str>, send_by: SendBy) -> Result<(), ResetError>;
    async fn check_code(&self, cx: &HttpCx, link: &ResetLink, code: &str) -> Result<(), ResetError>;
    /// Saves the new password and leaves a status for `/login`.
    async fn save_password(&self, cx: &HttpCx, link: &ResetLink, new: &Password, confirm: &Password) -> Result<(), ResetError>;
}

pub type SharedRecovery = Arc<dyn Recovery>;

/// Registration from an invitation and "Forgot username?".
#[async_trait::async_trait]
pub trait Registration: Send + Sync + 'static {
    /// What `/register/{token}` shows; reading changes nothing.
    async fn registration(&self, cx: &HttpCx, token: &str) -> Result<RegisterView, PortalError>;
    /// Enrolls the invited chart and sets the new session's cookie.
    async fn register(
        &self,
        cx: &HttpCx,
        token: &str,
        typed: &RegisterTyped,
        password: &Password,
        confirm: &Password,
        answer: &SecurityAnswer,
    ) -> Result<(), RegisterError>;
    /// Remembers a refusal for the page; returns where to send the browser.
    fn remember_register_error(&self, cx: &HttpCx, token: &str, error: &RegisterError, typed: &RegisterTyped) -> String;
    fn forgot_username_view(&self, cx: &HttpCx) -> ForgotUsernameView;
    async fn send_usernames(&self, cx: &HttpCx, email: &str, dob: &str) -> Result<(), UsernameHelpError>;
    /// Keeps what was typed; the page runs the parsers on it again.
    fn remember_username_form(&self, cx: &HttpCx, email: &str, dob: &str);
}

pub type SharedRegistration = Arc<dyn Registration>;

/// The signed-in patient's account settings; each method checks the session.
#[async_trait::async_trait]
pub trait Settings: Send + Sync + 'static {
    /// `None` when no patient is signed in.
    async fn settings(&self, cx: &HttpCx) -> Result<Option<SettingsView>, PortalError>;
    async fn change_password(&self, cx: &HttpCx, current: &Password, new: &Password, confirm: &Password) -> Result<(), SettingsError>;
    async fn change_question(&self, cx: &HttpCx, current: &Password, question: &str, answer: &SecurityAnswer) -> Result<(), SettingsError>;
    async fn change_mobile(&self, cx: &HttpCx, current: &Password, phone: &str) -> Result<(), SettingsError>;
    /// "Send code" (`send`) or "Turn on" for two-step verification; "Turn on" answers the backup codes.
    async fn two_step_setup(&self, cx: &HttpCx, by: CodesBy, send: bool, current: &Password, code: &str) -> Result<Vec<String>, SettingsError>;
    async fn turn_off_two_step(&self, cx: &HttpCx, current: &Password) -> Result<(), SettingsError>;
    /// "Remove" beside a passkey.
    async fn remove_passkey(&self, cx: &HttpCx, id: i64) -> Result<(), SettingsError>;
    fn remember_outcome(&self, cx: &HttpCx, change: Change, result: &Result<(), SettingsError>);
}

pub type SharedSettings = Arc<dyn Settings>;

/// The staff console; every method but sign-in checks the staff session.
#[async_trait::async_trait]
pub trait Staff: Send + Sync + 'static {
    /// The password step: a right one leaves a challenge for [`Staff::verify`], no session.
    async fn sign_in(&self, cx: &HttpCx, username: &str, password: &Password) -> Result<(), PortalError>;
    fn remember_login_error(&self, cx: &HttpCx, error: &PortalError, username: &str);
    async fn second_step(&self, cx: &HttpCx) -> Result<SecondStepView, PortalError>;
    /// The authenticator code: a right one makes the staff session.
    async fn verify(&self, cx: &HttpCx, code: &str) -> Result<(), PortalError>;
    fn remember_verify_error(&self, cx: &HttpCx, error: &PortalError);
    fn take_login_notice(&self, cx: &HttpCx) -> LoginNotice;
    async fn sign_out(&self, cx: &HttpCx) -> Result<(), PortalError>;
    async fn me(&self, cx: &HttpCx) -> Result<Option<String>, PortalError>;
    async fn search(&self, cx: &HttpCx, query: &str, page: u32) -> Result<PatientPage, PortalError>;
    async fn chart(&self, cx: &HttpCx, id: i64, audit_page: u32) -> Result<ChartView, StaffError>;
    async fn invite(&self, cx: &HttpCx, id: i64, email: &str) -> Result<(), StaffError>;
    async fn unlock(&self, cx: &HttpCx, id: i64) -> Result<(), StaffError>;
    async fn revoke(&self, cx: &HttpCx, id: i64) -> Result<(), StaffError>;
    /// "Update mobile number", after the staff member confirmed the patient's identity.
    async fn update_mobile(&self, cx: &HttpCx, id: i64, phone: &str, reason: &Reason) -> Result<(), StaffError>;
    /// "Turn off two-step verification", after the staff member confirmed the patient's identity.
    async fn turn_off_two_step(&self, cx: &HttpCx, id: i64, reason: &Reason) -> Result<(), StaffError>;
    /// "Save language": the patient's language for messages and pages (SPEC §2.6).
    async fn set_language(&self, cx: &HttpCx, id: i64, lang: crate::i18n::Lang) -> Result<(), StaffError>;
}

pub type SharedStaff = Arc<dyn Staff>;

fn http_cx() -> Result<HttpCx, PortalError> {
    let parts = use_context::<Parts>().ok_or(PortalError::Internal)?;
    let response = use_context::<ResponseOptions>().ok_or(PortalError::Internal)?;
    Ok(HttpCx { parts, response })
}

/// The backend and the request at hand, from the server function's context.
pub fn current() -> Result<(SharedPortal, HttpCx), PortalError> {
    Ok((use_context::<SharedPortal>().ok_or(PortalError::Internal)?, http_cx()?))
}

/// The staff backend and the request at hand.
pub fn staff() -> Result<(SharedStaff, HttpCx), PortalError> {
    Ok((use_context::<SharedStaff>().ok_or(PortalError::Internal)?, http_cx()?))
}

/// The settings backend and the request at hand.
pub fn settings() -> Result<(SharedSettings, HttpCx), PortalError> {
    Ok((use_context::<SharedSettings>().ok_or(PortalError::Internal)?, http_cx()?))
}

/// The registration backend and the request at hand.
pub fn registration() -> Result<(SharedRegistration, HttpCx), PortalError> {
    Ok((use_context::<SharedRegistration>().ok_or(PortalError::Internal)?, http_cx()?))
}

/// The recovery backend and the request at hand.
pub fn recovery() -> Result<(SharedRecovery, HttpCx), PortalError> {
    Ok((use_context::<SharedRecovery>().ok_or(PortalError::Internal)?, http_cx()?))
}
