//! The web layer of the server functions: the one place that reads the HTTP
//! request into a [`Visit`] for the port, decides post/redirect/get for a
//! form posted without JavaScript, and writes the cookies the backend kept
//! or forgot onto the response ([`cookies`] alone knows their names).

pub mod cookies;

use std::ops::Deref;

use http::header::{ACCEPT, LOCATION, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use leptos::prelude::{use_context, with_context};
use leptos_axum::ResponseOptions;

use crate::error::{PortalError, Refusal, UserError};
use crate::i18n::Lang;
use crate::port::{SharedPortal, SharedRecovery, SharedRegistration, SharedSettings, SharedStaff};
use crate::visit::{ClientIp, ClientMeta, Origin, Reply, Visit};
pub use cookies::Tls;

/// The page a form sends the browser to, whatever the outcome.
pub fn to<X>(page: &str) -> impl FnOnce(&X) -> String + '_ {
    move |_| page.to_string()
}

/// Who sent `parts`: the address the server's middleware found, and the user agent.
fn client_of(parts: &Parts) -> ClientMeta {
    let ip = parts.extensions.get::<ClientIp>().map(|c| c.0);
    ClientMeta::new(ip, parts.headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default())
}

/// A plain HTML form post (JavaScript off) asks for HTML and must be
/// redirected; a call from the page's code asks for data.
fn reply_of(parts: &Parts) -> Reply {
    let html = parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    if html { Reply::NextPage } else { Reply::Data }
}

/// The request `parts`, answered in `lang`, as the backend sees it.
pub fn visit_of(parts: &Parts, lang: Lang, tls: Tls) -> Visit {
    let origin = Origin::from_header(parts.headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()));
    Visit::new(client_of(parts), reply_of(parts), lang, cookies::presented_in(&parts.headers, tls)).from(origin)
}

/// The `Set-Cookie` headers of what the backend did to our cookies in
/// `visit` (and forgets it).
pub fn set_cookie_headers(visit: &Visit, tls: Tls) -> impl Iterator<Item = HeaderValue> {
    visit.take_changes().into_iter().filter_map(move |change| HeaderValue::from_str(&cookies::set_cookie(&change, tls)).ok())
}

/// The request being served, as a [`Visit`] (it derefs to one), and the
/// response being built: the cookies the backend set go onto it when the
/// server function is done with this (on drop).
pub struct Web {
    visit: Visit,
    response: ResponseOptions,
    tls: Tls,
}

impl Deref for Web {
    type Target = Visit;
    fn deref(&self) -> &Visit {
        &self.visit
    }
}

impl Drop for Web {
    fn drop(&mut self) {
        for v in set_cookie_headers(&self.visit, self.tls) {
            self.response.append_header(SET_COOKIE, v);
        }
    }
}

impl Web {
    /// The request in the server function's context.
    fn current() -> Result<Web, PortalError> {
        let tls = use_context::<Tls>().ok_or(PortalError::Internal)?;
        let visit = with_context::<Parts, _>(|parts| visit_of(parts, crate::i18n::lang(), tls)).ok_or(PortalError::Internal)?;
        let response = use_context::<ResponseOptions>().ok_or(PortalError::Internal)?;
        Ok(Web { visit, response, tls })
    }

    /// The one place a form's answer is decided. A plain form post (post/
    /// redirect/get) gets `303 See Other` to the page `done` names after
    /// success, or `refused` after a refusal (the backend kept what that page
    /// shows); a call from the page's code gets the result itself, with the
    /// error's own status.
    pub fn form<T, E>(&self, result: Result<T, E>, done: impl FnOnce(&T) -> String, refused: impl FnOnce(&E) -> String) -> Result<T, E> {
        if self.visit.next_page() {
            match &result {
                Ok(t) => self.see_other(&done(t)),
                Err(e) => self.see_other(&refused(e)),
            }
        }
        result
    }

    /// A page's read. The web layer alone turns a refusal into a status: the
    /// database being away gives the page being rendered 503 and
    /// `Retry-After` (people, proxies and monitors alike see it; a server
    /// function called by the page's code gets it from the error anyway);
    /// any other refusal is the page's to show.
    pub fn read<T, E: UserError>(&self, result: Result<T, E>) -> Result<T, E> {
        if let Err(e) = &result {
            if matches!(e.refusal(), Refusal::Unavailable(_)) {
                crate::error::mark_response(e);
            }
        }
        result
    }

    /// A form whose next page is `page`, whatever the outcome.
    pub fn form_on<T, E>(&self, page: &str, result: Result<T, E>) -> Result<T, E> {
        self.form(result, to(page), to(page))
    }

    /// Answers with `303 See Other` to `location`.
    fn see_other(&self, location: &str) {
        if let Ok(value) = HeaderValue::from_str(location) {
            self.response.insert_header(LOCATION, value);
            self.response.set_status(StatusCode::SEE_OTHER);
        }
    }
}

fn port<P: Clone + Send + Sync + 'static>() -> Result<(P, Web), PortalError> {
    Ok((use_context::<P>().ok_or(PortalError::Internal)?, Web::current()?))
}

/// The backend and the request at hand, from the server function's context.
pub fn current() -> Result<(SharedPortal, Web), PortalError> {
    port()
}

/// The staff backend and the request at hand.
pub fn staff() -> Result<(SharedStaff, Web), PortalError> {
    port()
}

/// The settings backend and the request at hand.
pub fn settings() -> Result<(SharedSettings, Web), PortalError> {
    port()
}

/// The registration backend and the request at hand.
pub fn registration() -> Result<(SharedRegistration, Web), PortalError> {
    port()
}

/// The recovery backend and the request at hand.
pub fn recovery() -> Result<(SharedRecovery, Web), PortalError> {
    port()
}
