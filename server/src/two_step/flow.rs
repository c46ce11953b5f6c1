//! The second step of a sign-in as a pure state (SPEC §2.1, §2.5), like the
//! reset wizard's `recovery::flow`: how long it lives, when its code may be
//! sent again and how often, what a wrong code leaves. Each rule is here
//! once, with its own limits, and tested at its boundary;
//! `second_step` reads a row into a [`SecondStep`], asks it, and writes
//! what it answers.

use app::two_step::{TwoStepError, CODE_LIFE_MINUTES, MAX_WRONG_CODES};
use app::error::PortalError;

use crate::store::states::TwoStepMethod;
use crate::store::two_step::ChallengeRow;

/// How long each code sent for a second step lives (and an app's step).
pub const LIFE_SECS: i64 = CODE_LIFE_MINUTES * 60;
/// Codes sent by text or email for one second step, the first included.
pub const MAX_SENDS: i64 = 3;
/// How long a second step lives from its right password, whatever was
/// resent: past it, no code is checked or sent, and the person signs in again.
pub const STEP_LIFE_SECS: i64 = MAX_SENDS * LIFE_SECS;
/// Seconds between two sends of a code, and between two setup codes.
pub const RESEND_SECS: i64 = 60;

/// A second step as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondStep {
    pub method: TwoStepMethod,
    /// When its password was right.
    pub created_at: i64,
    pub expires_at: i64,
    pub code_sent_at: Option<i64>,
    pub code_sends: i64,
    pub code_failures: i64,
    /// Ended (wrong codes, the lock, a new password) or passed: it opens nothing more.
    pub over: bool,
}

impl From<&ChallengeRow> for SecondStep {
    fn from(c: &ChallengeRow) -> Self {
        SecondStep {
            method: c.method,
            created_at: c.created_at,
            expires_at: c.expires_at,
            code_sent_at: c.code_sent_at,
            code_sends: c.code_sends,
            code_failures: c.code_failures,
            over: c.ended_at.is_some() || c.passed_at.is_some(),
        }
    }
}

/// What a wrong code leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrong {
    /// Wrong codes the step still takes.
    pub left: i64,
    /// The step is over: no tries left, or the account is now locked.
    pub ends: bool,
}

impl SecondStep {
    /// Whether a code typed at `at` can be checked. A sent code that ran
    /// out can be sent again; an authenticator's step starts over at sign-in.
    pub fn may_check(&self, at: i64) -> Result<(), TwoStepError> {
        if self.over || self.outlived(at) {
            return Err(PortalError::NotSignedIn.into());
        }
        if at >= self.expires_at {
            return Err(if self.method == TwoStepMethod::App { PortalError::NotSignedIn.into() } else { TwoStepError::Expired });
        }
        Ok(())
    }

    /// Whether "Resend code" may send one at `at`: only for codes sent by
    /// text or email, at most [`MAX_SENDS`], [`RESEND_SECS`] apart.
    pub fn may_resend(&self, at: i64) -> Result<(), TwoStepError> {
        if self.over || self.outlived(at) || self.method == TwoStepMethod::App {
            return Err(PortalError::NotSignedIn.into());
        }
        if self.code_sends >= MAX_SENDS {
            return Err(TwoStepError::NoMoreSends);
        }
        match self.resend_in(at) {
            0 => Ok(()),
            wait => Err(TwoStepError::TooSoon(wait)),
        }
    }

    /// Whether the step has lived [`STEP_LIFE_SECS`] by `at`.
    pub fn outlived(&self, at: i64) -> bool {
        at >= self.created_at + STEP_LIFE_SECS
    }

    /// Seconds until "Resend code" works (0: now).
    pub fn resend_in(&self, at: i64) -> i64 {
        self.code_sent_at.map(|sent| (sent + RESEND_SECS - at).max(0)).unwrap_or(0)
    }

    pub fn sends_left(&self) -> i64 {
        (MAX_SENDS - self.code_sends).max(0)
    }

