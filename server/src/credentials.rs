//! Password and security-answer hashing: argon2id at the SPEC §5 parameters,
//! at most one hash per core at a time, a capped queue behind that (past it the
//! caller gets `Busy`), and a dummy hash to verify against for unknown users.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version, ARGON2ID_IDENT};
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// OWASP's argon2id recommendation (SPEC §5): memory in KiB and passes.
pub const OWASP_MEMORY_KIB: u32 = 19456;
pub const OWASP_ITERATIONS: u32 = 2;

/// OWASP's equivalent (memory KiB, passes) pairs, one thread each: less
/// memory needs more passes.
const OWASP_PAIRS: [(u32, u32); 5] = [(47104, 1), (OWASP_MEMORY_KIB, OWASP_ITERATIONS), (12288, 3), (9216, 4), (7168, 5)];

impl Default for HashParams {
    fn default() -> Self {
        HashParams { memory_kib: OWASP_MEMORY_KIB, iterations: OWASP_ITERATIONS, parallelism: 1 }
    }
}

impl HashParams {
    /// At least one of OWASP's pairs in both memory and passes.
    pub fn meets_owasp(&self) -> bool {
        self.parallelism >= 1 && OWASP_PAIRS.iter().any(|&(m, t)| self.memory_kib >= m && self.iterations >= t)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("too many hashes waiting")]
    Busy,
    #[error("hashing failed: {0}")]
    Failed(String),
}

enum Job {
    Hash(String, oneshot::Sender<Result<String, HashError>>),
    Verify(String, String, oneshot::Sender<bool>),
}

struct Inner {
    /// Each job with when it was queued (for the wait metric).
    jobs: SyncSender<(std::time::Instant, Job)>,
    dummy: String,
    /// Verifications handed to the threads so far (dummy ones included).
    verified: AtomicU64,
    /// New hashes handed to the threads so far.
    made: AtomicU64,
}

/// Hashes and verifies on `workers` threads of its own, each with its
/// argon2 memory allocated once at start (so memory stays at workers × m,
/// whatever the load); up to `max_queued` jobs wait, past that callers are
/// told `Busy`. A caller that gives up leaves its job to finish: a core is
/// never asked for two hashes at once.
#[derive(Clone)]
pub struct Hasher(Arc<Inner>);

/// One hashing thread's tools: the configured argon2id and its own memory.
struct Worker {
    argon: Argon2<'static>,
    params: ParamsString,
    blocks: Vec<Block>,
}

impl Worker {
    fn hash(&mut self, secret: &[u8]) -> Result<String, HashError> {
        let fail = |e: &dyn std::fmt::Display| HashError::Failed(e.to_string());
        let salt_bytes: [u8; 16] = rand::random();
        let mut out = [0u8; 32];
        self.argon.hash_password_into_with_memory(secret, &salt_bytes, &mut out, &mut self.blocks).map_err(|e| fail(&e))?;
        let hash = PasswordHash {
            algorithm: ARGON2ID_IDENT,
            version: Some(Version::V0x13.into()),
            params: self.params.clone(),
            salt: Some(Salt::new(&salt_bytes).map_err(|e| fail(&e))?),
            hash: Some(Output::new(&out).map_err(|e| fail(&e))?),
        };
        Ok(hash.to_string())
    }

    /// Hashes at this worker's parameters use its memory; any other (made
    /// before a configuration change) goes through the library's own verify.
    fn verify(&mut self, secret: &[u8], stored: &str) -> bool {
        let Ok(h) = PasswordHash::new(stored) else { return false };
        let ours = h.algorithm == ARGON2ID_IDENT && h.version == Some(Version::V0x13.into()) && h.params == self.params;
        match (&h.salt, &h.hash) {
            (Some(salt), Some(expected)) if ours => {
                let mut buf = [0u8; 64];
                let Some(out) = buf.get_mut(..expected.len()) else { return false };
                self.argon.hash_password_into_with_memory(secret, salt.as_ref(), out, &mut self.blocks).is_ok()
                    && bool::from(out.ct_eq(expected.as_bytes()))
            }
            _ => self.argon.verify_password(secret, &h).is_ok(),
        }
    }

    fn serve(mut self, jobs: Arc<Mutex<Receiver<(std::time::Instant, Job)>>>) {
        loop {
            let job = match jobs.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let job = job.map(|(queued, job)| {
                crate::metrics::hash_started(queued.elapsed());
                job
            });
            match job {
                Ok(Job::Hash(secret, reply)) => {
                    let _ = reply.send(self.hash(secret.as_bytes()));
                }
                Ok(Job::Verify(secret, stored, reply)) => {
                    let _ = reply.send(self.verify(secret.as_bytes(), &stored));
                }
                Err(_) => return, // the Hasher is gone
            }
        }
    }
}

