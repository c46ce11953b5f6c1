//! A password as typed by a person. Its `Debug` never shows it, so the
//! server-fn argument structs that derive `Debug` cannot leak it into logs.

use serde::{Deserialize, Serialize};

use crate::error::InputProblem;

/// The longest password anyone may set or present (SPEC §5).
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The shortest password anyone may set (SPEC §5).
pub const MIN_PASSWORD_CHARS: usize = 8;

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(String);

/// Why a new password was refused (SPEC §5); the server's policy decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    ContainsUsername,
    ContainsBirthDate,
    TooGuessable,
    Mismatch,
}

impl PasswordProblem {
    /// What the patient reads, in `lang`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::t;
        match self {
            PasswordProblem::TooShort => t::password_too_short(lang, MIN_PASSWORD_CHARS),
            PasswordProblem::TooLong => t::password_over_max(lang, MAX_PASSWORD_CHARS),
            PasswordProblem::ContainsUsername => t::password_has_username(lang).into(),
            PasswordProblem::ContainsBirthDate => t::password_has_birth_date(lang).into(),
            PasswordProblem::TooGuessable => t::password_too_guessable(lang).into(),
            PasswordProblem::Mismatch => t::passwords_differ(lang).into(),
        }
    }
}

crate::error::english_display!(PasswordProblem);

impl Password {
    pub fn new(s: impl Into<String>) -> Self {
        Password(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Checks the shape of a password presented at sign-in: not empty and not
    /// longer than any password could be. (Setting a password has its own policy.)
    pub fn for_sign_in(&self) -> Result<&str, InputProblem> {
        if self.0.is_empty() {
            Err(InputProblem::PasswordMissing)
        } else if self.0.chars().count() > MAX_PASSWORD_CHARS {
            Err(InputProblem::PasswordTooLong)
        } else {
            Ok(&self.0)
        }
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A security answer as typed; hidden from `Debug` like a password.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecurityAnswer(String);

impl SecurityAnswer {
    pub fn new(s: impl Into<String>) -> Self {
        SecurityAnswer(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecurityAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecurityAnswer(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::new("hunter2-secret");
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn sign_in_shape_rejects_empty_and_overlong() {
        assert_eq!(Password::new("").for_sign_in(), Err(InputProblem::PasswordMissing));
        assert_eq!(Password::new("é".repeat(128)).for_sign_in().map(|s| s.len()), Ok(256));
        assert_eq!(Password::new("x".repeat(129)).for_sign_in(), Err(InputProblem::PasswordTooLong));
    }
}
