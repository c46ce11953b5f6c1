//! Secrets at rest: message bodies in the outbox (SPEC §4: links and codes
//! are there only while they wait, and only encrypted) and staff
//! authenticator secrets, each sealed with XChaCha20-Poly1305 under a key of
//! its own derived from `PORTAL_SECRET_KEY`. What the row is about (a
//! message's channel and recipient, a staff member's id) is bound to the
//! ciphertext, so a value moved to another row (say, one addressed to
//! whoever can write the database) no longer opens.

use base64::{engine::general_purpose::STANDARD, Engine};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::secret_key::{Purpose, SecretKey};

/// What starts every sealed body (its format's version).
const PREFIX: &str = "x1:";
const NONCE_LEN: usize = 24;

#[derive(Clone)]
pub struct Sealer(XChaCha20Poly1305);

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

/// Why a stored body does not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsealed {
    #[error("erased (a message's body, once it was sent or failed)")]
    Erased,
    #[error("not sealed with this server's key (PORTAL_SECRET_KEY)")]
    Refused,
}

fn aad(channel: &str, recipient: &str) -> Vec<u8> {
    let mut a = Vec::with_capacity(channel.len() + recipient.len() + 1);
    a.extend_from_slice(channel.as_bytes());
    a.push(0);
    a.extend_from_slice(recipient.as_bytes());
    a
}

impl Sealer {
    pub fn new(key: &SecretKey, purpose: Purpose) -> Sealer {
        Sealer(XChaCha20Poly1305::new(&key.derive(purpose).into()))
    }

    /// `body` as stored for a message on `channel` to `recipient`.
    pub fn seal(&self, channel: &str, recipient: &str, body: &str) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .0
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: body.as_bytes(), aad: &aad(channel, recipient) })
            .expect("encrypting a message body in memory cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", STANDARD.encode(out))
    }

    /// The body a row holds, if this key sealed it for this channel and recipient.
    pub fn open(&self, channel: &str, recipient: &str, stored: &str) -> Result<String, Unsealed> {
        if stored.is_empty() {
            return Err(Unsealed::Erased);
        }
        let bytes = stored.strip_prefix(PREFIX).and_then(|b| STANDARD.decode(b).ok()).ok_or(Unsealed::Refused)?;
        if bytes.len() < NONCE_LEN {
            return Err(Unsealed::Refused);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self
            .0
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &aad(channel, recipient) })
            .map_err(|_| Unsealed::Refused)?;
        String::from_utf8(plain).map_err(|_| Unsealed::Refused)
    }

    /// Whether `stored` is in the sealed format (not whether it opens).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_body_opens_only_for_its_row_and_key() {
        let key = SecretKey::random();
        let c = Sealer::new(&key, Purpose::OutboxBodies);
        let stored = c.seal("sms", "+12175550101", "Your code is 12345");
        assert!(!stored.contains("12345"));
        assert_eq!(c.open("sms", "+12175550101", &stored).unwrap(), "Your code is 12345");
        assert_eq!(c.open("sms", "+12175550199", &stored), Err(Unsealed::Refused));
        assert_eq!(c.open("voice", "+12175550101", &stored), Err(Unsealed::Refused));
        assert_eq!(Sealer::new(&SecretKey::random(), Purpose::OutboxBodies).open("sms", "+12175550101", &stored), Err(Unsealed::Refused));
        assert_eq!(c.open("sms", "+12175550101", "Your code is 12345"), Err(Unsealed::Refused));
        assert_eq!(c.open("sms", "+12175550101", ""), Err(Unsealed::Erased));
        assert_ne!(stored, c.seal("sms", "+12175550101", "Your code is 12345"), "a fresh nonce each time");
    }
}
