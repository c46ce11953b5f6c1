//! A US mobile number in any common format, held in E.164 (`+1NXXNXXXXXX`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct MobileNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneProblem;

impl PhoneProblem {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        crate::i18n::t::phone_invalid(lang).into()
    }
}

crate::error::english_display!(PhoneProblem);

/// Deserializing runs the parser, so a `MobileNumber` from JSON is as valid as one typed.
impl TryFrom<String> for MobileNumber {
    type Error = PhoneProblem;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        MobileNumber::parse(&raw)
    }
}

// A stored number (E.164, written only from a `MobileNumber`) decodes through the parser.
#[cfg(feature = "ssr")]
decodes_through_parser!(MobileNumber, MobileNumber::parse, "mobile number");

impl MobileNumber {
    pub fn parse(raw: &str) -> Result<Self, PhoneProblem> {
        let s = raw.trim();
        let s = s.strip_prefix('+').unwrap_or(s);
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || " -.()".contains(c)) {
            return Err(PhoneProblem);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.len() {
            10 => digits.as_str(),
            11 if digits.starts_with('1') => &digits[1..],
            _ => return Err(PhoneProblem),
        };
        // NANP: area code and exchange start with 2-9.
        let b = national.as_bytes();
        if b[0] < b'2' || b[3] < b'2' {
            return Err(PhoneProblem);
        }
        Ok(MobileNumber(format!("+1{national}")))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The way people write it: "(217) 555-0101".
    pub fn national(&self) -> String {
        let n = &self.0[2..];
        format!("({}) {}-{}", &n[..3], &n[3..6], &n[6..])
    }

    /// The last four digits, for "(•••) •••-4567".
    pub fn last_four(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    /// "(•••) •••-4567": the number shown to someone not yet known to be its owner.
    pub fn masked(&self) -> String {
        format!("(•••) •••-{}", self.last_four())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_form_is_what_people_type() {
        assert_eq!(MobileNumber::parse("+1 217.555.0101").unwrap().national(), "(217) 555-0101");
    }

    #[test]
    fn the_masked_form_shows_the_last_four_only() {
        let m = MobileNumber::parse("(217) 555-0101").unwrap();
        assert_eq!(m.masked(), "(•••) •••-0101");
        assert!(MobileNumber::parse(&m.masked()).is_err(), "a masked number is not a number");
    }

    #[test]
    fn common_us_formats_become_e164() {
        for s in ["(217) 555-0101", "217-555-0101", "217.555.0101", "2175550101", "+1 217 555 0101", "1-217-555-0101"] {
            assert_eq!(MobileNumber::parse(s).unwrap().e164(), "+12175550101", "{s}");
        }
    }

    #[test]
    fn other_input_is_refused() {
        for s in ["", "555-0101", "+44 20 7946 0958", "(117) 555-0101", "217-155-0101", "217555010a", "22175550101"] {
            assert_eq!(MobileNumber::parse(s), Err(PhoneProblem), "{s}");
        }
    }
}
