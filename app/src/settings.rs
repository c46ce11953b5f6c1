//! Account settings of a signed-in patient (SPEC §2.5): what each change
//! can answer, with its own wording.

use serde::{Deserialize, Serialize};

use crate::error::{PortalError, UserError};
use crate::phone::PhoneProblem;
use crate::secret::PasswordProblem;

/// The three changes, each its own form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Password,
    Question,
    Mobile,
    /// A two-step setup code was sent.
    CodeSent,
    TwoStepOn,
    TwoStepOff,
    PasskeyRemoved,
}

impl Change {
    /// The confirmation a patient sees after the change.
    pub fn done(self) -> &'static str {
        match self {
            Change::Password => "Your password was changed. You were signed out everywhere else.",
            Change::Question => "Your security question was changed.",
            Change::Mobile => "Your mobile number was changed.",
            Change::CodeSent => "We sent you a code. Enter it with your current password, then choose Turn on.",
            Change::TwoStepOn => "Two-step verification is on.",
            Change::TwoStepOff => "Two-step verification is off.",
            Change::PasskeyRemoved => "The passkey was removed. It no longer signs you in.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum SettingsError {
    #[error("The current password you entered is incorrect.")]
    WrongPassword,
    #[error("{0}")]
    Password(PasswordProblem),
    #[error("Choose a security question from the list.")]
    Question,
    #[error("Enter a security answer.")]
    EmptyAnswer,
    #[error("{0}")]
    Phone(PhoneProblem),
    #[error("That code isn't right. {}", crate::i18n::t::tries_left(crate::i18n::Lang::En, *.0))]
    WrongCode(i64),
    #[error("That code isn't right. Enter the code your authenticator app shows now.")]
    WrongAppCode,
    #[error("Enter the {}-digit code.", crate::two_step::CODE_DIGITS)]
    CodeFormat,
    #[error("Choose Text or Email and then Send code; enter the code we send you.")]
    SendCodeFirst,
    #[error("Wait a minute before sending another code.")]
    TooSoon,
    #[error("There is no mobile number on your account. Add one below, or choose another way.")]
    NoMobile,
    #[error("There is no email address on your account. Choose another way.")]
    NoEmail,
    #[error("Your authenticator app makes its own codes: enter the one it shows.")]
    AppMakesCodes,
    #[error("Two-step verification is already on.")]
    AlreadyOn,
    #[error("Two-step verification is already off.")]
    AlreadyOff,
    #[error("That passkey is no longer on your account.")]
    NoSuchPasskey,
    #[error("{0}")]
    Portal(PortalError),
}

crate::wraps_portal_error!(SettingsError);

impl UserError for SettingsError {
    fn status(&self) -> u16 {
        match self {
            SettingsError::WrongPassword => 403,
            SettingsError::WrongCode(_) | SettingsError::WrongAppCode => 401,
            SettingsError::TooSoon => 429,
            SettingsError::AlreadyOn | SettingsError::AlreadyOff => 409,
            SettingsError::NoSuchPasskey => 404,
            SettingsError::Portal(e) => e.status(),
            _ => 400,
        }
    }

    fn retry_after(&self) -> Option<u32> {
        match self {
            SettingsError::Portal(e) => e.retry_after(),
            _ => None,
        }
    }
}

/// What `/settings` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub question: String,
    /// Like "(217) 555-0101".
    pub phone: String,
    pub two_step: crate::two_step::TwoStepSettings,
    pub passkeys: Vec<crate::passkeys::PasskeyView>,
    /// The outcome of the last form posted without JavaScript.
    pub outcome: Option<(Change, Result<(), SettingsError>)>,
}
