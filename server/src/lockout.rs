//! The account-lock rule of SPEC §2.1 and §5, and the one lockout that
//! patient sign-in, staff sign-in, security answers and the settings'
//! current-password check all use: 5 failed tries in a row lock the account
//! for 15 minutes; a success (or a reset, or staff) clears it; once a lock
//! has run out, counting starts again from zero. A try is counted *before*
//! its secret is checked, so parallel guesses can't outrun the lock, and the
//! lock is checked again in the transaction that makes the session.
//!
//! Counted before the check, tries still in flight count as failures until
//! they are settled. So that several right passwords at once (one patient on
//! two devices, a load test) never add up to a lock by themselves, an
//! instance lets at most `MAX_FAILURES - 1` tries at one account be in
//! flight; the next waits at the account's gate (a fair queue) for one to
//! settle. Only a failure already counted can then complete a lock.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::internal::Internal;
use crate::store::locks;
pub use crate::store::locks::LockHolder;
use crate::store::{Store, Tx};

pub const MAX_FAILURES: i64 = 5;
/// Wrong second-factor codes in a row (across locks) after which only a
/// password reset or staff "Unlock account" opens a patient's account.
pub const MAX_SECOND_FACTOR_MISSES: i64 = 20;
pub const LOCK_SECS: i64 = app::error::LOCK_MINUTES * 60;

pub use crate::store::locks::LockState;

impl LockState {
    pub fn is_locked(&self, now: i64) -> bool {
        self.until_reset() || self.locked_until.is_some_and(|until| now < until)
    }

    /// Locked by wrong second-factor codes: no time opens it, only a reset or staff.
    pub fn until_reset(&self) -> bool {
        locked_until_reset(self.second_factor_misses)
    }

    pub fn after_failure(self, now: i64) -> LockState {
        let lock_ran_out = self.locked_until.is_some_and(|until| now >= until);
        let failures = if lock_ran_out { 1 } else { self.failures + 1 };
        let locked_until = (failures >= MAX_FAILURES).then_some(now + LOCK_SECS);
        LockState { failures, locked_until, ..self }
    }

    pub fn cleared() -> LockState {
        LockState::default()
    }
}

/// Whether `misses` wrong second-factor codes in a row lock the account
/// until a reset or staff unlock it.
pub fn locked_until_reset(misses: i64) -> bool {
    misses >= MAX_SECOND_FACTOR_MISSES
}

/// Tries in flight at one account from this instance, at most.
const IN_FLIGHT: usize = (MAX_FAILURES - 1) as usize;

/// The lockout as one instance runs it: the store the counts live in (shared
/// by every instance), this instance's gates, and how long counting a try
/// has taken lately (a running mean, see [`wait_as_long_as_a_take`]).
#[derive(Clone)]
pub struct Lockout {
    store: Store,
    gates: Gates,
    take_micros: Arc<AtomicU64>,
}

impl Lockout {
    pub fn new(store: Store) -> Lockout {
        Lockout { store, gates: Gates::default(), take_micros: Arc::default() }
    }
}

/// This instance's gates, one per account with tries in flight.
#[derive(Debug, Clone, Default)]
pub struct Gates(Arc<Mutex<HashMap<LockHolder, Arc<Semaphore>>>>);

/// A place at an account's gate, held from counting a try to settling it.
#[derive(Debug)]
struct Place {
    gates: Gates,
    holder: LockHolder,
    gate: Arc<Semaphore>,
    permit: Option<OwnedSemaphorePermit>,
}

impl Gates {
    async fn enter(&self, holder: LockHolder) -> Place {
        let gate = {
            let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(holder).or_insert_with(|| Arc::new(Semaphore::new(IN_FLIGHT))).clone()
        };
        // The gate is never closed, so acquiring can't fail.
        let permit = gate.clone().acquire_owned().await.ok();
        Place { gates: self.clone(), holder, gate, permit }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        self.permit.take();
        let mut map = self.gates.0.lock().unwrap_or_else(|e| e.into_inner());
        // Only the map and this place hold the gate: nobody waits, forget it.
        if Arc::strong_count(&self.gate) == 2 {
            map.remove(&self.holder);
        }
    }
}

/// A try counted against an account before its secret was checked. It keeps
/// its place at the account's gate until it is dropped.
#[derive(Debug)]
pub struct Try {
    holder: LockHolder,
    before: LockState,
    counted: LockState,
    at: i64,
    _place: Place,
}

