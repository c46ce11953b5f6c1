//! The password-reset flow's rules (SPEC §2.2, §5) as a pure state machine:
//! choose a method → question asked / code sent → passed → password saved.
//! Every step first checks that the flow is still live; limits are counted
//! here and nowhere else. Storage and delivery live in `reset.rs`.

/// Reset links live 60 minutes.
pub const LINK_LIFE_SECS: i64 = app::reset::LINK_LIFE_MINUTES * 60;
/// Wrong date-of-birth/answer pairs before the flow ends.
pub const MAX_ANSWER_FAILURES: i64 = 5;
/// A code lives 10 minutes.
pub const CODE_LIFE_SECS: i64 = app::reset::CODE_LIFE_MINUTES * 60;
/// Wrong tries that end a code. A resend while the code lives keeps the count;
/// a code sent after the last one ended (expired or used up) starts afresh.
pub const MAX_CODE_FAILURES: i64 = 5;
pub const MAX_CODE_SENDS: i64 = 3;
/// Mobile numbers that don't match the one on file before the flow ends.
pub const MAX_NUMBER_FAILURES: i64 = 5;
pub const RESEND_INTERVAL_SECS: i64 = 60;
/// Reset emails, and username emails, an account gets in an hour at most;
/// past it the same confirmation shows and nothing is sent or voided.
pub const EMAILS_PER_HOUR: i64 = 3;
/// The window `EMAILS_PER_HOUR` counts in.
pub const HOUR_SECS: i64 = 3600;

pub use crate::store::states::Step;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub step: Step,
    pub expires_at: i64,
    pub answer_failures: i64,
    pub code_sent_at: Option<i64>,
    pub code_sends: i64,
    pub code_failures: i64,
    pub number_failures: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Used, voided or expired: "This link is no longer valid."
    NoLongerValid,
    /// The request doesn't fit the step the flow is at (a stale page).
    WrongStep,
    /// "Resend code in {N}s".
    ResendIn(i64),
    /// The 3 sends of this flow are used.
    NoMoreSends,
    /// "That code has expired. Send a new code."
    CodeExpired,
}

/// What checking an answer or a code led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed(Flow),
    /// Wrong; the flow goes on with this many tries left.
    Wrong(Flow, i64),
    /// Wrong, and that was the last try: the flow (answers) or code ended.
    Exhausted(Flow),
}

impl Flow {
    pub fn new(now: i64) -> Flow {
        Flow {
            step: Step::ChooseMethod,
            expires_at: now + LINK_LIFE_SECS,
            answer_failures: 0,
            code_sent_at: None,
            code_sends: 0,
            code_failures: 0,
            number_failures: 0,
        }
    }

    /// Checked before anything else a step does.
    pub fn live(&self, now: i64) -> Result<(), Refusal> {
        if matches!(self.step, Step::Done | Step::Void) || now >= self.expires_at {
            return Err(Refusal::NoLongerValid);
        }
        Ok(())
    }

    /// Why the flow no longer takes steps, when it doesn't.
    pub fn ended(&self, now: i64) -> Option<app::reset::LinkEnded> {
        use app::reset::LinkEnded;
        match self.step {
            Step::Done => Some(LinkEnded::Used),
            Step::Void if self.answer_failures >= MAX_ANSWER_FAILURES => Some(LinkEnded::WrongAnswers(MAX_ANSWER_FAILURES)),
            Step::Void if self.number_failures >= MAX_NUMBER_FAILURES => Some(LinkEnded::WrongNumbers(MAX_NUMBER_FAILURES)),
            Step::Void => Some(LinkEnded::Replaced),
            _ if now >= self.expires_at => Some(LinkEnded::Expired),
            _ => None,
        }
    }

    fn code_live(&self, now: i64) -> bool {
        self.code_sent_at.is_some_and(|at| now - at < CODE_LIFE_SECS) && self.code_failures < MAX_CODE_FAILURES
    }

    pub fn choose_question(&self, now: i64) -> Result<Flow, Refusal> {
        self.live(now)?;
        match self.step {
            Step::ChooseMethod | Step::Question | Step::CodeSent => Ok(Flow { step: Step::Question, ..self.clone() }),
            _ => Err(Refusal::WrongStep),
        }
    }

