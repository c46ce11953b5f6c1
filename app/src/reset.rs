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