impl Hasher {
    /// `workers` hashes run at once (the core count); up to `max_queued` more wait.
    pub fn new(params: HashParams, workers: usize, max_queued: usize) -> anyhow::Result<Hasher> {
        let p = Params::new(params.memory_kib, params.iterations, params.parallelism, None)
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p.clone());
        let params_string = ParamsString::try_from(&p).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let dummy = argon
            .hash_password(b"dummy password for unknown usernames")
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))?
            .to_string();
        let (tx, rx) = sync_channel(max_queued);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..workers.max(1) {
            let worker = Worker { argon: argon.clone(), params: params_string.clone(), blocks: vec![Block::default(); p.block_count()] };
            let rx = Arc::clone(&rx);
            std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || worker.serve(rx))?;
        }
        Ok(Hasher(Arc::new(Inner { jobs: tx, dummy, verified: AtomicU64::new(0), made: AtomicU64::new(0) })))
    }

    pub fn workers() -> usize {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    }

    fn submit(&self, job: Job) -> Result<(), HashError> {
        self.0.jobs.try_send((std::time::Instant::now(), job)).map_err(|e| match e {
            TrySendError::Full(_) => HashError::Busy,
            TrySendError::Disconnected(_) => HashError::Failed("the hashing threads stopped".into()),
        })?;
        crate::metrics::hash_queued();
        Ok(())
    }

    /// How many verifications (dummy ones included) were run or queued so far.
    pub fn verifications(&self) -> u64 {
        self.0.verified.load(Ordering::Relaxed)
    }

    /// How many new hashes were run or queued so far.
    pub fn hashes_made(&self) -> u64 {
        self.0.made.load(Ordering::Relaxed)
    }

    pub async fn hash(&self, secret: String) -> Result<String, HashError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Hash(secret, reply))?;
        self.0.made.fetch_add(1, Ordering::Relaxed);
        answer.await.map_err(|e| HashError::Failed(e.to_string()))?
    }

    /// True when `secret` matches `stored`. With no stored hash (unknown user),
    /// verifies against the dummy hash so the time taken is the same, and says no.
    pub async fn verify(&self, secret: String, stored: Option<String>) -> Result<bool, HashError> {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.0.dummy.clone());
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Verify(secret, stored, reply))?;
        self.0.verified.fetch_add(1, Ordering::Relaxed);
        let matched = answer.await.map_err(|e| HashError::Failed(e.to_string()))?;
        Ok(known && matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> HashParams {
        HashParams { memory_kib: 64, iterations: 1, parallelism: 1 }
    }

    #[test]
    fn owasp_minimum_is_one_of_its_pairs() {
        assert!(HashParams::default().meets_owasp());
        assert!(HashParams { memory_kib: 47104, iterations: 1, parallelism: 1 }.meets_owasp());
        assert!(HashParams { memory_kib: 7168, iterations: 5, parallelism: 1 }.meets_owasp());
        assert!(!HashParams { memory_kib: 19455, iterations: 2, parallelism: 1 }.meets_owasp());
        assert!(!HashParams { memory_kib: 19456, iterations: 1, parallelism: 1 }.meets_owasp());
        assert!(!HashParams { memory_kib: 1024, iterations: 1, parallelism: 1 }.meets_owasp());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_own_secret_only() {
        let h = Hasher::new(fast(), 1, 8).unwrap();
        let stored = h.hash("Harbor-Lantern-73".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(h.verify("Harbor-Lantern-73".into(), Some(stored.clone())).await.unwrap());
        assert!(!h.verify("harbor-lantern-73".into(), Some(stored)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_users_are_checked_against_the_dummy_and_never_match() {
        let h = Hasher::new(fast(), 1, 8).unwrap();
        assert!(!h.verify("dummy password for unknown usernames".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn default_parameters_are_owasp_argon2id() {
        let h = Hasher::new(HashParams::default(), 1, 8).unwrap();
        let stored = h.hash("x".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    }

    #[tokio::test]
    async fn hashes_made_elsewhere_with_other_parameters_still_verify() {
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(128, 2, 1, None).unwrap());
        let stored = other.hash_password(b"Harbor-Lantern-73").unwrap().to_string();
        let h = Hasher::new(fast(), 1, 8).unwrap();
        assert!(h.verify("Harbor-Lantern-73".into(), Some(stored.clone())).await.unwrap());
        assert!(!h.verify("Harbor-Lantern-74".into(), Some(stored)).await.unwrap());
        // And ours verify with the library's own code.
        let ours = h.hash("Harbor-Lantern-73".into()).await.unwrap();
        let p = Params::new(64, 1, 1, None).unwrap();
        let lib = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
        assert!(lib.verify_password(b"Harbor-Lantern-73", &PasswordHash::new(&ours).unwrap()).is_ok());
    }

    #[tokio::test]
    async fn past_the_queue_cap_callers_are_told_busy() {
        let h = Hasher::new(HashParams { memory_kib: 8192, iterations: 3, parallelism: 1 }, 1, 1).unwrap();
        let jobs: Vec<_> = (0..6).map(|_| { let h = h.clone(); tokio::spawn(async move { h.hash("x".into()).await }) }).collect();
        let mut busy = 0;
        for j in jobs {
            if matches!(j.await.unwrap(), Err(HashError::Busy)) {
                busy += 1;
            }
        }
        assert!(busy >= 1, "with one worker and one queue slot, six at once must turn some away");
    }
}