    /// After one more wrong code (`failures`, this one counted): the tries
    /// left, and whether the step ends (`locked`: the lock the try made).
    pub fn after_wrong(failures: i64, locked: bool) -> Wrong {
        let left = (MAX_WRONG_CODES - failures).max(0);
        Wrong { left, ends: left == 0 || locked }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent_at(at: i64) -> SecondStep {
        SecondStep { method: TwoStepMethod::Text, created_at: at, expires_at: at + LIFE_SECS, code_sent_at: Some(at), code_sends: 1, code_failures: 0, over: false }
    }

    #[test]
    fn a_step_outlives_no_resend_past_its_life() {
        // The last code sent just before the step's life ends.
        let s = SecondStep { code_sent_at: Some(1000 + STEP_LIFE_SECS - 100), expires_at: 1000 + STEP_LIFE_SECS - 100 + LIFE_SECS, code_sends: 2, ..sent_at(1000) };
        assert_eq!(s.may_check(1000 + STEP_LIFE_SECS - 1), Ok(()));
        assert_eq!(s.may_check(1000 + STEP_LIFE_SECS), Err(PortalError::NotSignedIn.into()), "its code still lives, the step doesn't");
        assert_eq!(s.may_resend(1000 + STEP_LIFE_SECS - 1), Ok(()));
        assert_eq!(s.may_resend(1000 + STEP_LIFE_SECS), Err(PortalError::NotSignedIn.into()), "an expired step is not resent");
    }

    #[test]
    fn a_code_is_checked_until_its_life_runs_out() {
        let s = sent_at(1000);
        assert_eq!(s.may_check(1000 + LIFE_SECS - 1), Ok(()));
        assert_eq!(s.may_check(1000 + LIFE_SECS), Err(TwoStepError::Expired));
        let app = SecondStep { method: TwoStepMethod::App, code_sent_at: None, ..s.clone() };
        assert_eq!(app.may_check(1000 + LIFE_SECS), Err(PortalError::NotSignedIn.into()), "an app's step starts over at sign-in");
        let over = SecondStep { over: true, ..s };
        assert_eq!(over.may_check(1000), Err(PortalError::NotSignedIn.into()));
    }

    #[test]
    fn a_code_goes_again_a_minute_after_the_last_and_three_times_at_most() {
        let s = sent_at(1000);
        assert_eq!(s.may_resend(1000 + RESEND_SECS - 1), Err(TwoStepError::TooSoon(1)));
        assert_eq!(s.resend_in(1000 + RESEND_SECS - 1), 1);
        assert_eq!(s.may_resend(1000 + RESEND_SECS), Ok(()));
        let third = SecondStep { code_sends: MAX_SENDS - 1, ..s.clone() };
        assert_eq!(third.may_resend(1000 + RESEND_SECS), Ok(()));
        assert_eq!(third.sends_left(), 1);
        let spent = SecondStep { code_sends: MAX_SENDS, ..s.clone() };
        assert_eq!(spent.may_resend(1000 + 10 * RESEND_SECS), Err(TwoStepError::NoMoreSends));
        assert_eq!(spent.sends_left(), 0);
        let app = SecondStep { method: TwoStepMethod::App, ..s };
        assert_eq!(app.may_resend(5000), Err(PortalError::NotSignedIn.into()), "an app makes its own codes");
    }

    #[test]
    fn the_fifth_wrong_code_or_the_lock_ends_the_step() {
        assert_eq!(SecondStep::after_wrong(1, false), Wrong { left: MAX_WRONG_CODES - 1, ends: false });
        assert_eq!(SecondStep::after_wrong(MAX_WRONG_CODES - 1, false), Wrong { left: 1, ends: false });
        assert_eq!(SecondStep::after_wrong(MAX_WRONG_CODES, false), Wrong { left: 0, ends: true });
        assert_eq!(SecondStep::after_wrong(2, true), Wrong { left: MAX_WRONG_CODES - 2, ends: true }, "a locked account's step ends");
    }
}
