//! Cross-site POSTs are refused (SPEC §5). A browser that sends
//! `Sec-Fetch-Site` says where a request came from, and pages can't forge it;
//! only same-origin posts pass. One that doesn't (older Safari) must send an
//! `Origin` equal to `PORTAL_PUBLIC_URL`'s (a missing or `null` Origin, which
//! an attacker's page can force, is refused), and its form posts must carry
//! the CSRF token: the hidden field every form renders (`app::csrf`) must
//! equal the token cookie this middleware sets (double submit).

use std::sync::Arc;

use app::csrf::{CsrfToken, FIELD};
use app::jar::{Change, Jar, Life};
use app::web::cookies::{self, Tls};
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use subtle::ConstantTimeEq;

/// Bodies read to find the token; no form of ours is near this.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// What the guard needs from the configuration.
#[derive(Clone)]
pub struct Guard {
    /// `PORTAL_PUBLIC_URL`'s origin, like `https://portal.example.com`.
    pub origin: Arc<str>,
    pub tls: Tls,
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    SameOrigin,
    /// Same origin by `Origin` alone: a form post must also show the token.
    NeedsToken,
    CrossSite,
}

fn verdict(headers: &HeaderMap, origin: &str) -> Verdict {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return if matches!(site, "same-origin" | "none") { Verdict::SameOrigin } else { Verdict::CrossSite };
    }
    match get("origin") {
        Some(o) if o == origin => {
            // A server function called by a hydrated page asks for JSON; a plain form post asks for HTML.
            let fetch = get("accept").is_some_and(|a| a.starts_with("application/json"));
            if fetch { Verdict::SameOrigin } else { Verdict::NeedsToken }
        }
        _ => Verdict::CrossSite,
    }
}

fn well_formed(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn refuse(message: &'static str) -> Response {
    (StatusCode::FORBIDDEN, message).into_response()
}

pub async fn guard(g: Guard, req: Request<Body>, next: Next) -> Response {
    let kept = cookies::value_in(req.headers(), Jar::Csrf, g.tls).filter(|t| well_formed(t));
    let fresh = kept.is_none();
    let token = kept.unwrap_or_else(|| URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()));
    let mut req = req;
    if req.method() == Method::POST {
        match verdict(req.headers(), &g.origin) {
            Verdict::SameOrigin => {}
            Verdict::CrossSite => return refuse("Cross-site request refused."),
            Verdict::NeedsToken => {
                let (parts, body) = req.into_parts();
                let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
                    return (StatusCode::PAYLOAD_TOO_LARGE, "That request is too large.").into_response();
                };
                let sent = form_urlencoded::parse(&bytes).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned());
                let matches = !fresh && sent.is_some_and(|s| bool::from(s.as_bytes().ct_eq(token.as_bytes())));
                if !matches {
                    return refuse("This form has expired. Reload the page and try again.");
                }
                req = Request::from_parts(parts, Body::from(bytes));
            }
        }
    }
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.run(req).await;
    let is_page = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if fresh && is_page {
        let c = cookies::set_cookie(&Change::Keep { jar: Jar::Csrf, value: token, life: Life::Browser }, g.tls);
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, v.parse().unwrap());
        }
        m
    }

    const US: &str = "https://portal.example.com";

    #[test]
    fn fetch_metadata_decides_where_the_browser_sends_it() {
        assert_eq!(verdict(&h(&[("sec-fetch-site", "same-origin"), ("origin", "null")]), US), Verdict::SameOrigin);
        assert_eq!(verdict(&h(&[("sec-fetch-site", "cross-site"), ("origin", US)]), US), Verdict::CrossSite);
        assert_eq!(verdict(&h(&[("sec-fetch-site", "same-site")]), US), Verdict::CrossSite);
    }

    #[test]
    fn without_it_the_origin_must_be_ours_and_a_form_needs_the_token() {
        assert_eq!(verdict(&h(&[]), US), Verdict::CrossSite, "no Origin at all");
        assert_eq!(verdict(&h(&[("origin", "null")]), US), Verdict::CrossSite, "an attacker can force null");
        assert_eq!(verdict(&h(&[("origin", "https://evil.example")]), US), Verdict::CrossSite);
        assert_eq!(verdict(&h(&[("origin", "https://portal.example.com.evil.example")]), US), Verdict::CrossSite);
        assert_eq!(verdict(&h(&[("origin", US), ("accept", "text/html")]), US), Verdict::NeedsToken);
        assert_eq!(verdict(&h(&[("origin", US), ("accept", "application/json")]), US), Verdict::SameOrigin);
    }
}
