//! The one value every port implementation hangs off (the app's ports,
//! `app::port::*`, implemented in each feature's `port.rs`): the services,
//! and what every implementation does with the visit — reading the tokens
//! the browser presented, saying which cookies the answer keeps, leaving a
//! notice for the next page.

use std::sync::Arc;

use app::error::PortalError;
use app::jar::{Jar, Life, NoticeOf};
use app::session::LoginNotice;
use app::visit::Visit;

use crate::internal::internal;
use crate::notice;
use crate::sessions::{self, Person, SessionToken};
use crate::tokens::SecretToken;
use crate::Services;

pub struct Backend(pub Arc<Services>);

impl Backend {
    /// Whether the site is served over TLS (how the web layer names and marks our cookies).
    pub fn tls(&self) -> app::web::Tls {
        app::web::Tls(self.0.config.behind_tls())
    }

    /// The session cookie's token, if the request has one.
    pub(crate) fn session(&self, cx: &Visit) -> Option<SessionToken> {
        self.token(cx, Jar::Session)
    }

    /// The token in the cookie `jar`, if the request has one.
    pub(crate) fn token(&self, cx: &Visit, jar: Jar) -> Option<SecretToken> {
        cx.presented(jar).map(|value| SecretToken::from_presented(value.to_string()))
    }

    /// The answer keeps `token` in the cookie `jar` while the browser is
    /// open (the server decides when a session or a step ends).
    pub(crate) fn keep_token(&self, cx: &Visit, jar: Jar, token: &SecretToken) {
        cx.keep(jar, token.expose(), Life::Browser);
    }

    /// The answer keeps the new session `token`.
    pub(crate) fn keep_session(&self, cx: &Visit, token: &SessionToken) {
        self.keep_token(cx, Jar::Session, token);
    }

    /// The request's session and who it is for, or `NotSignedIn`.
    pub(crate) async fn patient_in(&self, cx: &Visit) -> Result<(SessionToken, Person), PortalError> {
        let token = self.session(cx).ok_or(PortalError::NotSignedIn)?;
        let rules = self.0.config.session_rules();
        let who = sessions::lookup_patient(&self.0.store, &token, rules, self.0.clock.now()).await.map_err(internal)?;
        Ok((token, who.ok_or(PortalError::NotSignedIn)?))
    }

    /// SPEC §2.6 at sign-in (by password or passkey): a language chosen on
    /// this device before signing in is saved to the account (the choice
    /// survives sign-in); without one, the account's saved language becomes
    /// this device's: the cookie that makes it so is set on the answer.
    pub async fn settle_language(&self, cx: &Visit, session: &SessionToken) {
        let rules = self.0.config.session_rules();
        let settled = async {
            let Some(who) = sessions::lookup_patient(&self.0.store, session, rules, self.0.clock.now()).await? else { return Ok(None) };
            match crate::language::chosen(cx) {
                Some(lang) => crate::language::save(&self.0.store, who, lang).await.map(|()| None),
                None => crate::language::of(&self.0.store, who).await.map(Some),
            }
        };
        match settled.await {
            Ok(Some(lang)) => crate::language::keep_choice(cx, lang),
            Ok(None) => {}
            // Signing in goes on; the page keeps the language it had.
            Err(e) => tracing::error!(error = %e, "settling the language at sign-in"),
        }
    }

    /// Remembers a failed sign-in form post for the page the browser is sent back to.
    pub fn set_notice(&self, cx: &Visit, form: NoticeOf, error: Option<&PortalError>, username: &str) {
        let n = LoginNotice { error: error.cloned(), username: notice::clip(username), password_reset: false };
        self.leave(cx, form, &self.0.notice_key, &n);
    }

    /// Tells the next `/login` that the password was just reset.
    pub fn set_password_reset_notice(&self, cx: &Visit) {
        let n = LoginNotice { password_reset: true, ..LoginNotice::default() };
        self.leave(cx, NoticeOf::SignIn, &self.0.notice_key, &n);
    }

    /// What the sign-in form `form` left, once (a forged or stale one is nothing).
    pub fn take_login_notice_of(&self, cx: &Visit, form: NoticeOf) -> LoginNotice {
        self.pick_up(cx, form, &self.0.notice_key).unwrap_or_default()
    }

    /// For a form posted without JavaScript, `keep` leaves a refusal for the
    /// page the browser is sent to next.
    pub(crate) fn keep_refusal<T, E>(&self, cx: &Visit, result: Result<T, E>, keep: impl FnOnce(&E)) -> Result<T, E> {
        if let (true, Err(e)) = (cx.next_page(), &result) {
            keep(e);
        }
        result
    }

    /// Leaves `n` for the page a form post is sent to: a 60-second HttpOnly
    /// cookie, sealed with `key` (the server's notice key, or a link's token).
    pub fn leave<T: serde::Serialize>(&self, cx: &Visit, form: NoticeOf, key: &str, n: &T) {
        cx.keep(Jar::Notice(form), &notice::seal(key, n), Life::Secs(notice::LIFE_SECS));
    }

    /// The notice `form` left, if `key` sealed it; the cookie is cleared either way.
    pub fn pick_up<T: serde::de::DeserializeOwned>(&self, cx: &Visit, form: NoticeOf, key: &str) -> Option<T> {
        let value = cx.presented(Jar::Notice(form))?;
        cx.forget(Jar::Notice(form));
        notice::open(key, value)
    }
}
