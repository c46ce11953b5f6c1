//! The server's implementation of the UI's port (`app::port::Portal`): reads
//! the request, calls the domain code, writes cookies to the response.

use std::sync::Arc;

use app::session::{LoginNotice, PatientView};
use app::error::PortalError;
use app::port::{HttpCx, Portal};
use app::secret::Password;
use app::two_step::{SignIn, TwoStepError, TypedCode, VerifyView};
use http::{header::SET_COOKIE, HeaderValue};

use crate::store::accounts;
use crate::store::states::AccountState;
use crate::client::ClientMeta;
use crate::notice::{self, Form};
use crate::sessions::{self, SessionToken, Subject, PATIENT_COOKIE};
use crate::signin::{self, internal, SignedIn};
use crate::tokens::SecretToken;
use crate::two_step::second_step::{self, CHALLENGE_COOKIE, DEVICE_COOKIE, REMEMBER_SECS};
use crate::Services;

pub struct Backend(pub Arc<Services>);

impl Backend {
    pub fn secure(&self) -> bool {
        self.0.config.behind_tls()
    }

    /// The patient session cookie's token, if the request has one.
    pub(crate) fn session(&self, cx: &HttpCx) -> Option<SessionToken> {
        self.token_in(&cx.parts.headers, PATIENT_COOKIE)
    }

    /// The token of the cookie `name`, if the request has one.
    fn token(&self, cx: &HttpCx, name: &str) -> Option<SecretToken> {
        self.token_in(&cx.parts.headers, name)
    }

    /// The token of the cookie `name` in `headers` (the pages' requests and
    /// the passkey endpoints' alike).
    pub(crate) fn token_in(&self, headers: &http::HeaderMap, name: &str) -> Option<SecretToken> {
        sessions::read_cookie(headers, name, self.secure()).map(SecretToken::from_presented)
    }

    /// The session in `headers` and its patient, or `NotSignedIn`.
    pub(crate) async fn patient_in(&self, headers: &http::HeaderMap) -> Result<(SessionToken, i64), PortalError> {
        let token = self.token_in(headers, PATIENT_COOKIE).ok_or(PortalError::NotSignedIn)?;
        let rules = self.0.config.session_rules();
        let id = sessions::lookup(&self.0.store, &token, Subject::Patient, rules, self.0.clock.now()).await.map_err(internal)?;
        Ok((token, id.ok_or(PortalError::NotSignedIn)?))
    }

    /// SPEC §2.6 at sign-in (by password or passkey): a language chosen on
    /// this device before signing in is saved to the account (the choice
    /// survives sign-in); without one, the account's saved language becomes
    /// this device's: the `Set-Cookie` that makes it so.
    pub async fn language_at_sign_in(&self, headers: &http::HeaderMap, session: &SessionToken) -> Option<String> {
        let rules = self.0.config.session_rules();
        let settled = async {
            let Some(id) = sessions::lookup(&self.0.store, session, Subject::Patient, rules, self.0.clock.now()).await? else { return Ok(None) };
            match crate::language::chosen(headers, self.secure()) {
                Some(lang) => crate::language::save(&self.0.store, id, lang).await.map(|()| None),
                None => {
                    let lang = crate::store::patients::language(&self.0.store.pool, id).await?;
                    Ok(Some(crate::language::choice_cookie(lang, self.secure())))
                }
            }
        };
        settled.await.unwrap_or_else(|e: sqlx::Error| {
            // Signing in goes on; the page keeps the language it had.
            tracing::error!(error = %e, "settling the language at sign-in");
            None
        })
    }

    async fn settle_language(&self, cx: &HttpCx, session: &SessionToken) {
        if let Some(cookie) = self.language_at_sign_in(&cx.parts.headers, session).await {
            set_cookie(cx, cookie);
        }
    }

    /// Remembers a failed sign-in form post for the page the browser is sent back to.
    pub fn set_notice(&self, cx: &HttpCx, form: Form, error: Option<&PortalError>, username: &str) {
        let n = LoginNotice { error: error.cloned(), username: notice::clip(username), password_reset: false };
        self.leave(cx, form, &self.0.notice_key, &n);
    }

    /// Tells the next `/login` that the password was just reset.
    pub fn set_password_reset_notice(&self, cx: &HttpCx) {
        let n = LoginNotice { password_reset: true, ..LoginNotice::default() };
        self.leave(cx, Form::SignIn, &self.0.notice_key, &n);
    }

    /// What the sign-in form `form` left, once (a forged or stale one is nothing).
    pub fn take_login_notice_of(&self, cx: &HttpCx, form: Form) -> LoginNotice {
        self.pick_up(cx, form, &self.0.notice_key).unwrap_or_default()
    }

    /// Leaves `n` for the page a form post is sent to: a 60-second HttpOnly
    /// cookie, sealed with `key` (the server's notice key, or a link's token).
    pub fn leave<T: serde::Serialize>(&self, cx: &HttpCx, form: Form, key: &str, n: &T) {
        let value = notice::seal(key, n);
        let c = sessions::cookie(form.as_str(), &value, self.secure()).max_age(cookie::time::Duration::seconds(60));
        set_cookie(cx, c.build().to_string());
    }

