//! A reset step refused without JavaScript is shown on the page the browser
//! is redirected to. The refusal and what was typed (date of birth, phone —
//! never the answer, code or password) ride in a 60-second HttpOnly cookie,
//! signed with the link's own token so that no other page can forge one.

use app::reset::{ResetError, ResetLink};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const COOKIE: &str = "portal_reset_notice";
/// Typed values longer than any valid input are cut to this.
const MAX_TYPED: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub error: ResetError,
    pub dob: String,
    pub phone: String,
}

fn mac(link: &ResetLink, payload: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(link.token().as_bytes()).expect("HMAC takes any key length");
    mac.update(b"reset-notice:");
    mac.update(payload.as_bytes());
    mac
}

fn clip(s: &str) -> String {
    s.trim().chars().filter(|c| !c.is_control()).take(MAX_TYPED).collect()
}

pub fn seal(link: &ResetLink, error: &ResetError, dob: &str, phone: &str) -> String {
    let notice = Notice { error: error.clone(), dob: clip(dob), phone: clip(phone) };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&notice).unwrap_or_default());
    let tag = URL_SAFE_NO_PAD.encode(mac(link, &payload).finalize().into_bytes());
    format!("{payload}.{tag}")
}

/// The notice in `value`, if this link's token signed it.
pub fn open(link: &ResetLink, value: &str) -> Option<Notice> {
    let (payload, tag) = value.split_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(link, payload).verify_slice(&tag).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(c: char) -> ResetLink {
        ResetLink::parse(&c.to_string().repeat(43)).unwrap()
    }

    #[test]
    fn a_notice_opens_only_with_the_link_that_sealed_it() {
        let sealed = seal(&link('a'), &ResetError::WrongCode(3), " 1985-03-12 ", "(217) 555-0101\u{0}");
        let notice = open(&link('a'), &sealed).unwrap();
        assert_eq!(notice, Notice { error: ResetError::WrongCode(3), dob: "1985-03-12".into(), phone: "(217) 555-0101".into() });
        assert_eq!(open(&link('b'), &sealed), None);
        let (payload, tag) = sealed.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"error":"NoMatch","dob":"","phone":""}"#);
        assert_eq!(open(&link('a'), &format!("{forged}.{tag}")), None);
        assert_eq!(open(&link('a'), payload), None);
        assert!(seal(&link('a'), &ResetError::NoMatch, &"9".repeat(5000), "").len() < 400);
    }
}
