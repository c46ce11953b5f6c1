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
use crate::secret_key::MacKeys;

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

/// A setup code as kept (under the current key).
pub fn setup_digest(keys: &MacKeys, account: AccountId, code: &SecurityCode) -> String {
    keyed(keys.current(), "two-step-setup:", account, code.expose())
}

/// Whether `code` is the setup code kept as `stored` (under any key of the ring).
pub fn setup_matches(keys: &MacKeys, account: AccountId, stored: &str, code: &SecurityCode) -> bool {
    keys.all().any(|k| bool::from(keyed(k, "two-step-setup:", account, code.expose()).as_bytes().ct_eq(stored.as_bytes())))
}

/// A backup code as kept, under the current key; `code` as [`app::two_step::TypedCode`] normalised it.
pub fn backup_digest(keys: &MacKeys, account: AccountId, code: &str) -> String {
    keyed(keys.current(), "two-step-backup:", account, code)
}

/// What a backup code may be kept as: under each key of the ring, the current first
/// (codes made before a rotation keep working until used).
pub fn backup_digests(keys: &MacKeys, account: AccountId, code: &str) -> Vec<String> {
    keys.all().map(|k| keyed(k, "two-step-backup:", account, code)).collect()
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
    fn digests_are_bound_to_the_account_and_the_key_and_old_keys_still_check() {
        use crate::secret_key::{KeyRing, Purpose, SecretKey};
        let (old, new) = (SecretKey::random(), SecretKey::random());
        let keys = KeyRing::new(old.clone(), Vec::new()).macs(Purpose::TwoStepCodes);
        let (one, two) = (AccountId::new(1), AccountId::new(2));
        let code = SecurityCode::parse("123456", 6).unwrap();
        let kept = setup_digest(&keys, one, &code);
        assert!(setup_matches(&keys, one, &kept, &code));
        assert!(!setup_matches(&keys, two, &kept, &code));
        let other = KeyRing::new(new.clone(), Vec::new()).macs(Purpose::TwoStepCodes);
        assert!(!setup_matches(&other, one, &kept, &code));
        let rotated = KeyRing::new(new, vec![old]).macs(Purpose::TwoStepCodes);
        assert!(setup_matches(&rotated, one, &kept, &code), "made before the rotation");
        let backup = backup_digest(&keys, one, "abcde23456");
        assert_ne!(backup, backup_digest(&keys, two, "abcde23456"));
        assert!(backup_digests(&rotated, one, "abcde23456").contains(&backup));
        assert_ne!(backup_digest(&rotated, one, "abcde23456"), backup, "new codes are made under the new key");
    }
}