impl Try {
    /// The count of failed tries in a row, this one included.
    pub fn failures(&self) -> i64 {
        self.counted.failures
    }

    /// The account's lock as this try left it.
    pub fn counted(&self) -> LockState {
        self.counted
    }

    /// Whether this try, if wrong, leaves the account locked.
    pub fn locks(&self) -> bool {
        self.counted.is_locked(self.at)
    }
}

/// What [`take`] found.
#[derive(Debug)]
pub enum Taken {
    /// Counted: check the secret, then [`settle`] a right one.
    Counted(Try),
    /// Locked: refuse without checking anything (`until_reset`: by wrong
    /// second-factor codes, which no time opens).
    Locked { until_reset: bool },
    /// No such account (it was removed meanwhile).
    Gone,
}

fn note_take_time(locks: &Lockout, took: Duration) {
    let new = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
    let old = locks.take_micros.load(Ordering::Relaxed);
    locks.take_micros.store(if old == 0 { new } else { (old * 7 + new) / 8 }, Ordering::Relaxed);
}

/// Waits as long as counting a try has taken lately: a sign-in with an
/// unknown username has no account to count against, and must not answer
/// sooner for it (SPEC §2.1: about the same time whether the username exists).
pub async fn wait_as_long_as_a_take(locks: &Lockout) {
    let wait = Duration::from_micros(locks.take_micros.load(Ordering::Relaxed));
    let until = Instant::now() + wait;
    // The timer's granularity is a millisecond, more than a take costs on
    // SQLite: sleep to within a millisecond, then yield until the time is up.
    if let Some(coarse) = wait.checked_sub(Duration::from_millis(1)) {
        tokio::time::sleep(coarse).await;
    }
    while Instant::now() < until {
        tokio::task::yield_now().await;
    }
}

/// Counts a try at `holder` before its secret is checked; a locked account's
/// try is refused, uncounted.
pub async fn take(locks: &Lockout, holder: LockHolder, at: i64) -> sqlx::Result<Taken> {
    let place = locks.gates.enter(holder).await;
    let started = Instant::now();
    let taken = take_now(locks, holder, at, place).await;
    note_take_time(locks, started.elapsed());
    taken
}

async fn take_now(locks: &Lockout, holder: LockHolder, at: i64, place: Place) -> sqlx::Result<Taken> {
    let mut tx = locks.store.begin_write().await?;
    let Some(before) = locks::read_for_update(&locks.store, &mut tx, holder).await? else {
        return Ok(Taken::Gone);
    };
    if before.is_locked(at) {
        return Ok(Taken::Locked { until_reset: before.until_reset() });
    }
    let counted = before.after_failure(at);
    locks::write(&mut tx, holder, counted, at).await?;
    tx.commit().await?;
    Ok(Taken::Counted(Try { holder, before, counted, at, _place: place }))
}

/// For a try whose secret was right, in the transaction that acts on it
/// (makes the session): whether the account is still open to it. It is
/// unless other tries locked it meanwhile (this try's own count may have
/// reached the limit: it was right, so that one does not hold). When open,
/// the count is cleared.
pub async fn settle(locks: &Lockout, tx: &mut Tx, t: &Try, at: i64) -> sqlx::Result<bool> {
    let open = still_open(locks, tx, t, at).await?;
    if open {
        locks::write(tx, t.holder, LockState::cleared(), at).await?;
    }
    Ok(open)
}

/// [`settle`]'s check alone, for a right secret that is not the last step
/// (a staff password, before its code): the count stays until the last step.
pub async fn still_open(locks: &Lockout, tx: &mut Tx, t: &Try, at: i64) -> sqlx::Result<bool> {
    let Some(now) = locks::read_for_update(&locks.store, tx, t.holder).await? else {
        return Ok(false);
    };
    Ok(!now.until_reset() && !(now.is_locked(at) && now.failures != t.counted.failures))
}

/// Gives back a try whose secret could not be checked (no hashing thread
/// free), unless another try was counted since.
pub async fn give_back(locks: &Lockout, t: &Try) -> sqlx::Result<()> {
    let mut tx = locks.store.begin_write().await?;
    if locks::read_for_update(&locks.store, &mut tx, t.holder).await? == Some(t.counted) {
        locks::write(&mut tx, t.holder, t.before, t.at).await?;
    }
    tx.commit().await
}

