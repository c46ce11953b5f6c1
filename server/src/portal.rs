//! The server's implementation of the UI's port (`app::port::Portal`): reads
//! the cookies the request presented, calls the domain code, says which
//! cookies the answer keeps or forgets (the web layer writes them).

use app::session::{LoginNotice, PatientView};
use app::error::PortalError;
use app::visit::Visit;
use app::port::Portal;
use app::secret::Password;
use app::two_step::{SignIn, TwoStepError, TypedCode, VerifyView};

use crate::store::accounts;
use crate::store::states::EnrollmentState;
use app::jar::{Jar, Life, NoticeOf};
use crate::sessions;
use crate::backend::Backend;
use crate::internal::internal;
use crate::signin::{self, SignedIn};
use crate::two_step::second_step::{self, REMEMBER_SECS};

#[async_trait::async_trait]
impl Portal for Backend {
    async fn sign_in(&self, cx: &Visit, username: &str, password: &Password) -> Result<SignIn, PortalError> {
        let device = self.token(cx, Jar::Device);
        let result = match signin::sign_in(&self.0, &cx.client, self.session(cx), device, username, password).await {
            Ok(SignedIn::Session(token)) => {
                self.keep_session(cx, &token);
                self.settle_language(cx, &token).await;
                Ok(SignIn::Done)
            }
            Ok(SignedIn::SecondStep(token)) => {
                self.keep_token(cx, Jar::SecondStep, &token);
                Ok(SignIn::SecondStep)
            }
            Err(e) => Err(e),
        };
        self.keep_refusal(cx, result, |e| self.set_notice(cx, NoticeOf::SignIn, Some(e), username))
    }

    async fn second_step(&self, cx: &Visit) -> Result<VerifyView, PortalError> {
        let Some(token) = self.token(cx, Jar::SecondStep) else { return Ok(VerifyView::default()) };
        let mut view = second_step::view(&self.0, &token).await?;
        // A refusal kept for this page comes first; else what the step says (the cap).
        view.error = self.pick_up(cx, NoticeOf::Verify, token.expose()).or(view.error);
        Ok(view)
    }

    async fn verify(&self, cx: &Visit, code: &str, remember: bool) -> Result<(), TwoStepError> {
        let result = self.pass_second_step(cx, code, remember).await;
        self.keep_refusal(cx, result, |e| self.keep_verify_refusal(cx, e))
    }

    async fn resend(&self, cx: &Visit) -> Result<(), TwoStepError> {
        let result = match self.token(cx, Jar::SecondStep) {
            Some(token) => second_step::resend(&self.0, &cx.client, &token).await,
            None => Err(TwoStepError::Portal(PortalError::NotSignedIn)),
        };
        self.keep_refusal(cx, result, |e| self.keep_verify_refusal(cx, e))
    }

    async fn sign_out(&self, cx: &Visit) -> Result<(), PortalError> {
        cx.forget(Jar::Session);
        match self.session(cx) {
            Some(token) => signin::sign_out(&self.0, &token, &cx.client).await,
            None => Ok(()),
        }
    }

    async fn current_patient(&self, cx: &Visit) -> Result<Option<PatientView>, PortalError> {
        let Some(who) = self.session_person(cx).await? else { return Ok(None) };
        let account = accounts::of_account(&self.0.store, who.account).await.map_err(internal)?;
        let first_name = account.filter(|a| a.state == EnrollmentState::Enrolled).map(|a| a.first_name);
        Ok(first_name.map(|first_name| PatientView { first_name, idle_timeout_secs: self.0.config.session_idle_secs }))
    }

    fn take_login_notice(&self, cx: &Visit) -> LoginNotice {
        self.take_login_notice_of(cx, NoticeOf::SignIn)
    }

    async fn home(&self, cx: &Visit) -> Result<Option<app::family::HomeView>, PortalError> {
        let Some(who) = self.session_person(cx).await? else { return Ok(None) };
        let account = accounts::of_account(&self.0.store, who.account).await.map_err(internal)?;
        let Some(first_name) = account.filter(|a| a.state == EnrollmentState::Enrolled).map(|a| a.first_name) else { return Ok(None) };
        crate::family::home(&self.0, who, first_name, self.0.config.session_idle_secs).await.map(Some).map_err(internal)
    }

    async fn chart(&self, cx: &Visit, id: app::ids::PatientId) -> Result<Option<app::family::ChartPage>, PortalError> {
        let (_, who) = self.patient_in(cx).await?;
        crate::family::chart_page(&self.0, who, id, self.0.config.session_idle_secs).await.map_err(internal)
    }
}

impl Backend {
    /// The person of this browser's live session; a cookie that names no
    /// live session (or one whose account sees no chart any more) is cleared.
    async fn session_person(&self, cx: &Visit) -> Result<Option<crate::person::Person>, PortalError> {
        let Some(token) = self.session(cx) else { return Ok(None) };
        let rules = self.0.config.session_rules();
        let who = sessions::lookup_patient(&self.0.store, &token, rules, self.0.clock.now()).await.map_err(internal)?;
        if who.is_none() {
            cx.forget(Jar::Session);
        }
        Ok(who)
    }

    /// The code of the second step: a right one makes the session.
    async fn pass_second_step(&self, cx: &Visit, code: &str, remember: bool) -> Result<(), TwoStepError> {
        let token = self.token(cx, Jar::SecondStep).ok_or(TwoStepError::Portal(PortalError::NotSignedIn))?;
        let typed = TypedCode::parse(code)?;
        let client = cx.client.clone();
        let passed = second_step::verify(&self.0, &client, &token, self.session(cx).as_ref(), &typed, remember).await?;
        cx.forget(Jar::SecondStep);
        self.keep_session(cx, &passed.session);
        self.settle_language(cx, &passed.session).await;
        if let Some(device) = passed.device {
            cx.keep(Jar::Device, device.expose(), Life::Secs(REMEMBER_SECS));
        }
        Ok(())
    }

    /// A refused second step: over (no step, or the account locked: `/login`
    /// says so), or the refusal for `/login/verify`, sealed with the step's own
    /// token so that it opens for this sign-in only.
    fn keep_verify_refusal(&self, cx: &Visit, e: &TwoStepError) {
        match e {
            TwoStepError::Portal(PortalError::NotSignedIn) => {}
            TwoStepError::Portal(PortalError::Locked) => self.set_notice(cx, NoticeOf::SignIn, Some(&PortalError::Locked), ""),
            e => {
                if let Some(token) = self.token(cx, Jar::SecondStep) {
                    self.leave(cx, NoticeOf::Verify, token.expose(), e);
                }
            }
        }
    }
}
