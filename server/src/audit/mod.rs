//! The append-only audit log (SPEC §3). Each entry carries an HMAC, keyed by
//! `PORTAL_SECRET_KEY` (outside the database), over its fields and the
//! previous entry's MAC: whoever can write the database can't edit, insert
//! or delete an entry and recompute the chain. Deleting the newest entries is
//! caught by checking against a head (`portal audit head`) kept elsewhere.
//! Entries never hold a password, token, code or answer.
//!
//! Entries written before the chain was keyed carry a plain SHA-256 link;
//! they are checked as before, and only ever before the first keyed entry,
//! whose MAC covers the last of them.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use app::ids::{AccountId, PatientId};

use crate::client::ClientMeta;
use crate::secret_key::{KeyRing, MacKeys, Purpose, SecretKey};
use crate::store::audit as store;
use crate::store::{Dialect, Store, Tx};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// What starts a keyed entry's stored MAC (an unkeyed, older entry's hash has no prefix).
const KEYED: &str = "hmac:";

pub mod detail;
pub mod vocabulary;

pub use vocabulary::{Actor, Event};

/// An entry to append: the one shape every audited change takes.
pub struct Entry<'a> {
    /// The chart it is about, if any.
    pub patient_id: Option<PatientId>,
    pub actor: Actor,
    pub event: Event,
    pub detail: &'a str,
    pub client: &'a ClientMeta,
}

/// The fields an entry's MAC covers, in order.
struct Fields<'a> {
    prev: &'a str,
    at: i64,
    patient_id: Option<PatientId>,
    actor: &'a str,
    event: &'a str,
    detail: &'a str,
    ip: &'a str,
    ua: &'a str,
}

impl Fields<'_> {
    /// Each field length-prefixed, so that no two entries feed the same bytes.
    fn feed(&self, mut update: impl FnMut(&[u8])) {
        let patient = self.patient_id.map(|p| p.to_string()).unwrap_or_default();
        for field in [self.prev, &self.at.to_string(), &patient, self.actor, self.event, self.detail, self.ip, self.ua] {
            update(&(field.len() as u64).to_be_bytes());
            update(field.as_bytes());
        }
    }

    fn unkeyed_hash(&self) -> String {
        let mut h = Sha256::new();
        self.feed(|b| h.update(b));
        hex::encode(h.finalize())
    }
}

fn mac_hex(key: &[u8; 32], f: &Fields<'_>) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    f.feed(|b| mac.update(b));
    hex::encode(mac.finalize().into_bytes())
}

/// The MAC of a stored keyed hash, without its key's id (as `portal audit head` prints it).
fn mac_of(stored: &str) -> Option<&str> {
    stored.strip_prefix(KEYED).map(|m| m.rsplit(':').next().unwrap_or(m))
}

/// Appends to and checks the chain with the server's audit key.
#[derive(Clone)]
pub struct Chain {
    dialect: Dialect,
    keys: MacKeys,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Chain(..)")
    }
}

/// The newest entry as an operator keeps it: `ID:MAC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub id: i64,
    pub mac: String,
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.id, self.mac)
    }
}

impl std::str::FromStr for Head {
    type Err = String;
    fn from_str(s: &str) -> Result<Head, String> {
        let bad = || format!("{s:?} is not a head as `portal audit head` prints it (ID:MAC)");
        let (id, mac) = s.trim().split_once(':').ok_or_else(bad)?;
        let id = id.parse().map_err(|_| bad())?;
        if mac.len() != 64 || !mac.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Head { id, mac: mac.to_ascii_lowercase() })
    }
}

/// What a check of the whole chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every link holds (and reaches the given head): how many entries, how many of them unkeyed.
    Intact { entries: u64, unkeyed: u64 },
    /// The first entry (primary key) whose MAC or link doesn't hold, or the
    /// given head's, when it is gone or differs.
    BrokenAt(i64),
}

