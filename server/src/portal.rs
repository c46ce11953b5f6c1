//! The server's implementation of the UI's port (`app::port::Portal`): reads
//! the request, calls the domain code, writes cookies to the response.

use std::sync::Arc;

use app::session::{LoginNotice, PatientView};
use app::error::PortalError;
use app::port::{HttpCx, Portal};
use app::secret::Password;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use http::{header::SET_COOKIE, HeaderValue};

use crate::store::accounts;
use crate::store::states::AccountState;
use crate::client::ClientMeta;
use crate::sessions::{self, SessionToken, Subject, PATIENT_COOKIE};
use crate::signin::{self, internal};
use crate::Services;

/// Carries the outcome of a sign-in form posted without JavaScript over the
/// redirect back to `/login`: the error's code and the username typed.
pub const NOTICE_COOKIE: &str = "portal_notice";
/// The same for "Forgot password?".
pub const FORGOT_NOTICE_COOKIE: &str = "portal_forgot_notice";
/// The notice code that tells `/login` a password was just reset.
const PASSWORD_RESET: &str = "password-reset";

pub struct Backend(pub Arc<Services>);

impl Backend {
    pub fn secure(&self) -> bool {
        self.0.config.behind_tls()
    }

    /// The patient session cookie's token, if the request has one.
    pub(crate) fn session(cx: &HttpCx) -> Option<SessionToken> {
        sessions::read_cookie(&cx.parts.headers, PATIENT_COOKIE).map(SessionToken::from_presented)
    }

    /// Remembers a failed sign-in form post for the page the browser is sent back to.
    pub fn set_notice(&self, cx: &HttpCx, error: &PortalError, username: &str) {
        self.remember(cx, NOTICE_COOKIE, error.code(), username);
    }

    /// Tells the next `/login` that the password was just reset.
    pub fn set_password_reset_notice(&self, cx: &HttpCx) {
        self.remember(cx, NOTICE_COOKIE, PASSWORD_RESET, "");
    }

    /// A 60-second HttpOnly cookie `name` = the code and the username typed.
    pub fn remember(&self, cx: &HttpCx, name: &str, code: &str, username: &str) {
        let value = format!("{code}.{}", URL_SAFE_NO_PAD.encode(username.trim().chars().take(254).collect::<String>()));
        self.set_short_cookie(cx, name, &value);
    }

    /// A 60-second HttpOnly cookie, for what a redirected form post left.
    pub fn set_short_cookie(&self, cx: &HttpCx, name: &str, value: &str) {
        let c = sessions::cookie(name, value, self.secure()).max_age(cookie::time::Duration::seconds(60));
        set_cookie(cx, c.build().to_string());
    }

    /// Reads and clears the cookie `remember` set.
    pub fn take_notice(&self, cx: &HttpCx, name: &str) -> LoginNotice {
        self.take_cookie(cx, name).map(|v| parse_notice(&v)).unwrap_or_default()
    }

    /// Reads a one-time cookie and clears it on the response.
    pub(crate) fn take_cookie(&self, cx: &HttpCx, name: &str) -> Option<String> {
        let value = sessions::read_cookie(&cx.parts.headers, name)?;
        set_cookie(cx, sessions::clear_cookie(name, self.secure()));
        Some(value)
    }
}

pub fn set_cookie(cx: &HttpCx, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        cx.response.append_header(SET_COOKIE, v);
    }
}

fn parse_notice(value: &str) -> LoginNotice {
    let (code, user) = value.split_once('.').unwrap_or((value, ""));
    let username = URL_SAFE_NO_PAD
        .decode(user)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|u| !u.chars().any(char::is_control))
        .unwrap_or_default();
    LoginNotice { error: PortalError::from_code(code), username, password_reset: code == PASSWORD_RESET }
}

#[async_trait::async_trait]
impl Portal for Backend {
    async fn sign_in(&self, cx: &HttpCx, username: &str, password: &Password) -> Result<(), PortalError> {
        let client = ClientMeta::from_parts(&cx.parts);
        let token = signin::sign_in(&self.0, &client, Self::session(cx), username, password).await?;
        set_cookie(cx, sessions::set_cookie(PATIENT_COOKIE, &token, self.secure()));
        Ok(())
    }

    async fn sign_out(&self, cx: &HttpCx) -> Result<(), PortalError> {
        set_cookie(cx, sessions::clear_cookie(PATIENT_COOKIE, self.secure()));
        match Self::session(cx) {
            Some(token) => signin::sign_out(&self.0, &token, &ClientMeta::from_parts(&cx.parts)).await,
            None => Ok(()),
        }
    }

    async fn current_patient(&self, cx: &HttpCx) -> Result<Option<PatientView>, PortalError> {
        let Some(token) = Self::session(cx) else { return Ok(None) };
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
        self.take_notice(cx, NOTICE_COOKIE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_carry_a_known_error_and_the_username_only() {
        let n = parse_notice(&format!("invalid.{}", URL_SAFE_NO_PAD.encode("Alice@Example.com")));
        assert_eq!(n.error, Some(PortalError::InvalidCredentials));
        assert_eq!(n.username, "Alice@Example.com");
        let forged = parse_notice("<b>hi</b>.!!!");
        assert_eq!(forged, LoginNotice::default());
        assert!(parse_notice("password-reset.").password_reset);
    }
}
