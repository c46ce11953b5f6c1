//! The one clock every rule reads (Unix seconds, UTC). Real time, plus an
//! offset that only tests move forward: a link expiring after 60 minutes or
//! a lock running out after 15 is then tested at its real boundary, through
//! the same code that serves requests.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use app::dob::Ymd;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
    /// When set (tests), the time it stands at before the offset; 0 = running.
    frozen_at: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> i64 {
        let base = match self.frozen_at.load(Ordering::Relaxed) {
            0 => time::OffsetDateTime::now_utc().unix_timestamp(),
            frozen => frozen,
        };
        base + self.offset.load(Ordering::Relaxed)
    }

    /// Stops this clock (and every copy of it) where it is: from now on only
    /// [`Clock::advance`] moves it, so a test can stand a second before a limit.
    pub fn freeze(&self) {
        self.frozen_at.store(time::OffsetDateTime::now_utc().unix_timestamp(), Ordering::Relaxed);
    }

    /// Today's date in UTC, for validating dates of birth.
    pub fn today(&self) -> Ymd {
        let d = time::OffsetDateTime::from_unix_timestamp(self.now()).map(|t| t.date()).unwrap_or(time::Date::MIN);
        Ymd { year: d.year().clamp(0, u16::MAX as i32) as u16, month: u8::from(d.month()), day: d.day() }
    }

    /// Moves this clock (and every copy of it) `secs` forward.
    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_copy() {
        let clock = Clock::system();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(7 * 24 * 3600);
        assert!(copy.now() >= before + 7 * 24 * 3600);
    }

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let clock = Clock::system();
        clock.freeze();
        let at = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(clock.now(), at);
        clock.advance(59);
        assert_eq!(clock.now(), at + 59);
    }
}
