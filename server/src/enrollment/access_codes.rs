//! Access codes (SPEC §2.4): made for each invitation, checked by their
//! HMAC (keyed outside the database, bound to the invitation's token), and
//! kept sealed so that staff and `portal access-code` can read one out.

use app::access_code::AccessCode;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::sealed::Sealer;
use crate::secret_key::{KeyRing, MacKeys, Purpose, SecretKey};

/// What the sealed copy is bound to besides the invitation.
pub const SEAL_CHANNEL: &str = "access-code";

pub struct AccessCodes {
    mac_keys: MacKeys,
    sealer: Sealer,
}

impl std::fmt::Debug for AccessCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessCodes(<keys redacted>)")
    }
}

/// A new code as an invitation stores it.
pub struct Stored {
    pub code: AccessCode,
    pub mac: String,
    pub sealed: String,
}

impl AccessCodes {
    pub fn new(key: &SecretKey) -> AccessCodes {
        AccessCodes::with_ring(&KeyRing::new(key.clone(), Vec::new()))
    }

    pub fn with_ring(ring: &KeyRing) -> AccessCodes {
        AccessCodes { mac_keys: ring.macs(Purpose::AccessCodeMac), sealer: Sealer::with_ring(ring, Purpose::AccessCodes) }
    }

    fn mac(&self, key: &[u8; 32], token_key: &str, code: &AccessCode) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(token_key.as_bytes());
        mac.update(b"\0");
        mac.update(code.expose().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A fresh code for the invitation whose token hashes to `token_key`.
    pub fn make(&self, token_key: &str) -> Stored {
        let mut rng = rand::rng();
        let code = AccessCode::generate(|n| rng.random_range(0..n));
        Stored { mac: self.mac(self.mac_keys.current(), token_key, &code), sealed: self.sealer.seal(SEAL_CHANNEL, token_key, code.expose()), code }
    }

    /// Whether `typed` is the code kept as `stored_mac` (made under any key of the ring).
    pub fn matches(&self, token_key: &str, stored_mac: &str, typed: &AccessCode) -> bool {
        self.mac_keys.all().any(|k| bool::from(self.mac(k, token_key, typed).as_bytes().ct_eq(stored_mac.as_bytes())))
    }

    /// What seals the copies staff read out (for `portal rekey`).
    pub fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    /// The code a sealed copy holds, if this key sealed it for this invitation.
    pub fn open(&self, token_key: &str, sealed: &str) -> Option<AccessCode> {
        self.sealer.open(SEAL_CHANNEL, token_key, sealed).ok().and_then(|c| AccessCode::parse(&c).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_only_its_own_invitation_and_opens_for_staff() {
        let codes = AccessCodes::new(&SecretKey::random());
        let s = codes.make("token-a");
        assert!(codes.matches("token-a", &s.mac, &s.code));
        assert!(codes.matches("token-a", &s.mac, &AccessCode::parse(&s.code.expose().to_lowercase()).unwrap()));
        assert!(!codes.matches("token-b", &s.mac, &s.code));
        assert_eq!(codes.open("token-a", &s.sealed), Some(s.code.clone()));
        assert_eq!(codes.open("token-b", &s.sealed), None);
        assert!(!s.mac.contains(s.code.expose()) && !s.sealed.contains(s.code.expose()));
        let other_key = AccessCodes::new(&SecretKey::random());
        assert!(!other_key.matches("token-a", &s.mac, &s.code));
    }
}
