//! The server's secret key (SPEC §6: `PORTAL_SECRET_KEY`): 32 random bytes
//! kept outside the database. It keys the audit chain's MAC and encrypts the
//! outbox's message bodies, each with a key of its own derived from it, so
//! that someone who can write the database can neither forge audit entries
//! nor read the links and codes waiting to go out.

use std::path::{Path, PathBuf};

use anyhow::Context;
use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The key's length in bytes.
pub const LEN: usize = 32;
/// Where development keeps the key it makes, under the data dir.
pub const DEV_FILE: &str = "secret.key";

/// SHA-256 of every key that was ever published in this repository: a
/// development key committed by mistake (`server/data/secret.key`, now
/// removed and ignored) and the test suite's. Whoever has the repository
/// has them, so production refuses them.
const PUBLISHED: [&str; 2] = [
    "cb14d09f7dc86a3f77af7950211308aa6cac293db0d0f73ca40c59b303b7386a",
    "1857bd0eb4087f5b1fe479f23350ee6ba54c7b92212639046468a6cf58f81bab",
];

/// 32 bytes that never print.
#[derive(Clone)]
pub struct SecretKey([u8; LEN]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// What a derived key is for; each use gets a different key.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    AuditMac,
    OutboxBodies,
    StaffAuthenticators,
    TwoStepCodes,
    AccessCodeMac,
    AccessCodes,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::AuditMac => b"portal/audit-mac/v1",
            Purpose::OutboxBodies => b"portal/outbox-bodies/v1",
            Purpose::StaffAuthenticators => b"portal/staff-totp/v1",
            Purpose::TwoStepCodes => b"portal/two-step-codes/v1",
            Purpose::AccessCodeMac => b"portal/access-code-mac/v1",
            Purpose::AccessCodes => b"portal/access-codes/v1",
        }
    }
}

impl SecretKey {
    /// The key written as `PORTAL_SECRET_KEY` holds it: base64 of 32 bytes.
    pub fn parse(text: &str) -> Result<SecretKey, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`)".to_string())?;
        let bytes: [u8; LEN] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("must be 32 bytes once base64-decoded, not {}", b.len()))?;
        Ok(SecretKey(bytes))
    }

    /// The key's public name, 8 hex digits of an HMAC under it: what a
    /// sealed value or a MAC says it was made with (it tells nothing of the key).
    pub fn id(&self) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"portal/key-id/v1");
        hex::encode(mac.finalize().into_bytes())[..8].to_string()
    }

    /// Whether this key was ever in the repository (and so is no secret).
    pub fn was_published(&self) -> bool {
        use sha2::Digest;
        let fingerprint = hex::encode(Sha256::digest(self.0));
        PUBLISHED.contains(&fingerprint.as_str())
    }

    pub fn random() -> SecretKey {
        SecretKey(rand::random())
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// The key for one purpose: HMAC-SHA256 of the purpose's label.
    pub fn derive(&self, purpose: Purpose) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.label());
        mac.finalize().into_bytes().into()
    }

    /// The key from a file holding its base64 (`PORTAL_SECRET_KEY_FILE`).
    pub fn read(path: &Path) -> anyhow::Result<SecretKey> {
        let text = std::fs::read_to_string(path).with_context(|| format!("PORTAL_SECRET_KEY_FILE: reading {}", path.display()))?;
        SecretKey::parse(&text).map_err(|e| anyhow::anyhow!("PORTAL_SECRET_KEY_FILE: {} {e}", path.display()))
    }

    /// Development's key: the one kept in `dir`, made there (readable by
    /// its owner only) the first time.
    pub fn kept_in(dir: &Path) -> anyhow::Result<SecretKey> {
        let path: PathBuf = dir.join(DEV_FILE);
        if path.exists() {
            return SecretKey::read(&path);
        }
        std::fs::create_dir_all(dir).with_context(|| format!("creating the data dir {} (PORTAL_DATA_DIR)", dir.display()))?;
        let key = SecretKey::random();
        write_private(&path, &key.to_base64())?;
        tracing::info!(file = %path.display(), "made a secret key for development; production sets PORTAL_SECRET_KEY");
        // Two processes starting at once: whichever wrote last, both use the file's.
        SecretKey::read(&path)
    }
}

/// `PORTAL_OLD_SECRET_KEYS`: keys as `PORTAL_SECRET_KEY` holds one,
/// comma-separated (spaces and empty places ignored, so an empty value is none).
#[derive(Debug, Clone, Default)]
pub struct OldKeys(pub Vec<SecretKey>);

impl OldKeys {
    pub fn parse(text: &str) -> Result<OldKeys, String> {
        let places = text.split(',').map(str::trim).filter(|k| !k.is_empty());
        places.enumerate().map(|(i, k)| SecretKey::parse(k).map_err(|e| format!("key {} {e}", i + 1))).collect::<Result<_, _>>().map(OldKeys)
    }
}

/// The key that seals and signs now, and older ones (`PORTAL_OLD_SECRET_KEYS`)
/// that still open and verify what they sealed or signed, until `portal
/// rekey` has re-sealed it all and the old codes have run out.
#[derive(Debug, Clone)]
pub struct KeyRing {
    pub current: SecretKey,
    pub old: Vec<SecretKey>,
}

impl KeyRing {
    pub fn new(current: SecretKey, old: Vec<SecretKey>) -> KeyRing {
        KeyRing { current, old }
    }

