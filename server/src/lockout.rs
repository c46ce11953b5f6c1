//! The account-lock rule of SPEC §2.1: 5 failed sign-ins in a row lock the
//! account for 15 minutes; a success (or a reset, or staff) clears it; once a
//! lock has run out, counting starts again from zero.

pub const MAX_FAILURES: i64 = 5;
pub const LOCK_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockState {
    pub failures: i64,
    pub locked_until: Option<i64>,
}

impl LockState {
    pub fn is_locked(&self, now: i64) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    pub fn after_failure(self, now: i64) -> LockState {
        let lock_ran_out = self.locked_until.is_some_and(|until| now >= until);
        let failures = if lock_ran_out { 1 } else { self.failures + 1 };
        let locked_until = (failures >= MAX_FAILURES).then_some(now + LOCK_SECS);
        LockState { failures, locked_until }
    }

    pub fn cleared() -> LockState {
        LockState::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail_n(n: usize, now: i64) -> LockState {
        (0..n).fold(LockState::default(), |s, _| s.after_failure(now))
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
        assert_eq!(s, LockState { failures: 1, locked_until: None });
    }

    #[test]
    fn a_success_clears_failures_and_lock() {
        assert_eq!(LockState::cleared(), LockState { failures: 0, locked_until: None });
        assert!(!LockState::cleared().after_failure(0).is_locked(0));
    }
}