/// What a secret checked under the lock came to ([`attempt`]).
#[derive(Debug)]
pub enum Attempt<T> {
    /// Right: `T` is what the check found. [`settle`] the try in the
    /// transaction that acts on it (the lock is checked again there).
    Right(Try, T),
    /// Wrong: the try stays counted ([`Try::locks`]: and it locked the account).
    Wrong(Try),
    /// Refused before anything was checked: the account is locked
    /// (`until_reset`: by wrong second-factor codes, which no time opens).
    Locked { until_reset: bool },
    /// No such account any more.
    Gone,
}

/// The lock sequence every secret goes through (a patient's password at
/// sign-in and in settings, a staff password and code, a second-step code):
/// a try is counted at `holder` before `check` runs (a locked account is
/// refused, uncounted, and nothing is checked); `check` answers what the
/// secret proved, or `None` for a wrong one; a check that could not run (no
/// hashing thread free, a key missing) was no guess, and gives its try back.
pub async fn attempt<T, E: Internal>(locks: &Lockout, holder: LockHolder, at: i64, check: impl Future<Output = Result<Option<T>, E>>) -> Result<Attempt<T>, E> {
    let t = match take(locks, holder, at).await.map_err(E::internal)? {
        Taken::Counted(t) => t,
        Taken::Locked { until_reset } => return Ok(Attempt::Locked { until_reset }),
        Taken::Gone => return Ok(Attempt::Gone),
    };
    match check.await {
        Ok(Some(found)) => Ok(Attempt::Right(t, found)),
        Ok(None) => Ok(Attempt::Wrong(t)),
        Err(e) => {
            give_back(locks, &t).await.map_err(E::internal)?;
            Err(e)
        }
    }
}

/// Counts a wrong try whose own limit was taken first (a security answer:
/// its reset flow counted the try before the check). Works on a locked
/// account too, since a reset is the way out of a lock.
pub async fn count_failure(locks: &Lockout, holder: LockHolder, at: i64) -> sqlx::Result<LockState> {
    let mut tx = locks.store.begin_write().await?;
    let before = locks::read_for_update(&locks.store, &mut tx, holder)
        .await?
        .unwrap_or_default();
    let counted = before.after_failure(at);
    locks::write(&mut tx, holder, counted, at).await?;
    tx.commit().await?;
    Ok(counted)
}

/// Clears the lock in `tx`: a completed reset, a staff "Unlock account".
/// False when there is no such account.
pub async fn clear(tx: &mut Tx, holder: LockHolder, at: i64) -> sqlx::Result<bool> {
    locks::write(tx, holder, LockState::cleared(), at).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail_n(n: usize, now: i64) -> LockState {
        (0..n).fold(LockState::default(), |s, _| s.after_failure(now))
    }

    #[test]
    fn twenty_second_factor_misses_lock_until_cleared_whatever_the_time() {
        let nineteen = LockState { second_factor_misses: MAX_SECOND_FACTOR_MISSES - 1, ..LockState::default() };
        assert!(!nineteen.is_locked(0));
        let twenty = LockState { second_factor_misses: MAX_SECOND_FACTOR_MISSES, ..LockState::default() };
        assert!(twenty.until_reset() && twenty.is_locked(0) && twenty.is_locked(i64::MAX - 1), "no time opens it");
        assert_eq!(nineteen.after_failure(0).second_factor_misses, MAX_SECOND_FACTOR_MISSES - 1, "a failure keeps the streak");
        assert!(!LockState::cleared().until_reset());
    }

    #[test]
    fn four_failures_do_not_lock_the_fifth_does_for_15_minutes() {
        assert!(!fail_n(4, 1000).is_locked(1000));
        let s = fail_n(5, 1000);
        assert!(s.is_locked(1000));
        assert!(s.is_locked(1000 + 15 * 60 - 1));
        assert!(!s.is_locked(1000 + 15 * 60));
    }

    #[test]
    fn after_the_lock_runs_out_counting_starts_over() {
        let s = fail_n(5, 1000).after_failure(1000 + LOCK_SECS);
        assert_eq!(s, LockState { failures: 1, locked_until: None, second_factor_misses: 0 });
    }

    #[test]
    fn a_success_clears_failures_and_lock() {
        assert_eq!(LockState::cleared(), LockState { failures: 0, locked_until: None, second_factor_misses: 0 });
        assert!(!LockState::cleared().after_failure(0).is_locked(0));
    }
}
