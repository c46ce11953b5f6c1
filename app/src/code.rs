//! A security code as the patient types it: digits only (spaces ignored),
//! exactly the configured length (5 by default, SPEC §5).

use serde::{Deserialize, Serialize};

pub const DEFAULT_CODE_DIGITS: usize = 5;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct SecurityCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeProblem(pub usize);

impl CodeProblem {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        crate::i18n::t::code_invalid(lang, self.0)
    }
}

crate::error::english_display!(CodeProblem);

/// Deserializing runs the parser, so a `SecurityCode` from JSON is as valid as one typed.
impl TryFrom<String> for SecurityCode {
    type Error = CodeProblem;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        SecurityCode::parse(&raw, DEFAULT_CODE_DIGITS)
    }
}

impl SecurityCode {
    pub fn parse(raw: &str, digits: usize) -> Result<Self, CodeProblem> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if s.len() == digits && s.chars().all(|c| c.is_ascii_digit()) {
            Ok(SecurityCode(s))
        } else {
            Err(CodeProblem(digits))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecurityCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecurityCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_exactly_n_digits_spaces_ignored() {
        assert_eq!(SecurityCode::parse(" 12 345 ", 5).unwrap().expose(), "12345");
        for bad in ["", "1234", "123456", "1234a", "１２３４５"] {
            assert_eq!(SecurityCode::parse(bad, 5), Err(CodeProblem(5)), "{bad}");
        }
        assert!(!format!("{:?}", SecurityCode::parse("12345", 5).unwrap()).contains("12345"));
    }
}
