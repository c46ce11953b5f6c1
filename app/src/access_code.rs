//! The practice's access code (SPEC §2.4): 6 characters, letters and
//! digits without look-alikes (no 0/O, 1/I/L), read aloud or handed over in
//! person; typed in any case, with spaces or a dash. One parser for the
//! browser and the server.

use serde::{Deserialize, Serialize};

/// The characters a code is made of: no two of them look or sound alike.
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const LEN: usize = 6;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct AccessCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessCodeProblem {
    Missing,
    /// Not 6 characters of the code's alphabet once spaces and dashes go.
    Shape,
}

impl AccessCodeProblem {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            AccessCodeProblem::Missing => crate::i18n::t::access_code_missing(lang).into(),
            AccessCodeProblem::Shape => crate::i18n::t::access_code_shape(lang).into(),
        }
    }
}

crate::error::english_display!(AccessCodeProblem);

impl TryFrom<String> for AccessCode {
    type Error = AccessCodeProblem;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        AccessCode::parse(&raw)
    }
}

impl AccessCode {
    pub fn parse(raw: &str) -> Result<AccessCode, AccessCodeProblem> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        if s.is_empty() {
            return Err(AccessCodeProblem::Missing);
        }
        if s.len() == LEN && s.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(AccessCode(s))
        } else {
            Err(AccessCodeProblem::Shape)
        }
    }

    /// A new code; `pick(n)` answers uniformly in `0..n` (the server brings
    /// the randomness, the browser build never makes a code).
    pub fn generate(mut pick: impl FnMut(usize) -> usize) -> AccessCode {
        AccessCode((0..LEN).map(|_| ALPHABET[pick(ALPHABET.len()) % ALPHABET.len()] as char).collect())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_any_case_with_spaces_or_a_dash() {
        assert_eq!(AccessCode::parse(" k7p-4qz ").unwrap().expose(), "K7P4QZ");
        assert_eq!(AccessCode::parse("").unwrap_err(), AccessCodeProblem::Missing);
        for bad in ["K7P4Q", "K7P4QZZ", "K7P4Q0", "K7P4QI", "K7P4QL", "K7P4Q1", "K7P4QÖ"] {
            assert_eq!(AccessCode::parse(bad).unwrap_err(), AccessCodeProblem::Shape, "{bad}");
        }
    }

    #[test]
    fn generated_codes_parse_and_use_every_character() {
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..ALPHABET.len() {
            let c = AccessCode::generate(|_| i);
            assert_eq!(AccessCode::parse(c.expose()).unwrap(), c);
            seen.insert(c.expose().as_bytes()[0]);
        }
        assert_eq!(seen.len(), ALPHABET.len());
        assert!(!format!("{:?}", AccessCode::generate(|_| 0)).contains("AAAAAA"));
    }
}