    /// Takes one of the 5 tries before the (slow) answer check runs, so that
    /// parallel requests can't get more tries than that; `finish_answer` gives
    /// it back when the answer was right.
    pub fn begin_answer(&self, now: i64) -> Result<Flow, Refusal> {
        self.live(now)?;
        if self.step != Step::Question || self.answer_failures >= MAX_ANSWER_FAILURES {
            return Err(Refusal::WrongStep);
        }
        Ok(Flow { answer_failures: self.answer_failures + 1, ..self.clone() })
    }

    /// The flow after the try taken by `begin_answer` was checked.
    pub fn finish_answer(&self, correct: bool) -> Outcome {
        if correct {
            return Outcome::Passed(Flow { step: Step::Passed, answer_failures: self.answer_failures - 1, ..self.clone() });
        }
        if self.answer_failures >= MAX_ANSWER_FAILURES {
            return Outcome::Exhausted(Flow { step: Step::Void, ..self.clone() });
        }
        Outcome::Wrong(self.clone(), MAX_ANSWER_FAILURES - self.answer_failures)
    }

    /// Seconds until another code may be sent (0 = now).
    pub fn resend_wait(&self, now: i64) -> i64 {
        self.code_sent_at.map_or(0, |at| (at + RESEND_INTERVAL_SECS - now).max(0))
    }

    pub fn may_send_code(&self, now: i64) -> Result<(), Refusal> {
        self.live(now)?;
        if !matches!(self.step, Step::ChooseMethod | Step::Question | Step::CodeSent) {
            return Err(Refusal::WrongStep);
        }
        if self.code_sends >= MAX_CODE_SENDS {
            return Err(Refusal::NoMoreSends);
        }
        match self.resend_wait(now) {
            0 => Ok(()),
            wait => Err(Refusal::ResendIn(wait)),
        }
    }

    /// A mobile number typed at "Send code" that isn't the one on file: a
    /// wrong try of the flow; the last one ends it.
    pub fn number_mismatched(&self, now: i64) -> Result<Outcome, Refusal> {
        self.may_send_code(now)?;
        let failures = self.number_failures + 1;
        if failures >= MAX_NUMBER_FAILURES {
            return Ok(Outcome::Exhausted(Flow { step: Step::Void, number_failures: failures, ..self.clone() }));
        }
        Ok(Outcome::Wrong(Flow { number_failures: failures, ..self.clone() }, MAX_NUMBER_FAILURES - failures))
    }

    /// The flow once a new code went out.
    pub fn code_sent(&self, now: i64) -> Result<Flow, Refusal> {
        self.may_send_code(now)?;
        let code_failures = if self.code_live(now) { self.code_failures } else { 0 };
        Ok(Flow { step: Step::CodeSent, code_sent_at: Some(now), code_sends: self.code_sends + 1, code_failures, ..self.clone() })
    }

    pub fn code_checked(&self, correct: bool, now: i64) -> Result<Outcome, Refusal> {
        self.live(now)?;
        if self.step != Step::CodeSent {
            return Err(Refusal::WrongStep);
        }
        if !self.code_live(now) {
            return Err(Refusal::CodeExpired);
        }
        if correct {
            return Ok(Outcome::Passed(Flow { step: Step::Passed, ..self.clone() }));
        }
        let failures = self.code_failures + 1;
        let next = Flow { code_failures: failures, ..self.clone() };
        if failures >= MAX_CODE_FAILURES {
            return Ok(Outcome::Exhausted(next));
        }
        Ok(Outcome::Wrong(next, MAX_CODE_FAILURES - failures))
    }

