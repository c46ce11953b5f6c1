//! Password and security-answer hashing: argon2id at the SPEC §5 parameters,
//! at most one hash per core at a time, a capped queue behind that (past it the
//! caller gets `Busy`), and a dummy hash to verify against for unknown users.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use tokio::sync::Semaphore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashParams {
    /// OWASP's argon2id recommendation (SPEC §5).
    fn default() -> Self {
        HashParams { memory_kib: 19456, iterations: 2, parallelism: 1 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("too many hashes waiting")]
    Busy,
    #[error("hashing failed: {0}")]
    Failed(String),
}

struct Inner {
    argon: Argon2<'static>,
    permits: Arc<Semaphore>,
    in_flight: Arc<AtomicUsize>,
    /// Hashes running plus waiting, past which callers are turned away.
    capacity: usize,
    dummy: String,
}

#[derive(Clone)]
pub struct Hasher(Arc<Inner>);

/// Counts a caller from arrival until its hash is done or it gives up.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(inner: &Inner) -> Result<InFlight, HashError> {
        let before = inner.in_flight.fetch_add(1, Ordering::AcqRel);
        let guard = InFlight(Arc::clone(&inner.in_flight));
        if before >= inner.capacity {
            return Err(HashError::Busy);
        }
        Ok(guard)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Hasher {
    /// `workers` hashes run at once (the core count); up to `max_queued` more wait.
    pub fn new(params: HashParams, workers: usize, max_queued: usize) -> anyhow::Result<Hasher> {
        let p = Params::new(params.memory_kib, params.iterations, params.parallelism, None)
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
        let dummy = argon
            .hash_password(b"dummy password for unknown usernames")
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))?
            .to_string();
        Ok(Hasher(Arc::new(Inner {
            argon,
            permits: Arc::new(Semaphore::new(workers.max(1))),
            in_flight: Arc::new(AtomicUsize::new(0)),
            capacity: workers.max(1) + max_queued,
            dummy,
        })))
    }

    pub fn workers() -> usize {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    }

    /// Runs `job` on a blocking thread once a core is free. The permit moves
    /// into the thread, so a caller that gives up cannot let a second hash
    /// start on a core that is still busy.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Argon2<'static>) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _in_flight = InFlight::enter(&self.0)?;
        let permit = Arc::clone(&self.0.permits)
            .acquire_owned()
            .await
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let inner = Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job(&inner.argon)
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))
    }

    pub async fn hash(&self, secret: String) -> Result<String, HashError> {
        self.run(move |argon| argon.hash_password(secret.as_bytes()).map(|h| h.to_string()))
            .await?
            .map_err(|e| HashError::Failed(e.to_string()))
    }

    /// True when `secret` matches `stored`. With no stored hash (unknown user),
    /// verifies against the dummy hash so the time taken is the same, and says no.
    pub async fn verify(&self, secret: String, stored: Option<String>) -> Result<bool, HashError> {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.0.dummy.clone());
        let matched = self
            .run(move |argon| {
                PasswordHash::new(&stored)
                    .map(|h| argon.verify_password(secret.as_bytes(), &h).is_ok())
                    .unwrap_or(false)
            })
            .await?;
        Ok(known && matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> HashParams {
        HashParams { memory_kib: 64, iterations: 1, parallelism: 1 }
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
