//! An email address as stored: trimmed and lower-cased, one `@`, no spaces.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailProblem;

impl EmailProblem {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        crate::i18n::t::email_invalid(lang).into()
    }
}

crate::error::english_display!(EmailProblem);

/// Deserializing runs the parser, so a `EmailAddress` from JSON is as valid as one typed.
impl TryFrom<String> for EmailAddress {
    type Error = EmailProblem;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&raw)
    }
}

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, EmailProblem> {
        // Checked as stored: lower-casing can lengthen a string (Ⱦ → ⱦ is 2 → 3 bytes).
        let s = raw.trim().to_lowercase();
        let (local, domain) = s.split_once('@').ok_or(EmailProblem)?;
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        ok.then_some(EmailAddress(s)).ok_or(EmailProblem)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        assert_eq!(EmailAddress::parse(" Alice@Example.com ").unwrap().as_str(), "alice@example.com");
    }

    #[test]
    fn the_length_limit_holds_for_the_stored_form() {
        // Found by fuzzing: 212 bytes as typed, 312 once lower-cased, and then it no longer parsed.
        let typed = format!("{}@example.com", "Ⱦ".repeat(100));
        assert_eq!(EmailAddress::parse(&typed), Err(EmailProblem));
        let fits = format!("{}@example.com", "Ⱦ".repeat(80));
        let stored = EmailAddress::parse(&fits).unwrap();
        assert_eq!(EmailAddress::parse(stored.as_str()), Ok(stored));
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for s in ["", "alice", "alice@", "@example.com", "a@b", "a b@example.com", "a@b@c.com", "a@.com"] {
            assert_eq!(EmailAddress::parse(s), Err(EmailProblem), "{s}");
        }
    }
}
