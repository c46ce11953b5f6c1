//! The server's side of the UI's staff port (`app::port::Staff`): the staff
//! session is checked on every call but sign-in; a patient's session cookie
//! is a different cookie and a different session kind, so it opens nothing.

use app::ids::PatientId;
use app::session::LoginNotice;
use app::error::PortalError;
use app::visit::Visit;
use app::port::Staff;
use app::secret::Password;
use app::staff::{AuthenticatorSetup, ChartView, PatientPage, Reason, SecondStepView, StaffError};

use app::jar::{Jar, Life, NoticeOf};
use crate::backend::Backend;
use crate::sessions::SessionToken;
use crate::staff::signin::{self, StaffMember};
use crate::staff::{actions, charts};
use crate::tokens::SecretToken;

impl Backend {
    /// The challenge between a right password and its code.
    fn challenge(&self, cx: &Visit) -> Option<SecretToken> {
        self.token(cx, Jar::StaffSecondStep)
    }

    fn staff_session(&self, cx: &Visit) -> Option<SessionToken> {
        self.token(cx, Jar::StaffSession)
    }

    /// The signed-in staff member, or `NotSignedIn`.
    async fn staff_member(&self, cx: &Visit) -> Result<StaffMember, PortalError> {
        let token = self.staff_session(cx).ok_or(PortalError::NotSignedIn)?;
        signin::current(&self.0, &token).await?.ok_or(PortalError::NotSignedIn)
    }
}

#[async_trait::async_trait]
impl Staff for Backend {
    async fn sign_in(&self, cx: &Visit, username: &str, password: &Password) -> Result<(), PortalError> {
        let result = signin::sign_in(&self.0, &cx.client, username, password).await.map(|challenge| {
            cx.keep(Jar::StaffSecondStep, challenge.expose(), Life::Secs(signin::CHALLENGE_SECS));
        });
        self.keep_refusal(cx, result, |e| self.set_notice(cx, NoticeOf::StaffSignIn, Some(e), username))
    }

    async fn second_step(&self, cx: &Visit) -> Result<SecondStepView, PortalError> {
        let Some(challenge) = self.challenge(cx) else { return Ok(SecondStepView::default()) };
        let Some(step) = signin::second_step(&self.0, &challenge).await? else { return Ok(SecondStepView::default()) };
        let error = self.pick_up::<PortalError>(cx, NoticeOf::StaffVerify, &self.0.notice_key);
        let setup = step.setup.map(|(secret, qr_svg)| AuthenticatorSetup { secret, qr_svg });
        Ok(SecondStepView { pending: true, setup, error })
    }

    async fn verify(&self, cx: &Visit, code: &str) -> Result<(), PortalError> {
        let result = match self.challenge(cx) {
            Some(challenge) => signin::verify(&self.0, &cx.client, &challenge, self.staff_session(cx), code).await,
            None => Err(PortalError::NotSignedIn),
        };
        let result = result.map(|token| {
            cx.forget(Jar::StaffSecondStep);
            self.keep_token(cx, Jar::StaffSession, &token);
        });
        self.keep_refusal(cx, result, |e| {
            // Without a step there is nothing to show it on: `/staff/login` follows.
            if *e != PortalError::NotSignedIn {
                self.leave(cx, NoticeOf::StaffVerify, &self.0.notice_key, e);
            }
        })
    }

    fn take_login_notice(&self, cx: &Visit) -> LoginNotice {
        self.take_login_notice_of(cx, NoticeOf::StaffSignIn)
    }

    async fn sign_out(&self, cx: &Visit) -> Result<(), PortalError> {
        cx.forget(Jar::StaffSession);
        match self.staff_session(cx) {
            Some(token) => signin::sign_out(&self.0, &token).await,
            None => Ok(()),
        }
    }

    async fn me(&self, cx: &Visit) -> Result<Option<String>, PortalError> {
        match self.staff_member(cx).await {
            Ok(m) => Ok(Some(m.name)),
            Err(PortalError::NotSignedIn) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn search(&self, cx: &Visit, query: &str, page: u32) -> Result<PatientPage, PortalError> {
        self.staff_member(cx).await?;
        charts::search(&self.0, query, page).await
    }

    async fn chart(&self, cx: &Visit, id: PatientId, audit_page: u32) -> Result<ChartView, StaffError> {
        let who = self.staff_member(cx).await?;
        // Read and audited only when the staff member asked for it here (a
        // browser too old to say where a request came from is believed).
        if cx.origin == app::visit::Origin::OtherSite {
            return Err(StaffError::FromAnotherSite);
        }
        charts::chart(&self.0, &who, &cx.client, id, audit_page).await
    }

    async fn invite(&self, cx: &Visit, id: PatientId, email: &str) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::invite(&self.0, &who, &cx.client, id, email).await
    }

    async fn unlock(&self, cx: &Visit, id: PatientId) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::unlock(&self.0, &who, &cx.client, id).await
    }

    async fn set_language(&self, cx: &Visit, id: PatientId, lang: app::i18n::Lang) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::set_language(&self.0, &who, &cx.client, id, lang).await
    }

    async fn remove_passkeys(&self, cx: &Visit, id: PatientId, reason: &Reason) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::remove_passkeys(&self.0, &who, &cx.client, id, reason).await
    }

    async fn add_family(&self, cx: &Visit, id: PatientId, name: &str, email: &str, relationship: &str) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::add_family(&self.0, &who, &cx.client, id, name, email, relationship).await
    }

    async fn person(&self, cx: &Visit, id: PatientId, person: app::family::PersonKey, action: app::staff::PersonAction) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::for_person(&self.0, &who, &cx.client, id, person, action).await
    }

    async fn revoke(&self, cx: &Visit, id: PatientId) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::revoke(&self.0, &who, &cx.client, id).await
    }

    async fn update_mobile(&self, cx: &Visit, id: PatientId, phone: &str, reason: &Reason) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::update_mobile(&self.0, &who, &cx.client, id, phone, reason).await
    }

    async fn turn_off_two_step(&self, cx: &Visit, id: PatientId, reason: &Reason) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::turn_off_two_step(&self.0, &who, &cx.client, id, reason).await
    }
}
