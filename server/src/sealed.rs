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

use crate::secret_key::{KeyRing, Purpose, SecretKey};

/// What started every sealed body before sealed values named their key.
const PREFIX: &str = "x1:";
/// What starts a sealed value now: `x2:{key id}:{base64}`.
const NAMED: &str = "x2:";
const NONCE_LEN: usize = 24;

/// Seals under the current key; opens what the current key or an old one
/// (`PORTAL_OLD_SECRET_KEYS`) sealed, the one the value names.
#[derive(Clone)]
pub struct Sealer {
    current: (String, XChaCha20Poly1305),
    old: Vec<(String, XChaCha20Poly1305)>,
}

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
        Sealer::with_ring(&KeyRing::new(key.clone(), Vec::new()), purpose)
    }

    pub fn with_ring(ring: &KeyRing, purpose: Purpose) -> Sealer {
        let mut keys = ring.derived(purpose).into_iter().map(|(id, k)| (id, XChaCha20Poly1305::new(&k.into())));
        let current = keys.next().expect("a key ring has its current key");
        Sealer { current, old: keys.collect() }
    }

    /// `body` as stored for a message on `channel` to `recipient`, naming the current key.
    pub fn seal(&self, channel: &str, recipient: &str, body: &str) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .current
            .1
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: body.as_bytes(), aad: &aad(channel, recipient) })
            .expect("encrypting a message body in memory cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{NAMED}{}:{}", self.current.0, STANDARD.encode(out))
    }

    /// The body a row holds, if a key of the ring sealed it for this channel
    /// and recipient: the key it names, or (sealed before values named
    /// their key) any of them.
    pub fn open(&self, channel: &str, recipient: &str, stored: &str) -> Result<String, Unsealed> {
        if stored.is_empty() {
            return Err(Unsealed::Erased);
        }
        let (candidates, b64): (Vec<&XChaCha20Poly1305>, &str) = if let Some(rest) = stored.strip_prefix(NAMED) {
            let (id, b64) = rest.split_once(':').ok_or(Unsealed::Refused)?;
            (self.keys().filter(|(kid, _)| kid == id).map(|(_, c)| c).collect(), b64)
        } else {
            (self.keys().map(|(_, c)| c).collect(), stored.strip_prefix(PREFIX).ok_or(Unsealed::Refused)?)
        };
        let bytes = STANDARD.decode(b64).map_err(|_| Unsealed::Refused)?;
        if bytes.len() < NONCE_LEN {
            return Err(Unsealed::Refused);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let aad = aad(channel, recipient);
        let plain = candidates
            .into_iter()
            .find_map(|c| c.decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &aad }).ok())
            .ok_or(Unsealed::Refused)?;
        String::from_utf8(plain).map_err(|_| Unsealed::Refused)
    }

    /// Whether `stored` was sealed under the current key (else `portal rekey` re-seals it).
    pub fn is_current(&self, stored: &str) -> bool {
        stored.strip_prefix(NAMED).and_then(|rest| rest.split_once(':')).is_some_and(|(id, _)| id == self.current.0)
    }

    fn keys(&self) -> impl Iterator<Item = &(String, XChaCha20Poly1305)> {
        std::iter::once(&self.current).chain(self.old.iter())
    }

    /// Whether `stored` is in a sealed format (not whether it opens).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX) || stored.starts_with(NAMED)
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

    #[test]
    fn a_value_names_its_key_and_old_keys_still_open_it() {
        let (old, new) = (SecretKey::random(), SecretKey::random());
        let before = Sealer::new(&old, Purpose::OutboxBodies).seal("sms", "+12175550101", "Your code is 12345");
        assert!(before.starts_with(&format!("x2:{}:", old.id())), "{before}");
        let rotated = Sealer::with_ring(&KeyRing::new(new.clone(), vec![old.clone()]), Purpose::OutboxBodies);
        assert_eq!(rotated.open("sms", "+12175550101", &before).unwrap(), "Your code is 12345");
        assert!(!rotated.is_current(&before));
        let after = rotated.seal("sms", "+12175550101", "Your code is 12345");
        assert!(rotated.is_current(&after) && after.starts_with(&format!("x2:{}:", new.id())));
        assert_eq!(Sealer::new(&new, Purpose::OutboxBodies).open("sms", "+12175550101", &before), Err(Unsealed::Refused), "the old key dropped");
        // A value that names a key it wasn't sealed with doesn't open.
        let renamed = before.replacen(&old.id(), &new.id(), 1);
        assert_eq!(rotated.open("sms", "+12175550101", &renamed), Err(Unsealed::Refused));
    }

    #[test]
    fn a_value_sealed_before_values_named_their_key_still_opens() {
        let key = SecretKey::random();
        let c = Sealer::new(&key, Purpose::OutboxBodies);
        let named = c.seal("sms", "+1", "hi");
        let b64 = named.splitn(3, ':').nth(2).unwrap();
        let legacy = format!("x1:{b64}");
        assert_eq!(c.open("sms", "+1", &legacy).unwrap(), "hi");
        assert!(Sealer::is_sealed(&legacy) && !c.is_current(&legacy));
    }
}
