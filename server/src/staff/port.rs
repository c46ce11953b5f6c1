//! The server's side of the UI's staff port (`app::port::Staff`): the staff
//! session is checked on every call but sign-in; a patient's session cookie
//! is a different cookie and a different session kind, so it opens nothing.

use app::session::LoginNotice;
use app::error::PortalError;
use app::port::{HttpCx, Staff};
use app::secret::Password;
use app::staff::{AuthenticatorSetup, ChartView, PatientPage, Reason, SecondStepView, StaffError};

use crate::notice::Form;
use crate::client::ClientMeta;
use crate::portal::{set_cookie, Backend};
use crate::sessions::{self, SessionToken, STAFF_COOKIE};
use crate::staff::signin::{self, StaffMember};
use crate::staff::{actions, charts};
use crate::tokens::SecretToken;


/// The challenge between a right password and its code.
const CHALLENGE_COOKIE: &str = "portal_staff_challenge";

impl Backend {
    fn challenge(&self, cx: &HttpCx) -> Option<SecretToken> {
        sessions::read_cookie(&cx.parts.headers, CHALLENGE_COOKIE, self.secure()).map(SecretToken::from_presented)
    }

    fn staff_session(&self, cx: &HttpCx) -> Option<SessionToken> {
        sessions::read_cookie(&cx.parts.headers, STAFF_COOKIE, self.secure()).map(SessionToken::from_presented)
    }

    /// The signed-in staff member, or `NotSignedIn`.
    async fn staff_member(&self, cx: &HttpCx) -> Result<StaffMember, PortalError> {
        let token = self.staff_session(cx).ok_or(PortalError::NotSignedIn)?;
        signin::current(&self.0, &token).await?.ok_or(PortalError::NotSignedIn)
    }
}

#[async_trait::async_trait]
impl Staff for Backend {
    async fn sign_in(&self, cx: &HttpCx, username: &str, password: &Password) -> Result<(), PortalError> {
        let client = ClientMeta::from_parts(&cx.parts);
        let challenge = signin::sign_in(&self.0, &client, username, password).await?;
        let c = sessions::cookie(CHALLENGE_COOKIE, challenge.expose(), self.secure()).max_age(cookie::time::Duration::seconds(signin::CHALLENGE_SECS));
        set_cookie(cx, c.build().to_string());
        Ok(())
    }

    fn remember_login_error(&self, cx: &HttpCx, error: &PortalError, username: &str) {
        self.set_notice(cx, Form::StaffSignIn, Some(error), username);
    }

    async fn second_step(&self, cx: &HttpCx) -> Result<SecondStepView, PortalError> {
        let Some(challenge) = self.challenge(cx) else { return Ok(SecondStepView::default()) };
        let Some(step) = signin::second_step(&self.0, &challenge).await? else { return Ok(SecondStepView::default()) };
        let error = self.pick_up::<PortalError>(cx, Form::StaffVerify, &self.0.notice_key);
        let setup = step.setup.map(|(secret, qr_svg)| AuthenticatorSetup { secret, qr_svg });
        Ok(SecondStepView { pending: true, setup, error })
    }

    async fn verify(&self, cx: &HttpCx, code: &str) -> Result<(), PortalError> {
        let challenge = self.challenge(cx).ok_or(PortalError::NotSignedIn)?;
        let client = ClientMeta::from_parts(&cx.parts);
        let token = signin::verify(&self.0, &client, &challenge, self.staff_session(cx), code).await?;
        set_cookie(cx, sessions::clear_cookie(CHALLENGE_COOKIE, self.secure()));
        set_cookie(cx, sessions::set_cookie(STAFF_COOKIE, &token, self.secure()));
        Ok(())
    }

    fn remember_verify_error(&self, cx: &HttpCx, error: &PortalError) {
        self.leave(cx, Form::StaffVerify, &self.0.notice_key, error);
    }

    fn take_login_notice(&self, cx: &HttpCx) -> LoginNotice {
        self.take_login_notice_of(cx, Form::StaffSignIn)
    }

    async fn sign_out(&self, cx: &HttpCx) -> Result<(), PortalError> {
        set_cookie(cx, sessions::clear_cookie(STAFF_COOKIE, self.secure()));
        match self.staff_session(cx) {
            Some(token) => signin::sign_out(&self.0, &token).await,
            None => Ok(()),
        }
    }

    async fn me(&self, cx: &HttpCx) -> Result<Option<String>, PortalError> {
        match self.staff_member(cx).await {
            Ok(m) => Ok(Some(m.name)),
            Err(PortalError::NotSignedIn) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn search(&self, cx: &HttpCx, query: &str, page: u32) -> Result<PatientPage, PortalError> {
        self.staff_member(cx).await?;
        charts::search(&self.0, query, page).await
    }

    async fn chart(&self, cx: &HttpCx, id: i64, audit_page: u32) -> Result<ChartView, StaffError> {
        let who = self.staff_member(cx).await?;
        charts::chart(&self.0, &who, &ClientMeta::from_parts(&cx.parts), id, audit_page).await
    }

    async fn invite(&self, cx: &HttpCx, id: i64, email: &str) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::invite(&self.0, &who, &ClientMeta::from_parts(&cx.parts), id, email).await
    }

    async fn unlock(&self, cx: &HttpCx, id: i64) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::unlock(&self.0, &who, &ClientMeta::from_parts(&cx.parts), id).await
    }

    async fn set_language(&self, cx: &HttpCx, id: i64, lang: app::i18n::Lang) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::set_language(&self.0, &who, &ClientMeta::from_parts(&cx.parts), id, lang).await
    }

    async fn revoke(&self, cx: &HttpCx, id: i64) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::revoke(&self.0, &who, &ClientMeta::from_parts(&cx.parts), id).await
    }

    async fn update_mobile(&self, cx: &HttpCx, id: i64, phone: &str, reason: &Reason) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::update_mobile(&self.0, &who, &ClientMeta::from_parts(&cx.parts), id, phone, reason).await
    }

    async fn turn_off_two_step(&self, cx: &HttpCx, id: i64, reason: &Reason) -> Result<(), StaffError> {
        let who = self.staff_member(cx).await?;
        actions::turn_off_two_step(&self.0, &who, &ClientMeta::from_parts(&cx.parts), id, reason).await
    }
}
