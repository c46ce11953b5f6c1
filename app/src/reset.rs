//! What the reset wizard's steps can answer besides success (SPEC §2.2):
//! each a user-safe message with the spec's exact wording.

use serde::{Deserialize, Serialize};

use crate::code::CodeProblem;
use crate::dob::DobProblem;
use crate::error::PortalError;
use crate::phone::PhoneProblem;
use crate::secret::PasswordProblem;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ResetError {
    #[error("This link is no longer valid.")]
    NoLongerValid,
    #[error("This step was already done. Reload the page to continue.")]
    WrongStep,
    #[error("{0}")]
    Dob(DobProblem),
    #[error("The date of birth or security answer doesn't match our records.")]
    NoMatch,
    #[error("{0}")]
    Phone(PhoneProblem),
    #[error("That number doesn't match the mobile number on your account.")]
    PhoneMismatch,
    #[error("Resend code in {0}s")]
    ResendIn(i64),
    #[error("You have asked for all the codes this link allows. Request a new link.")]
    NoMoreSends,
    #[error("{0}")]
    Code(CodeProblem),
    #[error("That code isn't right. You have {0} tries left.")]
    WrongCode(i64),
    #[error("That code has expired. Send a new code.")]
    CodeExpired,
    #[error("{0}")]
    Password(PasswordProblem),
    #[error("{0}")]
    Portal(PortalError),
}

impl From<PortalError> for ResetError {
    fn from(e: PortalError) -> Self {
        ResetError::Portal(e)
    }
}

/// Which identity checks a practice offers (`PORTAL_RESET_METHODS`, SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetMethods {
    pub question: bool,
    pub code: bool,
}

impl std::str::FromStr for ResetMethods {
    type Err = String;

    /// `question,code` (either order), `code` or `question`.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut methods = ResetMethods { question: false, code: false };
        for part in s.split(',').map(str::trim) {
            match part {
                "question" if !methods.question => methods.question = true,
                "code" if !methods.code => methods.code = true,
                _ => return Err("must be question,code or code or question".into()),
            }
        }
        Ok(methods)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_methods_parse_the_three_documented_values() {
        let both = ResetMethods { question: true, code: true };
        assert_eq!("question,code".parse(), Ok(both));
        assert_eq!(" code , question ".parse(), Ok(both));
        assert_eq!("code".parse(), Ok(ResetMethods { question: false, code: true }));
        assert_eq!("question".parse(), Ok(ResetMethods { question: true, code: false }));
        for bad in ["", "sms", "code,code", "question,"] {
            assert!(bad.parse::<ResetMethods>().is_err(), "{bad:?}");
        }
    }
}