    pub fn password_saved(&self, now: i64) -> Result<Flow, Refusal> {
        self.live(now)?;
        if self.step != Step::Passed {
            return Err(Refusal::WrongStep);
        }
        Ok(Flow { step: Step::Done, ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_000_000;

    fn at_question() -> Flow {
        Flow::new(T0).choose_question(T0).unwrap()
    }

    fn with_code() -> Flow {
        Flow::new(T0).code_sent(T0).unwrap()
    }

    #[test]
    fn five_wrong_numbers_end_the_flow() {
        let mut f = Flow::new(T0);
        for left in (1..MAX_NUMBER_FAILURES).rev() {
            match f.number_mismatched(T0).unwrap() {
                Outcome::Wrong(next, n) => {
                    assert_eq!(n, left);
                    f = next;
                }
                other => panic!("{other:?}"),
            }
        }
        let Outcome::Exhausted(ended) = f.number_mismatched(T0).unwrap() else { panic!() };
        assert_eq!(ended.live(T0), Err(Refusal::NoLongerValid));
    }

    #[test]
    fn a_link_lives_60_minutes() {
        let f = Flow::new(T0);
        assert_eq!(f.live(T0 + LINK_LIFE_SECS - 1), Ok(()));
        assert_eq!(f.live(T0 + LINK_LIFE_SECS), Err(Refusal::NoLongerValid));
        assert_eq!(f.choose_question(T0 + LINK_LIFE_SECS), Err(Refusal::NoLongerValid));
    }

    #[test]
    fn a_right_answer_passes_and_a_saved_password_uses_the_link_up() {
        let Outcome::Passed(passed) = at_question().begin_answer(T0).unwrap().finish_answer(true) else { panic!() };
        assert_eq!(passed.answer_failures, 0);
        let done = passed.password_saved(T0).unwrap();
        assert_eq!(done.step, Step::Done);
        assert_eq!(done.live(T0), Err(Refusal::NoLongerValid));
        assert_eq!(done.password_saved(T0), Err(Refusal::NoLongerValid));
    }

    #[test]
    fn five_wrong_answers_end_the_flow() {
        let mut f = at_question();
        for left in (1..5).rev() {
            match f.begin_answer(T0).unwrap().finish_answer(false) {
                Outcome::Wrong(next, n) => {
                    assert_eq!(n, left);
                    f = next;
                }
                other => panic!("{other:?}"),
            }
        }
        let Outcome::Exhausted(end) = f.begin_answer(T0).unwrap().finish_answer(false) else { panic!() };
        assert_eq!(end.step, Step::Void);
        assert_eq!(end.begin_answer(T0), Err(Refusal::NoLongerValid));
    }

    #[test]
    fn parallel_answers_cannot_take_more_than_five_tries() {
        let mut f = at_question();
        for _ in 0..5 {
            f = f.begin_answer(T0).unwrap();
        }
        assert_eq!(f.begin_answer(T0), Err(Refusal::WrongStep));
    }

    #[test]
    fn sends_are_60_seconds_apart_and_at_most_3() {
        let f = with_code();
        assert_eq!(f.may_send_code(T0 + 59), Err(Refusal::ResendIn(1)));
        assert_eq!(f.resend_wait(T0 + 10), 50);
        let f = f.code_sent(T0 + 60).unwrap().code_sent(T0 + 120).unwrap();
        assert_eq!(f.code_sends, 3);
        assert_eq!(f.may_send_code(T0 + 500), Err(Refusal::NoMoreSends));
    }

    #[test]
    fn a_code_lives_10_minutes() {
        let f = with_code();
        assert!(matches!(f.code_checked(true, T0 + CODE_LIFE_SECS - 1), Ok(Outcome::Passed(_))));
        assert_eq!(f.code_checked(true, T0 + CODE_LIFE_SECS), Err(Refusal::CodeExpired));
    }

    #[test]
    fn five_wrong_codes_end_the_code_and_a_resend_keeps_the_count() {
        let mut f = with_code();
        for _ in 0..2 {
            let Ok(Outcome::Wrong(next, _)) = f.code_checked(false, T0) else { panic!() };
            f = next;
        }
        // Resending while the code lives does not give fresh tries.
        f = f.code_sent(T0 + 60).unwrap();
        assert_eq!(f.code_failures, 2);
        for left in [2, 1] {
            let Ok(Outcome::Wrong(next, n)) = f.code_checked(false, T0 + 60) else { panic!() };
            assert_eq!(n, left);
            f = next;
        }
        let Ok(Outcome::Exhausted(f)) = f.code_checked(false, T0 + 60) else { panic!() };
        assert_eq!(f.code_checked(true, T0 + 60), Err(Refusal::CodeExpired));
        // A code sent after that one ended starts with fresh tries.
        let f = f.code_sent(T0 + 120).unwrap();
        assert_eq!(f.code_failures, 0);
        assert!(matches!(f.code_checked(true, T0 + 120), Ok(Outcome::Passed(_))));
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        assert_eq!(Flow::new(T0).begin_answer(T0), Err(Refusal::WrongStep));
        assert_eq!(Flow::new(T0).code_checked(true, T0), Err(Refusal::WrongStep));
        assert_eq!(Flow::new(T0).password_saved(T0), Err(Refusal::WrongStep));
    }

    #[test]
    fn steps_round_trip_through_their_stored_names() {
        for s in [Step::ChooseMethod, Step::Question, Step::CodeSent, Step::Passed, Step::Done, Step::Void] {
            assert_eq!(Step::parse(s.as_str()), Some(s));
        }
        assert_eq!(Step::parse("passed; DROP TABLE"), None);
    }
}