impl Verdict {
    /// What `portal audit verify` prints, and whether the check passed:
    /// entries from before the chain was keyed pass only when the operator
    /// allows them (`allow_legacy`), since their hashes need no key.
    pub fn report(&self, allow_legacy: bool) -> (String, bool) {
        match *self {
            Verdict::Intact { entries, unkeyed: 0 } => (format!("audit chain intact ({entries} entries)"), true),
            Verdict::Intact { entries, unkeyed } if allow_legacy => {
                (format!("audit chain intact ({entries} entries, the first {unkeyed} from before the chain was keyed)"), true)
            }
            Verdict::Intact { unkeyed, .. } => (
                format!(
                    "the first {unkeyed} entries are from before the chain was keyed: anyone who could write the database could have \
                     rewritten them; pass --allow-legacy to accept them"
                ),
                false,
            ),
            Verdict::BrokenAt(id) => (format!("broken at entry {id}"), false),
        }
    }
}

impl Chain {
    pub fn new(dialect: Dialect, key: &SecretKey) -> Chain {
        Chain::with_ring(dialect, &KeyRing::new(key.clone(), Vec::new()))
    }

    pub fn with_ring(dialect: Dialect, ring: &KeyRing) -> Chain {
        Chain { dialect, keys: ring.macs(Purpose::AuditMac) }
    }

    /// The stored MAC of a new entry: `hmac:{key id}:{hex}`, under the current key.
    fn mac(&self, f: &Fields<'_>) -> String {
        format!("{KEYED}{}:{}", self.keys.current_id(), mac_hex(self.keys.current(), f))
    }

    /// Whether `stored` (after `hmac:`) is the MAC of `f` under the key it
    /// names, or, made before MACs named their key, under any key of the ring.
    fn holds(&self, stored: &str, f: &Fields<'_>) -> bool {
        let (hex, keys): (&str, Vec<&[u8; 32]>) = match stored.split_once(':') {
            Some((id, hex)) => (hex, self.keys.named(id).into_iter().collect()),
            None => (stored, self.keys.all().collect()),
        };
        keys.into_iter().any(|k| bool::from(mac_hex(k, f).as_bytes().ct_eq(hex.as_bytes())))
    }

    /// Appends `event` done by the patient of `account`, on the chart that
    /// account signs in to (its own, else one it sees; none if it sees none).
    #[allow(clippy::too_many_arguments)]
    pub async fn append_for_account(&self, tx: &mut Tx, account: AccountId, event: Event, detail: &str, client: &ClientMeta, at: i64) -> sqlx::Result<()> {
        let patient_id = crate::store::grants::home_chart(&mut **tx, account, at).await?;
        self.append(tx, Entry { patient_id, actor: Actor::Patient, event, detail, client }, at).await
    }

    pub async fn append(&self, tx: &mut Tx, entry: Entry<'_>, now: i64) -> sqlx::Result<()> {
        let prev = store::newest_hash_for_append(tx, self.dialect).await?.unwrap_or_else(|| GENESIS.to_string());
        let ip = entry.client.ip_text();
        let ua = &entry.client.user_agent;
        let actor = entry.actor.text();
        let fields = Fields { prev: &prev, at: now, patient_id: entry.patient_id, actor: &actor, event: entry.event.as_str(), detail: entry.detail, ip: &ip, ua };
        let hash = self.mac(&fields);
        let row = store::AuditRow {
            id: 0,
            at: now,
            patient_id: entry.patient_id,
            actor,
            event: entry.event.as_str().to_string(),
            detail: entry.detail.to_string(),
            ip,
            user_agent: ua.clone(),
            prev_hash: prev,
            hash,
        };
        store::insert(tx, &row).await?;
        crate::metrics::event(entry.event.as_str());
        Ok(())
    }

