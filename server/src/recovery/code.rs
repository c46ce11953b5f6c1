//! Making and checking security codes: uniformly random digits, stored only
//! as an HMAC keyed by the reset link's token (so a copy of the database
//! alone can't be searched for the code), compared in constant time.

use app::code::SecurityCode;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// A new code of `digits` digits, each value equally likely.
pub fn generate(digits: usize) -> SecurityCode {
    let digits = digits.clamp(5, 8);
    let n: u32 = rand::rng().random_range(0..10u32.pow(digits as u32));
    SecurityCode::parse(&format!("{n:0digits$}"), digits).expect("formatted digits")
}

pub fn digest(code: &SecurityCode, link_token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(link_token.as_bytes()).expect("HMAC takes any key length");
    mac.update(code.expose().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn matches(stored: &str, code: &SecurityCode, link_token: &str) -> bool {
    digest(code, link_token).as_bytes().ct_eq(stored.as_bytes()).into()
}

/// The code as a voice call reads it: one digit at a time.
pub fn spoken(code: &SecurityCode) -> String {
    code.expose().chars().map(String::from).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_configured_length_and_cover_the_whole_range() {
        let codes: Vec<String> = (0..2000).map(|_| generate(5).expose().to_string()).collect();
        assert!(codes.iter().all(|c| c.len() == 5 && c.chars().all(|d| d.is_ascii_digit())));
        // Leading zeros happen (about 10 % of codes), so the range really is 00000-99999.
        let leading_zero = codes.iter().filter(|c| c.starts_with('0')).count();
        assert!((100..=320).contains(&leading_zero), "{leading_zero}");
        assert_eq!(generate(8).expose().len(), 8);
    }

    #[test]
    fn a_code_matches_only_its_own_digest_under_its_own_link() {
        let code = SecurityCode::parse("04217", 5).unwrap();
        let stored = digest(&code, "link-a");
        assert!(matches(&stored, &code, "link-a"));
        assert!(!matches(&stored, &code, "link-b"));
        assert!(!matches(&stored, &SecurityCode::parse("04218", 5).unwrap(), "link-a"));
        assert!(!stored.contains("04217"));
    }

    #[test]
    fn voice_reads_digits_one_by_one() {
        assert_eq!(spoken(&SecurityCode::parse("40217", 5).unwrap()), "4, 0, 2, 1, 7");
    }
}