    /// Every key, the current one first.
    pub fn all(&self) -> impl Iterator<Item = &SecretKey> {
        std::iter::once(&self.current).chain(self.old.iter())
    }

    /// One purpose's derived keys, the current one first, each with its key's id.
    pub fn derived(&self, purpose: Purpose) -> Vec<(String, [u8; 32])> {
        self.all().map(|k| (k.id(), k.derive(purpose))).collect()
    }

    /// One purpose's keys for MACs: the current one makes, every one checks.
    pub fn macs(&self, purpose: Purpose) -> MacKeys {
        MacKeys(self.derived(purpose))
    }
}

/// One purpose's MAC keys, the current one first, each with its key's id.
#[derive(Clone)]
pub struct MacKeys(Vec<(String, [u8; 32])>);

impl std::fmt::Debug for MacKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacKeys(..)")
    }
}

impl MacKeys {
    /// The key that makes new MACs.
    pub fn current(&self) -> &[u8; 32] {
        &self.0[0].1
    }

    pub fn current_id(&self) -> &str {
        &self.0[0].0
    }

    /// Every key (a MAC made before a rotation still checks), current first.
    pub fn all(&self) -> impl Iterator<Item = &[u8; 32]> {
        self.0.iter().map(|(_, k)| k)
    }

    /// The key whose id is `id`, if it is in the ring.
    pub fn named(&self, id: &str) -> Option<&[u8; 32]> {
        self.0.iter().find(|(kid, _)| kid == id).map(|(_, k)| k)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing the development secret key {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing the development secret key {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_32_bytes_of_base64_and_never_prints() {
        let k = SecretKey::random();
        let text = k.to_base64();
        assert_eq!(SecretKey::parse(&text).unwrap().0, k.0);
        assert!(SecretKey::parse("c2hvcnQ=").unwrap_err().contains("not 5"));
        assert!(SecretKey::parse("not base64!").unwrap_err().contains("base64"));
        assert_eq!(format!("{k:?}"), "SecretKey(..)");
    }

    #[test]
    fn old_keys_are_a_comma_list_and_an_empty_one_is_none() {
        let (a, b) = (SecretKey::random(), SecretKey::random());
        let both = OldKeys::parse(&format!(" {}, {} ,", a.to_base64(), b.to_base64())).unwrap();
        assert_eq!(both.0.iter().map(SecretKey::id).collect::<Vec<_>>(), [a.id(), b.id()]);
        assert!(OldKeys::parse("").unwrap().0.is_empty());
        assert!(OldKeys::parse(&format!("{},nope", a.to_base64())).unwrap_err().starts_with("key 2 "));
        assert_ne!(a.id(), b.id());
        assert!(!format!("{both:?}").contains(&a.to_base64()), "never prints");
    }

    #[test]
    fn each_purpose_has_its_own_key() {
        let k = SecretKey::random();
        assert_ne!(k.derive(Purpose::AuditMac), k.derive(Purpose::OutboxBodies));
        assert_ne!(k.derive(Purpose::AuditMac), SecretKey::random().derive(Purpose::AuditMac));
    }

    #[test]
    fn development_makes_its_key_once_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = SecretKey::kept_in(dir.path()).unwrap();
        let again = SecretKey::kept_in(dir.path()).unwrap();
        assert_eq!(first.0, again.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(DEV_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only its owner may read the key");
        }
    }
}