    /// Walks the chain from the first entry; with `head`, the chain must still
    /// hold that entry with that MAC.
    pub async fn verify(&self, store: &Store, head: Option<&Head>) -> anyhow::Result<Verdict> {
        let rows = store::all(store).await?;
        let mut prev = GENESIS.to_string();
        let (mut keyed_seen, mut unkeyed, mut head_found) = (false, 0, false);
        for r in &rows {
            let f = Fields { prev: &prev, at: r.at, patient_id: r.patient_id, actor: &r.actor, event: &r.event, detail: &r.detail, ip: &r.ip, ua: &r.user_agent };
            let holds = if let Some(stored) = r.hash.strip_prefix(KEYED) {
                keyed_seen = true;
                self.holds(stored, &f)
            } else {
                unkeyed += 1;
                !keyed_seen && f.unkeyed_hash() == r.hash
            };
            if r.prev_hash != prev || !holds {
                return Ok(Verdict::BrokenAt(r.id));
            }
            if let Some(h) = head.filter(|h| h.id == r.id) {
                if mac_of(&r.hash) != Some(h.mac.as_str()) {
                    return Ok(Verdict::BrokenAt(h.id));
                }
                head_found = true;
            }
            prev = r.hash.clone();
        }
        match head {
            Some(h) if !head_found => Ok(Verdict::BrokenAt(h.id)),
            _ => Ok(Verdict::Intact { entries: rows.len() as u64, unkeyed }),
        }
    }
}

/// The newest entry's id and MAC, once the chain is keyed.
pub async fn head(store: &Store) -> anyhow::Result<Option<Head>> {
    Ok(store::newest(store).await?.and_then(|(id, hash)| mac_of(&hash).map(|mac| Head { id, mac: mac.to_string() })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(prev: &'a str, at: i64, patient_id: Option<i64>, event: &'a str, detail: &'a str) -> Fields<'a> {
        Fields { prev, at, patient_id: patient_id.map(PatientId::new), actor: "patient", event, detail, ip: "127.0.0.1", ua: "ua" }
    }

    #[test]
    fn the_mac_covers_every_field_and_the_previous_mac_and_needs_the_key() {
        let chain = Chain::new(Dialect::Sqlite, &SecretKey::random());
        let base = chain.mac(&fields(GENESIS, 1, Some(2), "sign_in", ""));
        assert!(base.starts_with(KEYED));
        assert_ne!(base, chain.mac(&fields("1", 1, Some(2), "sign_in", "")));
        assert_ne!(base, chain.mac(&fields(GENESIS, 2, Some(2), "sign_in", "")));
        assert_ne!(base, chain.mac(&fields(GENESIS, 1, None, "sign_in", "")));
        assert_ne!(base, chain.mac(&fields(GENESIS, 1, Some(2), "sign_i", "n")));
        assert_eq!(base, chain.mac(&fields(GENESIS, 1, Some(2), "sign_in", "")));
        let other = Chain::new(Dialect::Sqlite, &SecretKey::random());
        assert_ne!(base, other.mac(&fields(GENESIS, 1, Some(2), "sign_in", "")), "another key, another MAC");
    }

    #[test]
    fn entries_from_before_the_key_pass_only_when_allowed() {
        assert_eq!(Verdict::Intact { entries: 3, unkeyed: 0 }.report(false), ("audit chain intact (3 entries)".to_string(), true));
        assert!(!Verdict::Intact { entries: 3, unkeyed: 1 }.report(false).1);
        assert!(Verdict::Intact { entries: 3, unkeyed: 1 }.report(true).1);
        assert!(!Verdict::BrokenAt(2).report(true).1, "allowing old entries never passes a broken chain");
    }

    #[test]
    fn a_head_reads_as_it_prints() {
        let h = Head { id: 42, mac: "ab".repeat(32) };
        assert_eq!(h.to_string().parse::<Head>().unwrap(), h);
        assert!("42".parse::<Head>().is_err());
        assert!("x:abcd".parse::<Head>().is_err());
        assert!(format!("42:{}", "zz".repeat(32)).parse::<Head>().is_err());
    }
}
