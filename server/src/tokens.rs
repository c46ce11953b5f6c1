//! 256-bit random tokens (session ids, reset links, invitations): handed out
//! once, stored only as their SHA-256, hidden from `Debug`.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub struct SecretToken(String);

impl SecretToken {
    pub fn generate() -> SecretToken {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        SecretToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token as a client presented it (cookie, URL); unchecked until looked up.
    pub fn from_presented(value: String) -> SecretToken {
        SecretToken(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn storage_key(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_and_stored_only_hashed() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_eq!(URL_SAFE_NO_PAD.decode(a.expose()).unwrap().len(), 32);
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.storage_key().len(), 64);
        assert!(!a.storage_key().contains(a.expose()));
        assert!(!format!("{a:?}").contains(a.expose()));
    }
}
