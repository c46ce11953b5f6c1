//! The codes of two-step verification: six random digits sent by text or
//! email (kept as an HMAC keyed by the sign-in's own token, or, while a
//! patient sets it up, by the server's two-step key), and ten single-use
//! backup codes (kept only as HMACs under that key).

use app::ids::AccountId;
use app::i18n::{t, Lang};
use app::code::SecurityCode;
use app::two_step::{BACKUP_CODES, BACKUP_CODE_CHARS, CODE_DIGITS, CODE_LIFE_MINUTES};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::outbox::Channel;

/// Letters and digits that can't be mistaken for each other (no 0/o, 1/l/i).
const BACKUP_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

pub fn new_code() -> SecurityCode {
    crate::recovery::code::generate(CODE_DIGITS)
}

/// The code as typed, if it has the digits of a code.
pub fn typed(digits: &str) -> Option<SecurityCode> {
    SecurityCode::parse(digits, CODE_DIGITS).ok()
}

fn keyed(key: &[u8], purpose: &str, account: AccountId, code: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.update(&account.get().to_be_bytes());
    mac.update(code.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A setup code as kept.
pub fn setup_digest(key: &[u8; 32], account: AccountId, code: &SecurityCode) -> String {
    keyed(key, "two-step-setup:", account, code.expose())
}

pub fn setup_matches(key: &[u8; 32], account: AccountId, stored: &str, code: &SecurityCode) -> bool {
    setup_digest(key, account, code).as_bytes().ct_eq(stored.as_bytes()).into()
}

/// A backup code as kept; `code` as [`app::two_step::TypedCode`] normalised it.
pub fn backup_digest(key: &[u8; 32], account: AccountId, code: &str) -> String {
    keyed(key, "two-step-backup:", account, code)
}

/// Ten new backup codes, as shown ("abcde-fghjk").
pub fn new_backup_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..BACKUP_CODES)
        .map(|_| {
            let raw: String = (0..BACKUP_CODE_CHARS).map(|_| BACKUP_ALPHABET[rng.random_range(0..BACKUP_ALPHABET.len())] as char).collect();
            let (a, b) = raw.split_at(BACKUP_CODE_CHARS / 2);
            format!("{a}-{b}")
        })
        .collect()
}

/// A backup code as shown, in the form the typed-code parser gives it (so
/// that a code typed as shown meets its digest).
pub fn normalised(shown: &str) -> String {
    match app::two_step::TypedCode::parse(shown) {
        Ok(app::two_step::TypedCode::Backup(code)) => code,
        _ => shown.to_string(),
    }
}

/// The subject and body of a message carrying a two-step code.
pub fn message(channel: Channel, code: &SecurityCode, lang: Lang) -> (&'static str, String) {
    match channel {
        Channel::Email => (t::verification_email_subject(lang), t::verification_email_body(lang, code.expose(), CODE_LIFE_MINUTES)),
        _ => ("", t::verification_text(lang, code.expose(), CODE_LIFE_MINUTES)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::two_step::TypedCode;

    #[test]
    fn backup_codes_are_ten_distinct_and_parse_as_typed() {
        let codes = new_backup_codes();
        assert_eq!(codes.len(), 10);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        for c in &codes {
            assert_eq!(TypedCode::parse(c), Ok(TypedCode::Backup(normalised(c))));
            assert_eq!(TypedCode::parse(&c.to_uppercase()), Ok(TypedCode::Backup(normalised(c))));
        }
    }

    #[test]
    fn digests_are_bound_to_the_account_and_the_key() {
        let key = [7u8; 32];
        let (one, two) = (AccountId::new(1), AccountId::new(2));
        let code = SecurityCode::parse("123456", 6).unwrap();
        let kept = setup_digest(&key, one, &code);
        assert!(setup_matches(&key, one, &kept, &code));
        assert!(!setup_matches(&key, two, &kept, &code));
        assert!(!setup_matches(&[8u8; 32], one, &kept, &code));
        assert_ne!(backup_digest(&key, one, "abcde23456"), backup_digest(&key, two, "abcde23456"));
    }
}
