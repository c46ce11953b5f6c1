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
}

impl Change {
    /// The confirmation a patient sees after the change.
    pub fn done(self) -> &'static str {
        match self {
            Change::Password => "Your password was changed. You were signed out everywhere else.",
            Change::Question => "Your security question was changed.",
            Change::Mobile => "Your mobile number was changed.",
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
    #[error("{0}")]
    Portal(PortalError),
}

crate::wraps_portal_error!(SettingsError);

impl UserError for SettingsError {
    fn status(&self) -> u16 {
        match self {
            SettingsError::WrongPassword => 403,
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
    /// The outcome of the last form posted without JavaScript.
    pub outcome: Option<(Change, Result<(), SettingsError>)>,
}
