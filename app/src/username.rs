//! Usernames are case-insensitive and trimmed (SPEC §2.1). A `Username` can
//! only hold the canonical form, so comparing two is comparing strings, and
//! nothing in it hides: no spaces, control characters, or characters that
//! show nothing (zero-width, direction overrides). Look-alikes from other
//! scripts (Cyrillic а for Latin a) are the server's to refuse: it knows the
//! usernames already taken (server/src/lookalike.rs).

use serde::{Deserialize, Serialize};

use crate::error::InputProblem;

pub const MAX_USERNAME_CHARS: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct Username(String);

/// Deserializing runs the parser, so a `Username` from JSON is as valid as one typed.
impl TryFrom<String> for Username {
    type Error = InputProblem;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Username::parse(&raw)
    }
}

impl Username {
    pub fn parse(raw: &str) -> Result<Self, InputProblem> {
        // Checked as stored: lower-casing can add characters (İ → i̇).
        let stored = raw.trim().to_lowercase();
        if stored.is_empty() {
            return Err(InputProblem::UsernameMissing);
        }
        if stored.chars().count() > MAX_USERNAME_CHARS
            || stored.chars().any(|c| c.is_control() || c.is_whitespace() || is_invisible(c))
        {
            return Err(InputProblem::UsernameInvalid);
        }
        Ok(Username(stored))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Unicode's default-ignorable code points: they render as nothing, or turn
/// the text around them (U+202E shows "moc.elpmaxe@" as "@example.com").
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}' | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}'
    )
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

    #[test]
    fn usernames_that_hide_characters_are_refused() {
        for hidden in ["ali\u{200B}ce", "\u{202E}moc.elpmaxe@ecila", "alice\u{FEFF}", "al\u{AD}ice", "a\u{E0041}lice", "bo\u{2066}b"] {
            assert_eq!(Username::parse(hidden), Err(InputProblem::UsernameInvalid), "{hidden:?}");
        }
        assert_eq!(Username::parse("José.García").unwrap().as_str(), "josé.garcía", "letters of any script are fine");
    }
}
