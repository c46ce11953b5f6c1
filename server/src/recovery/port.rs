//! The server's side of the UI's recovery port (`app::port::Recovery`):
//! turns a request into calls of `reset` and `steps`, and what they answer
//! into what the pages show.

use app::reset::{ForgotView, LinkEnded, ResetStage, ResetView};
use app::error::PortalError;
use app::visit::Visit;
use app::port::Recovery;
use app::reset::{Method, ResetError, ResetLink, ResetMethods, SendBy};
use app::secret::{Password, SecurityAnswer};

use app::jar::NoticeOf;
use crate::backend::Backend;
use crate::notice;
use crate::recovery::flow::Step;
use crate::recovery::{reset, steps};
use crate::tokens::SecretToken;

fn token(link: &ResetLink) -> SecretToken {
    SecretToken::from_presented(link.token().to_string())
}

/// The form a flow shows: the method the patient picked if it is offered,
/// else the one the flow is in the middle of, else the choice.
fn wanted(step: Step, picked: Option<Method>, methods: ResetMethods) -> Option<Method> {
    let by_step = match step {
        Step::Question => Some(Method::Question),
        Step::CodeSent => Some(Method::Code),
        _ => None,
    };
    picked.or(by_step).filter(|m| methods.offers(*m))
}

/// A refused step's notice: the refusal and what was typed.
#[derive(serde::Serialize, serde::Deserialize)]
struct StepNotice {
    error: ResetError,
    dob: String,
    phone: String,
}


impl Backend {
    async fn stage(&self, link: &ResetLink, picked: Option<Method>) -> Result<ResetStage, ResetError> {
        let svc = &self.0;
        let Some(stored) = steps::peek(svc, &token(link)).await? else {
            return Ok(ResetStage::Invalid(LinkEnded::Unknown));
        };
        if let Some(why) = stored.flow.ended(svc.clock.now()) {
            return Ok(ResetStage::Invalid(why));
        }
        if stored.flow.step == Step::Passed {
            return Ok(ResetStage::NewPassword);
        }
        Ok(match wanted(stored.flow.step, picked, svc.config.reset_methods) {
            // The question comes along, so that choosing it needs no round trip.
            None if svc.config.reset_methods.question => ResetStage::Choose(steps::question_of(svc, &stored).await.ok()),
            None => ResetStage::Choose(None),
            Some(Method::Question) => ResetStage::Question(steps::question_of(svc, &stored).await?),
            Some(Method::Code) if stored.flow.step == Step::CodeSent => ResetStage::Code(steps::code_status(svc, &stored).await?),
            Some(Method::Code) => ResetStage::Phone,
        })
    }

    fn take_step_notice(&self, cx: &Visit, link: &ResetLink) -> Option<StepNotice> {
        self.pick_up(cx, NoticeOf::ResetStep, link.token())
    }
}

#[async_trait::async_trait]
impl Recovery for Backend {
    fn methods(&self) -> ResetMethods {
        self.0.config.reset_methods
    }

    fn forgot_view(&self, cx: &Visit) -> ForgotView {
        let n = self.take_login_notice_of(cx, NoticeOf::Forgot);
        ForgotView { mail_from: self.0.config.mail_from.clone(), error: n.error, username: n.username }
    }

    async fn request_reset(&self, cx: &Visit, username: &str) -> Result<(), PortalError> {
        let result = reset::request(&self.0, &cx.client, username).await;
        if cx.next_page() {
            // The next page echoes what was typed, after a refusal and after success alike.
            self.set_notice(cx, NoticeOf::Forgot, result.as_ref().err(), username);
        }
        result
    }

    async fn load_reset(&self, cx: &Visit, link: &ResetLink, method: Option<Method>) -> Result<ResetView, PortalError> {
        let methods = self.methods();
        let stage = match self.stage(link, method).await {
            Ok(stage) => stage,
            Err(ResetError::Portal(e)) => return Err(e),
            Err(_) => ResetStage::Invalid(LinkEnded::Unknown),
        };
        let n = self.take_step_notice(cx, link);
        let (error, dob, phone) = n.map(|n| (Some(n.error), n.dob, n.phone)).unwrap_or_default();
        Ok(ResetView { stage, methods, error, dob, phone })
    }

    async fn answer(&self, cx: &Visit, link: &ResetLink, dob: &str, answer: &SecurityAnswer) -> Result<(), ResetError> {
        let result = steps::answer(&self.0, &cx.client, &token(link), dob, answer.expose()).await;
        self.keep_step_refusal(cx, link, result, Typed { dob, phone: "" })
    }

    async fn send_code(&self, cx: &Visit, link: &ResetLink, phone: Option<&str>, send_by: SendBy) -> Result<(), ResetError> {
        let result = steps::send_code(&self.0, &cx.client, &token(link), phone, send_by).await.map(drop);
        self.keep_step_refusal(cx, link, result, Typed { dob: "", phone: phone.unwrap_or_default() })
    }

    async fn check_code(&self, cx: &Visit, link: &ResetLink, code: &str) -> Result<(), ResetError> {
        let result = steps::check_code(&self.0, &cx.client, &token(link), code).await;
        self.keep_step_refusal(cx, link, result, Typed::default())
    }

    async fn save_password(&self, cx: &Visit, link: &ResetLink, new: &Password, confirm: &Password) -> Result<(), ResetError> {
        let result = steps::save_password(&self.0, &cx.client, &token(link), new, confirm).await;
        let result = result.map(|()| self.set_password_reset_notice(cx));
        self.keep_step_refusal(cx, link, result, Typed::default())
    }
}

/// What a patient typed into a refused step, shown again after the redirect.
/// Never the answer, code or password.
#[derive(Debug, Clone, Copy, Default)]
struct Typed<'a> {
    dob: &'a str,
    phone: &'a str,
}

impl Backend {
    /// A refused step, for the link's page, sealed with the link's own token.
    fn keep_step_refusal(&self, cx: &Visit, link: &ResetLink, result: Result<(), ResetError>, typed: Typed<'_>) -> Result<(), ResetError> {
        self.keep_refusal(cx, result, |error| {
            let n = StepNotice { error: error.clone(), dob: notice::clip(typed.dob), phone: notice::clip(typed.phone) };
            self.leave(cx, NoticeOf::ResetStep, link.token(), &n);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: ResetMethods = ResetMethods { question: true, code: true };

    #[test]
    fn the_picked_method_wins_if_offered_else_the_flow_s_own() {
        assert_eq!(wanted(Step::ChooseMethod, None, BOTH), None);
        assert_eq!(wanted(Step::ChooseMethod, Some(Method::Code), BOTH), Some(Method::Code));
        assert_eq!(wanted(Step::CodeSent, None, BOTH), Some(Method::Code));
        assert_eq!(wanted(Step::CodeSent, Some(Method::Question), BOTH), Some(Method::Question));
        assert_eq!(wanted(Step::Question, None, BOTH), Some(Method::Question));
        let code_only = ResetMethods { question: false, code: true };
        assert_eq!(wanted(Step::Question, Some(Method::Question), code_only), None);
    }
}
