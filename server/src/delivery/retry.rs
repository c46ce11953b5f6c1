//! When a message that failed for a passing reason is tried again: the wait
//! doubles from the first delay up to a cap, and after the last allowed try
//! the message is marked failed.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub first_secs: i64,
    pub max_secs: i64,
    pub max_attempts: i64,
}

impl Retry {
    pub fn from_config(c: &crate::config::Config) -> Retry {
        Retry {
            first_secs: i64::from(c.delivery_retry_secs),
            max_secs: i64::from(c.delivery_retry_max_secs.max(c.delivery_retry_secs)),
            max_attempts: i64::from(c.delivery_max_attempts),
        }
    }

    /// Seconds to wait after `attempts` tries have failed, or `None` when
    /// that was the last one allowed.
    pub fn wait_after(&self, attempts: i64) -> Option<i64> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 40)).unwrap_or(40);
        Some(self.first_secs.saturating_mul(1_i64 << doublings).min(self.max_secs))
    }
}

#[cfg(test)]
mod tests {
    use super::Retry;

    #[test]
    fn waits_double_up_to_the_cap_then_stop() {
        let r = Retry { first_secs: 30, max_secs: 300, max_attempts: 6 };
        let waits: Vec<_> = (1..=6).map(|n| r.wait_after(n)).collect();
        assert_eq!(waits, [Some(30), Some(60), Some(120), Some(240), Some(300), None]);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let r = Retry { first_secs: 86_400, max_secs: 86_400, max_attempts: i64::MAX };
        assert_eq!(r.wait_after(1_000), Some(86_400));
    }
}