    /// The notice `form` left, if `key` sealed it; the cookie is cleared either way.
    pub fn pick_up<T: serde::de::DeserializeOwned>(&self, cx: &HttpCx, form: Form, key: &str) -> Option<T> {
        let value = sessions::read_cookie(&cx.parts.headers, form.as_str(), self.secure())?;
        set_cookie(cx, sessions::clear_cookie(form.as_str(), self.secure()));
        notice::open(key, &value)
    }
}

pub fn set_cookie(cx: &HttpCx, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        cx.response.append_header(SET_COOKIE, v);
    }
}

#[async_trait::async_trait]
impl Portal for Backend {
    async fn sign_in(&self, cx: &HttpCx, username: &str, password: &Password) -> Result<SignIn, PortalError> {
        let client = ClientMeta::from_parts(&cx.parts);
        let device = self.token(cx, DEVICE_COOKIE);
        match signin::sign_in(&self.0, &client, self.session(cx), device, username, password).await? {
            SignedIn::Session(token) => {
                set_cookie(cx, sessions::set_cookie(PATIENT_COOKIE, &token, self.secure()));
                self.settle_language(cx, &token).await;
                Ok(SignIn::Done)
            }
            SignedIn::SecondStep(token) => {
                set_cookie(cx, sessions::set_cookie(CHALLENGE_COOKIE, &token, self.secure()));
                Ok(SignIn::SecondStep)
            }
        }
    }

    async fn second_step(&self, cx: &HttpCx) -> Result<VerifyView, PortalError> {
        let Some(token) = self.token(cx, CHALLENGE_COOKIE) else { return Ok(VerifyView::default()) };
        let mut view = second_step::view(&self.0, &token).await?;
        view.error = self.pick_up(cx, Form::Verify, token.expose());
        Ok(view)
    }

    async fn verify(&self, cx: &HttpCx, code: &str, remember: bool) -> Result<(), TwoStepError> {
        let token = self.token(cx, CHALLENGE_COOKIE).ok_or(TwoStepError::Portal(PortalError::NotSignedIn))?;
        let typed = TypedCode::parse(code)?;
        let client = ClientMeta::from_parts(&cx.parts);
        let passed = second_step::verify(&self.0, &client, &token, self.session(cx).as_ref(), &typed, remember).await?;
        set_cookie(cx, sessions::clear_cookie(CHALLENGE_COOKIE, self.secure()));
        set_cookie(cx, sessions::set_cookie(PATIENT_COOKIE, &passed.session, self.secure()));
        self.settle_language(cx, &passed.session).await;
        if let Some(device) = passed.device {
            let c = sessions::cookie(DEVICE_COOKIE, device.expose(), self.secure()).max_age(cookie::time::Duration::seconds(REMEMBER_SECS));
            set_cookie(cx, c.build().to_string());
        }
        Ok(())
    }

    async fn resend(&self, cx: &HttpCx) -> Result<(), TwoStepError> {
        let token = self.token(cx, CHALLENGE_COOKIE).ok_or(TwoStepError::Portal(PortalError::NotSignedIn))?;
        second_step::resend(&self.0, &ClientMeta::from_parts(&cx.parts), &token).await
    }

    fn remember_verify_error(&self, cx: &HttpCx, error: &TwoStepError) {
        // Sealed with the step's own token: it opens for this sign-in only.
        if let Some(token) = self.token(cx, CHALLENGE_COOKIE) {
            self.leave(cx, Form::Verify, token.expose(), error);
        }
    }

    async fn sign_out(&self, cx: &HttpCx) -> Result<(), PortalError> {
        set_cookie(cx, sessions::clear_cookie(PATIENT_COOKIE, self.secure()));
        match self.session(cx) {
            Some(token) => signin::sign_out(&self.0, &token, &ClientMeta::from_parts(&cx.parts)).await,
            None => Ok(()),
        }
    }

    async fn current_patient(&self, cx: &HttpCx) -> Result<Option<PatientView>, PortalError> {
        let Some(token) = self.session(cx) else { return Ok(None) };
        let rules = self.0.config.session_rules();
        let Some(patient_id) = sessions::lookup(&self.0.store, &token, Subject::Patient, rules, self.0.clock.now())
            .await
            .map_err(internal)?
        else {
            set_cookie(cx, sessions::clear_cookie(PATIENT_COOKIE, self.secure()));
            return Ok(None);
        };
        let account = accounts::of_patient(&self.0.store.pool, patient_id).await.map_err(internal)?;
        let first_name = account.filter(|a| a.state == AccountState::Enrolled).map(|a| a.first_name);
        Ok(first_name.map(|first_name| PatientView { first_name, idle_timeout_secs: self.0.config.session_idle_secs }))
    }

    fn take_login_notice(&self, cx: &HttpCx) -> LoginNotice {
        self.take_login_notice_of(cx, Form::SignIn)
    }

    fn remember_login_error(&self, cx: &HttpCx, error: &PortalError, username: &str) {
        self.set_notice(cx, Form::SignIn, Some(error), username);
    }
}
