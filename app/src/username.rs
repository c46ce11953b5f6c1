//! Usernames are case-insensitive and trimmed (SPEC §2.1). A `Username` can
//! only hold the canonical form, so comparing two is comparing strings.

use serde::{Deserialize, Serialize};

use crate::error::InputProblem;

pub const MAX_USERNAME_CHARS: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, InputProblem> {
        // Checked as stored: lower-casing can add characters (İ → i̇).
        let stored = raw.trim().to_lowercase();
        if stored.is_empty() {
            return Err(InputProblem::UsernameMissing);
        }
        if stored.chars().count() > MAX_USERNAME_CHARS
            || stored.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(InputProblem::UsernameInvalid);
        }
        Ok(Username(stored))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_and_case_insensitive() {
        let a = Username::parse("  Alice@Example.COM \t").unwrap();
        assert_eq!(a, Username::parse("alice@example.com").unwrap());
        assert_eq!(a.as_str(), "alice@example.com");
    }

    #[test]
    fn empty_spaced_control_and_overlong_usernames_are_refused() {
        assert_eq!(Username::parse("   "), Err(InputProblem::UsernameMissing));
        assert_eq!(Username::parse("a b"), Err(InputProblem::UsernameInvalid));
        assert_eq!(Username::parse("a\0b"), Err(InputProblem::UsernameInvalid));
        assert_eq!(Username::parse(&"a".repeat(255)), Err(InputProblem::UsernameInvalid));
        assert!(Username::parse(&"a".repeat(254)).is_ok());
    }
}
